//! The lending documents as print-ready text: what the caller (routes, CLI) hands the renderers.
//!
//! Every string is final: digits already converted (Thai or Arabic), dates already written, numbers
//! already formatted. The renderers only lay the text out. `None` means "not filled in yet": the
//! printed form shows a dotted line to write on by hand.

use serde::{Deserialize, Serialize};

/// A sheet of QR labels for items (3 × 8 stickers of 70 × 37 mm per A4 page).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LabelSheet {
    /// The organization's short name printed on every label, e.g. "อบต.แม่คะตวน".
    pub org_short_name: String,
    /// The labels, in reading order (left to right, then down).
    pub labels: Vec<Label>,
}

/// One sticker: the QR code of the item's page, its asset number and name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Label {
    /// The asset number, printed large, e.g. "416-66-0001".
    pub asset_number: String,
    /// The item's name; wraps between words, e.g. "เครื่องฉายภาพ (โปรเจคเตอร์)".
    pub item_name: String,
    /// The absolute URL the QR code holds, e.g. "http://127.0.0.1:8080/o/mae-khatuan/items/416-66-0001".
    pub url: String,
}

/// A person who signs: name and position, each `None` when still to be written by hand.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Signatory {
    /// Full name with title, e.g. "นายสมชาย ใจดี"; printed in parentheses under the signature line.
    pub name: Option<String>,
    /// Position or duty title, e.g. "นายกองค์การบริหารส่วนตำบลแม่คะตวน".
    pub position: Option<String>,
    /// The date of signing, e.g. "๑๒ มีนาคม ๒๕๖๗".
    pub date: Option<String>,
}

/// One row of the form's item table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoanFormItem {
    /// e.g. "416-66-0001".
    pub asset_number: String,
    /// e.g. "เครื่องฉายภาพ (โปรเจคเตอร์)".
    pub name: String,
    /// Quantity with its unit, e.g. "๑ เครื่อง".
    pub quantity: String,
    /// Condition at hand-over, e.g. "ใช้งานได้ปกติ"; `None` before hand-over.
    pub condition_at_handover: Option<String>,
}

/// Where, and by whom, the items are used: decides the approver (MoF regulation 2560, clause 208).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// Inside the organization's premises (head of the supplies unit approves).
    Inside,
    /// Outside the premises (only the head of the organization approves).
    Outside,
    /// Lent to another state agency (ข้อ ๒๐๘ (๑)): neither box of a person's use is ticked.
    Agency,
}

/// The return and inspection part of the form; every field `None` until the item comes back.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReturnSection {
    /// e.g. "๒๐ มีนาคม ๒๕๖๗".
    pub returned_on: Option<String>,
    /// e.g. "ใช้งานได้ปกติ" or "ขาตั้งหัก ๑ ขา".
    pub condition: Option<String>,
    /// How damage or loss was settled (repair, replacement, payment) or "ไม่มีความเสียหาย".
    pub settlement: Option<String>,
}

