//! Builds the lending documents from the database: the organization's rules, items and loans,
//! written out in Thai with the organization's digits.

use chrono::NaiveDate;

use super::data::*;
use crate::db::Db;
use crate::docs::typeset::{DocSize, RenderError, Typesetter};
use crate::lending::loans::{self, Loan};
use crate::lending::rules::{LendingRules, UseType};
use crate::lending::workflow::{LoanStatus, Settlement};
use crate::lending::{calendar, date_of, items, store_rules, today};
use crate::orgs::Org;
use crate::thai::{Digits, FiscalYear, format_date_long, format_int};

fn long(date: NaiveDate, digits: Digits) -> String {
    format_date_long(date, digits)
}

fn epoch_date(t: i64) -> NaiveDate {
    date_of((t + 7 * 3600).div_euclid(86_400))
}

/// The borrowing form of one loan; steps not taken yet print as lines to fill by hand.
pub fn loan_form(org: &Org, loan: &Loan, rules: &LendingRules) -> LoanForm {
    let digits = org.digits;
    let signed =
        |at: Option<i64>| Signatory { name: None, position: None, date: at.map(|t| long(epoch_date(t), digits)) };
    let mut rule_lines = vec![
        format!("การยืมครั้งนี้ต้องได้รับอนุมัติจาก{}", loan.required_duty.label_th()),
        "ผู้ยืมต้องส่งคืนพัสดุในสภาพที่ใช้การได้เรียบร้อย หากชำรุดหรือสูญหายต้องซ่อมแซม ชดใช้เป็นพัสดุอย่างเดียวกัน หรือชดใช้เป็นเงินตามราคาขณะยืม (ข้อ ๒๑๐)".to_string(),
        format!(
            "เมื่อครบกำหนดแล้วยังไม่ส่งคืน เจ้าหน้าที่จะติดตามทวงคืนภายใน {} วัน (ข้อ ๒๑๑)",
            format_int(rules.follow_up_days as i64, digits)
        ),
    ];
    rule_lines.extend(rules.extra_rules_th.iter().cloned());
    LoanForm {
        title: "แบบฟอร์มการยืมพัสดุ".into(),
        loan_number: format!("เลขที่ {}", format_int(loan.id.0, digits)),
        org_name: org.name.clone(),
        written_at: org.name.clone(),
        written_on: long(epoch_date(loan.requested_at), digits),
        addressed_to: loan.required_duty.label_th().to_string(),
        borrower_name: loan.borrower_name.clone(),
        borrower_position: loan.borrower_position.clone(),
        borrower_division: loan.borrower_unit.clone(),
        items: vec![LoanFormItem {
            asset_number: loan.asset_number.clone(),
            name: loan.item_name.clone(),
            quantity: format_int(1, digits),
            condition_at_handover: (!loan.handover_condition.is_empty()).then(|| loan.handover_condition.clone()),
        }],
        purpose: loan.purpose.clone(),
        place_kind: if loan.use_type == UseType::Inside { PlaceKind::Inside } else { PlaceKind::Outside },
        place: loan.place_of_use.clone(),
        borrow_date: long(loan.start, digits),
        due_date: long(loan.due, digits),
        rules: rule_lines,
        borrower: Signatory { name: Some(loan.borrower_name.clone()), position: None, date: None },
        approver: Signatory {
            position: Some(loan.required_duty.label_th().to_string()),
            ..signed(
                loan.decided_at.filter(|_| loan.status != LoanStatus::Rejected && loan.status != LoanStatus::Cancelled),
            )
        },
        handed_over_by: signed(loan.handed_over_at),
        received_by: signed(loan.returned_at),
        returned: ReturnSection {
            returned_on: loan.returned_at.map(|t| long(epoch_date(t), digits)),
            condition: loan.returned_at.map(|_| {
                let note = if loan.return_condition.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", loan.return_condition)
                };
                format!("{}{note}", loan.damage.label_th())
            }),
            settlement: loan.settlement.as_deref().and_then(Settlement::parse).map(|s| {
                let note = if loan.settlement_note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", loan.settlement_note)
                };
                format!("{}{note}", s.label_th())
            }),
        },
    }
}

