//! SQL of the queue's configuration: service points with their published rule, the services each
//! point gives (with their ticket letter) and the counters with the services they serve.

use sqlx::Row;

use super::{CounterId, PointId};
use crate::db::{Db, Tx};
use crate::orgs::OrgId;
use crate::services::ServiceId;

/// A service point and its published rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub id: PointId,
    pub name: String,
    pub priority_every: i64,
    pub recall_limit: i64,
    pub rule_note: String,
    pub entrance_key: String,
}

/// A service a point gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointService {
    pub service_id: ServiceId,
    pub name: String,
    pub prefix: String,
    pub standard_minutes: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub id: CounterId,
    pub point_id: PointId,
    pub name: String,
    pub position: i64,
    pub active: bool,
    pub services: Vec<ServiceId>,
}

/// Why a configuration change was refused, in Thai, with the form field it concerns.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigProblem {
    #[error("กรุณาระบุชื่อ")]
    MissingName,
    #[error("มีชื่อ \"{0}\" อยู่แล้ว")]
    NameTaken(String),
    #[error("สัดส่วนการเรียกคิวพิเศษต้องเป็นตัวเลข ๐ ถึง ๑๐ (๐ = ไม่มีช่องทางพิเศษ)")]
    BadPriorityEvery,
    #[error("จำนวนครั้งที่เรียกซ้ำได้ต้องเป็นตัวเลข ๐ ถึง ๑๐")]
    BadRecallLimit,
    #[error("อักษรนำหน้าหมายเลขคิวต้องเป็นตัวอักษรไทยหรืออังกฤษ ๑ ถึง ๓ ตัว เช่น A หรือ ก")]
    BadPrefix,
    #[error("อักษรนำหน้า \"{0}\" ใช้กับงานบริการอื่นของจุดบริการนี้แล้ว")]
    PrefixTaken(String),
    #[error("ไม่พบงานบริการที่เลือก")]
    UnknownService,
    #[error("เลือกได้เฉพาะงานบริการที่จุดบริการนี้ให้บริการ")]
    ServiceNotAtPoint,
}

impl ConfigProblem {
    /// The form field the message belongs beside.
    pub fn field(&self) -> &'static str {
        match self {
            ConfigProblem::MissingName | ConfigProblem::NameTaken(_) => "name",
            ConfigProblem::BadPriorityEvery => "priority_every",
            ConfigProblem::BadRecallLimit => "recall_limit",
            ConfigProblem::BadPrefix | ConfigProblem::PrefixTaken(_) => "prefix",
            ConfigProblem::UnknownService | ConfigProblem::ServiceNotAtPoint => "service_id",
        }
    }
}

/// The published rule as typed in the form.
pub struct RuleInput<'a> {
    pub name: &'a str,
    pub priority_every: i64,
    pub recall_limit: i64,
    pub rule_note: &'a str,
}

fn check_rule(input: &RuleInput) -> Result<String, ConfigProblem> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(ConfigProblem::MissingName);
    }
    if !(0..=10).contains(&input.priority_every) {
        return Err(ConfigProblem::BadPriorityEvery);
    }
    if !(0..=10).contains(&input.recall_limit) {
        return Err(ConfigProblem::BadRecallLimit);
    }
    Ok(name.to_string())
}

/// A fresh secret for the entrance QR poster.
pub fn new_entrance_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Creates a point with its rule, audited in the caller's transaction.
pub async fn create_point(
    tx: &mut Tx,
    org: OrgId,
    input: &RuleInput<'_>,
    actor: &str,
) -> anyhow::Result<Result<PointId, ConfigProblem>> {
    let name = match check_rule(input) {
        Ok(name) => name,
        Err(p) => return Ok(Err(p)),
    };
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM queue_points WHERE org_id = $1 AND name = $2")
        .bind(org.0)
        .bind(&name)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Ok(Err(ConfigProblem::NameTaken(name)));
    }
    let at = crate::db::now();
    let row = sqlx::query(
        "INSERT INTO queue_points (org_id, name, priority_every, recall_limit, rule_note, entrance_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(org.0)
    .bind(&name)
    .bind(input.priority_every)
    .bind(input.recall_limit)
    .bind(input.rule_note.trim())
    .bind(new_entrance_key())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    let id = PointId(row.try_get(0)?);
    let after = serde_json::json!({
        "name": name, "priority_every": input.priority_every, "recall_limit": input.recall_limit, "rule_note": input.rule_note.trim(),
    });
    crate::audit::record(tx, org, actor, "create", "queue_point", &id.0.to_string(), None, Some(&after)).await?;
    Ok(Ok(id))
}

