//! Importing a report file (Word .docx, or the Markdown/text table in UTF-8 or TIS-620) into a
//! year's register: read and checked first ([`prepare`]), shown as a preview of what changes
//! ([`preview`]), then applied in one transaction ([`apply`]) that updates matched measures in
//! place so their evidence and cited figures stay (matching: [`diff`]).

pub mod diff;
pub mod docx;
pub mod preview;
pub mod routes;
mod stage;
pub mod text;

use std::collections::HashMap;

use self::diff::{changed_fields, match_measures, removed};
use self::text::Encoding;
use crate::db::Db;
use crate::measures::markdown::{self, ParsedMeasure, ParsedReport};
use crate::measures::{Measure, MeasureId, MeasureInput, Status, evidence, figures, store};
use crate::orgs::OrgId;
use crate::thai::FiscalYear;

pub use self::preview::{MeasureChange, Preview};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Measures in the file.
    pub measures: usize,
    pub methods: usize,
    pub results: usize,
    pub outcomes: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Stored measures the file no longer has, deleted with their evidence.
    pub removed: usize,
}

/// Why an import was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based line of a text file, or table row of a Word file, when the problem has a place.
    pub line: Option<usize>,
    /// Whether `line` counts the table rows of a Word file.
    pub rows: bool,
    pub column: Option<&'static str>,
    pub message_th: String,
    pub message_en: String,
}

impl ImportProblem {
    fn at(m: &ParsedMeasure, rows: bool, column: &'static str, th: String, en: String) -> Self {
        ImportProblem { line: Some(m.line), rows, column: Some(column), message_th: th, message_en: en }
    }

    pub(crate) fn plain(th: impl Into<String>, en: impl Into<String>) -> Self {
        ImportProblem { line: None, rows: false, column: None, message_th: th.into(), message_en: en.into() }
    }

    /// "บรรทัดที่ 12 คอลัมน์ ระยะเวลาดำเนินการ: …" ("แถวที่ 5 ของตาราง …" in a Word file)
    pub fn to_thai(&self) -> String {
        let mut s = String::new();
        if let Some(l) = self.line {
            s.push_str(&if self.rows {
                format!("แถวที่ {l} ของตาราง ")
            } else {
                format!("บรรทัดที่ {l} ")
            });
        }
        if let Some(c) = self.column {
            s.push_str(&format!("คอลัมน์ {c} "));
        }
        if !s.is_empty() {
            s.pop();
            s.push_str(": ");
        }
        s + &self.message_th
    }

    pub fn to_english(&self) -> String {
        let mut s = String::new();
        if let Some(l) = self.line {
            s.push_str(&if self.rows { format!("table row {l}") } else { format!("line {l}") });
        }
        if let Some(c) = self.column {
            s.push_str(&format!("{}column {c}", if s.is_empty() { "" } else { ", " }));
        }
        if s.is_empty() { self.message_en.clone() } else { format!("{s}: {}", self.message_en) }
    }
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.to_thai(), self.to_english())
    }
}

/// The most measures one file may import. A year's plan has tens; the cap bounds how long an
/// import holds the write lock, which on SQLite every other organization's writes wait for.
pub const MAX_MEASURES: usize = 1000;

/// The kind of file, told by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Docx,
    Text(Encoding),
}

/// A file read and checked, ready to preview or apply.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub kind: FileKind,
    pub inputs: Vec<MeasureInput>,
    pub intro: String,
    /// The fiscal year the file's heading names ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"), if it names one.
    pub file_year: Option<i64>,
}

/// Reads a file of either kind into the report it holds.
pub fn read_file(bytes: &[u8]) -> Result<(ParsedReport, FileKind), ImportProblem> {
    if self::docx::is_zip(bytes) {
        return Ok((self::docx::read(bytes)?, FileKind::Docx));
    }
    if let Some(problem) = other_document(bytes) {
        return Err(problem);
    }
    let (text, encoding) = self::text::decode(bytes)?;
    let report = markdown::parse(&text).map_err(|e| {
        // The parser's messages already name the line and column.
        ImportProblem::plain(e.message_th(), e.message_en())
    })?;
    Ok((report, FileKind::Text(encoding)))
}

