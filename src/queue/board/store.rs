//! The board's reads (all its SQL): what a board shows now, and the queue's events after an id.
//!
//! Every query takes the organization and filters on it, joins included: a board of one
//! organization never shows another's rows whatever point id it is given.

use crate::db::Db;
use crate::orgs::OrgId;

/// Thailand is UTC+7 all year.
const THAI_OFFSET_MS: i64 = 7 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

/// The queue's day of an instant (days since 1970-01-01 in Thailand), as tickets carry it.
pub fn thai_day(at_ms: i64) -> i64 {
    (at_ms + THAI_OFFSET_MS).div_euclid(DAY_MS)
}

/// The first millisecond of a queue day.
pub fn day_start_ms(day: i64) -> i64 {
    day * DAY_MS - THAI_OFFSET_MS
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A service point as the board titles it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub id: i64,
    pub point_id: i64,
    pub name: String,
}

/// One row of `queue_events` with the names the board shows (the service the ticket was in line
/// for at that moment: a transferred ticket is called for its new service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueEvent {
    pub id: i64,
    pub point_id: i64,
    pub kind: String,
    pub counter_id: Option<i64>,
    pub counter: Option<String>,
    pub label: String,
    pub service: String,
    pub at_ms: i64,
}

impl QueueEvent {
    /// A call the board announces and shows.
    pub fn is_call(&self) -> bool {
        self.kind == "call" || self.kind == "recall"
    }
}

/// How many tickets wait for one service of a point today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub point_id: i64,
    pub service_id: i64,
    pub service: String,
    pub count: i64,
}

/// Everything a board shows, read in one snapshot, with the last event id it reflects.
#[derive(Clone, Debug)]
pub struct BoardState {
    pub points: Vec<Point>,
    pub counters: Vec<Counter>,
    /// The last call of each counter today.
    pub current: Vec<QueueEvent>,
    /// Today's last calls, newest first.
    pub recent: Vec<QueueEvent>,
    pub waiting: Vec<Waiting>,
    /// The organization's last event id: the stream continues after it.
    pub last_event_id: i64,
}

/// How many past calls the board lists.
pub const RECENT_CALLS: i64 = 8;

const EVENT_COLUMNS: &str = "SELECT e.id, e.point_id, e.kind, e.counter_id, c.name, t.label, s.name, e.at
     FROM queue_events e
     JOIN queue_tickets t ON t.id = e.ticket_id AND t.org_id = e.org_id
     JOIN services s ON s.id = COALESCE(e.service_id, t.service_id) AND s.org_id = e.org_id
     LEFT JOIN queue_counters c ON c.id = e.counter_id AND c.org_id = e.org_id";

type EventRow = (i64, i64, String, Option<i64>, Option<String>, String, String, i64);

fn event_of(row: EventRow) -> QueueEvent {
    let (id, point_id, kind, counter_id, counter, label, service, at_ms) = row;
    QueueEvent { id, point_id, kind, counter_id, counter, label, service, at_ms }
}

/// The organization's points, or only `point` (empty when it is not the organization's).
pub async fn points(db: &Db, org: OrgId, point: Option<i64>) -> anyhow::Result<Vec<Point>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM queue_points WHERE org_id = $1 AND ($2 = 0 OR id = $2) ORDER BY id")
            .bind(org.0)
            .bind(point.unwrap_or(0))
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(id, name)| Point { id, name }).collect())
}

