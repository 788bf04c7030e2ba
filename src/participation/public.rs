//! The public participation pages: the consultations, and each one with its opinion form while
//! it is open and its summary once published. No account is needed to send an opinion.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::store::{self, NewOpinion, Refusal};
use super::{Phase, phase};
use crate::app::AppState;
use crate::http::client::ClientIp;
use crate::http::csrf::same_origin;
use crate::http::{AppError, FieldErrors, form_page, page, see_other};
use crate::portal::cache::{Scope, cacheable_today};
use crate::portal::frame::{Frame, Section};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/o/{slug}/participation", get(list))
        .route("/o/{slug}/participation/{id}", get(consultation_page).post(send_opinion))
}

/// The longest opinion kept.
const BODY_MAX_CHARS: usize = 5_000;

fn today() -> i64 {
    crate::documents::day_number(crate::thai::today_in_thailand())
}

/// "๑ ธ.ค. ๒๕๖๙ – ๒๑ ธ.ค. ๒๕๖๙"
fn period_th(opens: i64, closes: i64, digits: crate::thai::Digits) -> String {
    format!("{} – {}", crate::documents::issued_th(opens, digits), crate::documents::issued_th(closes, digits))
}

pub struct Listed {
    pub href: String,
    pub title: String,
    pub period: String,
    pub phase: &'static str,
}

#[derive(Template)]
#[template(path = "participation/list.html")]
struct ListPage {
    frame: Frame,
    consultations: Vec<Listed>,
}

async fn list(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Participation).await?;
    let digits = frame.org.digits;
    let all = store::list(&state.db, frame.org.id, 100).await?;
    let today = today();
    let newest = all.iter().map(|c| c.updated_at).max();
    let consultations = all
        .iter()
        .map(|c| Listed {
            href: format!("/o/{slug}/participation/{}", c.id),
            title: c.title.clone(),
            period: period_th(c.opens_on, c.closes_on, digits),
            phase: phase(c.opens_on, c.closes_on, today).label_th(),
        })
        .collect();
    let frame = frame.crumb(format!("/o/{slug}/participation"), "การมีส่วนร่วม");
    let frame = frame.updated_at_any(newest);
    let scope = Scope::Org(frame.org.id.0);
    // Open or closed moves with the date.
    Ok(cacheable_today(page(ListPage { frame, consultations })?, scope))
}

#[derive(Deserialize, Default)]
struct OpinionForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    body: String,
}

#[derive(Template)]
#[template(path = "participation/consultation.html")]
struct ConsultationPage {
    frame: Frame,
    id: i64,
    title: String,
    description: Vec<String>,
    period: String,
    phase: Phase,
    /// Whether the form is shown.
    open: bool,
    received: String,
    summary: Option<Vec<String>>,
    form: OpinionForm,
    errors: FieldErrors,
    sent: bool,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

async fn view(
    state: &AppState,
    frame: Frame,
    id: i64,
    form: OpinionForm,
    errors: FieldErrors,
    sent: bool,
) -> Result<Response, AppError> {
    let c = store::find(&state.db, frame.org.id, id).await?.ok_or(AppError::NotFound)?;
    let digits = frame.org.digits;
    let received = crate::thai::format_int(store::opinion_count(&state.db, frame.org.id, id).await?, digits);
    let slug = frame.org.slug.clone();
    let frame = frame
        .crumb(format!("/o/{slug}/participation"), "การมีส่วนร่วม")
        .crumb(format!("/o/{slug}/participation/{id}"), c.title.clone())
        .updated_at(c.updated_at);
    let refused = !errors.is_empty();
    let body = ConsultationPage {
        id,
        description: lines(&c.description),
        period: period_th(c.opens_on, c.closes_on, digits),
        phase: phase(c.opens_on, c.closes_on, today()),
        open: phase(c.opens_on, c.closes_on, today()) == Phase::Open,
        received,
        summary: c.summary_published_at.map(|_| lines(&c.summary)),
        title: c.title,
        form,
        errors,
        sent,
        frame,
    };
    form_page(body, refused)
}

#[derive(Deserialize)]
struct Sent {
    sent: Option<String>,
}

async fn consultation_page(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<Sent>,
) -> Result<Response, AppError> {
    let frame = Frame::load(&state.db, &slug, Section::Participation).await?;
    let scope = Scope::Org(frame.org.id.0);
    let response = view(&state, frame, id, OpinionForm::default(), FieldErrors::new(), q.sent.is_some()).await?;
    Ok(cacheable_today(response, scope))
}

async fn send_opinion(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<OpinionForm>,
) -> Result<Response, AppError> {
    same_origin(&state, &headers)?;
    let frame = Frame::load(&state.db, &slug, Section::Participation).await?;
    let mut errors = FieldErrors::new();
    let body = form.body.trim();
    if body.is_empty() {
        errors.add("body", "กรุณากรอกความคิดเห็น");
    } else if body.chars().count() > BODY_MAX_CHARS {
        errors.add(
            "body",
            format!("ความคิดเห็นยาวเกิน {} ตัวอักษร", crate::thai::format_int(BODY_MAX_CHARS as i64, frame.org.digits)),
        );
    }
    if form.name.trim().chars().count() > 120 {
        errors.add("name", "ชื่อยาวเกิน ๑๒๐ ตัวอักษร");
    }
    if form.contact.trim().chars().count() > 200 {
        errors.add("contact", "ช่องทางติดต่อยาวเกิน ๒๐๐ ตัวอักษร");
    }
    if !errors.is_empty() {
        return view(&state, frame, id, form, errors, false).await;
    }
    let client_key = crate::queue::kiosk::client_key(&state.db, ip).await?;
    let opinion = NewOpinion { name: form.name.trim(), contact: form.contact.trim(), body, client_key: &client_key };
    match store::add_opinion(&state.db, frame.org.id, id, &opinion, today()).await? {
        None => Err(AppError::NotFound),
        Some(Ok(_)) => Ok(see_other(&format!("/o/{slug}/participation/{id}?sent=1"))),
        Some(Err(refusal)) => {
            let message = match refusal {
                Refusal::NotOpen(p) => format!("ส่งความคิดเห็นไม่ได้: {}", p.label_th()),
                Refusal::TooManyFromAddress => format!(
                    "ส่งความคิดเห็นจากเครื่องนี้ครบ {} ครั้งแล้ว",
                    crate::thai::format_int(store::PER_ADDRESS, frame.org.digits)
                ),
            };
            view(&state, frame, id, form, FieldErrors::one("body", message), false).await
        }
    }
}
