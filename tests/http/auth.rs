use reqwest::StatusCode;

use crate::harness::*;

crate::on_both_databases! {
    async fn staff_pages_send_a_visitor_without_a_session_to_the_login_page(app: TestApp) {
        let r = app.get("/app/measures").await;
        assert_redirect_to(&r, "/login");
    }

    async fn a_wrong_password_is_refused_with_a_thai_message(app: TestApp) {
        let r = app.try_login(&app.client, "mae-khatuan", DEMO_ADMIN, "wrong-password").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("รหัสหน่วยงาน ชื่อผู้ใช้ หรือรหัสผ่านไม่ถูกต้อง"));
        assert_redirect_to(&app.get("/app/measures").await, "/login");
    }

    async fn a_login_without_the_forms_csrf_token_is_refused(app: TestApp) {
        app.get_text("/login").await;
        let r = app
            .client
            .post(app.url("/login"))
            .form(&[("_csrf", "forged"), ("org", "mae-khatuan"), ("username", DEMO_ADMIN), ("password", PASSWORD)])
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

mod admin {
    use reqwest::StatusCode;

    crate::on_both_databases! {
        async fn the_admin_adds_a_user_and_gives_lending_duties_and_an_email(app: TestApp) {
            let csrf = app.login(DEMO_STAFF).await;
            assert_eq!(app.get("/app/users").await.status(), StatusCode::FORBIDDEN);
            assert_eq!(app.post_form("/app/users", &csrf, &[("username", "x1"), ("display_name", "x"), ("password", "long-enough-pass")]).await.status(), StatusCode::FORBIDDEN);
            let csrf = app.login(DEMO_ADMIN).await;
            let r = app.post_form("/app/users", &csrf, &[("username", "somsri"), ("display_name", "นางสมศรี ดีงาม"), ("role", "staff"), ("password", "long-enough-pass")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let r = app.post_form("/app/users", &csrf, &[("username", "somsri"), ("display_name", "ซ้ำ"), ("role", "staff"), ("password", "long-enough-pass")]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().await.unwrap().contains("อยู่แล้ว"), "the duplicate is named");
            let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'somsri'").fetch_one(&app.db.pool).await.unwrap();
            let id_s = id.to_string();
            let r = app.post_form("/app/users/settings", &csrf, &[("user_id", &id_s), ("duties", "supplies_officer"), ("email", "somsri@example.go.th")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let (duties, email): (String, String) = sqlx::query_as("SELECT duties, email FROM users WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
            assert_eq!((duties.as_str(), email.as_str()), ("supplies_officer", "somsri@example.go.th"));
            let r = app.post_form("/app/users/settings", &csrf, &[("user_id", &id_s), ("email", "not an email")]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let (other,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = 'other-admin'").fetch_one(&app.db.pool).await.unwrap();
            let r = app.post_form("/app/users/settings", &csrf, &[("user_id", &other.to_string()), ("duties", "org_head")]).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "another organization's user");
        }

        async fn a_user_changes_their_password_and_old_sessions_end(app: TestApp) {
            let csrf = app.login(DEMO_STAFF).await;
            let other = crate::harness::new_client();
            // A second browser logged in with the old password.
            app.try_login(&other, "mae-khatuan", DEMO_STAFF, PASSWORD).await;
            assert_eq!(other.get(app.url("/app/measures")).send().await.unwrap().status(), StatusCode::OK);
            let r = app.post_form("/app/password", &csrf, &[("current", "wrong"), ("new", "a-new-long-password"), ("repeat", "a-new-long-password")]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let r = app.post_form("/app/password", &csrf, &[("current", PASSWORD), ("new", "short"), ("repeat", "short")]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let r = app.post_form("/app/password", &csrf, &[("current", PASSWORD), ("new", "a-new-long-password"), ("repeat", "a-new-long-password")]).await;
            assert_redirect_to(&r, "/login");
            assert_eq!(other.get(app.url("/app/measures")).send().await.unwrap().status(), StatusCode::SEE_OTHER, "the other session ended");
            assert!(prongsai::auth::users::authenticate(&app.db, app.org_a.id, DEMO_STAFF, "a-new-long-password").await.unwrap().is_some());
            assert!(prongsai::auth::users::authenticate(&app.db, app.org_a.id, DEMO_STAFF, PASSWORD).await.unwrap().is_none());
        }

        async fn the_admin_switches_the_organization_to_arabic_digits(app: TestApp) {
            let csrf = app.login(DEMO_ADMIN).await;
            let r = app.post_form("/app/organization/digits", &csrf, &[("digits", "arabic")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            // Published versions keep their digits: the next version prints the new setting.
            app.publish_report(2566).await;
            let page = app.get_text("/o/mae-khatuan/ita/2566/measures").await;
            assert!(page.contains("พ.ศ. 2566") && !page.contains("๒๕๖๖"));
        }
    }
}
