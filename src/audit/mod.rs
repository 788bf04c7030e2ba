//! The append-only, hash-chained audit log: who changed what, when, from what to what.
//!
//! Each organization has its own chain. An entry's hash is SHA-256 over the previous entry's hash
//! and the entry's fields, encoded as a JSON array so that no two different entries can encode
//! alike. The chain head (`audit_chain`: length and last hash) moves in the same transaction as
//! each new entry, and its row is the organization's write lock ([`crate::db::Db::write`]).
//!
//! What catches what:
//! - triggers refuse UPDATE, DELETE and TRUNCATE of the log and deleting or rewinding a head
//!   (migrations 0001 and 0003), for anyone who does not drop them first;
//! - [`verify`] recomputes every organization's chain in one snapshot and finds an edited,
//!   inserted or deleted entry (also the last one), a deleted head and a truncated log;
//! - a consistent rewrite of a whole chain (every hash and the head recomputed) passes those
//!   checks; it shows only against heads someone recorded earlier from the public site
//!   ([`verify_against`]), which the site signs with a key kept outside the database ([`signing`]).

mod commands;
pub mod signing;
mod verify;
pub mod words;

pub use commands::{keygen_command, verify_command};
pub use signing::{HeadSigner, PublishedHead};
pub use verify::{Problem, Report, verify, verify_against};

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Db, Tx, now};
use crate::http::paging::PageRequest;
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
    /// The hash this entry must have: SHA-256 (hex) over the JSON array of the previous hash and
    /// the entry's fields. Public so that an auditor's own tool can recompute a chain.
    pub fn computed_hash(&self) -> String {
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
    entry.hash = entry.computed_hash();
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
    tx.wrote_audit_entry(org.0, entry.seq);
    Ok(())
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

/// The latest entries of one organization, newest first.
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

/// One page of an organization's entries, newest first (the staff audit page), with how many
/// there are. The chain numbers entries 1, 2, 3… without gaps, so a page is a range of `seq`
/// below the head: no rows are skipped over to reach it.
pub async fn page(db: &Db, org: OrgId, request: &PageRequest) -> Result<(Vec<Entry>, i64), sqlx::Error> {
    let total = head(db, org).await?.map_or(0, |(entries, _)| entries);
    let newest = total - request.offset();
    let rows = sqlx::query(
        "SELECT org_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
         FROM audit_log WHERE org_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT $3",
    )
    .bind(org.0)
    .bind(newest)
    .bind(request.limit())
    .fetch_all(&db.pool)
    .await?;
    let entries = rows.iter().map(entry_from_row).collect::<Result<Vec<_>, _>>()?;
    Ok((entries, total))
}

/// The head of an organization's chain: (entries, hash of the last entry). Published on the
/// public site so that anyone who records it can later tell whether the log was rewritten.
pub async fn head(db: &Db, org: OrgId) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain WHERE org_id = $1")
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await
}

/// The head as the public site publishes it (`/o/SLUG/audit/head`), signed when the site has a key.
pub async fn published_head(
    db: &Db,
    org: &crate::orgs::Org,
    signer: Option<&HeadSigner>,
) -> Result<Option<PublishedHead>, sqlx::Error> {
    let Some((entries, last_hash)) = head(db, org.id).await? else { return Ok(None) };
    let mut published = PublishedHead {
        organization: org.slug.clone(),
        org_id: Some(org.id.0),
        entries,
        last_hash,
        signature: None,
        public_key: None,
    };
    if let Some(signer) = signer {
        signer.sign(&mut published);
    }
    Ok(Some(published))
}
