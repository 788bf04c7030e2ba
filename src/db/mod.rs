//! The database: SQLite (a file, WAL) by default, PostgreSQL for multi-server hosting.
//!
//! Queries are written once with `$1` placeholders, which both SQLite and PostgreSQL accept, and run
//! through sqlx's `Any` driver. We keep to the types `Any` carries on both engines (integers,
//! text, blobs): times are epoch seconds, booleans 0/1. Backend-specific SQL lives only in the
//! migration folders and in the few spots that match on [`Backend`].

pub mod backup;
pub mod changes;
pub mod code;
mod failover;
mod hosts;
mod migrate;
mod write;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub use failover::is_server_gone;
pub use hosts::HostList;
pub use migrate::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE, pending as pending_migrations};
pub use write::{Tx, WriteTx};

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
    /// SQLite: the queue of this process's writers (a fair lock, held by each [`WriteTx`]), so
    /// that they wait their turn without holding a connection or using up the busy timeout,
    /// however long another organization's write takes. None on PostgreSQL, where organizations
    /// lock their own rows.
    writers: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// With several PostgreSQL hosts in the URL: which one is the primary (see `failover`).
    primary: Option<std::sync::Arc<failover::Primary>>,
    /// The change clock of the public page cache (`changes.rs`).
    changes: std::sync::Arc<changes::Changes>,
}

/// How to connect; the defaults are what `prongsai` uses.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// SQLite: how long a statement waits for another *process* (a CLI import, a backup) that
    /// holds the write lock before failing with "database is locked".
    pub sqlite_busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions { sqlite_busy_timeout: Duration::from_secs(10) }
    }
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Db({:?})", self.backend)
    }
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<Self> {
        Self::connect_with(url, &DbOptions::default()).await
    }

    /// [`Db::connect`] with options.
    pub async fn connect_with(url: &DatabaseUrl, db_options: &DbOptions) -> anyhow::Result<Self> {
        let db = Self::open(url, db_options, false).await?;
        migrate::run(&db).await?;
        Ok(db)
    }

    /// Connects without writing anything, for checks such as `audit verify` that must work with
    /// read-only access: no migrations (it refuses if the schema is not this program's), a SQLite
    /// file opened `mode=ro` unless the URL sets a mode, PostgreSQL sessions read-only.
    pub async fn connect_read_only(url: &DatabaseUrl) -> anyhow::Result<Self> {
        let db = Self::open(url, &DbOptions::default(), true).await?;
        migrate::check_current(&db).await?;
        Ok(db)
    }

    async fn open(url: &DatabaseUrl, db_options: &DbOptions, read_only: bool) -> anyhow::Result<Self> {
        install_default_drivers();
        let busy_ms = db_options.sqlite_busy_timeout.as_millis();
        let backend = url.backend();
        let mut raw = url.expose().to_string();
        if backend == Backend::Sqlite {
            let path = raw.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p));
            if let Some(dir) = path.and_then(|p| std::path::Path::new(p).parent()).filter(|d| !d.as_os_str().is_empty())
                && !read_only
            {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            if !raw.contains("mode=") {
                let mode = if read_only { "mode=ro" } else { "mode=rwc" };
                raw.push_str(if raw.contains('?') { "&" } else { "?" });
                raw.push_str(mode);
            }
        }
        // Several hosts (a standby that can take over): the pool follows whichever is the primary.
        let primary = match backend {
            Backend::Postgres => match hosts::HostList::parse(&raw)? {
                Some(hosts) => Some(failover::Primary::find(hosts).await?),
                None => None,
            },
            Backend::Sqlite => None,
        };
        if let Some(primary) = &primary {
            raw = primary.current_url();
        }
        let checks_primary = primary.clone();
        let mut options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                let checks_primary = checks_primary.clone();
                Box::pin(async move {
                    if let Some(primary) = checks_primary {
                        primary.check_new_connection(conn).await?;
                    }
                    if backend == Backend::Sqlite {
                        // Foreign keys are off by default in SQLite; waiting beats failing when
                        // another connection holds the write lock; FULL sync so that nothing
                        // acknowledged is lost on power failure.
                        conn.execute(sqlx::AssertSqlSafe(format!(
                            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busy_ms}; PRAGMA synchronous = FULL;"
                        )))
                        .await?;
                    } else if read_only {
                        conn.execute("SET default_transaction_read_only = on").await?;
                    }
                    Ok(())
                })
            })
            .after_release(move |conn, _meta| Box::pin(async move { Ok(write::is_clean(backend, conn).await) }));
        if let Some(primary) = &primary {
            options = primary.pool_hooks(options);
        }
        let pool = options.connect(&raw).await.with_context(|| format!("connecting to {url} (เชื่อมต่อฐานข้อมูลไม่ได้)"))?;
        if backend == Backend::Sqlite && !read_only {
            use_wal(&pool, db_options.sqlite_busy_timeout).await?;
        }
        let writers = (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        if let Some(primary) = &primary {
            primary.spawn_watcher(pool.clone());
        }
        let changes = std::sync::Arc::new(changes::Changes::new(raw));
        Ok(Db { pool, backend, writers, primary, changes })
    }

    /// Begins a read-only view of the database as of one moment: several reads in it see the same
    /// committed state (REPEATABLE READ on PostgreSQL; one read transaction on SQLite, whose WAL
    /// keeps the snapshot of its first read). Dropping it ends it.
    pub async fn snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        failover::retry_start(self.primary.as_deref(), || async {
            let mut tx = self.pool.begin().await?;
            if self.backend == Backend::Postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
            }
            Ok(tx)
        })
        .await
    }

    /// Begins a transaction that holds `org`'s write lock: the row of its audit chain.
    ///
    /// On PostgreSQL the row lock serializes writers of one organization (so checks such as
    /// "is this item free?" cannot race); on SQLite the writer first waits its turn in this
    /// process's queue, then `BEGIN IMMEDIATE` takes the database's write lock.
    ///
    /// After a failover the opening is retried on the new primary (nothing was applied yet).
    pub async fn write(&self, org: crate::orgs::OrgId) -> anyhow::Result<WriteTx> {
        let tx = failover::retry_start(self.primary.as_deref(), || async {
            let mut tx = self.begin_write().await?;
            tx.announcement.scopes.push(changes::Scope::Org(org.0));
            sqlx::query("UPDATE audit_chain SET last_seq = last_seq WHERE org_id = $1")
                .bind(org.0)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        })
        .await?;
        Ok(tx)
    }
}