/// A document the import cannot read but a person may well pick: told by its first bytes.
fn other_document(bytes: &[u8]) -> Option<ImportProblem> {
    if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Some(ImportProblem::plain(
            "ไฟล์นี้เป็นไฟล์ Word รุ่นเก่า (.doc) ซึ่งนำเข้าไม่ได้ กรุณาเปิดใน Word แล้วเลือก \"บันทึกเป็น\" ชนิด Word Document (.docx) แล้วนำเข้าไฟล์ .docx นั้น",
            "the file is an old Word document (.doc): save it as .docx and import that",
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Some(ImportProblem::plain(
            "ไฟล์นี้เป็น PDF ซึ่งนำเข้าไม่ได้ กรุณานำเข้าไฟล์ Word (.docx) หรือไฟล์ข้อความตาราง (.md) ของรายงานฉบับเดียวกัน",
            "the file is a PDF: import the report's .docx or .md file instead",
        ));
    }
    None
}

/// The fiscal year a heading names: the number after "ปีงบประมาณ" (and "พ.ศ."), else after "พ.ศ.".
pub fn title_year(heading_lines: &[String]) -> Option<i64> {
    let heading = heading_lines.join(" ");
    let year_after = |marker: &str| {
        heading.match_indices(marker).find_map(|(at, m)| {
            let rest = heading[at + m.len()..].trim_start();
            let rest = rest.strip_prefix("พ.ศ.").unwrap_or(rest).trim_start();
            let digits: String = rest.chars().take_while(|c| markdown::is_digit(*c)).collect();
            let year: i64 = crate::thai::to_arabic_digits(&digits).parse().ok()?;
            (digits.chars().count() == 4 && (2400..2700).contains(&year)).then_some(year)
        })
    };
    year_after("ปีงบประมาณ").or_else(|| year_after("พ.ศ."))
}

/// Turns a parsed measure into register input, checking what the parser cannot know.
fn to_input(m: &ParsedMeasure, rows: bool, year: FiscalYear, known: &[i64]) -> Result<MeasureInput, ImportProblem> {
    let period = crate::measures::rules::read_period(&m.period, year).map_err(|e| {
        ImportProblem::at(
            m,
            rows,
            "ระยะเวลาดำเนินการ",
            format!("อ่านระยะเวลา \"{}\" ไม่ได้: {}", m.period, e.message_th()),
            format!("cannot read the period \"{}\": {e}", m.period),
        )
    })?;
    let mut indicators = Vec::new();
    for r in &m.indicators {
        let n = r.number as i64;
        if !known.contains(&n) {
            return Err(ImportProblem::at(
                m,
                rows,
                "มาตรการ/แนวทาง",
                format!("ไม่มีตัวชี้วัดที่ {n} ในปีงบประมาณนี้"),
                format!("there is no indicator {n} this fiscal year"),
            ));
        }
        indicators.push(n);
    }
    indicators.sort_unstable();
    indicators.dedup();
    let done = !m.results.is_empty();
    Ok(MeasureInput {
        title: m.title.clone(),
        indicators,
        responsible: m.responsible.clone(),
        period,
        // A filed report describes work carried out: measures with results are done.
        status: if done { Status::Done } else { Status::Planned },
        progress: if done { 100 } else { 0 },
        methods: m.methods.clone(),
        results: m.results.clone(),
        outcomes: m.outcomes.clone(),
    })
}

/// Reads and checks a file for `year`; writes nothing.
pub async fn prepare(db: &Db, year: i64, bytes: &[u8]) -> anyhow::Result<Result<Prepared, ImportProblem>> {
    let (parsed, kind) = match read_file(bytes) {
        Ok(r) => r,
        Err(p) => return Ok(Err(p)),
    };
    if parsed.measures.is_empty() {
        return Ok(Err(ImportProblem::plain(
            "ไฟล์ไม่มีมาตรการในตาราง จึงไม่ได้นำเข้า",
            "the file's table has no measures; nothing was imported",
        )));
    }
    if parsed.measures.len() > MAX_MEASURES {
        let n = parsed.measures.len();
        return Ok(Err(ImportProblem::plain(
            format!("ไฟล์มีมาตรการ {n} รายการ เกินกว่าที่นำเข้าได้ครั้งละ {MAX_MEASURES} รายการ จึงไม่ได้นำเข้า"),
            format!("the file has {n} measures, more than the {MAX_MEASURES} one import takes; nothing was imported"),
        )));
    }
    let fiscal_year = match FiscalYear::new(year as i32) {
        Ok(y) => y,
        Err(e) => return Ok(Err(ImportProblem::plain(e.message_th(), e.to_string()))),
    };
    let known: Vec<i64> = crate::ita::indicators(db, year).await?.iter().map(|i| i.number).collect();
    let mut inputs = Vec::with_capacity(parsed.measures.len());
    for m in &parsed.measures {
        match to_input(m, kind == FileKind::Docx, fiscal_year, &known) {
            Ok(i) => inputs.push(i),
            Err(p) => return Ok(Err(p)),
        }
    }
    Ok(Ok(Prepared {
        kind,
        inputs,
        intro: parsed.intro.trim().to_string(),
        file_year: title_year(&parsed.heading_lines),
    }))
}

/// The year's register as an import sees it: measures, what hangs on them, the intro.
pub(crate) struct Register {
    pub measures: Vec<Measure>,
    /// Evidence titles (with the file name) and cited figures, by measure.
    pub attachments: HashMap<MeasureId, Vec<String>>,
    pub intro: Option<String>,
    /// Codes of the figures each measure cites.
    pub figures: HashMap<MeasureId, Vec<String>>,
    /// SHA-256 over all of the above: a preview is applied only to the register it showed.
    pub fingerprint: String,
}

pub(crate) async fn register(db: &Db, org: OrgId, year: i64) -> anyhow::Result<Register> {
    let measures = store::list(db, org, year).await?;
    let evidence = evidence::list_for_year(db, org, year).await?;
    let cited = figures::cited(db, org, year).await?;
    let intro = store::intro(db, org, year).await?;
    let mut attachments: HashMap<MeasureId, Vec<String>> = HashMap::new();
    let mut codes: HashMap<MeasureId, Vec<String>> = HashMap::new();
    for e in &evidence {
        let name = match &e.file_name {
            Some(file) => format!("{} ({file})", e.title),
            None => e.title.clone(),
        };
        attachments.entry(MeasureId(e.measure_id)).or_default().push(name);
    }
    for (measure, code) in &cited {
        let label = figures::FIGURES.iter().find(|(c, _)| c == code).map_or(code.as_str(), |(_, l)| *l);
        attachments.entry(*measure).or_default().push(label.to_string());
        codes.entry(*measure).or_default().push(code.clone());
    }
    let snapshot = serde_json::json!({
        "measures": measures.iter().map(|m| (m.id.0, store::snapshot(m))).collect::<Vec<_>>(),
        "evidence": evidence.iter().map(|e| (e.id, e.measure_id)).collect::<Vec<_>>(),
        "figures": cited.iter().map(|(m, c)| (m.0, c)).collect::<Vec<_>>(),
        "intro": intro,
    });
    let fingerprint = evidence::sha256_hex(snapshot.to_string().as_bytes());
    Ok(Register { measures, attachments, intro, figures: codes, fingerprint })
}

impl Register {
    /// The file's measures as they would be stored: a matched measure's result lines that are
    /// its cited figures as an export printed them are dropped (the figure stays cited and is
    /// printed afresh).
    pub(crate) fn file_inputs(&self, prepared: &Prepared) -> (Vec<MeasureInput>, Vec<Option<MeasureId>>) {
        let matches = match_measures(&self.measures, &prepared.inputs);
        let inputs = prepared
            .inputs
            .iter()
            .zip(&matches)
            .map(|(input, matched)| {
                let cited = matched.and_then(|id| self.figures.get(&id));
                let mut input = input.clone();
                if let Some(codes) = cited {
                    input.results.retain(|r| !codes.iter().any(|c| figures::is_printed_line(c, &r.text)));
                }
                input
            })
            .collect();
        (inputs, matches)
    }
}

/// What applying `prepared` to the year's register would change; writes nothing.
pub async fn preview(db: &Db, org: OrgId, year: i64, prepared: &Prepared) -> anyhow::Result<Preview> {
    let current = register(db, org, year).await?;
    Ok(Preview::of(year, prepared, &current))
}

/// What [`apply`] requires of the register it finds once it holds the write lock.
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    /// The year has no measures (an import without "replace").
    Empty,
    /// The register is the one previewed (its fingerprint).
    Previewed(&'a str),
    /// Whatever is there is replaced (the command line's --replace).
    Anything,
}

/// Why [`apply`] did not apply; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The year already has this many measures.
    NotEmpty(usize),
    /// The register changed since the preview.
    Changed,
}

