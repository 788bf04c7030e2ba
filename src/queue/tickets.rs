//! Tickets: issuing them (numbered per point, service and day, without gap or duplicate) and the
//! steps at a counter (call, recall, skip, transfer, start, finish). Each step runs in one
//! transaction under the organization's write lock (`Db::write`), which also orders concurrent
//! callers across server processes, and writes its `queue_events` row and its audit entry there.

use sqlx::Row;

use super::rules::{self, Candidate, OutOfOrder, PriorityGroup, Status, Step, StepRefusal, TicketState};
use super::store::{self, Point};
use super::{CounterId, PointId, TicketId, thai_day};
use crate::db::{Db, Tx};
use crate::orgs::{Org, OrgId};
use crate::services::ServiceId;

/// How a ticket was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Kiosk,
    Staff,
    Qr,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Kiosk => "kiosk",
            Channel::Staff => "staff",
            Channel::Qr => "qr",
        }
    }
}

/// Tickets one phone address may hold through the entrance QR: waiting at once, and per day.
pub const QR_WAITING_PER_ADDRESS: i64 = 2;
pub const QR_DAILY_PER_ADDRESS: i64 = 6;

/// A ticket as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    pub point_id: PointId,
    pub service_id: ServiceId,
    pub service_name: String,
    pub day: i64,
    pub number: i64,
    pub label: String,
    pub code: String,
    pub priority_group: Option<PriorityGroup>,
    pub status: Status,
    pub counter_id: Option<CounterId>,
    pub counter_name: Option<String>,
    pub queued_at: i64,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub recalls: i64,
}

/// Why a ticket or a step was refused, in Thai for the page that asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueueRefusal {
    #[error(transparent)]
    Step(#[from] StepRefusal),
    #[error("จุดบริการนี้ไม่ได้ให้บริการงานที่เลือก")]
    ServiceNotAtPoint,
    #[error("ช่องบริการนี้ไม่ได้ให้บริการงานของคิว {label}")]
    NotThisCountersService { label: String },
    #[error("ช่องบริการนี้ปิดอยู่")]
    CounterClosed,
    #[error("ช่องบริการนี้ยังมีคิว {label} อยู่ กรุณาบันทึกเสร็จสิ้น ข้ามคิว หรือส่งต่อ ก่อนเรียกคิวถัดไป")]
    CounterBusy { label: String },
    #[error("ไม่มีคิวที่รอเรียกสำหรับช่องบริการนี้")]
    NoneWaiting,
    #[error("{0}")]
    Reason(String),
    #[error("ส่งต่อไปยังช่องบริการที่เลือกไม่ได้: ช่องนั้นไม่ได้ให้บริการงานที่เลือก หรือไม่ได้อยู่ในจุดบริการเดียวกัน")]
    BadTransferCounter,
    #[error("เครื่องนี้รับบัตรคิวที่ยังรอเรียกอยู่ครบ {0} ใบแล้ว กรุณารอให้ถูกเรียกก่อน หรือติดต่อเจ้าหน้าที่")]
    TooManyWaiting(String),
    #[error("เครื่องนี้รับบัตรคิวครบ {0} ใบในวันนี้แล้ว กรุณาติดต่อเจ้าหน้าที่หรือใช้ตู้ออกบัตรคิว")]
    TooManyToday(String),
    #[error("ไม่พบบัตรคิวนี้")]
    NoSuchTicket,
    #[error("ถึงคิวของท่านแล้ว ยกเลิกจากหน้านี้ไม่ได้ กรุณาแจ้งเจ้าหน้าที่ที่ช่องบริการ")]
    CancelWhenCalled,
    #[error("ให้บริการเสร็จแล้ว ไม่ต้องยกเลิก")]
    CancelWhenDone,
    #[error("บัตรคิวนี้ออกให้วันก่อน ใช้ไม่ได้แล้ว ไม่ต้องยกเลิก")]
    CancelOtherDay,
}

const TICKET_COLUMNS: &str = "t.id, t.point_id, t.service_id, s.name AS service_name, t.day, t.number, t.label, t.code,
    t.priority_group, t.status, t.counter_id, c.name AS counter_name, t.queued_at, t.issued_at, t.called_at,
    t.started_at, t.finished_at, t.recalls";
