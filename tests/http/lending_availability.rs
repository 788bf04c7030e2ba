//! One item is never out twice, and every page tells the same truth about it (issue 11, seen 1).

use chrono::Duration;
use prongsai::lending::today;
use reqwest::StatusCode;

use crate::harness::*;

const ASSET: &str = "416-66-0002";

async fn item(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1 AND org_id = $2")
        .bind(ASSET)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

/// Files a request as the admin, for use inside the office, `from`..`to` days from today.
async fn request(app: &mut TestApp, from: i64, to: i64) -> reqwest::Response {
    let item = item(app).await.to_string();
    let (start, due) = ((today() + Duration::days(from)).to_string(), (today() + Duration::days(to)).to_string());
    let csrf = app.login(DEMO_ADMIN).await;
    let fields = [
        ("item_id", item.as_str()),
        ("borrower_name", "นางสาวมณี ใจดี"),
        ("borrower_position", "นักวิชาการ"),
        ("borrower_unit", "สำนักปลัด"),
        ("use_type", "inside"),
        ("purpose", "ประชุมประชาคม"),
        ("place_of_use", "ห้องประชุมสภา"),
        ("start", start.as_str()),
        ("due", due.as_str()),
    ];
    app.post_form("/app/lending/loans", &csrf, &fields).await
}

async fn approved(app: &mut TestApp, from: i64, to: i64) -> i64 {
    let r = request(app, from, to).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let loan: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let csrf = app.login(DEMO_STAFF).await;
    let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    loan
}

async fn step(app: &mut TestApp, loan: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.login(DEMO_STAFF).await;
    app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, fields).await
}

async fn out_count(app: &TestApp) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM loans WHERE item_id = {} AND status = 'handed_over'", item(app).await))
        .await
}

crate::on_both_databases! {
    async fn an_item_handed_over_early_is_not_lent_again_and_the_qr_page_says_it_is_out(app: TestApp) {
        // Booked for days 10–12, approved; the officer tries to hand it over today.
        let later = approved(&mut app, 10, 12).await;
        let r = step(&mut app, later, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "a hand-over before the booked start changes the booking");
        assert_eq!(r.headers()["x-error-code"], "conflict");
        let page = r.text().await.unwrap();
        assert!(page.contains("ก่อนวันเริ่มยืม") && page.contains("ยื่นคำขอใหม่"), "{page}");
        assert_eq!(out_count(&app).await, 0);
        let qr = format!("/o/mae-khatuan/items/{ASSET}");
        assert!(app.get_text(&qr).await.contains("อยู่ในที่เก็บ พร้อมให้ยืม"), "booked for later, on the shelf today");
        // A second loan for days 0–2 is accepted, approved and handed over.
        let now = approved(&mut app, 0, 2).await;
        let r = step(&mut app, now, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(out_count(&app).await, 1);
        // The public QR page and the staff page both say it is out.
        let public = app.get_text(&qr).await;
        assert!(public.contains("ไม่อยู่ในที่เก็บ") && !public.contains("พร้อมให้ยืม"), "{public}");
        let staff = app.get_text(&format!("/app/lending/items/{}", item(&app).await)).await;
        assert!(staff.contains("ไม่อยู่ในที่เก็บ"), "{staff}");
        // Still out: the later loan cannot go, and nobody can book over it.
        assert_eq!(step(&mut app, later, &[("action", "hand_over")]).await.status(), StatusCode::CONFLICT);
        assert_eq!(request(&mut app, 1, 1).await.status(), StatusCode::CONFLICT);
        assert_eq!(out_count(&app).await, 1, "never two loans out on one item");
        // A return cannot be dated in the future.
        let tomorrow = (today() + Duration::days(1)).to_string();
        let r = step(&mut app, now, &[("action", "return"), ("damage", "none"), ("on", &tomorrow)]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ยังมาไม่ถึง"));
        let r = step(&mut app, now, &[("action", "return"), ("damage", "none")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(app.get_text(&qr).await.contains("อยู่ในที่เก็บ พร้อมให้ยืม"));
    }
}
