//! What changed since when, per organization: the clock the public page cache trusts.
//!
//! Every process keeps a counter ([`Changes`]) that moves on every committed change of an
//! organization, wherever the change was made:
//! - in this process: [`super::WriteTx::commit`] announces the organizations it wrote
//!   ([`Db::write`] names one; the creation of an organization names the directory of them);
//! - in another process on PostgreSQL: the same commit sends `pg_notify` inside its transaction
//!   (so it is delivered exactly when the change is visible) and each process LISTENs;
//! - in another process on SQLite (the command line publishing a report while the server runs):
//!   a watcher polls `PRAGMA data_version` on a connection of its own and, when it moves, reads
//!   the audit heads and announces the organizations whose head moved.
//!
//! Whoever follows changes as they happen (the queue boards' feeds, `queue::board::feed`) waits on
//! [`Changes::wakes`]: it moves at every announcement and whenever the watcher starts or stops
//! seeing other processes, and the waiter then asks [`Changes::still_valid`] about its scope.
//!
//! A page is stamped with the counter read *before* it was rendered ([`Changes::stamp`]); it may be
//! served again only while nothing it depends on changed after that stamp ([`Changes::still_valid`]).
//! A change committed while the page was rendered therefore always makes it stale. While the
//! watcher cannot see other processes (PostgreSQL connection lost, SQLite poll failing), nothing
//! is stamped or served, and when it sees again every page stamped before is dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::{AssertSqlSafe, Connection};

use super::{Backend, Db};

/// The PostgreSQL channel the writers notify and every process listens to.
const CHANNEL: &str = "prongsai_changes";
/// SQLite: how often the watcher asks whether another connection committed.
const POLL_EVERY: Duration = Duration::from_millis(150);
/// How long to wait before connecting again after the watcher lost its connection.
const RETRY_EVERY: Duration = Duration::from_secs(1);

/// What a public page depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything of one organization (its pages show only its own data).
    Org(i64),
    /// The list of organizations (the root page): names, provinces, slugs.
    Directory,
}

impl Scope {
    /// The NOTIFY payload: `o:12`, `o:12:57` when the change wrote the organization's audit entry
    /// 57 (so the process that wrote it knows the notification is its own), or `d`.
    fn payload(self, head: Option<i64>) -> String {
        match (self, head) {
            (Scope::Org(id), Some(seq)) => format!("o:{id}:{seq}"),
            (Scope::Org(id), None) => format!("o:{id}"),
            (Scope::Directory, _) => "d".to_string(),
        }
    }

    fn from_payload(payload: &str) -> Option<(Scope, Option<i64>)> {
        if payload == "d" {
            return Some((Scope::Directory, None));
        }
        let org = payload.strip_prefix("o:")?;
        match org.split_once(':') {
            Some((id, seq)) => Some((Scope::Org(id.parse().ok()?), Some(seq.parse().ok()?))),
            None => Some((Scope::Org(org.parse().ok()?), None)),
        }
    }
}

/// This process's change clock (shared by the clones of a [`Db`]).
pub struct Changes {
    /// Moves by one at each announced change.
    tick: AtomicU64,
    /// Pages stamped before this tick are never served (set when the watcher (re)connects).
    floor: AtomicU64,
    /// Whether changes of other processes are being seen; until the watcher runs, they are not.
    live: AtomicBool,
    /// The tick of each scope's last change.
    changed: RwLock<HashMap<Scope, u64>>,
    /// The last audit entry this process committed, per organization: a change that other
    /// processes' watchers report with that entry (or an earlier one) was announced at its commit
    /// already. Announcing it again when the watcher sees it would drop the pages rendered since.
    own_heads: RwLock<HashMap<i64, i64>>,
    /// Moves (to the tick) at every announcement and at every change of `live`: wakes followers.
    wake: tokio::sync::watch::Sender<u64>,
    /// Where the watcher connects (the single-host URL; with a host list the primary's is asked
    /// for at each connection).
    url: String,
}

impl Changes {
    pub(super) fn new(url: String) -> Self {
        Changes {
            tick: AtomicU64::new(1),
            floor: AtomicU64::new(0),
            live: AtomicBool::new(false),
            changed: RwLock::new(HashMap::new()),
            own_heads: RwLock::new(HashMap::new()),
            wake: tokio::sync::watch::Sender::new(1),
            url,
        }
    }

    /// The stamp of a page about to be rendered; None while other processes' changes are not
    /// seen (the page must then not be kept).
    pub fn stamp(&self) -> Option<u64> {
        self.live.load(Ordering::SeqCst).then(|| self.tick.load(Ordering::SeqCst))
    }

    /// Whether a page stamped `stamp`, depending on `scope`, is still what a render would give.
    pub fn still_valid(&self, scope: Scope, stamp: u64) -> bool {
        if !self.live.load(Ordering::SeqCst) || stamp < self.floor.load(Ordering::SeqCst) {
            return false;
        }
        let changed = self.changed.read().unwrap_or_else(|p| p.into_inner());
        changed.get(&scope).is_none_or(|&at| at <= stamp)
    }

