//! A full disk under a SQLite database (issue 10, finding 9): every write answered with success is
//! stored, every failure is an error page, and the write lock is free once space returns.
//!
//! SQLite only: the database file sits on a small tmpfs that this test mounts, so it must run as
//! root (as it does here and in CI); it fails, never skips, otherwise.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;

use crate::harness::*;

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let uid = Command::new("id").arg("-u").output().expect("running id -u");
        assert_eq!(
            String::from_utf8_lossy(&uid.stdout).trim(),
            "0",
            "this test mounts a small tmpfs to fill the disk under the database and must run as root (CI does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("running mount");
        assert!(status.success(), "mount -t tmpfs failed");
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: the server's pool may still hold the file open while the test ends.
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fills the file system with one file until writing fails; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let chunk = vec![0x5a_u8; 64 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let _ = file.flush();
    path
}

async fn upload(app: &TestApp, csrf: &str, measure: i64, title: &str, n: usize) -> reqwest::Response {
    // Distinct contents of 160 KB, so that each upload needs new pages.
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend((0..160 * 1024).map(|i: usize| (i.wrapping_mul(31).wrapping_add(n * 7) % 251) as u8));
    bytes.extend_from_slice(b"\n%%EOF\n");
    app.upload_evidence(csrf, measure, title, "หลักฐาน.pdf", bytes).await
}

/// What the server answered to each write.
#[derive(Default)]
struct Answers {
    acknowledged_evidence: Vec<String>,
    acknowledged_measures: Vec<String>,
    /// (what, status, error code, page) of each write not answered with success.
    refused: Vec<(String, StatusCode, String, String)>,
}

impl Answers {
    async fn note(&mut self, response: reqwest::Response, title: String, evidence: bool) {
        match response.status() {
            StatusCode::SEE_OTHER if evidence => self.acknowledged_evidence.push(title),
            StatusCode::SEE_OTHER => self.acknowledged_measures.push(title),
            status => {
                let code =
                    response.headers().get("x-error-code").map(|c| c.to_str().unwrap().to_string()).unwrap_or_default();
                self.refused.push((title, status, code, response.text().await.unwrap()));
            }
        }
    }
}

async fn write_round(app: &TestApp, csrf: &str, measure: i64, answers: &mut Answers, round: usize, count: usize) {
    for i in 0..count {
        let title = format!("หลักฐานรอบ{round}-{i}");
        let r = upload(app, csrf, measure, &title, round * 100 + i).await;
        answers.note(r, title, true).await;
        if i % 3 == 0 {
            let title = format!("มาตรการรอบ{round}-{i}");
            let r = app.post_form("/app/measures/new?year=2567", csrf, &[("title", &title), ("indicators", "4")]).await;
            answers.note(r, title, false).await;
        }
    }
}

async fn titles(app: &TestApp, sql: &str) -> Vec<String> {
    let mut v: Vec<(String,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).fetch_all(&app.db.pool).await.unwrap();
    v.sort();
    v.into_iter().map(|(t,)| t).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_full_disk_every_acknowledged_write_is_stored_and_the_write_lock_is_free() {
    let fs = Tmpfs::mount("48m");
    let file = fs.path().join("prongsai.db");
    let options = SpawnOptions { sqlite_file: Some(file.clone()), ..Default::default() };
    let mut app = spawn_app_with(Backend::Sqlite, options).await.unwrap();
    let csrf = app.login(DEMO_STAFF).await;
    let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();

    let filler = fill(fs.path());
    // Give back a little, so that a few writes succeed before the disk is full again.
    let len = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&filler).unwrap().set_len(len.saturating_sub(512 * 1024)).unwrap();

    let mut answers = Answers::default();
    for round in 0..4 {
        write_round(&app, &csrf, measure, &mut answers, round, 6).await;
    }
    let refused_while_full = answers.refused.len();
    assert!(refused_while_full >= 5, "the disk filled up: {refused_while_full} writes refused");

    // Space returns; the same server keeps taking writes.
    std::fs::remove_file(&filler).unwrap();
    for round in 10..12 {
        write_round(&app, &csrf, measure, &mut answers, round, 5).await;
    }

    let stored = titles(&app, "SELECT title FROM evidence").await;
    let mut acknowledged = answers.acknowledged_evidence.clone();
    acknowledged.sort();
    assert_eq!(stored, acknowledged, "the evidence stored is exactly the evidence acknowledged");
    let stored = titles(&app, "SELECT title FROM measures WHERE fiscal_year = 2567").await;
    let mut acknowledged = answers.acknowledged_measures.clone();
    acknowledged.sort();
    assert_eq!(stored, acknowledged, "the measures stored are exactly the measures acknowledged");
    let audited = app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'evidence' AND action = 'create'").await;
    assert_eq!(audited as usize, answers.acknowledged_evidence.len(), "each stored upload has its audit entry");
    for (what, status, code, page) in &answers.refused {
        assert_eq!((*status, code.as_str()), (StatusCode::INSUFFICIENT_STORAGE, "storage_full"), "{what}");
        assert!(page.contains("พื้นที่จัดเก็บข้อมูลเต็ม") && page.contains("ยังไม่ได้บันทึก"), "{page}");
    }
    assert_eq!(answers.refused.len(), refused_while_full, "with space again every write succeeds");

    // Another connection (another process would be the same) can take the write lock at once.
    let other = prongsai::db::Db::connect_with(
        &app.db_url,
        &prongsai::db::DbOptions { sqlite_busy_timeout: std::time::Duration::from_millis(500) },
    )
    .await
    .unwrap();
    sqlx::raw_sql("UPDATE orgs SET province = province")
        .execute(&other.pool)
        .await
        .expect("the write lock is not held by an idle connection");
    let report = prongsai::audit::verify(&app.db).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    drop(app);
}