/// The QR label sheet of every lendable item; codes open the item's public page.
pub async fn labels_pdf(db: &Db, pdf: &Typesetter, org: &Org, public_url: &str) -> Result<Vec<u8>, RenderError> {
    let labels = items::list(db, org.id)
        .await?
        .into_iter()
        .filter(|i| i.lendable)
        .map(|i| Label {
            url: format!("{}/o/{}/items/{}", public_url.trim_end_matches('/'), org.slug, i.asset_number),
            asset_number: i.asset_number,
            item_name: i.name,
        })
        .collect();
    let sheet = LabelSheet { org_short_name: org.short_name.clone(), labels };
    let size = DocSize::of(sheet.labels.len(), "ป้ายพัสดุ", &sheet);
    pdf.pdf("labels", size, move |engine| super::label_sheet(engine, &sheet)).await
}

fn outstanding(list: &[Loan], rules: &LendingRules, digits: Digits, today: NaiveDate) -> Vec<OutstandingLoan> {
    list.iter()
        .filter(|l| matches!(l.status, LoanStatus::HandedOver | LoanStatus::AwaitingSettlement))
        .map(|l| OutstandingLoan {
            loan_number: format_int(l.id.0, digits),
            asset_number: l.asset_number.clone(),
            item: l.item_name.clone(),
            borrower: l.borrower_name.clone(),
            due_date: long(l.due, digits),
            status: match l.follow_up(today, rules) {
                Some(calendar::FollowUpState::Overdue { days, .. }) => {
                    format!("เกินกำหนด {} วัน", format_int(days, digits))
                }
                _ => l.status.label_th().to_string(),
            },
        })
        .collect()
}

