//! The catalogue's drafts as files: JSON (every field, for programs) and CSV (one row per item,
//! for Excel). Export then import gives back the same manuals, so a second export is the same
//! file. An import is checked whole before anything is written and applied in one transaction: a
//! refused file names its line and field in Thai and changes nothing. Uploaded forms are not in
//! the files (their bytes are not); an import keeps the forms a draft already offers.

mod csv;
mod json;
mod json_lines;

use super::manual::Manual;
use super::rules::{self, Part};
use super::{ServiceId, drafts, store};
use crate::db::Db;
use crate::orgs::OrgId;

/// The two file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// By a file name's extension; anything else is read by its first character (`{` is JSON).
    pub fn guess(file_name: &str, text: &str) -> Format {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv") {
            Format::Csv
        } else if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Csv
        }
    }

    pub fn parse(code: &str) -> Option<Format> {
        match code {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// Why a file was refused: its line (from 1; 0 when the file as a whole), the field, and what is
/// wrong, in Thai.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.field.is_empty()) {
            (0, _) => write!(f, "{}", self.message),
            (n, true) => write!(f, "บรรทัดที่ {n}: {}", self.message),
            (n, false) => write!(f, "บรรทัดที่ {n} ช่อง “{}”: {}", self.field, self.message),
        }
    }
}

/// Where a manual's item is in its file: the line and the field's name, for a rule's problem.
pub(crate) type Locate = Box<dyn Fn(Part, &'static str) -> (usize, String) + Send + Sync>;

/// A file's manuals, each with where its items are.
pub(crate) struct Parsed {
    pub manuals: Vec<Manual>,
    pub places: Vec<Locate>,
}

/// The text of an uploaded file: UTF-8 (a byte-order mark dropped) or, as older Thai Windows
/// programs save it, Windows-874; characters the input rule refuses are named by line.
pub fn decode(bytes: &[u8]) -> Result<String, FileProblem> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
        Err(_) => encoding_rs::WINDOWS_874
            .decode_without_bom_handling_and_without_replacement(bytes)
            .filter(|t| {
                t.chars().all(|c| c.is_ascii() || ('\u{0e01}'..='\u{0e5b}').contains(&c) || "‘’“”•–—…€".contains(c))
            })
            .map(|t| t.into_owned())
            .ok_or_else(|| FileProblem {
                line: 0,
                field: String::new(),
                message: "อ่านไฟล์ไม่ได้: ไฟล์ต้องเป็นข้อความ UTF-8 หรือ TIS-620 (บันทึกจาก Excel เป็น CSV UTF-8)".into(),
            })?,
    };
    crate::text::clean(&text, crate::text::Lines::Many).map(|t| t.into_owned()).map_err(|bad| FileProblem {
        line: bad.line,
        field: String::new(),
        message: bad.what_th(),
    })
}

/// Reads a file of manuals and checks each by the form's rules; nothing is written.
pub fn read(text: &str, format: Format) -> Result<Vec<Manual>, FileProblem> {
    let parsed = match format {
        Format::Json => json::parse(text)?,
        Format::Csv => csv::parse(text)?,
    };
    let mut names = std::collections::HashSet::new();
    for (i, manual) in parsed.manuals.iter().enumerate() {
        if let Some(problem) = rules::check(manual).into_iter().next() {
            let (line, field) = (parsed.places[i])(problem.part, problem.column);
            return Err(FileProblem { line, field, message: problem.message });
        }
        if !names.insert(manual.name.clone()) {
            let (line, field) = (parsed.places[i])(Part::Field("name"), "name");
            return Err(FileProblem {
                line, field, message: format!("งานบริการ \"{}\" มีซ้ำในไฟล์", manual.name)
            });
        }
    }
    Ok(parsed.manuals)
}

/// The organization's drafts as a file, in catalogue order (services never written are left out).
pub async fn export(db: &Db, org: OrgId, format: Format) -> anyhow::Result<String> {
    let mut manuals = Vec::new();
    for service in store::list(db, org, false).await? {
        if let Some(draft) = drafts::load(db, org, service.id).await?
            && draft.saved.is_some()
        {
            manuals.push(Manual { forms: Vec::new(), ..draft.manual });
        }
    }
    Ok(match format {
        Format::Json => json::write(&manuals)?,
        Format::Csv => csv::write(&manuals)?,
    })
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
}

/// Saves each manual of the file as the draft of the service of its name (a new service when the
/// organization has none), in one transaction: all of them, or none.
pub async fn import(
    db: &Db,
    org: OrgId,
    manuals: &[Manual],
    actor: &str,
) -> anyhow::Result<Result<Imported, FileProblem>> {
    let divisions = crate::orgs::store::divisions(db, org).await?;
    let existing = store::list(db, org, true).await?;
    let mut done = Imported::default();
    let mut tx = db.write(org).await?;
    for (i, manual) in manuals.iter().enumerate() {
        let division = divisions.iter().find(|d| d.name == manual.division).map(|d| d.id);
        let outcome = match existing.iter().find(|s| s.name == manual.name) {
            Some(service) => {
                // The forms already offered stay: the file cannot hold them.
                let forms = drafts::manual_in(&mut tx, org, service.id).await?.map(|m| m.forms).unwrap_or_default();
                let manual = Manual { forms, ..manual.clone() };
                done.updated += 1;
                drafts::save(&mut tx, org, service.id, &manual, division, actor).await?.map(|()| service.id)
            }
            None => {
                done.created += 1;
                drafts::create(&mut tx, org, manual, division, actor).await?
            }
        };
        if let Err(problem) = outcome {
            tx.rollback().await?;
            return Ok(Err(FileProblem {
                line: 0,
                field: String::new(),
                message: format!("งานบริการลำดับที่ {} ในไฟล์: {problem}", i + 1),
            }));
        }
    }
    tx.commit().await?;
    Ok(Ok(done))
}

/// Used by tests and the demo: the id of the service named `name`.
pub async fn service_named(db: &Db, org: OrgId, name: &str) -> anyhow::Result<Option<ServiceId>> {
    Ok(store::list(db, org, true).await?.into_iter().find(|s| s.name == name).map(|s| s.id))
}
