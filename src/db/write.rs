//! The write path: [`WriteTx`], and what happens when a write fails at the end.
//!
//! We drive BEGIN/COMMIT/ROLLBACK ourselves on a pooled connection instead of using
//! `sqlx::Transaction`, because sqlx counts transaction depth on its own: when SQLite rolls a
//! transaction back by itself (a full disk, an I/O error), sqlx still counts one open level, turns
//! the next BEGIN on that connection into a SAVEPOINT and the next COMMIT into a RELEASE, and a
//! later failure can leave SQLite inside a transaction that nobody commits: writes answered with
//! success but never stored, and the write lock held until restart (issue 10, finding 9).
//! Here a COMMIT or ROLLBACK that fails closes the connection instead of returning it to the pool;
//! closing a connection ends its transaction on both engines.

use std::sync::Arc;

use sqlx::Any;
use sqlx::pool::PoolConnection;
use tokio::sync::OwnedMutexGuard;

use super::changes::{Announcement, Scope};
use super::{Backend, Db};

/// A write transaction of one organization, begun by [`Db::write`] (or by the creation of the
/// organization itself). [`crate::audit::record`] takes only this type, so every audited change is
/// made inside a transaction that first touched the organization's audit-chain row: on PostgreSQL
/// that row lock serializes the organization's writers; on SQLite writers of this process wait
/// their turn in [`Db`]'s queue, and `BEGIN IMMEDIATE` takes the database's write lock against
/// other processes.
///
/// It dereferences to the connection, so queries run on `&mut *tx` as on a sqlx transaction.
/// Dropping it without [`commit`](Self::commit) rolls it back (in a spawned task, which then
/// releases the turn).
pub struct WriteTx {
    /// `None` once committed or rolled back.
    conn: Option<PoolConnection<Any>>,
    /// SQLite: this process's turn to write, held until the transaction has ended.
    turn: Option<OwnedMutexGuard<()>>,
    /// What the commit tells the public page cache of every process (`db/changes.rs`).
    pub(super) announcement: Announcement,
    /// What runs once the transaction has committed (e.g. waking the outbox's worker).
    after_commit: Vec<Box<dyn FnOnce() + Send>>,
}

/// The name the stores use for the transaction they write in.
pub type Tx = WriteTx;

impl Db {
    /// Begins a write transaction without taking an organization's chain row: for the creation of
    /// an organization (whose chain row the transaction inserts) and for unaudited writes such as
    /// sessions. Waits its turn on SQLite (see [`WriteTx`]).
    pub(crate) async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = match &self.writers {
            Some(queue) => Some(Arc::clone(queue).lock_owned().await),
            None => None,
        };
        let conn = self.pool.acquire().await?;
        // Built before BEGIN runs, so that a failed or cancelled BEGIN is rolled back on drop.
        let mut tx =
            WriteTx { conn: Some(conn), turn, announcement: Announcement::new(self), after_commit: Vec::new() };
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        sqlx::raw_sql(begin).execute(&mut *tx).await?;
        Ok(tx)
    }
}

impl WriteTx {
    /// Commits. If COMMIT fails the connection is rolled back and closed, never reused, and the
    /// caller must report the error. When the database refused the COMMIT (disk full, I/O error)
    /// nothing of the transaction is stored; when the connection was lost during it (a PostgreSQL
    /// server gone mid-commit) the outcome is unknown: with a synchronous standby it may well have
    /// been committed, so it is never retried.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let result = sqlx::raw_sql(self.announcement.commit_sql()).execute(&mut *self).await;
        let conn = self.conn.take().expect("a WriteTx is open until commit or rollback");
        match result {
            // Dropping the connection returns it to the pool; dropping `self` ends the turn.
            Ok(_) => {
                self.announcement.committed();
                for then in std::mem::take(&mut self.after_commit) {
                    then();
                }
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "COMMIT failed: rolling back and closing the connection");
                discard(conn).await;
                Err(e)
            }
        }
    }

    /// Runs `then` after this transaction commits (never when it rolls back).
    pub fn after_commit(&mut self, then: impl FnOnce() + Send + 'static) {
        self.after_commit.push(Box::new(then));
    }

    /// Marks the list of organizations (the root page) as changed when this commits: the
    /// creation of an organization.
    pub fn changes_directory(&mut self) {
        self.announcement.scopes.push(Scope::Directory);
    }

    /// Records that this transaction wrote the organization's audit entry `seq`, so that this
    /// process recognises its own change when the change watcher reports it (`db/changes.rs`).
    pub(crate) fn wrote_audit_entry(&mut self, org: i64, seq: i64) {
        let head = self.announcement.heads.entry(org).or_insert(seq);
        *head = (*head).max(seq);
    }

    /// Rolls back. A connection whose ROLLBACK fails is closed.
    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        let conn = self.conn.take().expect("a WriteTx is open until commit or rollback");
        rollback_or_close(conn).await
    }
}

/// ROLLBACK (SQLite may have ended the transaction already; then this fails harmlessly), then
/// close the connection whatever happened.
async fn discard(mut conn: PoolConnection<Any>) {
    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
    if let Err(e) = conn.close().await {
        tracing::warn!(error = %e, "closing a connection after a failed commit");
    }
}

async fn rollback_or_close(mut conn: PoolConnection<Any>) -> Result<(), sqlx::Error> {
    match sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await {
        Ok(_) => Ok(()),
        Err(e) => {
            tracing::warn!(error = %e, "ROLLBACK failed: closing the connection");
            let _ = conn.close().await;
            Err(e)
        }
    }
}

/// Whether a connection given back to the pool may be reused (the pool's `after_release` check).
///
/// On SQLite, BEGIN fails inside a transaction: a connection left in one (by a COMMIT that SQLite
/// neither finished nor rolled back, by a cancelled statement, by sqlx's depth count drifting from
/// SQLite's) is closed instead of reused, so that nobody's writes become part of a transaction
/// that is never committed. The probe touches no file.
pub(super) async fn is_clean(backend: Backend, conn: &mut sqlx::AnyConnection) -> bool {
    use sqlx::Connection;
    if backend != Backend::Sqlite {
        return true;
    }
    match sqlx::raw_sql("BEGIN; ROLLBACK").execute(&mut *conn).await {
        // Statements queued before the probe (a dropped sqlx transaction's rollback) have run by
        // now, so sqlx's own count is final: a count left over would turn the next BEGIN into a
        // SAVEPOINT.
        Ok(_) if !conn.is_in_transaction() => true,
        Ok(_) => {
            tracing::warn!("a connection's transaction count drifted from SQLite's: closing it");
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, "a connection came back inside a transaction: closing it");
            false
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        let turn = self.turn.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    let _ = rollback_or_close(conn).await;
                    drop(turn);
                });
            }
            // No runtime to roll back on: closing the connection ends the transaction.
            Err(_) => conn.close_on_drop(),
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        self.conn.as_ref().expect("a WriteTx is open until commit or rollback")
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        self.conn.as_mut().expect("a WriteTx is open until commit or rollback")
    }
}
