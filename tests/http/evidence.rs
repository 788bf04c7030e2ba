use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::harness::*;

crate::on_both_databases! {
    async fn an_uploaded_pdf_is_kept_byte_for_byte_with_its_sha256_and_published(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let pdf = b"%PDF-1.4\n% evidence of the lending manual\n%%EOF\n".to_vec();
        let r = app.upload_evidence(&csrf, measure, "หลักฐาน", "คู่มือการยืม.pdf", pdf.clone()).await;
        let sha = hex::encode(Sha256::digest(&pdf));
        assert_redirect_to(&r, &format!("/app/measures/{measure}/evidence?done=file"));
        let page = app.get_text(&format!("/app/measures/{measure}/evidence?done=file")).await;
        assert!(page.contains(&sha[..16]), "the evidence page shows the file's fingerprint");
        assert!(page.contains("แนบไฟล์หลักฐานแล้ว"), "and confirms the upload");
        let (id, stored_sha): (i64, String) = sqlx::query_as("SELECT id, sha256 FROM evidence").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(stored_sha, sha);
        let downloaded = app.get(&format!("/app/evidence/{id}")).await.bytes().await.unwrap();
        assert_eq!(downloaded.as_ref(), pdf.as_slice());
        // Evidence attached after a publication is listed from the next version on.
        app.publish_report(2566).await;
        let public = app.get_text("/o/mae-khatuan/ita/2566/measures").await;
        assert!(public.contains(&format!("/o/mae-khatuan/evidence/{id}")));
        let published = app.get(&format!("/o/mae-khatuan/evidence/{id}")).await.bytes().await.unwrap();
        assert_eq!(published.as_ref(), pdf.as_slice());
        assert_eq!(app.get(&format!("/o/other-town/evidence/{id}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn a_file_that_is_not_what_its_name_says_is_refused(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let r = app.upload_evidence(&csrf, measure, "หลักฐาน", "manual.pdf", b"MZ\x90\x00 not a pdf".to_vec()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ไม่ใช่ชนิดที่รับ"));
        let r = app.upload_evidence(&csrf, measure, "หลักฐาน", "script.exe", b"MZ".to_vec()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 0);
    }

    async fn a_file_over_the_size_limit_is_refused(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let mut big = b"%PDF-1.4\n".to_vec();
        // Just over the 20 MB limit, within the request-size cap: the server reads it all and refuses it.
        big.resize(20 * 1024 * 1024 + 10 * 1024, b' ');
        let r = app.upload_evidence(&csrf, measure, "หลักฐาน", "big.pdf", big).await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 0);
    }

    async fn a_link_must_be_a_web_address(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let r = app.post_form(&format!("/app/measures/{measure}/evidence/link"), &csrf, &[("title", "x"), ("url", "javascript:alert(1)")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = app.post_form(&format!("/app/measures/{measure}/evidence/link"), &csrf, &[("title", "ประกาศ"), ("url", "https://maekhatuan.go.th/a")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 1);
    }
}
