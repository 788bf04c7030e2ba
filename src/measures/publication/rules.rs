//! The measures report's life (issue 12, items 1 and 7): the year's register is the draft; an
//! executive approves the draft as it stands (the approval keeps the draft's content hash, so an
//! edit after approval needs a new approval); publishing freezes a numbered version whose PDF,
//! DOCX and HTML are rendered once and served as stored files. A correction is a new version,
//! never an edit in place. These are the pure rules; the SQL is in `store.rs`.

use chrono::NaiveDate;

use crate::docs::MeasuresReportDoc;
use crate::http::FieldErrors;
use crate::measures::report::ReportSource;
use crate::thai::{Digits, FiscalYear, be_from_ce, format_instant_th, format_int, month_full};

/// An executive's approval of one state of the draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Approval {
    pub id: i64,
    pub content_sha256: String,
    pub approver_name: String,
    pub approver_position: String,
    pub approved_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// A published version (without its files).
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub id: i64,
    pub number: i64,
    pub approval_id: i64,
    pub content_sha256: String,
    pub published_by: String,
    pub published_at: i64,
}

/// A version as its table's row is read: (id, version, approval_id, content_sha256,
/// published_by, published_at); the measures report's and the ITA documents' tables agree.
pub type VersionRow = (i64, i64, i64, String, String, i64);

impl From<VersionRow> for Version {
    fn from((id, number, approval_id, content_sha256, published_by, published_at): VersionRow) -> Self {
        Version { id, number, approval_id, content_sha256, published_by, published_at }
    }
}

/// Where a year's report stands: the draft's hash, the last approval, the versions (newest first).
#[derive(Clone, Debug)]
pub struct YearState {
    pub draft_sha256: String,
    pub has_measures: bool,
    pub approval: Option<Approval>,
    pub versions: Vec<Version>,
}

/// Why a report cannot be approved or published now.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    NoMeasures,
    NotApproved,
    /// The draft changed after the last approval.
    EditedAfterApproval,
    /// The last approval is already published as this version.
    AlreadyPublished(i64),
    /// The draft (or the versions) changed while this request was under way.
    ChangedMeanwhile,
}

impl Refusal {
    pub fn message_th(&self, digits: Digits) -> String {
        match self {
            Refusal::NoMeasures => "ยังไม่มีมาตรการในปีงบประมาณนี้ จึงยังเห็นชอบหรือเผยแพร่รายงานไม่ได้".into(),
            Refusal::NotApproved => "ยังเผยแพร่ไม่ได้: ร่างรายงานยังไม่ได้รับความเห็นชอบจากผู้บริหาร".into(),
            Refusal::EditedAfterApproval => "ยังเผยแพร่ไม่ได้: ร่างรายงานถูกแก้ไขหลังจากผู้บริหารเห็นชอบ \
                 ต้องให้ผู้บริหารเห็นชอบร่างฉบับปัจจุบันอีกครั้งก่อนเผยแพร่"
                .into(),
            Refusal::AlreadyPublished(n) => format!(
                "ร่างที่ผู้บริหารเห็นชอบนี้เผยแพร่แล้วเป็นฉบับที่ {} หากต้องการแก้ไข ให้แก้ไขร่าง ขอความเห็นชอบใหม่ แล้วจึงเผยแพร่ฉบับถัดไป",
                format_int(*n, digits)
            ),
            Refusal::ChangedMeanwhile => {
                "ร่างรายงานหรือฉบับเผยแพร่เปลี่ยนไประหว่างทำรายการนี้ กรุณาตรวจสอบหน้านี้อีกครั้งแล้วทำรายการใหม่".into()
            }
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Refusal::NoMeasures => "the year has no measures".into(),
            Refusal::NotApproved => "the draft has no executive approval (run `report approve` first)".into(),
            Refusal::EditedAfterApproval => "the draft was edited after its approval: it needs a new approval".into(),
            Refusal::AlreadyPublished(n) => format!("this approval is already published as version {n}"),
            Refusal::ChangedMeanwhile => "the draft or the versions changed meanwhile: try again".into(),
        }
    }
}

impl YearState {
    pub fn latest(&self) -> Option<&Version> {
        self.versions.first()
    }

