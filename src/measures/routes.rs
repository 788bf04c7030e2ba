//! Staff pages of the measures register.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::report::{self, Format, ReportSource};
use super::rules::{FieldError, MeasureForm, items_to_text, parse_form};
use super::{Measure, MeasureId, Status, store};
use crate::app::AppState;
use crate::http::paging::{self, PageRequest, Pager};
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, download, form_page, page, see_other};
use crate::thai::{Digits, FiscalYear, format_int, to_arabic_digits};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app", get(|| async { see_other("/app/measures") }))
        .route("/app/measures", get(list))
        .route("/app/measures/new", get(new_page).post(create))
        .route("/app/measures/intro", post(set_intro))
        .route("/app/measures/report", get(download_report))
        .route("/app/measures/{id}", get(edit_page).post(update))
        .route("/app/measures/{id}/delete", post(delete))
        .route("/app/measures/{id}/move", post(move_measure))
        .route("/app/audit", get(audit_page))
        .merge(super::import::routes::router())
        .merge(super::evidence_routes::router())
}

#[derive(Deserialize, Default)]
pub(super) struct YearQuery {
    pub(super) year: Option<String>,
}

/// The year asked for, else the current fiscal year.
pub(super) fn year_of(q: &YearQuery) -> Result<i64, AppError> {
    match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(FiscalYear::of(crate::thai::today_in_thailand()).be() as i64),
        Some(y) => y
            .parse::<FiscalYear>()
            .map(|fy| fy.be() as i64)
            .map_err(|e| AppError::Invalid(format!("ปีงบประมาณ \"{y}\" ไม่ถูกต้อง: {}", e.message_th()))),
    }
}

/// A year already checked by [`year_of`] or stored with a measure, as the type the rules take.
fn fiscal_year(year: i64) -> Result<FiscalYear, AppError> {
    FiscalYear::new(year as i32).map_err(|e| AppError::Invalid(e.message_th()))
}

fn year_label(year: i64, digits: Digits) -> String {
    format!("ปีงบประมาณ พ.ศ. {}", crate::thai::format_year_be(year as i32, digits))
}

struct Row {
    id: i64,
    number: String,
    title: String,
    indicators: String,
    period: String,
    status: &'static str,
    progress: String,
}

#[derive(Template)]
#[template(path = "measures/list.html")]
struct ListPage {
    me: CurrentUser,
    year: i64,
    year_label: String,
    years: Vec<(i64, String)>,
    measures: Vec<Row>,
    count: String,
    can_edit: bool,
    intro: String,
    notice: Option<String>,
    public_url: String,
    life: super::publication::routes::LifeView,
    /// Last year's ITA indicators below the mark that no measure of this year answers yet:
    /// (assessed year, its label, the indicators).
    ita_gaps: Option<(i64, String, String)>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    year: Option<String>,
    imported: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let org = me.org_id();
    let digits = me.org.digits;
    let mut known = store::years(&state.db, org).await?;
    let year = match &q.year {
        Some(_) => year_of(&YearQuery { year: q.year.clone() })?,
        None => known.first().copied().unwrap_or(year_of(&YearQuery::default())?),
    };
    let current = year_of(&YearQuery::default())?;
    for y in [year, current, current + 1] {
        if !known.contains(&y) {
            known.push(y);
        }
    }
    known.sort_unstable_by(|a, b| b.cmp(a));
    let measures = store::list(&state.db, org, year).await?;
    let rows = measures
        .iter()
        .enumerate()
        .map(|(i, m)| Row {
            id: m.id.0,
            number: format_int(i as i64 + 1, digits),
            title: m.input.title.clone(),
            indicators: m.input.indicators.iter().map(|n| format_int(*n, digits)).collect::<Vec<_>>().join(", "),
            period: m.input.period.as_ref().map(|p| p.format(digits)).unwrap_or_default(),
            status: m.input.status.label_th(),
            progress: format!("{}%", format_int(m.input.progress, digits)),
        })
        .collect();
    let intro =
        store::intro(&state.db, org, year).await?.unwrap_or_else(|| report::default_intro(&me.org, year, digits));
    let notice = q.imported.map(|n| format!("นำเข้าแล้ว {n} มาตรการ"));
    let life = super::publication::routes::life_view(&state, &me, year, None, Default::default()).await?;
    let ita_gaps = ita_gaps(&state, org, year, &measures, digits).await?;
    page(ListPage {
        ita_gaps,
        life,
        public_url: format!("/o/{}/ita/{year}/measures", me.org.slug),
        year,
        year_label: year_label(year, digits),
        years: known.into_iter().map(|y| (y, crate::thai::format_year_be(y as i32, digits))).collect(),
        count: format_int(measures.len() as i64, digits),
        measures: rows,
        can_edit: me.user.role.can_edit(),
        intro,
        notice,
        me,
    })
}

