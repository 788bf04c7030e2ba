//! The SOP manual of one organization for one fiscal year, and the staff list of loans still out.
//!
//! The manual is published, so it is written from the rules and the approval alone: no borrower,
//! no loan, no date but the ones it was approved with. The list of items still out before the
//! stock count names borrowers and is a staff document ([`outstanding_list`]).

use chrono::NaiveDate;

use super::data::*;
use crate::lending::calendar;
use crate::lending::loans::Loan;
use crate::lending::rules::LendingRules;
use crate::lending::workflow::LoanStatus;
use crate::orgs::Org;
use crate::thai::{Digits, FiscalYear, format_date_long, format_int};

/// What the approver signed: the fiscal year the manual is for, the day and who approved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualApproval {
    pub fiscal_year: FiscalYear,
    pub approved_on: NaiveDate,
    pub approver_name: String,
    pub approver_position: String,
}

impl ManualApproval {
    /// Refuses an approval that cannot be right, naming the field in Thai.
    pub fn check(&self, today: NaiveDate) -> Result<(), String> {
        if self.approver_name.trim().is_empty() {
            return Err("กรุณาระบุชื่อผู้อนุมัติคู่มือ (ช่อง “ชื่อผู้อนุมัติ”)".into());
        }
        if self.approver_position.trim().is_empty() {
            return Err("กรุณาระบุตำแหน่งผู้อนุมัติคู่มือ (ช่อง “ตำแหน่งผู้อนุมัติ”)".into());
        }
        if self.approved_on > today {
            return Err("วันที่อนุมัติต้องไม่เป็นวันในอนาคต (ช่อง “วันที่อนุมัติ”)".into());
        }
        // A manual is approved for the year it governs, at the latest within that year.
        if self.approved_on > self.fiscal_year.end() {
            return Err("วันที่อนุมัติต้องไม่หลังสิ้นปีงบประมาณของคู่มือ (ช่อง “วันที่อนุมัติ”)".into());
        }
        Ok(())
    }
}

