//! Importing a report in the seed's markdown format into the register, all or nothing.

use super::markdown::{self, ParsedMeasure};
use super::{MeasureInput, Status, store};
use crate::db::Db;
use crate::orgs::OrgId;
use crate::thai::FiscalYear;

/// What an import added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub measures: usize,
    pub methods: usize,
    pub results: usize,
    pub outcomes: usize,
    /// Measures of the year that were replaced.
    pub replaced: u64,
}

/// Why an import was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based line in the file, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<&'static str>,
    pub message_th: String,
    pub message_en: String,
}

impl ImportProblem {
    fn at(m: &ParsedMeasure, column: &'static str, th: String, en: String) -> Self {
        ImportProblem { line: Some(m.line), column: Some(column), message_th: th, message_en: en }
    }

    /// "บรรทัดที่ 12 คอลัมน์ ระยะเวลาดำเนินการ: …"
    pub fn to_thai(&self) -> String {
        let mut s = String::new();
        if let Some(l) = self.line {
            s.push_str(&format!("บรรทัดที่ {l} "));
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
            s.push_str(&format!("line {l}"));
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

/// Turns a parsed measure into register input, checking what the parser cannot know.
fn to_input(m: &ParsedMeasure, year: FiscalYear, known: &[i64]) -> Result<MeasureInput, ImportProblem> {
    let period = super::rules::read_period(&m.period, year).map_err(|e| {
        ImportProblem::at(
            m,
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

/// Imports `text` as the measures of `year`. With `replace`, the year's existing measures are
/// deleted first; without it, a year that already has measures is refused (so a second import
/// does not double the register). One transaction: on any problem nothing is written. At most
/// [`MAX_MEASURES`] measures.
pub async fn import(
    db: &Db,
    org: OrgId,
    year: i64,
    text: &str,
    replace: bool,
    actor: &str,
) -> anyhow::Result<Result<ImportSummary, ImportProblem>> {
    let parsed = match markdown::parse(text) {
        Ok(p) => p,
        Err(e) => {
            // The parser's messages already name the line and column.
            return Ok(Err(ImportProblem {
                line: None,
                column: None,
                message_th: e.message_th(),
                message_en: e.message_en(),
            }));
        }
    };
    if parsed.measures.is_empty() {
        return Ok(Err(ImportProblem {
            line: None,
            column: None,
            message_th: "ไฟล์ไม่มีมาตรการในตาราง จึงไม่ได้นำเข้า".into(),
            message_en: "the file's table has no measures; nothing was imported".into(),
        }));
    }
    if parsed.measures.len() > MAX_MEASURES {
        return Ok(Err(ImportProblem {
            line: None,
            column: None,
            message_th: format!(
                "ไฟล์มีมาตรการ {} รายการ เกินกว่าที่นำเข้าได้ครั้งละ {MAX_MEASURES} รายการ จึงไม่ได้นำเข้า",
                parsed.measures.len()
            ),
            message_en: format!(
                "the file has {} measures, more than the {MAX_MEASURES} one import takes; nothing was imported",
                parsed.measures.len()
            ),
        }));
    }
    // Everything that can be checked without the write lock is checked before taking it: the
    // transaction below only reads what it must and inserts.
    let fiscal_year = match FiscalYear::new(year as i32) {
        Ok(y) => y,
        Err(e) => {
            return Ok(Err(ImportProblem {
                line: None,
                column: None,
                message_th: e.message_th(),
                message_en: e.to_string(),
            }));
        }
    };
    let known: Vec<i64> = crate::ita::indicators(db, year).await?.iter().map(|i| i.number).collect();
    let mut inputs = Vec::with_capacity(parsed.measures.len());
    for m in &parsed.measures {
        match to_input(m, fiscal_year, &known) {
            Ok(i) => inputs.push(i),
            Err(p) => return Ok(Err(p)),
        }
    }
    let mut tx = db.write(org).await?;
    let existing = store::list_ids_in(&mut tx, org, year).await?;
    if !existing.is_empty() && !replace {
        return Ok(Err(ImportProblem {
            line: None,
            column: None,
            message_th: format!(
                "ปีงบประมาณ {year} มีมาตรการอยู่แล้ว {} รายการ: เลือก \"แทนที่ของเดิม\" หากต้องการนำเข้าทับ",
                existing.len()
            ),
            message_en: format!(
                "fiscal year {year} already has {} measures: use --replace to import over them",
                existing.len()
            ),
        }));
    }
    // Evidence files and cited figures are not in the markdown: replacing would destroy them.
    let attached = store::attachments_in(&mut tx, org, year).await?;
    if attached > 0 {
        return Ok(Err(ImportProblem {
            line: None,
            column: None,
            message_th: format!(
                "ปีงบประมาณ {year} มีหลักฐานหรือสถิติอ้างอิงแนบกับมาตรการอยู่ {attached} รายการ ซึ่งไม่อยู่ในไฟล์: การนำเข้าทับจะทำให้สูญหาย กรุณาแก้ไขมาตรการในหน้าจอแทน"
            ),
            message_en: format!(
                "fiscal year {year} has {attached} evidence files, links or cited figures that the file does not carry; importing over them would lose them"
            ),
        }));
    }
    let replaced = store::delete_year_in(&mut tx, org, year, actor).await?;
    for input in &inputs {
        store::insert_in(&mut tx, org, year, input, actor).await?;
    }
    if !parsed.intro.trim().is_empty() {
        store::set_intro_in(&mut tx, org, year, parsed.intro.trim(), actor).await?;
    }
    tx.commit().await?;
    Ok(Ok(ImportSummary {
        measures: inputs.len(),
        methods: inputs.iter().map(|i| i.methods.len()).sum(),
        results: inputs.iter().map(|i| i.results.len()).sum(),
        outcomes: inputs.iter().map(|i| i.outcomes.len()).sum(),
        replaced,
    }))
}
