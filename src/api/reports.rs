//! `/api/v1/orgs/{slug}/reports` (the fiscal years with a published measures report) and
//! `/reports/{year}` (the latest published version, as it was frozen when published: the same
//! text as its PDF, DOCX and web page). Drafts are never read; nor is who published or approved
//! a version (staff usernames, the approver's name).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;
use super::respond::{self, Keep};
use crate::app::AppState;
use crate::docs::MeasuresReportDoc;
use crate::measures::publication::store;
use crate::thai::Digits;

#[derive(Serialize)]
struct YearEntry {
    fiscal_year: i64,
    latest_version: i64,
    published_at: String,
    url: String,
}

pub async fn years(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let mut years = Vec::new();
    for year in store::published_years(&state.db, org.id).await? {
        // Newest first: the first is the latest version.
        let Some(latest) = store::versions(&state.db, org.id, year).await?.into_iter().next() else { continue };
        years.push(YearEntry {
            fiscal_year: year,
            latest_version: latest.number,
            published_at: super::instant(latest.published_at),
            url: super::url(&state, &format!("/api/v1/orgs/{}/reports/{year}", org.slug)),
        });
    }
    let body = super::Years { org: org.slug.clone(), years };
    respond::json(&headers, &body, Keep::Until(super::of_org(&org)), None)
}

#[derive(Serialize)]
struct Report {
    org: String,
    fiscal_year: i64,
    version: i64,
    published_at: String,
    /// The earlier versions stay published at their own URLs.
    versions: Vec<VersionEntry>,
    files: Files,
    heading: Vec<String>,
    intro: String,
    measures: Vec<Measure>,
}

#[derive(Serialize)]
struct VersionEntry {
    version: i64,
    published_at: String,
    files: Files,
}

#[derive(Serialize)]
struct Files {
    html: String,
    pdf: String,
    docx: String,
}

#[derive(Serialize)]
struct Measure {
    position: usize,
    title: String,
    indicators: Vec<IndicatorRef>,
    methods: Vec<String>,
    responsible: Vec<String>,
    period: Vec<String>,
    results: Vec<String>,
    outcomes: Vec<String>,
}

#[derive(Serialize)]
struct IndicatorRef {
    number: i64,
    name_th: String,
}

pub async fn report(
    State(state): State<AppState>,
    Path((slug, year)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let year = i64::from(super::year_of(&year)?.be());
    let (number, published_at, document) =
        store::latest_document(&state.db, org.id, year).await?.ok_or(ApiError::NotPublished)?;
    let doc: MeasuresReportDoc = serde_json::from_str(&document).map_err(anyhow::Error::from)?;
    let catalogue = crate::ita::indicators(&state.db, year).await?;
    let digits = if doc.thai_digits { Digits::Thai } else { Digits::Arabic };
    let files = |n: i64| {
        let base = super::url(&state, &format!("/o/{}/ita/{year}/measures/v/{n}", org.slug));
        Files { pdf: format!("{base}.pdf"), docx: format!("{base}.docx"), html: base }
    };
    let versions = store::versions(&state.db, org.id, year)
        .await?
        .into_iter()
        .map(|v| VersionEntry {
            version: v.number,
            published_at: super::instant(v.published_at),
            files: files(v.number),
        })
        .collect();
    let measures = doc
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let (title, cited) = cited_indicators(&row.measure.join(" "), &catalogue, digits);
            Measure {
                position: i + 1,
                title,
                indicators: cited.into_iter().map(|(number, name_th)| IndicatorRef { number, name_th }).collect(),
                methods: row.methods,
                responsible: row.responsible,
                period: row.period,
                results: row.results,
                outcomes: row.outcomes,
            }
        })
        .collect();
    let body = Report {
        org: org.slug.clone(),
        fiscal_year: year,
        version: number,
        published_at: super::instant(published_at),
        versions,
        files: files(number),
        heading: doc.heading_lines,
        intro: doc.intro,
        measures,
    };
    respond::json(&headers, &body, Keep::Until(super::of_org(&org)), None)
}

/// A printed measure title split into the title and the indicators it cites: the report appends
/// each citation (`measures::report::indicator_citation`) after the title, in ascending order.
fn cited_indicators(
    printed: &str,
    catalogue: &[crate::ita::Indicator],
    digits: Digits,
) -> (String, Vec<(i64, String)>) {
    let mut title = printed.trim_end().to_string();
    let mut cited = Vec::new();
    'strip: loop {
        for i in catalogue {
            let citation = crate::measures::report::indicator_citation(i.number, &i.name_th, digits);
            if let Some(rest) = title.strip_suffix(&citation) {
                cited.push((i.number, i.name_th.clone()));
                title = rest.to_string();
                continue 'strip;
            }
        }
        break;
    }
    cited.reverse();
    (title.trim().to_string(), cited)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ita::{Indicator, Tool};

    #[test]
    fn the_cited_indicators_are_read_back_from_the_printed_title() {
        let catalogue: Vec<Indicator> = [(4, "การใช้ทรัพย์สินของราชการ"), (6, "คุณภาพการดำเนินงาน")]
            .into_iter()
            .map(|(number, name)| Indicator { number, name_th: name.into(), name_en: String::new(), tool: Tool::Iit })
            .collect();
        for digits in [Digits::Thai, Digits::Arabic] {
            let printed = format!(
                "จัดทำคู่มือ ๒ เล่ม{}{}",
                crate::measures::report::indicator_citation(4, "การใช้ทรัพย์สินของราชการ", digits),
                crate::measures::report::indicator_citation(6, "คุณภาพการดำเนินงาน", digits)
            );
            let (title, cited) = cited_indicators(&printed, &catalogue, digits);
            assert_eq!(title, "จัดทำคู่มือ ๒ เล่ม");
            assert_eq!(cited.iter().map(|c| c.0).collect::<Vec<_>>(), vec![4, 6]);
        }
        let (title, cited) = cited_indicators("ไม่อ้างตัวชี้วัด", &catalogue, Digits::Thai);
        assert_eq!((title.as_str(), cited.len()), ("ไม่อ้างตัวชี้วัด", 0));
    }
}
