//! Published heads: signed with a key outside the database, recorded by anyone, and compared
//! with the log by `prongsai audit verify --heads`; verify with read-only access.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use ed25519_dalek::{Signature, VerifyingKey};
use prongsai::audit::{self, Entry};

use crate::audit::drop_guards;
use crate::harness::*;

fn prongsai(db: &str, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_prongsai"));
    command.args(args).env("DATABASE_URL", db).env("PRONGSAI_LOG", "warn").env_remove("PRONGSAI_AUDIT_KEY_FILE");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn describe(out: &Output) -> String {
    format!("exit {:?}\nstdout: {}\nstderr: {}", out.status, stdout(out), String::from_utf8_lossy(&out.stderr))
}

/// A `prongsai serve` process on the test's database, killed when dropped.
struct Server {
    child: Child,
    base: String,
    /// Kept open: a server that prints more must not meet a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start(app: &TestApp, key_file: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prongsai"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", app.db_url.expose())
            .env("PRONGSAI_AUDIT_KEY_FILE", key_file)
            .env("PRONGSAI_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let at = line.find("http://").unwrap_or_else(|| panic!("no address in {line:?}"));
        let base = line[at..].split_whitespace().next().unwrap().trim_end_matches('/').to_string();
        Server { child, base, _stdout: stdout }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Rewrites org a's chain from entry 2 on, consistently (every hash and the head recomputed), as
/// an intruder with the database owner's rights could.
async fn rewrite_chain_consistently(app: &TestApp) {
    drop_guards(app).await;
    let a = app.org_a.id.0;
    let mut entries: Vec<Entry> = audit::recent(&app.db, app.org_a.id, 1_000_000).await.unwrap();
    entries.reverse();
    let mut prev = entries[0].hash.clone();
    for e in entries.iter_mut().skip(1) {
        if e.seq == 2 {
            e.actor = "someone else".into();
        }
        e.prev_hash = prev;
        e.hash = e.computed_hash();
        prev = e.hash.clone();
        sqlx::query("UPDATE audit_log SET actor = $1, prev_hash = $2, hash = $3 WHERE org_id = $4 AND seq = $5")
            .bind(&e.actor)
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(a)
            .bind(e.seq)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE audit_chain SET last_hash = $1 WHERE org_id = $2")
        .bind(&prev)
        .bind(a)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

crate::on_both_databases! {
    async fn a_consistent_rewrite_passes_the_chain_check_but_not_a_recorded_head(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let heads = dir.path().join("heads.json");
        // Someone records both organizations' heads (appending, as `curl … >> heads.json` does).
        let mut recorded = app.get_text("/o/mae-khatuan/audit/head").await;
        recorded.push_str(&app.get_text("/o/other-town/audit/head").await);
        std::fs::write(&heads, &recorded).unwrap();
        let at: serde_json::Value = app.get("/o/mae-khatuan/audit/head").await.json().await.unwrap();
        let recorded_entries = at["entries"].as_i64().unwrap();
        // The log grows after the recording: that is no rewrite.
        prongsai::orgs::store::set_digits(&app.db, app.org_a.id, prongsai::thai::Digits::Arabic, "test").await.unwrap();
        let out = prongsai(app.db_url.expose(), &["audit", "verify", "--heads", heads.to_str().unwrap()], &[]);
        assert!(out.status.success(), "{}", describe(&out));
        assert!(stdout(&out).contains("2 recorded heads compared: 0 signed and checked, 2 unsigned"), "{}", stdout(&out));

        rewrite_chain_consistently(&app).await;
        let plain = audit::verify(&app.db).await.unwrap();
        assert!(plain.problems.is_empty(), "the rewrite is consistent: {:?}", plain.problems);
        let out = prongsai(app.db_url.expose(), &["audit", "verify", "--heads", heads.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        let text = stdout(&out);
        assert!(text.contains(&format!("TAMPERED org {} (mae-khatuan) entry {recorded_entries}: differs from the head recorded earlier", app.org_a.id.0)), "{text}");
        assert!(!text.contains("other-town"), "org b's recorded head is still in its log: {text}");
    }

    async fn a_recorded_head_longer_than_the_log_or_of_a_missing_organization_is_reported(app: TestApp) {
        let head = |org: &str, entries: i64| audit::PublishedHead {
            organization: org.into(),
            org_id: None,
            entries,
            last_hash: "ab".repeat(32),
            signature: None,
            public_key: None,
        };
        let report = audit::verify_against(&app.db, &[head("mae-khatuan", 100_000), head("gone-town", 3)]).await.unwrap();
        assert_eq!(report.recorded_heads, 2);
        assert!(report.problems.iter().any(|p| p.seq == 100_000 && p.what.contains("has no entry 100000")), "{:?}", report.problems);
        assert!(report.problems.iter().any(|p| p.slug == "gone-town" && p.what.contains("not in the database")), "{:?}", report.problems);
    }

    async fn the_site_signs_its_heads_with_the_key_file_and_verify_checks_the_signatures(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("audit.key");
        let out = prongsai(app.db_url.expose(), &["audit", "keygen", "--out", key.to_str().unwrap()], &[]);
        assert!(out.status.success(), "{}", describe(&out));
        let public = stdout(&out).lines().find_map(|l| l.strip_prefix("public key: ")).unwrap().to_string();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let again = prongsai(app.db_url.expose(), &["audit", "keygen", "--out", key.to_str().unwrap()], &[]);
        assert!(!again.status.success(), "an existing key is never overwritten");

        let server = Server::start(&app, &key);
        let body = reqwest::get(format!("{}/o/mae-khatuan/audit/head", server.base)).await.unwrap().text().await.unwrap();
        let head: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(head["public_key"], public.as_str());
        // Checked here with the library alone, from the documented text.
        let signed = format!(
            "prongsai audit head v1\norganization=mae-khatuan\norg_id={}\nentries={}\nlast_hash={}\n",
            app.org_a.id.0, head["entries"], head["last_hash"].as_str().unwrap()
        );
        let key_bytes: [u8; 32] = hex::decode(&public).unwrap().try_into().unwrap();
        let sig_bytes: [u8; 64] = hex::decode(head["signature"].as_str().unwrap()).unwrap().try_into().unwrap();
        VerifyingKey::from_bytes(&key_bytes).unwrap().verify_strict(signed.as_bytes(), &Signature::from_bytes(&sig_bytes)).unwrap();

        let heads = dir.path().join("heads.json");
        std::fs::write(&heads, &body).unwrap();
        let db = app.db_url.expose();
        let out = prongsai(db, &["audit", "verify", "--heads", heads.to_str().unwrap(), "--public-key", &public], &[]);
        assert!(out.status.success(), "{}", describe(&out));
        assert!(stdout(&out).contains("1 recorded heads compared: 1 signed and checked"), "{}", stdout(&out));
        // The key file also names the trusted key.
        let out = prongsai(db, &["audit", "verify", "--heads", heads.to_str().unwrap()], &[("PRONGSAI_AUDIT_KEY_FILE", key.to_str().unwrap())]);
        assert!(out.status.success(), "{}", describe(&out));

        // An altered recorded head, or one signed by another key, proves nothing.
        let mut altered = head.clone();
        altered["entries"] = serde_json::json!(head["entries"].as_i64().unwrap() - 1);
        std::fs::write(&heads, altered.to_string()).unwrap();
        let out = prongsai(db, &["audit", "verify", "--heads", heads.to_str().unwrap(), "--public-key", &public], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        assert!(stdout(&out).contains("BAD SIGNATURE mae-khatuan"), "{}", stdout(&out));
        let other = dir.path().join("other.key");
        let out = prongsai(db, &["audit", "keygen", "--out", other.to_str().unwrap()], &[]);
        let other_public = stdout(&out).lines().find_map(|l| l.strip_prefix("public key: ")).unwrap().to_string();
        std::fs::write(&heads, &body).unwrap();
        let out = prongsai(db, &["audit", "verify", "--heads", heads.to_str().unwrap(), "--public-key", &other_public], &[]);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        assert!(stdout(&out).contains("not with the organization's key"), "{}", stdout(&out));
        drop(server);

        // A configured key that cannot be read stops the server from starting.
        let out = prongsai(db, &["serve", "--bind", "127.0.0.1:0"], &[("PRONGSAI_AUDIT_KEY_FILE", "/nonexistent/audit.key")]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/audit.key"), "{}", describe(&out));
    }

    async fn audit_verify_runs_with_read_only_access(app: TestApp) {
        let entries = app.count("SELECT COUNT(*) FROM audit_log").await;
        let intact = format!("audit log intact: {entries} entries in 2 chains");
        match app.backend {
            Backend::Sqlite => {
                let url = format!("{}?mode=ro", app.db_url.expose());
                let out = prongsai(&url, &["audit", "verify"], &[]);
                assert!(out.status.success() && stdout(&out).contains(&intact), "{}", describe(&out));
                // Read-only means it: a command that writes fails on that URL.
                let out = prongsai(&url, &["org", "add", "--slug", "ro-town", "--name", "เทศบาลตำบลอ่านอย่างเดียว"], &[]);
                assert!(!out.status.success(), "{}", describe(&out));
            }
            Backend::Postgres => {
                let (_, rest) = app.db_url.expose().split_once('@').unwrap();
                let db_name = rest.rsplit('/').next().unwrap();
                let role = format!("ro_{db_name}");
                app.raw_sql(&format!(
                    "CREATE ROLE {role} LOGIN; GRANT CONNECT ON DATABASE {db_name} TO {role};
                     GRANT USAGE ON SCHEMA public TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};"
                ))
                .await
                .unwrap();
                let url = format!("postgres://{role}@{rest}");
                let verified = prongsai(&url, &["audit", "verify"], &[]);
                let refused = prongsai(&url, &["org", "add", "--slug", "ro-town", "--name", "เทศบาลตำบลอ่านอย่างเดียว"], &[]);
                app.raw_sql(&format!("DROP OWNED BY {role}; DROP ROLE {role};")).await.unwrap();
                assert!(verified.status.success() && stdout(&verified).contains(&intact), "{}", describe(&verified));
                assert!(!refused.status.success(), "{}", describe(&refused));
            }
        }
    }

    async fn a_read_only_verify_refuses_a_database_that_is_not_migrated(app: TestApp) {
        app.raw_sql("DELETE FROM schema_migrations WHERE name = '0003_audit_guard'").await.unwrap();
        let err = format!("{:#}", prongsai::db::Db::connect_read_only(&app.db_url).await.err().unwrap());
        assert!(err.contains("not up to date") && err.contains("0003_audit_guard") && err.contains("prongsai migrate"), "{err}");
    }
}