    /// Records that `scope` changed now (after the change is committed).
    pub fn announce(&self, scope: Scope) {
        let at = self.tick.fetch_add(1, Ordering::SeqCst) + 1;
        let mut changed = self.changed.write().unwrap_or_else(|p| p.into_inner());
        let entry = changed.entry(scope).or_insert(0);
        *entry = (*entry).max(at);
        drop(changed);
        self.wake.send_replace(at);
    }

    /// A receiver that sees a new value after each announced change and each time the watcher
    /// starts or stops seeing other processes (then [`Changes::still_valid`] says for which scope).
    pub fn wakes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.wake.subscribe()
    }

    /// Whether other processes' changes are being seen now (when not, a follower polls).
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::SeqCst)
    }

    /// Other processes' changes are seen again: everything stamped until now is dropped.
    fn see_again(&self) {
        let at = self.tick.fetch_add(1, Ordering::SeqCst) + 1;
        self.floor.store(at, Ordering::SeqCst);
        self.live.store(true, Ordering::SeqCst);
        self.wake.send_replace(at);
    }

    /// A change the watcher saw (another process's, or this one's seen again): announced unless it
    /// is this process's own audited commit, which [`Announcement::committed`] announced already.
    fn seen(&self, scope: Scope, head: Option<i64>) {
        if let (Scope::Org(org), Some(seq)) = (scope, head) {
            let own = self.own_heads.read().unwrap_or_else(|p| p.into_inner());
            if own.get(&org).is_some_and(|&mine| mine >= seq) {
                return;
            }
        }
        self.announce(scope);
    }

    fn committed_own(&self, org: i64, seq: i64) {
        let mut own = self.own_heads.write().unwrap_or_else(|p| p.into_inner());
        let entry = own.entry(org).or_insert(seq);
        *entry = (*entry).max(seq);
    }

    /// Other processes' changes are no longer seen: nothing is stamped or served.
    fn blind(&self) {
        if self.live.swap(false, Ordering::SeqCst) {
            let at = self.tick.load(Ordering::SeqCst);
            self.wake.send_replace(at);
        }
    }
}

/// What a write transaction announces when it commits.
pub(super) struct Announcement {
    changes: Arc<Changes>,
    backend: Backend,
    pub(super) scopes: Vec<Scope>,
    /// The last audit entry the transaction wrote, per organization.
    pub(super) heads: HashMap<i64, i64>,
}

impl Announcement {
    pub(super) fn new(db: &Db) -> Self {
        Announcement {
            changes: Arc::clone(&db.changes),
            backend: db.backend,
            scopes: Vec::new(),
            heads: HashMap::new(),
        }
    }

    /// The COMMIT, preceded on PostgreSQL by the notifications (sent in the same round trip and
    /// delivered by the server only if the transaction commits).
    pub(super) fn commit_sql(&self) -> AssertSqlSafe<String> {
        let mut sql = String::new();
        if self.backend == Backend::Postgres {
            for scope in &self.scopes {
                // The payload is built from an integer or a constant: nothing to quote.
                let head = match scope {
                    Scope::Org(org) => self.heads.get(org).copied(),
                    Scope::Directory => None,
                };
                sql.push_str(&format!("SELECT pg_notify('{CHANNEL}', '{}'); ", scope.payload(head)));
            }
        }
        sql.push_str("COMMIT");
        AssertSqlSafe(sql)
    }

    pub(super) fn committed(&self) {
        for (&org, &seq) in &self.heads {
            self.changes.committed_own(org, seq);
        }
        for scope in &self.scopes {
            self.changes.announce(*scope);
        }
    }
}

impl Db {
    /// This process's change clock.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    /// Starts following other processes' changes (the server does this when it starts serving);
    /// until then [`Changes::stamp`] is None. Abort the handle to stop.
    pub fn watch_changes(&self) -> tokio::task::JoinHandle<()> {
        let db = self.clone();
        match self.backend {
            Backend::Postgres => tokio::spawn(listen_postgres(db)),
            Backend::Sqlite => tokio::spawn(poll_sqlite(db)),
        }
    }

    fn watch_url(&self) -> String {
        match &self.primary {
            Some(primary) => primary.current_url(),
            None => self.changes.url.clone(),
        }
    }
}

