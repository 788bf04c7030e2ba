//! `/api/v1/orgs/{slug}/ita-scores` (the assessed fiscal years with a result) and
//! `/ita-scores/{year}` (the result: total, level, the three tools, the ten indicators, the IIT/EIT
//! questions and the OIT items), from `ita::scores`. Scores are numbers with two decimals.
//! Who entered a result is not emitted.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;
use super::respond::{self, Keep};
use super::score;
use crate::app::AppState;
use crate::ita::scores::{self, PASS_MARK_X100};

#[derive(Serialize)]
struct YearEntry {
    fiscal_year: i64,
    total: f64,
    grade: String,
    url: String,
}

pub async fn years(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let years = scores::years(&state.db, org.id)
        .await?
        .into_iter()
        .map(|(year, total, grade)| YearEntry {
            fiscal_year: year,
            total: score(total),
            grade,
            url: super::url(&state, &format!("/api/v1/orgs/{}/ita-scores/{year}", org.slug)),
        })
        .collect();
    respond::json(&headers, &super::Years { org: org.slug.clone(), years }, Keep::Until(super::of_org(&org)), None)
}

#[derive(Serialize)]
struct Scores {
    org: String,
    fiscal_year: i64,
    total: f64,
    grade: String,
    pass_mark: f64,
    passed: bool,
    tools: Tools,
    indicators: Vec<IndicatorScore>,
    questions: Vec<QuestionScore>,
    oit_items: Vec<OitItem>,
    source: &'static str,
}

#[derive(Serialize)]
struct Tools {
    iit: Option<f64>,
    eit: Option<f64>,
    oit: Option<f64>,
}

#[derive(Serialize)]
struct IndicatorScore {
    number: i64,
    name_th: String,
    name_en: String,
    tool: &'static str,
    score: f64,
    passed: bool,
}

#[derive(Serialize)]
struct QuestionScore {
    code: String,
    score: f64,
}

#[derive(Serialize)]
struct OitItem {
    code: String,
    passed: bool,
}

pub async fn result(
    State(state): State<AppState>,
    Path((slug, year)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let year = i64::from(super::year_of(&year)?.be());
    let r = scores::load(&state.db, org.id, year).await?.ok_or(ApiError::NoResult)?;
    let catalogue = crate::ita::indicators(&state.db, year).await?;
    let indicators = catalogue
        .iter()
        .filter_map(|i| {
            r.indicator(i.number).map(|x100| IndicatorScore {
                number: i.number,
                name_th: i.name_th.clone(),
                name_en: i.name_en.clone(),
                tool: i.tool.code(),
                score: score(x100),
                passed: x100 >= PASS_MARK_X100,
            })
        })
        .collect();
    let body = Scores {
        org: org.slug.clone(),
        fiscal_year: year,
        total: score(r.total),
        grade: r.grade,
        pass_mark: score(PASS_MARK_X100),
        passed: r.total >= PASS_MARK_X100,
        tools: Tools { iit: r.iit.map(score), eit: r.eit.map(score), oit: r.oit.map(score) },
        indicators,
        questions: r.questions.into_iter().map(|(code, x100)| QuestionScore { code, score: score(x100) }).collect(),
        oit_items: r.oit_items.into_iter().map(|(code, passed)| OitItem { code, passed }).collect(),
        source: r.source.code(),
    };
    respond::json(&headers, &body, Keep::Until(super::of_org(&org)), None)
}
