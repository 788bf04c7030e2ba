//! Lending forms refused by the server come back with everything as typed, each error beside its
//! field and in a summary at the top (in Thai), never as a bare 422/413 page; dates are read and
//! echoed in the Buddhist era; the audit page speaks Thai.

use prongsai::lending::today;
use prongsai::thai::{Digits, format_date_field};
use reqwest::StatusCode;

use crate::harness::TestApp;

async fn item_id(app: &TestApp, asset: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1 AND org_id = $2")
        .bind(asset)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id.to_string()
}

/// The value attribute of the input with this id.
fn value_of(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\" name=")).unwrap_or_else(|| panic!("no input #{id}"));
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let v = tag.split("value=\"").nth(1).map(|s| s[..s.find('"').unwrap()].to_string()).unwrap_or_default();
    v.replace("&#x2f;", "/").replace("&#47;", "/")
}

/// The error shown beside the field (its `id-error` paragraph), which the input points to.
fn error_beside(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}-error\"")).unwrap_or_else(|| panic!("no error beside #{id}:\n{html}"));
    let text = &html[start..start + html[start..].find("</p>").unwrap()];
    let input = &html[html.find(&format!("id=\"{id}\" name=")).unwrap()..];
    let tag = &input[..input.find('>').unwrap()];
    assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
    assert!(tag.contains(&format!("{id}-error")), "aria-describedby points to the error: {tag}");
    text.to_string()
}

fn assert_summary_links_to(html: &str, id: &str) {
    let summary = &html[html.find("class=\"error-summary\"").expect("an error summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    assert!(summary.contains(&format!("href=\"#{id}\"")), "{summary}");
}