/// Changes a point's name and published rule. Ok(None): not the organization's point.
pub async fn update_point(
    db: &Db,
    org: OrgId,
    point: PointId,
    input: &RuleInput<'_>,
    actor: &str,
) -> anyhow::Result<Option<Result<(), ConfigProblem>>> {
    let name = match check_rule(input) {
        Ok(name) => name,
        Err(p) => return Ok(Some(Err(p))),
    };
    let mut tx = db.write(org).await?;
    let Some(before) = point_in(&mut tx, org, point).await? else { return Ok(None) };
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM queue_points WHERE org_id = $1 AND name = $2 AND id <> $3")
            .bind(org.0)
            .bind(&name)
            .bind(point.0)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Ok(Some(Err(ConfigProblem::NameTaken(name))));
    }
    sqlx::query(
        "UPDATE queue_points SET name = $1, priority_every = $2, recall_limit = $3, rule_note = $4, updated_at = $5
         WHERE id = $6 AND org_id = $7",
    )
    .bind(&name)
    .bind(input.priority_every)
    .bind(input.recall_limit)
    .bind(input.rule_note.trim())
    .bind(crate::db::now())
    .bind(point.0)
    .bind(org.0)
    .execute(&mut *tx)
    .await?;
    let before = serde_json::json!({
        "name": before.name, "priority_every": before.priority_every, "recall_limit": before.recall_limit, "rule_note": before.rule_note,
    });
    let after = serde_json::json!({
        "name": name, "priority_every": input.priority_every, "recall_limit": input.recall_limit, "rule_note": input.rule_note.trim(),
    });
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "update",
        "queue_point",
        &point.0.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(())))
}

