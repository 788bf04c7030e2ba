//! Staff side of the report's life: the year's state on the measures list page, the executive's
//! approval (ผู้บริหารเห็นชอบ) and publishing a version.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;

use super::publish;
use super::rules::{YearState, parse_approval};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, see_other};
use crate::thai::{Digits, FiscalYear, format_date_field, format_date_words, format_instant_th, format_int};

pub fn router() -> Router<AppState> {
    Router::new().route("/app/measures/approve", post(approve)).route("/app/measures/publish", post(publish_version))
}

/// One published version as the staff list shows it.
pub struct VersionRow {
    pub label: String,
    pub published: String,
    pub published_by: String,
    pub page: String,
    pub pdf: String,
    pub docx: String,
}

/// The approval form's fields as typed (or proposed).
#[derive(Deserialize, Default)]
pub struct ApproveForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub approver_name: String,
    #[serde(default)]
    pub approver_position: String,
    #[serde(default)]
    pub approved_on: String,
    /// The hash of the draft the executive read.
    #[serde(default)]
    pub seen: String,
}

/// The year's report state for the measures list page, every string final.
pub struct LifeView {
    pub year: i64,
    pub state: String,
    /// The last approval in words, and whether it still covers the draft.
    pub approval: Option<(String, bool)>,
    /// Why the draft cannot be published now, in Thai (none when it can, or nothing to say).
    pub blocked: Option<String>,
    pub can_approve: bool,
    pub can_publish: bool,
    pub form: ApproveForm,
    pub date_echo: String,
    pub errors: FieldErrors,
    pub versions: Vec<VersionRow>,
}

/// The state of `year`'s report for `me`, with the approval form proposed or as typed.
pub async fn life_view(
    state: &AppState,
    me: &CurrentUser,
    year: i64,
    typed: Option<ApproveForm>,
    errors: FieldErrors,
) -> Result<LifeView, AppError> {
    let digits = me.org.digits;
    let draft = publish::draft(&state.db, me.org.clone(), year).await?.state;
    let base = format!("/o/{}/ita/{year}/measures", me.org.slug);
    let form = typed.unwrap_or_else(|| proposed_form(me, year, &draft, digits));
    let blocked = draft.blocked_th(digits);
    Ok(LifeView {
        year,
        state: draft.label_th(digits),
        approval: draft.approval_th(digits),
        blocked,
        can_approve: me.user.role == Role::Executive && draft.has_measures,
        can_publish: draft.may_publish().is_ok(),
        date_echo: crate::thai::parse_date_field(&form.approved_on)
            .map(|d| format_date_words(d, digits))
            .unwrap_or_default(),
        form,
        errors,
        versions: draft
            .versions
            .iter()
            .map(|v| VersionRow {
                label: format!("ฉบับที่ {}", format_int(v.number, digits)),
                published: format_instant_th(v.published_at, digits),
                published_by: crate::audit::words::actor_th(&v.published_by).to_string(),
                page: format!("{base}/v/{}", v.number),
                pdf: format!("{base}/v/{}.pdf", v.number),
                docx: format!("{base}/v/{}.docx", v.number),
            })
            .collect(),
    })
}

/// What the form proposes: the executive's own name, the last approval's position, today.
fn proposed_form(me: &CurrentUser, year: i64, draft: &YearState, digits: Digits) -> ApproveForm {
    ApproveForm {
        year: year.to_string(),
        approver_name: draft
            .approval
            .as_ref()
            .map_or_else(|| me.user.display_name.clone(), |a| a.approver_name.clone()),
        approver_position: draft.approval.as_ref().map(|a| a.approver_position.clone()).unwrap_or_default(),
        approved_on: format_date_field(crate::thai::today_in_thailand(), digits),
        seen: draft.draft_sha256.clone(),
    }
}

/// A refused approval comes back on a page of its own, as typed, errors beside the fields.
#[derive(Template)]
#[template(path = "measures/approve.html")]
struct ApprovePage {
    me: CurrentUser,
    life: LifeView,
    year_label: String,
}

fn year_of(typed: &str) -> Result<FiscalYear, AppError> {
    typed
        .trim()
        .parse::<FiscalYear>()
        .map_err(|e| AppError::Invalid(format!("ปีงบประมาณ \"{typed}\" ไม่ถูกต้อง: {}", e.message_th())))
}

async fn approve(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<ApproveForm>,
) -> Result<Response, AppError> {
    if me.user.role != Role::Executive {
        return Err(AppError::Forbidden);
    }
    let fiscal_year = year_of(&form.year)?;
    let year = i64::from(fiscal_year.be());
    let today = crate::thai::today_in_thailand();
    let errors =
        match parse_approval(&form.approver_name, &form.approver_position, &form.approved_on, fiscal_year, today) {
            Ok(input) => match publish::approve(&state.db, &me.org, year, &input, Some(&form.seen), &me.actor()).await?
            {
                Ok(_) => return Ok(see_other(&format!("/app/measures?year={year}#report-life"))),
                Err(refusal) => FieldErrors::one("report-life", refusal.message_th(me.org.digits)),
            },
            Err(errors) => errors,
        };
    let life = life_view(&state, &me, year, Some(form), errors).await?;
    let year_label = crate::thai::format_year_be(fiscal_year.be(), me.org.digits);
    form_page(ApprovePage { me, life, year_label }, true)
}

#[derive(Deserialize)]
struct PublishForm {
    #[serde(default)]
    year: String,
}

/// Editors and executives publish; the rules (an approval of the draft as it stands) decide.
async fn publish_version(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<PublishForm>,
) -> Result<Response, AppError> {
    if !(me.user.role.can_edit() || me.user.role == Role::Executive) {
        return Err(AppError::Forbidden);
    }
    let year = i64::from(year_of(&form.year)?.be());
    match publish::publish(&state.db, &state.pdf, &me.org, year, &me.actor()).await? {
        Ok(_) => Ok(see_other(&format!("/app/measures?year={year}#report-life"))),
        Err(refusal) => Err(AppError::Conflict(refusal.message_th(me.org.digits))),
    }
}