/// "แบบฟอร์มการยืมพัสดุ" for one loan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoanForm {
    /// e.g. "แบบฟอร์มการยืมพัสดุ".
    pub title: String,
    /// The loan's number, e.g. "ยพ. ๐๑๒/๒๕๖๗".
    pub loan_number: String,
    /// The organization's full name, kept whole when lines break.
    pub org_name: String,
    /// "เขียนที่ …", e.g. "องค์การบริหารส่วนตำบลแม่คะตวน".
    pub written_at: String,
    /// "วันที่ …" (the request date).
    pub written_on: String,
    /// "เรียน …", the approver's duty title, e.g. "นายกองค์การบริหารส่วนตำบลแม่คะตวน".
    pub addressed_to: String,
    /// The borrower's name, e.g. "นางสาวมาลี ศรีสุข", or the borrowing agency's.
    pub borrower_name: String,
    /// The borrower is a state agency: the form says "หน่วยงาน … ขอยืม", not "ข้าพเจ้า … ตำแหน่ง".
    pub borrower_is_agency: bool,
    /// e.g. "นักวิชาการศึกษา".
    pub borrower_position: String,
    /// Division or agency, e.g. "กองการศึกษา ศาสนาและวัฒนธรรม".
    pub borrower_division: String,
    /// The items lent.
    pub items: Vec<LoanFormItem>,
    /// Why, e.g. "ใช้ในการจัดอบรม…".
    pub purpose: String,
    /// Inside or outside the premises (which box is ticked).
    pub place_kind: PlaceKind,
    /// The place in words, e.g. "ศาลาอเนกประสงค์ หมู่ที่ ๓ บ้านแม่คะตวน".
    pub place: String,
    /// e.g. "๑๕ มีนาคม ๒๕๖๗".
    pub borrow_date: String,
    /// e.g. "๑๙ มีนาคม ๒๕๖๗".
    pub due_date: String,
    /// The rules that apply to this loan, one paragraph each.
    pub rules: Vec<String>,
    /// The borrower's signature block (name usually known).
    pub borrower: Signatory,
    /// The approver, with the duty title as `position`.
    pub approver: Signatory,
    /// The decision on record: `Some(true)` approved, `Some(false)` not approved, `None` pending
    /// (both boxes empty, to tick by hand).
    pub decision: Option<bool>,
    /// The approver's note, if any.
    pub decision_note: Option<String>,
    /// The officer who hands the items over.
    pub handed_over_by: Signatory,
    /// The officer who receives the items back.
    pub received_by: Signatory,
    /// The return section.
    pub returned: ReturnSection,
}

/// A clause of the regulation in plain Thai.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LegalClause {
    /// e.g. "ข้อ ๒๐๘".
    pub clause: String,
    /// e.g. "การยืมพัสดุประเภทใช้คงรูป …".
    pub text: String,
}

/// What a step is in the flowchart.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A plain box.
    Process,
    /// A decision diamond: approved goes on, rejected ends the flow.
    Approval,
    /// A box followed by the "damaged or lost?" diamond: yes goes on to the settlement steps, no skips them.
    Inspection,
    /// A box reached only when the item came back damaged or lost.
    Settlement,
}

/// One step of the procedure (a table row and a flowchart node).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SopStep {
    /// e.g. "๑".
    pub number: String,
    /// e.g. "ยื่นคำขอยืมพัสดุ".
    pub title: String,
    /// Who does it, e.g. "ผู้ยืม".
    pub who: String,
    /// What is done, in one paragraph.
    pub detail: String,
    /// e.g. "๑ วันทำการ".
    pub time_standard: String,
    /// Its shape in the flowchart.
    pub kind: StepKind,
}

/// The words printed on the flowchart besides the steps.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FlowLabels {
    /// e.g. "เริ่มต้น".
    pub start: String,
    /// e.g. "สิ้นสุด".
    pub end: String,
    /// On the arrow out of the approval diamond going on, e.g. "อนุมัติ".
    pub approved: String,
    /// On the arrow to the side end, e.g. "ไม่อนุมัติ".
    pub rejected: String,
    /// The side end of a rejected request, e.g. "แจ้งผู้ยืมทราบ / สิ้นสุด".
    pub rejected_end: String,
    /// The inspection diamond, e.g. "ชำรุดหรือสูญหาย?".
    pub damaged: String,
    /// e.g. "ใช่".
    pub yes: String,
    /// e.g. "ไม่ใช่".
    pub no: String,
}

/// A loan still out, listed for the annual stock count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutstandingLoan {
    pub loan_number: String,
    pub asset_number: String,
    pub item: String,
    pub borrower: String,
    pub due_date: String,
    /// e.g. "เกินกำหนด ๓ วัน" or "ยังไม่ถึงกำหนด".
    pub status: String,
}

