//! The staff page of a measure's evidence, cited figures and deletion, apart from the measure's
//! form: uploading a file never throws away text typed into the measure (issue 12, item 4). A
//! refused link or file comes back on this page with the error beside its field and what was typed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::evidence::{self, EvidenceError, NewEvidence};
use super::{Measure, MeasureId, store};
use crate::app::AppState;
use crate::http::{
    AppError, CsrfForm, CsrfMultipart, CurrentUser, FieldErrors, download, form_page, read_multipart, see_other,
};
use crate::thai::{Digits, format_int, format_year_be};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/measures/{id}/evidence", get(evidence_page))
        .route("/app/measures/{id}/evidence/link", post(add_link))
        .route("/app/measures/{id}/evidence/file", post(add_file))
        .route("/app/measures/{id}/figures", post(set_figure))
        .route("/app/evidence/{id}", get(evidence_file))
        .route("/app/evidence/{id}/delete", post(delete_evidence))
}

/// The page's address, where every post of this page returns.
pub fn page_url(id: MeasureId) -> String {
    format!("/app/measures/{}/evidence", id.0)
}

struct EvidenceView {
    id: i64,
    title: String,
    url: Option<String>,
    detail: String,
}

impl EvidenceView {
    fn of(e: evidence::Evidence, digits: Digits) -> Self {
        let detail = match (&e.file_name, e.size_bytes, &e.sha256) {
            (Some(name), Some(size), Some(sha)) => {
                format!("{name} · {} KB · SHA-256 {}", format_int((size + 1023) / 1024, digits), &sha[..16])
            }
            _ => String::new(),
        };
        EvidenceView { id: e.id, title: e.title, url: e.url, detail }
    }
}

/// What was typed into the page's two forms, echoed when one is refused.
#[derive(Default)]
struct Typed {
    link_title: String,
    link_url: String,
    file_title: String,
}

#[derive(Template)]
#[template(path = "measures/evidence.html")]
struct EvidencePage {
    me: CurrentUser,
    id: i64,
    measure_title: String,
    year: i64,
    year_label: String,
    evidence: Vec<EvidenceView>,
    /// Live figures the measure may cite: (code, label, cited).
    figures: Vec<(&'static str, &'static str, bool)>,
    can_edit: bool,
    max_upload_mb: usize,
    typed: Typed,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

/// The confirmation of the last post of this page, shown on the page it returns to.
fn notice_of(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "link" => Some("เพิ่มลิงก์หลักฐานแล้ว"),
        "file" => Some("แนบไฟล์หลักฐานแล้ว"),
        "deleted" => Some("ลบหลักฐานแล้ว"),
        "figure" => Some("บันทึกการอ้างอิงสถิติแล้ว"),
        _ => None,
    }
}

async fn find(state: &AppState, me: &CurrentUser, id: i64) -> Result<Measure, AppError> {
    store::find(&state.db, me.org_id(), MeasureId(id)).await?.ok_or(AppError::NotFound)
}

async fn render(
    state: &AppState,
    me: CurrentUser,
    m: &Measure,
    typed: Typed,
    errors: FieldErrors,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let evidence = evidence::list_for_measure(&state.db, me.org_id(), m.id)
        .await?
        .into_iter()
        .map(|e| EvidenceView::of(e, digits))
        .collect();
    let cited: Vec<String> = super::figures::cited(&state.db, me.org_id(), m.fiscal_year)
        .await?
        .into_iter()
        .filter(|(measure, _)| *measure == m.id)
        .map(|(_, code)| code)
        .collect();
    let figures =
        super::figures::FIGURES.iter().map(|(code, label)| (*code, *label, cited.iter().any(|c| c == code))).collect();
    let refused = !errors.is_empty();
    form_page(
        EvidencePage {
            id: m.id.0,
            measure_title: m.input.title.clone(),
            year: m.fiscal_year,
            year_label: format!("ปีงบประมาณ พ.ศ. {}", format_year_be(m.fiscal_year as i32, digits)),
            evidence,
            figures,
            can_edit: me.user.role.can_edit(),
            max_upload_mb: state.settings.max_upload_bytes / (1024 * 1024),
            typed,
            errors,
            notice,
            me,
        },
        refused,
    )
}

async fn evidence_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let m = find(&state, &me, id).await?;
    render(&state, me, &m, Typed::default(), FieldErrors::new(), notice_of(q.done.as_deref())).await
}

/// The field an evidence refusal belongs beside, on the link form or the file form.
fn field_of(e: &EvidenceError, file: bool) -> &'static str {
    match (e, file) {
        (EvidenceError::MissingTitle, false) => "link-title",
        (EvidenceError::MissingTitle, true) => "file-title",
        (EvidenceError::BadUrl, _) => "link-url",
        _ => "file",
    }
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
}

async fn add_link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<LinkForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let m = find(&state, &me, id).await?;
    let new = NewEvidence::Link { title: &form.title, url: &form.url };
    match evidence::add(&state.db, me.org_id(), m.id, new, state.settings.max_upload_bytes, &me.actor()).await? {
        Ok(Some(_)) => Ok(see_other(&format!("{}?done=link", page_url(m.id)))),
        Ok(None) => Err(AppError::NotFound),
        Err(e) => {
            let errors = FieldErrors::one(field_of(&e, false), e.to_string());
            let typed = Typed { link_title: form.title, link_url: form.url, ..Default::default() };
            render(&state, me, &m, typed, errors, None).await
        }
    }
}

async fn add_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let m = find(&state, &me, id).await?;
    let limit = state.settings.max_upload_bytes;
    let (fields, file) = read_multipart(multipart, limit).await?;
    let title = fields.get("title").cloned().unwrap_or_default();
    let typed = Typed { file_title: title.clone(), ..Default::default() };
    let Some((file_name, bytes)) = file else {
        return render(&state, me, &m, typed, FieldErrors::one("file", "กรุณาเลือกไฟล์"), None).await;
    };
    let new = NewEvidence::File { title: &title, file_name: &file_name, bytes: &bytes };
    match evidence::add(&state.db, me.org_id(), m.id, new, limit, &me.actor()).await? {
        Ok(Some(_)) => Ok(see_other(&format!("{}?done=file", page_url(m.id)))),
        Ok(None) => Err(AppError::NotFound),
        Err(e) => {
            let too_large = matches!(e, EvidenceError::TooLarge { .. });
            let mut response =
                render(&state, me, &m, typed, FieldErrors::one(field_of(&e, true), e.to_string()), None).await?;
            if too_large {
                *response.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
            }
            Ok(response)
        }
    }
}

#[derive(Deserialize)]
struct FigureForm {
    figure: String,
    #[serde(default)]
    cite: String,
}

async fn set_figure(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<FigureForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    if !super::figures::FIGURES.iter().any(|(c, _)| *c == form.figure) {
        return Err(AppError::Invalid("ไม่รู้จักสถิตินี้".into()));
    }
    if !super::figures::set(&state.db, me.org_id(), MeasureId(id), &form.figure, form.cite == "yes", &me.actor())
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("{}?done=figure", page_url(MeasureId(id)))))
}

async fn evidence_file(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (e, bytes) = evidence::file(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    Ok(download(
        bytes,
        e.content_type.as_deref().unwrap_or("application/octet-stream"),
        e.file_name.as_deref().unwrap_or("evidence"),
        false,
    ))
}

#[derive(Deserialize)]
struct Empty {}

async fn delete_evidence(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, .. }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let measure = evidence::delete(&state.db, me.org_id(), id, &me.actor()).await?.ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("{}?done=deleted", page_url(measure))))
}
