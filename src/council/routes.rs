//! Staff pages of the council: the meetings (announce, edit, cancel, attach the minutes) and each
//! meeting's registrations with who has arrived. Editors announce; anyone logged in may read.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use super::registrations;
use super::store::{self, MeetingDetails};
use crate::app::AppState;
use crate::documents::Category;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, page, see_other};
use crate::thai::Digits;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/council", get(list))
        .route("/app/council/new", get(new_page).post(create))
        .route("/app/council/{id}", get(edit_page).post(save))
}

/// Thailand's offset from UTC (no daylight saving).
const THAI_OFFSET: i64 = 7 * 3600;

/// Epoch seconds of a day and time in Thailand.
pub fn thai_instant(day: NaiveDate, time: NaiveTime) -> i64 {
    day.and_time(time).and_utc().timestamp() - THAI_OFFSET
}

/// The day and "HH:MM" in Thailand of epoch seconds.
fn thai_day_time(epoch: i64) -> (NaiveDate, String) {
    let local = chrono::DateTime::from_timestamp(epoch + THAI_OFFSET, 0).unwrap_or_default().naive_utc();
    (local.date(), local.format("%H:%M").to_string())
}

struct Row {
    id: i64,
    title: String,
    when: String,
    counts: String,
}

#[derive(Template)]
#[template(path = "council/list.html")]
struct ListPage {
    me: CurrentUser,
    upcoming: Vec<Row>,
    past: Vec<Row>,
    can_edit: bool,
}

async fn rows(state: &AppState, me: &CurrentUser, meetings: Vec<store::Meeting>) -> Result<Vec<Row>, AppError> {
    let digits = me.org.digits;
    let n = |v: i64| crate::thai::format_int(v, digits);
    let mut out = Vec::new();
    for m in meetings {
        let c = store::counts(&state.db, me.org_id(), m.id).await?;
        out.push(Row {
            id: m.id,
            when: crate::thai::format_instant_th(m.details.starts_at, digits),
            counts: if m.details.cancelled {
                "ยกเลิก".into()
            } else {
                format!(
                    "ที่นั่ง {} · ลงทะเบียน {} · สำรอง {} · มาแล้ว {}",
                    n(m.details.seats),
                    n(c.confirmed),
                    n(c.waitlisted),
                    n(c.checked_in)
                )
            },
            title: m.details.title,
        });
    }
    Ok(out)
}

async fn list(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let now = crate::db::now() - 6 * 3600;
    let upcoming = store::list(&state.db, me.org_id(), now, true, 100).await?;
    let past = store::list(&state.db, me.org_id(), now, false, 100).await?;
    let upcoming = rows(&state, &me, upcoming).await?;
    let past = rows(&state, &me, past).await?;
    let can_edit = me.user.role.can_edit();
    page(ListPage { me, upcoming, past, can_edit })
}

#[derive(Deserialize, Default)]
struct MeetingForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    seats: String,
    #[serde(default)]
    minutes_document_id: String,
    #[serde(default)]
    cancelled: Option<String>,
}

impl MeetingForm {
    fn of(d: &MeetingDetails, digits: Digits) -> Self {
        let (day, time) = thai_day_time(d.starts_at);
        MeetingForm {
            title: d.title.clone(),
            day: crate::thai::format_date_field(day, digits),
            time: digits.apply(&time),
            place: d.place.clone(),
            agenda: d.agenda.clone(),
            seats: digits.apply(&d.seats.to_string()),
            minutes_document_id: d.minutes_document_id.map(|i| i.to_string()).unwrap_or_default(),
            cancelled: d.cancelled.then(|| "1".into()),
        }
    }

    fn day_echo(&self, digits: Digits) -> String {
        crate::thai::date_field::echo(&self.day, digits)
    }

    fn check(&self) -> Result<MeetingDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "กรุณากรอกชื่อการประชุม เช่น สมัยสามัญ สมัยที่ ๑ ครั้งที่ ๑/๒๕๖๙");
        } else if title.chars().count() > 300 {
            errors.add("title", "ชื่อการประชุมยาวเกิน ๓๐๐ ตัวอักษร");
        }
        let day = match crate::thai::parse_date_field(&self.day) {
            Ok(d) => Some(d),
            Err(_) if self.day.trim().is_empty() => {
                errors.add("day", "กรุณากรอกวันที่ประชุม");
                None
            }
            Err(e) => {
                errors.add("day", format!("วันที่ประชุม: {}", e.message_th()));
                None
            }
        };
        let typed_time = crate::thai::to_arabic_digits(self.time.trim()).replace('.', ":");
        let time = NaiveTime::parse_from_str(&typed_time, "%H:%M").ok();
        if time.is_none() {
            errors.add("time", format!("เวลา \"{}\" ไม่ถูกต้อง: กรอกชั่วโมงและนาที เช่น ๐๙.๓๐ หรือ 13:30", self.time.trim()));
        }
        let place = self.place.trim();
        if place.is_empty() {
            errors.add("place", "กรุณากรอกสถานที่ประชุม");
        }
        let agenda = self.agenda.trim();
        if agenda.chars().count() > 10_000 {
            errors.add("agenda", "ระเบียบวาระยาวเกิน ๑๐,๐๐๐ ตัวอักษร");
        }
        let seats_typed = crate::thai::to_arabic_digits(self.seats.trim());
        let seats = if seats_typed.is_empty() {
            Some(0)
        } else {
            seats_typed.parse::<i64>().ok().filter(|n| (0..=10_000).contains(n))
        };
        if seats.is_none() {
            errors.add(
                "seats",
                format!("จำนวนที่นั่ง \"{}\" ไม่ถูกต้อง: กรอกจำนวนเต็มตั้งแต่ ๐ (ไม่เปิดลงทะเบียน)", self.seats.trim()),
            );
        }
        let minutes = self.minutes_document_id.trim();
        let minutes_document_id = if minutes.is_empty() { None } else { minutes.parse::<i64>().ok() };
        match (day, time, seats, errors.is_empty()) {
            (Some(day), Some(time), Some(seats), true) => Ok(MeetingDetails {
                title: title.into(),
                starts_at: thai_instant(day, time),
                place: place.into(),
                agenda: agenda.into(),
                seats,
                cancelled: self.cancelled.is_some(),
                minutes_document_id,
            }),
            _ => Err(errors),
        }
    }
}

