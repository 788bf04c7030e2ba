//! Checking the chains: every organization's log is recomputed from its first entry and compared
//! with its chain head and, when given, with heads someone recorded earlier.

use std::collections::{BTreeMap, BTreeSet};

use super::signing::PublishedHead;
use super::{Entry, GENESIS, entry_from_row};
use crate::db::Db;

/// A break in a chain, in words an auditor can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub org_id: i64,
    /// The organization's slug, or empty when the organization row itself is gone.
    pub slug: String,
    /// The entry concerned; 0 when the problem is the chain as a whole (its head, its length).
    pub seq: i64,
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "org {}", self.org_id)?;
        if !self.slug.is_empty() {
            write!(f, " ({})", self.slug)?;
        }
        if self.seq > 0 {
            write!(f, " entry {}", self.seq)?;
        }
        write!(f, ": {}", self.what)
    }
}

/// The result of checking every chain.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: u64,
    /// Organizations checked: every one in `orgs`, with a chain head, or with log entries.
    pub chains: u64,
    /// Recorded heads compared with the log.
    pub recorded_heads: u64,
    pub problems: Vec<Problem>,
}

/// Recomputes every organization's chain: see [`verify_against`].
pub async fn verify(db: &Db) -> Result<Report, sqlx::Error> {
    verify_against(db, &[]).await
}

/// Recomputes every organization's chain in one read-only snapshot, so a write committing
/// meanwhile is either wholly seen (entries and head) or not at all, and compares each chain with
/// its head and with the `recorded` heads.
///
/// It finds an edited, inserted or deleted entry (also the last one); a missing chain-head row; an
/// organization without entries (its creation is always recorded, so the log was truncated); and,
/// against recorded heads, a chain that no longer holds the recorded hash at the recorded length,
/// which is what a consistent rewrite by someone with database access leaves behind.
pub async fn verify_against(db: &Db, recorded: &[PublishedHead]) -> Result<Report, sqlx::Error> {
    let mut snap = db.snapshot().await?;
    let orgs: BTreeMap<i64, String> =
        sqlx::query_as("SELECT id, slug FROM orgs").fetch_all(&mut *snap).await?.into_iter().collect();
    let heads: BTreeMap<i64, (i64, String)> =
        sqlx::query_as::<_, (i64, i64, String)>("SELECT org_id, last_seq, last_hash FROM audit_chain")
            .fetch_all(&mut *snap)
            .await?
            .into_iter()
            .map(|(org, seq, hash)| (org, (seq, hash)))
            .collect();
    let logged: Vec<(i64,)> = sqlx::query_as("SELECT DISTINCT org_id FROM audit_log").fetch_all(&mut *snap).await?;
    let all: BTreeSet<i64> = orgs.keys().chain(heads.keys()).copied().chain(logged.into_iter().map(|(o,)| o)).collect();

    let mut report = Report::default();
    let wanted = wanted_hashes(&orgs, recorded, &mut report);
    for org_id in all {
        report.chains += 1;
        let slug = orgs.get(&org_id).cloned().unwrap_or_default();
        let rows = sqlx::query(
            "SELECT org_id, seq, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash
             FROM audit_log WHERE org_id = $1 ORDER BY seq",
        )
        .bind(org_id)
        .fetch_all(&mut *snap)
        .await?;
        let entries = rows.iter().map(entry_from_row).collect::<Result<Vec<_>, _>>()?;
        report.entries += entries.len() as u64;
        let mut chain = ChainCheck { org_id, slug, problems: Vec::new() };
        chain.links(&entries);
        chain.head(orgs.contains_key(&org_id), heads.get(&org_id), &entries);
        for (seq, hash) in wanted.get(&org_id).into_iter().flatten() {
            chain.recorded(*seq, hash, &entries);
        }
        report.problems.append(&mut chain.problems);
    }
    Ok(report)
}

