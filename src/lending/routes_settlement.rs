//! Staff pages' parts for settlements (on the loan page) and write-offs (on the item page):
//! the forms keep what was typed and show each problem beside its field and in the summary.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;

use super::loans::StepRefusal;
use super::settlement::{self, Problem, SettlementForm};
use super::store_settlement;
use super::{ItemId, LoanId, duties_of};
use crate::app::AppState;
use crate::http::FieldErrors;
use crate::http::{AppError, CsrfForm, CurrentUser, see_other};
use crate::thai::{Digits, format_date_medium, format_int};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/app/lending/items/{id}/write-off", post(write_off))
        .route("/app/lending/items/{id}/reserve", post(set_reserve))
}

/// What the settlement form holds: what was typed, and the problems by field.
#[derive(Clone, Debug, Default)]
pub(super) struct SettleView {
    pub how: String,
    pub amount: String,
    pub receipt: String,
    pub on: String,
    pub note: String,
    pub problems: Vec<Problem>,
}

/// What the item page's stock forms (write-off, reserve) hold: what was typed, and the problems
/// by field.
#[derive(Clone, Debug, Default)]
pub(super) struct WriteOffView {
    /// The reserve typed; `None`: the item's own.
    pub reserve: Option<String>,
    pub units: String,
    pub on: String,
    pub reason: String,
    pub reference: String,
    pub problems: Vec<Problem>,
}

fn problem_of(problems: &[Problem], field: &str) -> Option<String> {
    let messages: Vec<&str> = problems.iter().filter(|p| p.field == field).map(|p| p.message.as_str()).collect();
    (!messages.is_empty()).then(|| messages.join(" · "))
}

impl SettleView {
    /// The problem of a field, shown beside it.
    pub fn problem(&self, field: &str) -> Option<String> {
        problem_of(&self.problems, field)
    }
}

impl WriteOffView {
    pub fn problem(&self, field: &str) -> Option<String> {
        problem_of(&self.problems, field)
    }
}

/// The settlement fields of the loan page's step form (the rest is `routes::ActForm`).
pub(super) struct SettleFields<'a> {
    pub how: &'a str,
    pub amount: &'a str,
    pub receipt: &'a str,
    pub on: &'a str,
    pub note: &'a str,
}

