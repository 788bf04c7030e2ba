//! Applies the embedded migrations of the live backend, in order, under a lock that every
//! `prongsai` process takes before it changes the schema, then loads the ITA catalogue under the
//! same lock. Several processes starting at once (servers, CLI commands, `prongsai migrate`) thus
//! apply each migration exactly once, and wait for each other instead of failing.
//!
//! The lock: on PostgreSQL a session advisory lock held on one connection for the whole run; on
//! SQLite one `BEGIN IMMEDIATE` transaction (SQLite's write lock) for the whole run.
//!
//! Each applied migration's SHA-256 is recorded in `schema_migrations`; a program whose embedded
//! text of an applied migration differs (someone edited an applied file) refuses to start, naming
//! the file, and so does one that meets a migration it does not know (a newer program migrated).

use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection};

use super::{Backend, Db};

/// (name, SQL) per backend; the two lists must name the same files (checked by a test).
pub const MIGRATIONS_SQLITE: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/sqlite/0001_init.sql")),
    ("0002_lending", include_str!("../../migrations/sqlite/0002_lending.sql")),
    ("0003_audit_guard", include_str!("../../migrations/sqlite/0003_audit_guard.sql")),
    ("0004_accounts", include_str!("../../migrations/sqlite/0004_accounts.sql")),
    ("0005_lending_manual_versions", include_str!("../../migrations/sqlite/0005_lending_manual_versions.sql")),
    ("0006_lending_quantities", include_str!("../../migrations/sqlite/0006_lending_quantities.sql")),
    ("0007_holding_units_delegations", include_str!("../../migrations/sqlite/0007_holding_units_delegations.sql")),
    ("0008_loan_escalation", include_str!("../../migrations/sqlite/0008_loan_escalation.sql")),
    ("0009_asset_number_key", include_str!("../../migrations/sqlite/0009_asset_number_key.sql")),
    ("0010_measure_report_versions", include_str!("../../migrations/sqlite/0010_measure_report_versions.sql")),
    ("0011_measure_periods", include_str!("../../migrations/sqlite/0011_measure_periods.sql")),
    ("0012_measure_import_previews", include_str!("../../migrations/sqlite/0012_measure_import_previews.sql")),
    ("0013_indexes_for_growing_tables", include_str!("../../migrations/sqlite/0013_indexes_for_growing_tables.sql")),
    ("0015_loans_by_item_status", include_str!("../../migrations/sqlite/0015_loans_by_item_status.sql")),
    ("0017_paged_lists", include_str!("../../migrations/sqlite/0017_paged_lists.sql")),
    ("0018_services", include_str!("../../migrations/sqlite/0018_services.sql")),
    ("0019_queue", include_str!("../../migrations/sqlite/0019_queue.sql")),
    ("0020_queue_event_indexes", include_str!("../../migrations/sqlite/0020_queue_event_indexes.sql")),
    ("0021_surveys", include_str!("../../migrations/sqlite/0021_surveys.sql")),
    ("0022_survey_answers", include_str!("../../migrations/sqlite/0022_survey_answers.sql")),
    ("0023_site", include_str!("../../migrations/sqlite/0023_site.sql")),
    ("0024_council", include_str!("../../migrations/sqlite/0024_council.sql")),
    ("0025_oit", include_str!("../../migrations/sqlite/0025_oit.sql")),
    ("0026_participation", include_str!("../../migrations/sqlite/0026_participation.sql")),
    ("0027_point_facilities", include_str!("../../migrations/sqlite/0027_point_facilities.sql")),
    ("0028_complaints", include_str!("../../migrations/sqlite/0028_complaints.sql")),
    ("0029_publishing", include_str!("../../migrations/sqlite/0029_publishing.sql")),
    ("0030_line_followers", include_str!("../../migrations/sqlite/0030_line_followers.sql")),
    ("0031_loans_by_org_start", include_str!("../../migrations/sqlite/0031_loans_by_org_start.sql")),
    ("0032_ita_scores", include_str!("../../migrations/sqlite/0032_ita_scores.sql")),
    ("0033_ita_documents", include_str!("../../migrations/sqlite/0033_ita_documents.sql")),
];
pub const MIGRATIONS_POSTGRES: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/postgres/0001_init.sql")),
    ("0002_lending", include_str!("../../migrations/postgres/0002_lending.sql")),
    ("0003_audit_guard", include_str!("../../migrations/postgres/0003_audit_guard.sql")),
    ("0004_accounts", include_str!("../../migrations/postgres/0004_accounts.sql")),
    ("0005_lending_manual_versions", include_str!("../../migrations/postgres/0005_lending_manual_versions.sql")),
    ("0006_lending_quantities", include_str!("../../migrations/postgres/0006_lending_quantities.sql")),
    ("0007_holding_units_delegations", include_str!("../../migrations/postgres/0007_holding_units_delegations.sql")),
    ("0008_loan_escalation", include_str!("../../migrations/postgres/0008_loan_escalation.sql")),
    ("0009_asset_number_key", include_str!("../../migrations/postgres/0009_asset_number_key.sql")),
    ("0010_measure_report_versions", include_str!("../../migrations/postgres/0010_measure_report_versions.sql")),
    ("0011_measure_periods", include_str!("../../migrations/postgres/0011_measure_periods.sql")),
    ("0012_measure_import_previews", include_str!("../../migrations/postgres/0012_measure_import_previews.sql")),
    ("0013_indexes_for_growing_tables", include_str!("../../migrations/postgres/0013_indexes_for_growing_tables.sql")),
    ("0015_loans_by_item_status", include_str!("../../migrations/postgres/0015_loans_by_item_status.sql")),
    ("0017_paged_lists", include_str!("../../migrations/postgres/0017_paged_lists.sql")),
    ("0018_services", include_str!("../../migrations/postgres/0018_services.sql")),
    ("0019_queue", include_str!("../../migrations/postgres/0019_queue.sql")),
    ("0020_queue_event_indexes", include_str!("../../migrations/postgres/0020_queue_event_indexes.sql")),
    ("0021_surveys", include_str!("../../migrations/postgres/0021_surveys.sql")),
    ("0022_survey_answers", include_str!("../../migrations/postgres/0022_survey_answers.sql")),
    ("0023_site", include_str!("../../migrations/postgres/0023_site.sql")),
    ("0024_council", include_str!("../../migrations/postgres/0024_council.sql")),
    ("0025_oit", include_str!("../../migrations/postgres/0025_oit.sql")),
    ("0026_participation", include_str!("../../migrations/postgres/0026_participation.sql")),
    ("0027_point_facilities", include_str!("../../migrations/postgres/0027_point_facilities.sql")),
    ("0028_complaints", include_str!("../../migrations/postgres/0028_complaints.sql")),
    ("0029_publishing", include_str!("../../migrations/postgres/0029_publishing.sql")),
    ("0030_line_followers", include_str!("../../migrations/postgres/0030_line_followers.sql")),
    ("0031_loans_by_org_start", include_str!("../../migrations/postgres/0031_loans_by_org_start.sql")),
    ("0032_ita_scores", include_str!("../../migrations/postgres/0032_ita_scores.sql")),
    ("0033_ita_documents", include_str!("../../migrations/postgres/0033_ita_documents.sql")),
];

