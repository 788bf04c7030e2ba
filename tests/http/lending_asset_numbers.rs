//! Asset numbers: one number in two digit systems is one number (enforced by the database), found
//! by either spelling, and carried percent-encoded in every URL and QR code.

use std::process::Command;

use prongsai::db::Db;
use reqwest::StatusCode;

use crate::harness::TestApp;

/// Adds an item through the staff form (as the admin); returns its id.
async fn add_item(app: &TestApp, csrf: &str, asset_number: &str, name: &str) -> i64 {
    let r = app
        .post_form("/app/lending/items", csrf, &[("asset_number", asset_number), ("name", name), ("lendable", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

/// Every QR code of the organization's label sheet, each label decoded on its own.
fn decode_labels(app: &TestApp, public_url: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("labels.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_prongsai"))
        .args(["lending", "labels", "--org", "mae-khatuan", "--out", pdf.to_str().unwrap()])
        .env("DATABASE_URL", app.db_url.expose())
        .env("PRONGSAI_PUBLIC_URL", public_url)
        .env("PRONGSAI_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    crate::harness::qr_codes_in_label_sheet(&pdf)
}

crate::on_both_databases! {
    async fn one_number_in_thai_and_arabic_digits_is_registered_once_and_found_by_either(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let id = add_item(&app, &csrf, "๔๑๖-๙๙-๐๐๐๑", "พัดลมตั้งพื้น").await;
        for spelling in ["416-99-0001", "๔๑๖-๙๙-0001", "４１６－９９－０００１"] {
            let r = app.post_form("/app/lending/items", &csrf, &[("asset_number", spelling), ("name", "ซ้ำ")]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{spelling}");
            assert!(r.text().await.unwrap().contains("ลงทะเบียนไว้เป็น “๔๑๖-๙๙-๐๐๐๑”"), "{spelling}");
        }
        // The database itself refuses it, whatever code writes.
        let sql = format!(
            "INSERT INTO items (org_id, asset_number, asset_number_key, name, category, class, location, condition, lendable, created_at, updated_at)
             VALUES ({}, '416-99-0001', '416-99-0001', 'x', '', 'durable', '', '', 1, 0, 0)",
            app.org_a.id.0
        );
        assert!(app.raw_sql(&sql).await.is_err(), "UNIQUE (org_id, asset_number_key)");
        // The other organization may use the same number.
        let other = sql.replace(&format!("VALUES ({}", app.org_a.id.0), &format!("VALUES ({}", app.org_b.id.0));
        app.raw_sql(&other).await.unwrap();
        for spelling in ["๔๑๖-๙๙-๐๐๐๑", "416-99-0001"] {
            let page = app.get_text(&format!("/o/mae-khatuan/items/{}", urlencoding::encode(spelling))).await;
            assert!(page.contains("พัดลมตั้งพื้น"), "{spelling}");
        }
        assert!(id > 0);
    }

    async fn numbers_with_slashes_spaces_marks_and_thai_letters_work_in_qr_codes_and_urls(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let numbers = [("7440-001-0001/2566", "เครื่องปรับอากาศ"), ("กค 12#3?", "ตู้เหล็ก")];
        for (number, name) in numbers {
            add_item(&app, &csrf, number, name).await;
        }
        let base = app.url("");
        let decoded = decode_labels(&app, &base);
        let on_the_sheet =
            app.count(&format!("SELECT COUNT(*) FROM items WHERE org_id = {} AND lendable = 1 AND quantity > 0", app.org_a.id.0)).await;
        assert_eq!(decoded.len() as i64, on_the_sheet, "every label's code decodes: {decoded:?}");
        for (number, name) in numbers {
            let url = decoded
                .iter()
                .find(|u| urlencoding::decode(u.rsplit('/').next().unwrap()).unwrap() == number)
                .unwrap_or_else(|| panic!("no QR code for {number}: {decoded:?}"));
            assert!(!url.contains(' ') && !url.contains('#') && !url.contains('?'), "{url}");
            assert_eq!(url.matches('/').count(), 6, "the number is one path segment: {url}");
            // The URL the code holds opens the right item (a plain client: no login).
            let r = reqwest::get(url).await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{url}");
            assert!(r.text().await.unwrap().contains(name), "{url}");
        }
        assert!(decoded.iter().any(|u| u.ends_with("/o/mae-khatuan/items/7440-001-0001%2F2566")), "{decoded:?}");
        // The staff page shows the same encoded link.
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '7440-001-0001/2566'").fetch_one(&app.db.pool).await.unwrap();
        let page = app.get_text(&format!("/app/lending/items/{id}")).await;
        assert!(page.contains("/o/mae-khatuan/items/7440-001-0001%2F2566"), "{page}");
    }

    async fn migration_0009_refuses_existing_duplicates_naming_them_then_keys_the_rest(app: TestApp) {
        // Back to the schema before 0009, with one number stored twice and one in Thai digits.
        app.raw_sql("DROP INDEX items_org_asset_number_key").await.unwrap();
        app.raw_sql("ALTER TABLE items DROP COLUMN asset_number_key").await.unwrap();
        app.raw_sql("DELETE FROM schema_migrations WHERE name = '0009_asset_number_key'").await.unwrap();
        app.raw_sql("UPDATE items SET asset_number = '๔๑๖-๖๖-๐๐๐๒' WHERE asset_number = '416-65-0003'").await.unwrap();
        app.raw_sql("UPDATE items SET asset_number = '๔๑๖-๖๕-๐๐๐๔' WHERE asset_number = '416-65-0004'").await.unwrap();
        let err = format!("{:#}", Db::connect(&app.db_url).await.expect_err("duplicates refuse the migration"));
        assert!(err.contains("0009_asset_number_key") && err.contains("mae-khatuan"), "{err}");
        assert!(err.contains("“416-66-0002”") && err.contains("“๔๑๖-๖๖-๐๐๐๒”"), "both spellings named: {err}");
        assert!(!err.contains("๔๑๖-๖๕-๐๐๐๔"), "a number stored once is no duplicate: {err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM schema_migrations WHERE name = '0009_asset_number_key'").await, 0);
        // The office renumbers one; the migration then keys every item (Thai digits too).
        app.raw_sql("UPDATE items SET asset_number = '416-65-0003' WHERE asset_number = '๔๑๖-๖๖-๐๐๐๒'").await.unwrap();
        Db::connect(&app.db_url).await.expect("migrates once the duplicate is gone");
        assert_eq!(app.count("SELECT COUNT(*) FROM items WHERE asset_number_key = '416-65-0004'").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM items WHERE asset_number_key = '' OR asset_number_key IS NULL").await, 0);
        let page = app.get_text("/o/mae-khatuan/items/416-65-0004").await;
        assert!(page.contains("ไมโครโฟนไร้สาย"));
    }
}