/// The weak indicators of the year before's ITA result that no measure of `year` answers.
async fn ita_gaps(
    state: &AppState,
    org: crate::orgs::OrgId,
    year: i64,
    measures: &[crate::measures::Measure],
    digits: crate::thai::Digits,
) -> Result<Option<(i64, String, String)>, AppError> {
    let Some(result) = crate::ita::scores::load(&state.db, org, year - 1).await? else { return Ok(None) };
    let gaps = crate::ita::analysis::unanswered(&result, measures);
    if gaps.is_empty() {
        return Ok(None);
    }
    let names = crate::ita::indicators(&state.db, year - 1).await?;
    let listed = gaps
        .iter()
        .map(|n| {
            let name = names.iter().find(|i| i.number == *n).map(|i| i.name_th.as_str()).unwrap_or("");
            format!("ตัวชี้วัดที่ {} {name}", format_int(*n, digits))
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Some((year - 1, crate::thai::format_year_be(year as i32 - 1, digits), listed)))
}

/// The form's fields as text, for showing a stored measure or echoing a refused post.
#[derive(Default)]
struct FormView {
    title: String,
    methods: String,
    responsible: String,
    period: String,
    results: String,
    outcomes: String,
    status: String,
    progress: String,
    indicators: Vec<i64>,
}

impl FormView {
    fn of(m: &Measure, digits: Digits) -> Self {
        FormView {
            title: m.input.title.clone(),
            methods: items_to_text(&m.input.methods, digits),
            responsible: m.input.responsible.join("\n"),
            period: m.input.period.as_ref().map(|p| p.format(digits)).unwrap_or_default(),
            results: items_to_text(&m.input.results, digits),
            outcomes: items_to_text(&m.input.outcomes, digits),
            status: m.input.status.code().to_string(),
            progress: format_int(m.input.progress, digits),
            indicators: m.input.indicators.clone(),
        }
    }

    fn echo(f: &MeasureForm) -> Self {
        FormView {
            title: f.title.clone(),
            methods: f.methods.clone(),
            responsible: f.responsible.clone(),
            period: f.period.clone(),
            results: f.results.clone(),
            outcomes: f.outcomes.clone(),
            status: f.status.clone(),
            progress: f.progress.clone(),
            indicators: f.indicators.iter().filter_map(|s| to_arabic_digits(s).parse().ok()).collect(),
        }
    }
}

struct IndicatorChoice {
    number: i64,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "measures/edit.html")]
struct EditPage {
    me: CurrentUser,
    id: Option<i64>,
    year: i64,
    year_label: String,
    action: String,
    form: FormView,
    errors: FieldErrors,
    indicators: Vec<IndicatorChoice>,
    statuses: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    /// The confirmation of the last save ("บันทึกมาตรการ … แล้ว").
    saved: Option<String>,
    /// How many pieces of evidence the measure has, for the link to its evidence page.
    evidence_count: String,
}

/// Where a save lands: the measure's page, which confirms it.
fn saved_url(id: MeasureId) -> String {
    format!("/app/measures/{}?saved=1", id.0)
}

/// The rules' field errors, as the form templates show them.
fn field_errors(errors: Vec<FieldError>) -> FieldErrors {
    let mut out = FieldErrors::new();
    for e in errors {
        out.add(e.field, e.message);
    }
    out
}

async fn edit_view(
    state: &AppState,
    me: CurrentUser,
    id: Option<MeasureId>,
    year: i64,
    form: FormView,
    errors: FieldErrors,
    saved: Option<String>,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let indicators = crate::ita::indicators(&state.db, year)
        .await?
        .into_iter()
        .map(|i| IndicatorChoice {
            number: i.number,
            label: format!("ตัวชี้วัดที่ {} {} ({})", format_int(i.number, digits), i.name_th, i.tool.code()),
            checked: form.indicators.contains(&i.number),
        })
        .collect();
    let evidence_count = match id {
        Some(id) => super::evidence::list_for_measure(&state.db, me.org_id(), id).await?.len(),
        None => 0,
    };
    let refused = !errors.is_empty();
    form_page(
        EditPage {
            id: id.map(|i| i.0),
            year,
            year_label: year_label(year, digits),
            action: match id {
                Some(id) => format!("/app/measures/{}", id.0),
                None => format!("/app/measures/new?year={year}"),
            },
            form,
            errors,
            indicators,
            statuses: Status::ALL.iter().map(|s| (s.code(), s.label_th())).collect(),
            can_edit: me.user.role.can_edit(),
            saved,
            evidence_count: format_int(evidence_count as i64, digits),
            me,
        },
        refused,
    )
}

