//! Builds the lending documents from the database: the organization's rules, items and loans,
//! written out in Thai with the organization's digits.

use chrono::NaiveDate;

use super::data::*;
use super::regulation::{Subject, clause_of};
use crate::db::Db;
use crate::docs::typeset::{DocSize, RenderError, Typesetter};
use crate::lending::loans::{self, Loan};
use crate::lending::rules::{ItemClass, LendingRules, UseType};
use crate::lending::store_signers::{LoanSigners, Signer};
use crate::lending::workflow::LoanStatus;
use crate::lending::{date_of, items, store_rules, today};
use crate::orgs::Org;
use crate::thai::{Digits, FiscalYear, format_date_long, format_int};

fn long(date: NaiveDate, digits: Digits) -> String {
    format_date_long(date, digits)
}

fn epoch_date(t: i64) -> NaiveDate {
    date_of((t + 7 * 3600).div_euclid(86_400))
}

/// The conditions printed on the form: a person's loan of a durable item, or an agency's loan
/// (ข้อ ๒๐๘ (๑)), in the agency's words, with the return the item's kind calls for.
fn loan_conditions(loan: &Loan, item_class: ItemClass) -> Vec<String> {
    let approval = format!("การยืมครั้งนี้ต้องได้รับอนุมัติจาก{}", loan.required_duty.label_th());
    if loan.use_type != UseType::Agency {
        return vec![
            approval,
            format!(
                "ผู้ยืมต้องส่งคืนพัสดุในสภาพที่ใช้การได้เรียบร้อย หากชำรุดหรือสูญหายต้องซ่อมแซม ชดใช้เป็นพัสดุอย่างเดียวกัน หรือชดใช้เป็นเงินตามราคาขณะยืม ({})",
                clause_of(Subject::DurableReturnAndDamage)
            ),
        ];
    }
    let between = "การยืมระหว่างหน่วยงานของรัฐ มีหนังสือนี้เป็นหลักฐานการยืมเป็นลายลักษณ์อักษร";
    match item_class {
        ItemClass::Durable => vec![
            format!("{between} และต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐผู้ให้ยืม (ข้อ ๒๐๘ (๑))"),
            format!(
                "หน่วยงานผู้ยืมต้องส่งคืนพัสดุในสภาพที่ใช้การได้เรียบร้อย หากชำรุดหรือสูญหาย หน่วยงานผู้ยืมต้องซ่อมแซม ชดใช้เป็นพัสดุอย่างเดียวกัน หรือชดใช้เป็นเงินตามราคาขณะยืม ({})",
                clause_of(Subject::DurableReturnAndDamage)
            ),
        ],
        ItemClass::Consumable => vec![format!(
            "{between} ยืมได้เมื่อหน่วยงานผู้ยืมมีความจำเป็นเร่งด่วนและจัดหาไม่ทัน ได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐผู้ให้ยืม และหน่วยงานผู้ยืมต้องส่งคืนเป็นพัสดุประเภท ชนิด และปริมาณเดียวกัน ({})",
            clause_of(Subject::ConsumablesBetweenAgencies)
        )],
    }
}

