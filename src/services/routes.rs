//! Staff pages of the catalogue: the list, a service's draft (create, edit, its forms), a preview
//! of its PDF and flowchart, and publishing the draft as the next version (the admin or an
//! executive; staff write drafts).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::form_page::{DocRow, FeeRow, ManualForm, StepRow};
use super::manual::{DocumentKind, Manual, TimeUnit};
use super::versions::{self, Published};
use super::{ServiceId, drafts, flowchart, forms, pdf, store};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{
    AppError, CsrfForm, CsrfFormKept, CsrfMultipart, CurrentUser, FieldErrors, download, form_page, page, see_other,
};
use crate::orgs::Division;
use crate::thai::{format_instant_th, format_int};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/services", get(list))
        .route("/app/services/new", get(new_page).post(create))
        .route("/app/services/{id}", get(edit_page).post(save))
        .route("/app/services/{id}/publish", post(publish))
        .route("/app/services/{id}/draft.pdf", get(draft_pdf))
        .route("/app/services/{id}/flowchart.svg", get(draft_flowchart))
        .route("/app/services/{id}/v/{file}", get(version_pdf))
        .route("/app/services/{id}/forms", post(upload_form))
        .route("/app/services/{id}/forms/{form}", get(form_file))
        .route("/app/services/{id}/forms/{form}/remove", post(remove_form))
}

/// The admin or an executive publishes; staff only write drafts.
fn may_publish(me: &CurrentUser) -> bool {
    matches!(me.user.role, Role::Admin | Role::Executive)
}

/// One row of the list, every string final.
struct Row {
    id: i64,
    name: String,
    state: String,
    standard: String,
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct ListPage {
    me: CurrentUser,
    rows: Vec<Row>,
    can_edit: bool,
    /// What the last import did, after its redirect.
    imported: Option<String>,
}

#[derive(Deserialize)]
struct ListQuery {
    imported: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let mut rows = Vec::new();
    for service in store::list(&state.db, me.org_id(), false).await? {
        let latest = versions::find(&state.db, me.org_id(), service.id, None).await?;
        let draft = drafts::load(&state.db, me.org_id(), service.id).await?.ok_or(AppError::NotFound)?;
        let state_th = match &latest {
            None => "ยังไม่ได้ประกาศ (ร่าง)".to_string(),
            Some(v) if v.manual == draft.manual => format!("ประกาศแล้ว ฉบับที่ {}", format_int(v.number, digits)),
            Some(v) => format!("ประกาศแล้ว ฉบับที่ {} · ร่างมีการแก้ไขที่ยังไม่ประกาศ", format_int(v.number, digits)),
        };
        let standard = service.standard_minutes.map_or("-".into(), |m| format!("{} นาที", format_int(m, digits)));
        rows.push(Row { id: service.id.0, name: service.name, state: state_th, standard });
    }
    let imported = q.imported.map(|s| digits.apply(&s));
    let can_edit = me.user.role.can_edit();
    page(ListPage { me, rows, can_edit, imported })
}

/// One version in the edit page's list.
struct VersionRow {
    number: i64,
    label: String,
    published: String,
}

#[derive(Template)]
#[template(path = "services/edit.html")]
struct EditPage {
    me: CurrentUser,
    id: Option<i64>,
    action: String,
    form: ManualForm,
    steps: Vec<StepRow>,
    documents: Vec<DocRow>,
    fees: Vec<FeeRow>,
    units: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    divisions: Vec<Division>,
    errors: FieldErrors,
    can_edit: bool,
    can_publish: bool,
    saved: Option<&'static str>,
    /// Why the last publication was refused.
    refusal: Option<String>,
    versions: Vec<VersionRow>,
    /// The draft's forms: (id, title, file name).
    forms: Vec<(i64, String, String)>,
    /// Whether the draft differs from the latest version (or none is published).
    unpublished: bool,
    flowchart: String,
}

struct EditContext {
    id: Option<ServiceId>,
    manual: Option<Manual>,
    latest: Option<Published>,
    versions: Vec<Published>,
}

async fn context(state: &AppState, me: &CurrentUser, id: ServiceId) -> Result<EditContext, AppError> {
    let draft = drafts::load(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let versions = versions::list(&state.db, me.org_id(), id).await?;
    Ok(EditContext { id: Some(id), manual: Some(draft.manual), latest: versions.first().cloned(), versions })
}

#[allow(clippy::too_many_arguments)]
async fn edit_view(
    state: &AppState,
    me: CurrentUser,
    ctx: EditContext,
    form: ManualForm,
    errors: FieldErrors,
    saved: Option<&'static str>,
    refusal: Option<String>,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let divisions = crate::orgs::store::divisions(&state.db, me.org_id()).await?;
    let refused = !errors.is_empty() || refusal.is_some();
    let manual = ctx.manual.clone().unwrap_or_default();
    let unpublished = ctx.latest.as_ref().is_none_or(|l| l.manual != manual);
    let page = EditPage {
        id: ctx.id.map(|i| i.0),
        action: ctx.id.map_or("/app/services/new".into(), |i| format!("/app/services/{i}")),
        steps: form.step_rows(),
        documents: form.doc_rows(),
        fees: form.fee_rows(),
        form,
        units: TimeUnit::ALL.iter().map(|u| (u.code(), u.label_th())).collect(),
        kinds: DocumentKind::ALL.iter().map(|k| (k.code(), k.label_th())).collect(),
        divisions,
        errors,
        can_edit: me.user.role.can_edit(),
        can_publish: may_publish(&me) && ctx.id.is_some(),
        saved,
        refusal,
        versions: ctx
            .versions
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                label: format!("ฉบับที่ {}", format_int(v.number, digits)),
                published: format!(
                    "{} โดย {}",
                    format_instant_th(v.published_at, digits),
                    crate::audit::words::actor_th(&v.published_by)
                ),
            })
            .collect(),
        forms: manual.forms.iter().map(|f| (f.id, f.title.clone(), f.file_name.clone())).collect(),
        unpublished,
        flowchart: if manual.steps.is_empty() { String::new() } else { flowchart::svg(&manual, digits) },
        me,
    };
    form_page(page, refused)
}