/// "คู่มือการยืม-คืนพัสดุ" of one organization.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SopManual {
    /// e.g. "คู่มือการยืม-คืนพัสดุ".
    pub title: String,
    /// The organization's full name.
    pub org_name: String,
    /// e.g. "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗".
    pub fiscal_year: String,
    /// e.g. "ประกาศ ณ วันที่ ๑ ตุลาคม ๒๕๖๖".
    pub issued_on: String,
    /// Who approved the manual, lines under the date: "(นายประเสริฐ วงศ์คำ)", "นายก…". Empty in a
    /// draft.
    pub approved_by: Vec<String>,
    /// Paragraphs of the purpose section.
    pub purpose: Vec<String>,
    /// The regulation's name, a line before the clauses.
    pub legal_basis_intro: String,
    /// Clauses 207–211 in plain Thai.
    pub legal_basis: Vec<LegalClause>,
    /// Where the clause texts come from (the Gazette's volume, part and date).
    pub legal_source: String,
    /// The organization's own rules, one item each.
    pub rules: Vec<String>,
    /// The procedure's steps, in order.
    pub steps: Vec<SopStep>,
    /// Words of the flowchart.
    pub flow: FlowLabels,
    /// Paragraphs of the monitoring section (the 7-day follow-up, the stock count). The manual is
    /// published: it names no borrower and lists no loan (those are in [`OutstandingList`]).
    pub monitoring: Vec<String>,
    /// Paragraphs of the forms annex note.
    pub annex: Vec<String>,
    /// Page numbers in Thai digits.
    pub thai_digits: bool,
}

/// "รายการพัสดุที่ยังไม่ส่งคืน": the loans still out before the stock count, with borrowers' names.
/// A staff document, never published.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutstandingList {
    pub title: String,
    pub org_name: String,
    /// e.g. "ณ วันที่ ๑๕ กันยายน ๒๕๖๗ ก่อนการตรวจสอบพัสดุประจำปีซึ่งเริ่ม ๑ ตุลาคม ๒๕๖๗".
    pub heading: String,
    /// Loans still out; an empty list prints `none`.
    pub loans: Vec<OutstandingLoan>,
    /// e.g. "ไม่มีพัสดุค้างส่งคืน".
    pub none: String,
    /// Page numbers in Thai digits.
    pub thai_digits: bool,
}

/// The summary counts of the loans report, formatted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoansSummary {
    pub loans: String,
    pub returned_on_time: String,
    pub overdue: String,
    pub damage_cases: String,
}

/// One loan in the report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoanRow {
    pub number: String,
    /// Asset number and name, e.g. "416-66-0001 เครื่องฉายภาพ (โปรเจคเตอร์)".
    pub item: String,
    pub borrower: String,
    pub borrowed_on: String,
    pub due_on: String,
    /// `None` while the item is still out.
    pub returned_on: Option<String>,
    /// e.g. "คืนแล้ว", "เกินกำหนด", "ชำรุด – ชดใช้แล้ว".
    pub status: String,
}

/// One item's use in the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UtilizationRow {
    pub item: String,
    /// Number of loans.
    pub loans: String,
    /// Days out in the period.
    pub days_out: String,
    /// Share of the period's days, e.g. "๑๒.๕".
    pub percent: String,
}

/// The loans report of one organization for a period (A4 landscape).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LoansReport {
    /// e.g. "รายงานการยืม-คืนพัสดุ".
    pub title: String,
    pub org_name: String,
    /// e.g. "ระหว่างวันที่ ๑ ตุลาคม ๒๕๖๖ ถึง ๓๑ มีนาคม ๒๕๖๗".
    pub period: String,
    /// e.g. "พิมพ์เมื่อ ๑ เมษายน ๒๕๖๗".
    pub printed_on: String,
    pub summary: LoansSummary,
    pub loans: Vec<LoanRow>,
    pub utilization: Vec<UtilizationRow>,
    /// Page numbers in Thai digits.
    pub thai_digits: bool,
}