/// The borrowing form of one loan: the steps on record are filled in (who, when, the decision);
/// steps not taken yet print as lines to fill by hand.
pub fn loan_form(
    org: &Org,
    loan: &Loan,
    rules: &LendingRules,
    signers: &LoanSigners,
    item_class: ItemClass,
) -> LoanForm {
    let digits = org.digits;
    let signed = |who: &Option<Signer>, at: Option<i64>| Signatory {
        name: who.as_ref().map(|s| s.name.clone()),
        position: who.as_ref().and_then(|s| s.position).map(str::to_string),
        date: at.map(|t| long(epoch_date(t), digits)),
    };
    let decision = match loan.status {
        LoanStatus::Requested | LoanStatus::Cancelled => None,
        LoanStatus::Rejected => Some(false),
        _ => loan.decided_at.map(|_| true),
    };
    let mut rule_lines = loan_conditions(loan, item_class);
    rule_lines.push(format!(
        "เมื่อครบกำหนดแล้วยังไม่ส่งคืน เจ้าหน้าที่จะติดตามทวงคืนภายใน {} วัน (ข้อ ๒๑๑)",
        format_int(rules.follow_up_days as i64, digits)
    ));
    rule_lines.extend(rules.extra_rules_th.iter().cloned());
    LoanForm {
        title: "แบบฟอร์มการยืมพัสดุ".into(),
        // The template prints the label "เลขที่" itself.
        loan_number: format_int(loan.id.0, digits),
        org_name: org.name.clone(),
        written_at: org.name.clone(),
        written_on: long(epoch_date(loan.requested_at), digits),
        addressed_to: loan.required_duty.label_th().to_string(),
        borrower_name: loan.borrower_name.clone(),
        borrower_is_agency: loan.borrower_is_agency,
        borrower_position: loan.borrower_position.clone(),
        borrower_division: loan.borrower_unit.clone(),
        items: vec![LoanFormItem {
            asset_number: loan.asset_number.clone(),
            name: loan.item_name.clone(),
            quantity: format!("{} {}", format_int(loan.quantity, digits), loan.count_unit),
            condition_at_handover: (!loan.handover_condition.is_empty()).then(|| loan.handover_condition.clone()),
        }],
        purpose: loan.purpose.clone(),
        place_kind: match loan.use_type {
            UseType::Inside => PlaceKind::Inside,
            UseType::Outside => PlaceKind::Outside,
            UseType::Agency => PlaceKind::Agency,
        },
        place: loan.place_of_use.clone(),
        borrow_date: long(loan.start, digits),
        due_date: long(loan.due, digits),
        rules: rule_lines,
        borrower: Signatory { name: Some(loan.borrower_name.clone()), position: None, date: None },
        approver: Signatory {
            position: Some(loan.required_duty.label_th().to_string()),
            ..signed(
                &signers.decided_by.clone().filter(|_| decision.is_some()),
                loan.decided_at.filter(|_| decision.is_some()),
            )
        },
        decision,
        decision_note: (decision.is_some() && !loan.decision_note.trim().is_empty())
            .then(|| loan.decision_note.clone()),
        handed_over_by: signed(&signers.handed_over_by, loan.handed_over_at),
        received_by: signed(&signers.received_by, loan.returned_at),
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
            settlement: crate::lending::settlement::line_th(loan, digits),
        },
    }
}

/// The QR label sheet of every lendable item; codes open the item's public page.
pub async fn labels_pdf(db: &Db, pdf: &Typesetter, org: &Org, public_url: &str) -> Result<Vec<u8>, RenderError> {
    let labels = items::list(db, org.id)
        .await?
        .into_iter()
        .filter(|i| i.lendable && i.quantity > 0)
        .map(|i| Label {
            url: crate::lending::asset_number::public_url(public_url, &org.slug, &i.asset_number),
            asset_number: i.asset_number,
            item_name: i.name,
        })
        .collect();
    let sheet = LabelSheet { org_short_name: org.short_name.clone(), labels };
    let size = DocSize::of(sheet.labels.len(), "ป้ายพัสดุ", &sheet);
    pdf.pdf("labels", size, move |engine| super::label_sheet(engine, &sheet)).await
}

/// A draft of the SOP manual from today's rules, for staff to read before it is issued: marked as
/// a draft, with no approver. It names no one, as the issued manual (`manuals::issue`).
pub async fn draft_manual_pdf(db: &Db, pdf: &Typesetter, org: &Org) -> Result<Vec<u8>, RenderError> {
    let rules = store_rules::load(db, org.id).await?;
    let today = today();
    let approval = super::ManualApproval {
        fiscal_year: FiscalYear::of(today),
        approved_on: today,
        approver_name: String::new(),
        approver_position: String::new(),
    };
    let mut manual = super::manual::sop_manual(org, &rules, &approval);
    manual.issued_on = format!("ร่าง ณ วันที่ {} (ยังไม่ได้ประกาศใช้)", long(today, org.digits));
    manual.approved_by.clear();
    let size = DocSize::of(0, "หน้า", &manual);
    pdf.pdf("lending_manual", size, move |engine| super::sop_manual(engine, &manual)).await
}

/// The staff list of items still out before the stock count, with borrowers' names.
pub async fn outstanding_pdf(db: &Db, pdf: &Typesetter, org: &Org) -> Result<Vec<u8>, RenderError> {
    let rules = store_rules::load(db, org.id).await?;
    let all = loans::list(db, org.id, &[]).await?;
    let list = super::manual::outstanding_list(org, &rules, &all, today());
    let size = DocSize::of(list.loans.len(), "รายการพัสดุค้างส่งคืน", &list);
    pdf.pdf("lending_outstanding", size, move |engine| super::outstanding_list(engine, &list)).await
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
                status: match crate::lending::settlement::line_th(l, digits) {
                    Some(settled) => format!("{}: {settled}", l.status.label_th()),
                    None => l.status.label_th().to_string(),
                },
            })
            .collect(),
        utilization,
        thai_digits: digits == Digits::Thai,
    };
    let size = DocSize::of(report.loans.len().max(report.utilization.len()), "รายการยืม", &report);
    pdf.pdf("loans_report", size, move |engine| super::loans_report(engine, &report)).await
}
