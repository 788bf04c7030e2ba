//! Storing answers: one writer task per process takes the answers waiting and writes them in one
//! transaction per organization (group commit), then tells each sender. A sender hears "saved"
//! only after its answer's COMMIT returned, so an acknowledged answer survives a kill; answers
//! that arrive while a batch commits wait for the next one, so the commit's fsync is paid once
//! per batch, not once per answer.
//!
//! The rules that need the answers already stored run inside that transaction, in arrival order,
//! so two answers racing for one visit or one device's last allowance are decided once:
//! - a visit (`ticket:ID`, `loan:ID`, `receipt:NUMBER`, `token:ID`) is answered once (the unique
//!   key; the second is told so);
//! - an answer from the open poster is refused past [`POSTER_PER_DEVICE_PER_DAY`] from one device
//!   (its cookie) or [`POSTER_PER_ADDRESS_PER_HOUR`] from one address;
//! - it is flagged as a burst when its address already sent [`BURST_ANSWERS`] in the last
//!   [`BURST_SECONDS`]: kept and counted, and shown as such in every report.
//!
//! An organization's batch is inserted by one statement per hundred answers (rows found again by
//! their keys), and is one audit entry naming the answers' ids and the SHA-256 of their content, so
//! an answer edited or deleted later shows against the chain.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use futures_util::FutureExt as _;
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};

use super::store::SurveyId;
use crate::db::Db;
use crate::orgs::OrgId;

/// Open-poster answers one device may give in a day (Thai day).
pub const POSTER_PER_DEVICE_PER_DAY: i64 = 3;
/// Open-poster answers one address may give in an hour (an office's Wi-Fi is one address).
pub const POSTER_PER_ADDRESS_PER_HOUR: i64 = 30;
/// Answers from one address within [`BURST_SECONDS`] after which the next is flagged a burst.
pub const BURST_ANSWERS: i64 = 10;
pub const BURST_SECONDS: i64 = 600;
/// Most answers written in one transaction.
const MAX_BATCH: usize = 1024;
/// A batch's transaction gives up after this long (its answers get an error, not a "saved").
const BATCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// How the answer came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The open QR poster at a service point.
    Poster,
    /// A queue ticket's page after the service.
    Ticket,
    /// A token printed by staff (receipt, loan return).
    Token,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Poster => "poster",
            Channel::Ticket => "ticket",
            Channel::Token => "token",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        match code {
            "poster" => Some(Channel::Poster),
            "ticket" => Some(Channel::Ticket),
            "token" => Some(Channel::Token),
            _ => None,
        }
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Channel::Poster => "QR ที่จุดบริการ",
            Channel::Ticket => "บัตรคิว",
            Channel::Token => "ลิงก์เฉพาะครั้ง (ใบรับ/การคืนพัสดุ)",
        }
    }
}

/// An answer to store, checked and resolved by the page (version, visit, where).
#[derive(Clone, Debug)]
pub struct NewAnswer {
    pub org: OrgId,
    pub survey: SurveyId,
    pub version: i64,
    pub channel: Channel,
    /// The visit's key (`survey::visits::Visit::key`); None for the open poster (the answer then
    /// gets a key of its own).
    pub visit: Option<String>,
    pub point: Option<i64>,
    pub service: Option<i64>,
    pub counter: Option<i64>,
    pub scores: String,
    pub facts: String,
    pub comment: String,
    /// Keyed hashes of the device cookie and of the address ("" when unknown).
    pub device: String,
    pub client_key: String,
    /// Seconds since the epoch.
    pub at: i64,
}

impl NewAnswer {
    /// The answer of a visit (ticket or token): where it happened comes from the visit; no device
    /// or address is kept.
    pub fn of_visit(
        org: OrgId,
        visit: &super::visits::Visit,
        version: i64,
        filled: super::answers::Filled,
        at: i64,
    ) -> Self {
        NewAnswer {
            org,
            survey: visit.survey,
            version,
            channel: visit.channel,
            visit: Some(visit.key.clone()),
            point: visit.point,
            service: visit.service,
            counter: visit.counter,
            facts: filled.facts_json(),
            scores: filled.scores.0,
            comment: filled.comment,
            device: String::new(),
            client_key: String::new(),
            at,
        }
    }
}

/// What became of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored (and committed) with this id; `burst` when flagged.
    Saved { id: i64, burst: bool },
    /// The visit was answered before.
    AlreadyAnswered,
    /// The poster's limit for this device or address is reached; try after this many seconds.
    TooMany { retry_after: i64 },
}