async fn new_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let year = year_of(&q)?;
    let form = FormView { status: Status::Planned.code().into(), progress: "0".into(), ..Default::default() };
    edit_view(&state, me, None, year, form, FieldErrors::new(), None).await
}

async fn known_indicators(state: &AppState, year: i64) -> Result<Vec<i64>, AppError> {
    Ok(crate::ita::indicators(&state.db, year).await?.iter().map(|i| i.number).collect())
}

async fn create(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
    CsrfForm { user: me, form }: CsrfForm<MeasureForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let year = year_of(&q)?;
    match parse_form(&form, fiscal_year(year)?, &known_indicators(&state, year).await?) {
        Ok(input) => {
            let id = store::create(&state.db, me.org_id(), year, &input, &me.actor()).await?;
            Ok(see_other(&saved_url(id)))
        }
        Err(errors) => edit_view(&state, me, None, year, FormView::echo(&form), field_errors(errors), None).await,
    }
}

async fn find(state: &AppState, me: &CurrentUser, id: i64) -> Result<Measure, AppError> {
    store::find(&state.db, me.org_id(), MeasureId(id)).await?.ok_or(AppError::NotFound)
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

async fn edit_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let m = find(&state, &me, id).await?;
    let form = FormView::of(&m, me.org.digits);
    let saved = q.saved.map(|_| format!("บันทึกมาตรการ “{}” แล้ว", m.input.title));
    edit_view(&state, me, Some(m.id), m.fiscal_year, form, FieldErrors::new(), saved).await
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<MeasureForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let m = find(&state, &me, id).await?;
    match parse_form(&form, fiscal_year(m.fiscal_year)?, &known_indicators(&state, m.fiscal_year).await?) {
        Ok(input) => {
            if !store::update(&state.db, me.org_id(), m.id, &input, &me.actor()).await? {
                return Err(AppError::NotFound);
            }
            Ok(see_other(&saved_url(m.id)))
        }
        Err(errors) => {
            edit_view(&state, me, Some(m.id), m.fiscal_year, FormView::echo(&form), field_errors(errors), None).await
        }
    }
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let m = find(&state, &me, id).await?;
    if form.confirm != "yes" {
        return Err(AppError::Invalid("กรุณาทำเครื่องหมายยืนยันการลบ".into()));
    }
    store::delete(&state.db, me.org_id(), m.id, &me.actor()).await?;
    Ok(see_other(&format!("/app/measures?year={}", m.fiscal_year)))
}

#[derive(Deserialize)]
struct MoveForm {
    step: i64,
}

async fn move_measure(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<MoveForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let m = find(&state, &me, id).await?;
    store::move_by(&state.db, me.org_id(), m.id, form.step.signum(), &me.actor()).await?;
    Ok(see_other(&format!("/app/measures?year={}", m.fiscal_year)))
}

#[derive(Deserialize)]
struct IntroForm {
    year: String,
    intro: String,
}

async fn set_intro(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<IntroForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let year = year_of(&YearQuery { year: Some(form.year) })?;
    let intro = form.intro.trim();
    if intro.is_empty() {
        return Err(AppError::Invalid("กรุณากรอกย่อหน้าเปิดของรายงาน".into()));
    }
    let mut tx = state.db.write(me.org_id()).await?;
    store::set_intro_in(&mut tx, me.org_id(), year, intro, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/measures?year={year}")))
}

#[derive(Deserialize)]
struct ReportQuery {
    year: Option<String>,
    format: Option<String>,
}

async fn download_report(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&YearQuery { year: q.year })?;
    let format: Format = q.format.as_deref().unwrap_or("pdf").parse().map_err(AppError::Invalid)?;
    let org = me.org.clone();
    let source = ReportSource::load(&state.db, org.clone(), year).await?;
    let bytes = report::render(&state.pdf, &source, format).await?;
    Ok(download(bytes, format.content_type(), &report::file_name(&org, year, format), false))
}

struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    entity_id: String,
    hash: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    me: CurrentUser,
    entries: Vec<AuditRow>,
    pager: Pager,
}

async fn audit_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<paging::ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&query)?;
    let (entries, total) = crate::audit::page(&state.db, me.org_id(), &request).await?;
    let pager = Pager::new("/app/audit", &request, total, entries.len(), me.org.digits);
    let entries = entries
        .into_iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: crate::thai::format_instant_th(e.at, me.org.digits),
            actor: crate::audit::words::actor_th(&e.actor).to_string(),
            action: crate::audit::words::action_th(&e.action).to_string(),
            entity: crate::audit::words::entity_th(&e.entity).to_string(),
            entity_id: e.entity_id,
            hash: e.hash[..16].to_string(),
        })
        .collect();
    page(AuditPage { me, entries, pager })
}
