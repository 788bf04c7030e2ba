//! Complaints (issue 17), on both engines: a corruption complaint reaches only the designated
//! officers outside the accused division (everyone else gets 404 and does not find it in lists or
//! counts); the complainant's identity is never public nor in the audit log; filings are limited
//! per address (IPv6 by /64); photos are checked by their content.

use prongsai::auth::Role;
use prongsai::auth::users::{self, NewUser};
use prongsai::thai::{Digits, format_int};
use reqwest::StatusCode;

use crate::complaints::{SLUG, code_of, element, file, file_at, id_of, public};
use crate::harness::TestApp;

async fn division(app: &TestApp, name: &str) -> i64 {
    app.count(&format!("SELECT id FROM divisions WHERE org_id = {} AND name = '{name}'", app.org_a.id.0)).await
}

async fn add_user(app: &TestApp, username: &str, division_id: i64) -> i64 {
    let new = NewUser {
        org: app.org_a.id,
        username,
        display_name: username,
        password: crate::harness::PASSWORD,
        role: Role::Staff,
        division_id: Some(division_id),
    };
    users::create(&app.db, &new, "test").await.unwrap().id
}

async fn stored(app: &TestApp) -> (i64, i64) {
    (app.count("SELECT COUNT(*) FROM complaints").await, app.count("SELECT COUNT(*) FROM complaint_photos").await)
}

fn png() -> Vec<u8> {
    [&b"\x89PNG\r\n\x1a\n"[..], &[7; 3000][..], b"\0\0\0\0IEND\xaeB`\x82"].concat()
}