    /// The last approval, when it approved the draft exactly as it stands.
    pub fn current_approval(&self) -> Option<&Approval> {
        self.approval.as_ref().filter(|a| a.content_sha256 == self.draft_sha256)
    }

    /// The draft differs from the latest published version (a correction not yet published).
    pub fn edited_since_published(&self) -> bool {
        self.latest().is_some_and(|v| v.content_sha256 != self.draft_sha256)
    }

    /// The approval a publication would carry, or why there is none.
    pub fn may_publish(&self) -> Result<&Approval, Refusal> {
        if !self.has_measures {
            return Err(Refusal::NoMeasures);
        }
        let approval = self.approval.as_ref().ok_or(Refusal::NotApproved)?;
        if approval.content_sha256 != self.draft_sha256 {
            return Err(Refusal::EditedAfterApproval);
        }
        if let Some(v) = self.versions.iter().find(|v| v.approval_id == approval.id) {
            return Err(Refusal::AlreadyPublished(v.number));
        }
        Ok(approval)
    }

    /// Why the draft cannot be approved now: no measures, or changed since the executive read it
    /// (`seen`, the hash of the draft they read, when given).
    pub fn may_approve(&self, seen: Option<&str>) -> Result<(), Refusal> {
        if !self.has_measures {
            Err(Refusal::NoMeasures)
        } else if seen.is_some_and(|s| s != self.draft_sha256) {
            Err(Refusal::ChangedMeanwhile)
        } else {
            Ok(())
        }
    }

    /// Why publishing is blocked, for the staff page: nothing while there is simply nothing
    /// approved yet, or the approval is published already.
    pub fn blocked_th(&self, digits: Digits) -> Option<String> {
        match self.may_publish() {
            Ok(_) | Err(Refusal::AlreadyPublished(_)) => None,
            Err(Refusal::NotApproved | Refusal::NoMeasures) if self.latest().is_none() => None,
            Err(refusal) => Some(refusal.message_th(digits)),
        }
    }

    /// The last approval in words, and whether it still covers the draft.
    pub fn approval_th(&self, digits: Digits) -> Option<(String, bool)> {
        self.approval.as_ref().map(|a| {
            let words = format!(
                "{} ตำแหน่ง {} เห็นชอบเมื่อ {}",
                a.approver_name,
                a.approver_position,
                crate::thai::format_date_long(a.approved_on, digits)
            );
            (words, self.current_approval().is_some())
        })
    }

    /// The next version's number.
    pub fn next_number(&self) -> i64 {
        self.latest().map_or(1, |v| v.number + 1)
    }

    /// The year's state in Thai, for the staff list page.
    pub fn label_th(&self, digits: Digits) -> String {
        let mut parts = Vec::new();
        match self.latest() {
            Some(v) => parts.push(format!(
                "เผยแพร่ฉบับที่ {} เมื่อ {}",
                format_int(v.number, digits),
                format_instant_th(v.published_at, digits)
            )),
            None => parts.push("ร่าง (ยังไม่เผยแพร่)".to_string()),
        }
        if self.edited_since_published() {
            parts.push("แก้ไขหลังเผยแพร่".into());
        }
        if self.current_approval().is_some() && self.may_publish().is_ok() {
            parts.push("ผู้บริหารเห็นชอบแล้ว รอเผยแพร่".into());
        } else if self.approval.is_some() && self.current_approval().is_none() && self.has_measures {
            parts.push("ร่างถูกแก้ไขหลังผู้บริหารเห็นชอบ ต้องขอความเห็นชอบใหม่".into());
        }
        parts.join(" · ")
    }
}

/// What an executive types to approve a draft.
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovalInput {
    pub approver_name: String,
    pub approver_position: String,
    pub approved_on: NaiveDate,
}

/// Field ids of the approval form (the CLI's messages name the flags instead).
pub const FIELD_NAME: &str = "approver_name";
pub const FIELD_POSITION: &str = "approver_position";
pub const FIELD_DATE: &str = "approved_on";

