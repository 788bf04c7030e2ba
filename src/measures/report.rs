//! The measures report: the register of one organization and year, laid out as the official
//! report, in Markdown, HTML, PDF or DOCX.

use std::str::FromStr;

use super::markdown::{self, IndicatorRef, ParsedMeasure, ParsedReport};
use super::{Item, Measure, store};
use crate::db::Db;
use crate::docs::typeset::{DocSize, RenderError, Typesetter};
use crate::docs::{MeasureRow, MeasuresReportDoc};
use crate::ita::Indicator;
use crate::orgs::Org;
use crate::thai::{Digits, format_year_be};

/// The formats a report can be downloaded in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Html,
    Md,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "pdf" => Ok(Format::Pdf),
            "docx" => Ok(Format::Docx),
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Md),
            other => Err(format!("unknown format \"{other}\": use pdf, docx, html or md (รูปแบบไม่ถูกต้อง)")),
        }
    }
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Md => "md",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Html => "text/html; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
        }
    }
}

/// Everything a report is made from, read once.
pub struct ReportSource {
    pub org: Org,
    pub year: i64,
    pub intro: String,
    pub measures: Vec<Measure>,
    pub indicators: Vec<Indicator>,
    /// Lines of live figures per measure (printed after its results; not part of the register).
    pub figures: std::collections::HashMap<super::MeasureId, Vec<String>>,
}

impl ReportSource {
    pub async fn load(db: &Db, org: Org, year: i64) -> anyhow::Result<Self> {
        let measures = store::list(db, org.id, year).await?;
        let intro = store::intro(db, org.id, year).await?.unwrap_or_else(|| default_intro(&org, year, org.digits));
        let indicators = crate::ita::indicators(db, year).await?;
        let mut figures: std::collections::HashMap<_, Vec<String>> = Default::default();
        for (measure, code) in super::figures::cited(db, org.id, year).await? {
            let line = super::figures::render(db, &org, year, &code).await?;
            figures.entry(measure).or_default().push(line);
        }
        Ok(ReportSource { org, year, intro, measures, indicators, figures })
    }

    pub fn digits(&self) -> Digits {
        self.org.digits
    }

    /// The heading lines: report name, organization, fiscal year.
    pub fn heading_lines(&self) -> Vec<String> {
        vec![
            "รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส".to_string(),
            format!("ของ{}", self.org.name),
            format!("ประจำปีงบประมาณ พ.ศ. {}", format_year_be(self.year as i32, self.digits())),
        ]
    }

    fn indicator_refs(&self, m: &Measure) -> Vec<IndicatorRef> {
        m.input
            .indicators
            .iter()
            .map(|n| IndicatorRef {
                number: *n as u8,
                name: self.indicators.iter().find(|i| i.number == *n).map(|i| i.name_th.clone()).unwrap_or_default(),
            })
            .collect()
    }

    /// The register in the interchange form of the markdown importer and exporter.
    pub fn to_parsed(&self) -> ParsedReport {
        ParsedReport {
            heading_lines: self.heading_lines(),
            intro: self.intro.clone(),
            measures: self
                .measures
                .iter()
                .map(|m| ParsedMeasure {
                    line: 0,
                    title: m.input.title.clone(),
                    indicators: self.indicator_refs(m),
                    methods: m.input.methods.clone(),
                    responsible: m.input.responsible.clone(),
                    period: m.input.period.as_ref().map(|p| p.format(self.digits())).unwrap_or_default(),
                    results: m.input.results.clone(),
                    outcomes: m.input.outcomes.clone(),
                })
                .collect(),
        }
    }