/// The PostgreSQL advisory lock key of schema changes (any fixed number no one else uses;
/// these are the bytes of "prongsai").
const PG_LOCK_KEY: i64 = 0x70726f6e_67736169;

/// How long a SQLite migrator waits for another process's lock before giving up.
const SQLITE_LOCK_WAIT_MS: u32 = 120_000;

fn migrations(backend: Backend) -> &'static [(&'static str, &'static str)] {
    match backend {
        Backend::Sqlite => MIGRATIONS_SQLITE,
        Backend::Postgres => MIGRATIONS_POSTGRES,
    }
}

fn folder(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// SHA-256 (hex) of a migration's text.
pub fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Brings the schema and the ITA catalogue up to date. When both already are (every start after
/// the first), it only reads: no lock is taken and nothing is written.
pub async fn run(db: &Db) -> anyhow::Result<()> {
    {
        let mut conn = db.pool.acquire().await?;
        if let Some(state) = read_state(&mut conn, db.backend).await? {
            state.refuse_changed_or_unknown(db.backend)?;
            if state.is_current() && crate::ita::catalogue_is_loaded(&mut conn).await? {
                return Ok(());
            }
        }
    }
    // A connection of its own, closed afterwards: it carries the long busy timeout (SQLite) or the
    // session lock (PostgreSQL), which must not go back into the pool, even after an error.
    let mut conn = db.pool.acquire().await?;
    conn.close_on_drop();
    match db.backend {
        Backend::Sqlite => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}")))
                .execute(&mut *conn)
                .await?;
            // SQLite changes a table's constraints only by rebuilding it (0004 rebuilds users),
            // which must not fire the dropped table's foreign-key actions (ON DELETE CASCADE would
            // empty sessions and notifications). The pragma is a no-op inside a transaction, so it
            // is set before; this connection is closed afterwards, never reused without the keys.
            sqlx::raw_sql("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.context("taking the migration lock")?;
            apply_pending(&mut tx, db.backend).await?;
            crate::ita::load_catalogue(&mut tx).await?;
            let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *tx).await?;
            anyhow::ensure!(broken.is_empty(), "the migrations leave {} rows with broken foreign keys", broken.len());
            tx.commit().await?;
        }
        Backend::Postgres => {
            sqlx::query("SELECT 1 FROM pg_advisory_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await
                .context("taking the migration lock")?;
            apply_pending(&mut conn, db.backend).await?;
            let mut tx = conn.begin().await?;
            crate::ita::load_catalogue(&mut tx).await?;
            tx.commit().await?;
            sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)")
                .bind(PG_LOCK_KEY)
                .fetch_one(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// Refuses, with what to do, unless every migration of this program is applied unchanged; writes
/// nothing (for read-only connections such as `audit verify`).
pub async fn check_current(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.pool.acquire().await?;
    let state = read_state(&mut conn, db.backend).await?;
    let pending = match &state {
        None => migrations(db.backend).iter().map(|(n, _)| *n).collect(),
        Some(state) => {
            state.refuse_changed_or_unknown(db.backend)?;
            state.pending.clone()
        }
    };
    anyhow::ensure!(
        pending.is_empty(),
        "the database schema is not up to date: {} not applied; run `prongsai migrate` with write access first \
         (โครงสร้างฐานข้อมูลยังไม่ได้ปรับรุ่น ให้สั่ง prongsai migrate ก่อน)",
        pending.join(", ")
    );
    Ok(())
}

/// What `schema_migrations` says, compared with this program's migrations.
struct State {
    /// Applied migrations whose recorded checksum differs: (name, recorded).
    changed: Vec<(&'static str, String)>,
    /// Applied migrations this program does not have.
    unknown: Vec<String>,
    /// Applied before checksums were recorded.
    unchecked: Vec<&'static str>,
    pending: Vec<&'static str>,
}

impl State {
    fn is_current(&self) -> bool {
        self.pending.is_empty() && self.unchecked.is_empty()
    }

    fn refuse_changed_or_unknown(&self, backend: Backend) -> anyhow::Result<()> {
        if let Some((name, recorded)) = self.changed.first() {
            let current = migrations(backend).iter().find(|(n, _)| n == name).map(|(_, sql)| checksum(sql));
            anyhow::bail!(
                "migrations/{}/{name}.sql was changed after it was applied to this database (SHA-256 {recorded} when \
                 applied, {} now): applied migrations must never be edited; restore the file or add a new migration \
                 (ไฟล์ปรับรุ่นฐานข้อมูล {name}.sql ถูกแก้ไขหลังจากใช้ไปแล้ว)",
                folder(backend),
                current.unwrap_or_default()
            );
        }
        anyhow::ensure!(
            self.unknown.is_empty(),
            "the database has migrations this program does not know ({}): it was upgraded by a newer Prongsai; run \
             that version (ฐานข้อมูลถูกปรับรุ่นโดย Prongsai รุ่นที่ใหม่กว่า)",
            self.unknown.join(", ")
        );
        Ok(())
    }
}

/// Reads `schema_migrations`, or None when it does not exist yet (a fresh database).
async fn read_state(conn: &mut AnyConnection, backend: Backend) -> anyhow::Result<Option<State>> {
    if !exists(conn, backend, "schema_migrations", None).await? {
        return Ok(None);
    }
    let has_checksums = exists(conn, backend, "schema_migrations", Some("checksum")).await?;
    let sql = if has_checksums {
        "SELECT name, checksum FROM schema_migrations"
    } else {
        "SELECT name, CAST(NULL AS TEXT) FROM schema_migrations"
    };
    let applied: Vec<(String, Option<String>)> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
    let ours = migrations(backend);
    let mut state = State { changed: vec![], unknown: vec![], unchecked: vec![], pending: vec![] };
    for (name, sql) in ours {
        match applied.iter().find(|(n, _)| n == name) {
            None => state.pending.push(name),
            Some((_, None)) => state.unchecked.push(name),
            Some((_, Some(recorded))) if *recorded != checksum(sql) => state.changed.push((name, recorded.clone())),
            Some(_) => {}
        }
    }
    state.unknown = applied.into_iter().map(|(n, _)| n).filter(|n| !ours.iter().any(|(o, _)| o == n)).collect();
    Ok(Some(state))
}

/// Whether a table (or a column of it) exists: the one dialect branch of the runner.
async fn exists(conn: &mut AnyConnection, backend: Backend, table: &str, column: Option<&str>) -> anyhow::Result<bool> {
    let sql = match (backend, column) {
        (Backend::Sqlite, None) => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
        (Backend::Sqlite, Some(_)) => "SELECT COUNT(*) FROM pragma_table_info($1) WHERE name = $2",
        (Backend::Postgres, None) => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
        }
        (Backend::Postgres, Some(_)) => {
            "SELECT COUNT(*) FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2"
        }
    };
    let mut query = sqlx::query_scalar::<_, i64>(sql).bind(table);
    if let Some(column) = column {
        query = query.bind(column);
    }
    Ok(query.fetch_one(&mut *conn).await? > 0)
}

/// Under the lock: creates the bookkeeping table, refuses changed or unknown migrations, records
/// the checksums of migrations applied before checksums existed, applies the pending ones (each
/// in its own transaction, a savepoint inside SQLite's lock transaction).
async fn apply_pending(conn: &mut AnyConnection, backend: Backend) -> anyhow::Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL, checksum TEXT)",
    )
    .execute(&mut *conn)
    .await?;
    // Databases made before checksums were recorded: the runner owns this table, so it adds the column.
    if !exists(conn, backend, "schema_migrations", Some("checksum")).await? {
        sqlx::raw_sql("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT").execute(&mut *conn).await?;
    }
    let state = read_state(conn, backend).await?.context("schema_migrations was just created")?;
    state.refuse_changed_or_unknown(backend)?;
    for (name, sql) in migrations(backend) {
        if state.unchecked.contains(name) {
            sqlx::query("UPDATE schema_migrations SET checksum = $1 WHERE name = $2")
                .bind(checksum(sql))
                .bind(*name)
                .execute(&mut *conn)
                .await?;
            tracing::info!(migration = name, "checksum recorded for a migration applied before checksums were kept");
        }
        if !state.pending.contains(name) {
            continue;
        }
        let mut tx = conn.begin().await?;
        if *name == "0009_asset_number_key" {
            refuse_duplicate_asset_numbers(&mut tx).await?;
        }
        sqlx::raw_sql(*sql).execute(&mut *tx).await.with_context(|| format!("applying migration {name}"))?;
        sqlx::query("INSERT INTO schema_migrations (name, applied_at, checksum) VALUES ($1, $2, $3)")
            .bind(*name)
            .bind(super::now())
            .bind(checksum(sql))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(migration = name, "applied");
    }
    Ok(())
}

/// Before 0009 makes asset numbers unique by their key: refuses, naming them, when an organization
/// already holds one number twice (in Thai and Arabic digits, say). Which item keeps the number is
/// the office's decision, so nothing is renamed here.
async fn refuse_duplicate_asset_numbers(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT o.slug, i.id, i.asset_number FROM items i JOIN orgs o ON o.id = i.org_id ORDER BY o.slug, i.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_key: std::collections::BTreeMap<(String, String), Vec<(i64, String)>> = Default::default();
    for (slug, id, number) in rows {
        by_key.entry((slug, crate::lending::asset_number::key(&number))).or_default().push((id, number));
    }
    let duplicates: Vec<String> = by_key
        .into_iter()
        .filter(|(_, items)| items.len() > 1)
        .map(|((slug, _), items)| {
            let named: Vec<String> = items.iter().map(|(id, n)| format!("“{n}” (item {id})")).collect();
            format!("{slug}: {}", named.join(" = "))
        })
        .collect();
    anyhow::ensure!(
        duplicates.is_empty(),
        "migration 0009_asset_number_key refused: these asset numbers are one number written twice \
         (Thai and Arabic digits or full-width forms), which will no longer be allowed: {}. \
         Change the number of one item of each group (UPDATE items SET asset_number = '…' WHERE id = …), \
         then start again. / เลขครุภัณฑ์ซ้ำกัน (เลขไทยกับเลขอารบิก) กรุณาแก้เลขของพัสดุรายการหนึ่งในแต่ละกลุ่มก่อน",
        duplicates.join("; ")
    );
    Ok(())
}

/// Migrations this binary knows that the database has not applied (for `/readyz`); an error when
/// the database does not answer.
pub async fn pending(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    let migrations = match db.backend {
        Backend::Sqlite => MIGRATIONS_SQLITE,
        Backend::Postgres => MIGRATIONS_POSTGRES,
    };
    let applied: Vec<(String,)> = match sqlx::query_as("SELECT name FROM schema_migrations").fetch_all(&db.pool).await {
        Ok(rows) => rows,
        // No table yet: nothing is applied. Any other error is the database's.
        Err(sqlx::Error::Database(e)) if e.message().contains("schema_migrations") => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(migrations.iter().map(|(name, _)| *name).filter(|name| !applied.iter().any(|(a,)| a == name)).collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// 0004 rebuilds SQLite's users table; with foreign keys on, dropping the old table would
    /// have deleted every session and notification of every user (ON DELETE CASCADE).
    #[tokio::test]
    async fn rebuilding_the_users_table_on_sqlite_keeps_what_refers_to_users() {
        let dir = tempfile::tempdir().unwrap();
        let url = super::super::DatabaseUrl::sqlite_file(&dir.path().join("old.db"));
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .after_connect(|conn, _| {
                Box::pin(async move { sqlx::Executor::execute(conn, "PRAGMA foreign_keys = ON").await.map(|_| ()) })
            })
            .connect(&format!("{}?mode=rwc", url.expose()))
            .await
            .unwrap();
        // A database as the previous release left it.
        for (_, sql) in &super::MIGRATIONS_SQLITE[..2] {
            sqlx::raw_sql(*sql).execute(&pool).await.unwrap();
        }
        sqlx::raw_sql(
            "INSERT INTO orgs (id, slug, name, short_name, kind, created_at) VALUES (1, 'a', 'อบต.ก', 'อบต.ก', 'อบต.', 0);
             INSERT INTO users (id, org_id, username, display_name, password_hash, role, created_at) VALUES (7, 1, 'somjai', 'สมใจ', 'x', 'staff', 0);
             INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ('h', 7, 'c', 0, 9999999999);
             INSERT INTO notifications (org_id, user_id, kind, day, message, created_at) VALUES (1, 7, 'due', 1, 'ส่งคืน', 0);",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::raw_sql(
            "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL);
                       INSERT INTO schema_migrations VALUES ('0001_init', 0), ('0002_lending', 0);",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
        // The new release connects and migrates.
        let db = super::Db::connect(&url).await.unwrap();
        let pool = db.pool.clone();
        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query_as::<_, (i64,)>(sql).fetch_one(&pool).await.unwrap().0 }
        };
        assert_eq!(count("SELECT COUNT(*) FROM sessions WHERE user_id = 7").await, 1);
        assert_eq!(count("SELECT COUNT(*) FROM notifications WHERE user_id = 7").await, 1);
        assert_eq!(count("SELECT COUNT(*) FROM users WHERE id = 7 AND must_change_password = 0").await, 1);
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
        assert_eq!(fk, 1, "the connection goes back to the pool with foreign keys on");
        // Usernames are now unique per organization only.
        sqlx::raw_sql("INSERT INTO orgs (id, slug, name, short_name, kind, created_at) VALUES (2, 'b', 'อบต.ข', 'อบต.ข', 'อบต.', 0);
                       INSERT INTO users (org_id, username, display_name, password_hash, role, created_at) VALUES (2, 'somjai', 'สมใจ', 'x', 'staff', 0);")
            .execute(&pool)
            .await
            .unwrap();
        let again = sqlx::query("INSERT INTO users (org_id, username, display_name, password_hash, role, created_at) VALUES (2, 'somjai', 'x', 'x', 'staff', 0)")
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(super::super::is_unique_violation(&again));
    }

    fn names(dir: &str) -> BTreeSet<String> {
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_migration_files() {
        assert_eq!(names("sqlite"), names("postgres"));
    }

    #[test]
    fn every_migration_file_is_embedded() {
        let embedded: BTreeSet<String> = super::MIGRATIONS_SQLITE.iter().map(|(n, _)| format!("{n}.sql")).collect();
        assert_eq!(embedded, names("sqlite"));
        let pg: Vec<_> = super::MIGRATIONS_POSTGRES.iter().map(|(n, _)| *n).collect();
        let lite: Vec<_> = super::MIGRATIONS_SQLITE.iter().map(|(n, _)| *n).collect();
        assert_eq!(pg, lite);
    }
}
