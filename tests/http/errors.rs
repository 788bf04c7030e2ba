//! Errors say what they are: a Thai page in the site's frame with the right status, and stored
//! codes the program does not know are errors naming their row, never defaults.

use chrono::Duration;
use prongsai::lending::today;
use reqwest::StatusCode;

use crate::harness::*;

/// Files a loan request for the demo's projector as the admin; returns the loan's id.
async fn a_loan(app: &mut TestApp) -> i64 {
    let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-66-0002' AND org_id = $1")
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let csrf = app.login(DEMO_ADMIN).await;
    let (start, due) = ((today() + Duration::days(1)).to_string(), (today() + Duration::days(2)).to_string());
    let item = item.to_string();
    let fields = [
        ("item_id", item.as_str()),
        ("borrower_name", "นายบุญมี ศรีสุข"),
        ("borrower_position", "นักวิชาการ"),
        ("borrower_unit", "กองช่าง"),
        ("use_type", "inside"),
        ("purpose", "ประชุม"),
        ("place_of_use", "ห้องประชุม"),
        ("start", start.as_str()),
        ("due", due.as_str()),
    ];
    let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

crate::on_both_databases! {
    async fn a_missing_page_is_a_thai_page_in_the_sites_frame(app: TestApp) {
        let r = app.get("/o/no-such-town/").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.headers()["x-error-code"], "not_found");
        let page = r.text().await.unwrap();
        assert!(page.contains("class=\"brand\"") && page.contains("ไม่พบข้อมูลที่ต้องการ"), "{page}");
        assert!(page.contains("href=\"/\""), "a link back");
    }

    async fn a_role_without_permission_is_403_and_a_wrong_state_is_409(app: TestApp) {
        let loan = a_loan(&mut app).await;
        let act = format!("/app/lending/loans/{loan}/act");
        // The executive may approve but not hand over: a permission.
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let r = app.post_form(&act, &csrf, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(r.headers()["x-error-code"], "forbidden");
        // The supplies head approves; approving again is the loan's state, not a permission.
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(app.post_form(&act, &csrf, &[("action", "approve")]).await.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&act, &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(r.headers()["x-error-code"], "conflict");
    }

    async fn an_unknown_loan_status_in_the_database_is_an_error_not_requested(app: TestApp) {
        let loan = a_loan(&mut app).await;
        app.raw_sql(&format!("UPDATE loans SET status = 'teleported' WHERE id = {loan}")).await.unwrap();
        let r = app.get(&format!("/app/lending/loans/{loan}")).await;
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(r.headers()["x-error-code"], "internal");
        let page = r.text().await.unwrap();
        assert!(page.contains("ระบบขัดข้อง") && !page.contains("teleported"), "details only in the log");
        let e = prongsai::lending::loans::find(&app.db, app.org_a.id, prongsai::lending::LoanId(loan)).await.unwrap_err();
        assert!(format!("{e:#}").contains(&format!("unknown value \"teleported\" in loans.status of row {loan}")), "{e:#}");
    }

    async fn an_unknown_role_in_the_database_is_an_error_not_executive(app: TestApp) {
        app.login(DEMO_STAFF).await;
        // The CHECK constraint stops the application; an intruder or a broken restore does not.
        let mut conn = app.db.pool.acquire().await.unwrap();
        let bypass = match app.backend {
            Backend::Sqlite => "PRAGMA ignore_check_constraints = ON",
            Backend::Postgres => "ALTER TABLE users DROP CONSTRAINT users_role_check",
        };
        sqlx::raw_sql(bypass).execute(&mut *conn).await.unwrap();
        sqlx::raw_sql("UPDATE users SET role = 'superuser' WHERE username = 'supplies'").execute(&mut *conn).await.unwrap();
        if app.backend == Backend::Sqlite {
            sqlx::raw_sql("PRAGMA ignore_check_constraints = OFF").execute(&mut *conn).await.unwrap();
        }
        drop(conn);
        let r = app.get("/app/measures").await;
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "not a page for an executive");
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'supplies'").fetch_one(&app.db.pool).await.unwrap();
        let e = prongsai::auth::users::find_by_id(&app.db, id).await.unwrap_err();
        assert!(e.to_string().contains(&format!("unknown value \"superuser\" in users.role of row {id}")), "{e}");
    }
}
