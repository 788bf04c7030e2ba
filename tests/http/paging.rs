//! Staff lists that grow without bound are read a page at a time and searched (issue 13, item 1):
//! page 2 holds the next rows, a search finds Thai text, a wrong page number says what is wrong,
//! and another organization's rows never appear.

use reqwest::StatusCode;

use crate::harness::*;

/// Adds `n` chairs to the organization whose admin is logged in, numbered 416-69-1000 on, by a
/// CSV import; and one item named `only_here` numbered 416-69-9999.
async fn register_items(app: &TestApp, csrf: &str, n: usize, only_here: &str) {
    let mut csv = String::from("เลขครุภัณฑ์,ชื่อพัสดุ\n");
    for i in 0..n {
        csv.push_str(&format!("416-69-{:04},เก้าอี้ทดสอบ ตัวที่ {i}\n", 1000 + i));
    }
    csv.push_str(&format!("416-69-9999,{only_here}\n"));
    let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("items.csv");
    let form = reqwest::multipart::Form::new().part("file", part);
    let url = app.url(&format!("/app/lending/items/import?_csrf={csrf}"));
    let r = app.client.post(url).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
}

/// The asset numbers linked from a register page, in the order shown.
fn asset_numbers(page: &str) -> Vec<String> {
    page.split("<td><a href=\"/app/lending/items/")
        .skip(1)
        .filter_map(|rest| rest.split_once("\">").map(|(_, after)| after.split('<').next().unwrap().to_string()))
        .collect()
}