async fn listen_postgres(db: Db) {
    use sqlx::postgres::PgListener;
    loop {
        let listening = async {
            let mut listener = PgListener::connect(&db.watch_url()).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        match listening.await {
            Ok(mut listener) => {
                db.changes.see_again();
                // `try_recv` gives None when the connection is lost: stop serving, then connect
                // again (to the primary of the moment).
                while let Ok(Some(notification)) = listener.try_recv().await {
                    match Scope::from_payload(notification.payload()) {
                        Some((scope, head)) => db.changes.seen(scope, head),
                        None => tracing::warn!(payload = notification.payload(), "unknown change notification"),
                    }
                }
                db.changes.blind();
                tracing::warn!("lost the change notifications: public pages are rendered afresh until back");
            }
            Err(error) => {
                db.changes.blind();
                tracing::warn!(%error, "cannot listen for changes: public pages are rendered afresh until it can");
            }
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

/// Each organization's audit head (entries so far): it moves with every audited change.
async fn audit_heads(conn: &mut sqlx::AnyConnection) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT org_id, last_seq FROM audit_chain").fetch_all(conn).await?;
    Ok(rows.into_iter().collect())
}

async fn data_version(conn: &mut sqlx::AnyConnection) -> Result<i64, sqlx::Error> {
    let (version,): (i64,) = sqlx::query_as("PRAGMA data_version").fetch_one(conn).await?;
    Ok(version)
}

async fn poll_sqlite(db: Db) {
    loop {
        if let Err(error) = follow_sqlite(&db).await {
            db.changes.blind();
            tracing::warn!(%error, "cannot watch the database for changes: public pages are rendered afresh until it can");
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

/// Polls until an error: `PRAGMA data_version` moves when any other connection (this process's
/// pool included) commits; then the audit heads say which organizations changed.
async fn follow_sqlite(db: &Db) -> Result<(), sqlx::Error> {
    let mut conn = sqlx::AnyConnection::connect(&db.watch_url()).await?;
    let mut version = data_version(&mut conn).await?;
    let mut heads = audit_heads(&mut conn).await?;
    db.changes.see_again();
    loop {
        tokio::time::sleep(POLL_EVERY).await;
        let now = data_version(&mut conn).await?;
        if now == version {
            continue;
        }
        version = now;
        let latest = audit_heads(&mut conn).await?;
        for (org, seq) in &latest {
            match heads.get(org) {
                Some(before) if before == seq => {}
                Some(_) => db.changes.seen(Scope::Org(*org), Some(*seq)),
                None => {
                    db.changes.seen(Scope::Org(*org), Some(*seq));
                    db.changes.announce(Scope::Directory);
                }
            }
        }
        heads = latest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live() -> Changes {
        let changes = Changes::new(String::new());
        changes.see_again();
        changes
    }

    #[test]
    fn a_change_after_the_stamp_makes_the_page_stale_and_only_its_scope() {
        let changes = live();
        let stamp = changes.stamp().unwrap();
        changes.announce(Scope::Org(1));
        assert!(!changes.still_valid(Scope::Org(1), stamp));
        assert!(changes.still_valid(Scope::Org(2), stamp));
        assert!(changes.still_valid(Scope::Directory, stamp));
        let after = changes.stamp().unwrap();
        assert!(changes.still_valid(Scope::Org(1), after));
    }

    #[test]
    fn nothing_is_stamped_or_valid_while_blind_and_everything_older_is_dropped_after() {
        let changes = Changes::new(String::new());
        assert_eq!(changes.stamp(), None);
        changes.see_again();
        let stamp = changes.stamp().unwrap();
        changes.blind();
        assert_eq!(changes.stamp(), None);
        assert!(!changes.still_valid(Scope::Org(1), stamp));
        changes.see_again();
        assert!(!changes.still_valid(Scope::Org(1), stamp));
    }

    #[test]
    fn followers_wake_at_each_announcement_and_when_the_watcher_goes_blind_or_sees_again() {
        let changes = Changes::new(String::new());
        let mut wakes = changes.wakes();
        let mut woke = |changes: &Changes, act: fn(&Changes)| {
            wakes.mark_unchanged();
            act(changes);
            wakes.has_changed().unwrap()
        };
        assert!(woke(&changes, Changes::see_again));
        assert!(woke(&changes, |c| c.announce(Scope::Org(1))));
        assert!(woke(&changes, Changes::blind));
        assert!(!woke(&changes, Changes::blind), "blind already: nothing new");
        assert!(woke(&changes, Changes::see_again));
    }

    #[test]
    fn payloads_round_trip() {
        for (scope, head) in [(Scope::Org(42), None), (Scope::Org(42), Some(57)), (Scope::Directory, None)] {
            assert_eq!(Scope::from_payload(&scope.payload(head)), Some((scope, head)));
        }
        for garbage in ["x", "o:", "o:1:", "o:a:2", "o:1:b"] {
            assert_eq!(Scope::from_payload(garbage), None, "{garbage}");
        }
    }

    #[test]
    fn the_watcher_seeing_this_process_own_commit_keeps_the_pages_rendered_since() {
        let changes = live();
        changes.committed_own(7, 12);
        changes.announce(Scope::Org(7));
        let rendered_after_commit = changes.stamp().unwrap();
        // The watcher reports the same change (head 12), or an older one: nothing new.
        changes.seen(Scope::Org(7), Some(12));
        changes.seen(Scope::Org(7), Some(11));
        assert!(changes.still_valid(Scope::Org(7), rendered_after_commit));
        // Another process wrote entry 13: the page is stale.
        changes.seen(Scope::Org(7), Some(13));
        assert!(!changes.still_valid(Scope::Org(7), rendered_after_commit));
        // A change without a head (unaudited) is always announced.
        let again = changes.stamp().unwrap();
        changes.seen(Scope::Org(7), None);
        assert!(!changes.still_valid(Scope::Org(7), again));
    }
}
