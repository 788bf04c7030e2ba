//! The organization's public site (issue 16), on both engines: its frame (emblem, menu, contact
//! details, the audit head on a page of its own), news with its Atom feed, the documents library
//! with versions at stable URLs, Thai word search, and what another organization's admin gets.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const HOME: &str = "/o/mae-khatuan/";

/// A minimal PDF whose text is `marker` (enough for the library: it checks the first and last bytes).
fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {marker}\n%%EOF\n").into_bytes()
}

impl crate::harness::TestApp {
    async fn upload_document(
        &self,
        csrf: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let mut form = Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part("file", Part::bytes(bytes).file_name(name.to_string()));
        self.client.post(self.url(&format!("/app/documents/new?_csrf={csrf}"))).multipart(form).send().await.unwrap()
    }

    async fn upload_version(&self, csrf: &str, id: i64, note: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let form =
            Form::new().text("note", note.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()));
        self.client
            .post(self.url(&format!("/app/documents/{id}/versions?_csrf={csrf}")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// The id in a redirect to `/app/<what>/ID?…`.
fn id_in(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().split('?').next().unwrap().parse().unwrap()
}

crate::on_both_databases! {
    async fn the_home_page_wears_the_organizations_frame_and_the_audit_head_has_its_own_page(app: TestApp) {
        let home = app.get_text(HOME).await;
        let title = home.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
        assert_eq!(title, "องค์การบริหารส่วนตำบลแม่คะตวน", "nothing else leaks into the title");
        assert!(home.contains(r#"<a href="/o/mae-khatuan/" aria-current="page">หน้าแรก</a>"#), "{home}");
        for link in ["/o/mae-khatuan/news", "/o/mae-khatuan/services", "/o/mae-khatuan/ita", "/o/mae-khatuan/documents", "/o/mae-khatuan/contact"] {
            assert!(home.contains(&format!("href=\"{link}\"")), "menu link {link}");
            assert_eq!(app.get(link).await.status(), StatusCode::OK, "{link}");
        }
        // The footer: the demo's contact details, the phone as a tel: link.
        assert!(home.contains("วันจันทร์–วันศุกร์ ๐๘.๓๐–๑๖.๓๐ น."));
        assert!(home.contains(r#"href="tel:054296000""#), "{home}");
        assert!(home.contains("Mae Khatuan Subdistrict Administrative Organization"));
        // The emblem is served at a URL named by its hash, kept for a year.
        let src = home.split("<img src=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let emblem = app.get(&src).await;
        assert_eq!(emblem.status(), StatusCode::OK);
        assert_eq!(emblem.headers()["content-type"], "image/png");
        assert!(emblem.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert!(emblem.bytes().await.unwrap().starts_with(b"\x89PNG"));
        assert_eq!(app.get("/o/mae-khatuan/emblem/0000").await.status(), StatusCode::NOT_FOUND);
        // The audit head left the home page for a page of its own.
        let (hash,): (String,) = sqlx::query_as("SELECT last_hash FROM audit_chain WHERE org_id = $1")
            .bind(app.org_a.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!(!home.contains(&hash));
        let audit = app.get_text("/o/mae-khatuan/audit").await;
        assert!(audit.contains(&hash));
        assert!(audit.contains(r#"<a href="/o/mae-khatuan/audit" aria-current="page">บันทึกการเปลี่ยนแปลงข้อมูล</a>"#), "breadcrumb");
        // What is new: the demo's announcement and its conflict-of-interest manual.
        assert!(home.contains("ประกาศเจตจำนงสุจริต"));
        assert!(home.contains("คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน"));
        assert!(home.contains("ปรับปรุงล่าสุด"));
    }

    async fn news_is_public_only_once_published_and_the_feed_carries_it(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let r = app.post_form("/app/news/new", &csrf, &[("kind", "news"), ("title", ""), ("body", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("กรุณากรอกหัวข้อ") && page.contains("กรุณากรอกเนื้อหา"), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM news_posts WHERE title = ''").await, 0);

        let title = "รับสมัครอาสาสมัครป้องกันภัยฝ่ายพลเรือน <รุ่นที่ ๒> & ประชุมประชาคม";
        let r = app.post_form("/app/news/new", &csrf, &[("kind", "announcement"), ("title", title), ("body", "ย่อหน้าแรก\n\nย่อหน้าที่สอง")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let id = id_in(r.headers()["location"].to_str().unwrap());
        let public = format!("/o/mae-khatuan/news/{id}");
        assert_eq!(app.get(&public).await.status(), StatusCode::NOT_FOUND, "a draft is not public");
        assert!(!app.get_text("/o/mae-khatuan/feed.atom").await.contains("รับสมัครอาสาสมัคร"));

        let r = app.post_form(&format!("/app/news/{id}/publish"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text(&public).await;
        assert!(page.contains("รับสมัครอาสาสมัครป้องกันภัยฝ่ายพลเรือน &#60;รุ่นที่ ๒&#62; &#38; ประชุมประชาคม"), "escaped: {page}");
        assert!(page.contains("<p>ย่อหน้าแรก</p>") && page.contains("<p>ย่อหน้าที่สอง</p>"));
        assert!(app.get_text("/o/mae-khatuan/news").await.contains(&public));
        assert!(app.get_text(HOME).await.contains(&public), "the home page shows it at once (the cache follows the change)");

        let feed = app.get("/o/mae-khatuan/feed.atom").await;
        assert_eq!(feed.headers()["content-type"], "application/atom+xml; charset=utf-8");
        let xml = feed.text().await.unwrap();
        let doc = roxmltree::Document::parse(&xml).expect("the feed is well-formed XML");
        let entries: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name("entry")).collect();
        assert_eq!(entries.len(), 3, "the demo's two posts and this one");
        let newest = entries[0].children().find(|n| n.has_tag_name("title")).unwrap().text().unwrap();
        assert_eq!(newest, title);
        let link = entries[0].children().find(|n| n.has_tag_name("link")).unwrap().attribute("href").unwrap();
        assert_eq!(link, app.url(&public));

        let r = app.post_form(&format!("/app/news/{id}/unpublish"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.get(&public).await.status(), StatusCode::NOT_FOUND);
        assert!(!app.get_text("/o/mae-khatuan/feed.atom").await.contains("รับสมัครอาสาสมัคร"));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'news_post' AND action IN ('publish', 'unpublish')").await, 2);

        // Another organization's admin neither sees nor changes it.
        let csrf_b = app.login(OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/news/{id}")).await.status(), StatusCode::NOT_FOUND);
        let r = app.post_form(&format!("/app/news/{id}/publish"), &csrf_b, &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/other-town/news/{id}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn a_document_keeps_its_url_through_new_versions_and_the_old_files_stay(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let fields = [
            ("category", "order"),
            ("title", "คำสั่งแต่งตั้งคณะทำงานส่งเสริมคุณธรรมและความโปร่งใส"),
            ("description", "แต่งตั้งคณะทำงานตามมาตรการประจำปี"),
            ("issued_on", "๓/๑๐/๒๕๖๖"),
            ("fiscal_year", ""),
        ];
        // Refused: a web page named .pdf, and a date in the Christian era; nothing is stored.
        let r = app.upload_document(&csrf, &fields, "order.pdf", b"<html><script>alert(1)</script>".to_vec()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ไฟล์ &#34;order.pdf&#34; ไม่ใช่ชนิดที่รับ"));
        let mut bad_date = fields;
        bad_date[3] = ("issued_on", "3/10/2023");
        let r = app.upload_document(&csrf, &bad_date, "order.pdf", pdf("v1")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("วันที่ของเอกสาร"));
        assert_eq!(app.count("SELECT COUNT(*) FROM documents WHERE category = 'order'").await, 0);

        let r = app.upload_document(&csrf, &fields, "order.pdf", pdf("v1")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let id = id_in(r.headers()["location"].to_str().unwrap());
        let page = app.get_text(&format!("/o/mae-khatuan/documents/{id}")).await;
        assert!(page.contains("คำสั่งแต่งตั้งคณะทำงาน") && page.contains("๓ ต.ค. ๒๕๖๖") && page.contains("พ.ศ. ๒๕๖๗"), "fiscal year from the date: {page}");
        assert!(app.get_text("/o/mae-khatuan/documents").await.contains(&format!("/o/mae-khatuan/documents/{id}")));

        let file = format!("/o/mae-khatuan/documents/{id}/file");
        let r = app.get(&file).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        assert!(r.bytes().await.unwrap().ends_with(b"v1\n%%EOF\n"));
        let again = app.client.get(app.url(&file)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

        let r = app.upload_version(&csrf, id, "แก้ไขรายชื่อคณะทำงาน", "order-v2.pdf", pdf("v2")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let latest = app.get(&file).await.bytes().await.unwrap();
        assert!(latest.ends_with(b"v2\n%%EOF\n"), "the stable URL follows the new version");
        let v1 = app.get(&format!("/o/mae-khatuan/documents/{id}/v/1")).await;
        assert!(v1.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert!(v1.bytes().await.unwrap().ends_with(b"v1\n%%EOF\n"), "version 1 stays");
        let page = app.get_text(&format!("/o/mae-khatuan/documents/{id}")).await;
        assert!(page.contains("ฉบับก่อนหน้า") && page.contains("order.pdf"), "{page}");
        // A real PDF cut short (a download that broke off) is refused by name, and no version is added.
        let real = app.get("/o/mae-khatuan/ita/2566/measures.pdf").await.bytes().await.unwrap();
        let cut = real[..real.len() * 2 / 3].to_vec();
        let r = app.upload_version(&csrf, id, "ฉบับที่ดาวน์โหลดไม่เสร็จ", "order-v3.pdf", cut).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refusal = r.text().await.unwrap();
        assert!(refusal.contains("ไฟล์ &#34;order-v3.pdf&#34; ไม่ครบ"), "{refusal}");
        let r = app.upload_version(&csrf, id, "ฉบับเต็ม", "order-v3.pdf", real.to_vec()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the same file whole is taken");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM document_versions WHERE document_id = {id}")).await, 3);

        // Another organization: its URLs and its admin reach nothing of this one.
        assert_eq!(app.get(&format!("/o/other-town/documents/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/other-town/documents/{id}/file")).await.status(), StatusCode::NOT_FOUND);
        let csrf_b = app.login(OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/documents/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/app/documents/{id}/v/1")).await.status(), StatusCode::NOT_FOUND);
        let r = app.upload_version(&csrf_b, id, "", "x.pdf", pdf("intruder")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM document_versions WHERE document_id = {id}")).await, 3);
    }

    async fn staff_acknowledge_the_manual_meant_for_them_per_version_and_a_measure_can_cite_it(app: TestApp) {
        let mut app = app;
        let manual = app.count(&format!("SELECT MIN(id) FROM documents WHERE org_id = {} AND for_staff = 1", app.org_a.id.0)).await;
        let public = format!("/o/mae-khatuan/documents/{manual}");
        assert!(app.get_text(&public).await.contains("แล้ว ๐ จาก ๓ คน"), "the demo's three staff");
        let csrf = app.login("supplies").await;
        assert!(app.get_text("/app/documents").await.contains("เอกสารที่ท่านต้องอ่านและรับทราบ"));
        let r = app.post_form(&format!("/app/documents/{manual}/acknowledge"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&format!("/app/documents/{manual}/acknowledge"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "a second click changes nothing");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM document_acks WHERE document_id = {manual}")).await, 1);
        let page = app.get_text(&format!("/app/documents/{manual}")).await;
        assert!(page.contains("รับทราบแล้ว ๑ จาก ๓ คน (ฉบับที่ ๑)") && page.contains("ท่านรับทราบแล้วเมื่อ"), "{page}");
        assert!(!app.get_text("/app/documents").await.contains("เอกสารที่ท่านต้องอ่านและรับทราบ"));
        assert!(app.get_text(&public).await.contains("แล้ว ๑ จาก ๓ คน"), "the public page follows at once");
        let line = prongsai::measures::figures::render(&app.db, &app.org_a, 2566, "documents.acknowledged").await.unwrap();
        assert!(line.contains("คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน ฉบับที่ ๑: ๑ จาก ๓ คน"), "{line}");

        // A new version is read again.
        let r = app.upload_version(&csrf, manual, "ปรับปรุงแนวทาง", "coi-v2.pdf", pdf("v2")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(app.get_text(&public).await.contains("ฉบับที่ ๒ แล้ว ๐ จาก ๓ คน"));
        // A document not meant for staff, and another organization, take no acknowledgment.
        let rule = app.count(&format!("SELECT MIN(id) FROM documents WHERE org_id = {} AND for_staff = 0", app.org_a.id.0)).await;
        assert_eq!(app.post_form(&format!("/app/documents/{rule}/acknowledge"), &csrf, &[]).await.status(), StatusCode::NOT_FOUND);
        let csrf_b = app.login(OTHER_ADMIN).await;
        assert_eq!(app.post_form(&format!("/app/documents/{manual}/acknowledge"), &csrf_b, &[]).await.status(), StatusCode::NOT_FOUND);
    }

    async fn a_service_point_lists_its_facilities_and_photos_for_citizens(app: TestApp) {
        let mut app = app;
        let point = app.count(&format!("SELECT MIN(id) FROM queue_points WHERE org_id = {}", app.org_a.id.0)).await;
        let page = app.get_text("/o/mae-khatuan/points").await;
        assert!(page.contains("ที่นั่งรอรับบริการ") && page.contains("ทางลาดสำหรับรถเข็น") && !page.contains("ห้องน้ำสำหรับผู้พิการ"), "the demo's: {page}");
        let service = app.count(&format!(
            "SELECT MIN(s.service_id) FROM queue_point_services s WHERE s.point_id = {point}"
        )).await;
        assert!(app.get_text(&format!("/o/mae-khatuan/services/{service}")).await.contains("อินเทอร์เน็ตไร้สาย (Wi-Fi) ฟรี"), "the service's page names its point's facilities");

        let csrf = app.login("admin").await;
        let r = app.post_form(&format!("/app/queue/points/{point}/facilities"), &csrf, &[("facility", "accessible_toilet"), ("facility", "seating"), ("facility", "<b>")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text("/o/mae-khatuan/points").await;
        assert!(page.contains("ห้องน้ำสำหรับผู้พิการและผู้สูงอายุ") && !page.contains("ทางลาดสำหรับรถเข็น"));
        // The citizen manuals print them too: the service's manual and the booklet of all of them.
        let manual = crate::services::pdftotext(&app.get(&format!("/app/services/{service}/draft.pdf")).await.bytes().await.unwrap());
        assert!(manual.contains("สิ่งอำนวยความสะดวกสำหรับผู้รับบริการ"), "{manual}");
        assert!(manual.contains("ที่นั่งรอรับบริการ,ห้องน้ำสำหรับผู้พิการและผู้สูงอายุ") && !manual.contains("ทางลาด"), "{manual}");
        let booklet = crate::services::pdftotext(&app.get("/o/mae-khatuan/services/booklet.pdf").await.bytes().await.unwrap());
        assert!(booklet.contains("ห้องน้ำสำหรับผู้พิการและผู้สูงอายุ"), "{booklet}");

        let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/seed/emblem-mae-khatuan.png")).unwrap();
        let form = Form::new().text("caption", "ที่นั่งรอหน้าช่องบริการ").part("photo", Part::bytes(png).file_name("seats.png"));
        let r = app.client.post(app.url(&format!("/app/queue/points/{point}/photos?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text("/o/mae-khatuan/points").await;
        assert!(page.contains("alt=\"ที่นั่งรอหน้าช่องบริการ\""), "a photo carries its caption as alt text");
        let src = page.split("<img src=\"/o/mae-khatuan/points/photos/").nth(1).unwrap().split('"').next().unwrap().to_string();
        let photo = app.get(&format!("/o/mae-khatuan/points/photos/{src}")).await;
        assert_eq!(photo.headers()["content-type"], "image/png");
        assert_eq!(app.get(&format!("/o/other-town/points/photos/{src}")).await.status(), StatusCode::NOT_FOUND);
        let form = Form::new().text("caption", "ไม่ใช่รูป").part("photo", Part::bytes(b"%PDF-1.4".to_vec()).file_name("x.png"));
        let r = app.client.post(app.url(&format!("/app/queue/points/{point}/photos?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("รับเฉพาะรูปภาพ PNG หรือ JPEG"));

        let csrf_b = app.login(OTHER_ADMIN).await;
        let r = app.post_form(&format!("/app/queue/points/{point}/facilities"), &csrf_b, &[("facility", "water")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(!app.get_text("/o/mae-khatuan/points").await.contains(">น้ำดื่ม<"), "unchanged by the other organization");
    }

    async fn search_finds_a_thai_word_inside_unspaced_text_and_only_whole_words(app: TestApp) {
        // ทับซ้อน appears only inside "…เพื่อป้องกันผลประโยชน์ทับซ้อน", written without spaces.
        let found = app.get_text("/o/mae-khatuan/search?q=ทับซ้อน").await;
        assert!(found.contains("คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน"), "{found}");
        assert!(found.contains("/o/mae-khatuan/documents/"));
        let two_words = app.get_text("/o/mae-khatuan/search?q=เจตจำนง%20สุจริต").await;
        assert!(two_words.contains("ประกาศเจตจำนงสุจริต"), "{two_words}");
        let part = app.get_text("/o/mae-khatuan/search?q=ทับ").await;
        assert!(!part.contains("ผลประโยชน์ทับซ้อน</a>"), "a part of a word is not a hit: {part}");
        assert!(part.contains("ไม่พบ"));
        let other = app.get_text("/o/other-town/search?q=ทับซ้อน").await;
        assert!(!other.contains("ผลประโยชน์ทับซ้อน</a>"), "another organization's search finds nothing of this one");
        let wildcard = app.get_text("/o/mae-khatuan/search?q=%25").await;
        assert!(!wildcard.contains("/documents/"), "% is not a wildcard");
    }

    async fn only_the_admin_sets_the_sites_details_and_a_wrong_one_is_named(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        assert_eq!(app.get("/app/site").await.status(), StatusCode::FORBIDDEN);
        let r = app.post_form("/app/site", &csrf, &[("address", "ที่อื่น")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        let csrf = app.login("admin").await;
        let r = app.post_form("/app/site", &csrf, &[("email", "saraban at maekhatuan"), ("map_url", "javascript:alert(1)")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("อีเมล &#34;saraban at maekhatuan&#34; ไม่ถูกต้อง") && page.contains("ลิงก์แผนที่ต้องขึ้นต้นด้วย https://"), "{page}");
        assert!(app.get_text("/o/mae-khatuan/contact").await.contains("saraban@maekhatuan.example"), "nothing half-saved");

        let r = app
            .post_form("/app/site", &csrf, &[("address", "ที่ทำการใหม่ ตำบลแม่คะตวน"), ("phone", "054-296-001"), ("email", "info@maekhatuan.example")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let contact = app.get_text("/o/mae-khatuan/contact").await;
        assert!(contact.contains("ที่ทำการใหม่ ตำบลแม่คะตวน") && contact.contains(r#"href="tel:054296001""#));
        assert!(!contact.contains("วันจันทร์–วันศุกร์"), "an emptied field is not shown");

        let form = Form::new().part("emblem", Part::bytes(b"GIF89a....".to_vec()).file_name("emblem.png"));
        let r = app.client.post(app.url(&format!("/app/site/emblem?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("รับเฉพาะรูปภาพ PNG หรือ JPEG"));
    }
}