async fn new_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    me.require_editor()?;
    let ctx = EditContext { id: None, manual: None, latest: None, versions: Vec::new() };
    edit_view(&state, me, ctx, ManualForm::default(), FieldErrors::new(), None, None).await
}

#[derive(Deserialize)]
struct EditQuery {
    saved: Option<String>,
}

async fn edit_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, AppError> {
    let ctx = context(&state, &me, ServiceId(id)).await?;
    let form = ManualForm::from_manual(ctx.manual.as_ref().expect("loaded"));
    let saved = match q.saved.as_deref() {
        Some("draft") => Some("บันทึกร่างแล้ว ร่างยังไม่แสดงต่อสาธารณะจนกว่าจะประกาศ"),
        Some("published") => Some("ประกาศฉบับใหม่แล้ว หน้าเว็บสาธารณะแสดงฉบับนี้"),
        Some("form") => Some("เพิ่มแบบฟอร์มในร่างแล้ว ประชาชนดาวน์โหลดได้เมื่อประกาศ"),
        _ => None,
    };
    edit_view(&state, me, ctx, form, FieldErrors::new(), saved, None).await
}

fn taken(errors: &mut FieldErrors, problem: store::ServiceProblem) -> Result<(), AppError> {
    match problem {
        store::ServiceProblem::NotFound => Err(AppError::NotFound),
        other => {
            errors.add("name", other.to_string());
            Ok(())
        }
    }
}