/// Replaces the entrance QR's secret: the old poster's link stops issuing tickets.
pub async fn renew_entrance_key(db: &Db, org: OrgId, point: PointId, actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let done = sqlx::query("UPDATE queue_points SET entrance_key = $1, updated_at = $2 WHERE id = $3 AND org_id = $4")
        .bind(new_entrance_key())
        .bind(crate::db::now())
        .bind(point.0)
        .bind(org.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    let after = serde_json::json!({ "entrance_key": "renewed" });
    crate::audit::record(&mut tx, org, actor, "update", "queue_point", &point.0.to_string(), None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok(true)
}

const POINT_COLUMNS: &str = "id, name, priority_every, recall_limit, rule_note, entrance_key";

fn point_from_row(r: &sqlx::any::AnyRow) -> Result<Point, sqlx::Error> {
    Ok(Point {
        id: PointId(r.try_get("id")?),
        name: r.try_get("name")?,
        priority_every: r.try_get("priority_every")?,
        recall_limit: r.try_get("recall_limit")?,
        rule_note: r.try_get("rule_note")?,
        entrance_key: r.try_get("entrance_key")?,
    })
}

/// The organization's points, oldest first.
pub async fn points(db: &Db, org: OrgId) -> Result<Vec<Point>, sqlx::Error> {
    let sql = format!("SELECT {POINT_COLUMNS} FROM queue_points WHERE org_id = $1 ORDER BY id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).fetch_all(&db.pool).await?;
    rows.iter().map(point_from_row).collect()
}

/// One point of the organization (`None` for another organization's id).
pub async fn point(db: &Db, org: OrgId, id: PointId) -> Result<Option<Point>, sqlx::Error> {
    let sql = format!("SELECT {POINT_COLUMNS} FROM queue_points WHERE org_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(id.0).fetch_optional(&db.pool).await?;
    row.as_ref().map(point_from_row).transpose()
}

/// [`point`], read inside a write transaction.
pub async fn point_in(tx: &mut Tx, org: OrgId, id: PointId) -> Result<Option<Point>, sqlx::Error> {
    let sql = format!("SELECT {POINT_COLUMNS} FROM queue_points WHERE org_id = $1 AND id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(id.0).fetch_optional(&mut **tx).await?;
    row.as_ref().map(point_from_row).transpose()
}

/// The services a point gives, in catalogue order (archived services left out).
pub async fn point_services(db: &Db, org: OrgId, point: PointId) -> Result<Vec<PointService>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.id, s.name, ps.prefix, s.standard_minutes FROM queue_point_services ps
         JOIN services s ON s.id = ps.service_id AND s.org_id = ps.org_id
         WHERE ps.org_id = $1 AND ps.point_id = $2 AND s.archived = 0 ORDER BY s.position, s.id",
    )
    .bind(org.0)
    .bind(point.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PointService {
                service_id: ServiceId(r.try_get(0)?),
                name: r.try_get(1)?,
                prefix: r.try_get(2)?,
                standard_minutes: r.try_get(3)?,
            })
        })
        .collect()
}

/// A ticket letter: 1 to 3 Thai or Latin letters.
fn valid_prefix(prefix: &str) -> bool {
    let n = prefix.chars().count();
    (1..=3).contains(&n) && prefix.chars().all(|c| c.is_ascii_alphabetic() || ('\u{0E01}'..='\u{0E2E}').contains(&c))
}

/// Offers a service at a point with its ticket letter (or changes the letter), audited.
pub async fn set_point_service(
    tx: &mut Tx,
    org: OrgId,
    point: PointId,
    service: ServiceId,
    prefix: &str,
    actor: &str,
) -> anyhow::Result<Result<(), ConfigProblem>> {
    let prefix = prefix.trim().to_uppercase();
    if !valid_prefix(&prefix) {
        return Ok(Err(ConfigProblem::BadPrefix));
    }
    let own: Option<(i64,)> = sqlx::query_as("SELECT id FROM services WHERE id = $1 AND org_id = $2 AND archived = 0")
        .bind(service.0)
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?;
    if own.is_none() {
        return Ok(Err(ConfigProblem::UnknownService));
    }
    let taken: Option<(i64,)> = sqlx::query_as(
        "SELECT service_id FROM queue_point_services WHERE point_id = $1 AND org_id = $2 AND prefix = $3 AND service_id <> $4",
    )
    .bind(point.0)
    .bind(org.0)
    .bind(&prefix)
    .bind(service.0)
    .fetch_optional(&mut **tx)
    .await?;
    if taken.is_some() {
        return Ok(Err(ConfigProblem::PrefixTaken(prefix)));
    }
    sqlx::query(
        "INSERT INTO queue_point_services (org_id, point_id, service_id, prefix) VALUES ($1, $2, $3, $4)
         ON CONFLICT (point_id, service_id) DO UPDATE SET prefix = excluded.prefix",
    )
    .bind(org.0)
    .bind(point.0)
    .bind(service.0)
    .bind(&prefix)
    .execute(&mut **tx)
    .await?;
    let after = serde_json::json!({ "service_id": service.0, "prefix": prefix });
    crate::audit::record(tx, org, actor, "update", "queue_point", &point.0.to_string(), None, Some(&after)).await?;
    Ok(Ok(()))
}

/// Stops offering a service at a point (its tickets stay for the statistics).
pub async fn remove_point_service(
    db: &Db,
    org: OrgId,
    point: PointId,
    service: ServiceId,
    actor: &str,
) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let done = sqlx::query("DELETE FROM queue_point_services WHERE org_id = $1 AND point_id = $2 AND service_id = $3")
        .bind(org.0)
        .bind(point.0)
        .bind(service.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    sqlx::query(
        "DELETE FROM queue_counter_services WHERE org_id = $1 AND service_id = $2
         AND counter_id IN (SELECT id FROM queue_counters WHERE point_id = $3 AND org_id = $1)",
    )
    .bind(org.0)
    .bind(service.0)
    .bind(point.0)
    .execute(&mut *tx)
    .await?;
    let before = serde_json::json!({ "service_id": service.0 });
    crate::audit::record(&mut tx, org, actor, "delete", "queue_point", &point.0.to_string(), Some(&before), None)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Creates a counter at a point serving `services` (each must be given at the point).
pub async fn create_counter(
    tx: &mut Tx,
    org: OrgId,
    point: PointId,
    name: &str,
    services: &[ServiceId],
    actor: &str,
) -> anyhow::Result<Result<CounterId, ConfigProblem>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(Err(ConfigProblem::MissingName));
    }
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM queue_counters WHERE point_id = $1 AND org_id = $2 AND name = $3")
            .bind(point.0)
            .bind(org.0)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    if taken.is_some() {
        return Ok(Err(ConfigProblem::NameTaken(name.to_string())));
    }
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM queue_counters WHERE point_id = $1 AND org_id = $2",
    )
    .bind(point.0)
    .bind(org.0)
    .fetch_one(&mut **tx)
    .await?;
    let row = sqlx::query(
        "INSERT INTO queue_counters (org_id, point_id, name, position, active) VALUES ($1, $2, $3, $4, 1) RETURNING id",
    )
    .bind(org.0)
    .bind(point.0)
    .bind(name)
    .bind(position)
    .fetch_one(&mut **tx)
    .await?;
    let id = CounterId(row.try_get(0)?);
    if let Err(p) = write_counter_services(tx, org, point, id, services).await? {
        return Ok(Err(p));
    }
    let after = serde_json::json!({
        "point_id": point.0, "name": name, "services": services.iter().map(|s| s.0).collect::<Vec<_>>(),
    });
    crate::audit::record(tx, org, actor, "create", "queue_counter", &id.0.to_string(), None, Some(&after)).await?;
    Ok(Ok(id))
}

