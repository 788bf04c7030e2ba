//! The OIT disclosure index (issue 16, item 3), on both engines: a missing item shows as missing
//! on the staff index and the public ITA menu, and as answered once a document is linked; a
//! document last changed before the fiscal year shows as stale; links are the organization's own.

use reqwest::StatusCode;

/// The status cell of an item on the staff index.
fn staff_status(page: &str, code: &str) -> String {
    let row = page.split(&format!("<tr id=\"{code}\">")).nth(1).unwrap_or_else(|| panic!("no row {code}"));
    let cell = row.split("<td class=\"oit-").nth(1).unwrap();
    cell.split('"').next().unwrap().to_string()
}

/// The link cell of an item on the public menu.
fn public_cell(page: &str, code: &str) -> String {
    let row = page.split(&format!("<tr id=\"{code}\">")).nth(1).unwrap_or_else(|| panic!("no row {code}"));
    row.split("</tr>").next().unwrap().to_string()
}

crate::on_both_databases! {
    async fn a_missing_item_shows_as_missing_and_as_answered_once_a_document_is_linked(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let index = app.get_text("/app/oit/2566").await;
        assert_eq!(staff_status(&index, "O1"), "missing");
        assert_eq!(staff_status(&index, "O14"), "answered", "the demo links its conflict-of-interest manual");
        assert_eq!(staff_status(&index, "O42"), "answered", "a page of the site");
        let public = app.get_text("/o/mae-khatuan/ita/2566").await;
        assert!(public_cell(&public, "O1").contains("ยังไม่มีข้อมูล"));
        assert!(public_cell(&public, "O14").contains("/o/mae-khatuan/documents/"));

        let document = app.count(&format!("SELECT MIN(id) FROM documents WHERE org_id = {}", app.org_a.id.0)).await.to_string();
        let r = app.post_form("/app/oit/2566/O1", &csrf, &[("document_id", &document), ("url", "")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(staff_status(&app.get_text("/app/oit/2566").await, "O1"), "answered");
        let public = app.get_text("/o/mae-khatuan/ita/2566").await;
        assert!(public_cell(&public, "O1").contains(&format!("/o/mae-khatuan/documents/{document}")), "the public menu follows at once");

        // A document whose latest file predates the fiscal year answers it only as stale.
        app.raw_sql(&format!("UPDATE document_versions SET created_at = 1600000000 WHERE document_id = {document}")).await.unwrap();
        let index = app.get_text("/app/oit/2566").await;
        assert_eq!(staff_status(&index, "O1"), "stale");
        assert!(index.contains("ไม่เป็นปัจจุบัน ๒ รายการ"), "O1 and O14 link that document: {}", index.split("oit-summary").nth(1).unwrap_or(""));

        // Neither a document id nor a link, a link elsewhere than https or this site: named.
        let r = app.post_form("/app/oit/2566/O2", &csrf, &[("document_id", ""), ("url", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.post_form("/app/oit/2566/O2", &csrf, &[("document_id", ""), ("url", "javascript:alert(1)")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ลิงก์ &#34;javascript:alert(1)&#34; ไม่ถูกต้อง"));
        assert_eq!(app.post_form("/app/oit/2566/O99", &csrf, &[("url", "/o/mae-khatuan/news")]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/app/oit/2560").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/mae-khatuan/ita/2560").await.status(), StatusCode::NOT_FOUND);

        // Removing the link makes O1 missing again.
        let link = app.count("SELECT MAX(id) FROM oit_links WHERE item_code = 'O1'").await;
        let r = app.post_form(&format!("/app/oit/links/{link}/remove"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(staff_status(&app.get_text("/app/oit/2566").await, "O1"), "missing");
    }

    async fn another_organization_can_neither_link_its_documents_here_nor_remove_these_links(app: TestApp) {
        let mut app = app;
        let link = app.count("SELECT MIN(id) FROM oit_links").await;
        let csrf_b = app.login(OTHER_ADMIN).await;
        assert_eq!(app.post_form(&format!("/app/oit/links/{link}/remove"), &csrf_b, &[]).await.status(), StatusCode::NOT_FOUND);
        let theirs = app.count(&format!("SELECT MIN(id) FROM documents WHERE org_id = {}", app.org_a.id.0)).await.to_string();
        let r = app.post_form("/app/oit/2566/O1", &csrf_b, &[("document_id", &theirs)]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "a document of another organization");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM oit_links WHERE org_id = {}", app.org_b.id.0)).await, 0);
        let own = app.get_text("/app/oit/2566").await;
        assert_eq!(staff_status(&own, "O14"), "missing", "the other organization's index is its own");
    }
}