/// Seconds since the Unix epoch, the one time representation in the database.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Turns the SQLite file to WAL (the mode persists in the file: readers never wait for the
/// writer). Processes opening a new file together all try to convert it, and SQLite answers all
/// but one "database is locked" at once, without the busy timeout; they ask again until the
/// timeout, and then find the file in WAL already.
async fn use_wal(pool: &sqlx::AnyPool, wait: Duration) -> anyhow::Result<()> {
    let until = std::time::Instant::now() + wait;
    loop {
        match sqlx::query("PRAGMA journal_mode = WAL").execute(pool).await {
            Ok(_) => return Ok(()),
            Err(e) if is_busy(&e) && std::time::Instant::now() < until => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// SQLite's "database is locked" (SQLITE_BUSY and its extended codes).
fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => db.code().and_then(|c| sqlite_primary_code(&c)) == Some(5),
        _ => false,
    }
}

/// SQLite's primary result code: the low byte of the (extended) code it reported; None for a code
/// that is not a number (PostgreSQL's SQLSTATE).
fn sqlite_primary_code(code: &str) -> Option<i64> {
    code.parse::<i64>().ok().map(|c| c & 0xff)
}

/// What a failed write tells about the storage under the database, for the message people get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageFault {
    /// The disk is full (SQLite SQLITE_FULL, PostgreSQL 53100).
    Full,
    /// The disk or the file system failed (SQLite SQLITE_IOERR*, PostgreSQL class 58).
    Io,
}

/// The storage fault behind an error, if it is one.
pub fn storage_fault(err: &anyhow::Error) -> Option<StorageFault> {
    err.chain().find_map(|e| match e.downcast_ref::<sqlx::Error>()? {
        sqlx::Error::Database(db) => {
            let code = db.code()?;
            match code.as_ref() {
                "53100" => Some(StorageFault::Full),
                "58000" | "58030" => Some(StorageFault::Io),
                c => match sqlite_primary_code(c)? {
                    13 => Some(StorageFault::Full),
                    10 => Some(StorageFault::Io),
                    _ => None,
                },
            }
        }
        _ => None,
    })
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