/// Reads the approval form's fields; each wrong field is named in Thai.
pub fn parse_approval(
    name: &str,
    position: &str,
    date: &str,
    year: FiscalYear,
    today: NaiveDate,
) -> Result<ApprovalInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let (name, position) = (name.trim(), position.trim());
    if name.is_empty() {
        errors.add(FIELD_NAME, "กรุณากรอกชื่อผู้บริหารที่เห็นชอบ (ช่อง “ชื่อผู้บริหาร”)");
    }
    if position.is_empty() {
        errors.add(FIELD_POSITION, "กรุณากรอกตำแหน่ง เช่น นายกองค์การบริหารส่วนตำบล… (ช่อง “ตำแหน่ง”)");
    }
    let date = match crate::thai::parse_date_field(date) {
        Ok(d) if d > today => {
            errors.add(FIELD_DATE, "วันที่เห็นชอบต้องไม่เป็นวันในอนาคต (ช่อง “วันที่เห็นชอบ”)");
            None
        }
        Ok(d) if d < year.start() => {
            errors.add(FIELD_DATE, "วันที่เห็นชอบต้องไม่ก่อนวันเริ่มปีงบประมาณของรายงาน (ช่อง “วันที่เห็นชอบ”)");
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.add(FIELD_DATE, format!("วันที่เห็นชอบ: {} (พิมพ์ วัน/เดือน/ปี พ.ศ. เช่น ๑๐/๑๒/๒๕๖๙)", e.message_th()));
            None
        }
    };
    match date {
        Some(approved_on) if errors.is_empty() => {
            Ok(ApprovalInput { approver_name: name.into(), approver_position: position.into(), approved_on })
        }
        _ => Err(errors),
    }
}

/// The draft's content hash: what prints, without the live figures' values (a new loan must not
/// void an approval) but with which figures each measure cites.
pub fn content_sha256(source: &mut ReportSource, cited: &[(crate::measures::MeasureId, String)]) -> String {
    content_sha256_of(source, cited, ReportSource::to_doc)
}

/// As [`content_sha256`], of another document printed from the same register (the ITA
/// documents' progress reports).
pub fn content_sha256_of<T: serde::Serialize>(
    source: &mut ReportSource,
    cited: &[(crate::measures::MeasureId, String)],
    print: impl FnOnce(&ReportSource) -> T,
) -> String {
    let figures = std::mem::take(&mut source.figures);
    let doc = print(source);
    source.figures = figures;
    let mut cited: Vec<(i64, &str)> = cited
        .iter()
        .map(|(m, code)| (source.measures.iter().position(|x| x.id == *m).map_or(-1, |p| p as i64), code.as_str()))
        .collect();
    cited.sort_unstable();
    let canonical = serde_json::json!({ "doc": doc, "figures": cited });
    crate::measures::evidence::sha256_hex(canonical.to_string().as_bytes())
}

/// `๒๙ กันยายน พ.ศ. ๒๕๖๖` (digits applied by the caller), as a signature block dates it.
fn date_with_era(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} พ.ศ. {}", date.day(), month_full(date.month()), be_from_ce(date.year()))
}

/// The published copy of the draft: no draft mark, the executive's approval at the end, the
/// version and its publication time under it.
pub fn signed(
    mut doc: MeasuresReportDoc,
    approval: &Approval,
    number: i64,
    published_at: i64,
    digits: Digits,
) -> MeasuresReportDoc {
    doc.draft_mark = None;
    doc.signature = signature(approval, digits);
    doc.version_note = Some(version_note(number, published_at, digits));
    doc
}

/// The block the ITA expects at the end of a published document: the executive's approval.
pub fn signature(approval: &Approval, digits: Digits) -> Vec<String> {
    [
        "ผู้บริหารเห็นชอบ".to_string(),
        format!("({})", approval.approver_name),
        format!("ตำแหน่ง {}", approval.approver_position),
        format!("วันที่ {}", date_with_era(approval.approved_on)),
    ]
    .iter()
    .map(|l| digits.apply(l))
    .collect()
}