const TICKET_FROM: &str = "queue_tickets t JOIN services s ON s.id = t.service_id
    LEFT JOIN queue_counters c ON c.id = t.counter_id";

fn ticket_from_row(r: &sqlx::any::AnyRow) -> anyhow::Result<Ticket> {
    let id: i64 = r.try_get("id")?;
    let status: String = r.try_get("status")?;
    let group: String = r.try_get("priority_group")?;
    Ok(Ticket {
        id: TicketId(id),
        point_id: PointId(r.try_get("point_id")?),
        service_id: ServiceId(r.try_get("service_id")?),
        service_name: r.try_get("service_name")?,
        day: r.try_get("day")?,
        number: r.try_get("number")?,
        label: r.try_get("label")?,
        code: r.try_get("code")?,
        priority_group: PriorityGroup::parse(&group),
        status: Status::parse(&status).ok_or_else(|| anyhow::anyhow!("queue_tickets {id}: unknown status {status}"))?,
        counter_id: r.try_get::<Option<i64>, _>("counter_id")?.map(CounterId),
        counter_name: r.try_get("counter_name")?,
        queued_at: r.try_get("queued_at")?,
        issued_at: r.try_get("issued_at")?,
        called_at: r.try_get("called_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        recalls: r.try_get("recalls")?,
    })
}

async fn ticket_where(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    clause: &str,
    value: &str,
) -> anyhow::Result<Option<Ticket>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.org_id = $1 AND {clause}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(value).fetch_optional(&mut *conn).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// A ticket of the organization by id (`None` for another organization's).
pub async fn find(db: &Db, org: OrgId, id: TicketId) -> anyhow::Result<Option<Ticket>> {
    let mut conn = db.pool.acquire().await?;
    let sql = format!("SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.org_id = $1 AND t.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(id.0).fetch_optional(&mut *conn).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// A ticket of the organization by its public code.
pub async fn find_by_code(db: &Db, org: OrgId, code: &str) -> anyhow::Result<Option<Ticket>> {
    let mut conn = db.pool.acquire().await?;
    ticket_where(&mut conn, org, "t.code = $2", code).await
}

async fn ticket_in(tx: &mut Tx, org: OrgId, id: TicketId) -> anyhow::Result<Option<Ticket>> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.org_id = $1 AND t.id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(id.0).fetch_optional(&mut **tx).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// An unguessable code for the ticket's public page (96 random bits).
pub fn new_code() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What a new ticket is for.
pub struct NewTicket<'a> {
    pub point: PointId,
    pub service: ServiceId,
    pub priority: Option<PriorityGroup>,
    pub channel: Channel,
    /// For the entrance QR: the keyed hash of the phone's address (`kiosk::client_key`); else "".
    pub client_key: &'a str,
}

/// Issues a ticket at `at` (epoch ms): the next number of its service at the point that day.
pub async fn issue(
    db: &Db,
    org: &Org,
    new: &NewTicket<'_>,
    actor: &str,
    at: i64,
) -> anyhow::Result<Result<Ticket, QueueRefusal>> {
    let mut tx = db.write(org.id).await?;
    let issued = issue_in(&mut tx, org, new, actor, at).await?;
    if issued.is_ok() {
        tx.commit().await?;
    }
    Ok(issued)
}

/// [`issue`] inside the caller's transaction (the demo's history).
pub async fn issue_in(
    tx: &mut Tx,
    org: &Org,
    new: &NewTicket<'_>,
    actor: &str,
    at: i64,
) -> anyhow::Result<Result<Ticket, QueueRefusal>> {
    let prefix: Option<(String,)> = sqlx::query_as(
        "SELECT ps.prefix FROM queue_point_services ps JOIN services s ON s.id = ps.service_id
         WHERE ps.org_id = $1 AND ps.point_id = $2 AND ps.service_id = $3 AND s.archived = 0",
    )
    .bind(org.id.0)
    .bind(new.point.0)
    .bind(new.service.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((prefix,)) = prefix else { return Ok(Err(QueueRefusal::ServiceNotAtPoint)) };
    let day = thai_day(at);
    if new.channel == Channel::Qr {
        let (waiting, today): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN status IN ('waiting', 'called') THEN 1 ELSE 0 END), 0), COUNT(*)
             FROM queue_tickets WHERE org_id = $1 AND point_id = $2 AND day = $3 AND client_key = $4",
        )
        .bind(org.id.0)
        .bind(new.point.0)
        .bind(day)
        .bind(new.client_key)
        .fetch_one(&mut **tx)
        .await?;
        if today >= QR_DAILY_PER_ADDRESS {
            return Ok(Err(QueueRefusal::TooManyToday(crate::thai::format_int(QR_DAILY_PER_ADDRESS, org.digits))));
        }
        if waiting >= QR_WAITING_PER_ADDRESS {
            return Ok(Err(QueueRefusal::TooManyWaiting(crate::thai::format_int(QR_WAITING_PER_ADDRESS, org.digits))));
        }
    }
    // The number is raised in this transaction: a rollback gives it back, so no gap; the row's
    // update (and the organization's lock) orders concurrent issuers, so no duplicate.
    let (number,): (i64,) = sqlx::query_as(
        "INSERT INTO queue_numbers (org_id, point_id, service_id, day, last_number) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (point_id, service_id, day) DO UPDATE SET last_number = queue_numbers.last_number + 1
         RETURNING last_number",
    )
    .bind(org.id.0)
    .bind(new.point.0)
    .bind(new.service.0)
    .bind(day)
    .fetch_one(&mut **tx)
    .await?;
    let label = format!("{prefix}{number:03}");
    let group = new.priority.map_or("", PriorityGroup::code);
    let row = sqlx::query(
        "INSERT INTO queue_tickets (org_id, point_id, service_id, day, number, label, code, priority_group, channel,
            status, queued_at, issued_at, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'waiting', $10, $10, $11) RETURNING id",
    )
    .bind(org.id.0)
    .bind(new.point.0)
    .bind(new.service.0)
    .bind(day)
    .bind(number)
    .bind(&label)
    .bind(new_code())
    .bind(group)
    .bind(new.channel.code())
    .bind(at)
    .bind(new.client_key)
    .fetch_one(&mut **tx)
    .await?;
    let id = TicketId(row.try_get(0)?);
    let ticket = ticket_in(tx, org.id, id).await?.ok_or_else(|| anyhow::anyhow!("ticket {id} vanished"))?;
    event(tx, org.id, &ticket, None, "issue", None, "", actor, at).await?;
    let after = serde_json::json!({
        "label": label, "service_id": new.service.0, "point_id": new.point.0, "priority_group": group,
        "channel": new.channel.code(),
    });
    crate::audit::record(tx, org.id, actor, "issue_ticket", "queue_ticket", &id.0.to_string(), None, Some(&after))
        .await?;
    Ok(Ok(ticket))
}

