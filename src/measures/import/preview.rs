//! The preview of an import: what the file adds, changes, leaves and removes in the year's
//! register, and what happens to the evidence and cited figures of each measure.

use super::diff::{changed_fields, removed};
use super::text::Encoding;
use super::{FileKind, Prepared, Register};

/// One measure in the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureChange {
    /// The title it will have (a removed measure: the one it has).
    pub title: String,
    /// For a changed measure matched by position: the title it had.
    pub was: Option<String>,
    /// Which fields change (see `diff::FIELDS`).
    pub fields: Vec<&'static str>,
    /// Evidence and cited figures: kept with the measure, or lost with a removed one.
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub year: i64,
    /// The fiscal year the file's heading names.
    pub file_year: Option<i64>,
    pub kind: FileKind,
    pub added: Vec<MeasureChange>,
    pub changed: Vec<MeasureChange>,
    pub unchanged: Vec<MeasureChange>,
    pub removed: Vec<MeasureChange>,
    /// (current, from the file) when the file's intro differs from the stored one.
    pub intro_change: Option<(String, String)>,
    /// The register's fingerprint the preview was made against.
    pub fingerprint: String,
}

impl Preview {
    pub(crate) fn of(year: i64, prepared: &Prepared, current: &Register) -> Preview {
        let (inputs, matches) = current.file_inputs(prepared);
        let attachments = |id| current.attachments.get(&id).cloned().unwrap_or_default();
        let (mut added, mut changed, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
        for (input, matched) in inputs.iter().zip(&matches) {
            let stored = matched.and_then(|id| current.measures.iter().find(|m| m.id == id));
            let Some(stored) = stored else {
                added.push(MeasureChange {
                    title: input.title.clone(),
                    was: None,
                    fields: Vec::new(),
                    attachments: Vec::new(),
                });
                continue;
            };
            let fields = changed_fields(&stored.input, input);
            let change = MeasureChange {
                title: input.title.clone(),
                was: (stored.input.title != input.title).then(|| stored.input.title.clone()),
                attachments: attachments(stored.id),
                fields,
            };
            if change.fields.is_empty() { unchanged.push(change) } else { changed.push(change) }
        }
        let removed = removed(&current.measures, &matches)
            .into_iter()
            .filter_map(|id| current.measures.iter().find(|m| m.id == id))
            .map(|m| MeasureChange {
                title: m.input.title.clone(),
                was: None,
                fields: Vec::new(),
                attachments: attachments(m.id),
            })
            .collect();
        let stored_intro = current.intro.clone().unwrap_or_default();
        let intro_change = (!prepared.intro.is_empty() && prepared.intro != stored_intro)
            .then(|| (stored_intro, prepared.intro.clone()));
        Preview {
            year,
            file_year: prepared.file_year,
            kind: prepared.kind,
            added,
            changed,
            unchanged,
            removed,
            intro_change,
            fingerprint: current.fingerprint.clone(),
        }
    }

    /// Whether the file's heading names another fiscal year than the one imported into.
    pub fn year_differs(&self) -> bool {
        self.file_year.is_some_and(|y| y != self.year)
    }

    /// Evidence and figures that would be deleted with the removed measures.
    pub fn lost(&self) -> usize {
        self.removed.iter().map(|m| m.attachments.len()).sum()
    }

    /// What kind of file was read, and any conversion, in Thai.
    pub fn source_th(&self) -> String {
        match self.kind {
            FileKind::Docx => "ไฟล์ Word (.docx)".into(),
            FileKind::Text(Encoding::Utf8) => "ไฟล์ข้อความ (ตาราง Markdown, UTF-8)".into(),
            FileKind::Text(e @ Encoding::Windows874) => {
                format!("ไฟล์ข้อความ (ตาราง Markdown): {}", e.note_th().unwrap_or_default())
            }
        }
    }

    /// The preview as plain text, for the command line's --dry-run.
    pub fn to_text(&self) -> String {
        let mut out =
            vec![format!("preview of importing into fiscal year {} (ตัวอย่างการนำเข้า): {}", self.year, self.source_th())];
        if let (true, Some(file_year)) = (self.year_differs(), self.file_year) {
            out.push(format!(
                "WARNING: the file's title names fiscal year {file_year}, not {} (ปีในชื่อรายงานไม่ตรงกับปีที่เลือก)",
                self.year
            ));
        }
        let sections = [
            ("added (เพิ่ม)", &self.added),
            ("changed (แก้ไข)", &self.changed),
            ("unchanged (ไม่เปลี่ยน)", &self.unchanged),
            ("removed (ลบ)", &self.removed),
        ];
        for (name, list) in sections {
            out.push(format!("{name}: {}", list.len()));
            for m in list {
                let mut line = format!("  - {}", m.title);
                if let Some(was) = &m.was {
                    line.push_str(&format!(" (was: {was})"));
                }
                if !m.fields.is_empty() {
                    line.push_str(&format!(" [{}]", m.fields.join(", ")));
                }
                out.push(line);
                let verb = if std::ptr::eq(list, &self.removed) {
                    "LOST (สูญหาย)"
                } else {
                    "kept (คงอยู่)"
                };
                for a in &m.attachments {
                    out.push(format!("      evidence {verb}: {a}"));
                }
            }
        }
        if self.intro_change.is_some() {
            out.push("intro changes (ย่อหน้าเปิดเปลี่ยน)".into());
        }
        out.join("\n")
    }
}
