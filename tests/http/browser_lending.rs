//! The whole lending cycle in headless Chromium, through the to-do lists only: a staff member
//! requests (typing Buddhist-era dates), the right approver finds it in their list and approves,
//! supplies finds it awaiting hand-over and hands it over, receives it back with an inspection,
//! and the loans report shows it returned. Also: a form refused by the server keeps what was typed.

use std::process::Command;

use prongsai::lending::today;
use prongsai::thai::{Digits, format_date_field, format_date_words};

use crate::browser::Browser;
use crate::harness::{DEMO_EXECUTIVE, DEMO_STAFF, TestApp};

const BORROWER: &str = "นางสาวทดลอง ใช้เบราว์เซอร์";

/// From the menu to the to-do page, then the loan's link in one of its sections.
async fn open_from_todo(b: &Browser, section: &str, loan: &str) {
    b.click("#nav-todo").await;
    b.click_link(&format!("#{section}"), loan).await;
    b.find("form[action$='/act']").await;
}

/// From the menu to the item's page through the register, as a person finds an item.
async fn open_item(b: &Browser, asset_number: &str) {
    b.click_link("nav[aria-label='เมนูหลัก']", "ยืม-คืนพัสดุ").await;
    b.wait_for_text("h1", "ยืม-คืนพัสดุของทางราชการ").await;
    b.click_link("main", "ทะเบียนพัสดุ / ขอยืม").await;
    b.wait_for_text("h1", "ทะเบียนพัสดุ").await;
    b.click_link("table.list", asset_number).await;
    b.find("#purpose").await;
}

async fn fill_request(b: &Browser, start: &str, due: &str) {
    b.type_into("#borrower_name", BORROWER).await;
    b.type_into("#borrower_position", "นักวิชาการเงินและบัญชี").await;
    b.type_into("#borrower_unit", "กองคลัง").await;
    b.find("#use_type").await.select_by_value("outside").await.unwrap();
    b.type_into("#purpose", "อบรมชาวบ้านเรื่องภาษีที่ดิน").await;
    b.type_into("#place_of_use", "ศาลาประชาคมหมู่ ๓").await;
    b.type_into("#start", start).await;
    b.type_into("#due", due).await;
}

/// The loan's number, from the heading of its page ("คำขอยืมเลขที่ 15 …").
async fn loan_number(b: &Browser) -> String {
    let heading = b.find("h1").await.text().await.unwrap();
    heading.trim_start_matches("คำขอยืมเลขที่").split_whitespace().next().unwrap().to_string()
}

/// Follows the page's link to the loans report (its address read from the page, not typed) with
/// the browser's session, and reads the PDF with pdftotext.
async fn report_text(b: &Browser, app: &TestApp) -> String {
    let link = b.find("a[href*='report.pdf']").await;
    let href = link.prop("href").await.unwrap().expect("the report link has an address");
    let cookies: Vec<String> =
        b.client.get_all_cookies().await.unwrap().iter().map(|c| format!("{}={}", c.name(), c.value())).collect();
    let r = app.client.get(&href).header("cookie", cookies.join("; ")).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{href}");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
    let out = Command::new("pdftotext").args(["-raw"]).arg(&pdf).arg("-").output().expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap()
}

