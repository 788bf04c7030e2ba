//! Items with several units, consumables kept back for the lender's own needs, and returns in
//! parts (issue 11, item 5).

use chrono::Duration;
use prongsai::lending::today;
use reqwest::StatusCode;

use crate::harness::*;

/// Registers an item through the inventory form; returns its id.
async fn new_item(app: &mut TestApp, asset: &str, class: &str, quantity: &str, unit: &str, reserve: &str) -> i64 {
    let csrf = app.login(DEMO_ADMIN).await;
    let fields = [
        ("asset_number", asset),
        ("name", "พัสดุทดสอบจำนวนหลายหน่วย"),
        ("class", class),
        ("quantity", quantity),
        ("count_unit", unit),
        ("reserve", reserve),
        ("lendable", "yes"),
    ];
    let r = app.post_form("/app/lending/items", &csrf, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

/// Files a request as the admin for `units`, `from`..`to` days from today; an agency borrows
/// consumables (ข้อ 210), a person borrows the rest for use inside the office.
async fn request(app: &mut TestApp, item: i64, units: &str, from: i64, to: i64, agency: bool) -> reqwest::Response {
    let item = item.to_string();
    let (start, due) = ((today() + Duration::days(from)).to_string(), (today() + Duration::days(to)).to_string());
    let csrf = app.login(DEMO_ADMIN).await;
    let mut fields = vec![
        ("item_id", item.as_str()),
        ("quantity", units),
        ("borrower_position", ""),
        ("borrower_unit", "หมู่ที่ 3"),
        ("purpose", "ควบคุมโรคไข้เลือดออก"),
        ("place_of_use", "หมู่ที่ 3 บ้านแม่คะตวน"),
        ("start", start.as_str()),
        ("due", due.as_str()),
    ];
    if agency {
        fields.extend([
            ("borrower_name", "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านแม่คะตวน"),
            ("use_type", "agency"),
            ("urgent_need", "yes"),
        ]);
    } else {
        fields.extend([("borrower_name", "นางสาวมณี ใจดี"), ("use_type", "inside")]);
    }
    app.post_form("/app/lending/loans", &csrf, &fields).await
}

fn loan_of(r: &reqwest::Response) -> i64 {
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

async fn step(app: &mut TestApp, who: &str, loan: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.login(who).await;
    app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, fields).await
}

async fn status_of(app: &TestApp, loan: i64) -> String {
    let (s,): (String,) =
        sqlx::query_as("SELECT status FROM loans WHERE id = $1").bind(loan).fetch_one(&app.db.pool).await.unwrap();
    s
}

/// Requested, approved by `approver` and handed over by supplies.
async fn lent(app: &mut TestApp, item: i64, units: &str, agency: bool) -> i64 {
    let loan = loan_of(&request(app, item, units, 0, 2, agency).await);
    let approver = if agency { DEMO_EXECUTIVE } else { DEMO_STAFF };
    assert_eq!(step(app, approver, loan, &[("action", "approve")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(step(app, DEMO_STAFF, loan, &[("action", "hand_over")]).await.status(), StatusCode::SEE_OTHER);
    loan
}

crate::on_both_databases! {
    async fn two_requests_that_together_exceed_the_units_on_hand_on_overlapping_days_the_second_is_refused(app: TestApp) {
        let chairs = new_item(&mut app, "416-69-0050", "durable", "๕๐", "ตัว", "").await;
        let first = request(&mut app, chairs, "30", 0, 2, false).await;
        loan_of(&first);
        // 20 chairs are left on day 2: 25 more from day 2 do not fit, whatever the later days.
        let r = request(&mut app, chairs, "25", 2, 4, false).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let page = r.text().await.unwrap();
        assert!(page.contains("มีพัสดุนี้ว่างให้ยืมเพียง ๒๐ ตัว จากทั้งหมด ๕๐ ตัว แต่ขอยืม ๒๕ ตัว"), "{page}");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM loans WHERE item_id = {chairs}")).await, 1);
        // 20 fit; after the first loan's days all 50 are free again.
        loan_of(&request(&mut app, chairs, "20", 2, 4, false).await);
        loan_of(&request(&mut app, chairs, "50", 5, 6, false).await);
        assert_eq!(request(&mut app, chairs, "1", 0, 0, false).await.status(), StatusCode::SEE_OTHER, "20 left today");
        // The public QR page says how many are free today.
        let qr = app.get_text("/o/mae-khatuan/items/416-69-0050").await;
        assert!(qr.contains("อยู่ในที่เก็บ พร้อมให้ยืม ๑๙ จาก ๕๐ ตัว (จองไว้วันนี้ ๓๑)"), "{qr}");
        assert_eq!(request(&mut app, chairs, "0", 0, 0, false).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn a_consumable_is_not_lent_beyond_what_the_lender_keeps_for_its_own_needs(app: TestApp) {
        let sand = new_item(&mut app, "416-69-0200", "consumable", "200", "ถุง", "100").await;
        let r = request(&mut app, sand, "101", 0, 2, true).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let page = r.text().await.unwrap();
        assert!(page.contains("ให้ยืมได้ไม่เกิน ๑๐๐ ถุง แต่ขอยืม ๑๐๑ ถุง"), "{page}");
        assert!(page.contains("หน่วยงานต้องเหลือไว้ใช้ในราชการ ๑๐๐ ถุง (ข้อ ๒๑๐"), "the refusal names the clause: {page}");
        loan_of(&request(&mut app, sand, "100", 0, 2, true).await);
        let r = request(&mut app, sand, "1", 1, 1, true).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "the reserve is kept on every day");
        // Supplies lowers the reserve to 99: one more sachet may go. A reserve of every unit is refused.
        let path = format!("/app/lending/items/{sand}/reserve");
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(app.post_form(&path, &csrf, &[("reserve", "๙๙")]).await.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&path, &csrf, &[("reserve", "200")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains(r#"id="reserve-error""#) && page.contains(r#"value="200""#), "{page}");
        let csrf = app.login(OTHER_ADMIN).await;
        assert_eq!(app.post_form(&path, &csrf, &[("reserve", "0")]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count(&format!("SELECT reserve FROM items WHERE id = {sand}")).await, 99);
        loan_of(&request(&mut app, sand, "1", 1, 1, true).await);
        // A reserve that leaves nothing to lend is refused when the item is registered.
        let csrf = app.login(DEMO_ADMIN).await;
        let fields = [("asset_number", "416-69-0201"), ("name", "ทรายอะเบท"), ("class", "consumable"), ("quantity", "10"), ("reserve", "10")];
        let r = app.post_form("/app/lending/items", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("จำนวนที่เก็บไว้ใช้ในราชการ"));
    }

    async fn a_loan_returned_in_parts_closes_only_when_every_unit_is_back(app: TestApp) {
        let sand = new_item(&mut app, "416-69-0300", "consumable", "200", "ถุง", "100").await;
        let loan = lent(&mut app, sand, "60", true).await;
        let qr = "/o/mae-khatuan/items/416-69-0300";
        assert!(app.get_text(qr).await.contains("พร้อมให้ยืม ๔๐ จาก ๒๐๐ ถุง"));
        // 40 bags come back in kind: the loan stays out for the other 20.
        let r = step(&mut app, DEMO_STAFF, loan, &[("action", "return"), ("units", "40"), ("damage", "none"), ("note", "ทรายอะเบทชนิดเดียวกัน")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "handed_over");
        let page = app.get_text(&format!("/app/lending/loans/{loan}")).await;
        assert!(page.contains("ค้างส่งคืน ๒๐ ถุง") && page.contains("คืน ๔๐ ถุง สภาพเรียบร้อย (ทรายอะเบทชนิดเดียวกัน)"), "{page}");
        assert!(app.get_text(qr).await.contains("พร้อมให้ยืม ๘๐ จาก ๒๐๐ ถุง"));
        let (returned_at,): (Option<i64>,) = sqlx::query_as("SELECT returned_at FROM loans WHERE id = $1").bind(loan).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(returned_at, None, "not returned until all units are back");
        // More than is out is refused, naming how many are still out.
        let r = step(&mut app, DEMO_STAFF, loan, &[("action", "return"), ("units", "21"), ("damage", "none")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ยังค้างส่งคืนอยู่เพียง ๒๐ ถุง"));
        // The rest (empty = all still out) closes the loan.
        let r = step(&mut app, DEMO_STAFF, loan, &[("action", "return"), ("damage", "none")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "returned");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM loan_returns WHERE loan_id = {loan}")).await, 2);
        assert!(app.get_text(qr).await.contains("พร้อมให้ยืม ๑๐๐ จาก ๒๐๐ ถุง"));
        // A durable loan of three units, one back damaged: settlement once all three are accounted for.
        let tents = new_item(&mut app, "416-69-0301", "durable", "3", "หลัง", "").await;
        let loan = lent(&mut app, tents, "3", false).await;
        assert_eq!(step(&mut app, DEMO_STAFF, loan, &[("action", "return"), ("units", "1"), ("damage", "damaged")]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "handed_over");
        assert_eq!(step(&mut app, DEMO_STAFF, loan, &[("action", "return"), ("units", "2"), ("damage", "none")]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "awaiting_settlement");
        let qr = app.get_text("/o/mae-khatuan/items/416-69-0301").await;
        assert!(qr.contains("พร้อมให้ยืม ๒ จาก ๓ หลัง (รอชดใช้ ๑)"), "{qr}");
    }

    async fn the_demo_lends_a_consumable_by_quantity_and_keeps_a_paid_loss_written_off(app: TestApp) {
        let org = app.org_a.id.0;
        // A consumable lent to another agency, partly returned in kind, on days that follow each other.
        let (loan, quantity, handed, decided): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT l.id, l.quantity, l.handed_over_at, l.decided_at FROM loans l JOIN items i ON i.id = l.item_id
             WHERE i.class = 'consumable' AND l.use_type = 'agency' AND l.status = 'handed_over' AND l.org_id = $1",
        ).bind(org).fetch_one(&app.db.pool).await.unwrap();
        let (back, back_day): (i64, i64) = sqlx::query_as("SELECT quantity, day FROM loan_returns WHERE loan_id = $1")
            .bind(loan).fetch_one(&app.db.pool).await.unwrap();
        assert!(0 < back && back < quantity, "a partial return: {back} of {quantity}");
        assert!(decided <= handed && (handed + 7 * 3600) / 86_400 <= back_day && back_day < prongsai::lending::day_of(today()));
        // A loss settled by payment and written off on the settlement's day, after the return.
        let (item, returned, settled_day, amount, receipt): (i64, i64, i64, i64, String) = sqlx::query_as(
            "SELECT item_id, returned_at, settlement_day, settlement_amount, settlement_receipt FROM loans
             WHERE damage = 'lost' AND settlement = 'pay' AND status = 'closed' AND org_id = $1",
        ).bind(org).fetch_one(&app.db.pool).await.unwrap();
        assert!(amount > 0 && !receipt.is_empty() && (returned + 7 * 3600) / 86_400 <= settled_day);
        assert_eq!(app.count(&format!("SELECT quantity FROM items WHERE id = {item}")).await, 0);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM item_write_offs WHERE item_id = {item} AND day = {settled_day}")).await, 1);
        // Still at least ten items to lend, and loans in every state.
        assert!(app.count(&format!("SELECT COUNT(*) FROM items WHERE lendable = 1 AND quantity > 0 AND org_id = {org}")).await >= 10);
        assert_eq!(app.count(&format!("SELECT COUNT(DISTINCT status) FROM loans WHERE org_id = {org}")).await, 8);
    }
}
