//! Every change of a complaint's status goes through [`record`]: the step is checked against the
//! status read in the same transaction (`workflow::check`), the complaint updated, the step kept
//! as a dated `complaint_events` row and audited, all in the organization's write. The filing
//! itself is kept by [`filed`] (its audit entry is the complaint's creation). Both write the step
//! with [`insert_step`]. A step the citizen sees is pushed to the complainant's LINE when they
//! follow the complaint there (line_followers.rs), in the same transaction.

use super::Status;
use super::workflow::{self, Step};
use crate::db::Tx;
use crate::orgs::OrgId;

/// A new deadline: counted from `clock_from` (yyyymmdd), due `due_on`, explained by `note`.
pub struct NewDeadline {
    pub clock_from: i64,
    pub due_on: i64,
    pub note: String,
}

/// One step as it is to be recorded.
pub struct Change<'a> {
    pub step: Step,
    /// Who took it, as the history shows it ("ผู้ร้องเรียน" for the citizen).
    pub actor: &'a str,
    /// Who took it, as the audit log names them.
    pub audit_actor: &'a str,
    pub body: &'a str,
    /// Shown on the citizen's tracking page.
    pub public: bool,
    pub client_key: &'a str,
    pub at: i64,
    /// For `Step::Assign`: the division and the officer.
    pub assign: Option<(Option<i64>, Option<i64>)>,
    /// For `Step::Reopen`: the deadline counted from the reopening.
    pub deadline: Option<NewDeadline>,
}

/// Records `change` on complaint `id`; Ok(None) when the complaint is not the organization's,
/// Ok(Some(Err(why))) when the step may not follow now; else the event's id.
pub async fn record(
    tx: &mut Tx,
    org: OrgId,
    id: i64,
    change: &Change<'_>,
) -> anyhow::Result<Option<Result<i64, &'static str>>> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT status, resolved FROM complaints WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((status, resolved)) = row else { return Ok(None) };
    let status = Status::parse(&status).ok_or_else(|| anyhow::anyhow!("complaint {id}: unknown status {status}"))?;
    if let Err(why) = workflow::check(status, resolved.map(|r| r != 0), change.step) {
        return Ok(Some(Err(why)));
    }
    let next = change.step.next_status().unwrap_or(status);
    sqlx::query("UPDATE complaints SET status = $1, updated_at = $2 WHERE org_id = $3 AND id = $4")
        .bind(next.code())
        .bind(change.at)
        .bind(org.0)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    match change.step {
        Step::Assign => {
            let (division, officer) = change.assign.unwrap_or((None, None));
            sqlx::query("UPDATE complaints SET division_id = $1, officer_id = $2 WHERE org_id = $3 AND id = $4")
                .bind(division)
                .bind(officer)
                .bind(org.0)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Step::Close => {
            sqlx::query("UPDATE complaints SET closed_at = $1 WHERE org_id = $2 AND id = $3")
                .bind(change.at)
                .bind(org.0)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Step::Resolved => {
            sqlx::query("UPDATE complaints SET resolved = 1 WHERE org_id = $1 AND id = $2")
                .bind(org.0)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Step::Reopen => {
            let d = change.deadline.as_ref().ok_or_else(|| anyhow::anyhow!("a reopening needs its new deadline"))?;
            sqlx::query(
                "UPDATE complaints SET closed_at = NULL, resolved = NULL, clock_from = $1, due_on = $2, due_note = $3
                 WHERE org_id = $4 AND id = $5",
            )
            .bind(d.clock_from)
            .bind(d.due_on)
            .bind(&d.note)
            .bind(org.0)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
        Step::Receive | Step::Reply | Step::AddInfo => {}
    }
    let row = StepRow {
        kind: change.step.kind(),
        actor: change.actor,
        body: change.body,
        public: change.public,
        client_key: change.client_key,
        at: change.at,
    };
    let event = insert_step(tx, org, id, &row).await?;
    // The audit keeps the step, not the words (a complaint's text may name people).
    let mut after = serde_json::json!({
        "step": change.step.kind(),
        "status": next.code(),
        "event_id": event,
        "characters": change.body.chars().count(),
    });
    if let Some((division, officer)) = change.assign {
        after["division_id"] = serde_json::json!(division);
        after["officer_id"] = serde_json::json!(officer);
    }
    if let Some(d) = &change.deadline {
        after["due_on"] = serde_json::json!(d.due_on);
        after["clock_from"] = serde_json::json!(d.clock_from);
    }
    crate::audit::record(
        tx,
        org,
        change.audit_actor,
        "update",
        "complaint",
        &id.to_string(),
        Some(&serde_json::json!({ "status": status.code() })),
        Some(&after),
    )
    .await?;
    if change.public {
        super::line_followers::notify(tx, org, id, change.step, event).await?;
    }
    Ok(Some(Ok(event)))
}

/// The filing's step ("filed", by the citizen), in the filing's transaction.
pub async fn filed(tx: &mut Tx, org: OrgId, id: i64, client_key: &str, at: i64) -> Result<i64, sqlx::Error> {
    let row = StepRow { kind: "filed", actor: super::filing::CITIZEN, body: "", public: true, client_key, at };
    insert_step(tx, org, id, &row).await
}

/// A step as its row holds it.
struct StepRow<'a> {
    kind: &'a str,
    actor: &'a str,
    body: &'a str,
    public: bool,
    client_key: &'a str,
    at: i64,
}

/// Keeps a step as its dated row: the one place every step of a complaint is written.
async fn insert_step(tx: &mut Tx, org: OrgId, id: i64, row: &StepRow<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO complaint_events (org_id, complaint_id, kind, actor, body, public, client_key, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(id)
    .bind(row.kind)
    .bind(row.actor)
    .bind(row.body)
    .bind(i64::from(row.public))
    .bind(row.client_key)
    .bind(row.at)
    .fetch_one(&mut **tx)
    .await
}
