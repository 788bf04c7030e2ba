//! The measures report's life (issue 12, items 1 and 7): a draft is not public; an executive
//! approves it; publishing freezes a numbered version whose files are stored and served with an
//! ETag; a correction is the next version while the earlier one stays as it was.

use std::io::Read as _;
use std::process::Command;

use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::harness::*;

/// A new 2567 measure through the staff form (a year with only a draft).
async fn draft_2567(app: &TestApp, csrf: &str) {
    let fields = [
        ("title", "จัดทำระบบยืม-คืนพัสดุออนไลน์"),
        ("indicators", "4"),
        ("methods", "๑. จัดทำระบบ"),
        ("status", "planned"),
        ("progress", "0"),
    ];
    let r = app.post_form("/app/measures/new?year=2567", csrf, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// The hidden `seen` field of the approval form (the draft the executive read).
fn seen_in(page: &str) -> String {
    let marker = "name=\"seen\" value=\"";
    let start = page.find(marker).expect("the page has the approval form") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

/// Approves `year` through the executive's form on the measures list page.
async fn approve_on_the_page(app: &TestApp, csrf: &str, year: &str, date: &str) -> reqwest::Response {
    let page = app.get_text(&format!("/app/measures?year={year}")).await;
    let seen = seen_in(&page);
    let fields = [
        ("year", year),
        ("approver_name", "นายประเสริฐ ทองดี"),
        ("approver_position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน"),
        ("approved_on", date),
        ("seen", seen.as_str()),
    ];
    app.post_form("/app/measures/approve", csrf, &fields).await
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap()
}

fn docx_text(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// A second browser logged in as `username` of the demo organization, and its CSRF token.
async fn browser(app: &TestApp, username: &str) -> (reqwest::Client, String) {
    let client = new_client();
    assert_redirect_to(&app.try_login(&client, "mae-khatuan", username, PASSWORD).await, "/app");
    let page = client.get(app.url("/app/measures")).send().await.unwrap().text().await.unwrap();
    (client, csrf_in(&page))
}

async fn post_as(
    app: &TestApp,
    (client, csrf): &(reqwest::Client, String),
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(app.url(path)).form(&all).send().await.unwrap()
}

async fn bytes(app: &TestApp, path: &str) -> Vec<u8> {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.bytes().await.unwrap().to_vec()
}

crate::on_both_databases! {
    async fn a_draft_is_not_public_until_an_executive_approves_and_it_is_published(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        draft_2567(&app, &csrf).await;
        for path in ["/o/mae-khatuan/ita/2567/measures", "/o/mae-khatuan/ita/2567/measures.pdf", "/o/mae-khatuan/ita/2567/measures.docx"] {
            let r = app.get(path).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(r.text().await.unwrap().contains("ยังไม่ได้เผยแพร่รายงาน"), "{path} says it is not published yet");
        }
        let home = app.get_text("/o/mae-khatuan/").await;
        assert!(home.contains("/ita/2566/measures") && !home.contains("/ita/2567/measures"), "only published years are listed");
        let list = app.get_text("/app/measures?year=2567").await;
        assert!(list.contains("ร่าง (ยังไม่เผยแพร่)"));
        let draft = bytes(&app, "/app/measures/report?year=2567&format=pdf").await;
        assert!(pdf_text(&draft).contains("ร่าง"), "the staff draft is marked as a draft");
        assert!(!pdf_text(&draft).contains("ผู้บริหารเห็นชอบ"));

        // Staff may not approve; nothing can be published before an approval.
        let r = app.post_form("/app/measures/approve", &csrf, &[("year", "2567"), ("approver_name", "ก"), ("approver_position", "ข"), ("approved_on", "15/11/2566")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = app.post_form("/app/measures/publish", &csrf, &[("year", "2567")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ยังไม่ได้รับความเห็นชอบจากผู้บริหาร"));
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_report_approvals WHERE fiscal_year = 2567").await, 0);

        let csrf = app.login(DEMO_EXECUTIVE).await;
        let r = approve_on_the_page(&app, &csrf, "2567", "๑๕/๑๑/๒๕๖๖").await;
        assert_redirect_to(&r, "/app/measures?year=2567#report-life");
        assert!(app.get_text("/app/measures?year=2567").await.contains("ผู้บริหารเห็นชอบแล้ว รอเผยแพร่"));
        let r = app.post_form("/app/measures/publish", &csrf, &[("year", "2567")]).await;
        assert_redirect_to(&r, "/app/measures?year=2567#report-life");
        assert!(app.get_text("/app/measures?year=2567").await.contains("เผยแพร่ฉบับที่ ๑ เมื่อ"));

        let page = without_word_marks(&app.get_text("/o/mae-khatuan/ita/2567/measures").await);
        for text in ["จัดทำระบบยืม-คืนพัสดุออนไลน์", "ฉบับที่ ๑", "ปรับปรุงล่าสุด", "ผู้บริหารเห็นชอบ", "(นายประเสริฐ ทองดี)", "วันที่ ๑๕ พฤศจิกายน พ.ศ. ๒๕๖๖"] {
            assert!(page.contains(text), "the public page shows {text}");
        }
        assert!(!page.contains("ร่าง –"));
        let pdf = pdf_text(&bytes(&app, "/o/mae-khatuan/ita/2567/measures.pdf").await);
        for text in ["ผู้บริหารเห็นชอบ", "(นายประเสริฐ ทองดี)", "ตำแหน่ง นายกองค์การบริหารส่วนตำบลแม่คะตวน", "วันที่ ๑๕ พฤศจิกายน พ.ศ. ๒๕๖๖", "ฉบับที่ ๑ เผยแพร่เมื่อ"] {
            assert!(pdf.contains(text), "the published PDF prints {text}:\n{pdf}");
        }
        assert!(!pdf.contains("ร่าง –"), "a published PDF has no draft mark");
        let docx = docx_text(&bytes(&app, "/o/mae-khatuan/ita/2567/measures.docx").await);
        assert!(docx.contains("ผู้บริหารเห็นชอบ") && docx.contains("(นายประเสริฐ ทองดี)") && docx.contains("วันที่ ๑๕ พฤศจิกายน พ.ศ. ๒๕๖๖"));
        assert!(app.get_text("/o/mae-khatuan/").await.contains("/ita/2567/measures"));
        let (approvals, publications) = (
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'approve' AND entity = 'measure_report'").await,
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'publish' AND entity = 'measure_report'").await,
        );
        assert_eq!((approvals, publications), (2, 2), "the demo's and this one, each audited");
    }

    async fn an_edit_after_approval_blocks_publishing_until_the_executive_approves_again(app: TestApp) {
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let r = app.post_form("/app/measures/publish", &csrf, &[("year", "2566")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "the demo's approval is published already");
        let staff = browser(&app, DEMO_STAFF).await;
        post_as(&app, &staff, "/app/measures/intro", &[("year", "2566"), ("intro", "ย่อหน้าเปิดฉบับแก้ไขครั้งที่หนึ่ง")]).await;
        let list = app.get_text("/app/measures?year=2566").await;
        assert!(list.contains("แก้ไขหลังเผยแพร่"), "the draft differs from version 1");
        let seen = seen_in(&list);
        let r = approve_on_the_page(&app, &csrf, "2566", "29/9/2566").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // Edited after the approval: publishing is refused, and the page says why.
        post_as(&app, &staff, "/app/measures/intro", &[("year", "2566"), ("intro", "ย่อหน้าเปิดฉบับแก้ไขครั้งที่สอง")]).await;
        let r = post_as(&app, &staff, "/app/measures/publish", &[("year", "2566")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ถูกแก้ไขหลังจากผู้บริหารเห็นชอบ"));
        assert!(app.get_text("/app/measures?year=2566").await.contains("ต้องให้ผู้บริหารเห็นชอบร่างฉบับปัจจุบันอีกครั้งก่อนเผยแพร่"));
        // An approval of a draft the executive did not read is refused too.
        let stale = [("year", "2566"), ("approver_name", "นายประเสริฐ ทองดี"), ("approver_position", "นายก"), ("approved_on", "29/9/2566"), ("seen", seen.as_str())];
        let r = app.post_form("/app/measures/approve", &csrf, &stale).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("เปลี่ยนไประหว่างทำรายการนี้"));
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_report_versions").await, 1);
        let r = approve_on_the_page(&app, &csrf, "2566", "30/9/2566").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = post_as(&app, &staff, "/app/measures/publish", &[("year", "2566")]).await;
        assert_redirect_to(&r, "/app/measures?year=2566#report-life");
        let page = without_word_marks(&app.get_text("/o/mae-khatuan/ita/2566/measures").await);
        assert!(page.contains("ย่อหน้าเปิดฉบับแก้ไขครั้งที่สอง") && page.contains("ฉบับที่ ๒") && page.contains("วันที่ ๓๐ กันยายน พ.ศ. ๒๕๖๖"));
    }

    async fn the_approval_form_comes_back_as_typed_with_errors_beside_the_fields(app: TestApp) {
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let page = app.get_text("/app/measures?year=2566").await;
        let fields = [("year", "2566"), ("approver_name", "นายประเสริฐ ทองดี"), ("approver_position", " "), ("approved_on", "29/9/2066"), ("seen", &seen_in(&page))];
        let r = app.post_form("/app/measures/approve", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("กรุณากรอกตำแหน่ง") && page.contains("id=\"approved_on-error\""), "{page}");
        assert!(page.contains("value=\"นายประเสริฐ ทองดี\"") && page.contains("value=\"29/9/2066\""), "what was typed is kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_report_approvals").await, 1);
    }

    async fn a_correction_is_version_2_and_version_1_stays_downloadable_byte_for_byte(app: TestApp) {
        let v1 = [
            bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/1.pdf").await,
            bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/1.docx").await,
            bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/1").await,
        ];
        assert_eq!(bytes(&app, "/o/mae-khatuan/ita/2566/measures.pdf").await, v1[0], "version 1 is the latest");
        let csrf = app.login(DEMO_STAFF).await;
        app.post_form("/app/measures/intro", &csrf, &[("year", "2566"), ("intro", "ย่อหน้าเปิดฉบับแก้ไข")]).await;
        assert!(!without_word_marks(&app.get_text("/o/mae-khatuan/ita/2566/measures").await).contains("ย่อหน้าเปิดฉบับแก้ไข"), "a draft edit is not public");
        assert_eq!(app.publish_report(2566).await, 2);
        let latest = without_word_marks(&app.get_text("/o/mae-khatuan/ita/2566/measures").await);
        assert!(latest.contains("ย่อหน้าเปิดฉบับแก้ไข") && latest.contains("ฉบับที่ ๒"));
        assert!(latest.contains("ฉบับก่อนหน้า") && latest.contains("/o/mae-khatuan/ita/2566/measures/v/1\">ฉบับที่ ๑ เผยแพร่เมื่อ ๒๙ ก.ย. ๒๕๖๖"), "{latest}");
        let v2_pdf = bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/2.pdf").await;
        assert_eq!(bytes(&app, "/o/mae-khatuan/ita/2566/measures.pdf").await, v2_pdf);
        assert_ne!(v2_pdf, v1[0]);
        assert!(pdf_text(&v2_pdf).contains("ย่อหน้าเปิดฉบับแก้ไข"));
        assert_eq!(bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/1.pdf").await, v1[0], "version 1's PDF is unchanged");
        assert_eq!(bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/1.docx").await, v1[1]);
        assert_eq!(bytes(&app, "/o/mae-khatuan/ita/2566/measures/v/1").await, v1[2]);
        assert!(!pdf_text(&v1[0]).contains("ย่อหน้าเปิดฉบับแก้ไข"));
        assert_eq!(app.get("/o/mae-khatuan/ita/2566/measures/v/3").await.status(), StatusCode::NOT_FOUND);
        let list = app.get_text("/app/measures?year=2566").await;
        assert!(list.contains("เผยแพร่ฉบับที่ ๒ เมื่อ") && list.contains("/o/mae-khatuan/ita/2566/measures/v/1.pdf"));
    }

    async fn stored_files_carry_their_sha256_as_etag_and_answer_304(app: TestApp) {
        for path in ["/o/mae-khatuan/ita/2566/measures.pdf", "/o/mae-khatuan/ita/2566/measures.docx", "/o/mae-khatuan/ita/2566/measures"] {
            let r = app.get(path).await;
            assert_eq!(r.status(), StatusCode::OK);
            let etag = r.headers()["etag"].to_str().unwrap().to_string();
            assert_eq!(r.headers()["cache-control"], "public, no-cache", "the latest is revalidated: {path}");
            let body = r.bytes().await.unwrap();
            assert_eq!(etag, format!("\"{}\"", hex::encode(Sha256::digest(&body))), "{path}");
            let again = app.client.get(app.url(path)).header("if-none-match", &etag).send().await.unwrap();
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
            assert_eq!(again.headers()["etag"], etag.as_str());
            assert!(again.bytes().await.unwrap().is_empty());
            let other = app.client.get(app.url(path)).header("if-none-match", "\"0000\"").send().await.unwrap();
            assert_eq!(other.status(), StatusCode::OK);
        }
        let r = app.get("/o/mae-khatuan/ita/2566/measures/v/1.pdf").await;
        assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"), "a numbered version never changes");
        let old = r.headers()["etag"].to_str().unwrap().to_string();
        // A new version: the latest URL answers the new file to the old ETag.
        let csrf = app.login(DEMO_STAFF).await;
        app.post_form("/app/measures/intro", &csrf, &[("year", "2566"), ("intro", "ย่อหน้าเปิดฉบับที่สอง")]).await;
        app.publish_report(2566).await;
        let r = app.client.get(app.url("/o/mae-khatuan/ita/2566/measures.pdf")).header("if-none-match", &old).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_ne!(r.headers()["etag"].to_str().unwrap(), old);
    }

    async fn another_organization_never_sees_approves_or_publishes_the_demos_report(app: TestApp) {
        assert_eq!(app.get("/o/other-town/ita/2566/measures").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/other-town/ita/2566/measures/v/1.pdf").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/other-town/ita/2566/measures.pdf").await.status(), StatusCode::NOT_FOUND);
        assert!(!app.get_text("/o/other-town/").await.contains("/ita/2566/measures"));
        // The demo's draft after an edit, so that a publication would make version 2.
        let demo = browser(&app, DEMO_STAFF).await;
        post_as(&app, &demo, "/app/measures/intro", &[("year", "2566"), ("intro", "ย่อหน้าเปิดที่ยังไม่อนุมัติ")]).await;
        let executive = browser(&app, DEMO_EXECUTIVE).await;
        let seen = seen_in(&executive.0.get(app.url("/app/measures?year=2566")).send().await.unwrap().text().await.unwrap());
        prongsai::auth::users::create(
            &app.db,
            &prongsai::auth::users::NewUser { org: app.org_b.id, username: "other-executive", display_name: "นายกเทศมนตรีตำบลทดสอบ", password: PASSWORD, role: prongsai::auth::Role::Executive, division_id: None },
            "test",
        )
        .await
        .unwrap();
        let other = new_client();
        assert_eq!(app.try_login(&other, "other-town", "other-executive", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let page = other.get(app.url("/app/measures?year=2566")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("ฉบับที่ ๑"), "org B's list shows none of org A's versions");
        let csrf = csrf_in(&page);
        let fields = [("_csrf", csrf.as_str()), ("year", "2566"), ("approver_name", "ก"), ("approver_position", "ข"), ("approved_on", "29/9/2566"), ("seen", seen.as_str())];
        let r = other.post(app.url("/app/measures/approve")).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "org B has no 2566 measures to approve");
        let r = other.post(app.url("/app/measures/publish")).form(&[("_csrf", csrf.as_str()), ("year", "2566")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_report_approvals").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_report_versions").await, 1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_report_versions WHERE org_id = {}", app.org_b.id.0)).await, 0);
        assert_eq!(post_as(&app, &demo, "/app/measures/publish", &[("year", "2566")]).await.status(), StatusCode::CONFLICT, "the demo's draft is still unapproved");
    }

    async fn the_command_line_publishes_only_an_approved_report(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        draft_2567(&app, &csrf).await;
        let out = prongsai_cli(&app.db_url, &["report", "publish", "--org", "mae-khatuan", "--year", "2567"]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("ยังไม่ได้รับความเห็นชอบจากผู้บริหาร") && err.contains("no executive approval"), "{err}");
        let out = prongsai_cli(&app.db_url, &["report", "approve", "--org", "mae-khatuan", "--year", "2567", "--name", "นายประเสริฐ ทองดี", "--position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน", "--date", "15/11/2566"]);
        cli_ok(&out);
        let out = cli_ok(&prongsai_cli(&app.db_url, &["report", "publish", "--org", "mae-khatuan", "--year", "2567"]));
        assert!(out.contains("published version 1"), "{out}");
        let out = prongsai_cli(&app.db_url, &["report", "publish", "--org", "mae-khatuan", "--year", "2567"]);
        assert_eq!(out.status.code(), Some(2), "the same approval is not published twice");
        assert!(pdf_text(&bytes(&app, "/o/mae-khatuan/ita/2567/measures/v/1.pdf").await).contains("วันที่ ๑๕ พฤศจิกายน พ.ศ. ๒๕๖๖"));
        // The existing commands keep working.
        let dir = tempfile::tempdir().unwrap();
        let md = dir.path().join("r.md");
        cli_ok(&prongsai_cli(&app.db_url, &["report", "measures", "--org", "mae-khatuan", "--year", "2567", "--format", "md", "--out", md.to_str().unwrap()]));
    }
}
