//! Staff pages of the SOP manual: the issued versions, issuing a new one (the admin or the head of
//! the agency), a draft to read first, and the staff-only list of items still out.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::documents::{self, ManualApproval};
use super::rules::Duty;
use super::{duties_of, manuals, today};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CurrentUser, download, form_page, see_other};
use crate::thai::{FiscalYear, format_date_long, format_year_be, parse_thai_date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/lending/manual", get(manual_page).post(issue_manual))
        .route("/app/lending/manual.pdf", get(draft_pdf))
        .route("/app/lending/manuals/{id}", get(version_pdf))
        .route("/app/lending/outstanding.pdf", get(outstanding_pdf))
}

/// The admin or the head of the agency (who approves the manual) may issue it.
async fn may_issue(state: &AppState, me: &CurrentUser) -> Result<bool, AppError> {
    Ok(me.user.role == crate::auth::Role::Admin || duties_of(&state.db, me.user.id).await?.contains(&Duty::OrgHead))
}

/// One row of the versions table, every string final.
struct VersionRow {
    id: i64,
    fiscal_year: String,
    approved_on: String,
    approver: String,
    issued_by: String,
}

#[derive(Template)]
#[template(path = "lending/manual.html")]
struct ManualPage {
    me: CurrentUser,
    versions: Vec<VersionRow>,
    can_issue: bool,
    fiscal_year: String,
    approved_on: String,
    approver_name: String,
    approver_position: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct IssueForm {
    #[serde(default)]
    fiscal_year: String,
    #[serde(default)]
    approved_on: String,
    #[serde(default)]
    approver_name: String,
    #[serde(default)]
    approver_position: String,
}

async fn manual_view(
    state: &AppState,
    me: CurrentUser,
    typed: IssueForm,
    error: Option<String>,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let versions = manuals::list(&state.db, me.org_id())
        .await?
        .into_iter()
        .map(|v| VersionRow {
            id: v.id,
            fiscal_year: format_year_be(v.approval.fiscal_year.be(), digits),
            approved_on: format_date_long(v.approval.approved_on, digits),
            approver: format!("{} ({})", v.approval.approver_name, v.approval.approver_position),
            issued_by: v.issued_by,
        })
        .collect();
    let can_issue = may_issue(state, &me).await?;
    let refused = error.is_some();
    let fiscal_year =
        if typed.fiscal_year.is_empty() { FiscalYear::of(today()).be().to_string() } else { typed.fiscal_year };
    form_page(
        ManualPage {
            me,
            versions,
            can_issue,
            fiscal_year,
            approved_on: typed.approved_on,
            approver_name: typed.approver_name,
            approver_position: typed.approver_position,
            error,
        },
        refused,
    )
}

async fn manual_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    manual_view(&state, me, IssueForm::default(), None).await
}

/// Reads the issue form; a wrong field is named in Thai.
fn parse_issue(form: &IssueForm) -> Result<ManualApproval, String> {
    let year = crate::thai::to_arabic_digits(form.fiscal_year.trim())
        .parse::<i32>()
        .ok()
        .and_then(|y| FiscalYear::new(y).ok())
        .ok_or("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น ๒๕๖๖ (ช่อง “ปีงบประมาณ”)")?;
    let raw = form.approved_on.trim();
    let approved_on = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .or_else(|| parse_thai_date(raw).ok())
        .ok_or("อ่านวันที่อนุมัติไม่ได้ ใช้รูปแบบ ๒/๑๐/๒๕๖๖ (ช่อง “วันที่อนุมัติ”)")?;
    Ok(ManualApproval {
        fiscal_year: year,
        approved_on,
        approver_name: form.approver_name.clone(),
        approver_position: form.approver_position.clone(),
    })
}

async fn issue_manual(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<IssueForm>,
) -> Result<Response, AppError> {
    if !may_issue(&state, &me).await? {
        return Err(AppError::Forbidden);
    }
    let approval = match parse_issue(&form) {
        Ok(a) => a,
        Err(message) => return manual_view(&state, me, form, Some(message.to_string())).await,
    };
    match manuals::issue(&state.db, &state.pdf, &me.org, &approval, &me.actor()).await? {
        Ok(_) => Ok(see_other("/app/lending/manual")),
        Err(message) => manual_view(&state, me, form, Some(message)).await,
    }
}

async fn draft_pdf(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let bytes = documents::build::draft_manual_pdf(&state.db, &state.pdf, &me.org).await?;
    Ok(download(bytes, "application/pdf", &format!("lending-manual-draft-{}.pdf", me.org.slug), true))
}

async fn version_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let bytes = manuals::pdf_of(&state.db, &state.pdf, me.org_id(), Some(id)).await?.ok_or(AppError::NotFound)?;
    Ok(download(bytes, "application/pdf", &format!("lending-manual-{}-{id}.pdf", me.org.slug), true))
}

/// Names borrowers: staff of the organization only (`CurrentUser` requires a login, and the list
/// is read for the user's own organization).
async fn outstanding_pdf(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let bytes = documents::build::outstanding_pdf(&state.db, &state.pdf, &me.org).await?;
    Ok(download(bytes, "application/pdf", &format!("outstanding-{}.pdf", me.org.slug), true))
}
