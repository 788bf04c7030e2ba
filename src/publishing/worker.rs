//! The sender: a task inside `serve` (and each test server) that takes due rows one at a time,
//! sends them, and marks the outcome. Woken at once by a row committed in this process; polls
//! for rows other processes wrote and for retries falling due. Several processes on one database
//! each run one: a row's lease (outbox::claim) lets only one of them send it.

use std::sync::Arc;
use std::time::Duration;

use super::apis::{self, Target};
use super::lease::{self, Outcome};
use super::outbox::Row;
use super::{Channel, channels, keys, new_uuid};
use crate::config::Settings;
use crate::db::{Db, now};
use crate::orgs::OrgId;

/// How many due rows one look takes.
const BATCH: i64 = 20;

/// Starts the worker; abort the handle to stop it (a row it was sending stays leased, and is
/// taken again, as uncertain, when the lease runs out).
pub fn spawn(db: Db, settings: Arc<Settings>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move { run(db, settings).await })
}

async fn run(db: Db, settings: Arc<Settings>) {
    let poll = settings.publishing.poll_interval;
    loop {
        // Listen before looking, so that a row committed while we look is not missed.
        let woken = super::WAKE.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        match pass(&db, &settings).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %format!("{e:#}"), "publishing worker"),
        }
        let wait = match lease::next_due(&db).await {
            Ok(Some(at)) => Duration::from_secs(u64::try_from(at - now()).unwrap_or(0)).min(poll),
            _ => poll,
        };
        tokio::select! {
            () = &mut woken => {}
            () = tokio::time::sleep(wait.max(Duration::from_millis(50))) => {}
        }
    }
}

/// Seconds, rounded up, at least one (times are stored in whole seconds).
fn whole_secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs() + u64::from(d.subsec_nanos() > 0)).unwrap_or(i64::MAX / 2).max(1)
}

/// Sends what is due now; true when it took at least one row.
async fn pass(db: &Db, settings: &Settings) -> anyhow::Result<bool> {
    let config = &settings.publishing;
    let mut took = false;
    for (org, id) in lease::due(db, now(), BATCH).await? {
        let token = new_uuid();
        let lease_until = now() + whole_secs(config.lease());
        let Some(row) = lease::claim(db, org, id, &token, lease_until).await? else { continue };
        took = true;
        let outcome = attempt(db, settings, org, &row).await;
        if let Outcome::Failed { reason, .. } = &outcome {
            tracing::warn!(org = org.0, row = row.id, channel = row.channel.code(), %reason, "publishing: not sent");
        }
        let retry_at = now() + whole_secs(config.backoff(row.attempts));
        if !lease::finish(db, org, &row, &token, &outcome, retry_at).await? {
            tracing::warn!(org = org.0, row = row.id, "publishing: the lease ran out before the outcome was marked");
        }
    }
    Ok(took)
}

/// One attempt: the channel's token opened with the key, then the API.
async fn attempt(db: &Db, settings: &Settings, org: OrgId, row: &Row) -> Outcome {
    let failed = |reason: String| Outcome::Failed { reason, uncertain: false };
    if row.channel == Channel::Web {
        return Outcome::Sent { remote_id: String::new() };
    }
    let channel = row.channel.settings_channel();
    let sealed = match channels::sealed(db, org, channel).await {
        Ok(Some(s)) if !s.sealed.is_empty() => s,
        Ok(_) => return failed(format!("ยังไม่ได้ตั้งค่าโทเค็นของ {} ที่หน้าเผยแพร่", channel.label_th())),
        Err(e) => {
            tracing::error!(error = %e, "publishing: reading the channel");
            return failed("อ่านการตั้งค่าช่องทางไม่ได้ (ฐานข้อมูลขัดข้อง)".into());
        }
    };
    if !sealed.enabled {
        return failed(format!("ปิดช่องทาง {} ไว้ที่หน้าเผยแพร่", channel.label_th()));
    }
    let key = match keys::load(&settings.publishing, &settings.database_url, false) {
        Ok(key) => key,
        Err(reason) => return failed(reason),
    };
    let token = match key.open(&sealed.key_id, &channels::context(org, channel), &sealed.sealed) {
        Ok(token) => token,
        Err(reason) => return failed(reason),
    };
    let target = Target { token: &token, page_id: &sealed.target };
    apis::send(&settings.publishing, &settings.public_url, row, &target).await
}
