//! The database: SQLite (a file, WAL) by default, PostgreSQL for multi-server hosting.
//!
//! Queries are written once with `$1` placeholders, which both SQLite and PostgreSQL accept, and run
//! through sqlx's `Any` driver. We keep to the types `Any` carries on both engines (integers,
//! text, blobs): times are epoch seconds, booleans 0/1. Backend-specific SQL lives only in the
//! migration folders and in the few spots that match on [`Backend`].

mod migrate;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub use migrate::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE};

/// Which engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database URL whose `Debug` and `Display` hide the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn backend(&self) -> Backend {
        if self.0.starts_with("postgres://") || self.0.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A SQLite URL for a file path.
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        Self(format!("sqlite://{}", path.display()))
    }
}

impl FromStr for DatabaseUrl {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Self> {
        let s = s.trim();
        if s.starts_with("sqlite:") || s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(Self(s.to_string()))
        } else {
            anyhow::bail!(
                "database URL must start with sqlite:// or postgres:// (URL ฐานข้อมูลต้องขึ้นต้นด้วย sqlite:// หรือ postgres://): {}",
                Self(s.to_string())
            )
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // postgres://user:secret@host/db → postgres://user:***@host/db
        match (self.0.find("://"), self.0.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let creds = &self.0[scheme + 3..at];
                match creds.find(':') {
                    Some(colon) => write!(f, "{}{}:***{}", &self.0[..scheme + 3], &creds[..colon], &self.0[at..]),
                    None => f.write_str(&self.0),
                }
            }
            _ => f.write_str(&self.0),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// The connection pool and the engine behind it.
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Db({:?})", self.backend)
    }
}

/// A write transaction of one organization, begun by [`Db::write`] (or by the creation of the
/// organization itself). [`crate::audit::record`] takes only this type, so every audited change is
/// made inside a transaction that first touched the organization's audit-chain row: on PostgreSQL
/// that row lock serializes the organization's writers; on SQLite the database's single write
/// lock, taken by that first UPDATE, serializes all writers.
///
/// It dereferences to the connection, so queries run on `&mut *tx` as on a sqlx transaction.
pub struct WriteTx {
    inner: sqlx::Transaction<'static, sqlx::Any>,
}

/// The name the stores use for the transaction they write in.
pub type Tx = WriteTx;

impl WriteTx {
    /// Wraps the transaction that creates an organization (whose chain row it inserts itself).
    pub(crate) fn for_new_org(inner: sqlx::Transaction<'static, sqlx::Any>) -> Self {
        WriteTx { inner }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.inner.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.inner.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = url.backend();
        let mut raw = url.expose().to_string();
        if backend == Backend::Sqlite {
            let path = raw.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p));
            if let Some(dir) = path.and_then(|p| std::path::Path::new(p).parent()).filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            if !raw.contains("mode=") {
                raw.push_str(if raw.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Foreign keys are off by default in SQLite; waiting beats failing when
                        // another connection holds the write lock; FULL sync so that nothing
                        // acknowledged is lost on power failure.
                        conn.execute(
                            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&raw).await.with_context(|| format!("connecting to {url} (เชื่อมต่อฐานข้อมูลไม่ได้)"))?;
        if backend == Backend::Sqlite {
            // WAL persists in the file: readers never wait for the writer.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let db = Db { pool, backend };
        migrate::run(&db).await?;
        Ok(db)
    }

    /// Begins a read-only view of the database as of one moment: several reads in it see the same
    /// committed state (REPEATABLE READ on PostgreSQL; one read transaction on SQLite, whose WAL
    /// keeps the snapshot of its first read). Dropping it ends it.
    pub async fn snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// Begins a transaction that holds `org`'s write lock: the row of its audit chain.
    ///
    /// On PostgreSQL the row lock serializes writers of one organization (so checks such as
    /// "is this item free?" cannot race); on SQLite the first statement being a write takes the
    /// database's write lock at once, which avoids the deadlock of upgrading a read lock.
    pub async fn write(&self, org: crate::orgs::OrgId) -> anyhow::Result<WriteTx> {
        let mut inner = self.pool.begin().await?;
        sqlx::query("UPDATE audit_chain SET last_seq = last_seq WHERE org_id = $1")
            .bind(org.0)
            .execute(&mut *inner)
            .await?;
        Ok(WriteTx { inner })
    }
}

/// Seconds since the Unix epoch, the one time representation in the database.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// True when an error is a unique-key violation on either engine.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.code().as_deref() == Some("2067")
                || db.code().as_deref() == Some("1555")
                || db.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}
