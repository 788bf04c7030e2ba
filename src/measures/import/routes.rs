//! Staff pages of the import: upload a report file, see what it would change, confirm.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::stage;
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CsrfMultipart, CurrentUser, form_page, page, read_multipart, see_other};
use crate::measures::import::{self, Conflict, Expect, MeasureChange, Prepared, Preview};
use crate::measures::routes::{YearQuery, year_of};
use crate::thai::format_year_be;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/measures/import", get(import_page).post(upload))
        .route("/app/measures/import/{id}/confirm", post(confirm))
}

#[derive(Template)]
#[template(path = "measures/import.html")]
struct ImportPage {
    me: CurrentUser,
    year: i64,
    error: Option<String>,
}

async fn import_page(me: CurrentUser, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    me.require_editor()?;
    page(ImportPage { year: year_of(&q)?, error: None, me })
}

#[derive(Template)]
#[template(path = "measures/import_preview.html")]
struct PreviewPage {
    me: CurrentUser,
    id: i64,
    year: i64,
    year_th: String,
    file_name: String,
    source: String,
    /// "๒๕๖๖" when the file's title names another year than the chosen one.
    other_year_th: Option<String>,
    added: Vec<MeasureChange>,
    changed: Vec<MeasureChange>,
    unchanged: Vec<MeasureChange>,
    removed: Vec<MeasureChange>,
    intro_change: Option<(String, String)>,
    lost: usize,
    error: Option<String>,
}

fn preview_page(
    me: CurrentUser,
    id: i64,
    file_name: &str,
    preview: Preview,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let other_year_th = preview.file_year.filter(|_| preview.year_differs()).map(|y| format_year_be(y as i32, digits));
    let mut response = page(PreviewPage {
        id,
        year: preview.year,
        year_th: format_year_be(preview.year as i32, digits),
        file_name: file_name.to_string(),
        source: preview.source_th(),
        other_year_th,
        lost: preview.lost(),
        added: preview.added,
        changed: preview.changed,
        unchanged: preview.unchanged,
        removed: preview.removed,
        intro_change: preview.intro_change,
        error,
        me,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// Reads the upload and shows what it would change; the register is not touched.
async fn upload(
    State(state): State<AppState>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let (fields, file) = read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let year = year_of(&YearQuery { year: fields.get("year").cloned() })?;
    let refuse = |me: CurrentUser, message: String| form_page(ImportPage { year, error: Some(message), me }, true);
    let Some((file_name, bytes)) = file else {
        return refuse(me, "กรุณาเลือกไฟล์รายงาน".into());
    };
    let prepared = match import::prepare(&state.db, year, &bytes).await? {
        Ok(p) => p,
        Err(problem) => return refuse(me, problem.to_thai()),
    };
    let preview = import::preview(&state.db, me.org_id(), year, &prepared).await?;
    let id = stage::stage(&state.db, me.org_id(), me.user.id, year, &file_name, &bytes, &preview.fingerprint).await?;
    preview_page(me, id, &file_name, preview, None, StatusCode::OK)
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    year_differs: String,
}

/// Applies a previewed file, if the register is still the one previewed.
async fn confirm(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<ConfirmForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let org = me.org_id();
    // Another organization's or user's preview, or an expired one, is not found.
    let staged = stage::find(&state.db, org, me.user.id, id).await?.ok_or(AppError::NotFound)?;
    let year = staged.fiscal_year;
    let prepared: Prepared = match import::prepare(&state.db, year, &staged.content).await? {
        Ok(p) => p,
        Err(problem) => return form_page(ImportPage { year, error: Some(problem.to_thai()), me }, true),
    };
    let preview = import::preview(&state.db, org, year, &prepared).await?;
    if preview.year_differs() && form.year_differs != "yes" {
        let message = format!(
            "ชื่อรายงานในไฟล์ระบุปีงบประมาณ {} แต่เลือกนำเข้าเป็นปี {}: กรุณาทำเครื่องหมายยืนยันก่อนนำเข้า",
            format_year_be(preview.file_year.unwrap_or_default() as i32, me.org.digits),
            format_year_be(year as i32, me.org.digits)
        );
        return preview_page(
            me,
            staged.id,
            &staged.file_name,
            preview,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match import::apply(&state.db, org, year, &prepared, Expect::Previewed(&staged.register_sha256), &me.actor())
        .await?
    {
        Ok(summary) => {
            stage::remove(&state.db, org, staged.id).await?;
            Ok(see_other(&format!("/app/measures?year={year}&imported={}", summary.measures)))
        }
        Err(conflict @ Conflict::Changed) | Err(conflict @ Conflict::NotEmpty(_)) => {
            // Show what the file would change now, and let the user confirm that.
            let preview = import::preview(&state.db, org, year, &prepared).await?;
            stage::refresh(&state.db, org, staged.id, &preview.fingerprint).await?;
            let message = conflict.problem(year).to_thai();
            preview_page(me, staged.id, &staged.file_name, preview, Some(message), StatusCode::CONFLICT)
        }
    }
}