crate::on_both_databases! {
    async fn a_loan_goes_round_the_whole_cycle_in_a_browser_through_the_to_do_lists(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        let start = format_date_field(today(), Digits::Thai);
        // Due today: once out, it is in supplies' "due back today" list.
        let due = prongsai::thai::format_date_medium(today(), Digits::Arabic);

        // A staff member requests the projection screen for use outside the premises.
        b.login(&app, DEMO_STAFF).await;
        open_item(&b, "416-66-0002").await;
        fill_request(&b, &start, &due).await;
        b.click("form[action='/app/lending/loans'] button").await;
        b.wait_for_text("h1", "รออนุมัติ").await;
        let loan = loan_number(&b).await;
        let page = b.source().await;
        assert!(page.contains("รออนุมัติ"), "{page}");
        assert!(page.contains("นายกองค์การบริหารส่วนตำบลแม่คะตวน"), "the page names who must act: {page}");
        b.logout().await;

        // The head of the agency (outside use, clause 208) finds it in their list and approves.
        b.login(&app, DEMO_EXECUTIVE).await;
        open_from_todo(&b, "todo-approve", &loan).await;
        b.click("#act-approve button").await;
        b.wait_for_text("h1", "อนุมัติแล้ว").await;
        b.logout().await;

        // Supplies finds it awaiting hand-over, hands it over (today), then receives it back.
        b.login(&app, DEMO_STAFF).await;
        open_from_todo(&b, "todo-hand-over", &loan).await;
        b.type_into("#note-hand_over", "สภาพดี มีกระเป๋าและขาตั้งครบ").await;
        b.click("#act-hand_over button").await;
        b.wait_for_text("h1", "ส่งมอบแล้ว").await;
        open_from_todo(&b, "todo-due-today", &loan).await;
        b.find("#damage").await.select_by_value("none").await.unwrap();
        b.type_into("#note-return", "ตรวจแล้ว สภาพเรียบร้อย ครบทุกชิ้น").await;
        b.type_into("#on-return", &start).await;
        b.click("#act-return button").await;
        b.wait_for_text("h1", "ส่งคืนเรียบร้อย").await;
        let page = b.source().await;
        assert!(page.contains("ตรวจแล้ว สภาพเรียบร้อย ครบทุกชิ้น"), "the inspection is on record");

        // The lending pages and the loans report show it returned.
        b.click_link("nav[aria-label='เมนูหลัก']", "ยืม-คืนพัสดุ").await;
        b.wait_for_text("h1", "ยืม-คืนพัสดุของทางราชการ").await;
        let recent = b.find("main").await.text().await.unwrap();
        assert!(recent.lines().any(|l| l.contains(BORROWER) && l.contains("ส่งคืนเรียบร้อย")), "{recent}");
        // The report's row: its cells may wrap, so read it as one line from the borrower on.
        let report = report_text(&b, &app).await.replace('\n', " ");
        let at = report.find(BORROWER).unwrap_or_else(|| panic!("{BORROWER} in the report:\n{report}"));
        let row: String = report[at..].chars().take(120).collect();
        assert!(row.contains("ส่งคืนเรียบร้อย"), "{row}");
        b.finish().await;
    }

    async fn a_request_refused_by_the_server_keeps_what_was_typed_in_the_browser(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.login(&app, DEMO_STAFF).await;
        open_item(&b, "416-66-0002").await;
        // A Christian-era year: refused by the server (the browser has no date picker to stop it).
        fill_request(&b, "10/12/2026", "๑๒/๑๒/๒๕๖๙").await;
        b.click("form[action='/app/lending/loans'] button").await;
        b.wait_for_text(".error-summary", "ยังไม่ได้บันทึก").await;
        for (id, typed) in [
            ("#borrower_name", BORROWER), ("#borrower_unit", "กองคลัง"), ("#purpose", "อบรมชาวบ้านเรื่องภาษีที่ดิน"),
            ("#place_of_use", "ศาลาประชาคมหมู่ ๓"), ("#start", "10/12/2026"), ("#due", "๑๒/๑๒/๒๕๖๙"),
        ] {
            assert_eq!(b.value(id).await, typed, "{id}");
        }
        assert_eq!(b.value("#use_type").await, "outside");
        let beside = b.find("#start-error").await.text().await.unwrap();
        assert!(beside.contains("พ.ศ. 2569"), "{beside}");
        let echo = b.find("#due-echo").await.text().await.unwrap();
        assert_eq!(echo, format_date_words(chrono::NaiveDate::from_ymd_opt(2026, 12, 12).unwrap(), Digits::Thai));
        // The summary's link leads to the field.
        let link = b.find(".error-summary a").await;
        assert_eq!(link.attr("href").await.unwrap().as_deref(), Some("#start"));
        link.click().await.unwrap();
        assert_eq!(b.client.current_url().await.unwrap().fragment(), Some("start"));
        // The script echoes while typing (the same words as the server's).
        b.type_into("#start", "๑๐ ธ.ค. ๒๕๖๙").await;
        let echo = b.find("#start-echo").await.text().await.unwrap();
        assert_eq!(echo, "วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙");
        b.finish().await;
    }
}
