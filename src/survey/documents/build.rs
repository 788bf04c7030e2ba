//! The survey's documents from the database, for the command line and the staff pages alike.

use super::export;
use super::poster::{self, Paper, PosterPage};
use super::report_pdf;
use crate::db::Db;
use crate::docs::typeset::{DocSize, RenderError, Typesetter};
use crate::orgs::Org;
use crate::queue::PointId;
use crate::survey::results;
use crate::survey::results_routes::{names, report};
use crate::survey::store::Survey;
use crate::thai::FiscalYear;

/// The report's formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

/// The poster pages: each point (or only `only`), then each service it gives.
pub async fn poster_pages(
    db: &Db,
    org: &Org,
    survey: &Survey,
    only: Option<PointId>,
    public_url: &str,
) -> anyhow::Result<Vec<PosterPage>> {
    let mut pages = Vec::new();
    for point in crate::queue::store::points(db, org.id).await? {
        if only.is_some_and(|p| p != point.id) {
            continue;
        }
        pages.push(PosterPage {
            place: format!("จุดบริการ: {}", point.name),
            url: poster::form_url(public_url, &org.slug, survey.id.0, Some(point.id.0), None),
        });
        for s in crate::queue::store::point_services(db, org.id, point.id).await? {
            pages.push(PosterPage {
                place: format!("จุดบริการ: {} · งานบริการ: {}", point.name, s.name),
                url: poster::form_url(public_url, &org.slug, survey.id.0, Some(point.id.0), Some(s.service_id.0)),
            });
        }
    }
    if pages.is_empty() && only.is_none() {
        // No service point configured: one poster for the whole office.
        pages.push(PosterPage {
            place: String::new(),
            url: poster::form_url(public_url, &org.slug, survey.id.0, None, None),
        });
    }
    Ok(pages)
}

pub async fn poster_pdf(
    pdf: &Typesetter,
    org: &Org,
    pages: Vec<PosterPage>,
    paper: Paper,
) -> Result<Vec<u8>, RenderError> {
    let (name, digits) = (org.name.clone(), org.digits);
    let size = DocSize::of(pages.len(), "หน้าโปสเตอร์", &pages.iter().map(|p| &p.url).collect::<Vec<_>>());
    pdf.pdf("survey_poster", size, move |engine| poster::pdf(engine, &name, &pages, paper, digits)).await
}

/// The year's report in `format`.
pub async fn report_file(
    db: &Db,
    pdf: &Typesetter,
    org: &Org,
    survey: &Survey,
    year: FiscalYear,
    format: Format,
) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Pdf => {
            let view = report(db, org, survey, year).await?;
            let digits = org.digits;
            let size = DocSize::of(view.items.len() + view.comments.len(), "แถว", &view.items);
            pdf.pdf("survey_report", size, move |engine| report_pdf::pdf(engine, &view, digits)).await
        }
        Format::Xlsx | Format::Csv => {
            let versions = results::versions(db, org.id, survey.id).await?;
            let (from, to) = results::span(year);
            let rows = results::rows(db, org.id, survey.id, from, to).await?;
            let (services, points) = names(db, org).await?;
            let table = export::table(&versions, &rows, &services, &points);
            Ok(if format == Format::Xlsx { export::xlsx(&table)? } else { export::csv(&table)? })
        }
    }
}