/// Records a settlement from the loan page; a refused form comes back with what was typed.
pub(super) async fn settle(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    fields: SettleFields<'_>,
) -> Result<Response, AppError> {
    let mut view = SettleView {
        how: fields.how.to_string(),
        amount: fields.amount.to_string(),
        receipt: fields.receipt.to_string(),
        on: fields.on.to_string(),
        note: fields.note.to_string(),
        problems: Vec::new(),
    };
    let on = match fields.on.trim() {
        "" => None,
        s => match super::routes::parse_day(s, "วันที่ชดใช้") {
            Ok(d) => Some(d),
            Err(message) => {
                view.problems.push(Problem { field: "on", message });
                return refused(state, me, id, view, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let form = SettlementForm {
        how: view.how.clone(),
        amount: view.amount.clone(),
        receipt: view.receipt.clone(),
        on,
        note: view.note.clone(),
    };
    let duties = duties_of(&state.db, me.user.id).await?;
    match store_settlement::settle(&state.db, me.org_id(), LoanId(id), &form, &me.user, &duties).await? {
        None => Err(AppError::NotFound),
        Some(Ok(())) => Ok(see_other(&format!("/app/lending/loans/{id}"))),
        Some(Err(StepRefusal::Settlement(problems))) => {
            view.problems = problems;
            refused(state, me, id, view, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Some(Err(e)) => {
            let status = match &e {
                StepRefusal::Workflow(w) if w.is_permission() => StatusCode::FORBIDDEN,
                _ => StatusCode::CONFLICT,
            };
            let mut r = super::routes::loan_view(state, me, id, FieldErrors::one("act-settle", e.message_th())).await?;
            mark(&mut r, status);
            Ok(r)
        }
    }
}

async fn refused(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    view: SettleView,
    status: StatusCode,
) -> Result<Response, AppError> {
    // Each problem beside its field of the settlement form (ids as in templates/lending/loan.html).
    let mut errors = FieldErrors::new();
    for p in &view.problems {
        let field = match p.field {
            "on" => "on-settle",
            "note" => "note-settle",
            other => other,
        };
        errors.add(field, p.message.clone());
    }
    let mut r = super::routes::loan_view_with(state, me, id, errors, Some(view)).await?;
    mark(&mut r, status);
    Ok(r)
}

fn mark(r: &mut Response, status: StatusCode) {
    *r.status_mut() = status;
    let code = match status {
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::CONFLICT => "conflict",
        _ => "invalid",
    };
    r.headers_mut().insert("x-error-code", HeaderValue::from_static(code));
}

#[derive(Deserialize)]
struct WriteOffForm {
    #[serde(default)]
    units: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reference: String,
}

/// Writes units of an item off the register (supplies staff only).
async fn write_off(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<WriteOffForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let mut view = WriteOffView {
        reserve: None,
        units: form.units.clone(),
        on: form.on.clone(),
        reason: form.reason.clone(),
        reference: form.reference.clone(),
        problems: Vec::new(),
    };
    let on = match form.on.trim() {
        "" => Ok(None),
        s => super::routes::parse_day(s, "วันที่จำหน่าย").map(Some),
    };
    let checked = match on {
        Ok(on) => settlement::check_write_off(&form.units, on, &form.reason, &form.reference, super::today()),
        Err(message) => Err(vec![Problem { field: "on", message }]),
    };
    require_store_staff(&state, &me, id).await?;
    let result = match checked {
        Ok(record) => store_settlement::write_off(&state.db, me.org_id(), ItemId(id), &record, &me.user).await?,
        Err(problems) => Some(Err(problems)),
    };
    match result {
        None => Err(AppError::NotFound),
        Some(Ok(())) => Ok(see_other(&format!("/app/lending/items/{id}"))),
        Some(Err(problems)) => {
            view.problems = problems;
            // Each problem beside its field of the write-off form (ids "wo-…" in templates/lending/item.html).
            let mut errors = FieldErrors::new();
            for p in &view.problems {
                errors.add(&format!("wo-{}", p.field), p.message.clone());
            }
            super::routes::item_view_with(&state, me, id, errors, Some(view)).await
        }
    }
}

/// Only who runs the store changes the stock; another organization's item is not found.
async fn require_store_staff(state: &AppState, me: &CurrentUser, id: i64) -> Result<(), AppError> {
    if super::items::find(&state.db, me.org_id(), ItemId(id)).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if !duties_of(&state.db, me.user.id).await?.iter().any(|d| d.runs_the_store()) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

#[derive(Deserialize)]
struct ReserveForm {
    #[serde(default)]
    reserve: String,
}

/// Sets the units kept for the office's own needs (supplies staff only).
async fn set_reserve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<ReserveForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    require_store_staff(&state, &me, id).await?;
    let typed = crate::thai::to_arabic_digits(form.reserve.trim()).replace(',', "");
    let result = match typed.parse::<i64>() {
        Ok(reserve) => store_settlement::set_reserve(&state.db, me.org_id(), ItemId(id), reserve, &me.user).await?,
        Err(_) => Some(Err(Problem {
            field: "reserve",
            message: format!("จำนวนที่เก็บไว้ใช้ในราชการ “{}” ต้องเป็นจำนวนเต็ม", form.reserve.trim()),
        })),
    };
    match result {
        None => Err(AppError::NotFound),
        Some(Ok(())) => Ok(see_other(&format!("/app/lending/items/{id}"))),
        Some(Err(problem)) => {
            let errors = FieldErrors::one("reserve", problem.message.clone());
            let view = WriteOffView { reserve: Some(form.reserve), problems: vec![problem], ..Default::default() };
            super::routes::item_view_with(&state, me, id, errors, Some(view)).await
        }
    }
}

/// The item's write-offs, one line each, for its page.
pub(super) async fn write_off_lines(
    state: &AppState,
    org: crate::orgs::OrgId,
    item: ItemId,
    unit: &str,
    digits: Digits,
) -> Result<Vec<String>, AppError> {
    Ok(store_settlement::write_offs(&state.db, org, item)
        .await?
        .into_iter()
        .map(|w| {
            format!(
                "{} จำหน่าย {} {unit}: {} อ้างอิง {} ผู้บันทึก {}",
                format_date_medium(w.day, digits),
                format_int(w.units, digits),
                w.reason,
                w.reference,
                w.by
            )
        })
        .collect())
}
