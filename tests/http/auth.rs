use reqwest::StatusCode;

use crate::harness::*;

crate::on_both_databases! {
    async fn staff_pages_send_a_visitor_without_a_session_to_the_login_page(app: TestApp) {
        let r = app.get("/app/measures").await;
        assert_redirect_to(&r, "/login");
    }

    async fn a_wrong_password_is_refused_with_a_thai_message(app: TestApp) {
        let page = app.get_text("/login").await;
        let csrf = csrf_in(&page);
        let r = app
            .client
            .post(app.url("/login"))
            .form(&[("_csrf", csrf.as_str()), ("username", DEMO_ADMIN), ("password", "wrong-password")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"));
        assert_redirect_to(&app.get("/app/measures").await, "/login");
    }

    async fn a_login_without_the_forms_csrf_token_is_refused(app: TestApp) {
        app.get_text("/login").await;
        let r = app
            .client
            .post(app.url("/login"))
            .form(&[("_csrf", "forged"), ("username", DEMO_ADMIN), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(r.headers()["x-error-code"], "csrf");
    }

    async fn a_logged_in_user_sees_their_organizations_register(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let page = app.get_text("/app/measures?year=2566").await;
        assert!(page.contains("อบต.แม่คะตวน"));
        assert!(page.contains("จัดทำคู่มือมาตรฐานการปฏิบัติงาน"));
        assert!(page.contains("มาตรการ ๓ รายการ"));
    }

    async fn a_post_without_the_sessions_csrf_token_changes_nothing(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let before = app.count("SELECT COUNT(*) FROM measures").await;
        let r = app.post_form("/app/measures/new?year=2566", "not-the-token", &[("title", "มาตรการปลอม")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = app.client.post(app.url("/app/measures/new?year=2566")).form(&[("title", "มาตรการปลอม")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, before);
        assert!(!csrf.is_empty());
    }

    async fn after_logout_the_session_no_longer_opens_staff_pages(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form("/logout", &csrf, &[]).await;
        assert_redirect_to(&r, "/login");
        assert_redirect_to(&app.get("/app/measures").await, "/login");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    }

    async fn sessions_and_passwords_are_stored_only_as_hashes(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE username = 'admin'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let (token_hash,): (String,) = sqlx::query_as("SELECT token_hash FROM sessions").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(token_hash.len(), 64, "a SHA-256 of the cookie's token, not the token");
    }
}