crate::on_both_databases! {
    async fn a_refused_loan_request_keeps_every_typed_value_with_the_error_beside_the_date(app: TestApp) {
        let item = item_id(&app, "416-66-0002").await;
        let csrf = app.login(DEMO_ADMIN).await;
        let fields = [
            ("item_id", item.as_str()), ("borrower_name", "นางสาวใจดี มีสุข"), ("borrower_position", "ครู"),
            ("borrower_unit", "โรงเรียนบ้านแม่คะตวน"), ("use_type", "outside"), ("purpose", "งานวันเด็ก"),
            ("place_of_use", "ลานหน้าโรงเรียน"), ("start", "10/12/2026"), ("due", "๑๒ ธ.ค. ๒๕๖๙"),
        ];
        let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        for (id, typed) in &fields[1..] {
            if *id != "use_type" {
                assert_eq!(value_of(&html, id), *typed, "{id}");
            }
        }
        assert!(html.contains("<option value=\"outside\" selected>"), "the use stays chosen");
        let beside = error_beside(&html, "start");
        assert!(beside.contains("ปี 2026 น่าจะเป็นปี ค.ศ. กรุณาระบุเป็นปี พ.ศ. 2569"), "{beside}");
        assert_summary_links_to(&html, "start");
        // The date that did read is echoed in words beside its field.
        assert!(html.contains("วันเสาร์ที่ ๑๒ ธันวาคม พ.ศ. ๒๕๖๙"), "the due date's echo");
        assert!(!html.contains("type=\"date\""), "no Christian-era date picker");
        assert_eq!(app.count("SELECT COUNT(*) FROM loans WHERE purpose = 'งานวันเด็ก'").await, 0);
        // The same request in the Buddhist era is accepted.
        let start = format_date_field(today(), Digits::Thai);
        let due = format_date_field(today() + chrono::Duration::days(2), Digits::Arabic);
        let mut fixed = fields.to_vec();
        fixed[7] = ("start", &start);
        fixed[8] = ("due", &due);
        let r = app.post_form("/app/lending/loans", &csrf, &fixed).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    }

    async fn a_rule_a_request_breaks_is_shown_beside_its_field_and_a_control_character_is_no_bare_page(app: TestApp) {
        let item = item_id(&app, "416-66-0002").await;
        let csrf = app.login(DEMO_ADMIN).await;
        let start = format_date_field(today(), Digits::Arabic);
        let fields = [
            ("item_id", item.as_str()), ("borrower_name", "นายเอ"), ("use_type", "inside"),
            ("purpose", "ประชุม\u{0}ประจำเดือน"), ("place_of_use", ""), ("start", start.as_str()), ("due", start.as_str()),
        ];
        let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("name=\"purpose\""), "the form itself, not a bare error page");
        assert!(error_beside(&html, "purpose").contains("ช่องวัตถุประสงค์"));
        assert_eq!(value_of(&html, "purpose"), "ประชุมประจำเดือน", "only the refused character is gone");
        assert_eq!(value_of(&html, "start"), start);
        // Without the control character, the missing place is the error, beside its field.
        let clean: Vec<_> = fields.iter().map(|(k, v)| (*k, if *k == "purpose" { "ประชุม" } else { *v })).collect();
        let html = app.post_form("/app/lending/loans", &csrf, &clean).await.text().await.unwrap();
        assert!(!error_beside(&html, "place_of_use").is_empty());
        assert_summary_links_to(&html, "place_of_use");
    }

    async fn a_refused_hand_over_keeps_its_note_and_day_beside_the_error(app: TestApp) {
        let item = item_id(&app, "416-66-0002").await;
        let csrf = app.login(DEMO_ADMIN).await;
        let start = format_date_field(today(), Digits::Arabic);
        let fields = [("item_id", item.as_str()), ("borrower_name", "นายบี"), ("use_type", "outside"),
            ("purpose", "ประชุม"), ("place_of_use", "วัด"), ("start", start.as_str()), ("due", start.as_str())];
        let r = app.post_form("/app/lending/loans", &csrf, &fields).await;
        let loan = r.headers()["location"].to_str().unwrap().to_string();
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let r = app.post_form(&format!("{loan}/act"), &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let csrf = app.login(DEMO_STAFF).await;
        let tomorrow = format_date_field(today() + chrono::Duration::days(1), Digits::Thai);
        let r = app
            .post_form(&format!("{loan}/act"), &csrf, &[("action", "hand_over"), ("note", "สภาพดี มีสายครบ"), ("on", &tomorrow)])
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "a hand-over in the future is refused");
        let html = r.text().await.unwrap();
        assert_eq!(value_of(&html, "note-hand_over"), "สภาพดี มีสายครบ");
        assert_eq!(value_of(&html, "on-hand_over"), tomorrow);
        assert!(!error_beside(&html, "on-hand_over").is_empty());
        assert_summary_links_to(&html, "on-hand_over");
        // An unreadable day: the same, before any rule runs.
        let r = app.post_form(&format!("{loan}/act"), &csrf, &[("action", "hand_over"), ("note", "ดี"), ("on", "31/4/2569")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(error_beside(&html, "on-hand_over").contains("ไม่มีวันที่ 31 เมษายน 2569"));
    }

    async fn the_item_form_and_the_rules_form_keep_what_was_typed(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let fields = [("asset_number", "๔๑๖-๖๖-๐๐๐๑"), ("name", "โปรเจคเตอร์สำรอง"), ("category", "ครุภัณฑ์สำนักงาน"),
            ("class", "consumable"), ("location", "ห้องพัสดุ"), ("condition", "ใหม่")];
        let r = app.post_form("/app/lending/items", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        for (id, typed) in fields.iter().filter(|(k, _)| *k != "class") {
            assert_eq!(value_of(&html, id), *typed, "{id}");
        }
        assert!(html.contains("<option value=\"consumable\" selected>"));
        assert!(!html.contains("name=\"lendable\" value=\"yes\" checked"), "the unticked box stays unticked");
        let beside = error_beside(&html, "asset_number");
        assert!(beside.contains("416-66-0001"), "names the number as registered: {beside}");

        let r = app.post_form("/app/lending/rules", &csrf, &[("max_loan_days", "สิบ"), ("follow_up_days", "30"),
            ("remind_days_before_due", "2"), ("approver_inside", "supplies_head"), ("approver_outside", "org_head"),
            ("approver_agency", "org_head"), ("holidays", "13/10/2569\n1/13/2569"), ("extra_rules", "ต้องคืนก่อน ๑๖.๓๐ น.")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert_eq!(value_of(&html, "max_loan_days"), "สิบ");
        assert!(error_beside(&html, "max_loan_days").contains("ต้องเป็นตัวเลข"));
        assert!(html.contains(">13/10/2569\n1/13/2569</textarea>"), "{html}");
        assert!(html.contains(">ต้องคืนก่อน ๑๖.๓๐ น.</textarea>"));
        assert_summary_links_to(&html, "holidays");

        // A limit out of range is refused in Thai words only: the file's key stays out of the page.
        let r = app.post_form("/app/lending/rules", &csrf, &[("max_loan_days", "400"), ("follow_up_days", "7"),
            ("remind_days_before_due", "2"), ("approver_inside", "supplies_head"), ("approver_outside", "org_head"),
            ("approver_agency", "org_head"), ("holidays", ""), ("extra_rules", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        let shown = html.replace("\"max_loan_days", "").replace("max_loan_days-error", "").replace("#max_loan_days", "");
        assert!(!shown.contains("max_loan_days"), "an English key shown to the clerk: {html}");
        assert!(html.contains("ระยะเวลายืมสูงสุดต้องอยู่ระหว่าง 1–366 วัน"), "{html}");
    }

    async fn an_oversized_photo_gives_the_item_page_back_with_the_message_beside_the_photo_field(app: TestApp) {
        let item = item_id(&app, "416-66-0002").await;
        let csrf = app.login(DEMO_ADMIN).await;
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.resize(6 * 1024 * 1024, 0);
        let form = reqwest::multipart::Form::new()
            .part("photo", reqwest::multipart::Part::bytes(png).file_name("big.png").mime_str("image/png").unwrap());
        let r = app.client.post(app.url(&format!("/app/lending/items/{item}/photo?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let html = r.text().await.unwrap();
        assert!(html.contains("ขอยืมพัสดุนี้"), "the item page, not a bare 413 page");
        assert!(html.contains("id=\"photo-error\""), "{html}");
        assert!(html.contains("รูปพัสดุใหญ่เกิน 5 MB"));
        assert_summary_links_to(&html, "photo");
    }

    async fn the_audit_page_names_actions_and_records_in_thai(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        // The demo's lending entries are some pages back: the site's demo came after them.
        let mut body = String::new();
        for page in 1..=6 {
            let html = app.get_text(&format!("/app/audit?page={page}")).await;
            let (Some(from), Some(to)) = (html.find("<tbody>"), html.find("</tbody>")) else { break };
            body.push_str(&html[from..to]);
        }
        for english in ["<td>create</td>", "<td>update</td>", "<td>login</td>", ">item ", ">loan ", ">user ", "<td>demo</td>"] {
            assert!(!body.contains(english), "{english} in the audit table");
        }
        assert!(body.contains("<td>เพิ่ม</td>") && body.contains("<td>เข้าสู่ระบบ</td>"), "{body}");
        assert!(body.contains("พัสดุ ") && body.contains("<td>ข้อมูลตัวอย่าง</td>"), "{body}");
    }
}
