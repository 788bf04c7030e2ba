//! The lending documents as an operator prints them, read back with real readers.

use std::process::Command;

use reqwest::StatusCode;

fn prongsai(app: &crate::harness::TestApp, public_url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(args)
        .env("DATABASE_URL", app.db_url.expose())
        .env("PRONGSAI_PUBLIC_URL", public_url)
        .env("PRONGSAI_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext").args(["-raw"]).arg(path).arg("-").output().expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap()
}

crate::on_both_databases! {
    async fn every_qr_label_decodes_to_its_items_public_url(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("labels.pdf");
        prongsai(&app, "https://maekhatuan.example.go.th", &["lending", "labels", "--org", "mae-khatuan", "--out", pdf.to_str().unwrap()]);
        let png = dir.path().join("page");
        let status = Command::new("pdftoppm").args(["-r", "200", "-png"]).arg(&pdf).arg(&png).status().unwrap();
        assert!(status.success());
        let mut decoded = Vec::new();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "png") {
                let out = Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&path).output().expect("zbar-tools installed");
                decoded.extend(String::from_utf8(out.stdout).unwrap().lines().map(str::to_string));
            }
        }
        decoded.sort();
        let mut expected: Vec<String> = sqlx::query_as::<_, (String,)>("SELECT asset_number FROM items WHERE lendable = 1 AND quantity > 0 AND org_id = $1")
            .bind(app.org_a.id.0)
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(a,)| format!("https://maekhatuan.example.go.th/o/mae-khatuan/items/{a}"))
            .collect();
        expected.sort();
        assert!(expected.len() >= 10);
        assert_eq!(decoded, expected);
        // The code opens the item's public page.
        let first = expected[0].replace("https://maekhatuan.example.go.th", "");
        let page = app.get_text(&first).await;
        assert!(page.contains("เลขครุภัณฑ์") && page.contains("คู่มือการยืม-คืนพัสดุ"));
    }

    async fn the_sop_manual_is_written_from_the_organizations_rules(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.toml");
        std::fs::write(&rules, "max_loan_days = 15\nextra_rules_th = [\"ยื่นคำขอล่วงหน้าอย่างน้อย ๓ วันทำการ\"]\n").unwrap();
        prongsai(&app, "http://x", &["lending", "rules", "--org", "mae-khatuan", "--file", rules.to_str().unwrap()]);
        let pdf = dir.path().join("manual.pdf");
        prongsai(&app, "http://x", &["lending", "manual", "--org", "mae-khatuan", "--out", pdf.to_str().unwrap()]);
        let text: String = pdftotext(&pdf).chars().filter(|c| !c.is_whitespace()).collect();
        for expected in [
            "คู่มือการยืม-คืนพัสดุ",
            "องค์การบริหารส่วนตำบลแม่คะตวน",
            "ระยะเวลายืมแต่ละครั้งไม่เกิน๑๕วัน",
            "ยื่นคำขอล่วงหน้าอย่างน้อย๓วันทำการ",
            "ข้อ๒๑๑",
            "ขั้นตอน",
        ] {
            assert!(text.contains(expected), "manual lacks {expected}");
        }
        assert!(!text.contains("ขั้ขั้"));
        // The public site publishes the same manual.
        let r = app.get("/o/mae-khatuan/lending/manual.pdf").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    }

    async fn a_loan_longer_than_the_local_rule_allows_is_refused(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.toml");
        std::fs::write(&rules, "max_loan_days = 3\n").unwrap();
        prongsai(&app, "http://x", &["lending", "rules", "--org", "mae-khatuan", "--file", rules.to_str().unwrap()]);
        let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-66-0012'").fetch_one(&app.db.pool).await.unwrap();
        let csrf = app.login(DEMO_ADMIN).await;
        let today = prongsai::lending::today();
        let (start, due) = ((today + chrono::Duration::days(1)).to_string(), (today + chrono::Duration::days(9)).to_string());
        let item = item.to_string();
        let fields = [("item_id", item.as_str()), ("borrower_name", "นายเอ"), ("use_type", "inside"), ("purpose", "พ่นหมอกควัน"), ("place_of_use", "หมู่ 4"), ("start", &start), ("due", &due)];
        let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM loans WHERE borrower_name = 'นายเอ'").await, 0);
    }

    async fn the_loans_report_counts_the_period(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("report.pdf");
        let from = (prongsai::lending::today() - chrono::Duration::days(60)).to_string();
        let to = (prongsai::lending::today() + chrono::Duration::days(30)).to_string();
        prongsai(&app, "http://x", &["lending", "report", "--org", "mae-khatuan", "--from", &from, "--to", &to, "--out", pdf.to_str().unwrap()]);
        let text: String = pdftotext(&pdf).chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains("รายงานการยืม-คืนพัสดุ"));
        assert!(text.contains("นายสมชายทองดี") && text.contains("เครื่องขยายเสียงพร้อมลำโพง"));
    }

    async fn a_measure_cites_live_lending_figures_in_its_report(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let year = prongsai::thai::FiscalYear::of(prongsai::lending::today()).be().to_string();
        let r = app.post_form(&format!("/app/measures/new?year={year}"), &csrf, &[("title", "ยืม-คืนพัสดุตามคู่มือ"), ("indicators", "4"), ("results", "๑. มีระบบยืม-คืน")]).await;
        // The save lands on the measure's page with its confirmation (`?saved=1`).
        let location = r.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
        let r = app.post_form(&format!("{location}/figures"), &csrf, &[("figure", "lending.summary"), ("cite", "yes")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let fy = prongsai::thai::FiscalYear::of(prongsai::lending::today());
        let stats = prongsai::lending::stats::stats_for(&app.db, app.org_a.id, fy.start(), fy.end(), prongsai::lending::today()).await.unwrap();
        let line = prongsai::lending::stats::summary_line(&stats, prongsai::thai::Digits::Thai);
        app.publish_report(year.parse().unwrap()).await;
        let page = without_word_marks(&app.get_text(&format!("/o/mae-khatuan/ita/{year}/measures")).await);
        assert!(page.contains(&line), "the report states the figures of its publication: {line}");
        // A new loan changes the figure of the draft and of the next published version.
        let before = stats.loans;
        let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-63-0008'").fetch_one(&app.db.pool).await.unwrap();
        let admin = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_ADMIN, app.org_a.id).await.unwrap().unwrap();
        let head = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_STAFF, app.org_a.id).await.unwrap().unwrap();
        let today = prongsai::lending::today();
        let req = prongsai::lending::loans::LoanRequest {
            item_id: prongsai::lending::ItemId(item), borrower_user_id: None, borrower_name: "นายบี".into(),
            borrower_position: String::new(), borrower_unit: String::new(), borrower_is_agency: false, urgent_need: false,
            use_type: prongsai::lending::rules::UseType::Inside, purpose: "ประชุม".into(), place_of_use: "ห้องประชุม".into(),
            start: today.max(fy.start()), due: today.max(fy.start()), quantity: 1,
        };
        let loan = prongsai::lending::loans::request(&app.db, app.org_a.id, &req, &admin, today).await.unwrap().unwrap();
        let duties = prongsai::lending::duties_of(&app.db, head.id).await.unwrap();
        for action in [prongsai::lending::workflow::Action::Approve, prongsai::lending::workflow::Action::HandOver] {
            prongsai::lending::loans::act(&app.db, app.org_a.id, loan, action, &head, &duties, &Default::default()).await.unwrap().unwrap().unwrap();
        }
        let count = prongsai::thai::format_grouped(before + 1, prongsai::thai::Digits::Thai);
        let figure = format!("ยืม-คืนพัสดุตามคู่มือในปีงบประมาณ {count} ครั้ง");
        assert!(!without_word_marks(&app.get_text(&format!("/o/mae-khatuan/ita/{year}/measures")).await).contains(&figure), "version 1 is kept as published");
        assert!(without_word_marks(&app.get_text(&format!("/app/measures/report?year={year}&format=html")).await).contains(&figure), "the draft has today's figure");
        app.publish_report(year.parse().unwrap()).await;
        let page = without_word_marks(&app.get_text(&format!("/o/mae-khatuan/ita/{year}/measures")).await);
        assert!(page.contains(&figure), "{page}");
    }

    async fn labels_without_a_public_url_are_refused_with_how_to_set_it(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("labels.pdf");
        let labels = |extra: &[&str]| {
            let mut args = vec!["lending", "labels", "--org", "mae-khatuan", "--out", pdf.to_str().unwrap()];
            args.extend_from_slice(extra);
            Command::new(env!("CARGO_BIN_EXE_prongsai"))
                .args(&args)
                .env("DATABASE_URL", app.db_url.expose())
                .env_remove("PRONGSAI_PUBLIC_URL")
                .env("PRONGSAI_LOG", "warn")
                .output()
                .unwrap()
        };
        let out = labels(&[]);
        assert!(!out.status.success(), "no silent labels for http://127.0.0.1:8080");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("PRONGSAI_PUBLIC_URL=") && stderr.contains("--public-url") && stderr.contains("ไม่ได้กำหนดที่อยู่เว็บไซต์สาธารณะ"), "{stderr}");
        assert!(!pdf.exists(), "nothing printed");
        cli_ok(&labels(&["--public-url", "https://maekhatuan.example.go.th/"]));
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    }

    async fn a_decided_and_handed_over_loan_form_names_its_approver_and_officer_once_numbered(app: TestApp) {
        let (id, approver, officer): (i64, String, String) = sqlx::query_as(
            "SELECT l.id, d.display_name, h.display_name FROM loans l JOIN users d ON d.id = l.decided_by
             JOIN users h ON h.id = l.handed_over_by WHERE l.org_id = $1 AND l.status = 'handed_over' ORDER BY l.id LIMIT 1",
        )
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        app.login(DEMO_STAFF).await;
        let r = app.get(&format!("/app/lending/loans/{id}/form.pdf")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("form.pdf");
        std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
        let text: String = pdftotext(&pdf).chars().filter(|c| !c.is_whitespace()).collect();
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let number = prongsai::thai::format_int(id, prongsai::thai::Digits::Thai);
        assert!(text.contains(&format!("เลขที่{number}")) && !text.contains("เลขที่เลขที่"), "{text}");
        assert!(text.contains(&format!("({})", squash(&approver))), "the approver is named: {text}");
        assert!(text.contains(&format!("({})", squash(&officer))), "the officer who handed it over is named");
    }

    async fn an_inter_agency_loan_form_writes_the_agency_as_an_agency(app: TestApp) {
        let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-63-0007' AND org_id = $1")
            .bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let item = item.to_string();
        let csrf = app.login(DEMO_ADMIN).await;
        let (start, due) = ((prongsai::lending::today() + chrono::Duration::days(50)).to_string(), (prongsai::lending::today() + chrono::Duration::days(52)).to_string());
        let fields = [("item_id", item.as_str()), ("borrower_name", "โรงพยาบาลส่งเสริมสุขภาพตำบลแม่คะตวน"), ("use_type", "agency"),
            ("purpose", "รณรงค์ฉีดวัคซีน"), ("place_of_use", "ศาลาหมู่บ้าน หมู่ 2"), ("start", &start), ("due", &due)];
        let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let r = app.get(&format!("{location}/form.pdf")).await;
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("form.pdf");
        std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
        let text: String = pdftotext(&pdf).chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains("หน่วยงานโรงพยาบาลส่งเสริมสุขภาพตำบลแม่คะตวนมีความประสงค์ขอยืมพัสดุ"), "{text}");
        assert!(text.contains("ยืมระหว่างหน่วยงานของรัฐ") && text.contains("(ข้อ๒๐๘(๑))"));
        assert!(!text.contains("ข้าพเจ้า"), "an agency is not a person");
        assert!(!text.contains("ภายนอกสถานที่") && !text.contains("ภายในสถานที่"), "no box of a person's place of use");
        assert!(text.contains("หน่วยงานผู้ยืมต้องส่งคืนพัสดุ") && !text.contains("หรือสูญหายต้องซ่อมแซม"), "the agency's wording, not a person's");
    }
}
