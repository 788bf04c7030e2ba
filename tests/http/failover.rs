//! The app follows the primary when a standby takes over. Two real PostgreSQL servers on spare
//! ports: a primary and a streaming standby made by `pg_basebackup -R`; the primary is killed
//! (immediate stop, as a crash) and the standby promoted, as pg_auto_failover does.
//!
//! Runs when TEST_DATABASE_URL is set (CI must set it), which also requires the PostgreSQL server
//! binaries (initdb, pg_ctl, pg_basebackup; scripts/test.sh installs them): missing ones fail the
//! test, never skip it.

use std::path::{Path, PathBuf};
use std::process::Command;

use prongsai::db::{DatabaseUrl, Db};
use prongsai::orgs::store::{self as orgs, NewOrg};

/// Two servers in a temporary directory, stopped when dropped (also when the test fails).
struct Servers {
    bin: PathBuf,
    dir: tempfile::TempDir,
    ports: [u16; 2],
}

impl Servers {
    fn data(&self, n: usize) -> PathBuf {
        self.dir.path().join(format!("node{n}"))
    }

    /// Runs a PostgreSQL tool, as the postgres user when we are root (the tools refuse root).
    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let out = as_postgres(&exe).args(args).output().unwrap_or_else(|e| panic!("running {}: {e}", exe.display()));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start(&self, n: usize) {
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.ports[n], self.dir.path().display());
        let log = self.dir.path().join(format!("node{n}.log"));
        self.run("pg_ctl", &["-D", s(&self.data(n)), "-o", &opts, "-l", s(&log), "-w", "start"]);
    }

    fn stop_immediately(&self, n: usize) {
        self.run("pg_ctl", &["-D", s(&self.data(n)), "-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for n in 0..2 {
            if self.data(n).join("postmaster.pid").exists() {
                let _ = as_postgres(&self.bin.join("pg_ctl"))
                    .args(["-D", s(&self.data(n)), "-m", "immediate", "stop"])
                    .status();
            }
        }
    }
}

fn as_postgres(exe: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(exe);
        c
    } else {
        Command::new(exe)
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// The newest PostgreSQL server binaries (Debian's layout, else pg_config's).
fn server_binaries() -> PathBuf {
    let debian = std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten().map(|e| e.path().join("bin"));
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let mut found: Vec<PathBuf> = debian.chain(from_pg_config).filter(|b| b.join("initdb").exists()).collect();
    found.sort();
    found.pop().expect(
        "TEST_DATABASE_URL is set, so the failover test must run, but initdb/pg_ctl/pg_basebackup were not found \
         (install the postgresql package; scripts/test.sh does)",
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A primary (node 0) and its streaming standby (node 1), both running.
fn primary_and_standby() -> Servers {
    let dir = tempfile::tempdir().unwrap();
    if is_root() {
        let ok = Command::new("chown").args(["postgres:", s(dir.path())]).status().unwrap().success();
        assert!(ok, "chown of the test directory to postgres");
    }
    let servers = Servers { bin: server_binaries(), dir, ports: [free_port(), free_port()] };
    servers.run("initdb", &["-D", s(&servers.data(0)), "-U", "postgres", "-A", "trust", "--no-sync"]);
    servers.start(0);
    let port = servers.ports[0].to_string();
    servers.run(
        "pg_basebackup",
        &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-D", s(&servers.data(1)), "-R", "--checkpoint=fast"],
    );
    servers.start(1);
    servers
}

async fn server_port(db: &Db) -> i32 {
    sqlx::query_scalar("SELECT inet_server_port()").fetch_one(&db.pool).await.unwrap()
}

async fn write_probe(db: &Db, org: prongsai::orgs::OrgId, n: i64) {
    let mut tx = db.write(org).await.expect("a write transaction on the primary");
    sqlx::query("INSERT INTO failover_probe (n) VALUES ($1)").bind(n).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_go_to_the_standby_once_it_is_promoted_and_nothing_acknowledged_is_lost() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        assert!(!crate::harness::in_ci(), "CI is set but TEST_DATABASE_URL is not: the failover test cannot run");
        eprintln!("\n*** failover test SKIPPED: TEST_DATABASE_URL is not set ***\n");
        return;
    }
    let servers = primary_and_standby();
    let [primary, standby] = servers.ports;
    // The standby first: the app must skip it and find the primary by itself.
    let url: DatabaseUrl =
        format!("postgres://postgres@127.0.0.1:{standby},127.0.0.1:{primary}/postgres?target_session_attrs=read-write")
            .parse()
            .unwrap();
    let db = Db::connect(&url).await.expect("connect to the primary through the host list");
    assert_eq!(server_port(&db).await, primary as i32);
    let org = orgs::create(
        &db,
        &NewOrg {
            slug: "failover-town",
            name: "เทศบาลตำบลสำรอง",
            kind: "เทศบาลตำบล",
            province: "ลำพูน",
            district: "เมืองลำพูน",
            divisions: &["สำนักปลัด"],
        },
        "test",
    )
    .await
    .unwrap();
    sqlx::query("CREATE TABLE failover_probe (n BIGINT PRIMARY KEY)").execute(&db.pool).await.unwrap();
    write_probe(&db, org.id, 1).await;

    // Wait until the standby has replayed the write (this pair is asynchronous; the
    // pg_auto_failover setup is synchronous), then crash the primary and promote the standby.
    let standby_url = format!("postgres://postgres@127.0.0.1:{standby}/postgres");
    let mut replayed = false;
    for _ in 0..100 {
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&standby_url).await.unwrap();
        let n: Result<i64, _> = sqlx::query_scalar("SELECT count(*) FROM failover_probe").fetch_one(&mut conn).await;
        if n.is_ok_and(|n| n == 1) {
            replayed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(replayed, "the standby did not replay the first write");
    servers.stop_immediately(0);
    servers.run("pg_ctl", &["-D", s(&servers.data(1)), "-w", "promote"]);

    // The next write finds the new primary by itself (its opening is retried), and so do reads.
    write_probe(&db, org.id, 2).await;
    assert_eq!(server_port(&db).await, standby as i32);
    let stored: Vec<i64> =
        sqlx::query_scalar("SELECT n FROM failover_probe ORDER BY n").fetch_all(&db.pool).await.unwrap();
    assert_eq!(stored, vec![1, 2]);
}
