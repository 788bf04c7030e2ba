//! `prongsai backup` while the server takes writes, `prongsai restore` into a fresh database: the
//! copy is one consistent moment (each organization's writes up to some point, nothing after),
//! its exports match the source's and its audit chains are intact.

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use prongsai::db::{DatabaseUrl, Db};
use reqwest::StatusCode;

use crate::harness::*;

fn refused(output: &Output, expected: &str) {
    assert!(!output.status.success(), "expected a refusal: {}", String::from_utf8_lossy(&output.stdout));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains(expected), "expected \"{expected}\" in: {err}");
}

/// A user's own logged-in client (the app's client is one user).
async fn logged_in(app: &TestApp, username: &str) -> (reqwest::Client, String) {
    let client = new_client();
    let r = app.try_login(&client, app.org_of(username), username, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = client.get(app.url("/app/measures")).send().await.unwrap().text().await.unwrap();
    (client, csrf_in(&page))
}

/// Adds measures "PREFIX-0", "PREFIX-1", … one after another until told to stop; returns how many
/// were acknowledged, counted as they come.
fn writer(
    app: &TestApp,
    client: reqwest::Client,
    csrf: String,
    prefix: &'static str,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<usize>>,
) -> tokio::task::JoinHandle<()> {
    let url = app.url("/app/measures/new?year=2567");
    tokio::spawn(async move {
        let mut i = 0;
        while !stop.load(Ordering::Relaxed) {
            let title = format!("{prefix}-{i}");
            let r = client
                .post(&url)
                .form(&[("_csrf", csrf.as_str()), ("title", title.as_str()), ("indicators", "4")])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            i += 1;
            *acked.lock().unwrap() = i;
        }
    })
}

async fn titles_2567(db: &Db, org: i64) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT title FROM measures WHERE org_id = $1 AND fiscal_year = 2567 ORDER BY id")
            .bind(org)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(t,)| t).collect()
}

fn export(db: &DatabaseUrl, org: &str, year: &str, out: &Path) -> String {
    cli_ok(&prongsai_cli(
        db,
        &["export", "measures", "--org", org, "--year", year, "--format", "md", "--out", out.to_str().unwrap()],
    ));
    std::fs::read_to_string(out).unwrap()
}

crate::on_both_databases! {
    async fn a_backup_taken_under_writes_restores_to_one_consistent_moment_with_an_intact_audit_log(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("prongsai.backup");
        let stop = Arc::new(AtomicBool::new(false));
        let (acked_a, acked_b) = (Arc::new(Mutex::new(0)), Arc::new(Mutex::new(0)));
        let (client_a, csrf_a) = logged_in(&app, DEMO_STAFF).await;
        let (client_b, csrf_b) = logged_in(&app, OTHER_ADMIN).await;
        let writers = [
            writer(&app, client_a, csrf_a, "ก", stop.clone(), acked_a.clone()),
            writer(&app, client_b, csrf_b, "ข", stop.clone(), acked_b.clone()),
        ];
        while *acked_a.lock().unwrap() < 3 || *acked_b.lock().unwrap() < 3 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let before = (*acked_a.lock().unwrap(), *acked_b.lock().unwrap());
        let url = app.db_url.clone();
        let path = file.clone();
        let out = tokio::task::spawn_blocking(move || prongsai_cli(&url, &["backup", "--out", path.to_str().unwrap()])).await.unwrap();
        assert!(cli_ok(&out).contains("backup written"));
        let during = (*acked_a.lock().unwrap(), *acked_b.lock().unwrap());
        assert!(during.0 > before.0 || during.1 > before.1, "the writers kept writing while the backup ran");
        // A few more writes after the backup, which the copy must not have.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.await.unwrap();
        }
        refused(&prongsai_cli(&app.db_url, &["backup", "--out", file.to_str().unwrap()]), "--force");

        let (target, _target_dir) = fresh_database(app.backend).await.unwrap();
        let out = cli_ok(&prongsai_cli(&target, &["restore", "--from", file.to_str().unwrap()]));
        assert!(out.contains("audit log intact"), "{out}");
        refused(&prongsai_cli(&target, &["restore", "--from", file.to_str().unwrap()]), "--force");
        let junk = dir.path().join("junk.backup");
        std::fs::write(&junk, b"not a backup at all").unwrap();
        let (junk_target, _junk_dir) = fresh_database(app.backend).await.unwrap();
        refused(&prongsai_cli(&junk_target, &["restore", "--from", junk.to_str().unwrap()]), "ไม่ใช่ไฟล์สำรอง");
        if app.backend == Backend::Sqlite {
            refused(&prongsai_cli(&app.db_url, &["restore", "--force", "--from", file.to_str().unwrap()]), "กำลังถูกใช้งาน");
        }

        let restored = Db::connect(&target).await.unwrap();
        for (org, prefix, acked_before, acked_during) in [(&app.org_a, "ก", before.0, during.0), (&app.org_b, "ข", before.1, during.1)] {
            let got = titles_2567(&restored, org.id.0).await;
            let k = got.len();
            let expected: Vec<String> = (0..k).map(|i| format!("{prefix}-{i}")).collect();
            assert_eq!(got, expected, "{}: each organization's writes up to one point, in order, without gaps", org.slug);
            assert!(k >= acked_before && k <= acked_during + 1, "{}: {k} measures, {acked_before} acknowledged before the backup, {acked_during} by its end", org.slug);

            // The restored chain is a prefix of the source's: its head is an entry of the source.
            let (seq, hash): (i64, String) = sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain WHERE org_id = $1").bind(org.id.0).fetch_one(&restored.pool).await.unwrap();
            let (source_hash,): (String,) = sqlx::query_as("SELECT hash FROM audit_log WHERE org_id = $1 AND seq = $2").bind(org.id.0).bind(seq).fetch_one(&app.db.pool).await.unwrap();
            assert_eq!(hash, source_hash, "{}", org.slug);

            // The exports: the seed's year is identical; the written year is the source's first k.
            let here = |name: &str| dir.path().join(format!("{}-{name}.md", org.slug));
            if org.id == app.org_a.id {
                assert_eq!(export(&target, &org.slug, "2566", &here("restored-2566")), export(&app.db_url, &org.slug, "2566", &here("source-2566")));
            }
            let restored_md = prongsai::measures::markdown::parse(&export(&target, &org.slug, "2567", &here("restored-2567"))).unwrap();
            let source_md = prongsai::measures::markdown::parse(&export(&app.db_url, &org.slug, "2567", &here("source-2567"))).unwrap();
            assert_eq!(restored_md.measures.len(), k);
            for (r, s) in restored_md.measures.iter().zip(&source_md.measures) {
                assert_eq!((&r.title, &r.indicators, &r.methods, &r.responsible, &r.period, &r.results, &r.outcomes),
                           (&s.title, &s.indicators, &s.methods, &s.responsible, &s.period, &s.results, &s.outcomes));
            }
        }
        let report = prongsai::audit::verify(&restored).await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        restored.pool.close().await;
    }
}
