//! The organization's local rules. The regulation is the floor (issue 11, seen 4): local rules may
//! be stricter, never name a lower approver than clause 208 requires; the CLI and the rules page
//! refuse and save nothing. A loan has a longest length and a booking horizon (seen 11).

use chrono::Duration;
use prongsai::lending::today;
use reqwest::StatusCode;

/// The stored rules file and the number of audit entries about rules: what "nothing saved" means.
async fn saved_rules(app: &crate::harness::TestApp) -> (Option<String>, i64) {
    let stored: Option<(String,)> = sqlx::query_as("SELECT rules_toml FROM lending_rules WHERE org_id = $1")
        .bind(app.org_a.id.0)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap();
    let audits = app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'lending_rules'").await;
    (stored.map(|(t,)| t), audits)
}

fn rules_fields<'a>(
    outside: &'a str,
    agency: &'a str,
    inside: &'a str,
    max_days: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("max_loan_days", max_days),
        ("follow_up_days", "7"),
        ("remind_days_before_due", "2"),
        ("approver_inside", inside),
        ("approver_outside", outside),
        ("approver_agency", agency),
        ("holidays", ""),
        ("extra_rules", ""),
    ]
}

async fn request(app: &crate::harness::TestApp, csrf: &str, item: &str, start: &str, due: &str) -> reqwest::Response {
    let fields = [
        ("item_id", item),
        ("borrower_name", "นายยืมนาน"),
        ("use_type", "inside"),
        ("purpose", "พ่นหมอกควัน"),
        ("place_of_use", "หมู่ 4"),
        ("start", start),
        ("due", due),
    ];
    app.post_form("/app/lending/loans", csrf, &fields).await
}

crate::on_both_databases! {
    async fn a_rules_file_naming_a_supplies_officer_for_outside_loans_is_refused_by_the_cli(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let loose = dir.path().join("loose.toml");
        std::fs::write(&loose, "max_loan_days = 15\napprover_outside = \"supplies_officer\"\napprover_agency = \"supplies_officer\"\n").unwrap();
        let before = saved_rules(&app).await;
        let out = prongsai_cli(&app.db_url, &["lending", "rules", "--org", "mae-khatuan", "--file", loose.to_str().unwrap()]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("บรรทัด 2 (approver_outside) ขัดกับระเบียบฯ ข้อ ๒๐๘ (๒): การยืมไปใช้นอกสถานที่ของหน่วยงานของรัฐต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐ"), "{stderr}");
        assert!(stderr.contains("บรรทัด 3 (approver_agency) ขัดกับระเบียบฯ ข้อ ๒๐๘ (๑)"), "{stderr}");
        assert!(!stderr.contains("๒๐๘ (๓)"), "clause 208 has no third sub-clause");
        assert_eq!(saved_rules(&app).await, before, "nothing saved, nothing audited");

        let strict = dir.path().join("strict.toml");
        std::fs::write(&strict, "max_loan_days = 7\nfollow_up_days = 3\napprover_inside = \"org_head\"\n").unwrap();
        cli_ok(&prongsai_cli(&app.db_url, &["lending", "rules", "--org", "mae-khatuan", "--file", strict.to_str().unwrap()]));
        let printed = cli_ok(&prongsai_cli(&app.db_url, &["lending", "rules", "--org", "mae-khatuan"]));
        assert!(printed.contains("approver_inside = \"org_head\"") && printed.contains("follow_up_days = 3"), "{printed}");
        assert_eq!(saved_rules(&app).await.1, before.1 + 1, "the stricter file is saved and audited");
    }

    async fn the_rules_page_refuses_a_lower_approver_and_accepts_a_higher_one(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let before = saved_rules(&app).await;
        let r = app.post_form("/app/lending/rules", &csrf, &rules_fields("supplies_officer", "org_head", "supplies_head", "10")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("ยังไม่ได้บันทึก"), "{page}");
        assert!(page.contains("ช่อง “ผู้มีอำนาจอนุมัติ: นำออกไปใช้นอกสถานที่”"), "names the field");
        assert!(page.contains("id=\"approver_outside-error\""), "beside the field");
        assert!(page.contains("ขัดกับระเบียบฯ ข้อ ๒๐๘ (๒): การยืมไปใช้นอกสถานที่ของหน่วยงานของรัฐต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐ"));
        assert_eq!(saved_rules(&app).await, before, "nothing saved");
        let r = app.post_form("/app/lending/rules", &csrf, &rules_fields("org_head", "org_head", "supplies_officer", "10")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "inside use needs at least the head of supplies");
        assert_eq!(saved_rules(&app).await, before);

        let r = app.post_form("/app/lending/rules", &csrf, &rules_fields("org_head", "org_head", "org_head", "10")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "more senior approvers are stricter, so allowed");
        let (stored, audits) = saved_rules(&app).await;
        assert!(stored.unwrap().contains("approver_inside = \"org_head\""));
        assert_eq!(audits, before.1 + 1);
    }

    async fn a_request_running_to_2399_is_refused_by_the_default_longest_loan(app: TestApp) {
        let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-66-0012' AND org_id = $1")
            .bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let item = item.to_string();
        let csrf = app.login(DEMO_ADMIN).await;
        let start = (today() + Duration::days(40)).to_string();
        let r = request(&app, &csrf, &item, &start, "2399-12-31").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("วันกำหนดส่งคืน: ระยะเวลายืม") && page.contains("ไม่เกิน 30 วัน"), "names the field and the limit");
        let far = (today() + Duration::days(181)).to_string();
        let far_due = (today() + Duration::days(182)).to_string();
        let r = request(&app, &csrf, &item, &far, &far_due).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("วันที่ยืม: อยู่ห่างจากวันนี้ 181 วัน"));
        assert_eq!(app.count("SELECT COUNT(*) FROM loans WHERE borrower_name = 'นายยืมนาน'").await, 0);
        let month = (today() + Duration::days(70)).to_string();
        assert_eq!(request(&app, &csrf, &item, &start, &month).await.status(), StatusCode::SEE_OTHER, "30 days is allowed");

        // The limits are shown on the rules page and printed in the manual.
        let page = app.get_text("/app/lending/rules").await;
        assert!(page.contains("value=\"30\"") && page.contains("value=\"180\""));
        let r = app.get("/app/lending/manual.pdf").await;
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("draft.pdf");
        std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
        let out = std::process::Command::new("pdftotext").arg("-raw").arg(&pdf).arg("-").output().unwrap();
        let text: String = String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains("ระยะเวลายืมแต่ละครั้งไม่เกิน๓๐วัน") && text.contains("ล่วงหน้าได้ไม่เกิน๑๘๐วัน"), "{text}");
    }
}
