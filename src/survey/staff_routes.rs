//! The staff pages: the organization's surveys with their results (comments included), the
//! downloads (report PDF, XLSX, CSV; QR posters), a new survey from the default questionnaire, and
//! per-visit links printed for a receipt or a loan's return.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use std::collections::HashMap;

use super::documents::build::{self, Format};
use super::documents::poster::{self, Paper};
use super::editor::{self, EditorForm};
use super::report_view::ReportView;
use super::results_routes::{parse_year, report};
use super::scale::Scale;
use super::store::{self, Survey, SurveyId};
use super::visits::{self, Place, Source};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CurrentUser, download, page, see_other};
use crate::thai::FiscalYear;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/survey", get(index).post(create))
        .route("/app/survey/{id}", get(results))
        .route("/app/survey/{id}/report/{file}", get(report_download))
        .route("/app/survey/{id}/poster.pdf", get(poster_pdf))
        .route("/app/survey/{id}/tokens", post(new_token))
        .route("/app/survey/{id}/edit", get(edit_page).post(publish_edit))
        .route("/app/survey/loan/{loan}", post(loan_token))
}

/// A returned loan's link to the organization's main survey: one answer for that loan's visit.
async fn loan_token(
    State(state): State<AppState>,
    Path(loan): Path<i64>,
    form: CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let me = form.user;
    me.require_editor()?;
    let found = crate::lending::loans::find(&state.db, me.org_id(), crate::lending::LoanId(loan))
        .await?
        .ok_or(AppError::NotFound)?;
    if found.status != crate::lending::workflow::LoanStatus::Returned {
        return Err(AppError::Conflict("ออกลิงก์ประเมินได้เมื่อรับคืนพัสดุเรียบร้อยแล้ว".into()));
    }
    let survey = store::main_survey(&state.db, me.org_id())
        .await?
        .ok_or_else(|| AppError::Conflict("หน่วยงานยังไม่มีแบบประเมินที่เผยแพร่ เพิ่มได้ที่เมนูแบบประเมินความพึงพอใจ".into()))?;
    // "#ID": the loan's row, apart from a number staff type on the survey page's form.
    let reference = format!("#{loan}");
    let token = visits::create_token(
        &state.db,
        me.org_id(),
        survey.id,
        Source::Loan,
        &reference,
        Place::default(),
        &me.actor(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let url = format!("{}/o/{}/survey/v/{token}", state.settings.public_url.trim_end_matches('/'), me.org.slug);
    results_page(&state, me, survey, this_year(), url).await
}

#[derive(Template)]
#[template(path = "survey/editor.html")]
struct EditorPage {
    me: CurrentUser,
    survey: Survey,
    /// The version the form starts from.
    version: i64,
    form: EditorForm,
    errors: Vec<String>,
}

async fn edit_page(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    me.require_editor()?;
    let survey = survey_of(&state, &me, id).await?;
    let latest = store::version(&state.db, me.org_id(), survey.id, None).await?;
    let (version, form) = match &latest {
        Some(v) => (v.number, editor::form_of(&v.questionnaire)),
        None => (0, editor::form_of(&super::questionnaire::default_questionnaire())),
    };
    page(EditorPage { me, survey, version, form, errors: Vec::new() })
}

/// Publishes the edited questionnaire as the next version; a refused one comes back as typed.
async fn publish_edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (me, fields) = (form.user, form.form);
    me.require_editor()?;
    let survey = survey_of(&state, &me, id).await?;
    let typed = editor::read_form(&fields);
    let based_on = fields.get("based_on").and_then(|v| v.trim().parse::<i64>().ok());
    let published = store::publish_built(
        &state.db,
        me.org_id(),
        survey.id,
        Some(based_on.unwrap_or(0)),
        |used| editor::questionnaire_of(&typed, used),
        &me.actor(),
    )
    .await?;
    match published {
        Ok(_) => Ok(see_other(&format!("/app/survey/{}?published=1", survey.id))),
        Err(refusal) => {
            let errors = match refusal {
                store::SurveyRefusal::Invalid(faults) => faults.iter().map(|f| me.org.digits.apply(f)).collect(),
                other => vec![me.org.digits.apply(&other.to_string())],
            };
            let version = based_on.unwrap_or(0);
            crate::http::form_page(EditorPage { me, survey, version, form: typed, errors }, true)
        }
    }
}

struct SurveyRow {
    survey: Survey,
    versions: usize,
    form_url: String,
}

#[derive(Template)]
#[template(path = "survey/index.html")]
struct IndexPage {
    me: CurrentUser,
    surveys: Vec<SurveyRow>,
    year: i32,
    error: String,
}

fn this_year() -> FiscalYear {
    FiscalYear::of(crate::thai::today_in_thailand())
}

async fn index_page(state: &AppState, me: CurrentUser, error: String) -> Result<Response, AppError> {
    let mut surveys = Vec::new();
    for survey in store::list(&state.db, me.org_id()).await? {
        let versions = store::version_numbers(&state.db, me.org_id(), survey.id).await?.len();
        let form_url = poster::form_url(&state.settings.public_url, &me.org.slug, survey.id.0, None, None);
        surveys.push(SurveyRow { survey, versions, form_url });
    }
    let refused = !error.is_empty();
    crate::http::form_page(IndexPage { me, surveys, year: this_year().be(), error }, refused)
}

async fn index(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    index_page(&state, me, String::new()).await
}

#[derive(Deserialize, Default)]
struct NewSurveyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scale: String,
}