struct Job {
    answer: NewAnswer,
    reply: oneshot::Sender<Result<Outcome, String>>,
}

/// The process's answer writer; started on the first answer.
pub struct Ingest {
    db: Db,
    sender: OnceLock<mpsc::UnboundedSender<Job>>,
    /// The key of [`Ingest::keyed`], read once.
    secret: tokio::sync::OnceCell<Vec<u8>>,
    /// The versions answers are checked against.
    pub versions: super::store::VersionCache,
}

impl Ingest {
    pub fn new(db: Db) -> Self {
        Ingest {
            db,
            sender: OnceLock::new(),
            secret: tokio::sync::OnceCell::new(),
            versions: super::store::VersionCache::default(),
        }
    }

    /// The keyed hash kept of a device cookie or an address: enough to count its answers, not to
    /// recover it.
    pub async fn keyed(&self, what: &str) -> Result<String, sqlx::Error> {
        let secret =
            self.secret.get_or_try_init(|| crate::auth::secrets::get_or_create(&self.db, "survey_client")).await?;
        Ok(hex::encode(crate::auth::secrets::hmac_sha256(secret, what.as_bytes())))
    }

    /// Stores `answer` and returns once it is committed (or refused, or failed: nothing stored).
    pub async fn submit(&self, answer: NewAnswer) -> anyhow::Result<Outcome> {
        let sender = self.sender.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(run(self.db.clone(), rx));
            tx
        });
        let (reply, heard) = oneshot::channel();
        sender.send(Job { answer, reply }).map_err(|_| anyhow::anyhow!("the answer writer has stopped"))?;
        match heard.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(e)) => Err(anyhow::anyhow!(e)),
            Err(_) => Err(anyhow::anyhow!("the answer writer stopped before answering")),
        }
    }
}

async fn run(db: Db, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut by_org: BTreeMap<i64, Vec<Job>> = BTreeMap::new();
        for job in batch.drain(..) {
            by_org.entry(job.answer.org.0).or_default().push(job);
        }
        for (org, jobs) in by_org {
            let answers: Vec<&NewAnswer> = jobs.iter().map(|j| &j.answer).collect();
            // A batch that waits too long (another process holding the organization's lock) or
            // panics fails its own answers only; the writer goes on with the next. A dropped
            // transaction rolls back, so nothing of it was acknowledged or stored.
            let written = std::panic::AssertUnwindSafe(async {
                // The commit is never cut short: an answer whose COMMIT went through must not be
                // reported as failed (a poster answer sent again would be stored twice).
                let (tx, outcomes) = tokio::time::timeout(BATCH_TIMEOUT, stage_batch(&db, OrgId(org), &answers))
                    .await
                    .map_err(|_| anyhow::anyhow!("the batch did not finish within {BATCH_TIMEOUT:?}"))??;
                if let Some(tx) = tx {
                    tx.commit().await?;
                }
                anyhow::Ok(outcomes)
            })
            .catch_unwind()
            .await;
            let failure = match written {
                Ok(Ok(outcomes)) => {
                    for (job, outcome) in jobs.into_iter().zip(outcomes) {
                        let _ = job.reply.send(Ok(outcome));
                    }
                    continue;
                }
                Ok(Err(e)) => format!("{e:#}"),
                Err(_) => "the batch's write panicked".to_string(),
            };
            tracing::error!(error = %failure, org, answers = answers.len(), "survey answers not stored");
            for job in jobs {
                let _ = job.reply.send(Err(failure.clone()));
            }
        }
    }
}

/// Seconds from `at` until the poster allows this device or address again (a day's allowance
/// ends at Thai midnight).
fn retry_after_day(at: i64) -> i64 {
    let thai = at + 7 * 3600;
    86_400 - thai.rem_euclid(86_400)
}

/// The first second of `at`'s Thai day.
pub fn thai_day_start(at: i64) -> i64 {
    at - (at + 7 * 3600).rem_euclid(86_400)
}

