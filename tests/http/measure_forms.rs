//! Staff pages that never lose typing: the measure's page holds one form (evidence, cited figures
//! and deletion have their own page), a save is confirmed on the page it lands on, and a refused
//! save comes back with everything typed and each error beside its field.

use reqwest::StatusCode;

use crate::harness::*;

/// The `action` of every form in the page's content (the menu's log-out forms left out).
fn form_actions(page: &str) -> Vec<String> {
    let content = &page[page.find("<main").expect("a main element")..];
    content
        .split("<form")
        .skip(1)
        .map(|form| {
            let action = form.split("action=\"").nth(1).expect("a form with an action");
            action[..action.find('"').unwrap()].to_string()
        })
        .collect()
}

/// What the element with `id` holds, up to `end` (its closing tag).
fn element_text<'a>(page: &'a str, id: &str, end: &str) -> &'a str {
    let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in the page"));
    let text = &page[at..];
    &text[text.find('>').unwrap() + 1..text.find(end).unwrap()]
}

async fn first_measure(app: &TestApp) -> i64 {
    let (id,): (i64,) =
        sqlx::query_as("SELECT MIN(m.id) FROM measures m JOIN orgs o ON o.id = m.org_id WHERE o.slug = 'mae-khatuan'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    id
}

crate::on_both_databases! {
    async fn the_measure_page_holds_one_form_and_links_to_its_evidence_page(app: TestApp) {
        app.login(DEMO_STAFF).await;
        let id = first_measure(&app).await;
        let edit = app.get_text(&format!("/app/measures/{id}")).await;
        assert_eq!(form_actions(&edit), [format!("/app/measures/{id}")], "only the measure's own form");
        assert!(edit.contains(&format!(r#"href="/app/measures/{id}/evidence""#)));
        assert!(edit.contains(r#"<script src="/static/unsaved.js" defer></script>"#));
        let new = app.get_text("/app/measures/new?year=2566").await;
        assert_eq!(form_actions(&new), ["/app/measures/new?year=2566"]);

        let evidence = app.get_text(&format!("/app/measures/{id}/evidence")).await;
        let actions = form_actions(&evidence);
        for action in [
            format!("/app/measures/{id}/evidence/link"),
            format!("/app/measures/{id}/figures"),
            format!("/app/measures/{id}/delete"),
        ] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
        assert!(actions.iter().any(|a| a.starts_with(&format!("/app/measures/{id}/evidence/file?_csrf="))), "{actions:?}");
        let script = app.get("/static/unsaved.js").await;
        assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
        assert!(script.text().await.unwrap().contains("beforeunload"));
    }

    async fn saving_a_new_measure_lands_on_its_page_with_a_confirmation(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form("/app/measures/new?year=2566", &csrf, &[("title", "ประกาศเจตจำนงสุจริต"), ("indicators", "5"), ("period", "ตลอดปีงบประมาณ")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(location.ends_with("?saved=1"), "{location}");
        let page = app.get_text(&location).await;
        assert_eq!(element_text(&page, "saved", "</p>"), "บันทึกมาตรการ “ประกาศเจตจำนงสุจริต” แล้ว");
        let plain = app.get_text(location.trim_end_matches("?saved=1")).await;
        assert!(!plain.contains(r#"id="saved""#), "no confirmation without a save");
    }

    async fn a_refused_save_keeps_every_typed_field_with_each_error_beside_it(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let id = first_measure(&app).await;
        let typed = [
            ("title", "ชื่อมาตรการที่พิมพ์ไว้"),
            ("indicators", "4"),
            ("methods", "๑. วิธีที่พิมพ์ไว้\n- ข้อย่อยที่พิมพ์ไว้"),
            ("responsible", "กองคลังที่พิมพ์ไว้"),
            ("period", "ช่วงหน้าฝน"),
            ("results", "๑. ผลที่พิมพ์ไว้"),
            ("outcomes", "๑. ผลลัพธ์ที่พิมพ์ไว้"),
            ("status", "in_progress"),
            ("progress", "๑๕๐"),
        ];
        let before = app.get_text(&format!("/app/measures/{id}")).await;
        let r = app.post_form(&format!("/app/measures/{id}"), &csrf, &typed).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        for (field, value) in typed.iter().filter(|(f, _)| *f != "indicators" && *f != "status") {
            assert!(page.contains(value), "{field}: “{value}” is echoed");
        }
        assert!(page.contains(r#"value="4" checked"#), "the ticked indicator stays ticked");
        assert!(page.contains(r#"<option value="in_progress" selected>"#), "the chosen status stays chosen");
        assert!(element_text(&page, "period-error", "</p>").contains("ระยะเวลาดำเนินการ “ช่วงหน้าฝน” อ่านไม่ได้"));
        assert!(element_text(&page, "progress-error", "</p>").contains("ความคืบหน้าต้องเป็นตัวเลข 0–100"));
        assert!(page.contains(r#"aria-describedby="period-hint period-error" aria-invalid="true""#));
        assert!(page.contains(r#"aria-invalid="true" aria-describedby="progress-error""#));
        let summary = &page[page.find("error-summary").unwrap()..];
        assert!(summary.contains(r##"<a href="#period">"##) && summary.contains(r##"<a href="#progress">"##));
        assert!(page.contains("data-refused"), "the page warns before leaving unsaved text");
        assert!(!page.contains(r#"id="saved""#));
        assert_eq!(app.get_text(&format!("/app/measures/{id}")).await, before, "nothing was saved");
    }

    async fn a_refused_link_comes_back_on_the_evidence_page_beside_its_field(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let id = first_measure(&app).await;
        let path = format!("/app/measures/{id}/evidence/link");
        let r = app.post_form(&path, &csrf, &[("title", "ประกาศที่พิมพ์ไว้"), ("url", "ftp://example")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains(r#"value="ประกาศที่พิมพ์ไว้""#) && page.contains(r#"value="ftp://example""#));
        assert!(element_text(&page, "link-url-error", "</p>").contains("ลิงก์ต้องขึ้นต้นด้วย"));
        let r = app.post_form(&path, &csrf, &[("title", "ประกาศ"), ("url", "https://maekhatuan.go.th/p")]).await;
        assert_redirect_to(&r, &format!("/app/measures/{id}/evidence?done=link"));
        let page = app.get_text(&format!("/app/measures/{id}/evidence?done=link")).await;
        assert!(page.contains("เพิ่มลิงก์หลักฐานแล้ว") && page.contains("https://maekhatuan.go.th/p"));
        let edit = app.get_text(&format!("/app/measures/{id}")).await;
        assert!(element_text(&edit, "evidence-link", "</a>").contains("หลักฐาน (๑ รายการ)"));
    }

    async fn another_organizations_evidence_page_is_not_found(app: TestApp) {
        app.raw_sql(
            "INSERT INTO measures (org_id, fiscal_year, position, title, responsible, status, progress, created_at, updated_at)
             SELECT id, 2566, 1, 'ของอีกหน่วยงาน', '', 'planned', 0, 0, 0 FROM orgs WHERE slug = 'other-town'",
        )
        .await
        .unwrap();
        let (theirs,): (i64,) = sqlx::query_as("SELECT id FROM measures WHERE title = 'ของอีกหน่วยงาน'").fetch_one(&app.db.pool).await.unwrap();
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(app.get(&format!("/app/measures/{theirs}/evidence")).await.status(), StatusCode::NOT_FOUND);
        let r = app.post_form(&format!("/app/measures/{theirs}/evidence/link"), &csrf, &[("title", "x"), ("url", "https://a.b")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 0);
    }
}
