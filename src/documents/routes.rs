//! Staff pages of the documents library: the list, uploading a document, editing its details and
//! adding a new version of its file. Editors (admin and staff) publish documents; a document is
//! public as soon as it is uploaded (the library holds what the office has issued).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::store::{self, Details, Upload};
use super::{Category, date_of, day_number};
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, CsrfForm, CsrfMultipart, CurrentUser, FieldErrors, download, form_page, page, see_other};
use crate::thai::Digits;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/documents", get(list))
        .route("/app/documents/new", get(new_page).post(create))
        .route("/app/documents/{id}", get(edit_page).post(save))
        .route("/app/documents/{id}/versions", post(add_version))
        .route("/app/documents/{id}/v/{version}", get(version_file))
        .route("/app/documents/{id}/acknowledge", post(acknowledge))
}

const TITLE_MAX_CHARS: usize = 300;
const DESCRIPTION_MAX_CHARS: usize = 4_000;

struct Row {
    id: i64,
    title: String,
    category: &'static str,
    issued: String,
    version: String,
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    me: CurrentUser,
    /// Documents meant for staff that this user has yet to acknowledge: (id, title).
    pending: Vec<(i64, String)>,
    rows: Vec<Row>,
    pager: Pager,
    can_edit: bool,
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&q)?;
    let (documents, total) = store::page(&state.db, me.org_id(), &request).await?;
    let digits = me.org.digits;
    let pager = Pager::new("/app/documents", &request, total, documents.len(), digits);
    let rows = documents
        .into_iter()
        .map(|d| Row {
            id: d.id,
            category: d.details.category.label_th(),
            issued: super::issued_th(d.details.issued_on, digits),
            version: format!("ฉบับที่ {}", crate::thai::format_int(d.latest_version, digits)),
            title: d.details.title,
        })
        .collect();
    let can_edit = me.user.role.can_edit();
    let pending = super::acks::pending(&state.db, me.org_id(), me.user.id).await?;
    page(ListPage { me, pending, rows, pager, can_edit })
}

/// The details as typed (kept when the form is refused).
#[derive(Deserialize, Default)]
struct DetailsForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    fiscal_year: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    for_staff: Option<String>,
}

impl DetailsForm {
    fn from_fields(fields: &HashMap<String, String>) -> Self {
        let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
        DetailsForm {
            category: get("category"),
            title: get("title"),
            description: get("description"),
            fiscal_year: get("fiscal_year"),
            issued_on: get("issued_on"),
            for_staff: fields.get("for_staff").cloned(),
        }
    }

    fn of(d: &Details, digits: Digits) -> Self {
        DetailsForm {
            category: d.category.code().into(),
            title: d.title.clone(),
            description: d.description.clone(),
            fiscal_year: d.fiscal_year.map(|y| digits.apply(&y.to_string())).unwrap_or_default(),
            issued_on: date_of(d.issued_on).map(|d| crate::thai::format_date_field(d, digits)).unwrap_or_default(),
            for_staff: d.for_staff.then(|| "1".into()),
        }
    }

    /// The echo of the date field in words, when it reads.
    fn issued_echo(&self, digits: Digits) -> String {
        crate::thai::date_field::echo(&self.issued_on, digits)
    }

