//! The QR posters for a survey (`prongsai survey poster`, the staff page's download): a page for
//! each service point and for each service the point gives, each QR holding the absolute URL of
//! the form with that point (and service) filled in, under the install's public URL.

use serde_json::{Value, json};

use crate::docs::pdf::{KEEP_TOGETHER, PdfEngine, known_names, line_items};
use crate::queue::ticket_doc::qr_svg;

const TEMPLATE: &str = include_str!("poster.typ");

/// One poster page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PosterPage {
    /// "จุดบริการ ศูนย์บริการร่วม · งานบริการ …"
    pub place: String,
    pub url: String,
}

/// Paper size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    A5,
}

impl Paper {
    pub fn parse(s: &str) -> Option<Paper> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "a5" => Some(Paper::A5),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A5 => "a5",
        }
    }
}

/// The form's absolute URL for a place.
pub fn form_url(public_url: &str, slug: &str, survey: i64, point: Option<i64>, service: Option<i64>) -> String {
    let mut url = format!("{}/o/{slug}/survey/{survey}", public_url.trim_end_matches('/'));
    let mut sep = '?';
    if let Some(p) = point {
        url.push_str(&format!("{sep}point={p}"));
        sep = '&';
    }
    if let Some(s) = service {
        url.push_str(&format!("{sep}service={s}"));
    }
    url
}

/// The instructions printed under the QR.
pub const STEPS: [&str; 4] = [
    "๑. เปิดกล้องโทรศัพท์มือถือ แล้วส่องที่ QR Code นี้",
    "๒. แตะลิงก์ที่ปรากฏ เพื่อเปิดแบบประเมิน (ไม่ต้องติดตั้งแอปและไม่ต้องเข้าสู่ระบบ)",
    "๓. เลือกระดับความพึงพอใจทุกข้อ แล้วกด \"ส่งแบบประเมิน\"",
    "แบบประเมินไม่ถามชื่อหรือเลขประจำตัวประชาชน ผลการประเมินเผยแพร่ต่อสาธารณะบนเว็บไซต์ของหน่วยงาน",
];

pub fn data(org: &str, pages: &[PosterPage], paper: Paper, digits: crate::thai::Digits) -> Value {
    let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
    keep.extend(known_names(&[org]));
    let line = |s: &str| Value::from(line_items(s, &keep));
    json!({
        "title_text": format!("QR ประเมินความพึงพอใจ {org}"),
        "org": line(org),
        "heading": line("ประเมินความพึงพอใจต่อการให้บริการ"),
        "scan": line("สแกน QR Code เพื่อประเมินความพึงพอใจ"),
        "steps": STEPS.iter().map(|s| line(&digits.apply(s))).collect::<Vec<_>>(),
        "paper": paper.code(),
        "pages": pages.iter().map(|p| json!({ "place": line(&p.place), "url": p.url })).collect::<Vec<_>>(),
    })
}

pub fn pdf(
    engine: &PdfEngine,
    org: &str,
    pages: &[PosterPage],
    paper: Paper,
    digits: crate::thai::Digits,
) -> anyhow::Result<Vec<u8>> {
    let names: Vec<String> = (0..pages.len()).map(|i| format!("qr-{i}.svg")).collect();
    let files: Vec<(&str, Vec<u8>)> = names.iter().zip(pages).map(|(n, p)| (n.as_str(), qr_svg(&p.url))).collect();
    engine.render_with_files(TEMPLATE, &data(org, pages, paper, digits), &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_url_is_absolute_with_its_place() {
        assert_eq!(
            form_url("https://x.go.th/", "mk", 3, Some(1), Some(9)),
            "https://x.go.th/o/mk/survey/3?point=1&service=9"
        );
        assert_eq!(form_url("https://x.go.th", "mk", 3, None, Some(9)), "https://x.go.th/o/mk/survey/3?service=9");
        assert_eq!(form_url("https://x.go.th", "mk", 3, None, None), "https://x.go.th/o/mk/survey/3");
    }
}