async fn count_since(
    tx: &mut crate::db::Tx,
    org: OrgId,
    column: &str,
    key: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    // `column` is one of two names written below, never input.
    let sql = format!(
        "SELECT COUNT(*) FROM survey_answers WHERE org_id = $1 AND {column} = $2 AND answered_at >= $3 AND channel = 'poster'"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(key).bind(since).fetch_one(&mut **tx).await
}

/// The poster's limits read outside any transaction: a flood from one phone or address is turned
/// away before it queues for the organization's write lock. The check inside the batch stays
/// the last word (two answers may pass here together). Some(seconds to wait) when over a limit.
pub async fn poster_limit_reached(
    db: &Db,
    org: OrgId,
    device: &str,
    client_key: &str,
    at: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let count = |column: &'static str, key: String, since: i64| async move {
        let sql = format!(
            "SELECT COUNT(*) FROM survey_answers WHERE org_id = $1 AND {column} = $2 AND answered_at >= $3 AND channel = 'poster'"
        );
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .bind(org.0)
            .bind(key)
            .bind(since)
            .fetch_one(&db.pool)
            .await
    };
    if !device.is_empty() && count("device", device.to_string(), thai_day_start(at)).await? >= POSTER_PER_DEVICE_PER_DAY
    {
        return Ok(Some(retry_after_day(at)));
    }
    if !client_key.is_empty()
        && count("client_key", client_key.to_string(), at - 3600).await? >= POSTER_PER_ADDRESS_PER_HOUR
    {
        return Ok(Some(3600));
    }
    Ok(None)
}