/// Applies a prepared file in one transaction: matched measures are updated in place (their
/// evidence and figures stay; the file carries no status or progress, so theirs stay too), new
/// ones are inserted, the stored measures the file lacks are deleted with their evidence, and
/// the order becomes the file's. Every change is audited.
pub async fn apply(
    db: &Db,
    org: OrgId,
    year: i64,
    prepared: &Prepared,
    expect: Expect<'_>,
    actor: &str,
) -> anyhow::Result<Result<ImportSummary, Conflict>> {
    let mut tx = db.write(org).await?;
    // Read under the organization's write lock: no other write of it can come between.
    let current = register(db, org, year).await?;
    match expect {
        Expect::Empty if !current.measures.is_empty() => {
            return Ok(Err(Conflict::NotEmpty(current.measures.len())));
        }
        Expect::Previewed(fingerprint) if fingerprint != current.fingerprint => return Ok(Err(Conflict::Changed)),
        _ => {}
    }
    let (inputs, matches) = current.file_inputs(prepared);
    let gone = removed(&current.measures, &matches);
    for id in &gone {
        store::delete_in(&mut tx, org, *id, actor).await?;
    }
    let by_id: HashMap<MeasureId, &Measure> = current.measures.iter().map(|m| (m.id, m)).collect();
    let (mut added, mut changed, mut unchanged) = (0, 0, 0);
    let mut order = Vec::with_capacity(inputs.len());
    for (input, matched) in inputs.iter().zip(&matches) {
        match matched.and_then(|id| by_id.get(&id)) {
            Some(stored) => {
                if changed_fields(&stored.input, input).is_empty() {
                    unchanged += 1;
                } else {
                    let kept =
                        MeasureInput { status: stored.input.status, progress: stored.input.progress, ..input.clone() };
                    store::update_in(&mut tx, org, stored.id, &kept, actor).await?;
                    changed += 1;
                }
                order.push(stored.id);
            }
            None => {
                order.push(store::insert_in(&mut tx, org, year, input, actor).await?);
                added += 1;
            }
        }
    }
    store::reorder_in(&mut tx, org, year, &order, actor).await?;
    if !prepared.intro.is_empty() {
        store::set_intro_in(&mut tx, org, year, &prepared.intro, actor).await?;
    }
    tx.commit().await?;
    Ok(Ok(ImportSummary {
        measures: inputs.len(),
        methods: inputs.iter().map(|i| i.methods.len()).sum(),
        results: inputs.iter().map(|i| i.results.len()).sum(),
        outcomes: inputs.iter().map(|i| i.outcomes.len()).sum(),
        added,
        changed,
        unchanged,
        removed: gone.len(),
    }))
}

