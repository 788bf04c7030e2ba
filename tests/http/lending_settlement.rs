//! Settlements on record and write-offs (issue 11, item 6), read back from the database, the
//! pages and the printed documents.

use std::process::Command;

use chrono::Duration;
use prongsai::lending::today;
use reqwest::StatusCode;

use crate::harness::*;
use crate::lending::item_id;

async fn step(app: &mut TestApp, who: &str, loan: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.login(who).await;
    app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, fields).await
}

/// Lent today for use inside the office (approved by supplies) and back in the state `damage`.
async fn returned(app: &mut TestApp, asset: &str, damage: &str) -> i64 {
    let item = item_id(app, asset).await.to_string();
    let day = today().to_string();
    let csrf = app.login(DEMO_ADMIN).await;
    let fields = [
        ("item_id", item.as_str()),
        ("borrower_name", "นายประยูร แก้วมา"),
        ("use_type", "inside"),
        ("purpose", "ประชุมประชาคม"),
        ("place_of_use", "ห้องประชุมสภา"),
        ("start", day.as_str()),
        ("due", day.as_str()),
    ];
    let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let loan: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    for fields in
        [vec![("action", "approve")], vec![("action", "hand_over")], vec![("action", "return"), ("damage", damage)]]
    {
        assert_eq!(step(app, DEMO_STAFF, loan, &fields).await.status(), StatusCode::SEE_OTHER);
    }
    loan
}

async fn pdf_text(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, r.bytes().await.unwrap()).unwrap();
    let out = Command::new("pdftotext").args(["-raw"]).arg(&file).arg("-").output().expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

