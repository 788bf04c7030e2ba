//! The fair queue (บัตรคิว, issue 14): service points and their counters, tickets numbered per
//! service and day, calls by a published rule, every out-of-order call logged with its reason,
//! and the waiting and service times measured against each service's published standard.
//!
//! `rules.rs` (pure) decides who is next and which step a ticket may take; `store.rs` configures
//! points and counters; `tickets.rs` issues and moves tickets, each step with its `queue_events`
//! row and audit entry in one transaction; `stats.rs` and `fairness.rs` read the events back.
//! The live board (`board/`) reads `queue_events` and `queue_tickets`.

pub mod board;
pub mod demo;
pub mod facilities;
mod facilities_routes;
pub mod fairness;
pub mod kiosk;
pub mod rules;
pub mod stats;
pub mod store;
pub mod ticket_doc;
pub mod tickets;

mod admin_routes;
mod counter_routes;
mod public_routes;
mod stats_routes;

use axum::Router;

use crate::app::AppState;

/// The queue's pages: staff configuration and counters under /app/queue, public ones under
/// /o/SLUG/queue.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(admin_routes::router())
        .merge(facilities_routes::router())
        .merge(counter_routes::router())
        .merge(public_routes::router())
        .merge(stats_routes::router())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A service point's row id (จุดบริการ).
    PointId
);
id_type!(
    /// A counter's row id (ช่องบริการ).
    CounterId
);
id_type!(
    /// A ticket's row id (never shown to the public: the ticket's page uses its code).
    TicketId
);

/// Milliseconds since the Unix epoch: the queue's time (migration 0019).
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Thailand is UTC+7 all year.
const THAI_OFFSET_MS: i64 = 7 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

/// The day (days since 1970-01-01 in Thailand's time) an instant belongs to: the day of a
/// ticket's number.
pub fn thai_day(at_ms: i64) -> i64 {
    (at_ms + THAI_OFFSET_MS).div_euclid(DAY_MS)
}

/// The first millisecond of a Thai day.
pub fn day_start_ms(day: i64) -> i64 {
    day * DAY_MS - THAI_OFFSET_MS
}

/// The hour of the day (0–23) in Thailand.
pub fn thai_hour(at_ms: i64) -> i64 {
    (at_ms + THAI_OFFSET_MS).rem_euclid(DAY_MS) / 3_600_000
}

/// The calendar date of a Thai day number.
pub fn date_of_day(day: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(day * 86_400, 0).expect("a day in range").date_naive()
}

/// The Thai day number of a calendar date.
pub fn day_of_date(date: chrono::NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp().div_euclid(86_400)
}

/// "๑๔:๐๕ น." in the organization's digits.
pub fn clock_th(at_ms: i64, digits: crate::thai::Digits) -> String {
    let minutes = (at_ms + THAI_OFFSET_MS).rem_euclid(DAY_MS) / 60_000;
    digits.apply(&format!("{:02}:{:02} น.", minutes / 60, minutes % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_taken_just_after_midnight_in_thailand_belongs_to_the_new_thai_day() {
        // 2026-11-30 17:00 UTC is 1 December 00:00 in Thailand.
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(17, 0, 0).unwrap();
        let at = at.and_utc().timestamp_millis();
        assert_eq!(date_of_day(thai_day(at)), chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(date_of_day(thai_day(at - 1)), chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(day_start_ms(thai_day(at)), at);
        assert_eq!(thai_hour(at), 0);
        assert_eq!(clock_th(at + 65 * 60_000, crate::thai::Digits::Thai), "๐๑:๐๕ น.");
    }
}
