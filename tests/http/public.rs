use reqwest::StatusCode;

crate::on_both_databases! {
    async fn the_public_site_links_the_organizations_ita_report(app: TestApp) {
        let index = app.get_text("/").await;
        assert!(index.contains("/o/mae-khatuan/"));
        let home = app.get_text("/o/mae-khatuan/").await;
        assert!(home.contains("องค์การบริหารส่วนตำบลแม่คะตวน"));
        assert!(home.contains("/o/mae-khatuan/ita/2566/measures"));
        assert!(home.contains("พ.ศ. ๒๕๖๖"));
    }

    async fn the_public_html_report_shows_the_seed_in_thai_digits(app: TestApp) {
        let r = app.get("/o/mae-khatuan/ita/2566/measures").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        let page = without_word_marks(&r.text().await.unwrap());
        for text in [
            "รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส",
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            "จัดทำคู่มือมาตรฐานการปฏิบัติงาน (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ)",
            "๔. เผยแพร่คู่มือ ผ่าน",
            "กองคลัง",
            "มี.ค. – เม.ย.",
            "ผลการประเมินความพึงพอใจอยู่ในระดับ มาก",
            "(ตัวชี้วัดที่ ๘ การปรับปรุงระบบการทำงาน)",
        ] {
            assert!(page.contains(text), "missing {text}");
        }
        assert!(!page.contains("<style>"), "the served page links its stylesheet (strict CSP)");
    }

    async fn the_public_pdf_is_served_inline(app: TestApp) {
        let r = app.get("/o/mae-khatuan/ita/2566/measures.pdf").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    }

    async fn unknown_organizations_and_years_are_not_found(app: TestApp) {
        assert_eq!(app.get("/o/no-such-org/").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/mae-khatuan/ita/2560/measures").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/mae-khatuan/ita/abc/measures.pdf").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/other-town/ita/2566/measures").await.status(), StatusCode::NOT_FOUND);
    }

    async fn the_public_site_publishes_the_audit_chain_head(app: TestApp) {
        let (seq, hash): (i64, String) = sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain WHERE org_id = $1")
            .bind(app.org_a.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let page = app.get_text("/o/mae-khatuan/audit").await;
        assert!(page.contains(&hash));
        let head: serde_json::Value = app.get("/o/mae-khatuan/audit/head").await.json().await.unwrap();
        assert_eq!(head["entries"], seq);
        assert_eq!(head["last_hash"], hash.as_str());
        // A new change moves the published head.
        prongsai::orgs::store::set_digits(&app.db, app.org_a.id, prongsai::thai::Digits::Arabic, "test").await.unwrap();
        let moved: serde_json::Value = app.get("/o/mae-khatuan/audit/head").await.json().await.unwrap();
        assert_eq!(moved["entries"], seq + 1);
        assert_ne!(moved["last_hash"], hash.as_str());
    }
}