/// Under the signature: "ฉบับที่ ๒ เผยแพร่เมื่อ …".
pub fn version_note(number: i64, published_at: i64, digits: Digits) -> String {
    format!("ฉบับที่ {} เผยแพร่เมื่อ {}", format_int(number, digits), format_instant_th(published_at, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval(id: i64, sha: &str) -> Approval {
        Approval {
            id,
            content_sha256: sha.into(),
            approver_name: "นายประเสริฐ ทองดี".into(),
            approver_position: "นายกองค์การบริหารส่วนตำบลแม่คะตวน".into(),
            approved_on: NaiveDate::from_ymd_opt(2023, 9, 29).unwrap(),
            recorded_by: "executive".into(),
            recorded_at: 0,
        }
    }

    fn version(number: i64, approval_id: i64, sha: &str) -> Version {
        Version {
            id: number,
            number,
            approval_id,
            content_sha256: sha.into(),
            published_by: "admin".into(),
            published_at: 1_700_000_000,
        }
    }

    fn state(approval: Option<Approval>, versions: Vec<Version>) -> YearState {
        YearState { draft_sha256: "d2".into(), has_measures: true, approval, versions }
    }

    #[test]
    fn publishing_needs_an_approval_of_the_draft_as_it_stands() {
        assert_eq!(state(None, vec![]).may_publish(), Err(Refusal::NotApproved));
        assert_eq!(state(Some(approval(1, "d1")), vec![]).may_publish(), Err(Refusal::EditedAfterApproval));
        assert_eq!(state(Some(approval(1, "d2")), vec![]).may_publish().map(|a| a.id), Ok(1));
        let no_measures = YearState { has_measures: false, ..state(Some(approval(1, "d2")), vec![]) };
        assert_eq!(no_measures.may_publish(), Err(Refusal::NoMeasures));
    }

    #[test]
    fn an_approval_is_published_once_and_a_correction_is_the_next_version() {
        let published = state(Some(approval(1, "d2")), vec![version(1, 1, "d2")]);
        assert_eq!(published.may_publish(), Err(Refusal::AlreadyPublished(1)));
        assert!(!published.edited_since_published());
        let corrected = state(Some(approval(2, "d2")), vec![version(1, 1, "d1")]);
        assert!(corrected.edited_since_published());
        assert_eq!(corrected.may_publish().map(|a| a.id), Ok(2));
        assert_eq!(corrected.next_number(), 2);
        assert!(corrected.label_th(Digits::Thai).contains("แก้ไขหลังเผยแพร่"));
    }

    #[test]
    fn the_approval_form_names_each_wrong_field() {
        let year = FiscalYear::new(2566).unwrap();
        let today = NaiveDate::from_ymd_opt(2023, 10, 5).unwrap();
        let ok = parse_approval(" นายประเสริฐ ทองดี ", "นายก อบต.", "๒๙/๙/๒๕๖๖", year, today).unwrap();
        assert_eq!(ok.approver_name, "นายประเสริฐ ทองดี");
        assert_eq!(ok.approved_on, NaiveDate::from_ymd_opt(2023, 9, 29).unwrap());
        let errors = parse_approval("", "", "๖/๑๐/๒๕๖๖", year, today).unwrap_err();
        assert!(errors.has(FIELD_NAME) && errors.has(FIELD_POSITION) && errors.has(FIELD_DATE));
        assert!(parse_approval("ก", "ข", "1/9/2565", year, today).unwrap_err().has(FIELD_DATE), "before the year");
        assert!(parse_approval("ก", "ข", "วันนี้", year, today).unwrap_err().has(FIELD_DATE));
    }

    #[test]
    fn the_signed_copy_prints_the_approver_in_the_organizations_digits() {
        let doc = signed(MeasuresReportDoc::sample(), &approval(1, "x"), 2, 1_695_960_000, Digits::Thai);
        assert_eq!(doc.draft_mark, None);
        assert_eq!(
            doc.signature,
            ["ผู้บริหารเห็นชอบ", "(นายประเสริฐ ทองดี)", "ตำแหน่ง นายกองค์การบริหารส่วนตำบลแม่คะตวน", "วันที่ ๒๙ กันยายน พ.ศ. ๒๕๖๖"]
        );
        assert!(doc.version_note.unwrap().starts_with("ฉบับที่ ๒ เผยแพร่เมื่อ ๒๙ ก.ย. ๒๕๖๖"));
    }
}
