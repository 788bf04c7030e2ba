//! The complaint form at /o/SLUG/complaints/new: a multipart form that works without
//! JavaScript, checked whole (each refusal beside its field, each photo by its content) before
//! anything is stored; a filing answers with the tracking page of its code.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::Category;
use super::filing::{self, Identity, NewComplaint, Photo, Refusal};
use super::public::{FORM_BODY_LIMIT, client_key, too_many};
use crate::app::AppState;
use crate::http::client::ClientIp;
use crate::http::csrf::same_origin;
use crate::http::upload::{FileRefusal, IMAGE_TYPES, file_type, read_multipart_files};
use crate::http::{AppError, FieldErrors, form_page, see_other};
use crate::orgs::Division;
use crate::portal::frame::{Frame, Section};
use crate::thai::{Digits, format_int};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/o/{slug}/complaints/new",
        axum::routing::get(new_page).post(file).layer(axum::extract::DefaultBodyLimit::max(FORM_BODY_LIMIT)),
    )
}

/// The form as typed (kept when refused; files cannot be, the page says so).
#[derive(Default)]
struct FormValues {
    category: String,
    subject: String,
    body: String,
    accused_division: String,
    identity: String,
    name: String,
    phone: String,
    email: String,
    line_id: String,
    line_consent: bool,
    consent: bool,
}

impl FormValues {
    fn of(fields: &HashMap<String, String>) -> Self {
        let get = |k: &str| fields.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        FormValues {
            category: get("category"),
            subject: get("subject"),
            body: get("body"),
            accused_division: get("accused_division"),
            identity: get("identity"),
            name: get("name"),
            phone: get("phone"),
            email: get("email"),
            line_id: get("line_id"),
            line_consent: fields.contains_key("line_consent"),
            consent: fields.contains_key("consent"),
        }
    }

    fn check(&self, divisions: &[Division], digits: Digits, errors: &mut FieldErrors) -> Option<NewComplaint> {
        let category = Category::parse(&self.category);
        if category.is_none() {
            errors.add("category", "กรุณาเลือกประเภทของเรื่องร้องเรียน");
        }
        if self.subject.is_empty() {
            errors.add("subject", "กรุณากรอกหัวเรื่อง");
        } else if self.subject.chars().count() > filing::SUBJECT_MAX_CHARS {
            errors.add(
                "subject",
                format!("หัวเรื่องยาวเกิน {} ตัวอักษร", format_int(filing::SUBJECT_MAX_CHARS as i64, digits)),
            );
        }
        body_errors(&self.body, "body", "กรุณาเล่ารายละเอียดของเรื่องที่ร้องเรียน", digits, errors);
        let accused = match self.accused_division.as_str() {
            "" => None,
            typed => {
                let found = typed.parse::<i64>().ok().filter(|id| divisions.iter().any(|d| d.id == *id));
                if found.is_none() {
                    errors.add("accused_division", "หน่วยงานที่ถูกร้องเรียนไม่มีในรายการ กรุณาเลือกใหม่");
                }
                found
            }
        };
        let identity = match self.identity.as_str() {
            "anonymous" => None,
            "named" => self.identity(errors),
            _ => {
                errors.add("identity", "กรุณาเลือกว่าจะร้องเรียนโดยระบุชื่อหรือไม่ระบุชื่อ");
                None
            }
        };
        let category = category?;
        errors.is_empty().then(|| NewComplaint {
            category,
            subject: self.subject.clone(),
            body: self.body.clone(),
            accused_division_id: accused,
            identity,
        })
    }

    fn identity(&self, errors: &mut FieldErrors) -> Option<Identity> {
        if self.name.is_empty() {
            errors.add("name", "กรุณากรอกชื่อและนามสกุล หรือเลือกร้องเรียนโดยไม่ระบุชื่อ");
        } else if self.name.chars().count() > 120 {
            errors.add("name", "ชื่อยาวเกิน ๑๒๐ ตัวอักษร");
        }
        let phone = if self.phone.is_empty() {
            String::new()
        } else {
            match crate::council::normalize_phone(&self.phone) {
                Ok(p) => p,
                Err(why) => {
                    errors.add("phone", why);
                    String::new()
                }
            }
        };
        let email_ok = {
            let (user, domain) = self.email.split_once('@').unwrap_or(("", ""));
            !user.is_empty()
                && domain.contains('.')
                && !self.email.contains(char::is_whitespace)
                && self.email.len() <= 200
        };
        if !self.email.is_empty() && !email_ok {
            errors.add("email", format!("อีเมล \"{}\" ไม่ถูกต้อง เช่น somchai@example.com", self.email));
        }
        let line_ok = self.line_id.chars().count() <= 50 && !self.line_id.contains(char::is_whitespace);
        if !line_ok {
            errors.add("line_id", "LINE ID ต้องไม่มีช่องว่างและยาวไม่เกิน ๕๐ ตัวอักษร");
        }
        if self.phone.is_empty() && self.email.is_empty() && self.line_id.is_empty() {
            errors.add("phone", "กรุณาให้ช่องทางติดต่ออย่างน้อยหนึ่งช่องทาง: โทรศัพท์ อีเมล หรือ LINE ID");
        }
        if self.line_consent && self.line_id.is_empty() {
            errors.add("line_id", "กรุณากรอก LINE ID เพื่อรับแจ้งความคืบหน้าทาง LINE");
        }
        if !self.consent {
            errors.add("consent", "กรุณายินยอมให้เก็บชื่อและช่องทางติดต่อตามที่แจ้งไว้ หรือเลือกร้องเรียนโดยไม่ระบุชื่อ");
        }
        Some(Identity {
            name: self.name.clone(),
            phone,
            email: self.email.clone(),
            line_id: self.line_id.clone(),
            line_consent: self.line_consent,
        })
    }
}