/// Sets the services a counter serves and whether it is open. Ok(None): not the organization's.
pub async fn update_counter(
    db: &Db,
    org: OrgId,
    counter: CounterId,
    services: &[ServiceId],
    active: bool,
    actor: &str,
) -> anyhow::Result<Option<Result<(), ConfigProblem>>> {
    let mut tx = db.write(org).await?;
    let Some(before) = counter_in(&mut tx, org, counter).await? else { return Ok(None) };
    sqlx::query("DELETE FROM queue_counter_services WHERE counter_id = $1 AND org_id = $2")
        .bind(counter.0)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    if let Err(p) = write_counter_services(&mut tx, org, before.point_id, counter, services).await? {
        return Ok(Some(Err(p)));
    }
    sqlx::query("UPDATE queue_counters SET active = $1 WHERE id = $2 AND org_id = $3")
        .bind(i64::from(active))
        .bind(counter.0)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    let before_json = serde_json::json!({
        "services": before.services.iter().map(|s| s.0).collect::<Vec<_>>(), "active": before.active,
    });
    let after = serde_json::json!({ "services": services.iter().map(|s| s.0).collect::<Vec<_>>(), "active": active });
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "update",
        "queue_counter",
        &counter.0.to_string(),
        Some(&before_json),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Ok(())))
}

async fn write_counter_services(
    tx: &mut Tx,
    org: OrgId,
    point: PointId,
    counter: CounterId,
    services: &[ServiceId],
) -> anyhow::Result<Result<(), ConfigProblem>> {
    for service in services {
        let at_point: Option<(i64,)> = sqlx::query_as(
            "SELECT service_id FROM queue_point_services WHERE point_id = $1 AND service_id = $2 AND org_id = $3",
        )
        .bind(point.0)
        .bind(service.0)
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?;
        if at_point.is_none() {
            return Ok(Err(ConfigProblem::ServiceNotAtPoint));
        }
        sqlx::query(
            "INSERT INTO queue_counter_services (org_id, counter_id, service_id) VALUES ($1, $2, $3)
             ON CONFLICT (counter_id, service_id) DO NOTHING",
        )
        .bind(org.0)
        .bind(counter.0)
        .bind(service.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Ok(()))
}

async fn counters_where(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    clause: &str,
    id: i64,
) -> Result<Vec<Counter>, sqlx::Error> {
    let sql = format!(
        "SELECT id, point_id, name, position, active FROM queue_counters WHERE org_id = $1 AND {clause} ORDER BY position, id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(id).fetch_all(&mut *conn).await?;
    let mut counters = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        let services: Vec<(i64,)> = sqlx::query_as(
            "SELECT cs.service_id FROM queue_counter_services cs JOIN services s ON s.id = cs.service_id
             WHERE cs.counter_id = $1 AND cs.org_id = $2 ORDER BY s.position, s.id",
        )
        .bind(id)
        .bind(org.0)
        .fetch_all(&mut *conn)
        .await?;
        counters.push(Counter {
            id: CounterId(id),
            point_id: PointId(r.try_get(1)?),
            name: r.try_get(2)?,
            position: r.try_get(3)?,
            active: r.try_get::<i64, _>(4)? != 0,
            services: services.into_iter().map(|(s,)| ServiceId(s)).collect(),
        });
    }
    Ok(counters)
}

/// A point's counters in their order.
pub async fn counters(db: &Db, org: OrgId, point: PointId) -> anyhow::Result<Vec<Counter>> {
    let mut conn = db.pool.acquire().await?;
    Ok(counters_where(&mut conn, org, "point_id = $2", point.0).await?)
}

/// One counter of the organization (`None` for another organization's id).
pub async fn counter(db: &Db, org: OrgId, id: CounterId) -> anyhow::Result<Option<Counter>> {
    let mut conn = db.pool.acquire().await?;
    Ok(counters_where(&mut conn, org, "id = $2", id.0).await?.pop())
}

/// [`counter`], read inside a write transaction.
pub async fn counter_in(tx: &mut Tx, org: OrgId, id: CounterId) -> Result<Option<Counter>, sqlx::Error> {
    Ok(counters_where(tx, org, "id = $2", id.0).await?.pop())
}
