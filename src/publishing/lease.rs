//! The worker's side of the outbox in SQL: which rows are due, a row claimed with a lease in one
//! conditional UPDATE inside the organization's write (of two processes, only one gets it), and
//! its outcome marked only while the lease is still the claimer's.

use super::outbox::{COLUMNS, Row, WORKER_ACTOR, row};
use crate::db::{Db, now};
use crate::orgs::OrgId;

/// Rows due now, across organizations: (organization, row), the most overdue first.
pub async fn due(db: &Db, at: i64, limit: i64) -> Result<Vec<(OrgId, i64)>, sqlx::Error> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT org_id, id FROM publishing_outbox WHERE due_at <= $1 ORDER BY due_at LIMIT $2")
            .bind(at)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(org, id)| (OrgId(org), id)).collect())
}

/// When the next row falls due, if any row is live.
pub async fn next_due(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT due_at FROM publishing_outbox WHERE due_at >= 0 ORDER BY due_at LIMIT 1")
        .fetch_optional(&db.pool)
        .await
}

/// Takes a due row for sending until `lease_until`, under `token`; None when it is no longer due
/// (another worker took it, or it was sent or cancelled). One conditional UPDATE: of two
/// processes, only one gets the row. A row taken again after its lease ran out comes back
/// `uncertain`: its earlier attempt may have arrived.
pub async fn claim(db: &Db, org: OrgId, id: i64, token: &str, lease_until: i64) -> anyhow::Result<Option<Row>> {
    let at = now();
    let mut tx = db.write(org).await?;
    let claimed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE publishing_outbox SET status = 'sending', attempts = attempts + 1, due_at = $1, claim_token = $2,
             uncertain = CASE WHEN status = 'sending' THEN 1 ELSE uncertain END, updated_at = $3
         WHERE org_id = $4 AND id = $5 AND status IN ('waiting', 'sending') AND due_at <= $3
         RETURNING {COLUMNS}"
    )))
    .bind(lease_until)
    .bind(token)
    .bind(at)
    .bind(org.0)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .as_ref()
    .map(row)
    .transpose()?;
    tx.commit().await?;
    Ok(claimed)
}

/// How an attempt ended.
pub enum Outcome {
    /// Arrived; the API's id of it, when it gave one.
    Sent { remote_id: String },
    /// Did not arrive, or may have: the reason in Thai, and whether it may have arrived.
    Failed { reason: String, uncertain: bool },
}

/// Marks the attempt's outcome, if `token` still holds the row's lease; audited.
pub async fn finish(
    db: &Db,
    org: OrgId,
    claimed: &Row,
    token: &str,
    outcome: &Outcome,
    retry_at: i64,
) -> anyhow::Result<bool> {
    let at = now();
    let mut tx = db.write(org).await?;
    let (marked, action, detail) = match outcome {
        Outcome::Sent { remote_id } => {
            let done = sqlx::query(
                "UPDATE publishing_outbox SET status = 'sent', due_at = NULL, claim_token = NULL, sent_at = $1,
                     remote_id = $2, last_error = '', updated_at = $1
                 WHERE org_id = $3 AND id = $4 AND claim_token = $5 AND status = 'sending'",
            )
            .bind(at)
            .bind(remote_id)
            .bind(org.0)
            .bind(claimed.id)
            .bind(token)
            .execute(&mut *tx)
            .await?;
            (done.rows_affected() == 1, "sent", serde_json::json!({ "remote_id": remote_id }))
        }
        Outcome::Failed { reason, uncertain } => {
            let done = sqlx::query(
                "UPDATE publishing_outbox SET status = 'waiting', due_at = $1, claim_token = NULL, last_error = $2,
                     uncertain = CASE WHEN $3 = 1 THEN 1 ELSE uncertain END, updated_at = $4
                 WHERE org_id = $5 AND id = $6 AND claim_token = $7 AND status = 'sending'",
            )
            .bind(retry_at)
            .bind(reason)
            .bind(i64::from(*uncertain))
            .bind(at)
            .bind(org.0)
            .bind(claimed.id)
            .bind(token)
            .execute(&mut *tx)
            .await?;
            let detail = serde_json::json!({ "reason": reason, "retry_at": retry_at });
            (done.rows_affected() == 1, "send_failed", detail)
        }
    };
    if marked {
        let mut after = detail;
        after["channel"] = claimed.channel.code().into();
        after["attempt"] = claimed.attempts.into();
        crate::audit::record(
            &mut tx,
            org,
            WORKER_ACTOR,
            action,
            "publishing_outbox",
            &claimed.id.to_string(),
            None,
            Some(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(marked)
}