    /// The details, or what is wrong with each field (in Thai). An empty fiscal year is the one
    /// the document's date falls in.
    fn check(&self) -> Result<Details, FieldErrors> {
        let mut errors = FieldErrors::new();
        let category = Category::parse(&self.category);
        if category.is_none() {
            errors.add("category", "กรุณาเลือกหมวดของเอกสาร");
        }
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "กรุณากรอกชื่อเอกสาร");
        } else if title.chars().count() > TITLE_MAX_CHARS {
            errors.add("title", format!("ชื่อเอกสารยาวเกิน {TITLE_MAX_CHARS} ตัวอักษร"));
        }
        let description = self.description.trim();
        if description.chars().count() > DESCRIPTION_MAX_CHARS {
            errors.add("description", format!("คำอธิบายยาวเกิน {DESCRIPTION_MAX_CHARS} ตัวอักษร"));
        }
        let issued = match crate::thai::parse_date_field(&self.issued_on) {
            Ok(date) => Some(date),
            Err(e) if self.issued_on.trim().is_empty() => {
                let _ = e;
                errors.add("issued_on", "กรุณากรอกวันที่ของเอกสาร");
                None
            }
            Err(e) => {
                errors.add("issued_on", format!("วันที่ของเอกสาร: {}", e.message_th()));
                None
            }
        };
        let typed_year = self.fiscal_year.trim();
        let fiscal_year = if typed_year.is_empty() {
            issued.map(|d| i64::from(crate::thai::FiscalYear::of(d).be()))
        } else {
            match typed_year.parse::<crate::thai::FiscalYear>() {
                Ok(y) => Some(i64::from(y.be())),
                Err(_) => {
                    errors.add("fiscal_year", format!("ปีงบประมาณ \"{typed_year}\" ไม่ถูกต้อง: กรอกปี พ.ศ. เช่น ๒๕๖๖"));
                    None
                }
            }
        };
        match (category, issued, errors.is_empty()) {
            (Some(category), Some(issued), true) => Ok(Details {
                category,
                title: title.to_string(),
                description: description.to_string(),
                fiscal_year,
                issued_on: day_number(issued),
                for_staff: self.for_staff.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

struct VersionRow {
    number: i64,
    label: String,
    file: String,
    note: String,
}

#[derive(Template)]
#[template(path = "documents/edit.html")]
struct EditPage {
    me: CurrentUser,
    id: Option<i64>,
    form: DetailsForm,
    issued_echo: String,
    categories: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    versions: Vec<VersionRow>,
    saved: Option<&'static str>,
    /// The new-version form's note as typed, when it was refused.
    note: String,
    /// For a document meant for staff: "รับทราบแล้ว ๒ จาก ๓ คน (ฉบับที่ ๑)", who and when, and
    /// when this user did (None: not yet).
    acks: Option<AckView>,
}

struct AckView {
    tally: String,
    who: Vec<(String, String)>,
    mine: Option<String>,
}

async fn edit_view(
    state: &AppState,
    me: CurrentUser,
    id: Option<i64>,
    form: DetailsForm,
    errors: FieldErrors,
    saved: Option<&'static str>,
    note: String,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let versions = match id {
        None => Vec::new(),
        Some(id) => store::versions(&state.db, me.org_id(), id)
            .await?
            .into_iter()
            .map(|v| VersionRow {
                number: v.version,
                label: format!(
                    "ฉบับที่ {} · {}",
                    crate::thai::format_int(v.version, digits),
                    crate::thai::format_instant_th(v.created_at, digits)
                ),
                file: format!("{} ({})", v.file_name, size_th(v.size_bytes, digits)),
                note: v.note,
            })
            .collect(),
    };
    let acks = match id {
        None => None,
        Some(id) => match super::acks::tally(&state.db, me.org_id(), id).await? {
            None => None,
            Some(t) => {
                let n = |v: i64| crate::thai::format_int(v, digits);
                let who = super::acks::who(&state.db, me.org_id(), id)
                    .await?
                    .into_iter()
                    .map(|(name, at)| (name, crate::thai::format_instant_th(at, digits)))
                    .collect();
                let mine = super::acks::mine(&state.db, me.org_id(), id, me.user.id)
                    .await?
                    .map(|at| crate::thai::format_instant_th(at, digits));
                let tally = format!("รับทราบแล้ว {} จาก {} คน (ฉบับที่ {})", n(t.acknowledged), n(t.staff), n(t.version));
                Some(AckView { tally, who, mine })
            }
        },
    };
    let refused = !errors.is_empty();
    let categories = Category::ALL.iter().map(|c| (c.code(), c.label_th())).collect();
    let issued_echo = form.issued_echo(digits);
    form_page(EditPage { me, id, form, issued_echo, categories, errors, versions, saved, note, acks }, refused)
}

/// "๑.๒ MB", "๓๔ KB".
pub fn size_th(bytes: i64, digits: Digits) -> String {
    if bytes >= 1024 * 1024 {
        digits.apply(&format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)))
    } else {
        digits.apply(&format!("{} KB", (bytes + 1023) / 1024))
    }
}

async fn new_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    me.require_editor()?;
    let form = DetailsForm { category: Category::Manual.code().into(), ..DetailsForm::default() };
    edit_view(&state, me, None, form, FieldErrors::new(), None, String::new()).await
}

