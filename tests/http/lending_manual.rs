//! The published manual is a document, not a live view (issue 11, item 7): issued as a version,
//! served byte for byte, with no personal data and the fiscal year it was approved for. Read back
//! with pdftotext.

use reqwest::StatusCode;

fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every borrower named in the demo organization's loans, without spaces (as pdftotext -raw
/// squashed reads them).
async fn borrowers(app: &crate::harness::TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT borrower_name FROM loans WHERE org_id = $1")
        .bind(app.org_a.id.0)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(rows.len() >= 5, "the demo has borrowers to look for");
    rows.into_iter().map(|(n,)| n.chars().filter(|c| !c.is_whitespace()).collect()).collect()
}

async fn public_manual(app: &crate::harness::TestApp) -> Vec<u8> {
    let r = app.get("/o/mae-khatuan/lending/manual.pdf").await;
    assert_eq!(r.status(), StatusCode::OK);
    r.bytes().await.unwrap().to_vec()
}

fn thai_year(be: i32) -> String {
    prongsai::thai::format_year_be(be, prongsai::thai::Digits::Thai)
}

crate::on_both_databases! {
    async fn the_public_manual_is_the_issued_version_with_its_fiscal_year_and_no_borrower(app: TestApp) {
        let audits = app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'lending_manual'").await;
        let dir = tempfile::tempdir().unwrap();
        let issued = dir.path().join("issued.pdf");
        let out = prongsai_cli(&app.db_url, &[
            "lending", "manual", "--org", "mae-khatuan", "--issue", "--fiscal-year", "2566", "--approved-on", "3/10/2565",
            "--approver-name", "นายประเสริฐ วงศ์คำ", "--approver-position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน",
            "--out", issued.to_str().unwrap(),
        ]);
        cli_ok(&out);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'lending_manual'").await, audits + 1, "issuing is audited");

        let first = public_manual(&app).await;
        assert_eq!(first, std::fs::read(&issued).unwrap(), "the public URL serves the issued bytes");
        let text = pdftotext(&first);
        assert!(text.contains("ประจำปีงบประมาณพ.ศ.๒๕๖๖"), "approved for 2566");
        let this_year = prongsai::thai::FiscalYear::of(prongsai::lending::today()).be();
        assert!(!text.contains(&format!("พ.ศ.{}", thai_year(this_year))), "not today's fiscal year");
        assert!(text.contains("ประกาศณวันที่๓ตุลาคม๒๕๖๕") && text.contains("(นายประเสริฐวงศ์คำ)"));
        assert!(text.contains("ที่มา:ระเบียบกระทรวงการคลัง") && text.contains("เล่ม๑๓๔ตอนพิเศษ๒๑๐ง"), "the clauses cite their source");
        assert!(text.contains("จำนวนที่ให้ยืมรวมกันต้องไม่เกินจำนวนที่มีอยู่"), "the overlap rule counts units");
        for name in borrowers(&app).await {
            assert!(!text.contains(&name), "the public manual names {name}");
        }

        // A later change of the rules does not change the published version.
        let rules = dir.path().join("rules.toml");
        std::fs::write(&rules, "max_loan_days = 5\n").unwrap();
        cli_ok(&prongsai_cli(&app.db_url, &["lending", "rules", "--org", "mae-khatuan", "--file", rules.to_str().unwrap()]));
        assert_eq!(public_manual(&app).await, first, "byte-identical on every request");
        // The draft follows the rules; the published copy stays as approved.
        let draft = dir.path().join("draft.pdf");
        cli_ok(&prongsai_cli(&app.db_url, &["lending", "manual", "--org", "mae-khatuan", "--out", draft.to_str().unwrap()]));
        assert!(pdftotext(&std::fs::read(&draft).unwrap()).contains("ไม่เกิน๕วัน"));
        assert!(!text.contains("ไม่เกิน๕วัน"));
    }

    async fn the_demo_ships_with_an_issued_manual_printed_once(app: TestApp) {
        let first = public_manual(&app).await;
        let text = pdftotext(&first);
        let this_year = prongsai::thai::FiscalYear::of(prongsai::lending::today()).be();
        assert!(text.contains(&format!("ประจำปีงบประมาณพ.ศ.{}", thai_year(this_year))));
        for name in borrowers(&app).await {
            assert!(!text.contains(&name), "the public manual names {name}");
        }
        assert_eq!(public_manual(&app).await, first, "byte-identical on every request");
        assert_eq!(app.count("SELECT COUNT(*) FROM lending_manuals WHERE pdf IS NULL").await, 0, "printed once and kept");
    }

    async fn an_organization_that_issued_no_manual_gets_a_thai_page_saying_so(app: TestApp) {
        let r = app.get(&format!("/o/{}/lending/manual.pdf", app.org_b.slug)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let page = r.text().await.unwrap();
        assert!(page.contains("ยังไม่ได้ประกาศใช้คู่มือการยืม-คืนพัสดุ"), "{page}");
    }

    async fn the_head_of_the_agency_issues_the_manual_on_the_staff_page_and_supplies_may_not(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let fields = [("fiscal_year", "๒๕๖๗"), ("approved_on", "2/10/2566"), ("approver_name", "นายประเสริฐ วงศ์คำ"), ("approver_position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน")];
        assert_eq!(app.post_form("/app/lending/manual", &csrf, &fields).await.status(), StatusCode::FORBIDDEN);
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let mut late = fields;
        late[1] = ("approved_on", "1/10/2567");
        let r = app.post_form("/app/lending/manual", &csrf, &late).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("วันที่อนุมัติ") && page.contains("นายประเสริฐ วงศ์คำ"), "names the field and keeps what was typed");
        let r = app.post_form("/app/lending/manual", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text("/app/lending/manual").await;
        assert!(page.contains("๒๕๖๗") && page.contains("๒ ตุลาคม ๒๕๖๖"));
        let text = pdftotext(&public_manual(&app).await);
        assert!(text.contains("ประจำปีงบประมาณพ.ศ.๒๕๖๗"), "the last issued version is published");
    }

    async fn the_list_of_items_still_out_and_the_versions_are_for_the_organizations_own_staff_only(app: TestApp) {
        let out: Vec<(String,)> = sqlx::query_as("SELECT borrower_name FROM loans WHERE org_id = $1 AND status = 'handed_over'")
            .bind(app.org_a.id.0)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        let name: String = out.first().expect("the demo has a loan out").0.chars().filter(|c| !c.is_whitespace()).collect();
        let anonymous = new_client().get(app.url("/app/lending/outstanding.pdf")).send().await.unwrap();
        assert_redirect_to(&anonymous, "/login");
        let (version,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM lending_manuals WHERE org_id = $1")
            .bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        app.login(OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/lending/manuals/{version}")).await.status(), StatusCode::NOT_FOUND, "another organization's version");
        let r = app.get("/app/lending/outstanding.pdf").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(!pdftotext(&r.bytes().await.unwrap()).contains(&name), "another organization sees only its own");
        app.login(DEMO_STAFF).await;
        let r = app.get("/app/lending/outstanding.pdf").await;
        assert!(pdftotext(&r.bytes().await.unwrap()).contains(&name), "the organization's staff see who has what");
    }
}
