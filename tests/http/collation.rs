//! Lists come out in the same order on both engines, whatever the PostgreSQL collation (the
//! harness creates PostgreSQL test databases with a Thai ICU collation, under which these rows
//! sort differently than under SQLite's byte order).

use std::process::Command;

use reqwest::StatusCode;

/// Byte offsets of each needle's first occurrence in `haystack`, asserting each is there.
fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles.iter().map(|n| haystack.find(n).unwrap_or_else(|| panic!("{n} not found"))).collect()
}

fn assert_in_order(haystack: &str, needles: &[&str]) {
    let p = positions(haystack, needles);
    assert!(p.windows(2).all(|w| w[0] < w[1]), "expected the order {needles:?}, found them at {p:?}");
}

/// Item asset numbers in the expected order: Thai digits read as Arabic ones (a Thai ICU
/// collation agrees, byte order puts them last), punctuation counted (ICU ignores it).
const ASSETS: [&str; 6] = ["741-001", "๗๔๑-002", "741-003", "ab-2", "ab.3", "ab1"];

crate::on_both_databases! {
    async fn the_organization_list_is_in_thai_dictionary_order(app: TestApp) {
        // Byte order puts every เ name after every อ name.
        let page = app.get_text("/").await;
        assert_in_order(&page, &["เทศบาลตำบลทดสอบ", "องค์การบริหารส่วนตำบลแม่คะตวน"]);
    }

    async fn the_users_page_lists_usernames_in_code_order(app: TestApp) {
        for username in ["sup1", "sup_2", "sup.x", "sup-y"] {
            prongsai::auth::users::create(
                &app.db,
                &prongsai::auth::users::NewUser {
                    org: app.org_a.id,
                    username,
                    display_name: "ผู้ทดสอบ",
                    password: PASSWORD,
                    role: prongsai::auth::Role::Staff,
                    division_id: None,
                },
                "test",
            )
            .await
            .unwrap();
        }
        app.login(DEMO_ADMIN).await;
        // A Thai ICU collation ignores the punctuation: sup1, sup_2, supplies, sup.x, sup-y.
        assert_in_order(&app.get_text("/app/users").await, &["sup-y", "sup.x", "sup1", "sup_2"]);
    }

    async fn the_items_page_and_the_qr_labels_list_asset_numbers_in_one_order(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let mut csv = String::from("เลขครุภัณฑ์,ชื่อพัสดุ,ให้ยืมได้\n");
        for a in ASSETS.iter().rev() {
            csv.push_str(&format!("{a},พัสดุทดสอบ {a},ได้\n"));
        }
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("items.csv"));
        let r = app.client.post(app.url(&format!("/app/lending/items/import?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());

        // By the item names, which hold the asset numbers: the page has random tokens too.
        let names: Vec<String> = ASSETS.iter().map(|a| format!("พัสดุทดสอบ {a}")).collect();
        assert_in_order(&app.get_text("/app/lending/items").await, &names.iter().map(String::as_str).collect::<Vec<_>>());

        let r = app.get("/app/lending/labels.pdf").await;
        assert_eq!(r.status(), StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("labels.pdf");
        std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
        // -raw keeps the order in which the labels were laid out.
        let out = Command::new("pdftotext").arg("-raw").arg(&pdf).arg("-").output().expect("poppler-utils installed");
        assert_in_order(&String::from_utf8(out.stdout).unwrap(), &ASSETS);
    }
}
