//! `prongsai backup` and `prongsai restore`.
//!
//! SQLite: `VACUUM INTO` copies the database as of one read transaction while the server keeps
//! writing (WAL readers do not block writers), into a temporary file beside the target that is
//! checked and then renamed, so a backup file is either complete or absent. PostgreSQL: the
//! standard tools, `pg_dump --format=custom` and `pg_restore`, which must be installed (package
//! `postgresql-client`). Evidence files live in the database, so the backup holds everything.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use sqlx::Connection;

use super::{Backend, DatabaseUrl, Db};

/// What a finished backup or restore wrote.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Writes a backup of the database at `url` to `out`; an existing `out` is replaced only with
/// `force`.
pub async fn backup(url: &DatabaseUrl, out: &Path, force: bool) -> anyhow::Result<Written> {
    ensure!(
        force || !out.exists(),
        "{} มีอยู่แล้ว: ใช้ --force หากต้องการเขียนทับ (the file exists; add --force to overwrite it)",
        out.display()
    );
    let tmp = temp_beside(out)?;
    let result = match url.backend() {
        Backend::Sqlite => sqlite_backup(url, &tmp).await,
        Backend::Postgres => pg_dump(url, &tmp),
    };
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_and_rename(&tmp, out)?;
    Ok(Written { path: out.to_path_buf(), bytes: std::fs::metadata(out)?.len() })
}

/// Restores the backup `from` into the database at `url`, which must not be in use by a server
/// and must be empty unless `force`; then checks the audit chains of the result.
pub async fn restore(url: &DatabaseUrl, from: &Path, force: bool) -> anyhow::Result<crate::audit::Report> {
    ensure!(from.is_file(), "ไม่พบไฟล์สำรอง {} (no such backup file)", from.display());
    match url.backend() {
        Backend::Sqlite => sqlite_restore(url, from, force).await?,
        Backend::Postgres => pg_restore(url, from, force).await?,
    }
    let db = Db::connect(url).await?;
    let report = crate::audit::verify(&db).await?;
    db.pool.close().await;
    Ok(report)
}

/// The file of a SQLite URL.
fn sqlite_path(url: &DatabaseUrl) -> anyhow::Result<PathBuf> {
    let rest = url.expose().strip_prefix("sqlite://").or_else(|| url.expose().strip_prefix("sqlite:"));
    let path = rest.map(|p| p.split('?').next().unwrap_or(p)).filter(|p| !p.is_empty() && *p != ":memory:");
    path.map(PathBuf::from).with_context(|| format!("{url} is not a SQLite database file (ไม่ใช่ไฟล์ฐานข้อมูล SQLite)"))
}

/// A connection to a SQLite file that does not create it, does not migrate it and waits for
/// writers at most `busy_ms`.
async fn open_sqlite(path: &Path, mode: &str, busy_ms: u32) -> anyhow::Result<sqlx::AnyConnection> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode={mode}", path.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await.with_context(|| format!("opening {}", path.display()))?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {busy_ms}"))).execute(&mut conn).await?;
    Ok(conn)
}

async fn sqlite_backup(url: &DatabaseUrl, tmp: &Path) -> anyhow::Result<()> {
    let path = sqlite_path(url)?;
    ensure!(path.is_file(), "ไม่พบฐานข้อมูล {} (no such database file)", path.display());
    let mut conn = open_sqlite(&path, "ro", 10_000).await?;
    // One read transaction: a consistent copy of the moment it starts, whatever is being written.
    sqlx::query("VACUUM INTO $1")
        .bind(tmp.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await
        .with_context(|| format!("copying the database into {} (สำรองข้อมูลไม่สำเร็จ)", tmp.display()))?;
    conn.close().await?;
    check_prongsai_sqlite(tmp).await
}

/// Refuses a file that is not a sound Prongsai SQLite database.
async fn check_prongsai_sqlite(path: &Path) -> anyhow::Result<()> {
    let not_ours = || format!("{} ไม่ใช่ไฟล์สำรองของโปร่งใส (not a Prongsai SQLite database)", path.display());
    let mut header = [0u8; 16];
    let n = std::io::Read::read(&mut std::fs::File::open(path)?, &mut header)?;
    ensure!(n == 16 && &header == b"SQLite format 3\0", not_ours());
    let mut conn = open_sqlite(path, "ro", 0).await.with_context(not_ours)?;
    let (ok,): (String,) =
        sqlx::query_as("PRAGMA integrity_check").fetch_one(&mut conn).await.with_context(not_ours)?;
    ensure!(ok == "ok", "{}: integrity_check: {ok}", not_ours());
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'audit_chain', 'orgs')",
    )
    .fetch_all(&mut conn)
    .await?;
    ensure!(tables.len() == 3, not_ours());
    conn.close().await?;
    Ok(())
}

async fn sqlite_restore(url: &DatabaseUrl, from: &Path, force: bool) -> anyhow::Result<()> {
    check_prongsai_sqlite(from).await?;
    let target = sqlite_path(url)?;
    if target.exists() {
        let empty = std::fs::metadata(&target)?.len() == 0;
        ensure!(
            force || empty,
            "ฐานข้อมูล {} มีข้อมูลอยู่แล้ว: ใช้ --force หากต้องการแทนที่ (the target database is not empty; add --force to replace it)",
            target.display()
        );
        if !empty {
            ensure_not_in_use(&target).await?;
        }
    } else if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = temp_beside(&target)?;
    std::fs::copy(from, &tmp).with_context(|| format!("copying {} to {}", from.display(), tmp.display()))?;
    // A WAL or shared-memory file left by the old database would be read as part of the new one.
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("removing {}", side.display()))?;
        }
    }
    sync_and_rename(&tmp, &target)
}

