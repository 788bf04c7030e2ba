//! Staff pages of participation: announce a consultation with its period, read the opinions
//! received, write and publish the summary.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::store::{self, Details};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, page, see_other};
use crate::thai::Digits;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/participation", get(list))
        .route("/app/participation/new", get(new_page).post(create))
        .route("/app/participation/{id}", get(edit_page).post(save))
}

struct Row {
    id: i64,
    title: String,
    period: String,
    phase: &'static str,
}

#[derive(Template)]
#[template(path = "participation/staff_list.html")]
struct ListPage {
    me: CurrentUser,
    rows: Vec<Row>,
    can_edit: bool,
}

async fn list(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let today = crate::documents::day_number(crate::thai::today_in_thailand());
    let rows = store::list(&state.db, me.org_id(), 200)
        .await?
        .into_iter()
        .map(|c| Row {
            id: c.id,
            period: format!(
                "{} – {}",
                crate::documents::issued_th(c.opens_on, digits),
                crate::documents::issued_th(c.closes_on, digits)
            ),
            phase: super::phase(c.opens_on, c.closes_on, today).label_th(),
            title: c.title,
        })
        .collect();
    let can_edit = me.user.role.can_edit();
    page(ListPage { me, rows, can_edit })
}

#[derive(Deserialize, Default)]
struct ConsultationForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    publish_summary: Option<String>,
}

impl ConsultationForm {
    fn of(c: &store::Consultation, digits: Digits) -> Self {
        let date = |d: i64| {
            crate::documents::date_of(d).map(|d| crate::thai::format_date_field(d, digits)).unwrap_or_default()
        };
        ConsultationForm {
            title: c.title.clone(),
            description: c.description.clone(),
            opens_on: date(c.opens_on),
            closes_on: date(c.closes_on),
            summary: c.summary.clone(),
            publish_summary: c.summary_published_at.map(|_| "1".into()),
        }
    }

    fn echo(typed: &str, digits: Digits) -> String {
        crate::thai::date_field::echo(typed, digits)
    }

    fn check(&self) -> Result<Details, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "กรุณากรอกเรื่องที่รับฟังความคิดเห็น");
        } else if title.chars().count() > 300 {
            errors.add("title", "เรื่องยาวเกิน ๓๐๐ ตัวอักษร");
        }
        let description = self.description.trim();
        if description.is_empty() {
            errors.add("description", "กรุณาอธิบายว่ารับฟังความคิดเห็นเรื่องอะไร และจะนำไปใช้อย่างไร");
        }
        let mut date = |id: &str, typed: &str, label: &str| match crate::thai::parse_date_field(typed) {
            Ok(d) => Some(crate::documents::day_number(d)),
            Err(_) if typed.trim().is_empty() => {
                errors.add(id, format!("กรุณากรอก{label}"));
                None
            }
            Err(e) => {
                errors.add(id, format!("{label}: {}", e.message_th()));
                None
            }
        };
        let opens = date("opens_on", &self.opens_on, "วันเริ่มรับความคิดเห็น");
        let closes = date("closes_on", &self.closes_on, "วันสุดท้ายที่รับความคิดเห็น");
        if let (Some(o), Some(c)) = (opens, closes)
            && c < o
        {
            errors.add("closes_on", "วันสุดท้ายที่รับความคิดเห็นต้องไม่ก่อนวันเริ่ม");
        }
        let summary = self.summary.trim();
        if self.publish_summary.is_some() && summary.is_empty() {
            errors.add("summary", "กรุณาเขียนสรุปความคิดเห็นก่อนเผยแพร่");
        }
        match (opens, closes, errors.is_empty()) {
            (Some(opens_on), Some(closes_on), true) => Ok(Details {
                title: title.into(),
                description: description.into(),
                opens_on,
                closes_on,
                summary: summary.into(),
                publish_summary: self.publish_summary.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

struct OpinionRow {
    sent: String,
    from: String,
    body: Vec<String>,
}

#[derive(Template)]
#[template(path = "participation/edit.html")]
struct EditPage {
    me: CurrentUser,
    id: Option<i64>,
    form: ConsultationForm,
    opens_echo: String,
    closes_echo: String,
    errors: FieldErrors,
    opinions: Vec<OpinionRow>,
    saved: bool,
    can_edit: bool,
}

async fn edit_view(
    state: &AppState,
    me: CurrentUser,
    id: Option<i64>,
    form: ConsultationForm,
    errors: FieldErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let digits = me.org.digits;
    let opinions = match id {
        None => Vec::new(),
        Some(id) => store::opinions(&state.db, me.org_id(), id)
            .await?
            .into_iter()
            .map(|o| OpinionRow {
                sent: crate::thai::format_instant_th(o.created_at, digits),
                from: match (o.name.is_empty(), o.contact.is_empty()) {
                    (true, true) => "ไม่ระบุชื่อ".into(),
                    (false, true) => o.name,
                    (true, false) => o.contact,
                    (false, false) => format!("{} ({})", o.name, o.contact),
                },
                body: o.body.lines().map(str::to_string).collect(),
            })
            .collect(),
    };
    let refused = !errors.is_empty();
    let opens_echo = ConsultationForm::echo(&form.opens_on, digits);
    let closes_echo = ConsultationForm::echo(&form.closes_on, digits);
    let can_edit = me.user.role.can_edit();
    form_page(EditPage { me, id, form, opens_echo, closes_echo, errors, opinions, saved, can_edit }, refused)
}

async fn new_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    me.require_editor()?;
    edit_view(&state, me, None, ConsultationForm::default(), FieldErrors::new(), false).await
}

async fn create(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<ConsultationForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let details = match form.check() {
        Ok(d) => d,
        Err(errors) => return edit_view(&state, me, None, form, errors, false).await,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    let id = store::create(&mut tx, me.org_id(), &details, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/participation/{id}?saved=1")))
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
    let c = store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let form = ConsultationForm::of(&c, me.org.digits);
    edit_view(&state, me, Some(id), form, FieldErrors::new(), q.saved.is_some()).await
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<ConsultationForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let details = match form.check() {
        Ok(d) => d,
        Err(errors) => return edit_view(&state, me, Some(id), form, errors, false).await,
    };
    let mut tx = state.db.write(me.org_id()).await?;
    if !store::update(&mut tx, me.org_id(), id, &details, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/participation/{id}?saved=1")))
}