/// The SOP manual, written from the organization's rules, with the loans still out.
pub async fn manual_pdf(db: &Db, pdf: &Typesetter, org: &Org) -> Result<Vec<u8>, RenderError> {
    let rules = store_rules::load(db, org.id).await?;
    let today = today();
    let digits = org.digits;
    let n = |v: i64| format_int(v, digits);
    let fy = FiscalYear::of(today);
    let step = |number: i64, title: &str, who: &str, detail: String, time: &str, kind| SopStep {
        number: n(number),
        title: title.into(),
        who: who.into(),
        detail,
        time_standard: digits.apply(time),
        kind,
    };
    let mut rule_lines = vec!["ยืมได้เฉพาะพัสดุที่กำหนดให้ยืมได้ในทะเบียนพัสดุ และต้องใช้เพื่อประโยชน์ของทางราชการเท่านั้น".to_string()];
    if let Some(max) = rules.max_loan_days {
        rule_lines.push(format!("ระยะเวลายืมแต่ละครั้งไม่เกิน {} วัน", n(max as i64)));
    }
    rule_lines.push("ผู้ขอยืมหรือผู้ยื่นคำขอจะเป็นผู้อนุมัติคำขอนั้นเองไม่ได้".into());
    rule_lines.push("พัสดุชิ้นเดียวกันให้ยืมในช่วงวันที่ทับกันไม่ได้".into());
    rule_lines.push(format!(
        "ผู้มีอำนาจอนุมัติ: ใช้ภายในสถานที่ – {}; นำออกไปใช้นอกสถานที่ – {}; ยืมระหว่างหน่วยงานของรัฐ – {}",
        rules.approver_inside.label_th(),
        rules.approver_outside.label_th(),
        rules.approver_agency.label_th()
    ));
    rule_lines.extend(rules.extra_rules_th.iter().cloned());
    let follow = n(rules.follow_up_days as i64);
    let count_day = calendar::stock_count_start(fy.be(), &rules.holidays);
    let all = loans::list(db, org.id, &[]).await?;
    let manual = SopManual {
        title: "คู่มือการยืม-คืนพัสดุ".into(),
        org_name: org.name.clone(),
        fiscal_year: format!("ประจำปีงบประมาณ พ.ศ. {}", crate::thai::format_year_be(fy.be(), digits)),
        issued_on: format!("จัดทำจากระบบโปร่งใส ณ วันที่ {}", long(today, digits)),
        purpose: vec![
            format!(
                "เพื่อให้การยืมและการส่งคืนพัสดุของ{}เป็นไปตามระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐ มีขั้นตอนที่ชัดเจน ตรวจสอบได้ และป้องกันการนำทรัพย์สินของทางราชการไปใช้เพื่อประโยชน์ส่วนตน",
                org.name
            ),
            format!("คู่มือนี้ใช้กับบุคลากรของ{} และบุคคลหรือหน่วยงานของรัฐที่ขอยืมพัสดุ", org.name),
        ],
        legal_basis_intro: super::regulation::LEGAL_BASIS_INTRO.into(),
        legal_basis: super::regulation::legal_basis(),
        rules: rule_lines,
        steps: vec![
            step(
                1,
                "ยื่นคำขอยืมพัสดุ",
                "ผู้ยืม / เจ้าหน้าที่ผู้บันทึกแทน",
                "บันทึกคำขอในระบบหรือแบบฟอร์ม ระบุผู้ยืม ตำแหน่ง สังกัด รายการพัสดุ เหตุผล สถานที่ใช้งาน วันที่ยืมและกำหนดส่งคืน".into(),
                "ก่อนวันยืม",
                StepKind::Process,
            ),
            step(
                2,
                "ตรวจสอบพัสดุว่างและให้ยืมได้",
                "ระบบ / เจ้าหน้าที่พัสดุ",
                "ระบบไม่รับคำขอที่ทับช่วงวันกับการยืมอื่น หรือขัดกับระเบียบ".into(),
                "ทันที",
                StepKind::Process,
            ),
            step(
                3,
                "พิจารณาอนุมัติ",
                "ผู้มีอำนาจตามลักษณะการใช้",
                format!(
                    "ใช้ภายในสถานที่: {}; นอกสถานที่: {}; หน่วยงานอื่น: {}",
                    rules.approver_inside.label_th(),
                    rules.approver_outside.label_th(),
                    rules.approver_agency.label_th()
                ),
                "1 วันทำการ",
                StepKind::Approval,
            ),
            step(
                4,
                "ส่งมอบพัสดุและบันทึกสภาพ",
                "เจ้าหน้าที่พัสดุ",
                "ส่งมอบพัสดุ บันทึกสภาพขณะส่งมอบ ผู้ยืมลงนามในแบบฟอร์ม".into(),
                "ในวันยืม",
                StepKind::Process,
            ),
            step(
                5,
                "ส่งคืนพัสดุตามกำหนด",
                "ผู้ยืม",
                format!("ส่งคืนภายในกำหนด หากเกินกำหนด เจ้าหน้าที่ติดตามทวงคืนภายใน {follow} วันและบันทึกการติดตามในระบบ"),
                "ภายในวันครบกำหนด",
                StepKind::Process,
            ),
            step(
                6,
                "ตรวจสภาพพัสดุที่ส่งคืน",
                "เจ้าหน้าที่พัสดุ",
                "ตรวจสภาพและจำนวนเทียบกับที่บันทึกไว้เมื่อส่งมอบ".into(),
                "ในวันรับคืน",
                StepKind::Inspection,
            ),
            step(
                7,
                "ชดใช้ความเสียหาย (ถ้ามี)",
                "ผู้ยืม",
                "ซ่อมแซมให้คงสภาพเดิม ชดใช้เป็นพัสดุอย่างเดียวกัน หรือชดใช้เป็นเงินตามราคาขณะยืม ระบบปิดรายการเมื่อชดใช้ครบ".into(),
                "ตามที่ตกลง",
                StepKind::Settlement,
            ),
            step(8, "ปิดรายการยืม", "เจ้าหน้าที่พัสดุ", "บันทึกผลการรับคืนและการชดใช้ในระบบ".into(), "1 วันทำการ", StepKind::Process),
        ],
        flow: FlowLabels::thai(),
        monitoring: vec![
            format!(
                "ระบบแจ้งเตือนผู้ยืมก่อนครบกำหนด {} วัน และแจ้งเจ้าหน้าที่เมื่อพ้นกำหนด เจ้าหน้าที่ต้องติดตามทวงคืนภายใน {follow} วันและบันทึกผลทุกครั้ง",
                n(rules.remind_days_before_due as i64)
            ),
            format!(
                "การตรวจสอบพัสดุประจำปีเริ่มวันทำการแรกของเดือนตุลาคม ({}) ก่อนวันดังกล่าวต้องเรียกคืนพัสดุที่ยังไม่ส่งคืนทุกรายการ",
                long(count_day, digits)
            ),
        ],
        outstanding_heading: format!("รายการพัสดุที่ยังไม่ส่งคืน ณ วันที่ {}", long(today, digits)),
        outstanding: outstanding(&all, &rules, digits, today),
        outstanding_none: "ไม่มีพัสดุค้างส่งคืน".into(),
        annex: vec![
            "แบบฟอร์มการยืมพัสดุ (พิมพ์จากระบบสำหรับการยืมแต่ละครั้ง พร้อมช่องลงนามผู้ยืม ผู้อนุมัติ ผู้ส่งมอบ และผู้รับคืน)".into(),
            format!("คู่มือนี้เผยแพร่บนเว็บไซต์ของ{} และแจ้งเวียนให้บุคลากรทุกคนทราบและถือปฏิบัติ", org.name),
        ],
        thai_digits: digits == Digits::Thai,
    };
    let size = DocSize::of(manual.outstanding.len(), "รายการพัสดุค้างส่งคืน", &manual);
    pdf.pdf("lending_manual", size, move |engine| super::sop_manual(engine, &manual)).await
}