crate::on_both_databases! {
    async fn a_loss_paid_for_is_recorded_printed_and_written_off_the_register(app: TestApp) {
        let loan = returned(&mut app, "416-66-0001", "lost").await;
        // A payment without its receipt is refused beside the field, keeping what was typed.
        let r = step(&mut app, DEMO_STAFF, loan, &[("action", "settle"), ("settlement", "pay"), ("amount", "๓,๒๐๐.๕๐")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains(r#"id="receipt-error">การชดใช้เป็นเงินต้องระบุเลขที่ใบเสร็จรับเงิน"#), "{page}");
        assert!(page.contains(r#"value="๓,๒๐๐.๕๐""#), "the amount typed is kept");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM loans WHERE id = {loan} AND status = 'awaiting_settlement'")).await, 1);
        // A lost item cannot be repaired.
        let r = step(&mut app, DEMO_STAFF, loan, &[("action", "settle"), ("settlement", "repair")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains(r#"id="settlement-error">พัสดุที่สูญหายไม่อาจชดใช้โดยซ่อมแซมให้คงสภาพเดิม"#));
        let paid = [("action", "settle"), ("settlement", "pay"), ("amount", "3,200.50"), ("receipt", "15/2570"), ("note", "ตามราคาขณะยืม")];
        assert_eq!(step(&mut app, DEMO_STAFF, loan, &paid).await.status(), StatusCode::SEE_OTHER);
        let (status, amount, receipt, day, by): (String, Option<i64>, String, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT status, settlement_amount, settlement_receipt, settlement_day, settled_by FROM loans WHERE id = $1",
        ).bind(loan).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!((status.as_str(), amount, receipt.as_str()), ("closed", Some(320_050), "15/2570"));
        assert_eq!(day, Some(prongsai::lending::day_of(today())));
        assert!(by.is_some());
        // Printed on the loan form and in the loans report.
        let form = pdf_text(&app, &format!("/app/lending/loans/{loan}/form.pdf")).await;
        for expected in ["จำนวนเงิน๓,๒๐๐.๕๐บาท", "ใบเสร็จรับเงินเลขที่๑๕/๒๕๗๐"] {
            assert!(form.contains(expected), "{expected} not on the form: {form}");
        }
        let report = pdf_text(&app, "/app/lending/report.pdf").await;
        assert!(report.contains("ใบเสร็จรับเงินเลขที่๑๕/๒๕๗๐"), "{report}");
        // The paid-for projector left the register: the write-off is on record and the QR page says so.
        let item = item_id(&app, "416-66-0001").await;
        assert_eq!(app.count(&format!("SELECT quantity FROM items WHERE id = {item}")).await, 0);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM item_write_offs WHERE item_id = {item} AND loan_id = {loan} AND reference = 'ใบเสร็จรับเงินเลขที่ 15/2570'")).await, 1);
        assert!(app.get_text("/o/mae-khatuan/items/416-66-0001").await.contains("จำหน่ายออกจากบัญชีแล้ว ไม่มีให้ยืม"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'item' AND action = 'write_off' AND entity_id = '{item}'")).await, 1);
        app.login(DEMO_STAFF).await;
        let page = app.get_text(&format!("/app/lending/items/{item}")).await;
        assert!(page.contains("จำหน่าย ๑ ชิ้น") && !page.contains("ขอยืมพัสดุนี้"), "{page}");
    }

    async fn a_write_off_lowers_the_units_on_hand_and_never_takes_units_that_are_lent(app: TestApp) {
        let chairs = item_id(&app, "416-63-0008").await;
        let csrf = app.login(DEMO_STAFF).await;
        let path = format!("/app/lending/items/{chairs}/write-off");
        // Every missing field is named beside it.
        let r = app.post_form(&path, &csrf, &[("units", "0")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        for id in ["wo-units-error", "wo-reason-error", "wo-reference-error"] {
            assert!(page.contains(&format!(r#"id="{id}""#)), "{id}: {page}");
        }
        let ok = [("units", "5"), ("reason", "ชำรุดแตกหักจนซ่อมไม่ได้"), ("reference", "คำสั่ง อบต. ที่ 45/2569")];
        assert_eq!(app.post_form(&path, &csrf, &ok).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count(&format!("SELECT quantity FROM items WHERE id = {chairs}")).await, 45);
        assert!(app.get_text("/o/mae-khatuan/items/416-63-0008").await.contains("พร้อมให้ยืม ๔๕ จาก ๔๕ ตัว"));
        // 40 are booked for next week: only 5 more may go.
        let start = (today() + Duration::days(7)).to_string();
        let item = chairs.to_string();
        let csrf = app.login(DEMO_ADMIN).await;
        let fields = [("item_id", item.as_str()), ("quantity", "40"), ("borrower_name", "นายสมศักดิ์ มีสุข"), ("use_type", "inside"),
            ("purpose", "อบรมอาสาสมัคร"), ("place_of_use", "ห้องประชุมสภา"), ("start", start.as_str()), ("due", start.as_str())];
        assert_eq!(app.post_form("/app/lending/loans", &csrf, &fields).await.status(), StatusCode::SEE_OTHER);
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form(&path, &csrf, &[("units", "6"), ("reason", "สูญหาย"), ("reference", "คำสั่งที่ 46/2569")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("จำหน่ายได้ไม่เกิน ๕ ตัว"));
        assert_eq!(app.count(&format!("SELECT quantity FROM items WHERE id = {chairs}")).await, 45);
        // Only supplies staff write off.
        let csrf = app.login(DEMO_ADMIN).await;
        assert_eq!(app.post_form(&path, &csrf, &ok).await.status(), StatusCode::FORBIDDEN);
    }

    async fn another_organization_cannot_settle_or_write_off_by_url(app: TestApp) {
        let loan = returned(&mut app, "416-62-0011", "damaged").await;
        let item = item_id(&app, "416-62-0011").await;
        let csrf = app.login(OTHER_ADMIN).await;
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "settle"), ("settlement", "repair")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = app.post_form(&format!("/app/lending/items/{item}/write-off"), &csrf, &[("units", "1"), ("reason", "ก"), ("reference", "ข")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM loans WHERE id = {loan} AND status = 'awaiting_settlement'")).await, 1);
        assert_eq!(app.count(&format!("SELECT quantity FROM items WHERE id = {item}")).await, 1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM item_write_offs WHERE item_id = {item}")).await, 0);
    }
}