/// The (entries, hash) pairs of the recorded heads by organization id; heads naming an
/// organization that is not in the database are problems at once.
fn wanted_hashes(
    orgs: &BTreeMap<i64, String>,
    recorded: &[PublishedHead],
    report: &mut Report,
) -> BTreeMap<i64, Vec<(i64, String)>> {
    let mut wanted: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for head in recorded {
        report.recorded_heads += 1;
        let found = orgs.iter().find(|(_, slug)| **slug == head.organization).map(|(id, _)| *id);
        match (found, head.org_id) {
            (Some(id), Some(recorded_id)) if id != recorded_id => report.problems.push(Problem {
                org_id: id,
                slug: head.organization.clone(),
                seq: 0,
                what: format!(
                    "the recorded head was published for organization id {recorded_id}, but this slug now belongs to id {id}"
                ),
            }),
            (Some(id), _) => wanted.entry(id).or_default().push((head.entries, head.last_hash.clone())),
            (None, _) => report.problems.push(Problem {
                org_id: head.org_id.unwrap_or(0),
                slug: head.organization.clone(),
                seq: 0,
                what: "a head was recorded for this organization, but it is not in the database (removed or renamed)"
                    .into(),
            }),
        }
    }
    wanted
}

/// The problems found in one organization's chain.
struct ChainCheck {
    org_id: i64,
    slug: String,
    problems: Vec<Problem>,
}

impl ChainCheck {
    fn push(&mut self, seq: i64, what: String) {
        self.problems.push(Problem { org_id: self.org_id, slug: self.slug.clone(), seq, what });
    }

    /// Each entry follows the one before it and hashes to its stored hash.
    fn links(&mut self, entries: &[Entry]) {
        let mut expected_prev = GENESIS;
        let mut expected_seq = 1;
        for e in entries {
            if e.seq != expected_seq {
                self.push(e.seq, format!("entries {expected_seq}..{} are missing (deleted)", e.seq - 1));
            }
            if e.prev_hash != expected_prev {
                self.push(e.seq, "does not follow the previous entry (prev_hash differs)".into());
            }
            if e.computed_hash() != e.hash {
                self.push(e.seq, "content was changed after it was written (hash differs)".into());
            }
            expected_prev = &e.hash;
            expected_seq = e.seq + 1;
        }
    }

    /// The log ends where the chain head says, and the organization and its head both exist.
    fn head(&mut self, org_exists: bool, head: Option<&(i64, String)>, entries: &[Entry]) {
        if !org_exists {
            self.push(0, "has a chain head or entries but no organization row (the organization was deleted)".into());
        }
        if org_exists && entries.is_empty() {
            self.push(
                0,
                "has no audit entries, yet every organization's creation is recorded: the log was truncated".into(),
            );
        }
        let (log_seq, log_hash) = entries.last().map(|e| (e.seq, e.hash.as_str())).unwrap_or((0, GENESIS));
        let Some((last_seq, last_hash)) = head else {
            self.push(0, format!("the chain head row is missing (deleted); the log has {log_seq} entries"));
            return;
        };
        if log_seq < *last_seq {
            self.push(
                *last_seq,
                format!("the chain head says {last_seq} entries but the log ends at {log_seq}: entries were removed from the end"),
            );
        } else if log_seq > *last_seq {
            self.push(
                *last_seq,
                format!(
                    "the log has entries after the chain head ({last_seq}): entries were added outside the application"
                ),
            );
        } else if log_hash != last_hash {
            self.push(
                *last_seq,
                "the last entry's hash differs from the chain head's: the log or the head was rewritten".into(),
            );
        }
    }

    /// The chain still holds the recorded hash at the recorded length.
    fn recorded(&mut self, seq: i64, hash: &str, entries: &[Entry]) {
        let stored =
            if seq == 0 { Some(GENESIS) } else { entries.iter().find(|e| e.seq == seq).map(|e| e.hash.as_str()) };
        match stored {
            Some(stored) if stored == hash => {}
            Some(_) => self.push(
                seq,
                format!("differs from the head recorded earlier at {seq} entries: the chain was rewritten up to here"),
            ),
            None => self.push(
                seq,
                format!("a head was recorded at {seq} entries, but the log has no entry {seq}: entries were removed or the chain was rewritten"),
            ),
        }
    }
}
