//! `/app/site`: the admin fills in what the public site's frame shows (contact details, office
//! hours, the map link, the English name) and uploads the emblem.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::frame::{self, SiteDetails};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{AppError, CsrfForm, CsrfMultipart, CurrentUser, FieldErrors, form_page, see_other};

pub fn router() -> Router<AppState> {
    Router::new().route("/app/site", get(settings_page).post(save)).route("/app/site/emblem", post(upload_emblem))
}

fn require_admin(me: &CurrentUser) -> Result<(), AppError> {
    if me.user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The longest value of each field: an address is a few lines, not a document.
const FIELD_MAX_CHARS: usize = 500;

#[derive(Deserialize, Default)]
struct DetailsForm {
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    office_hours: String,
    #[serde(default)]
    map_url: String,
}

impl DetailsForm {
    fn of(d: &SiteDetails) -> Self {
        DetailsForm {
            name_en: d.name_en.clone(),
            address: d.address.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
            office_hours: d.office_hours.clone(),
            map_url: d.map_url.clone(),
        }
    }

    fn check(&self) -> Result<SiteDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let fields = [
            ("name_en", &self.name_en, "ชื่อภาษาอังกฤษ"),
            ("address", &self.address, "ที่อยู่"),
            ("phone", &self.phone, "โทรศัพท์"),
            ("email", &self.email, "อีเมล"),
            ("office_hours", &self.office_hours, "เวลาทำการ"),
            ("map_url", &self.map_url, "ลิงก์แผนที่"),
        ];
        for (id, value, label) in fields {
            if value.trim().chars().count() > FIELD_MAX_CHARS {
                errors.add(id, format!("{label}ยาวเกิน {FIELD_MAX_CHARS} ตัวอักษร"));
            }
        }
        let email = self.email.trim();
        if !email.is_empty() && !is_plausible_email(email) {
            errors.add("email", format!("อีเมล \"{email}\" ไม่ถูกต้อง: ต้องมีรูปแบบ ชื่อ@โดเมน เช่น saraban@maekhatuan.go.th"));
        }
        let map = self.map_url.trim();
        if !map.is_empty() && (!map.starts_with("https://") || map.contains(char::is_whitespace)) {
            errors.add("map_url", "ลิงก์แผนที่ต้องขึ้นต้นด้วย https:// และไม่มีช่องว่าง (คัดลอกจากปุ่ม \"แชร์\" ของแผนที่)");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SiteDetails {
            name_en: self.name_en.trim().into(),
            address: self.address.trim().into(),
            phone: self.phone.trim().into(),
            email: email.into(),
            office_hours: self.office_hours.trim().into(),
            map_url: map.into(),
        })
    }
}

/// One @, something on each side, a dot in the domain, no spaces or angle brackets.
fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',' | ';'))
        && !domain.contains('@')
}

#[derive(Template)]
#[template(path = "portal/settings.html")]
struct SettingsPage {
    me: CurrentUser,
    form: DetailsForm,
    errors: FieldErrors,
    emblem: Option<String>,
    saved: Option<&'static str>,
}

async fn view(
    state: &AppState,
    me: CurrentUser,
    form: Option<DetailsForm>,
    errors: FieldErrors,
    saved: Option<&'static str>,
) -> Result<Response, AppError> {
    let stored = frame::load(&state.db, me.org_id()).await?;
    let form = form.unwrap_or_else(|| DetailsForm::of(&stored.details));
    let emblem = stored.emblem_sha256.map(|sha| format!("/o/{}/emblem/{sha}", me.org.slug));
    let refused = !errors.is_empty();
    form_page(SettingsPage { me, form, errors, emblem, saved }, refused)
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn settings_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let saved = match q.saved.as_deref() {
        Some("details") => Some("บันทึกข้อมูลติดต่อแล้ว เว็บไซต์แสดงข้อมูลใหม่ทันที"),
        Some("emblem") => Some("เปลี่ยนตราสัญลักษณ์แล้ว"),
        _ => None,
    };
    view(&state, me, None, FieldErrors::new(), saved).await
}

async fn save(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<DetailsForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let details = match form.check() {
        Ok(details) => details,
        Err(errors) => return view(&state, me, Some(form), errors, None).await,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    frame::save(&mut tx, me.org_id(), &details, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other("/app/site?saved=details"))
}

async fn upload_emblem(
    State(state): State<AppState>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let (_, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let checked = match &file {
        None => Err("กรุณาเลือกไฟล์ตราสัญลักษณ์".to_string()),
        Some((name, bytes)) => frame::check_emblem(name, bytes),
    };
    let (Ok(content_type), Some((_, bytes))) = (checked.clone(), &file) else {
        let message = checked.err().unwrap_or_default();
        return view(&state, me, None, FieldErrors::one("emblem", message), None).await;
    };
    let mut tx = state.db.write(me.org_id()).await?;
    frame::set_emblem(&mut tx, me.org_id(), bytes, content_type, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other("/app/site?saved=emblem"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_map_links_are_checked_and_say_what_is_wrong() {
        assert!(is_plausible_email("saraban@maekhatuan.go.th"));
        assert!(!is_plausible_email("saraban@maekhatuan"));
        assert!(!is_plausible_email("a b@x.th"));
        let form = DetailsForm { map_url: "http://maps.example/x".into(), email: "x".into(), ..DetailsForm::default() };
        let errors = form.check().unwrap_err();
        assert!(errors.get("map_url").unwrap().contains("https://"));
        assert!(errors.get("email").unwrap().contains("\"x\""));
    }
}
