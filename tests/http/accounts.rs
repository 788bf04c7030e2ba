//! Accounts as an operator expects: throttled and audited logins, deactivation, password resets,
//! idle sessions, "log out everywhere", login CSRF, per-organization usernames, no-store pages.

use reqwest::StatusCode;

use crate::harness::*;

const ORG_A: &str = "mae-khatuan";

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE org_id = $1 AND action = $2")
        .bind(app.org_a.id.0)
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

async fn user_id(app: &TestApp, username: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = $1 AND org_id = $2")
        .bind(username)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id.to_string()
}

crate::on_both_databases! {
    async fn five_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused_too(app: TestApp) {
        for _ in 0..4 {
            let r = app.try_login(&app.client, ORG_A, DEMO_STAFF, "wrong-password").await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let r = app.try_login(&app.client, ORG_A, DEMO_STAFF, "wrong-password").await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((250..=300).contains(&wait), "the first lock lasts 5 minutes, not {wait} s");
        assert!(r.text().await.unwrap().contains("กรุณาลองใหม่หลัง"));
        let r = app.try_login(&app.client, ORG_A, DEMO_STAFF, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the right password is refused during the lock");
        assert!(r.headers().contains_key("retry-after"));
        // Another server process on the same database refuses too: the count is not in memory.
        let (second, _stop) = app.second_server().await;
        let other = new_client();
        let page = other.get(format!("{second}/login?org={ORG_A}")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_in(&page);
        let r = other.post(format!("{second}/login"))
            .form(&[("_csrf", csrf.as_str()), ("org", ORG_A), ("username", DEMO_STAFF), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(audit_count(&app, "login_failed").await, 5);
        assert_eq!(audit_count(&app, "lockout").await, 1);
        // When the lock has run out, the right password works and the login is audited.
        app.raw_sql("UPDATE login_throttle SET locked_until = 0").await.unwrap();
        let r = app.try_login(&app.client, ORG_A, DEMO_STAFF, PASSWORD).await;
        assert_redirect_to(&r, "/app");
        assert_eq!(audit_count(&app, "login").await, 1);
        // The next lock-out in a row lasts twice as long.
        for _ in 0..5 {
            app.try_login(&app.client, ORG_A, DEMO_STAFF, "wrong-password").await;
        }
        let (lockouts,): (i64,) = sqlx::query_as("SELECT lockouts FROM login_throttle WHERE subject = 'account:mae-khatuan:supplies'")
            .fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(lockouts, 1, "a successful login clears the account's lock-outs");
    }

    async fn many_failures_from_one_address_lock_it_whatever_x_forwarded_for_says(app: TestApp) {
        // No trusted proxy is configured: a client cannot pick its address with the header.
        for i in 0..30 {
            let page = app.client.get(app.url(&format!("/login?org={ORG_A}"))).send().await.unwrap().text().await.unwrap();
            let csrf = csrf_in(&page);
            let r = app.client.post(app.url("/login"))
                .header("x-forwarded-for", format!("198.51.100.{i}"))
                .form(&[("_csrf", csrf.as_str()), ("org", ORG_A), ("username", &format!("guess{i}")), ("password", "x")])
                .send().await.unwrap();
            let expected = if i < 29 { StatusCode::UNAUTHORIZED } else { StatusCode::TOO_MANY_REQUESTS };
            assert_eq!(r.status(), expected, "attempt {i}");
        }
        let r = app.try_login(&app.client, ORG_A, DEMO_ADMIN, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the address is locked for every account");
        assert_eq!(audit_count(&app, "login_failed").await, 0, "names the organization does not have are only logged");
    }

    async fn the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(app: TestApp) {
        let login_from = |base: String, forwarded: &'static str| async move {
            let client = new_client();
            let page = client.get(format!("{base}/login?org={ORG_A}")).send().await.unwrap().text().await.unwrap();
            let csrf = csrf_in(&page);
            let r = client.post(format!("{base}/login"))
                .header("x-forwarded-for", forwarded)
                .form(&[("_csrf", csrf.as_str()), ("org", ORG_A), ("username", DEMO_STAFF), ("password", PASSWORD)])
                .send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        };
        let last_address = || async {
            let (after,): (String,) = sqlx::query_as("SELECT after_json FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1")
                .fetch_one(&app.db.pool).await.unwrap();
            serde_json::from_str::<serde_json::Value>(&after).unwrap()["address"].as_str().unwrap().to_string()
        };
        // Directly: the header is the client's own claim and is ignored.
        login_from(app.url(""), "203.0.113.5").await;
        assert_eq!(last_address().await, "127.0.0.1");
        // Behind a proxy at 127.0.0.1 that is configured as trusted: the address it forwarded.
        let (proxied, _stop) = app.second_server_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
        login_from(proxied, "10.9.9.9, 203.0.113.5").await;
        assert_eq!(last_address().await, "203.0.113.5");
    }

    async fn a_deactivated_user_is_logged_out_and_refused_like_a_wrong_password(app: TestApp) {
        let staff = new_client();
        assert_redirect_to(&app.try_login(&staff, ORG_A, DEMO_STAFF, PASSWORD).await, "/app");
        let csrf = app.login(DEMO_ADMIN).await;
        let id = user_id(&app, DEMO_STAFF).await;
        let r = app.post_form("/app/users/active", &csrf, &[("user_id", &id), ("active", "0")]).await;
        assert_redirect_to(&r, "/app/users");
        assert_redirect_to(&staff.get(app.url("/app/measures")).send().await.unwrap(), "/login");
        let r = app.try_login(&staff, ORG_A, DEMO_STAFF, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("รหัสหน่วยงาน ชื่อผู้ใช้ หรือรหัสผ่านไม่ถูกต้อง"));
        assert!(app.get_text("/app/users").await.contains("ปิดการใช้งาน"));
        let r = app.post_form("/app/users/active", &csrf, &[("user_id", &id), ("active", "1")]).await;
        assert_redirect_to(&r, "/app/users");
        assert_redirect_to(&app.try_login(&staff, ORG_A, DEMO_STAFF, PASSWORD).await, "/app");
        assert_eq!(audit_count(&app, "deactivate").await, 1);
        assert_eq!(audit_count(&app, "reactivate").await, 1);
        // Another organization's user is not found, and nothing changes.
        let (other,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE username = $1").bind(OTHER_ADMIN).fetch_one(&app.db.pool).await.unwrap();
        let r = app.post_form("/app/users/active", &csrf, &[("user_id", &other.to_string()), ("active", "0")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        // Only the admin manages accounts.
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form("/app/users/active", &csrf, &[("user_id", &id), ("active", "0")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }

    async fn the_last_active_admin_cannot_be_deactivated(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let id = user_id(&app, DEMO_ADMIN).await;
        let r = app.post_form("/app/users/active", &csrf, &[("user_id", &id), ("active", "0")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ผู้ดูแลระบบคนสุดท้าย"));
        assert_eq!(app.get("/app/users").await.status(), StatusCode::OK, "still logged in, still admin");
    }

    async fn a_password_reset_by_the_admin_must_be_changed_at_the_next_login(app: TestApp) {
        let staff = new_client();
        assert_redirect_to(&app.try_login(&staff, ORG_A, DEMO_STAFF, PASSWORD).await, "/app");
        let csrf = app.login(DEMO_ADMIN).await;
        let id = user_id(&app, DEMO_STAFF).await;
        let r = app.post_form("/app/users/reset-password", &csrf, &[("user_id", &id)]).await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let start = page.find("คือ ").expect("the temporary password is shown") + "คือ ".len();
        let temporary: String = page[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert_eq!(temporary.len(), 12);
        assert_redirect_to(&staff.get(app.url("/app/measures")).send().await.unwrap(), "/login");
        assert_eq!(app.try_login(&staff, ORG_A, DEMO_STAFF, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_redirect_to(&app.try_login(&staff, ORG_A, DEMO_STAFF, &temporary).await, "/app/password");
        // Every staff page leads to the change-password page until a new password is chosen.
        assert_redirect_to(&staff.get(app.url("/app/measures")).send().await.unwrap(), "/app/password");
        assert_redirect_to(&staff.get(app.url("/app/lending")).send().await.unwrap(), "/app/password");
        let page = staff.get(app.url("/app/password")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("รหัสผ่านชั่วคราว"));
        let csrf = csrf_in(&page);
        let r = staff.post(app.url("/app/password"))
            .form(&[("_csrf", csrf.as_str()), ("current", temporary.as_str()), ("new", "my-own-long-password"), ("repeat", "my-own-long-password")])
            .send().await.unwrap();
        assert_redirect_to(&r, "/login");
        assert_redirect_to(&app.try_login(&staff, ORG_A, DEMO_STAFF, "my-own-long-password").await, "/app");
        assert_eq!(staff.get(app.url("/app/measures")).send().await.unwrap().status(), StatusCode::OK);
        assert_eq!(audit_count(&app, "reset").await, 1);
    }

    async fn an_idle_session_ends_and_log_out_everywhere_ends_them_all(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        app.raw_sql("UPDATE sessions SET last_seen_at = last_seen_at - 3 * 3600").await.unwrap();
        assert_redirect_to(&app.get("/app/measures").await, "/login");
        let phone = new_client();
        assert_redirect_to(&app.try_login(&phone, ORG_A, DEMO_STAFF, PASSWORD).await, "/app");
        let csrf2 = app.login(DEMO_STAFF).await;
        assert_ne!(csrf, csrf2);
        let r = app.post_form("/logout/everywhere", &csrf2, &[]).await;
        assert_redirect_to(&r, "/login");
        assert_redirect_to(&phone.get(app.url("/app/measures")).send().await.unwrap(), "/login");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        assert_eq!(audit_count(&app, "logout_everywhere").await, 1);
    }

    async fn a_login_token_is_refused_with_any_cookie_but_its_own(app: TestApp) {
        // Browser A's token posted from browser B (its own pre-session cookie) is refused.
        let a = new_client();
        let token_a = csrf_in(&a.get(app.url("/login?org=mae-khatuan")).send().await.unwrap().text().await.unwrap());
        let b = new_client();
        b.get(app.url("/login")).send().await.unwrap();
        let r = b.post(app.url("/login"))
            .form(&[("_csrf", token_a.as_str()), ("org", ORG_A), ("username", DEMO_ADMIN), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(r.headers()["x-error-code"], "csrf");
        // A cookie and token an attacker chose together (plain double submit) are refused too.
        let forged = "ab".repeat(32);
        let r = new_client().post(app.url("/login"))
            .header("cookie", format!("prongsai_login={forged}"))
            .form(&[("_csrf", forged.as_str()), ("org", ORG_A), ("username", DEMO_ADMIN), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // The token works with its own cookie, also at another server process (the key is in the
        // database, not in one process's memory).
        let (second, _stop) = app.second_server().await;
        let c = new_client();
        let token_c = csrf_in(&c.get(app.url("/login?org=mae-khatuan")).send().await.unwrap().text().await.unwrap());
        let r = c.post(format!("{second}/login"))
            .form(&[("_csrf", token_c.as_str()), ("org", ORG_A), ("username", DEMO_ADMIN), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_redirect_to(&r, "/app");
        let r = a.post(app.url("/login"))
            .form(&[("_csrf", token_a.as_str()), ("org", ORG_A), ("username", DEMO_ADMIN), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_redirect_to(&r, "/app");
    }

    async fn staff_pages_and_the_login_are_never_cached(app: TestApp) {
        let r = app.get("/login").await;
        assert_eq!(r.headers()["cache-control"], "no-store");
        app.login(DEMO_ADMIN).await;
        for path in ["/app/measures", "/app/users", "/app/lending", "/app/nothing-here"] {
            assert_eq!(app.get(path).await.headers()["cache-control"], "no-store", "{path}");
        }
        // Public pages may be stored, revalidated at each visit (issue 13's public page cache).
        assert_eq!(app.get("/o/mae-khatuan/").await.headers()["cache-control"], "public, no-cache");
    }

    async fn usernames_are_per_organization_and_errors_tell_nothing_about_other_organizations(app: TestApp) {
        // Org B's admin creates "admin", which org A also has: accepted, so nothing leaks.
        let csrf = app.login(OTHER_ADMIN).await;
        let r = app.post_form("/app/users", &csrf, &[("username", DEMO_ADMIN), ("display_name", "ผู้ดูแลอีกคน"), ("role", "staff"), ("password", "b-town-password")]).await;
        assert_redirect_to(&r, "/app/users");
        let b = new_client();
        assert_redirect_to(&app.try_login(&b, "other-town", DEMO_ADMIN, "b-town-password").await, "/app");
        assert!(b.get(app.url("/app/measures")).send().await.unwrap().text().await.unwrap().contains("ผู้ดูแลอีกคน"));
        assert_redirect_to(&app.try_login(&new_client(), ORG_A, DEMO_ADMIN, PASSWORD).await, "/app");
        // The wrong organization gets the same answer as a wrong password.
        let r = app.try_login(&new_client(), "other-town", DEMO_STAFF, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.text().await.unwrap().contains("รหัสหน่วยงาน ชื่อผู้ใช้ หรือรหัสผ่านไม่ถูกต้อง"));
        let r = app.try_login(&new_client(), "no-such-town", DEMO_STAFF, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        // The organization's own link fills in the organization.
        let r = app.get("/o/other-town/login").await;
        assert_redirect_to(&r, "/login?org=other-town");
        let page = app.get_text("/login?org=other-town").await;
        assert!(page.contains("name=\"org\" value=\"other-town\"") && page.contains("เทศบาลตำบลทดสอบ"));
    }

    async fn an_organization_needs_a_name_and_a_kind(app: TestApp) {
        use prongsai::orgs::store::{self, NewOrg, OrgError};
        let new = |name: &'static str, kind: &'static str| NewOrg { slug: "nameless", name, kind, province: "", district: "", divisions: &[] };
        let e = store::create(&app.db, &new("  ", "อบต."), "test").await.unwrap_err();
        assert!(matches!(e, OrgError::MissingName) && e.to_string().contains("ชื่อเต็มของหน่วยงาน"));
        assert!(matches!(store::create(&app.db, &new("อบต.ว่าง", " "), "test").await.unwrap_err(), OrgError::MissingKind));
        assert!(store::find_by_slug(&app.db, "nameless").await.unwrap().is_none());
    }
}