/// The manual as approved: fiscal year, approval date and approver from `approval`, the rest
/// from the organization's rules.
pub fn sop_manual(org: &Org, rules: &LendingRules, approval: &ManualApproval) -> SopManual {
    let digits = org.digits;
    let n = |v: i64| format_int(v, digits);
    let long = |d: NaiveDate| format_date_long(d, digits);
    let step = |number: i64, title: &str, who: &str, detail: String, time: &str, kind| SopStep {
        number: n(number),
        title: title.into(),
        who: who.into(),
        detail,
        time_standard: digits.apply(time),
        kind,
    };
    let mut rule_lines = vec!["ยืมได้เฉพาะพัสดุที่กำหนดให้ยืมได้ในทะเบียนพัสดุ และต้องใช้เพื่อประโยชน์ของทางราชการเท่านั้น".to_string()];
    rule_lines.push(format!("ระยะเวลายืมแต่ละครั้งไม่เกิน {} วัน", n(rules.max_loan_days as i64)));
    rule_lines.push(format!("ยื่นคำขอยืมล่วงหน้าได้ไม่เกิน {} วันก่อนวันที่ยืม", n(rules.booking_horizon_days as i64)));
    rule_lines.push("ผู้ขอยืมหรือผู้ยื่นคำขอจะเป็นผู้อนุมัติคำขอนั้นเองไม่ได้".into());
    // Items can hold several units (50 chairs under one record): the rule is about units, and
    // consumables keep the reserve the office needs for itself (ข้อ ๒๑๐).
    rule_lines.push("ในช่วงวันที่ทับกัน จำนวนที่ให้ยืมรวมกันต้องไม่เกินจำนวนที่มีอยู่ และวัสดุต้องเหลือไว้ใช้ในราชการตามจำนวนที่กำหนด".into());
    rule_lines.push(format!(
        "ผู้มีอำนาจอนุมัติ: ใช้ภายในสถานที่ – {}; นำออกไปใช้นอกสถานที่ – {}; ยืมระหว่างหน่วยงานของรัฐ – {} (ไม่ต่ำกว่าที่ระเบียบฯ ข้อ ๒๐๘ กำหนด)",
        rules.approver_inside.label_th(),
        rules.approver_outside.label_th(),
        rules.approver_agency.label_th()
    ));
    rule_lines.extend(rules.extra_rules_th.iter().cloned());
    let follow = n(rules.follow_up_days as i64);
    let count_day = calendar::stock_count_start(approval.fiscal_year.be(), &rules.holidays);
    SopManual {
        title: "คู่มือการยืม-คืนพัสดุ".into(),
        org_name: org.name.clone(),
        fiscal_year: format!("ประจำปีงบประมาณ พ.ศ. {}", crate::thai::format_year_be(approval.fiscal_year.be(), digits)),
        issued_on: format!("ประกาศ ณ วันที่ {}", long(approval.approved_on)),
        approved_by: vec![
            format!("({})", approval.approver_name.trim()),
            approval.approver_position.trim().to_string(),
        ],
        purpose: vec![
            format!(
                "เพื่อให้การยืมและการส่งคืนพัสดุของ{}เป็นไปตามระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐ มีขั้นตอนที่ชัดเจน ตรวจสอบได้ และป้องกันการนำทรัพย์สินของทางราชการไปใช้เพื่อประโยชน์ส่วนตน",
                org.name
            ),
            format!("คู่มือนี้ใช้กับบุคลากรของ{} และบุคคลหรือหน่วยงานของรัฐที่ขอยืมพัสดุ", org.name),
        ],
        legal_basis_intro: super::regulation::LEGAL_BASIS_INTRO.into(),
        legal_basis: super::regulation::legal_basis(),
        legal_source: super::regulation::SOURCE_TH.into(),
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
                "การตรวจสอบพัสดุประจำปีเริ่มวันทำการแรกของเดือนตุลาคม ({}) ก่อนวันดังกล่าวเจ้าหน้าที่พัสดุจัดทำรายการพัสดุที่ยังไม่ส่งคืนเสนอหัวหน้าหน่วยพัสดุ (เอกสารภายใน) และเรียกคืนพัสดุทุกรายการ",
                long(count_day)
            ),
        ],
        annex: vec![
            "แบบฟอร์มการยืมพัสดุ (พิมพ์จากระบบสำหรับการยืมแต่ละครั้ง พร้อมช่องลงนามผู้ยืม ผู้อนุมัติ ผู้ส่งมอบ และผู้รับคืน)".into(),
            format!("คู่มือนี้เผยแพร่บนเว็บไซต์ของ{} และแจ้งเวียนให้บุคลากรทุกคนทราบและถือปฏิบัติ", org.name),
        ],
        thai_digits: digits == Digits::Thai,
    }
}

/// The loans still out (handed over, or awaiting settlement) as of `today`, before the stock count
/// that closes `today`'s fiscal year.
pub fn outstanding_list(org: &Org, rules: &LendingRules, loans: &[Loan], today: NaiveDate) -> OutstandingList {
    let digits = org.digits;
    let long = |d: NaiveDate| format_date_long(d, digits);
    let count_day = calendar::stock_count_start(FiscalYear::of(today).be(), &rules.holidays);
    OutstandingList {
        title: "รายการพัสดุที่ยังไม่ส่งคืน".into(),
        org_name: org.name.clone(),
        heading: format!(
            "ณ วันที่ {} ก่อนการตรวจสอบพัสดุประจำปีซึ่งเริ่มวันที่ {} (เอกสารภายใน มีข้อมูลส่วนบุคคล ห้ามเผยแพร่)",
            long(today),
            long(count_day)
        ),
        loans: loans
            .iter()
            .filter(|l| matches!(l.status, LoanStatus::HandedOver | LoanStatus::AwaitingSettlement))
            .map(|l| OutstandingLoan {
                loan_number: format_int(l.id.0, digits),
                asset_number: l.asset_number.clone(),
                item: l.item_name.clone(),
                borrower: l.borrower_name.clone(),
                due_date: long(l.due),
                status: match l.follow_up(today, rules) {
                    Some(calendar::FollowUpState::Overdue { days, .. }) => {
                        format!("เกินกำหนด {} วัน", format_int(days, digits))
                    }
                    _ => l.status.label_th().to_string(),
                },
            })
            .collect(),
        none: "ไม่มีพัสดุค้างส่งคืน".into(),
        thai_digits: digits == Digits::Thai,
    }
}
