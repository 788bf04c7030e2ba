//! A document's draft as it stands (read from the ITA result and the measures register), its
//! content hash (what an approval keeps), the signed copy a version freezes, and its rendering.

use serde::{Deserialize, Serialize};

use super::analysis_doc::{self, AnalysisDoc};
use super::{Format, Kind, analysis_docx, analysis_pdf, progress};
use crate::db::Db;
use crate::docs::MeasuresReportDoc;
use crate::docs::typeset::{RenderError, Typesetter};
use crate::measures::publication::rules::{self as versions, Approval};
use crate::measures::report::ReportSource;
use crate::orgs::Org;
use crate::thai::Digits;

/// The print-ready document of either kind (frozen as JSON in a version).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "doc")]
pub enum Document {
    Analysis(AnalysisDoc),
    Progress(MeasuresReportDoc),
}

impl Document {
    /// The published copy: no draft mark, the executive's approval and the version at the end.
    pub fn signed(self, approval: &Approval, number: i64, published_at: i64, digits: Digits) -> Document {
        match self {
            Document::Progress(doc) => {
                Document::Progress(versions::signed(doc, approval, number, published_at, digits))
            }
            Document::Analysis(mut doc) => {
                doc.draft_mark = None;
                doc.signature = versions::signature(approval, digits);
                doc.version_note = Some(versions::version_note(number, published_at, digits));
                Document::Analysis(doc)
            }
        }
    }

    /// Renders the document; PDFs on the bounded pool, within the typesetter's limits.
    pub async fn render(&self, typesetter: &Typesetter, format: Format) -> Result<Vec<u8>, RenderError> {
        match (self, format) {
            (Document::Analysis(doc), Format::Pdf) => analysis_pdf::render(typesetter, doc.clone()).await,
            (Document::Analysis(doc), Format::Docx) => Ok(analysis_docx::docx(doc)?),
            (Document::Progress(doc), Format::Pdf) => {
                crate::measures::report::render_pdf(typesetter, doc.clone()).await
            }
            (Document::Progress(doc), Format::Docx) => Ok(crate::docs::docx::measures_report_docx(doc)?),
        }
    }
}

/// A kind's draft of a year (N, the measures' year).
pub struct Draft {
    pub doc: Document,
    /// What an approval keeps: the document without the live figures' values.
    pub sha256: String,
    pub has_measures: bool,
}

/// The draft of `kind` for year `year`; `None` for an analysis when the organization has no
/// result for year N-1.
pub async fn load(db: &Db, org: &Org, kind: Kind, year: i64) -> anyhow::Result<Option<Draft>> {
    let mut source = ReportSource::load(db, org.clone(), year).await?;
    let has_measures = !source.measures.is_empty();
    let (doc, sha256) = match kind {
        Kind::Analysis => {
            let Some(analysis) = crate::ita::analysis::build(db, org.id, year - 1).await? else { return Ok(None) };
            let doc = analysis_doc::build(&analysis, &source);
            let sha256 = crate::measures::evidence::sha256_hex(serde_json::to_string(&doc)?.as_bytes());
            (Document::Analysis(doc), sha256)
        }
        Kind::Progress(round) => {
            let cited = crate::measures::figures::cited(db, org.id, year).await?;
            let sha256 = versions::content_sha256_of(&mut source, &cited, |s| progress::doc(s, round));
            (Document::Progress(progress::doc(&source, round)), sha256)
        }
    };
    Ok(Some(Draft { doc, sha256, has_measures }))
}