crate::on_both_databases! {
    async fn a_corruption_complaint_is_seen_only_by_designated_officers_outside_the_accused_division(app: TestApp) {
        let mut app = app;
        let works = division(&app, "กองช่าง").await;
        let integrity = add_user(&app, "integrity", division(&app, "สำนักปลัด").await).await;
        let engineer = add_user(&app, "engineer", works).await;
        let csrf = app.login("admin").await;
        for user in [integrity, engineer] {
            let r = app.post_form("/app/complaints/settings/officers", &csrf, &[("user_id", &user.to_string()), ("on", "1")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let r = file(&app, &[
            ("category", "corruption"),
            ("subject", "เรียกรับเงินค่าตรวจรับงาน"),
            ("accused_division", &works.to_string()),
            ("identity", "named"),
            ("name", "นางสาวแจ้ง เบาะแส"),
            ("phone", "089-999-0000"),
            ("consent", "1"),
        ]).await;
        let code = code_of(&r);
        let id = id_of(&app, &code).await;
        // Made overdue, so it would show in the executive's badge if it leaked.
        app.raw_sql(&format!("UPDATE complaints SET due_on = 20200101 WHERE id = {id}")).await.unwrap();
        let org = app.org_a.id.0;
        let others = app.count(&format!("SELECT COUNT(*) FROM complaints WHERE org_id = {org} AND category <> 'corruption'")).await;
        let all = app.count(&format!("SELECT COUNT(*) FROM complaints WHERE org_id = {org}")).await;

        app.login("integrity").await;
        let page = app.get_text(&format!("/app/complaints/{id}")).await;
        assert!(page.contains("นางสาวแจ้ง เบาะแส") && page.contains("0899990000"), "the designated officer sees who: {page}");
        let list = app.get_text("/app/complaints").await;
        assert!(list.contains("เรียกรับเงินค่าตรวจรับงาน"));
        assert!(list.contains(&format!("จาก {}", format_int(all, Digits::Thai))), "{list}");
        // They act on it whatever their role allows elsewhere; the accused division is refused.
        let csrf = crate::harness::csrf_in(&page);
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&format!("/app/complaints/{id}/assign"), &csrf, &[("division_id", &works.to_string())]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        for user in ["admin", "supplies", "executive", "engineer"] {
            app.login(user).await;
            assert_eq!(app.get(&format!("/app/complaints/{id}")).await.status(), StatusCode::NOT_FOUND, "{user}");
            let list = app.get_text("/app/complaints").await;
            assert!(!list.contains("เรียกรับเงิน") && !list.contains(&code[..4]), "{user} lists it");
            assert!(list.contains(&format!("จาก {}", format_int(others, Digits::Thai))), "{user} counts it: {list}");
            let overdue = app.get_text("/app/complaints?status=overdue").await;
            assert!(!overdue.contains("เรียกรับเงิน"), "{user}");
            let audit = app.get_text("/app/audit").await;
            assert!(!audit.contains("แจ้ง เบาะแส") && !audit.contains("0899990000"), "{user} reads the identity in the audit");
        }
        // The executive's badge counts the overdue complaints they may see: the demo's one.
        app.login("executive").await;
        let nav = app.get_text("/app/complaints").await;
        let visible_overdue = app.count(&format!(
            "SELECT COUNT(*) FROM complaints WHERE org_id = {org} AND category <> 'corruption' AND status <> 'closed' AND due_on < {}",
            prongsai::documents::day_number(prongsai::thai::today_in_thailand())
        )).await;
        assert!(visible_overdue >= 1);
        assert!(nav.contains(&format!("aria-label=\"เกินกำหนด {} เรื่อง\"", format_int(visible_overdue, Digits::Thai))), "{nav}");
        // The audit log keeps a hash of the identity, never the identity.
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%0899990000%' OR after_json LIKE '%เบาะแส%'").await, 0);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'complaint' AND entity_id = '{id}' AND after_json LIKE '%identity_sha256%'")).await, 1);
        // Ending a designation takes the complaint away.
        let csrf = app.login("admin").await;
        let r = app.post_form("/app/complaints/settings/officers", &csrf, &[("user_id", &integrity.to_string()), ("on", "0")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        app.login("integrity").await;
        assert_eq!(app.get(&format!("/app/complaints/{id}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn an_anonymous_complaint_keeps_no_identity_and_a_named_one_shows_it_nowhere_public(app: TestApp) {
        let mut app = app;
        // Anonymous, with the identity fields filled in by mistake: nothing of them is kept.
        let code = code_of(&file(&app, &[("identity", "anonymous"), ("name", "นายไม่ประสงค์ ออกนาม"), ("phone", "0812223333")]).await);
        let id = id_of(&app, &code).await;
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM complaints WHERE id = {id} AND anonymous = 1 AND name = '' AND phone = ''")).await, 1);
        let named = code_of(&file(&app, &[("identity", "named"), ("name", "นางมีชื่อ ติดต่อได้"), ("phone", "0814445555"), ("line_id", "meechue"), ("line_consent", "1"), ("consent", "1")]).await);
        assert_eq!(app.count("SELECT COUNT(*) FROM complaints WHERE line_id = 'meechue' AND line_consent = 1").await, 1);
        for path in [
            format!("/o/{SLUG}/complaints/{code}"),
            format!("/o/{SLUG}/complaints/{named}"),
            format!("/o/{SLUG}/complaints/stats"),
            format!("/o/{SLUG}/complaints"),
        ] {
            let page = public(&app, &path).await.text().await.unwrap();
            for private in ["ไม่ประสงค์", "0812223333", "นางมีชื่อ", "0814445555", "meechue"] {
                assert!(!page.contains(private), "{private} on {path}");
            }
        }
        app.login("supplies").await;
        let staff = app.get_text(&format!("/app/complaints/{id}")).await;
        assert!(element(&staff, "complainant").contains("ไม่ระบุชื่อ"));
        // Named without consent or any contact: refused, naming the fields, nothing stored.
        let before = app.count("SELECT COUNT(*) FROM complaints").await;
        let r = file(&app, &[("identity", "named"), ("name", "นายลืม ติ๊ก")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("กรุณาให้ช่องทางติดต่ออย่างน้อยหนึ่งช่องทาง") && page.contains("กรุณายินยอมให้เก็บชื่อ"), "{page}");
        assert!(page.contains("value=\"นายลืม ติ๊ก\""), "the form comes back as typed");
        let r = file(&app, &[("subject", ""), ("body", &"ก".repeat(5001))]).await;
        let page = r.text().await.unwrap();
        assert!(page.contains("กรุณากรอกหัวเรื่อง") && page.contains("ข้อความยาวเกิน ๕,๐๐๐ ตัวอักษร"), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM complaints").await, before);
    }

    async fn a_sixth_filing_in_an_hour_from_one_address_gets_429_in_thai(app: TestApp) {
        for n in 0..5 {
            assert_eq!(file(&app, &[("subject", &format!("เรื่องที่ {n}"))]).await.status(), StatusCode::SEE_OTHER);
        }
        let r = file(&app, &[]).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        assert!(r.text().await.unwrap().contains("ยื่นเรื่องร้องเรียนจากเครื่องนี้ครบ ๕ ครั้งในหนึ่งชั่วโมงแล้ว"));

        // Behind a trusted proxy: IPv6 addresses of one /64 share the limit, another /64 does not.
        let (proxied, _stop) = app.second_server_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
        let client = crate::harness::new_client();
        for n in 1..=5 {
            let r = file_at(&client, &proxied, &[], Vec::new(), Some(&format!("2001:db8:1:2::{n}"))).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let r = file_at(&client, &proxied, &[], Vec::new(), Some("2001:db8:1:2:ffff::9")).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the same /64");
        let r = file_at(&client, &proxied, &[], Vec::new(), Some("2001:db8:1:3::1")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "another /64");
    }

    async fn a_photo_that_is_not_an_image_or_is_cut_short_is_refused_by_name_and_nothing_is_stored(app: TestApp) {
        let mut app = app;
        let client = crate::harness::new_client();
        let base = app.url("");
        let before = stored(&app).await;
        let pdf = b"%PDF-1.4 not a photo\n%%EOF\n".to_vec();
        let r = file_at(&client, &base, &[], vec![("ok.png", png()), ("scan.png", pdf)], None).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ไฟล์ &#34;scan.png&#34; ไม่ใช่รูปภาพที่รับ"));
        let cut = png()[..2000].to_vec();
        let r = file_at(&client, &base, &[], vec![("half.png", cut)], None).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ไฟล์ &#34;half.png&#34; ไม่ครบ"));
        let six = (0..6).map(|_| ("p.png", png())).collect();
        let r = file_at(&client, &base, &[], six, None).await;
        assert!(r.text().await.unwrap().contains("แนบรูปได้ไม่เกิน ๕ รูป"));
        assert_eq!(stored(&app).await, before, "nothing stored");

        let code = code_of(&file_at(&client, &base, &[], vec![("road.png", png())], None).await);
        let id = id_of(&app, &code).await;
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM complaint_photos WHERE complaint_id = {id}")).await, 1);
        // Added later with information, while the case is open; a bad one is refused by name.
        let add = |photos: Vec<(&'static str, Vec<u8>)>| {
            let mut form = reqwest::multipart::Form::new().text("body", "เพิ่มรูปหลังฝนตก");
            for (name, bytes) in photos {
                form = form.part("photos", reqwest::multipart::Part::bytes(bytes).file_name(name));
            }
            client.post(app.url(&format!("/o/{SLUG}/complaints/{code}/info"))).multipart(form).send()
        };
        let r = add(vec![("after.jpg", png())]).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("after.jpg"));
        assert_eq!(add(vec![("after.png", png())]).await.unwrap().status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM complaint_photos WHERE complaint_id = {id}")).await, 2);
        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        assert!(page.contains("เพิ่มรูปหลังฝนตก") && page.contains("แนบรูป ๑ รูป"));
        app.login("supplies").await;
        let photo = app.count(&format!("SELECT MIN(id) FROM complaint_photos WHERE complaint_id = {id}")).await;
        let r = app.get(&format!("/app/complaints/{id}/photos/{photo}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.bytes().await.unwrap().to_vec(), png());
        app.login(crate::harness::OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/complaints/{id}/photos/{photo}")).await.status(), StatusCode::NOT_FOUND);
    }
}
