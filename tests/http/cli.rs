//! The `prongsai` binary itself, as an operator runs it.

use std::process::Command;

crate::on_both_databases! {
    async fn import_then_export_then_import_gives_back_the_same_register(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.md");
        let second = dir.path().join("second.md");
        let db = &app.db_url;
        cli_ok(&prongsai_cli(db, &["export", "measures", "--org", "mae-khatuan", "--year", "2566", "--format", "md", "--out", first.to_str().unwrap()]));
        let out = cli_ok(&prongsai_cli(db, &["import", "measures", "--org", "other-town", "--year", "2566", first.to_str().unwrap()]));
        assert!(out.contains("imported 3 measures (12 methods, 12 results, 9 outcomes)"), "{out}");
        cli_ok(&prongsai_cli(db, &["export", "measures", "--org", "other-town", "--year", "2566", "--format", "md", "--out", second.to_str().unwrap()]));
        let a = std::fs::read_to_string(&first).unwrap();
        let b = std::fs::read_to_string(&second).unwrap();
        // Only the organization's name in the heading differs.
        assert_eq!(a.replace("องค์การบริหารส่วนตำบลแม่คะตวน", "ORG").replace("เทศบาลตำบลทดสอบ", "ORG").lines().skip(3).collect::<Vec<_>>(),
                   b.replace("องค์การบริหารส่วนตำบลแม่คะตวน", "ORG").replace("เทศบาลตำบลทดสอบ", "ORG").lines().skip(3).collect::<Vec<_>>());
        let ma = prongsai::measures::markdown::parse(&a).unwrap();
        let mb = prongsai::measures::markdown::parse(&b).unwrap();
        assert_eq!(ma.measures.len(), 3);
        for (x, y) in ma.measures.iter().zip(&mb.measures) {
            assert_eq!((&x.title, &x.indicators, &x.methods, &x.responsible, &x.period, &x.results, &x.outcomes),
                       (&y.title, &y.indicators, &y.methods, &y.responsible, &y.period, &y.results, &y.outcomes));
        }
    }

    async fn a_malformed_file_is_refused_with_its_line_and_nothing_is_imported(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.md");
        std::fs::write(&file, "| มาตรการ/แนวทาง | วิธีดำเนินการ |\n|--|--|\n| ก | ข |\n").unwrap();
        let out = prongsai_cli(&app.db_url, &["import", "measures", "--org", "other-town", "--year", "2566", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("บรรทัดที่ 1") && err.contains("line 1"), "{err}");
        assert!(err.contains("nothing was imported"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_b.id.0)).await, 0);
    }

    async fn operators_add_organizations_and_users_from_the_command_line(app: TestApp) {
        let db = &app.db_url;
        let out = cli_ok(&prongsai_cli(db, &["org", "add", "--slug", "ban-pong", "--name", "เทศบาลตำบลบ้านโป่ง", "--kind", "เทศบาลตำบล"]));
        assert!(out.contains("created organization ban-pong"));
        let dup = prongsai_cli(db, &["org", "add", "--slug", "ban-pong", "--name", "ซ้ำ"]);
        assert!(!dup.status.success());
        assert!(String::from_utf8_lossy(&dup.stderr).contains("มีหน่วยงาน slug \"ban-pong\" อยู่แล้ว"));
        let out = cli_ok(&prongsai_cli(db, &["user", "add", "--org", "ban-pong", "--username", "somjai", "--name", "นางสาวสมใจ", "--role", "staff", "--division", "กองคลัง", "--password", "a-long-password-1"]));
        assert!(out.contains("created user somjai (staff) in ban-pong"));
        let weak = prongsai_cli(db, &["user", "add", "--org", "ban-pong", "--username", "short", "--name", "x", "--password", "123"]);
        assert!(String::from_utf8_lossy(&weak.stderr).contains("อย่างน้อย 10 ตัวอักษร"));
        let nameless = prongsai_cli(db, &["org", "add", "--slug", "nameless", "--name", "   "]);
        assert!(!nameless.status.success());
        assert!(String::from_utf8_lossy(&nameless.stderr).contains("กรุณาระบุชื่อเต็มของหน่วยงาน"));
        // Usernames are per organization: "admin" exists in mae-khatuan and may exist here too.
        cli_ok(&prongsai_cli(db, &["user", "add", "--org", "ban-pong", "--username", "admin", "--name", "ผู้ดูแล", "--role", "admin", "--password", "a-long-password-2"]));
    }

    async fn audit_verify_exits_nonzero_after_tampering(app: TestApp) {
        let db = &app.db_url;
        let entries = app.count("SELECT COUNT(*) FROM audit_log").await;
        assert!(cli_ok(&prongsai_cli(db, &["audit", "verify"])).contains(&format!("audit log intact: {entries} entries in 2 chains")));
        app.raw_sql("DROP TRIGGER audit_log_no_update ON audit_log").await.or(app.raw_sql("DROP TRIGGER audit_log_no_update").await).unwrap();
        app.raw_sql("UPDATE audit_log SET after_json = '{}' WHERE seq = 5").await.unwrap();
        let out = prongsai_cli(db, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains("TAMPERED"));
    }

    async fn the_report_command_writes_every_format(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        for format in ["pdf", "docx", "html", "md"] {
            let path = dir.path().join(format!("r.{format}"));
            cli_ok(&prongsai_cli(&app.db_url, &["report", "measures", "--org", "mae-khatuan", "--year", "2566", "--format", format, "--out", path.to_str().unwrap()]));
            assert!(std::fs::metadata(&path).unwrap().len() > 1000, "{format}");
        }
        let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
        assert!(html.contains("<style>"), "a downloaded HTML file carries its stylesheet");
    }
}

#[test]
fn bad_arguments_get_a_clear_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(["report", "measures", "--org", "x", "--year", "2566", "--format", "pdf", "--out", "/tmp/x.pdf"])
        .env("DATABASE_URL", "mysql://nope")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sqlite:// or postgres://"));
}