/// Refuses a SQLite database that another connection (a running server) has open: leaving WAL
/// mode needs the only connection, and fails at once otherwise.
async fn ensure_not_in_use(path: &Path) -> anyhow::Result<()> {
    let mut conn = open_sqlite(path, "rw", 0).await?;
    let in_use = sqlx::raw_sql("PRAGMA journal_mode = DELETE").execute(&mut conn).await.is_err();
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut conn).await?;
    conn.close().await?;
    ensure!(
        !in_use && mode == "delete",
        "ฐานข้อมูล {} กำลังถูกใช้งาน (เช่น เซิร์ฟเวอร์ยังทำงานอยู่): หยุดเซิร์ฟเวอร์ก่อนกู้คืน (the database is in use, e.g. by a running server: stop it first)",
        path.display()
    );
    Ok(())
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret`): the password goes to
/// the tools in PGPASSWORD, not on their command line where `ps` shows it.
fn split_password(url: &DatabaseUrl) -> (String, Option<String>) {
    let s = url.expose();
    if let (Some(scheme), Some(at)) = (s.find("://"), s.rfind('@')) {
        let creds = &s[scheme + 3..at];
        if let Some(colon) = creds.find(':') {
            let password = urlencoding::decode(&creds[colon + 1..]).map(|p| p.into_owned()).unwrap_or_default();
            return (format!("{}{}{}", &s[..scheme + 3], &creds[..colon], &s[at..]), Some(password));
        }
    }
    (s.to_string(), None)
}

fn pg_tool(name: &str, url: &DatabaseUrl) -> Command {
    let (url, password) = split_password(url);
    let mut cmd = Command::new(name);
    cmd.arg(format!("--dbname={url}"));
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd
}

fn run_tool(mut cmd: Command, name: &str) -> anyhow::Result<()> {
    let output = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!(
            "ไม่พบโปรแกรม {name}: ติดตั้งเครื่องมือของ PostgreSQL ก่อน ({name} not found: install the PostgreSQL client tools, e.g. apt-get install postgresql-client)"
        ),
        _ => anyhow::Error::new(e).context(format!("running {name}")),
    })?;
    if !output.status.success() {
        bail!("{name} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

fn pg_dump(url: &DatabaseUrl, tmp: &Path) -> anyhow::Result<()> {
    let mut cmd = pg_tool("pg_dump", url);
    cmd.args(["--format=custom", "--no-owner", "--file"]).arg(tmp);
    run_tool(cmd, "pg_dump")
}

async fn pg_restore(url: &DatabaseUrl, from: &Path, force: bool) -> anyhow::Result<()> {
    let mut list = Command::new("pg_restore");
    list.arg("--list").arg(from);
    run_tool(list, "pg_restore")
        .with_context(|| format!("{} ไม่ใช่ไฟล์สำรองของ pg_dump (not a pg_dump custom-format file)", from.display()))?;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url.expose()).await.with_context(|| format!("connecting to {url}"))?;
    let (tables,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")
            .fetch_one(&mut conn)
            .await?;
    conn.close().await?;
    ensure!(
        force || tables == 0,
        "ฐานข้อมูลปลายทางมีตารางอยู่แล้ว {tables} ตาราง: กู้คืนลงฐานข้อมูลว่าง หรือใช้ --force เพื่อลบของเดิม (the target database is not empty; restore into an empty database or add --force)"
    );
    let mut cmd = pg_tool("pg_restore", url);
    cmd.args(["--no-owner", "--exit-on-error", "--single-transaction"]);
    if force && tables > 0 {
        cmd.args(["--clean", "--if-exists"]);
    }
    cmd.arg(from);
    run_tool(cmd, "pg_restore")
}

/// A temporary file name in the target's folder (so that the final rename stays on one file
/// system), removed first if an earlier run left it.
fn temp_beside(target: &Path) -> anyhow::Result<PathBuf> {
    let name = target.file_name().with_context(|| format!("{} is not a file name", target.display()))?;
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    if tmp.exists() {
        std::fs::remove_file(&tmp)?;
    }
    Ok(tmp)
}

/// Flushes `tmp` to disk, renames it over `target`, and flushes the folder, so that after a crash
/// the target is the old file or the whole new one.
fn sync_and_rename(tmp: &Path, target: &Path) -> anyhow::Result<()> {
    std::fs::File::open(tmp)?.sync_all().with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(tmp, target).with_context(|| format!("renaming {} to {}", tmp.display(), target.display()))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let url: DatabaseUrl = "postgres://ita:s%40cret@db.example/prongsai".parse().unwrap();
        assert_eq!(split_password(&url), ("postgres://ita@db.example/prongsai".into(), Some("s@cret".into())));
        let url: DatabaseUrl = "postgres://postgres@127.0.0.1/x".parse().unwrap();
        assert_eq!(split_password(&url), ("postgres://postgres@127.0.0.1/x".into(), None));
    }
}