/// The loans report of a period: counts, the loans, and how much each item was used.
pub async fn report_pdf(
    db: &Db,
    pdf: &Typesetter,
    org: &Org,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<u8>, RenderError> {
    let digits = org.digits;
    let n = |v: i64| format_int(v, digits);
    let today = today();
    let stats = crate::lending::stats::stats_for(db, org.id, from, to, today).await?;
    let in_period: Vec<Loan> =
        loans::list(db, org.id, &[]).await?.into_iter().filter(|l| l.start >= from && l.start <= to).collect();
    let period_days = ((to - from).num_days() + 1).max(1);
    let mut utilization = Vec::new();
    for item in items::list(db, org.id).await? {
        let used: Vec<&Loan> = in_period
            .iter()
            .filter(|l| {
                l.item_id == item.id
                    && !matches!(
                        l.status,
                        LoanStatus::Requested | LoanStatus::Approved | LoanStatus::Rejected | LoanStatus::Cancelled
                    )
            })
            .collect();
        let days: i64 = used
            .iter()
            .map(|l| {
                let back = l.returned_at.map(epoch_date).unwrap_or(today).min(to);
                ((back - l.start.max(from)).num_days() + 1).max(0)
            })
            .sum();
        utilization.push(UtilizationRow {
            item: format!("{} {}", item.asset_number, item.name),
            loans: n(used.len() as i64),
            days_out: n(days),
            percent: digits.apply(&format!("{:.1}%", days as f64 * 100.0 / period_days as f64)),
        });
    }
    let report = LoansReport {
        title: "รายงานการยืม-คืนพัสดุ".into(),
        org_name: org.name.clone(),
        period: format!("ระหว่างวันที่ {} ถึงวันที่ {}", long(from, digits), long(to, digits)),
        printed_on: format!("พิมพ์เมื่อ {}", long(today, digits)),
        summary: LoansSummary {
            loans: n(stats.loans),
            returned_on_time: stats
                .on_time_percent()
                .map(|p| digits.apply(&format!("{p:.1}%")))
                .unwrap_or_else(|| "–".into()),
            overdue: n(stats.overdue_now),
            damage_cases: n(stats.damage_cases),
        },
        loans: in_period
            .iter()
            .map(|l| LoanRow {
                number: n(l.id.0),
                item: format!("{} {}", l.asset_number, l.item_name),
                borrower: l.borrower_name.clone(),
                borrowed_on: long(l.start, digits),
                due_on: long(l.due, digits),
                returned_on: l.returned_at.map(|t| long(epoch_date(t), digits)),
                status: l.status.label_th().to_string(),
            })
            .collect(),
        utilization,
        thai_digits: digits == Digits::Thai,
    };
    let size = DocSize::of(report.loans.len().max(report.utilization.len()), "รายการยืม", &report);
    pdf.pdf("loans_report", size, move |engine| super::loans_report(engine, &report)).await
}