/// What the board of `point` (or of every point) shows now.
pub async fn board_state(db: &Db, org: OrgId, point: Option<i64>) -> anyhow::Result<BoardState> {
    let point = point.unwrap_or(0);
    let today = thai_day(now_ms());
    let since = day_start_ms(today);
    let mut snapshot = db.snapshot().await?;
    let conn: &mut sqlx::AnyConnection = &mut snapshot;
    let (last_event_id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM queue_events WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(&mut *conn)
        .await?;
    let points: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM queue_points WHERE org_id = $1 AND ($2 = 0 OR id = $2) ORDER BY id")
            .bind(org.0)
            .bind(point)
            .fetch_all(&mut *conn)
            .await?;
    let counters: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, point_id, name FROM queue_counters
         WHERE org_id = $1 AND active = 1 AND ($2 = 0 OR point_id = $2) ORDER BY point_id, position, id",
    )
    .bind(org.0)
    .bind(point)
    .fetch_all(&mut *conn)
    .await?;
    let calls = "e.org_id = $1 AND ($2 = 0 OR e.point_id = $2) AND e.kind IN ('call', 'recall') AND e.at >= $3";
    let current: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{EVENT_COLUMNS} WHERE e.id IN (SELECT MAX(e.id) FROM queue_events e WHERE {calls} GROUP BY e.counter_id)
         ORDER BY e.id"
    )))
    .bind(org.0)
    .bind(point)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let recent: Vec<EventRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{EVENT_COLUMNS} WHERE {calls} ORDER BY e.id DESC LIMIT $4")))
            .bind(org.0)
            .bind(point)
            .bind(since)
            .bind(RECENT_CALLS)
            .fetch_all(&mut *conn)
            .await?;
    let waiting = waiting_on(&mut *conn, org, point, today).await?;
    Ok(BoardState {
        points: points.into_iter().map(|(id, name)| Point { id, name }).collect(),
        counters: counters.into_iter().map(|(id, point_id, name)| Counter { id, point_id, name }).collect(),
        current: current.into_iter().map(event_of).collect(),
        recent: recent.into_iter().map(event_of).collect(),
        waiting,
        last_event_id,
    })
}

/// Today's waiting tickets per service of `point` (0: every point), every service the point gives
/// listed (with 0), in catalogue order.
pub async fn waiting(db: &Db, org: OrgId, point: Option<i64>) -> anyhow::Result<Vec<Waiting>> {
    let mut conn = db.pool.acquire().await?;
    waiting_on(&mut conn, org, point.unwrap_or(0), thai_day(now_ms())).await
}

async fn waiting_on(conn: &mut sqlx::AnyConnection, org: OrgId, point: i64, day: i64) -> anyhow::Result<Vec<Waiting>> {
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT ps.point_id, ps.service_id, s.name,
                (SELECT COUNT(*) FROM queue_tickets t
                  WHERE t.org_id = ps.org_id AND t.point_id = ps.point_id AND t.service_id = ps.service_id
                    AND t.status = 'waiting' AND t.day = $3)
         FROM queue_point_services ps JOIN services s ON s.id = ps.service_id AND s.org_id = ps.org_id
         WHERE ps.org_id = $1 AND ($2 = 0 OR ps.point_id = $2)
         ORDER BY ps.point_id, s.position, s.id",
    )
    .bind(org.0)
    .bind(point)
    .bind(day)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(point_id, service_id, service, count)| Waiting { point_id, service_id, service, count })
        .collect())
}

/// The organization's events after `after`, oldest first, at most `limit` (of `point` only when
/// given).
pub async fn events_after(
    db: &Db,
    org: OrgId,
    after: i64,
    point: Option<i64>,
    limit: i64,
) -> anyhow::Result<Vec<QueueEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{EVENT_COLUMNS} WHERE e.org_id = $1 AND e.id > $2 AND ($3 = 0 OR e.point_id = $3) ORDER BY e.id LIMIT $4"
    )))
    .bind(org.0)
    .bind(after)
    .bind(point.unwrap_or(0))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(event_of).collect())
}

/// The organization's last event id (0 before any).
pub async fn last_event_id(db: &Db, org: OrgId) -> anyhow::Result<i64> {
    let (id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM queue_events WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(&db.pool)
        .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_day_turns_at_midnight_in_thailand() {
        // 2026-11-30 16:59:59.999 UTC is 23:59:59.999 in Thailand.
        let last_ms = 1_796_057_999_999;
        assert_eq!(thai_day(last_ms) + 1, thai_day(last_ms + 1));
        assert_eq!(day_start_ms(thai_day(last_ms + 1)), last_ms + 1);
        assert_eq!(day_start_ms(thai_day(last_ms)), last_ms + 1 - DAY_MS);
    }
}