async fn create(
    State(state): State<AppState>,
    CsrfFormKept { user: me, form, errors: mut kept }: CsrfFormKept<ManualForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let blank = EditContext { id: None, manual: None, latest: None, versions: Vec::new() };
    let manual = match form.read(Vec::new()) {
        Ok(m) if kept.is_empty() => m,
        Ok(_) => return edit_view(&state, me, blank, form, kept, None, None).await,
        Err(errors) => {
            kept.extend(errors);
            return edit_view(&state, me, blank, form, kept, None, None).await;
        }
    };
    let division = drafts::division_id(&state.db, me.org_id(), &manual).await?;
    let mut tx = state.db.write(me.org_id()).await?;
    match drafts::create(&mut tx, me.org_id(), &manual, division, &me.actor()).await? {
        Ok(id) => {
            tx.commit().await?;
            Ok(see_other(&format!("/app/services/{id}?saved=draft")))
        }
        Err(problem) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            taken(&mut errors, problem)?;
            edit_view(&state, me, blank, form, errors, None, None).await
        }
    }
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfFormKept { user: me, form, errors: mut kept }: CsrfFormKept<ManualForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let id = ServiceId(id);
    let ctx = context(&state, &me, id).await?;
    let forms = ctx.manual.as_ref().map(|m| m.forms.clone()).unwrap_or_default();
    let manual = match form.read(forms) {
        Ok(m) if kept.is_empty() => m,
        Ok(_) => return edit_view(&state, me, ctx, form, kept, None, None).await,
        Err(errors) => {
            kept.extend(errors);
            return edit_view(&state, me, ctx, form, kept, None, None).await;
        }
    };
    let division = drafts::division_id(&state.db, me.org_id(), &manual).await?;
    let mut tx = state.db.write(me.org_id()).await?;
    // The forms as they are now (another upload may have landed since the page was read).
    let forms = drafts::manual_in(&mut tx, me.org_id(), id).await?.map(|m| m.forms).unwrap_or_default();
    let manual = Manual { forms, ..manual };
    match drafts::save(&mut tx, me.org_id(), id, &manual, division, &me.actor()).await? {
        Ok(()) => {
            tx.commit().await?;
            Ok(see_other(&format!("/app/services/{id}?saved=draft")))
        }
        Err(problem) => {
            tx.rollback().await?;
            let mut errors = FieldErrors::new();
            taken(&mut errors, problem)?;
            edit_view(&state, me, ctx, form, errors, None, None).await
        }
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    if !may_publish(&me) {
        return Err(AppError::Forbidden);
    }
    let id = ServiceId(id);
    let ctx = context(&state, &me, id).await?;
    match versions::publish(&state.db, &state.pdf, &me.org, id, &me.actor()).await? {
        Ok(_) => Ok(see_other(&format!("/app/services/{id}?saved=published"))),
        Err(refusal) => {
            let form = ManualForm::from_manual(ctx.manual.as_ref().expect("loaded"));
            let mut response =
                edit_view(&state, me, ctx, form, FieldErrors::new(), None, Some(refusal.to_string())).await?;
            // A draft not fit to publish is a state, not a bad form.
            *response.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(response)
        }
    }
}

async fn draft_pdf(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let draft = drafts::load(&state.db, me.org_id(), ServiceId(id)).await?.ok_or(AppError::NotFound)?;
    let facilities = crate::queue::facilities::printed_for_service(&state.db, me.org_id(), id).await?;
    let printed = pdf::Printed { manual: &draft.manual, version: None, facilities };
    let bytes = pdf::typeset(&state.pdf, draft.manual.steps.len(), pdf::manual_data(&me.org, &printed)).await?;
    Ok(download(bytes, "application/pdf", &format!("service-{id}-draft.pdf"), true))
}

async fn draft_flowchart(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let draft = drafts::load(&state.db, me.org_id(), ServiceId(id)).await?.ok_or(AppError::NotFound)?;
    Ok(svg_response(flowchart::svg(&draft.manual, me.org.digits)))
}

