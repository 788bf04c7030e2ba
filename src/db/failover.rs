//! Following the primary among several PostgreSQL servers (a pg_auto_failover formation).
//!
//! sqlx takes one host per URL, so the pool always points at one server: the one found to accept
//! writes (`pg_is_in_recovery()` is false). A watcher checks that server every second and, when it
//! is gone or has become a standby, walks the host list again and points the pool at the new
//! primary with `Pool::set_connect_options`. Connections opened before that switch are closed when
//! next acquired (`before_acquire`); a new connection that lands on a standby is refused
//! (`after_connect`), and sqlx's pool retries it against the new options.
//!
//! Retrying is safe only before anything was sent: [`retry_start`] repeats the opening of a
//! transaction (BEGIN and its first statement). A commit whose answer was lost is never repeated:
//! it may have been applied, so the caller reports the error.

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::sync::{Notify, watch};

use super::hosts::HostList;

/// How long a connection attempt or a role check may take before the server counts as gone.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// How often the watcher checks that the current server is still the primary.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How long the start of a transaction is retried, and the first connect waits, for a primary.
/// pg_auto_failover as set up by scripts/failover/setup.sh promotes the standby within ~10 s.
const WAIT_FOR_PRIMARY: Duration = Duration::from_secs(45);

/// The servers of a multi-host URL and which of them the pool uses; shared by the clones of a `Db`
/// and its watcher.
pub(crate) struct Primary {
    hosts: HostList,
    current: AtomicUsize,
    started: Instant,
    /// Milliseconds after `started` at which the pool last changed server.
    switched_ms: AtomicU64,
    wake: Notify,
    switches: watch::Sender<u64>,
}

