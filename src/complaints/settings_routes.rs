//! Staff pages of the complaints' settings: the working days of each category and the officers
//! designated for corruption complaints (the admin's), and the office's holiday calendar (any
//! editor's; the deadlines count it).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::Category;
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, see_other};
use crate::thai::format_int;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/complaints/settings", get(settings_page).post(save_days))
        .route("/app/complaints/settings/officers", post(designate))
        .route("/app/complaints/holidays", get(holidays_page).post(add_holiday))
        .route("/app/complaints/holidays/{day}/remove", post(remove_holiday))
}

fn require_admin(me: &CurrentUser) -> Result<(), AppError> {
    if me.user.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden) }
}

struct UserRow {
    id: i64,
    name: String,
    role: &'static str,
    designated: bool,
}

#[derive(Template)]
#[template(path = "complaints/settings.html")]
struct SettingsPage {
    me: CurrentUser,
    days: Vec<(&'static str, &'static str, String)>,
    users: Vec<UserRow>,
    errors: FieldErrors,
}

async fn settings_view(
    state: &AppState,
    me: CurrentUser,
    typed: Option<Vec<(Category, String)>>,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let stored = super::settings::reply_days(&state.db, me.org_id()).await?;
    let days = Category::ALL
        .iter()
        .map(|c| {
            let value = typed
                .as_ref()
                .and_then(|t| t.iter().find(|(tc, _)| tc == c).map(|(_, v)| v.clone()))
                .unwrap_or_else(|| format_int(stored[c], me.org.digits));
            (c.code(), c.label_th(), value)
        })
        .collect();
    let designated = super::settings::designated(&state.db, me.org_id()).await?;
    let users = crate::auth::users::list(&state.db, me.org_id())
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| UserRow {
            designated: designated.contains(&u.id),
            id: u.id,
            name: u.display_name,
            role: u.role.label_th(),
        })
        .collect();
    let refused = !errors.is_empty();
    form_page(SettingsPage { me, days, users, errors }, refused)
}

async fn settings_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    settings_view(&state, me, None, FieldErrors::new()).await
}

#[derive(Deserialize, Default)]
struct DaysForm {
    #[serde(default)]
    service: String,
    #[serde(default)]
    corruption: String,
    #[serde(default)]
    other: String,
}

async fn save_days(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<DaysForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    let typed = vec![
        (Category::Service, form.service.trim().to_string()),
        (Category::Corruption, form.corruption.trim().to_string()),
        (Category::Other, form.other.trim().to_string()),
    ];
    let mut errors = FieldErrors::new();
    let mut days = Vec::new();
    for (c, value) in &typed {
        match crate::thai::parse_number(value).filter(|n| (1..=365).contains(n)) {
            Some(n) => days.push((*c, n as i64)),
            None => errors.add(c.code(), format!("จำนวนวันทำการของเรื่อง{}ต้องเป็นจำนวนเต็ม ๑ ถึง ๓๖๕", c.label_th())),
        }
    }
    if !errors.is_empty() {
        return settings_view(&state, me, Some(typed), errors).await;
    }
    super::settings::set_reply_days(&state.db, me.org_id(), &days, &me.actor()).await?;
    Ok(see_other("/app/complaints/settings"))
}

#[derive(Deserialize, Default)]
struct DesignateForm {
    #[serde(default)]
    user_id: i64,
    #[serde(default)]
    on: String,
}

async fn designate(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<DesignateForm>,
) -> Result<Response, AppError> {
    require_admin(&me)?;
    if !super::settings::designate(&state.db, me.org_id(), form.user_id, form.on == "1", &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/app/complaints/settings"))
}

struct HolidayRow {
    day: i64,
    date: String,
    name: String,
}

#[derive(Template)]
#[template(path = "complaints/holidays.html")]
struct HolidaysPage {
    me: CurrentUser,
    holidays: Vec<HolidayRow>,
    day: String,
    day_echo: String,
    name: String,
    errors: FieldErrors,
    can_edit: bool,
}

async fn holidays_view(
    state: &AppState,
    me: CurrentUser,
    day: String,
    name: String,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    // From the start of last fiscal year: the calendar an office keeps up.
    let from = crate::thai::FiscalYear::of(crate::thai::today_in_thailand()).start();
    let from = crate::documents::day_number(from) - 10_000;
    let holidays = super::holidays::from_day(&state.db, me.org_id(), from)
        .await?
        .into_iter()
        .map(|h| HolidayRow {
            day: crate::documents::day_number(h.day),
            date: crate::thai::format_date_long(h.day, digits),
            name: h.name,
        })
        .collect();
    let day_echo = crate::thai::date_field::echo(&day, digits);
    let can_edit = me.user.role.can_edit();
    let refused = !errors.is_empty();
    form_page(HolidaysPage { me, holidays, day, day_echo, name, errors, can_edit }, refused)
}

async fn holidays_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    holidays_view(&state, me, String::new(), String::new(), FieldErrors::new()).await
}

#[derive(Deserialize, Default)]
struct HolidayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    name: String,
}

async fn add_holiday(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<HolidayForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let mut errors = FieldErrors::new();
    let day = match crate::thai::parse_date_field(&form.day) {
        Ok(d) => Some(d),
        Err(_) if form.day.trim().is_empty() => {
            errors.add("day", "กรุณากรอกวันหยุด");
            None
        }
        Err(e) => {
            errors.add("day", format!("วันหยุด: {}", e.message_th()));
            None
        }
    };
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "กรุณากรอกชื่อวันหยุด เช่น วันพ่อแห่งชาติ");
    } else if name.chars().count() > 120 {
        errors.add("name", "ชื่อวันหยุดยาวเกิน ๑๒๐ ตัวอักษร");
    }
    match day {
        Some(day) if errors.is_empty() => {
            super::holidays::add(&state.db, me.org_id(), day, name, &me.actor()).await?;
            Ok(see_other("/app/complaints/holidays"))
        }
        _ => holidays_view(&state, me, form.day, form.name, errors).await,
    }
}

async fn remove_holiday(
    State(state): State<AppState>,
    Path(day): Path<i64>,
    CsrfForm { user: me, .. }: CsrfForm<HolidayForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    if !super::holidays::remove(&state.db, me.org_id(), day, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/app/complaints/holidays"))
}