struct RegistrationRow {
    code: String,
    name: String,
    phone: String,
    status: &'static str,
    arrived: String,
}

#[derive(Template)]
#[template(path = "council/edit.html")]
struct EditPage {
    me: CurrentUser,
    id: Option<i64>,
    form: MeetingForm,
    day_echo: String,
    errors: FieldErrors,
    /// The council's documents, for the minutes: (id, title).
    documents: Vec<(i64, String)>,
    registrations: Vec<RegistrationRow>,
    saved: Option<&'static str>,
    can_edit: bool,
}

async fn edit_view(
    state: &AppState,
    me: CurrentUser,
    id: Option<i64>,
    form: MeetingForm,
    errors: FieldErrors,
    saved: Option<&'static str>,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let documents = crate::documents::store::of_category(&state.db, me.org_id(), Category::Council, 200)
        .await?
        .into_iter()
        .map(|d| (d.id, d.details.title))
        .collect();
    let registrations = match id {
        None => Vec::new(),
        Some(id) => registrations::of_meeting(&state.db, me.org_id(), id)
            .await?
            .into_iter()
            .map(|r| RegistrationRow {
                code: super::display_code(&r.code),
                name: r.name,
                phone: digits.apply(&r.phone),
                status: r.status.label_th(),
                arrived: r.checked_in_at.map(|t| crate::thai::format_instant_th(t, digits)).unwrap_or_default(),
            })
            .collect(),
    };
    let refused = !errors.is_empty();
    let day_echo = form.day_echo(digits);
    let can_edit = me.user.role.can_edit();
    form_page(EditPage { me, id, form, day_echo, errors, documents, registrations, saved, can_edit }, refused)
}

async fn new_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    me.require_editor()?;
    let form =
        MeetingForm { time: me.org.digits.apply("09:30"), seats: me.org.digits.apply("20"), ..MeetingForm::default() };
    edit_view(&state, me, None, form, FieldErrors::new(), None).await
}

async fn create(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<MeetingForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let details = match form.check() {
        Ok(d) => d,
        Err(errors) => return edit_view(&state, me, None, form, errors, None).await,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    let Some(id) = store::create(&mut tx, me.org_id(), &details, &me.actor()).await? else {
        return Err(AppError::NotFound);
    };
    tx.commit().await?;
    Ok(see_other(&format!("/app/council/{id}?saved=1")))
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
    let meeting = store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let form = MeetingForm::of(&meeting.details, me.org.digits);
    let saved = q.saved.is_some().then_some("บันทึกแล้ว การประชุมนี้แสดงที่หน้าสภาของเว็บไซต์และในปฏิทิน (iCalendar)");
    edit_view(&state, me, Some(id), form, FieldErrors::new(), saved).await
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<MeetingForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let details = match form.check() {
        Ok(d) => d,
        Err(errors) => return edit_view(&state, me, Some(id), form, errors, None).await,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    if !store::update(&mut tx, me.org_id(), id, &details, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/council/{id}?saved=1")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_time_is_read_in_thailand_and_shown_back_the_same() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let at = thai_instant(day, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(at, 1_768_444_200, "09:30 in Thailand is 02:30 UTC");
        assert_eq!(thai_day_time(at), (day, "09:30".into()));
        let form = MeetingForm {
            title: "ประชุมสภา".into(),
            day: "15/1/2569".into(),
            time: "๐๙.๓๐".into(),
            place: "ห้องประชุม".into(),
            seats: "๒๐".into(),
            ..MeetingForm::default()
        };
        let d = form.check().unwrap();
        assert_eq!((d.starts_at, d.seats), (at, 20));
        let bad = MeetingForm { time: "25:00".into(), seats: "-1".into(), ..form };
        let errors = bad.check().unwrap_err();
        assert!(errors.get("time").unwrap().contains("\"25:00\""));
        assert!(errors.get("seats").is_some());
    }
}
