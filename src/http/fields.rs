//! The input rule of [`crate::text`] applied to every form field, in the extractors (url-encoded
//! forms, multipart text fields and file names), at the login and to every URL: a refused
//! character is a 422 naming the field in Thai, before any handler or query sees it.

use std::borrow::Cow;

use super::AppError;
use super::form_errors::FieldErrors;
use crate::text::{self, Lines};

/// Fields that keep line breaks (textareas whose lines mean something). Other fields are one line:
/// a pasted line separator becomes a space. (The measure title is a textarea too, but its rule
/// joins its lines into one.)
const MULTILINE: [&str; 22] = [
    "methods",
    "results",
    "outcomes",
    "responsible",
    "intro",
    "holidays",
    "extra_rules",
    "rule_note",
    // A service's manual (services/) and the import's pasted file.
    "legal_basis",
    "place",
    "hours",
    "criteria",
    "complaints",
    "remarks",
    "pasted",
    // The citizen's comment on a survey (survey/answers.rs reads it with the same rule).
    "comment",
    // The public site (issue 16): an office's address, a news post, a document's description, a
    // council meeting's agenda, a consultation's description and summary, a citizen's opinion.
    "address",
    "body",
    "description",
    "agenda",
    "summary",
    // The staff's reply to a complaint (complaints/).
    "reply",
];

/// The survey editor's respondent facts: `f0_options`, `f1_options`, … (one option a line).
const MULTILINE_SUFFIX: &str = "_options";
/// The ITA analysis's issues to fix, one textarea per indicator (`issues_1` … `issues_10`).
const MULTILINE_NUMBERED: &str = "issues_";

