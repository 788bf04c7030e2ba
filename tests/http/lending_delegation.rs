//! Delegation orders (คำสั่งมอบอำนาจ) and holding units: who may approve, on both engines.

use chrono::Duration;
use prongsai::auth::Role;
use prongsai::auth::users::{self, NewUser, User};
use prongsai::lending::loans::{self, LoanRequest};
use prongsai::lending::rules::UseType;
use prongsai::lending::{LoanId, today};
use reqwest::StatusCode;

use crate::harness::{PASSWORD, TestApp, cli_ok, prongsai_cli};
use crate::lending_todo::{item, section_loans, user};

async fn new_user(app: &TestApp, username: &str, name: &str, role: Role) -> User {
    users::create(
        &app.db,
        &NewUser { org: app.org_a.id, username, display_name: name, password: PASSWORD, role, division_id: None },
        "test",
    )
    .await
    .unwrap()
}

/// A request by `by` for the item, `use_type`, next week.
async fn file(app: &TestApp, by: &User, asset: &str, use_type: UseType, week: i64) -> LoanId {
    let start = today() + Duration::days(7 * week);
    let req = LoanRequest {
        item_id: item(app, asset).await,
        borrower_user_id: None,
        borrower_name: "นายภายนอก ทดสอบ".into(),
        borrower_position: String::new(),
        borrower_unit: "หมู่ 5".into(),
        borrower_is_agency: use_type == UseType::Agency,
        quantity: 1,
        urgent_need: false,
        use_type,
        purpose: "ประชุมชี้แจงโครงการ".into(),
        place_of_use: "ศาลาหมู่ 5".into(),
        start,
        due: start + Duration::days(1),
    };
    loans::request(&app.db, app.org_a.id, &req, by, today()).await.unwrap().unwrap()
}

fn th(day: chrono::NaiveDate) -> String {
    prongsai::thai::format_date_medium(day, prongsai::thai::Digits::Thai)
}

/// Records an order as the logged-in user; returns the response.
async fn order(
    app: &TestApp,
    csrf: &str,
    from: i64,
    to: i64,
    use_type: &str,
    number: &str,
    days: (i64, i64),
) -> reqwest::Response {
    let (from, to) = (from.to_string(), to.to_string());
    let (first, last) = (th(today() + Duration::days(days.0)), th(today() + Duration::days(days.1)));
    app.post_form(
        "/app/lending/delegations",
        csrf,
        &[
            ("from_user", from.as_str()),
            ("to_user", to.as_str()),
            (use_type, "yes"),
            ("order_number", number),
            ("order_day", first.as_str()),
            ("from", first.as_str()),
            ("to", last.as_str()),
        ],
    )
    .await
}

async fn approve(app: &TestApp, csrf: &str, loan: LoanId) -> StatusCode {
    app.post_form(&format!("/app/lending/loans/{}/act", loan.0), csrf, &[("action", "approve")]).await.status()
}

