//! The JSON file: `{"format": "prongsai-services", "version": 1, "services": [manual, …]}`, each
//! manual with the fields of `manual::Manual` (fees in satang). Unknown fields are refused, so a
//! misspelt one is not silently lost.

use serde::{Deserialize, Serialize};

use super::json_lines::{line_of, path_at, positions};
use super::{FileProblem, Locate, Parsed};
use crate::services::manual::Manual;
use crate::services::rules::Part;

const FORMAT: &str = "prongsai-services";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    services: Vec<Manual>,
}

pub fn write(manuals: &[Manual]) -> anyhow::Result<String> {
    let file = File { format: FORMAT.into(), version: 1, services: manuals.to_vec() };
    Ok(serde_json::to_string_pretty(&file)? + "\n")
}

/// The key of a rule's column in the file.
fn key(part: Part, column: &'static str) -> &'static str {
    match (part, column) {
        (Part::Step(_), "counter") => "at_counter",
        (Part::Fee(_), "amount") => "satang",
        (_, c) => c,
    }
}

pub(super) fn parse(text: &str) -> Result<Parsed, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: File = serde_json::from_str(text).map_err(|e| refused(text, &e))?;
    if file.format != FORMAT || file.version != 1 {
        return Err(FileProblem {
            line: line_of(&positions(text), "format"),
            field: "format".into(),
            message: format!("ไม่ใช่ไฟล์งานบริการของระบบ (ต้องมี \"format\": \"{FORMAT}\" และ \"version\": 1)"),
        });
    }
    let count = file.services.len();
    let places = (0..count)
        .map(|i| {
            let text = text.to_string();
            Box::new(move |part: Part, column: &'static str| {
                let item = match part {
                    Part::Field(_) => String::new(),
                    Part::Step(j) => format!("/steps/{j}"),
                    Part::Document(j) => format!("/documents/{j}"),
                    Part::Fee(j) => format!("/fees/{j}"),
                };
                let key = key(part, column);
                (line_of(&positions(&text), &format!("services/{i}{item}/{key}")), key.to_string())
            }) as Locate
        })
        .collect();
    let manuals = file.services.into_iter().map(Manual::normalized).collect();
    Ok(Parsed { manuals, places })
}

/// serde's refusal in Thai, with its line and the field it was reading.
fn refused(text: &str, e: &serde_json::Error) -> FileProblem {
    let detail = e.to_string();
    let detail = detail.split(" at line ").next().unwrap_or(&detail).to_string();
    let message = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("รูปแบบ JSON ไม่ถูกต้อง ({detail})")
        }
        serde_json::error::Category::Data if detail.starts_with("missing field") => {
            format!("ขาดช่องที่ต้องมี ({detail})")
        }
        serde_json::error::Category::Data if detail.starts_with("unknown field") => {
            format!("มีช่องที่ระบบไม่รู้จัก ({detail})")
        }
        _ => format!("ข้อมูลไม่ถูกชนิด เช่น ตัวเลขต้องไม่อยู่ในเครื่องหมายคำพูด ({detail})"),
    };
    let positions = positions(text);
    let field = match e.classify() {
        serde_json::error::Category::Data => path_at(&positions, e.line(), e.column())
            .and_then(|p| p.rsplit('/').next())
            .filter(|k| k.parse::<usize>().is_err())
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    };
    FileProblem { line: e.line(), field, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_type_is_named_by_its_line_and_field() {
        let text = "{\n\"format\": \"prongsai-services\",\n\"version\": 1,\n\"services\": [{\n\"name\": \"ก\", \"division\": \"ข\", \"place\": \"ค\", \"hours\": \"ง\",\n\"steps\": [{\"what\": \"x\", \"who\": \"y\",\n\"amount\": \"15\", \"unit\": \"minutes\"}]}]}";
        let Err(p) = parse(text) else { panic!("accepted") };
        assert_eq!((p.line, p.field.as_str()), (7, "amount"), "{p}");
        assert!(p.to_string().starts_with("บรรทัดที่ 7 ช่อง “amount”"), "{p}");
    }

    #[test]
    fn an_unknown_field_is_refused_not_dropped() {
        let text =
            "{\"format\": \"prongsai-services\", \"version\": 1, \"services\": [{\"name\": \"ก\",\n \"fee\": []}]}";
        let Err(p) = parse(text) else { panic!("accepted") };
        assert_eq!(p.line, 2);
        assert!(p.message.contains("ไม่รู้จัก"), "{p}");
    }
}