fn is_multiline(name: &str) -> bool {
    let numbered_option = name
        .strip_suffix(MULTILINE_SUFFIX)
        .and_then(|n| n.strip_prefix('f'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let numbered_issues =
        name.strip_prefix(MULTILINE_NUMBERED).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    MULTILINE.contains(&name) || numbered_option || numbered_issues
}

/// Secrets are left exactly as typed: changing a password's characters would lock its owner out.
const UNTOUCHED: [&str; 5] = ["_csrf", "password", "current", "new", "repeat"];

/// The field's name as a person knows it.
pub fn label_th(name: &str) -> Cow<'_, str> {
    let label = match name {
        "username" => "ชื่อผู้ใช้",
        "org" => "รหัสหน่วยงาน",
        "display_name" => "ชื่อ-นามสกุล",
        "email" => "อีเมล",
        "title" => "ชื่อเรื่อง",
        "methods" => "วิธีดำเนินการ",
        "results" => "ผลการดำเนินการ",
        "outcomes" => "ผลลัพธ์หรือความสำเร็จ",
        "responsible" => "ผู้รับผิดชอบ",
        "period" => "ระยะเวลาดำเนินการ",
        "progress" => "ความคืบหน้า",
        "intro" => "ข้อความนำ",
        "rule_note" => "คำอธิบายกฎการเรียกคิว",
        "reason" => "เหตุผล",
        "url" => "ลิงก์",
        "year" => "ปีงบประมาณ",
        "asset_number" => "เลขครุภัณฑ์",
        "name" => "ชื่อ",
        "category" => "ประเภท",
        "location" => "สถานที่เก็บ",
        "condition" => "สภาพ",
        "borrower_name" => "ชื่อผู้ยืม",
        "borrower_position" => "ตำแหน่ง",
        "borrower_unit" => "สังกัด",
        "purpose" => "วัตถุประสงค์",
        "place_of_use" => "สถานที่ใช้งาน",
        "urgent_need" => "ความจำเป็นเร่งด่วน",
        "note" => "หมายเหตุ",
        "holidays" => "วันหยุด",
        "division" => "หน่วยงานที่รับผิดชอบ",
        "legal_basis" => "กฎหมายที่ให้อำนาจ",
        "place" => "สถานที่และช่องทางการให้บริการ",
        "hours" => "วันและเวลาเปิดให้บริการ",
        "criteria" => "หลักเกณฑ์ วิธีการ และเงื่อนไข",
        "time_basis" => "ที่มาของระยะเวลา",
        "complaints" => "ช่องทางการร้องเรียน",
        "remarks" => "หมายเหตุ",
        "step_what" => "ขั้นตอน",
        "step_who" => "ผู้รับผิดชอบขั้นตอน",
        "doc_name" => "เอกสาร",
        "doc_issued_by" => "หน่วยงานที่ออกเอกสาร",
        "fee_what" => "รายการค่าธรรมเนียม",
        "fee_note" => "หมายเหตุค่าธรรมเนียม",
        "form_title" => "ชื่อแบบฟอร์ม",
        "pasted" => "ข้อความที่วาง",
        "extra_rules" => "ข้อกำหนดเพิ่มเติม",
        "file_name" => "ชื่อไฟล์",
        "address" => "ที่อยู่",
        "phone" => "หมายเลขโทรศัพท์",
        "office_hours" => "เวลาทำการ",
        "map_url" => "ลิงก์แผนที่",
        "name_en" => "ชื่อภาษาอังกฤษ",
        "body" => "เนื้อหา",
        "description" => "คำอธิบาย",
        "issued_on" => "ลงวันที่",
        "fiscal_year" => "ปีงบประมาณ",
        "agenda" => "ระเบียบวาระ",
        "seats" => "จำนวนที่นั่ง",
        "summary" => "สรุปความคิดเห็น",
        "contact" => "ช่องทางติดต่อกลับ",
        "caption" => "คำบรรยายรูป",
        "subject" => "หัวเรื่อง",
        "line_id" => "LINE ID",
        "reply" => "คำตอบถึงผู้ร้องเรียน",
        "start" => "วันที่ยืม",
        "due" => "กำหนดส่งคืน",
        "on" => "วันที่",
        "use_type" => "ลักษณะการใช้",
        "photo" => "รูปพัสดุ",
        "class" => "ชนิด",
        "max_loan_days" => "ระยะเวลายืมสูงสุด",
        "booking_horizon_days" => "จองล่วงหน้าได้ไม่เกิน",
        "follow_up_days" => "จำนวนวันที่ต้องติดตามทวงคืน",
        "remind_days_before_due" => "จำนวนวันที่แจ้งเตือนก่อนครบกำหนด",
        "approver_inside" | "approver_outside" | "approver_agency" => "ผู้มีอำนาจอนุมัติ",
        "damage" => "ผลการตรวจสภาพ",
        "settlement" => "วิธีชดใช้",
        other => return Cow::Owned(format!("“{other}”")),
    };
    Cow::Borrowed(label)
}

/// Refuses (422) a request whose decoded path or query holds a character the input rule refuses:
/// such a value reaches no handler or store (a NUL in an organization's slug or an asset number
/// was a PostgreSQL error, a 500, on public pages).
pub async fn refuse_controls_in_uri(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let uri = req.uri();
    let raw = [uri.path(), uri.query().unwrap_or("")];
    let bad = raw.iter().find_map(|part| {
        let decoded = urlencoding::decode_binary(part.as_bytes());
        String::from_utf8_lossy(&decoded).chars().find(|c| text::is_refused(*c))
    });
    match bad {
        Some(c) => {
            let bad = text::BadChar { ch: c, line: 1, column: 1 };
            AppError::Invalid(format!("ที่อยู่เว็บ (URL) {}", bad.what_th())).into_response()
        }
        None => next.run(req).await,
    }
}

/// Applies the input rule to one field's value.
pub fn clean_field<'a>(name: &str, value: &'a str) -> Result<Cow<'a, str>, AppError> {
    if UNTOUCHED.contains(&name) {
        return Ok(Cow::Borrowed(value));
    }
    let lines = if is_multiline(name) { Lines::Many } else { Lines::One };
    text::clean(value, lines).map_err(|bad| {
        let place = if lines == Lines::Many {
            format!(" บรรทัดที่ {} ตำแหน่งที่ {}", bad.line, bad.column)
        } else {
            format!(" ตำแหน่งที่ {}", bad.column)
        };
        AppError::Invalid(format!("ช่อง{}{place} {}", label_th(name), bad.what_th()))
    })
}

/// Applies the input rule to a url-encoded form body. The body comes back unchanged when nothing
/// needed cleaning (or when it is not a form at all: its own parser then says so).
pub fn clean_form(body: &[u8]) -> Result<Cow<'_, [u8]>, AppError> {
    let (body, errors) = clean_form_reporting(body)?;
    match errors.iter().next() {
        Some(first) => Err(AppError::Invalid(first.message.clone())),
        None => Ok(body),
    }
}