    /// The print-ready document for the PDF, DOCX and HTML renderers.
    pub fn to_doc(&self) -> MeasuresReportDoc {
        let digits = self.digits();
        let thai = digits == Digits::Thai;
        let cell = |items: &[Item]| -> Vec<String> { markdown::write_item_lines(items, thai) };
        let heading = self.heading_lines();
        let year = format_year_be(self.year as i32, digits);
        MeasuresReportDoc {
            cover_lines: vec![
                "รายงานผลการดำเนินการ".to_string(),
                "มาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส".to_string(),
                heading[1].clone(),
                format!("ประจำปีงบประมาณ พ.ศ. {year}"),
            ],
            heading_lines: heading,
            intro: digits.apply(&self.intro),
            headers: [
                "มาตรการ/แนวทาง".into(),
                "วิธีดำเนินการ".into(),
                "ผู้รับผิดชอบ".into(),
                "ระยะเวลาดำเนินการ".into(),
                "ผลการดำเนินการ".into(),
                "ผลลัพธ์หรือความสำเร็จ".into(),
            ],
            rows: self
                .measures
                .iter()
                .map(|m| {
                    let mut title = m.input.title.clone();
                    for r in self.indicator_refs(m) {
                        title.push_str(&indicator_citation(r.number as i64, &r.name, digits));
                    }
                    MeasureRow {
                        measure: vec![digits.apply(title.trim())],
                        methods: cell(&m.input.methods).iter().map(|l| digits.apply(l)).collect(),
                        responsible: m.input.responsible.iter().map(|l| digits.apply(l)).collect(),
                        period: m.input.period.as_ref().map(|p| p.format_lines(digits)).unwrap_or_default(),
                        results: cell(&m.input.results)
                            .iter()
                            .map(|l| digits.apply(l))
                            .chain(self.figures.get(&m.id).into_iter().flatten().cloned())
                            .collect(),
                        outcomes: cell(&m.input.outcomes).iter().map(|l| digits.apply(l)).collect(),
                    }
                })
                .collect(),
            footer: self.org.name.clone(),
            thai_digits: thai,
            // The register is always the draft; `publication::publish` signs and dates its copy.
            draft_mark: Some(crate::docs::report_data::DRAFT_MARK.to_string()),
            signature: Vec::new(),
            version_note: None,
        }
    }
}

/// How the printed report cites an indicator after a measure's title: " (ตัวชี้วัดที่ ๔
/// การใช้ทรัพย์สินของราชการ)". The open API reads the citations back out of a published title.
pub fn indicator_citation(number: i64, name: &str, digits: Digits) -> String {
    format!(" (ตัวชี้วัดที่ {} {name})", crate::thai::format_int(number, digits))
}

/// The usual opening paragraph, used until the office writes its own.
pub fn default_intro(org: &Org, year: i64, digits: Digits) -> String {
    let y = format_year_be(year as i32, digits);
    let prev = format_year_be(year as i32 - 1, digits);
    format!(
        "ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA ของ{name} ปีงบประมาณ พ.ศ. {prev} และได้กำหนดมาตรการ/แนวทางในการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่นในปีงบประมาณ พ.ศ. {y} โดยได้มีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ. {y} ดังต่อไปนี้",
        name = org.name
    )
}

/// Renders the report in a format. PDF typesetting runs on the bounded blocking pool, within the
/// typesetter's limits.
pub async fn render(pdf: &Typesetter, source: &ReportSource, format: Format) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Md => Ok(markdown::write(&source.to_parsed(), source.digits() == Digits::Thai).into_bytes()),
        Format::Html => Ok(crate::portal::report_html(source)?.into_bytes()),
        Format::Docx => Ok(crate::docs::docx::measures_report_docx(&source.to_doc())?),
        Format::Pdf => render_pdf(pdf, source.to_doc()).await,
    }
}

/// Typesets a print-ready report as PDF, within the typesetter's limits.
pub async fn render_pdf(pdf: &Typesetter, doc: MeasuresReportDoc) -> Result<Vec<u8>, RenderError> {
    let size = DocSize::of(doc.rows.len(), "มาตรการ", &doc);
    pdf.pdf("measures_report", size, move |engine| engine.measures_report(&doc)).await
}

/// The download file name, e.g. "ita-measures-mae-khatuan-2566.pdf".
pub fn file_name(org: &Org, year: i64, format: Format) -> String {
    format!("ita-measures-{}-{}.{}", org.slug, year, format.extension())
}