pub(super) fn body_errors(body: &str, field: &str, missing: &str, digits: Digits, errors: &mut FieldErrors) {
    if body.is_empty() {
        errors.add(field, missing);
    } else if body.chars().count() > filing::BODY_MAX_CHARS {
        errors.add(
            field,
            format!(
                "ข้อความยาวเกิน {} ตัวอักษร (ที่กรอกมี {} ตัวอักษร)",
                crate::thai::format_grouped(filing::BODY_MAX_CHARS as i64, digits),
                crate::thai::format_grouped(body.chars().count() as i64, digits)
            ),
        );
    }
}

/// The photos checked by their content (PNG or JPEG, whole, at most 5 MB, at most five), each
/// refusal naming its file under the `photos` field.
pub(super) fn check_photos(
    files: Vec<(String, String, Vec<u8>)>,
    digits: Digits,
    errors: &mut FieldErrors,
) -> Vec<Photo> {
    let files: Vec<_> = files.into_iter().filter(|(field, _, _)| field == "photos").collect();
    if files.len() > filing::PHOTOS_MAX {
        errors.add(
            "photos",
            format!(
                "แนบรูปได้ไม่เกิน {} รูป (เลือกมา {} รูป)",
                format_int(filing::PHOTOS_MAX as i64, digits),
                format_int(files.len() as i64, digits)
            ),
        );
        return Vec::new();
    }
    let mut photos = Vec::new();
    for (_, file_name, bytes) in files {
        match file_type(&file_name, &bytes, filing::PHOTO_MAX_BYTES, IMAGE_TYPES) {
            Ok(content_type) => photos.push(Photo { file_name, content_type, bytes }),
            Err(refusal) => errors.add(
                "photos",
                match refusal {
                    FileRefusal::Empty => format!("ไฟล์ \"{file_name}\" ว่างเปล่า"),
                    FileRefusal::TooLarge { .. } => format!(
                        "รูป \"{file_name}\" ใหญ่เกิน {} MB กรุณาย่อรูปแล้วแนบใหม่",
                        format_int((filing::PHOTO_MAX_BYTES / (1024 * 1024)) as i64, digits)
                    ),
                    FileRefusal::UnsupportedType => {
                        format!("ไฟล์ \"{file_name}\" ไม่ใช่รูปภาพที่รับ: รับเฉพาะรูป PNG หรือ JPEG")
                    }
                    FileRefusal::CutShort => crate::http::upload::cut_short(&file_name),
                },
            ),
        }
    }
    photos
}

#[derive(Template)]
#[template(path = "complaints/new.html")]
struct NewPage {
    frame: Frame,
    form: FormValues,
    divisions: Vec<Division>,
    categories: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    photos_max: String,
    photo_mb: String,
}

async fn form_view(
    state: &AppState,
    frame: Frame,
    form: FormValues,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let divisions = crate::orgs::store::divisions(&state.db, frame.org.id).await?;
    let slug = frame.org.slug.clone();
    let digits = frame.org.digits;
    let frame = frame
        .crumb(format!("/o/{slug}/complaints"), "ร้องเรียน/ร้องทุกข์")
        .crumb(format!("/o/{slug}/complaints/new"), "ยื่นเรื่องร้องเรียน");
    let refused = !errors.is_empty();
    let body = NewPage {
        frame,
        form,
        divisions,
        categories: Category::ALL.iter().map(|c| (c.code(), c.label_th())).collect(),
        errors,
        photos_max: format_int(filing::PHOTOS_MAX as i64, digits),
        photo_mb: format_int((filing::PHOTO_MAX_BYTES / (1024 * 1024)) as i64, digits),
    };
    form_page(body, refused)
}

async fn new_page(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Complaints).await?;
    let form = FormValues { identity: "named".into(), ..FormValues::default() };
    form_view(&state, frame, form, FieldErrors::new()).await
}

async fn file(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let frame = Frame::load(&state.db, &slug, Section::Complaints).await?;
    let digits = frame.org.digits;
    let (fields, files) = read_multipart_files(multipart, FORM_BODY_LIMIT).await?;
    let form = FormValues::of(&fields);
    let divisions = crate::orgs::store::divisions(&state.db, frame.org.id).await?;
    let mut errors = FieldErrors::new();
    let new = form.check(&divisions, digits, &mut errors);
    let photos = check_photos(files, digits, &mut errors);
    let new = match new {
        Some(new) if errors.is_empty() => new,
        _ => return form_view(&state, frame, form, errors).await,
    };
    let key = client_key(&state, ip).await?;
    let today = super::today();
    let holidays = super::holidays::from_day(&state.db, frame.org.id, today).await?;
    let how = filing::Filing { client_key: &key, holidays: &holidays, digits, at: crate::db::now() };
    let outcome = filing::file(&state.db, frame.org.id, &new, &photos, &how).await?;
    match outcome {
        Ok((_, code)) => Ok(see_other(&format!("/o/{slug}/complaints/{code}?filed=1"))),
        Err(Refusal::TooMany { retry_after }) => Err(too_many(retry_after, "ยื่นเรื่องร้องเรียน", filing::FILINGS_PER_HOUR)),
        Err(Refusal::OutOfOrder(why)) => Err(AppError::Conflict(why.into())),
    }
}