/// Imports a Markdown text as the measures of `year` without a preview: without `replace`, a
/// year that already has measures is refused. One transaction: on any problem nothing is written.
pub async fn import(
    db: &Db,
    org: OrgId,
    year: i64,
    text: &str,
    replace: bool,
    actor: &str,
) -> anyhow::Result<Result<ImportSummary, ImportProblem>> {
    let prepared = match prepare(db, year, text.as_bytes()).await? {
        Ok(p) => p,
        Err(p) => return Ok(Err(p)),
    };
    let expect = if replace { Expect::Anything } else { Expect::Empty };
    Ok(apply(db, org, year, &prepared, expect, actor).await?.map_err(|c| c.problem(year)))
}

impl Conflict {
    pub fn problem(&self, year: i64) -> ImportProblem {
        match self {
            Conflict::NotEmpty(count) => ImportProblem::plain(
                format!("ปีงบประมาณ {year} มีมาตรการอยู่แล้ว {count} รายการ: เลือก \"แทนที่ของเดิม\" หากต้องการนำเข้าทับ"),
                format!("fiscal year {year} already has {count} measures: use --replace to import over them"),
            ),
            Conflict::Changed => ImportProblem::plain(
                "ทะเบียนมาตรการของปีนี้เปลี่ยนไปหลังจากแสดงตัวอย่าง จึงยังไม่ได้นำเข้า กรุณาตรวจตัวอย่างใหม่แล้วยืนยันอีกครั้ง",
                "the year's register changed after the preview; nothing was imported",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_word_file_or_a_pdf_is_refused_saying_what_to_import_instead() {
        let doc = read_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0 rest of an OLE file").unwrap_err();
        assert!(doc.message_th.contains("Word รุ่นเก่า (.doc)") && doc.line.is_none(), "{doc}");
        let pdf = read_file(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap_err();
        assert!(pdf.message_th.contains("เป็น PDF"), "{pdf}");
    }

    #[test]
    fn the_year_of_a_heading_is_read_in_thai_or_arabic_digits() {
        let seed = markdown::parse(markdown::SEED).unwrap();
        assert_eq!(title_year(&seed.heading_lines), Some(2566));
        assert_eq!(title_year(&["ประจำปีงบประมาณ 2567".to_string()]), Some(2567));
        assert_eq!(title_year(&["รายงาน พ.ศ.๒๕๖๕".to_string()]), Some(2565));
        assert_eq!(title_year(&["รายงานผลการดำเนินการ".to_string()]), None);
    }
}