crate::on_both_databases! {
    async fn a_delegate_approves_in_the_orders_use_types_and_dates_only(app: TestApp) {
        let mayor = user(&app, DEMO_EXECUTIVE).await;
        let admin = user(&app, DEMO_ADMIN).await;
        let deputy = new_user(&app, "deputy", "ปลัด ทดสอบ", Role::Executive).await;
        let early = new_user(&app, "early", "รองปลัด ก่อนกำหนด", Role::Executive).await;
        let late = new_user(&app, "late", "รองปลัด หมดอายุ", Role::Executive).await;
        // Staff without the power to sign orders cannot record one.
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(order(&app, &csrf, mayor.id, deputy.id, "outside", "1/2569", (-1, 10)).await.status(), StatusCode::FORBIDDEN);
        // The admin records three orders from the head of the agency: in force, not yet, expired.
        let csrf = app.login(DEMO_ADMIN).await;
        for (to, number, days) in [(&deputy, "15/2569", (-1, 10)), (&early, "16/2569", (5, 10)), (&late, "17/2569", (-10, -1))] {
            let r = order(&app, &csrf, mayor.id, to.id, "outside", number, days).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        }
        let r = order(&app, &csrf, mayor.id, mayor.id, "outside", "18/2569", (0, 1)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "nobody delegates to themselves");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'delegation' AND action = 'create'").await, 4, "three here, one in the demo");
        let page = app.get_text("/app/lending/delegations").await;
        assert!(page.contains("15/2569") && page.contains("ปลัด ทดสอบ") && page.contains("มีผลวันนี้"), "{page}");
        // Requests outside the premises (the mayor approves) and to another agency.
        let outside = file(&app, &admin, "416-66-0002", UseType::Outside, 1).await;
        let agency = file(&app, &admin, "416-63-0008", UseType::Agency, 1).await;
        // The deputy has it on their list, is named as one who may act, and approves it.
        let csrf = app.login("deputy").await;
        let todo = app.get_text("/app/lending/todo").await;
        assert!(section_loans(&todo, "todo-approve").contains(&outside.0), "{todo}");
        assert!(!section_loans(&todo, "todo-approve").contains(&agency.0), "the order does not cover agencies");
        let page = app.get_text(&format!("/app/lending/loans/{}", outside.0)).await;
        assert!(page.contains("ปลัด ทดสอบ") && page.contains(r#"name="action" value="approve""#), "{page}");
        assert_eq!(approve(&app, &csrf, agency).await, StatusCode::FORBIDDEN);
        // Not yet in force, and expired: neither listed nor allowed.
        for who in ["early", "late"] {
            let csrf = app.login(who).await;
            assert!(section_loans(&app.get_text("/app/lending/todo").await, "todo-approve").is_empty(), "{who}");
            assert_eq!(approve(&app, &csrf, outside).await, StatusCode::FORBIDDEN, "{who}");
        }
        let csrf = app.login("deputy").await;
        assert_eq!(approve(&app, &csrf, outside).await, StatusCode::SEE_OTHER);
        // The approval records the order it relied on, in the loan and in the audit.
        let (order_id,): (i64,) = sqlx::query_as("SELECT id FROM delegations WHERE order_number = '15/2569'").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(app.count(&format!("SELECT delegation_id FROM loans WHERE id = {}", outside.0)).await, order_id);
        let (after,): (String,) = sqlx::query_as("SELECT after_json FROM audit_log WHERE entity = 'loan' AND entity_id = $1 AND action = 'approve'")
            .bind(outside.0.to_string()).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&after).unwrap()["delegation"], order_id);
        // The form says in whose stead and by which order.
        let pdf = app.get(&format!("/app/lending/loans/{}/form.pdf", outside.0)).await.bytes().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("form.pdf"), &pdf).unwrap();
        let text = crate::text_input::pdf_text(&dir.path().join("form.pdf"));
        assert!(text.contains("ปฏิบัติราชการแทน") && text.contains("๑๕/๒๕๖๙"), "{text}");
        // Another organization sees no order and cannot name this organization's people.
        let csrf = app.login(OTHER_ADMIN).await;
        let page = app.get_text("/app/lending/delegations").await;
        assert!(!page.contains("15/2569") && page.contains("ยังไม่มีคำสั่งมอบอำนาจ"));
        assert_eq!(order(&app, &csrf, mayor.id, deputy.id, "outside", "1/2569", (0, 1)).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM delegations WHERE org_id = {}", app.org_b.id.0)).await, 0);
    }

    async fn the_head_of_the_holding_unit_approves_use_inside(app: TestApp) {
        new_user(&app, "works-head", "หัวหน้ากองช่าง ทดสอบ", Role::Staff).await;
        let clerk = new_user(&app, "clerk", "นายเสมียน ขยัน", Role::Staff).await;
        // The ladder is held by กองช่าง, whose head the operator records with the CLI.
        app.raw_sql(&format!(
            "UPDATE items SET division_id = (SELECT id FROM divisions WHERE org_id = {0} AND name = 'กองช่าง') WHERE asset_number = '416-62-0011' AND org_id = {0}",
            app.org_a.id.0
        )).await.unwrap();
        cli_ok(&prongsai_cli(&app.db_url, &["lending", "duties", "--org", &app.org_a.slug, "--username", "works-head", "--duties", "", "--heads", "กองช่าง"]));
        let works = user(&app, "works-head").await;
        let ladder = file(&app, &clerk, "416-62-0011", UseType::Inside, 1).await;
        // Not the head of supplies (another unit's head), but the head of กองช่าง.
        let csrf = app.login(DEMO_STAFF).await;
        assert!(!section_loans(&app.get_text("/app/lending/todo").await, "todo-approve").contains(&ladder.0));
        assert_eq!(approve(&app, &csrf, ladder).await, StatusCode::FORBIDDEN);
        let csrf = app.login("works-head").await;
        let page = app.get_text(&format!("/app/lending/loans/{}", ladder.0)).await;
        assert!(page.contains("หัวหน้ากองช่าง ทดสอบ"), "who must act names the unit's head: {page}");
        assert!(section_loans(&app.get_text("/app/lending/todo").await, "todo-approve").contains(&ladder.0));
        assert_eq!(approve(&app, &csrf, ladder).await, StatusCode::SEE_OTHER);
        // Items of units without a recorded head still go to the head of supplies.
        let screen = file(&app, &clerk, "416-66-0002", UseType::Inside, 2).await;
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(approve(&app, &csrf, screen).await, StatusCode::SEE_OTHER);
        // The unit's only head asking for the unit's item: it goes up to the head of the agency.
        let own = file(&app, &works, "416-62-0011", UseType::Inside, 3).await;
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM loans WHERE id = {} AND required_duty = 'org_head' AND escalation = 'requester_is_approver'", own.0)).await, 1);
    }

    async fn a_rule_below_clause_208_stands_only_where_a_delegation_order_covers_it(app: TestApp) {
        // The demo's order: the head of the agency lets the head of supplies approve loans to other agencies.
        let csrf = app.login(DEMO_ADMIN).await;
        let fields = |outside: &'static str, agency: &'static str| vec![
            ("max_loan_days", "10"), ("follow_up_days", "7"), ("remind_days_before_due", "2"),
            ("approver_inside", "supplies_head"), ("approver_outside", outside), ("approver_agency", agency),
            ("holidays", ""), ("extra_rules", ""),
        ];
        let r = app.post_form("/app/lending/rules", &csrf, &fields("supplies_head", "org_head")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "no order covers use outside");
        let r = app.post_form("/app/lending/rules", &csrf, &fields("org_head", "supplies_head")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the demo's order covers loans to agencies");
        // Without the order in force, the stored rule falls back to the regulation's approver.
        app.raw_sql("UPDATE delegations SET to_day = from_day").await.unwrap();
        let page = app.get_text("/app/lending/rules").await;
        let agency = &page[page.find("id=\"approver_agency\"").unwrap()..];
        let selected = &agency[..agency.find("</select>").unwrap()];
        assert!(selected.contains(r#"value="org_head" selected"#), "{selected}");
    }
}