async fn create(
    State(state): State<AppState>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let (fields, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let form = DetailsForm::from_fields(&fields);
    let checked = form.check();
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let content_type = match &file {
        None => {
            errors.add("file", "กรุณาเลือกไฟล์เอกสาร");
            None
        }
        Some((name, bytes)) => match store::check_file(name, bytes, state.settings.max_upload_bytes) {
            Ok(t) => Some(t),
            Err(message) => {
                errors.add("file", message);
                None
            }
        },
    };
    let (Ok(details), Some(content_type), Some((file_name, bytes)), true) =
        (checked, content_type, &file, errors.is_empty())
    else {
        return edit_view(&state, me, None, form, errors, None, String::new()).await;
    };
    let upload = Upload { file_name, content_type, bytes, note: "" };
    let mut tx = state.db.write(me.org_id()).await?;
    let id = store::create(&mut tx, me.org_id(), &details, &upload, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/documents/{id}?saved=created")))
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn edit_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let document = store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let saved = match q.saved.as_deref() {
        Some("created") => Some("เพิ่มเอกสารแล้ว ประชาชนเห็นได้ที่หน้าเอกสารเผยแพร่ของเว็บไซต์"),
        Some("saved") => Some("บันทึกรายละเอียดแล้ว"),
        Some("version") => Some("เพิ่มไฟล์ฉบับใหม่แล้ว ลิงก์ของเอกสารจะเปิดฉบับใหม่นี้ ฉบับเดิมยังเปิดได้"),
        Some("acknowledged") => Some("บันทึกการรับทราบแล้ว"),
        _ => None,
    };
    let form = DetailsForm::of(&document.details, me.org.digits);
    edit_view(&state, me, Some(id), form, FieldErrors::new(), saved, String::new()).await
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<DetailsForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let details = match form.check() {
        Ok(details) => details,
        Err(errors) => return edit_view(&state, me, Some(id), form, errors, None, String::new()).await,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    if !store::update(&mut tx, me.org_id(), id, &details, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/documents/{id}?saved=saved")))
}

async fn add_version(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let document = store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let (fields, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let note = fields.get("note").map(|n| n.trim().to_string()).unwrap_or_default();
    let refuse = |field: &str, message: String| FieldErrors::one(field, message);
    let checked = match &file {
        None => Err(refuse("version_file", "กรุณาเลือกไฟล์ฉบับใหม่".into())),
        Some((name, bytes)) => {
            store::check_file(name, bytes, state.settings.max_upload_bytes).map_err(|m| refuse("version_file", m))
        }
    };
    let (content_type, Some((file_name, bytes))) = (checked, &file) else {
        let form = DetailsForm::of(&document.details, me.org.digits);
        let errors = refuse("version_file", "กรุณาเลือกไฟล์ฉบับใหม่".into());
        return edit_view(&state, me, Some(id), form, errors, None, note).await;
    };
    let content_type = match content_type {
        Ok(t) => t,
        Err(errors) => {
            let form = DetailsForm::of(&document.details, me.org.digits);
            return edit_view(&state, me, Some(id), form, errors, None, note).await;
        }
    };
    let upload = Upload { file_name, content_type, bytes, note: &note };
    let mut tx = state.db.write(me.org_id()).await?;
    store::add_version(&mut tx, me.org_id(), id, &upload, &me.actor()).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/documents/{id}?saved=version")))
}

async fn version_file(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (name, content_type, _, bytes) =
        store::file(&state.db, me.org_id(), id, Some(version)).await?.ok_or(AppError::NotFound)?;
    Ok(download(bytes, &content_type, &name, true))
}

#[derive(Deserialize)]
struct Empty {}

/// "อ่านและเข้าใจแล้ว": any logged-in staff member, for themselves.
async fn acknowledge(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    super::acks::acknowledge(&state.db, me.org_id(), id, me.user.id, &me.actor()).await?.ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("/app/documents/{id}?saved=acknowledged")))
}