async fn create(State(state): State<AppState>, form: CsrfForm<NewSurveyForm>) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    me.require_editor()?;
    let scale = Scale::from_code(&form.scale).unwrap_or_default();
    match store::create(&state.db, me.org_id(), &form.name, scale, &me.actor()).await? {
        Ok(id) => {
            let q = super::questionnaire::default_questionnaire();
            store::publish(&state.db, me.org_id(), id, &q, &me.actor())
                .await?
                .map_err(|r| AppError::Internal(anyhow::anyhow!("the default questionnaire: {r}")))?;
            Ok(see_other(&format!("/app/survey/{id}")))
        }
        Err(refusal) => index_page(&state, me, refusal.to_string()).await,
    }
}

#[derive(Deserialize, Default)]
struct YearQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    paper: String,
}

fn year_of(q: &YearQuery) -> Result<FiscalYear, AppError> {
    if q.year.trim().is_empty() { Ok(this_year()) } else { parse_year(q.year.trim()) }
}

async fn survey_of(state: &AppState, me: &CurrentUser, id: i64) -> Result<Survey, AppError> {
    store::find(&state.db, me.org_id(), SurveyId(id)).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "survey/staff_results.html")]
struct ResultsPage {
    me: CurrentUser,
    survey: Survey,
    year: i32,
    years: Vec<i32>,
    report: ReportView,
    points: Vec<(i64, String)>,
    services: Vec<(i64, String)>,
    /// The link just made for a visit, shown once with its QR.
    token_url: String,
    token_qr: String,
}

async fn results_page(
    state: &AppState,
    me: CurrentUser,
    survey: Survey,
    year: FiscalYear,
    token_url: String,
) -> Result<Response, AppError> {
    let org = me.org.clone();
    let report = report(&state.db, &org, &survey, year).await?;
    let (services, points) = super::results_routes::names(&state.db, &org).await?;
    let now = this_year().be();
    let years = (now - 4..=now).rev().collect();
    let token_qr = if token_url.is_empty() { String::new() } else { crate::queue::ticket_doc::qr_data_uri(&token_url) };
    page(ResultsPage {
        me,
        survey,
        year: year.be(),
        years,
        report,
        points: points.into_iter().collect(),
        services: services.into_iter().collect(),
        token_url,
        token_qr,
    })
}

async fn results(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let survey = survey_of(&state, &me, id).await?;
    results_page(&state, me, survey, year_of(&q)?, String::new()).await
}

async fn report_download(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, file)): Path<(i64, String)>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let survey = survey_of(&state, &me, id).await?;
    let year = year_of(&q)?;
    let format = file.strip_prefix("satisfaction.").and_then(Format::parse).ok_or(AppError::NotFound)?;
    let org = &me.org;
    let bytes = build::report_file(&state.db, &state.pdf, org, &survey, year, format).await?;
    let name = format!("satisfaction-{}-{}.{}", org.slug, year.be(), format.extension());
    Ok(download(bytes, format.content_type(), &name, format == Format::Pdf))
}

async fn poster_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let survey = survey_of(&state, &me, id).await?;
    let paper = Paper::parse(&q.paper).unwrap_or(Paper::A4);
    let org = &me.org;
    let pages = build::poster_pages(&state.db, org, &survey, None, &state.settings.public_url).await?;
    let bytes = build::poster_pdf(&state.pdf, org, pages, paper).await?;
    Ok(download(bytes, "application/pdf", &format!("survey-qr-{}.pdf", org.slug), true))
}

#[derive(Deserialize, Default)]
struct TokenForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    source_ref: String,
    #[serde(default)]
    point: String,
    #[serde(default)]
    service: String,
}

fn optional_id(s: &str) -> Result<Option<i64>, AppError> {
    super::public_routes::optional_id(s).map_err(|_| AppError::Invalid("จุดบริการหรืองานบริการไม่ถูกต้อง".into()))
}

async fn new_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let (me, form) = (form.user, form.form);
    me.require_editor()?;
    let survey = survey_of(&state, &me, id).await?;
    let source = if form.source == "loan" { Source::Loan } else { Source::Receipt };
    let (point, service) = (optional_id(&form.point)?, optional_id(&form.service)?);
    // Only the organization's own places: another's ids are refused as unknown.
    if let Some(p) = point {
        crate::queue::store::point(&state.db, me.org_id(), crate::queue::PointId(p))
            .await?
            .ok_or(AppError::NotFound)?;
    }
    if let Some(s) = service {
        crate::services::store::find(&state.db, me.org_id(), crate::services::ServiceId(s))
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let reference = crate::text::clean(form.source_ref.trim(), crate::text::Lines::One)
        .map_err(|bad| AppError::Invalid(format!("เลขที่ใบรับ: {}", bad.what_th())))?
        .chars()
        .take(100)
        .collect::<String>();
    let place = Place { point, service, counter: None };
    let token = visits::create_token(&state.db, me.org_id(), survey.id, source, &reference, place, &me.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    let url = format!("{}/o/{}/survey/v/{token}", state.settings.public_url.trim_end_matches('/'), me.org.slug);
    results_page(&state, me, survey, this_year(), url).await
}
