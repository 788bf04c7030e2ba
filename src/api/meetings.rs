//! `/api/v1/orgs/{slug}/meetings`: the council's schedule as its public page shows it (the 50
//! upcoming meetings, soonest first, and the 50 latest past ones), from `council::store::list`.
//! Registrations (names, phones) are never read here.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::error::ApiError;
use super::respond::{self, Keep};
use crate::app::AppState;
use crate::council::store::{self, Meeting as Stored};

/// Meetings of each kind listed, as on the schedule page.
const LISTED: i64 = 50;
/// A meeting stays "upcoming" this long after it starts (as on the schedule page: it is on today).
const STILL_ON: i64 = 6 * 3600;

#[derive(Serialize)]
struct Schedule {
    org: String,
    upcoming: Vec<Meeting>,
    past: Vec<Meeting>,
}

#[derive(Serialize)]
struct Meeting {
    id: i64,
    title: String,
    starts_at: String,
    place: String,
    agenda: Vec<String>,
    cancelled: bool,
    /// Seats offered to the public (0: no registration).
    seats: i64,
    page_url: String,
    /// The minutes' page in the documents library, once published.
    minutes_url: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let org = super::org_of(&state, &slug).await?;
    let from = crate::db::now() - STILL_ON;
    let public = |path: String| super::url(&state, &format!("/o/{}/{path}", org.slug));
    let meeting = |m: Stored| Meeting {
        page_url: public(format!("council/{}", m.id)),
        minutes_url: m.details.minutes_document_id.map(|id| public(format!("documents/{id}"))),
        id: m.id,
        agenda: m.details.agenda.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
        title: m.details.title,
        starts_at: super::instant(m.details.starts_at),
        place: m.details.place,
        cancelled: m.details.cancelled,
        seats: m.details.seats,
    };
    let upcoming = store::list(&state.db, org.id, from, true, LISTED).await?.into_iter().map(&meeting).collect();
    let past = store::list(&state.db, org.id, from, false, LISTED).await?.into_iter().map(&meeting).collect();
    let body = Schedule { org: org.slug.clone(), upcoming, past };
    // A meeting moves from upcoming to past with the clock.
    respond::json(&headers, &body, Keep::Today(super::of_org(&org)), None)
}
