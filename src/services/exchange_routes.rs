//! The import and export pages: the drafts as JSON or CSV, and an uploaded or pasted file read
//! back (all of it, or nothing, with the refused line named).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::exchange::{self, Format};
use crate::app::AppState;
use crate::http::{AppError, CsrfMultipart, CurrentUser, download, form_page, see_other};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/services/export.json", get(|s: State<AppState>, me: CurrentUser| export(s, me, Format::Json)))
        .route("/app/services/export.csv", get(|s: State<AppState>, me: CurrentUser| export(s, me, Format::Csv)))
        .route("/app/services/import", get(import_page).post(import))
}

async fn export(State(state): State<AppState>, me: CurrentUser, format: Format) -> Result<Response, AppError> {
    let text = exchange::export(&state.db, me.org_id(), format).await?;
    let name = format!("services-{}.{}", me.org.slug, format.extension());
    Ok(download(text.into_bytes(), format.content_type(), &name, false))
}

#[derive(Template)]
#[template(path = "services/import.html")]
struct ImportPage {
    me: CurrentUser,
    pasted: String,
    error: Option<String>,
}

async fn import_page(me: CurrentUser) -> Result<Response, AppError> {
    me.require_editor()?;
    form_page(ImportPage { me, pasted: String::new(), error: None }, false)
}

async fn import(
    State(state): State<AppState>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let (fields, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let pasted = fields.get("pasted").cloned().unwrap_or_default();
    let refuse = |me, pasted, error: String| form_page(ImportPage { me, pasted, error: Some(error) }, true);
    let (name, text) = match file.filter(|(_, bytes)| !bytes.is_empty()) {
        Some((name, bytes)) => match exchange::decode(&bytes) {
            Ok(text) => (name, text),
            Err(problem) => return refuse(me, pasted, problem.to_string()),
        },
        None if !pasted.trim().is_empty() => (String::new(), pasted.clone()),
        None => return refuse(me, pasted, "กรุณาเลือกไฟล์ หรือวางข้อความจากไฟล์ลงในช่อง".into()),
    };
    let manuals = match exchange::read(&text, Format::guess(&name, &text)) {
        Ok(m) => m,
        Err(problem) => return refuse(me, pasted, format!("ไม่ได้นำเข้า: {problem}")),
    };
    match exchange::import(&state.db, me.org_id(), &manuals, &me.actor()).await? {
        Ok(done) => {
            let note = format!("นำเข้าร่างคู่มือแล้ว: เพิ่มงานบริการใหม่ {} งาน แก้ไขร่างเดิม {} งาน", done.created, done.updated);
            Ok(see_other(&format!("/app/services?imported={}", urlencoding::encode(&note))))
        }
        Err(problem) => refuse(me, pasted, format!("ไม่ได้นำเข้า: {problem}")),
    }
}