crate::on_both_databases! {
    async fn the_register_is_read_a_page_at_a_time_in_asset_number_order(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        register_items(&app, &csrf, 3, "เครื่องเสียงของเทศบาลอื่น").await;
        let csrf = app.login(DEMO_ADMIN).await;
        register_items(&app, &csrf, 60, "โต๊ะหมู่บูชา").await;
        let total = app.count(&format!("SELECT COUNT(*) FROM items WHERE org_id = {}", app.org_a.id)).await;
        assert!(total > 60, "{total}");
        let first = app.get_text("/app/lending/items").await;
        let second = app.get_text("/app/lending/items?page=2").await;
        let (on_first, on_second) = (asset_numbers(&first), asset_numbers(&second));
        assert_eq!(on_first.len(), 50);
        assert_eq!(on_second.len() as i64, total - 50);
        // In code order, with no row on both pages and none missing.
        let mut all = on_first.clone();
        all.extend(on_second.clone());
        let mut sorted = all.clone();
        prongsai::thai::collate::sort_by_code(&mut sorted, |s| s);
        assert_eq!(all, sorted);
        sorted.dedup();
        assert_eq!(sorted.len() as i64, total);
        let thai = |n: i64| prongsai::thai::format_int(n, prongsai::thai::Digits::Thai);
        assert!(first.contains(&format!("รายการที่ ๑–๕๐ จาก {}", thai(total))), "{first}");
        assert!(second.contains(&format!("รายการที่ ๕๑–{} จาก {}", thai(total), thai(total))), "{second}");
        assert!(second.contains(r#"<a href="/app/lending/items?page=2" aria-current="page">๒</a>"#), "{second}");
        assert!(second.contains(r#"<a href="/app/lending/items?page=1" rel="prev">"#), "{second}");
        assert!(first.contains(r#"<a href="/app/lending/items?page=2" rel="next">"#), "{first}");
        // Never the other organization's items, on any page.
        assert!(!first.contains("เครื่องเสียงของเทศบาลอื่น") && !second.contains("เครื่องเสียงของเทศบาลอื่น"));
    }

    async fn the_register_is_searched_by_thai_name_or_by_asset_number_in_either_digits(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        register_items(&app, &csrf, 0, "โต๊ะหมู่บูชาของเทศบาลอื่น").await;
        let csrf = app.login(DEMO_ADMIN).await;
        register_items(&app, &csrf, 60, "โต๊ะหมู่บูชา").await;
        let found = app.get_text("/app/lending/items?q=%E0%B9%82%E0%B8%95%E0%B9%8A%E0%B8%B0%E0%B8%AB%E0%B8%A1%E0%B8%B9%E0%B9%88").await; // โต๊ะหมู่
        assert_eq!(asset_numbers(&found), ["416-69-9999"], "{found}");
        assert!(found.contains("รายการที่ ๑–๑ จาก ๑"), "{found}");
        assert!(!found.contains("เทศบาลอื่น"), "another organization's item is never found");
        assert!(found.contains(r#"name="q" type="search" value="โต๊ะหมู่""#), "the box keeps the search: {found}");
        // The asset number typed in Thai digits finds the one stored in Arabic digits.
        let found = app.get_text(&format!("/app/lending/items?q={}", urlencoding::encode("๙๙๙๙"))).await;
        assert_eq!(asset_numbers(&found), ["416-69-9999"]);
        // A search of 61 matches pages like the whole list, and its links keep the search.
        let chairs = urlencoding::encode("เก้าอี้ทดสอบ").into_owned();
        let page2 = app.get_text(&format!("/app/lending/items?q={chairs}&page=2")).await;
        assert_eq!(asset_numbers(&page2).len(), 10);
        assert!(page2.contains(&format!("/app/lending/items?page=1&#38;q={chairs}")), "{page2}");
        // A LIKE wildcard typed by the clerk is only a character.
        let none = app.get_text("/app/lending/items?q=%25").await;
        assert!(asset_numbers(&none).is_empty() && none.contains("ไม่พบรายการที่ตรงกับ “%”"), "{none}");
    }

    async fn a_wrong_page_number_gives_a_page_that_says_so(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        for path in ["/app/lending/items", "/app/lending/loans", "/app/users", "/app/notifications", "/app/audit"] {
            let r = app.get(&format!("{path}?page=abc")).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(r.text().await.unwrap().contains("เลขหน้า “abc” ไม่ถูกต้อง"), "{path}");
            let r = app.get(&format!("{path}?page=0")).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            let r = app.get(&format!("{path}?page=999")).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            let page = r.text().await.unwrap();
            assert!(page.contains("ไม่มีหน้าที่ ๙๙๙: มีทั้งหมด"), "{path}: {page}");
            assert!(page.contains("rel=\"prev\""), "{path}: a way back to the last page");
        }
    }

    async fn loans_are_listed_newest_first_and_found_by_borrower_or_item(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let all = app.get_text("/app/lending/loans").await;
        let demo_loans = app.count(&format!("SELECT COUNT(*) FROM loans WHERE org_id = {}", app.org_a.id)).await;
        assert!(all.contains(&format!("จาก {}", prongsai::thai::format_int(demo_loans, prongsai::thai::Digits::Thai))), "{all}");
        let (borrower,): (String,) = sqlx::query_as("SELECT borrower_name FROM loans WHERE org_id = $1 ORDER BY id LIMIT 1")
            .bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let with_borrower = app.count(&format!("SELECT COUNT(*) FROM loans WHERE org_id = {} AND borrower_name = '{borrower}'", app.org_a.id)).await;
        let found = app.get_text(&format!("/app/lending/loans?q={}", urlencoding::encode(&borrower))).await;
        assert_eq!(found.matches("<tr><td><a href=\"/app/lending/loans/").count() as i64, with_borrower, "{found}");
        assert!(found.contains(&borrower));
        // The other organization has no loans: its list is empty, whatever is searched.
        app.login(OTHER_ADMIN).await;
        let theirs = app.get_text("/app/lending/loans").await;
        assert!(theirs.contains("ยังไม่มีรายการ") && !theirs.contains("/app/lending/loans/"), "{theirs}");
        let theirs = app.get_text(&format!("/app/lending/loans?q={}", urlencoding::encode(&borrower))).await;
        assert!(!theirs.contains(&format!("<td>{borrower}")), "{theirs}");
    }

    async fn users_are_found_by_thai_name(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let found = app.get_text(&format!("/app/users?q={}", urlencoding::encode("พัสดุ"))).await;
        assert!(found.contains("<td>supplies</td>") && !found.contains("<td>admin</td>"), "{found}");
        assert!(found.contains("รายการที่ ๑–๑ จาก ๑"), "{found}");
        let other = app.get_text(&format!("/app/users?q={}", urlencoding::encode("เทศบาลทดสอบ"))).await;
        assert!(!other.contains(OTHER_ADMIN), "another organization's admin is never listed");
    }

    async fn the_audit_log_pages_go_back_through_the_chain(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let entries = app.count(&format!("SELECT last_seq FROM audit_chain WHERE org_id = {}", app.org_a.id)).await;
        assert!(entries > 50, "the demo has {entries} entries");
        let second = app.get_text("/app/audit?page=2").await;
        let seqs: Vec<i64> = second.split("<tr><td>").skip(1).map(|r| r.split('<').next().unwrap().parse().unwrap()).collect();
        let expected: Vec<i64> = (1..=entries - 50).rev().take(50).collect();
        assert_eq!(seqs, expected);
    }
}