/// An SVG we drew, with a policy that lets it run nothing even when opened on its own.
pub(super) fn svg_response(svg: String) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (axum::http::header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"),
        ],
        svg,
    )
        .into_response()
}

/// `N.pdf`: version N's PDF, as published.
async fn version_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let number: i64 = file.strip_suffix(".pdf").and_then(|n| n.parse().ok()).ok_or(AppError::NotFound)?;
    let version =
        versions::find(&state.db, me.org_id(), ServiceId(id), Some(number)).await?.ok_or(AppError::NotFound)?;
    let bytes = versions::pdf_of(&state.db, &state.pdf, &me.org, &version).await?;
    Ok(download(bytes, "application/pdf", &format!("service-{id}-v{number}.pdf"), true))
}

async fn upload_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let id = ServiceId(id);
    let ctx = context(&state, &me, id).await?;
    let (fields, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let title = fields.get("form_title").map(|t| t.trim().to_string()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    if title.is_empty() {
        errors.add("form_title", "กรุณาระบุชื่อแบบฟอร์ม");
    }
    let checked = match &file {
        None => {
            errors.add("form_file", "กรุณาเลือกไฟล์แบบฟอร์ม");
            None
        }
        Some((name, bytes)) => match forms::check_file(name, bytes, state.settings.max_upload_bytes) {
            Ok(content_type) => Some(content_type),
            Err(message) => {
                errors.add("form_file", message);
                None
            }
        },
    };
    let (Some(content_type), Some((file_name, bytes)), true) = (checked, &file, errors.is_empty()) else {
        let form = ManualForm::from_manual(ctx.manual.as_ref().expect("loaded"));
        return edit_view(&state, me, ctx, form, errors, None, None).await;
    };
    let division = drafts::division_id(&state.db, me.org_id(), ctx.manual.as_ref().expect("loaded")).await?;
    let mut tx = state.db.write(me.org_id()).await?;
    let Some(mut manual) = drafts::manual_in(&mut tx, me.org_id(), id).await? else {
        tx.rollback().await?;
        let form = ManualForm::from_manual(ctx.manual.as_ref().expect("loaded"));
        let errors = FieldErrors::one("form_file", "กรุณาบันทึกร่างคู่มือก่อนเพิ่มแบบฟอร์ม");
        return edit_view(&state, me, ctx, form, errors, None, None).await;
    };
    let upload = forms::Upload { title: &title, file_name, content_type, bytes };
    let added = forms::add(&mut tx, me.org_id(), id, &upload, &me.actor()).await?;
    manual.forms.push(super::manual::FormRef { id: added.id, title, file_name: file_name.clone() });
    drafts::save(&mut tx, me.org_id(), id, &manual, division, &me.actor())
        .await?
        .map_err(|p| AppError::Conflict(p.to_string()))?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/services/{id}?saved=form")))
}

async fn remove_form(
    State(state): State<AppState>,
    Path((id, form)): Path<(i64, i64)>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let id = ServiceId(id);
    let draft = drafts::load(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let division = drafts::division_id(&state.db, me.org_id(), &draft.manual).await?;
    let mut tx = state.db.write(me.org_id()).await?;
    let Some(mut manual) = drafts::manual_in(&mut tx, me.org_id(), id).await? else {
        return Err(AppError::NotFound);
    };
    let before = manual.forms.len();
    manual.forms.retain(|f| f.id != form);
    if manual.forms.len() == before {
        return Err(AppError::NotFound);
    }
    // The file stays: a published version may still offer it.
    drafts::save(&mut tx, me.org_id(), id, &manual, division, &me.actor())
        .await?
        .map_err(|p| AppError::Conflict(p.to_string()))?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/services/{id}?saved=draft")))
}

async fn form_file(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, form)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (form, bytes) = forms::file(&state.db, me.org_id(), ServiceId(id), form).await?.ok_or(AppError::NotFound)?;
    Ok(download(bytes, &form.content_type, &form.file_name, false))
}