/// The address an answer is counted under: an IPv4 address, or an IPv6 address's /64 (a phone on
/// a mobile network holds a whole /64 and could take a new address for every post).
pub fn address_key(ip: std::net::IpAddr) -> String {
    match ip.to_canonical() {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

fn device_of(a: &NewAnswer) -> &str {
    &a.device
}

fn address_of(a: &NewAnswer) -> &str {
    &a.client_key
}

/// Rows of one INSERT statement at the most (15 values a row, within both engines' limits).
const ROWS_PER_INSERT: usize = 100;

/// Writes one organization's answers in one transaction, in order; one outcome per answer.
pub async fn write_batch(db: &Db, org: OrgId, answers: &[&NewAnswer]) -> anyhow::Result<Vec<Outcome>> {
    let (tx, outcomes) = stage_batch(db, org, answers).await?;
    if let Some(tx) = tx {
        tx.commit().await?;
    }
    Ok(outcomes)
}

/// Everything of a batch but its COMMIT: the transaction to commit (None when nothing was
/// stored), and one outcome per answer, true once committed.
async fn stage_batch(
    db: &Db,
    org: OrgId,
    answers: &[&NewAnswer],
) -> anyhow::Result<(Option<crate::db::WriteTx>, Vec<Outcome>)> {
    let mut tx = db.write(org).await?;
    let mut outcomes: Vec<Option<Outcome>> = vec![None; answers.len()];
    // The answers to insert: (index in `answers`, its key, burst).
    let mut accepted: Vec<(usize, String, bool)> = Vec::with_capacity(answers.len());
    let mut visits_in_batch = std::collections::HashSet::new();
    for (index, a) in answers.iter().enumerate() {
        // Accepted earlier in this batch (not yet in the table): (key, time) of the same device
        // or address.
        let earlier = |key: &str, column: fn(&NewAnswer) -> &str, since: i64| {
            accepted
                .iter()
                .filter(|(i, _, _)| {
                    let b = answers[*i];
                    b.channel == Channel::Poster && column(b) == key && b.at >= since
                })
                .count() as i64
        };
        let mut burst = false;
        if a.channel == Channel::Poster {
            let day = thai_day_start(a.at);
            if !a.device.is_empty()
                && count_since(&mut tx, org, "device", &a.device, day).await? + earlier(&a.device, device_of, day)
                    >= POSTER_PER_DEVICE_PER_DAY
            {
                outcomes[index] = Some(Outcome::TooMany { retry_after: retry_after_day(a.at) });
                continue;
            }
            if !a.client_key.is_empty() {
                let hour = a.at - 3600;
                if count_since(&mut tx, org, "client_key", &a.client_key, hour).await?
                    + earlier(&a.client_key, address_of, hour)
                    >= POSTER_PER_ADDRESS_PER_HOUR
                {
                    outcomes[index] = Some(Outcome::TooMany { retry_after: 3600 });
                    continue;
                }
                let window = a.at - BURST_SECONDS;
                burst = count_since(&mut tx, org, "client_key", &a.client_key, window).await?
                    + earlier(&a.client_key, address_of, window)
                    >= BURST_ANSWERS;
            }
        }
        // Each answer has a key: its visit's, or one of its own from the open poster.
        let key = match &a.visit {
            Some(visit) => visit.clone(),
            None => poster_key(),
        };
        if !visits_in_batch.insert(key.clone()) {
            outcomes[index] = Some(Outcome::AlreadyAnswered);
            continue;
        }
        accepted.push((index, key, burst));
    }
    let mut ids = Vec::new();
    let mut digest = Sha256::new();
    for chunk in accepted.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p: Vec<String> = (1..=15).map(|c| format!("${}", r * 15 + c)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO survey_answers (org_id, survey_id, version, channel, visit, point_id, service_id, counter_id,
                 scores, facts, comment, device, client_key, burst, answered_at)
             VALUES {} ON CONFLICT (org_id, visit) DO NOTHING RETURNING id, visit",
            values.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
        for (index, key, burst) in chunk {
            let a = answers[*index];
            query = query
                .bind(org.0)
                .bind(a.survey.0)
                .bind(a.version)
                .bind(a.channel.code())
                .bind(key.as_str())
                .bind(a.point)
                .bind(a.service)
                .bind(a.counter)
                .bind(&a.scores)
                .bind(&a.facts)
                .bind(&a.comment)
                .bind(&a.device)
                .bind(&a.client_key)
                .bind(i64::from(*burst))
                .bind(a.at);
        }
        let inserted: std::collections::HashMap<String, i64> =
            query.fetch_all(&mut *tx).await?.into_iter().map(|(id, visit)| (visit, id)).collect();
        for (index, key, burst) in chunk {
            outcomes[*index] = Some(match inserted.get(key) {
                Some(&id) => {
                    ids.push(id);
                    digest.update(content_line(id, answers[*index], key, *burst).as_bytes());
                    Outcome::Saved { id, burst: *burst }
                }
                None => Outcome::AlreadyAnswered,
            });
        }
    }
    let outcomes = outcomes.into_iter().map(|o| o.expect("every answer has its outcome")).collect();
    if ids.is_empty() {
        // Nothing stored: nothing to audit or commit (dropping rolls back).
        return Ok((None, outcomes));
    }
    let after = serde_json::json!({
        "answers": ids.len(),
        "ids": ids,
        "sha256": hex::encode(digest.finalize()),
    });
    let first = ids.first().copied().unwrap_or_default();
    crate::audit::record(&mut tx, org, "citizen", "answer", "survey_answers", &first.to_string(), None, Some(&after))
        .await?;
    Ok((Some(tx), outcomes))
}

/// The key of an answer from the open poster: one of its own (`poster:` and 32 random hex
/// digits), so that every stored answer is found by its key.
fn poster_key() -> String {
    format!("poster:{}", crate::auth::sessions::random_hex::<16>())
}

/// The line of an answer that the batch's audit digest covers: every stored column, as JSON (so
/// that an edit of any of them, a comment's line breaks included, shows against the chain).
pub fn content_line(id: i64, a: &NewAnswer, key: &str, burst: bool) -> String {
    let line = serde_json::json!([
        id,
        a.survey.0,
        a.version,
        a.channel.code(),
        key,
        a.point,
        a.service,
        a.counter,
        a.scores,
        a.facts,
        a.comment,
        a.device,
        a.client_key,
        burst,
        a.at,
    ]);
    format!("{line}\n")
}

/// Shared by the state and the handlers.
pub type SharedIngest = Arc<Ingest>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_allowance_ends_at_thai_midnight() {
        // 2026-12-01 23:30 in Thailand = 16:30 UTC.
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T16:30:00Z").unwrap().timestamp();
        assert_eq!(retry_after_day(at), 30 * 60);
        assert_eq!(
            thai_day_start(at),
            chrono::DateTime::parse_from_rfc3339("2026-11-30T17:00:00Z").unwrap().timestamp()
        );
    }

    #[test]
    fn an_ipv6_phone_is_counted_by_its_64_block() {
        let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:bbbb:cccc:dddd:eeee".parse().unwrap();
        let c: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: std::net::IpAddr = "::ffff:203.0.113.9".parse().unwrap();
        assert_eq!(address_key(mapped), "203.0.113.9");
    }

    #[test]
    fn channels_round_trip_their_codes() {
        for c in [Channel::Poster, Channel::Ticket, Channel::Token] {
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
        assert_eq!(Channel::from_code("web"), None);
    }
}
