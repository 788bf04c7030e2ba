//! The append-only, hash-chained audit log: who changed what, when, from what to what.
//!
//! Each organization has its own chain. An entry's hash is SHA-256 over the previous entry's hash
//! and the entry's fields, encoded as a JSON array so that no two different entries can encode
//! alike. `verify` recomputes every chain and compares it with the stored hashes and the chain
//! heads, so an edited, inserted or deleted entry (even the last one) is detected.

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

/// The hash that precedes the first entry of every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Creates the chain head of a new organization (inside its creation transaction).
pub async fn start_chain(tx: &mut Tx, org: OrgId) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_chain (org_id, last_seq, last_hash) VALUES ($1, 0, $2)")
        .bind(org.0)
        .bind(GENESIS)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One entry as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub org_id: i64,
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    fn compute_hash(&self) -> String {
        let fields = serde_json::json!([
            self.prev_hash,
            self.org_id,
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.before_json,
            self.after_json,
        ]);
        hex::encode(Sha256::digest(fields.to_string().as_bytes()))
    }
}

/// Appends an entry to `org`'s chain within the caller's transaction, so the change and its
/// record commit together or not at all.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    tx: &mut Tx,
    org: OrgId,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), sqlx::Error> {
    let head = sqlx::query("SELECT last_seq, last_hash FROM audit_chain WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(&mut **tx)
        .await?;
    let mut entry = Entry {
        org_id: org.0,
        seq: head.try_get::<i64, _>(0)? + 1,
        at: now(),
        actor: actor.to_string(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        before_json: before.map(Value::to_string),
        after_json: after.map(Value::to_string),
        prev_hash: head.try_get(1)?,
        hash: String::new(),
    };
    entry.hash = entry.compute_hash();
    sqlx::query(
        "INSERT INTO audit_log (org_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(entry.org_id)
    .bind(entry.seq)
    .bind(entry.at)
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.entity)
    .bind(&entry.entity_id)
    .bind(&entry.before_json)
    .bind(&entry.after_json)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_chain SET last_seq = $1, last_hash = $2 WHERE org_id = $3")
        .bind(entry.seq)
        .bind(&entry.hash)
        .bind(org.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A break in a chain, in words an auditor can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub org_id: i64,
    pub seq: i64,
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "org {} entry {}: {}", self.org_id, self.seq, self.what)
    }
}

/// The result of checking every chain.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: u64,
    pub chains: u64,
    pub problems: Vec<Problem>,
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<Entry, sqlx::Error> {
    Ok(Entry {
        org_id: r.try_get("org_id")?,
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        before_json: r.try_get("before_json")?,
        after_json: r.try_get("after_json")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Recomputes every organization's chain.
pub async fn verify(db: &Db) -> Result<Report, sqlx::Error> {
    let mut report = Report::default();
    let heads =
        sqlx::query("SELECT org_id, last_seq, last_hash FROM audit_chain ORDER BY org_id").fetch_all(&db.pool).await?;
    for head in heads {
        let org_id: i64 = head.try_get(0)?;
        let last_seq: i64 = head.try_get(1)?;
        let last_hash: String = head.try_get(2)?;
        report.chains += 1;
        let rows = sqlx::query(
            "SELECT org_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
             FROM audit_log WHERE org_id = $1 ORDER BY seq",
        )
        .bind(org_id)
        .fetch_all(&db.pool)
        .await?;
        let mut expected_prev = GENESIS.to_string();
        let mut expected_seq = 1;
        for row in &rows {
            let e = entry_from_row(row)?;
            report.entries += 1;
            let problem = |what: String| Problem { org_id, seq: e.seq, what };
            if e.seq != expected_seq {
                report.problems.push(problem(format!("entries {expected_seq}..{} are missing (deleted)", e.seq - 1)));
            }
            if e.prev_hash != expected_prev {
                report.problems.push(problem("does not follow the previous entry (prev_hash differs)".into()));
            }
            if e.compute_hash() != e.hash {
                report.problems.push(problem("content was changed after it was written (hash differs)".into()));
            }
            expected_prev = e.hash.clone();
            expected_seq = e.seq + 1;
        }
        if expected_seq - 1 != last_seq || expected_prev != last_hash {
            report.problems.push(Problem {
                org_id,
                seq: last_seq,
                what: if expected_seq - 1 < last_seq {
                    format!("the chain head says {last_seq} entries but the log ends at {}: entries were removed from the end", expected_seq - 1)
                } else {
                    format!("the log has entries after the chain head ({last_seq}): entries were added outside the application")
                },
            });
        }
    }
    Ok(report)
}

/// The latest entries of one organization, newest first (for the staff audit page).
pub async fn recent(db: &Db, org: OrgId, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT org_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
         FROM audit_log WHERE org_id = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(org.0)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

/// The head of an organization's chain: (entries, hash of the last entry). Published on the
/// public site so that anyone who records it can later tell whether the log was rewritten.
pub async fn head(db: &Db, org: OrgId) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain WHERE org_id = $1")
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await
}
