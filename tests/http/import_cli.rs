//! `prongsai import measures` with Word files, a preview (--dry-run) and the year check.

use crate::harness::*;

crate::on_both_databases! {
    async fn the_command_line_previews_without_writing_and_refuses_a_file_of_another_year_unless_told(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("report.docx");
        let db = &app.db_url;
        cli_ok(&prongsai_cli(db, &["export", "measures", "--org", "mae-khatuan", "--year", "2566", "--format", "docx", "--out", docx.to_str().unwrap()]));
        let audit = app.count("SELECT COUNT(*) FROM audit_log").await;
        let out = cli_ok(&prongsai_cli(db, &["import", "measures", "--org", "other-town", "--year", "2567", "--dry-run", docx.to_str().unwrap()]));
        assert!(out.contains("added (เพิ่ม): 3") && out.contains("names fiscal year 2566, not 2567"), "{out}");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audit, "a dry run writes nothing");

        let out = prongsai_cli(db, &["import", "measures", "--org", "other-town", "--year", "2567", docx.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("2566") && err.contains("2567") && err.contains("--year-differs"), "{err}");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_b.id.0)).await, 0);

        let out = cli_ok(&prongsai_cli(db, &["import", "measures", "--org", "other-town", "--year", "2567", "--year-differs", docx.to_str().unwrap()]));
        assert!(out.contains("imported 3 measures (12 methods, 12 results, 9 outcomes)") && out.contains("3 added"), "{out}");
        // Importing the same file over the year changes nothing.
        let out = cli_ok(&prongsai_cli(db, &["import", "measures", "--org", "other-town", "--year", "2567", "--year-differs", "--replace", docx.to_str().unwrap()]));
        assert!(out.contains("0 added, 0 changed, 3 unchanged, 0 removed"), "{out}");
    }
}