/// [`clean_form`] for forms that show their errors beside the fields: a refused character is
/// taken out of its field and reported for that field, so the form comes back with everything
/// else as typed.
pub fn clean_form_reporting(body: &[u8]) -> Result<(Cow<'_, [u8]>, FieldErrors), AppError> {
    let mut errors = FieldErrors::new();
    let Ok(pairs) = serde_html_form::from_bytes::<Vec<(String, String)>>(body) else {
        return Ok((Cow::Borrowed(body), errors));
    };
    let mut changed = false;
    let mut cleaned = Vec::with_capacity(pairs.len());
    for (name, value) in &pairs {
        let value = match clean_field(name, value) {
            Ok(value) => value,
            Err(AppError::Invalid(message)) => {
                errors.add(name, message);
                let kept: String = value.chars().filter(|c| !text::is_refused(*c)).collect();
                Cow::Owned(clean_field(name, &kept)?.into_owned())
            }
            Err(other) => return Err(other),
        };
        changed |= matches!(value, Cow::Owned(_));
        cleaned.push((name.as_str(), value));
    }
    if !changed {
        return Ok((Cow::Borrowed(body), errors));
    }
    let encoded = serde_html_form::to_string(&cleaned).map_err(|e| AppError::Internal(e.into()))?;
    Ok((Cow::Owned(encoded.into_bytes()), errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: AppError) -> String {
        match e {
            AppError::Invalid(m) => m,
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn a_nul_byte_is_refused_naming_the_field_in_thai() {
        let m = message(clean_form(b"_csrf=x&username=ad%00min").unwrap_err());
        assert!(m.contains("ช่องชื่อผู้ใช้ ตำแหน่งที่ 3"), "{m}");
        assert!(m.contains("U+0000 (NUL)"), "{m}");
        let m = message(clean_form("methods=%E0%B8%81%0A%E0%B8%82%1B".as_bytes()).unwrap_err());
        assert!(m.contains("ช่องวิธีดำเนินการ บรรทัดที่ 2 ตำแหน่งที่ 2"), "{m}");
    }

    #[test]
    fn a_kept_form_loses_only_the_refused_character_and_names_its_field() {
        let (body, errors) = clean_form_reporting(b"purpose=a%00b&place_of_use=x").unwrap();
        let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&body).unwrap();
        assert_eq!(pairs, [("purpose".into(), "ab".into()), ("place_of_use".into(), "x".into())]);
        assert!(errors.get("purpose").unwrap().contains("ช่องวัตถุประสงค์"), "{errors:?}");
    }

    #[test]
    fn vertical_tabs_become_line_breaks_in_textareas_and_spaces_elsewhere() {
        let body = clean_form(b"methods=a%0Bb&title=c%0Bd&x=1").unwrap();
        let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&body).unwrap();
        assert_eq!(
            pairs,
            [("methods".into(), "a\nb".into()), ("title".into(), "c d".into()), ("x".into(), "1".into())]
        );
    }

    #[test]
    fn clean_forms_and_passwords_pass_unchanged() {
        let body = b"_csrf=t&title=%E0%B8%81&methods=a%0D%0Ab";
        assert!(matches!(clean_form(body).unwrap(), Cow::Borrowed(b) if b == body));
        let body = b"password=a%00%0Bb";
        assert!(matches!(clean_form(body).unwrap(), Cow::Borrowed(b) if b == body));
    }

    /// Every textarea of the templates is either multi-line here or a title (joined into one line).
    #[test]
    fn the_multiline_fields_are_the_templates_textareas() {
        let mut textareas = std::collections::BTreeSet::new();
        for (_, html) in crate::source_files::under("templates") {
            for tag in html.split("<textarea").skip(1) {
                let name = tag.split("name=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
                // A numbered field (`f{{ fi }}_options`) stands for its suffix.
                let name = if name.ends_with(MULTILINE_SUFFIX) {
                    MULTILINE_SUFFIX
                } else if name.starts_with(MULTILINE_NUMBERED) {
                    MULTILINE_NUMBERED
                } else {
                    name
                };
                textareas.insert(name.to_string());
            }
        }
        let expected: std::collections::BTreeSet<String> =
            MULTILINE.iter().chain(&["title", MULTILINE_SUFFIX, MULTILINE_NUMBERED]).map(|s| s.to_string()).collect();
        assert_eq!(textareas, expected);
    }
}