/// Appends a ticket's event (the board's stream and the fairness log).
#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut Tx,
    org: OrgId,
    ticket: &Ticket,
    counter: Option<CounterId>,
    kind: &str,
    out_of_order: Option<OutOfOrder>,
    reason: &str,
    actor: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO queue_events (org_id, point_id, ticket_id, counter_id, service_id, kind, out_of_order, reason, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org.0)
    .bind(ticket.point_id.0)
    .bind(ticket.id.0)
    .bind(counter.map(|c| c.0))
    .bind(ticket.service_id.0)
    .bind(kind)
    .bind(out_of_order.map_or("", OutOfOrder::code))
    .bind(reason)
    .bind(actor)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The tickets a counter could call now, in line order: today's waiting tickets of its services,
/// and those transferred to it by name.
async fn candidates(
    tx: &mut Tx,
    org: OrgId,
    point: PointId,
    counter: CounterId,
    day: i64,
) -> anyhow::Result<Vec<Candidate>> {
    let rows = sqlx::query(
        "SELECT t.id, t.queued_at, t.priority_group FROM queue_tickets t
         WHERE t.org_id = $1 AND t.point_id = $2 AND t.day = $3 AND t.status = 'waiting'
           AND ((t.counter_id IS NULL AND t.service_id IN
                  (SELECT service_id FROM queue_counter_services WHERE counter_id = $4 AND org_id = $1))
                OR t.counter_id = $4)",
    )
    .bind(org.0)
    .bind(point.0)
    .bind(day)
    .bind(counter.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut line = rows
        .iter()
        .map(|r| {
            Ok(Candidate {
                id: r.try_get(0)?,
                queued_at: r.try_get(1)?,
                priority: !r.try_get::<String, _>(2)?.is_empty(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    line.sort_by(rules::line_order);
    Ok(line)
}

/// The point's ordinary calls today since its last call of a priority ticket.
async fn ordinary_since_priority(tx: &mut Tx, org: OrgId, point: PointId, day: i64) -> Result<i64, sqlx::Error> {
    let groups: Vec<(String,)> = sqlx::query_as(
        "SELECT t.priority_group FROM queue_events e JOIN queue_tickets t ON t.id = e.ticket_id
         WHERE e.org_id = $1 AND e.point_id = $2 AND e.kind = 'call' AND e.at >= $3 ORDER BY e.id DESC LIMIT 20",
    )
    .bind(org.0)
    .bind(point.0)
    .bind(super::day_start_ms(day))
    .fetch_all(&mut **tx)
    .await?;
    Ok(groups.iter().take_while(|(g,)| g.is_empty()).count() as i64)
}

/// The ticket a counter has in hand (called or being served), if any.
async fn in_hand(tx: &mut Tx, org: OrgId, counter: CounterId) -> anyhow::Result<Option<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.org_id = $1 AND t.counter_id = $2
         AND t.status IN ('called', 'serving') ORDER BY t.id LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(counter.0).fetch_optional(&mut **tx).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// What every counter step starts with: the counter (open, of this organization), its point.
struct Desk {
    counter: store::Counter,
    point: Point,
}

async fn desk(tx: &mut Tx, org: OrgId, counter: CounterId) -> anyhow::Result<Option<Result<Desk, QueueRefusal>>> {
    let Some(counter) = store::counter_in(tx, org, counter).await? else { return Ok(None) };
    let point =
        store::point_in(tx, org, counter.point_id).await?.ok_or_else(|| anyhow::anyhow!("counter without point"))?;
    if !counter.active {
        return Ok(Some(Err(QueueRefusal::CounterClosed)));
    }
    Ok(Some(Ok(Desk { counter, point })))
}

/// The result of a counter step: `None` when the counter or ticket is not the organization's
/// (a 404), else the ticket after the step or why it was refused.
pub type StepResult = anyhow::Result<Option<Result<Ticket, QueueRefusal>>>;

/// The Thai reason a priority call carries: its group and the rule.
fn priority_reason(group: Option<PriorityGroup>, point: &Point, org: &Org) -> String {
    let every = crate::thai::format_int(point.priority_every, org.digits);
    let one = crate::thai::format_int(1, org.digits);
    format!("{} ตามกฎเรียกคิวพิเศษ {one} ใน {every} ครั้ง", group.map_or("กลุ่มพิเศษ", PriorityGroup::label_th))
}

/// Calls the next ticket by the rule.
pub async fn call_next(db: &Db, org: &Org, counter: CounterId, actor: &str, at: i64) -> StepResult {
    let mut tx = db.write(org.id).await?;
    let desk = match desk(&mut tx, org.id, counter).await? {
        None => return Ok(None),
        Some(Err(r)) => return Ok(Some(Err(r))),
        Some(Ok(d)) => d,
    };
    if let Some(current) = in_hand(&mut tx, org.id, counter).await? {
        return Ok(Some(Err(QueueRefusal::CounterBusy { label: current.label })));
    }
    let day = thai_day(at);
    let line = candidates(&mut tx, org.id, desk.point.id, counter, day).await?;
    let since = ordinary_since_priority(&mut tx, org.id, desk.point.id, day).await?;
    let Some((id, out_of_order)) = rules::next(&line, desk.point.priority_every, since) else {
        return Ok(Some(Err(QueueRefusal::NoneWaiting)));
    };
    let ticket = call(&mut tx, org, &desk, TicketId(id), out_of_order, None, actor, at).await?;
    tx.commit().await?;
    Ok(Some(Ok(ticket)))
}

/// Calls a waiting ticket picked by hand: out of order (with the officer's reason) unless it is
/// the rule's own choice.
pub async fn call_chosen(
    db: &Db,
    org: &Org,
    counter: CounterId,
    ticket: TicketId,
    reason: &str,
    actor: &str,
    at: i64,
) -> StepResult {
    let mut tx = db.write(org.id).await?;
    let desk = match desk(&mut tx, org.id, counter).await? {
        None => return Ok(None),
        Some(Err(r)) => return Ok(Some(Err(r))),
        Some(Ok(d)) => d,
    };
    let Some(chosen) = ticket_in(&mut tx, org.id, ticket).await? else { return Ok(None) };
    if chosen.point_id != desk.point.id {
        return Ok(None);
    }
    if let Err(r) = rules::check(&state(&chosen), Step::Call, counter.0, desk.point.recall_limit, org.digits) {
        return Ok(Some(Err(r.into())));
    }
    if let Some(current) = in_hand(&mut tx, org.id, counter).await? {
        return Ok(Some(Err(QueueRefusal::CounterBusy { label: current.label })));
    }
    let day = thai_day(at);
    let line = candidates(&mut tx, org.id, desk.point.id, counter, day).await?;
    if !line.iter().any(|c| c.id == ticket.0) {
        return Ok(Some(Err(QueueRefusal::NotThisCountersService { label: chosen.label })));
    }
    let since = ordinary_since_priority(&mut tx, org.id, desk.point.id, day).await?;
    let ruled = rules::next(&line, desk.point.priority_every, since);
    let (out_of_order, reason) = match ruled {
        Some((id, by_rule)) if id == ticket.0 => (by_rule, None),
        _ => match rules::reason(reason, "เรียกคิวนี้ก่อนคิวอื่น") {
            Ok(r) => (Some(OutOfOrder::Chosen), Some(r)),
            Err(message) => return Ok(Some(Err(QueueRefusal::Reason(message)))),
        },
    };
    let called = call(&mut tx, org, &desk, ticket, out_of_order, reason, actor, at).await?;
    tx.commit().await?;
    Ok(Some(Ok(called)))
}

#[allow(clippy::too_many_arguments)]
async fn call(
    tx: &mut Tx,
    org: &Org,
    desk: &Desk,
    id: TicketId,
    out_of_order: Option<OutOfOrder>,
    reason: Option<String>,
    actor: &str,
    at: i64,
) -> anyhow::Result<Ticket> {
    sqlx::query(
        "UPDATE queue_tickets SET status = 'called', counter_id = $1, called_at = COALESCE(called_at, $2)
         WHERE id = $3 AND org_id = $4",
    )
    .bind(desk.counter.id.0)
    .bind(at)
    .bind(id.0)
    .bind(org.id.0)
    .execute(&mut **tx)
    .await?;
    let ticket = ticket_in(tx, org.id, id).await?.ok_or_else(|| anyhow::anyhow!("ticket {id} vanished"))?;
    let reason = match (out_of_order, reason) {
        (_, Some(r)) => r,
        (Some(OutOfOrder::Priority), None) => priority_reason(ticket.priority_group, &desk.point, org),
        _ => String::new(),
    };
    event(tx, org.id, &ticket, Some(desk.counter.id), "call", out_of_order, &reason, actor, at).await?;
    let after = serde_json::json!({
        "label": ticket.label, "counter_id": desk.counter.id.0, "out_of_order": out_of_order.map_or("", OutOfOrder::code), "reason": reason,
    });
    crate::audit::record(tx, org.id, actor, "call", "queue_ticket", &id.0.to_string(), None, Some(&after)).await?;
    Ok(ticket)
}

fn state(t: &Ticket) -> TicketState<'_> {
    TicketState { label: &t.label, status: t.status, counter: t.counter_id.map(|c| c.0), recalls: t.recalls }
}

/// The part every step on a named ticket shares: the counter, the ticket (same organization and
/// point) and the rule's check of the step.
async fn prepare(
    tx: &mut Tx,
    org: &Org,
    counter: CounterId,
    ticket: TicketId,
    step: Step,
) -> anyhow::Result<Option<Result<(Desk, Ticket), QueueRefusal>>> {
    let desk = match desk(tx, org.id, counter).await? {
        None => return Ok(None),
        Some(Err(r)) => return Ok(Some(Err(r))),
        Some(Ok(d)) => d,
    };
    let Some(t) = ticket_in(tx, org.id, ticket).await? else { return Ok(None) };
    if t.point_id != desk.point.id {
        return Ok(None);
    }
    if let Err(r) = rules::check(&state(&t), step, counter.0, desk.point.recall_limit, org.digits) {
        return Ok(Some(Err(r.into())));
    }
    Ok(Some(Ok((desk, t))))
}

macro_rules! prepared {
    ($e:expr) => {
        match $e {
            None => return Ok(None),
            Some(Err(r)) => return Ok(Some(Err(r))),
            Some(Ok(v)) => v,
        }
    };
}

/// Calls a ticket again: one already called here who has not come yet (up to the point's limit),
/// or one skipped who came back (from any counter of the point). Needs a reason.
pub async fn recall(
    db: &Db,
    org: &Org,
    counter: CounterId,
    ticket: TicketId,
    reason: &str,
    actor: &str,
    at: i64,
) -> StepResult {
    let mut tx = db.write(org.id).await?;
    let (desk, t) = prepared!(prepare(&mut tx, org, counter, ticket, Step::Recall).await?);
    let reason = match rules::reason(reason, "เรียกคิวนี้ซ้ำ") {
        Ok(r) => r,
        Err(m) => return Ok(Some(Err(QueueRefusal::Reason(m)))),
    };
    if t.status == Status::Skipped
        && let Some(current) = in_hand(&mut tx, org.id, counter).await?
    {
        return Ok(Some(Err(QueueRefusal::CounterBusy { label: current.label })));
    }
    sqlx::query("UPDATE queue_tickets SET status = 'called', counter_id = $1, recalls = recalls + 1 WHERE id = $2 AND org_id = $3")
        .bind(desk.counter.id.0)
        .bind(t.id.0)
        .bind(org.id.0)
        .execute(&mut *tx)
        .await?;
    let after_step =
        finish_step(&mut tx, org, Some(desk.counter.id), &t, "recall", Some(OutOfOrder::Recall), &reason, actor, at)
            .await?;
    tx.commit().await?;
    Ok(Some(Ok(after_step)))
}

/// The citizen called did not come: the ticket leaves the line (a recall brings it back).
pub async fn skip(
    db: &Db,
    org: &Org,
    counter: CounterId,
    ticket: TicketId,
    reason: &str,
    actor: &str,
    at: i64,
) -> StepResult {
    let mut tx = db.write(org.id).await?;
    let (desk, t) = prepared!(prepare(&mut tx, org, counter, ticket, Step::Skip).await?);
    let reason = match rules::reason(reason, "ข้ามคิวนี้") {
        Ok(r) => r,
        Err(m) => return Ok(Some(Err(QueueRefusal::Reason(m)))),
    };
    sqlx::query("UPDATE queue_tickets SET status = 'skipped' WHERE id = $1 AND org_id = $2")
        .bind(t.id.0)
        .bind(org.id.0)
        .execute(&mut *tx)
        .await?;
    let after_step =
        finish_step(&mut tx, org, Some(desk.counter.id), &t, "skip", Some(OutOfOrder::Skip), &reason, actor, at)
            .await?;
    tx.commit().await?;
    Ok(Some(Ok(after_step)))
}

/// Why the holder of `t` may not cancel it at `at`; None when they may. Only today's ticket still
/// waiting, or skipped after it was called; once called, the counter decides. A ticket cancelled
/// already is no refusal: a second tap changes nothing.
pub fn holder_cancel_refusal(t: &Ticket, at: i64) -> Option<QueueRefusal> {
    match t.status {
        Status::Cancelled => None,
        Status::Called | Status::Serving => Some(QueueRefusal::CancelWhenCalled),
        Status::Done => Some(QueueRefusal::CancelWhenDone),
        Status::Waiting | Status::Skipped if t.day != thai_day(at) => Some(QueueRefusal::CancelOtherDay),
        Status::Waiting | Status::Skipped => None,
    }
}

/// The holder of `ticket` gives up its place (the ticket's page: whoever has its unguessable code
/// holds the ticket), as [`holder_cancel_refusal`] allows.
pub async fn cancel_by_holder(
    db: &Db,
    org: &Org,
    ticket: TicketId,
    at: i64,
) -> anyhow::Result<Result<Ticket, QueueRefusal>> {
    let mut tx = db.write(org.id).await?;
    let Some(t) = ticket_in(&mut tx, org.id, ticket).await? else { return Ok(Err(QueueRefusal::NoSuchTicket)) };
    if let Some(refusal) = holder_cancel_refusal(&t, at) {
        return Ok(Err(refusal));
    }
    if t.status == Status::Cancelled {
        return Ok(Ok(t));
    }
    sqlx::query("UPDATE queue_tickets SET status = 'cancelled' WHERE id = $1 AND org_id = $2")
        .bind(t.id.0)
        .bind(org.id.0)
        .execute(&mut *tx)
        .await?;
    let after = finish_step(&mut tx, org, None, &t, "cancel", None, "", "holder", at).await?;
    tx.commit().await?;
    Ok(Ok(after))
}

/// Service begins at the counter.
pub async fn start(db: &Db, org: &Org, counter: CounterId, ticket: TicketId, actor: &str, at: i64) -> StepResult {
    timed_step(db, org, counter, ticket, Step::Start, actor, at).await
}

/// Service is done.
pub async fn finish(db: &Db, org: &Org, counter: CounterId, ticket: TicketId, actor: &str, at: i64) -> StepResult {
    timed_step(db, org, counter, ticket, Step::Finish, actor, at).await
}

/// Start or finish: the ticket's new status and the time it is stamped with; in turn, no reason.
async fn timed_step(
    db: &Db,
    org: &Org,
    counter: CounterId,
    ticket: TicketId,
    step: Step,
    actor: &str,
    at: i64,
) -> StepResult {
    let update = match step {
        Step::Start => "UPDATE queue_tickets SET status = 'serving', started_at = $1 WHERE id = $2 AND org_id = $3",
        // Step::Finish: only start and finish come here.
        _ => "UPDATE queue_tickets SET status = 'done', finished_at = $1 WHERE id = $2 AND org_id = $3",
    };
    let mut tx = db.write(org.id).await?;
    let (desk, t) = prepared!(prepare(&mut tx, org, counter, ticket, step).await?);
    sqlx::query(update).bind(at).bind(t.id.0).bind(org.id.0).execute(&mut *tx).await?;
    let after_step = finish_step(&mut tx, org, Some(desk.counter.id), &t, step.code(), None, "", actor, at).await?;
    tx.commit().await?;
    Ok(Some(Ok(after_step)))
}

/// Sends the ticket to another service's line (or to a named counter), keeping its place: in the
/// new line it stands where its issue time puts it. Needs a reason.
#[allow(clippy::too_many_arguments)]
pub async fn transfer(
    db: &Db,
    org: &Org,
    counter: CounterId,
    ticket: TicketId,
    to_service: ServiceId,
    to_counter: Option<CounterId>,
    reason: &str,
    actor: &str,
    at: i64,
) -> StepResult {
    let mut tx = db.write(org.id).await?;
    let (desk, t) = prepared!(prepare(&mut tx, org, counter, ticket, Step::Transfer).await?);
    let reason = match rules::reason(reason, "ส่งต่อคิวนี้") {
        Ok(r) => r,
        Err(m) => return Ok(Some(Err(QueueRefusal::Reason(m)))),
    };
    let offered: Option<(i64,)> = sqlx::query_as(
        "SELECT service_id FROM queue_point_services WHERE org_id = $1 AND point_id = $2 AND service_id = $3",
    )
    .bind(org.id.0)
    .bind(desk.point.id.0)
    .bind(to_service.0)
    .fetch_optional(&mut *tx)
    .await?;
    if offered.is_none() {
        return Ok(Some(Err(QueueRefusal::ServiceNotAtPoint)));
    }
    if let Some(target) = to_counter {
        let fits = store::counter_in(&mut tx, org.id, target)
            .await?
            .is_some_and(|c| c.point_id == desk.point.id && c.active && c.services.contains(&to_service));
        if !fits {
            return Ok(Some(Err(QueueRefusal::BadTransferCounter)));
        }
    }
    sqlx::query(
        "UPDATE queue_tickets SET service_id = $1, counter_id = $2, status = 'waiting', queued_at = issued_at,
            called_at = NULL, started_at = NULL, finished_at = NULL, recalls = 0
         WHERE id = $3 AND org_id = $4",
    )
    .bind(to_service.0)
    .bind(to_counter.map(|c| c.0))
    .bind(t.id.0)
    .bind(org.id.0)
    .execute(&mut *tx)
    .await?;
    let after_step = finish_step(
        &mut tx,
        org,
        Some(desk.counter.id),
        &t,
        "transfer",
        Some(OutOfOrder::Transfer),
        &reason,
        actor,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(after_step)))
}

/// Records a step's event and audit entry; returns the ticket as it now stands.
#[allow(clippy::too_many_arguments)]
async fn finish_step(
    tx: &mut Tx,
    org: &Org,
    counter: Option<CounterId>,
    before: &Ticket,
    kind: &str,
    out_of_order: Option<OutOfOrder>,
    reason: &str,
    actor: &str,
    at: i64,
) -> anyhow::Result<Ticket> {
    let after =
        ticket_in(tx, org.id, before.id).await?.ok_or_else(|| anyhow::anyhow!("ticket {} vanished", before.id))?;
    event(tx, org.id, &after, counter, kind, out_of_order, reason, actor, at).await?;
    let before_json = serde_json::json!({
        "status": before.status.code(), "service_id": before.service_id.0, "counter_id": before.counter_id.map(|c| c.0),
    });
    let after_json = serde_json::json!({
        "label": after.label, "status": after.status.code(), "service_id": after.service_id.0,
        "counter_id": after.counter_id.map(|c| c.0), "reason": reason,
    });
    crate::audit::record(
        tx,
        org.id,
        actor,
        kind,
        "queue_ticket",
        &after.id.0.to_string(),
        Some(&before_json),
        Some(&after_json),
    )
    .await?;
    Ok(after)
}

/// A counter's ticket in hand, read outside a transaction (the counter page).
pub async fn current(db: &Db, org: OrgId, counter: CounterId) -> anyhow::Result<Option<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.org_id = $1 AND t.counter_id = $2
         AND t.status IN ('called', 'serving') ORDER BY t.id LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(counter.0).fetch_optional(&db.pool).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// Today's tickets of a point in a status, in line order (the counter page's lists).
pub async fn of_point_today(
    db: &Db,
    org: OrgId,
    point: PointId,
    status: Status,
    day: i64,
) -> anyhow::Result<Vec<Ticket>> {
    let sql = format!(
        "SELECT {TICKET_COLUMNS} FROM {TICKET_FROM} WHERE t.org_id = $1 AND t.point_id = $2 AND t.day = $3 AND t.status = $4"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org.0)
        .bind(point.0)
        .bind(day)
        .bind(status.code())
        .fetch_all(&db.pool)
        .await?;
    let mut tickets = rows.iter().map(ticket_from_row).collect::<anyhow::Result<Vec<_>>>()?;
    tickets.sort_by_key(|t| (t.queued_at, t.id.0));
    Ok(tickets)
}

/// How many wait before this ticket in its line (its service, or its named counter), by place.
pub async fn people_ahead(db: &Db, org: OrgId, ticket: &Ticket) -> Result<i64, sqlx::Error> {
    if ticket.status != Status::Waiting {
        return Ok(0);
    }
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM queue_tickets WHERE org_id = $1 AND point_id = $2 AND day = $3 AND status = 'waiting'
           AND service_id = $4 AND (queued_at < $5 OR (queued_at = $5 AND id < $6))",
    )
    .bind(org.0)
    .bind(ticket.point_id.0)
    .bind(ticket.day)
    .bind(ticket.service_id.0)
    .bind(ticket.queued_at)
    .bind(ticket.id.0)
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}