impl Primary {
    /// Finds the primary among the hosts, waiting for one while a failover is under way.
    pub(crate) async fn find(hosts: HostList) -> anyhow::Result<Arc<Self>> {
        let deadline = Instant::now() + WAIT_FOR_PRIMARY;
        loop {
            if let Some((i, _)) = find_primary(&hosts).await {
                tracing::info!(host = %host_name(&hosts, i), "the primary database server");
                return Ok(Arc::new(Primary {
                    hosts,
                    current: AtomicUsize::new(i),
                    started: Instant::now(),
                    switched_ms: AtomicU64::new(0),
                    wake: Notify::new(),
                    switches: watch::Sender::new(0),
                }));
            }
            if Instant::now() >= deadline {
                let names: Vec<String> = (0..hosts.hosts().len()).map(|i| host_name(&hosts, i)).collect();
                anyhow::bail!(
                    "no primary among the database servers {} after {}s (ไม่พบเครื่องฐานข้อมูลหลักที่รับการบันทึกได้)",
                    names.join(", "),
                    WAIT_FOR_PRIMARY.as_secs()
                );
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// The single-host URL of the server the pool uses now.
    pub(crate) fn current_url(&self) -> String {
        self.hosts.url_for(self.current.load(Ordering::SeqCst))
    }

    /// Adds the hooks that keep the pool's connections on the primary.
    pub(crate) fn pool_hooks(self: &Arc<Self>, options: AnyPoolOptions) -> AnyPoolOptions {
        let me = Arc::downgrade(self);
        options.before_acquire(move |_conn, meta| {
            let me = me.clone();
            Box::pin(async move {
                // A connection older than the last switch may point at the old primary.
                Ok(me.upgrade().is_none_or(|me| meta.age <= me.since_switch()))
            })
        })
    }

    /// Refuses a new connection that reached a standby (the pool then retries with the options the
    /// watcher set) and wakes the watcher.
    pub(crate) async fn check_new_connection(&self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        if in_recovery(conn).await? {
            self.wake.notify_one();
            return Err(sqlx::Error::Protocol("the database server is a standby, not the primary".into()));
        }
        Ok(())
    }

    /// Starts the watcher that follows the primary; it ends when the last `Db` clone is dropped or
    /// the pool is closed.
    pub(crate) fn spawn_watcher(self: &Arc<Self>, pool: AnyPool) {
        tokio::spawn(watch(Arc::downgrade(self), pool));
    }

    /// Wakes the watcher after a failure and waits (at most a second) for it to switch servers.
    async fn lost(&self) {
        let mut switched = self.switches.subscribe();
        self.wake.notify_one();
        let _ = tokio::time::timeout(CHECK_EVERY, switched.changed()).await;
    }

    fn since_switch(&self) -> Duration {
        self.started.elapsed().saturating_sub(Duration::from_millis(self.switched_ms.load(Ordering::SeqCst)))
    }

    fn switch_to(&self, i: usize, pool: &AnyPool) {
        match AnyConnectOptions::from_str(&self.hosts.url_for(i)) {
            Ok(options) => pool.set_connect_options(options),
            Err(error) => {
                tracing::error!(%error, host = %host_name(&self.hosts, i), "cannot use the new primary's URL");
                return;
            }
        }
        let old = self.current.swap(i, Ordering::SeqCst);
        self.switched_ms.store(self.started.elapsed().as_millis() as u64, Ordering::SeqCst);
        self.switches.send_modify(|n| *n += 1);
        tracing::warn!(from = %host_name(&self.hosts, old), to = %host_name(&self.hosts, i), "the primary database server changed");
    }
}

/// Runs `start` (the opening of a transaction: nothing is applied until a later commit) again
/// while the failure says the server is gone or read-only, following the primary in between.
/// Without a host list it runs once.
pub(crate) async fn retry_start<T, F, Fut>(primary: Option<&Primary>, mut start: F) -> Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, sqlx::Error>>,
{
    let Some(primary) = primary else { return start().await };
    let deadline = Instant::now() + WAIT_FOR_PRIMARY;
    loop {
        match start().await {
            Err(error) if is_server_gone(&error) && Instant::now() < deadline => {
                tracing::warn!(%error, "database server gone or read-only: following the primary, then trying again");
                primary.lost().await;
            }
            done => return done,
        }
    }
}

/// True when an error means the server went away or no longer takes writes (a failover): the
/// connection broke, the server shut down, or it is now a read-only standby.
pub fn is_server_gone(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            let code = code.as_deref().unwrap_or("");
            // 25006 read_only_sql_transaction; 57P01 admin_shutdown, 57P02 crash_shutdown,
            // 57P03 cannot_connect_now; class 08 connection exceptions.
            matches!(code, "25006" | "57P01" | "57P02" | "57P03") || code.starts_with("08")
        }
        _ => false,
    }
}

async fn watch(me: Weak<Primary>, pool: AnyPool) {
    let mut probe: Option<AnyConnection> = None;
    loop {
        let Some(primary) = me.upgrade() else { return };
        if pool.is_closed() {
            return;
        }
        let healthy = match probe.as_mut() {
            Some(conn) => matches!(in_recovery(conn).await, Ok(false)),
            None => false,
        };
        if !healthy {
            probe = None;
            if let Some((i, conn)) = find_primary(&primary.hosts).await {
                probe = Some(conn);
                if i != primary.current.load(Ordering::SeqCst) {
                    primary.switch_to(i, &pool);
                }
            }
        }
        let pause = if probe.is_some() { CHECK_EVERY } else { Duration::from_millis(300) };
        tokio::select! {
            _ = primary.wake.notified() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// The first host, in the list's order, that accepts writes, with a connection to it.
async fn find_primary(hosts: &HostList) -> Option<(usize, AnyConnection)> {
    for i in 0..hosts.hosts().len() {
        let conn = tokio::time::timeout(PROBE_TIMEOUT, AnyConnection::connect(&hosts.url_for(i))).await;
        if let Ok(Ok(mut conn)) = conn
            && matches!(in_recovery(&mut conn).await, Ok(false))
        {
            return Some((i, conn));
        }
    }
    None
}

async fn in_recovery(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let query = sqlx::query_scalar::<_, bool>("SELECT pg_is_in_recovery()").fetch_one(&mut *conn);
    let timed_out = || std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer to pg_is_in_recovery()");
    tokio::time::timeout(PROBE_TIMEOUT, query).await.map_err(|_| sqlx::Error::Io(timed_out()))?
}

fn host_name(hosts: &HostList, i: usize) -> String {
    let (host, port) = &hosts.hosts()[i];
    format!("{host}:{port}")
}
