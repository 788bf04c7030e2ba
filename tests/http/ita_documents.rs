//! The ITA documents (issue 18): O42, the analysis of FY 2565 with the measures of 2566, and O43,
//! the measures' progress at six months, read back from the PDF with pdftotext and from the DOCX;
//! approved and published like the measures report; written by `prongsai ita analysis`.

use std::io::Read as _;
use std::process::Command;

use reqwest::StatusCode;

use crate::harness::*;

fn pdftotext(pdf: &[u8], layout: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut command = Command::new("pdftotext");
    if layout {
        command.arg("-layout");
    }
    let out = command.arg(&path).arg("-").output().expect("poppler-utils installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a DOCX's body, paragraphs on their own lines.
fn docx_text(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    for piece in xml.split('<').skip(1) {
        let (tag, content) = piece.split_once('>').unwrap_or((piece, ""));
        if tag.starts_with("w:t") && !tag.starts_with("w:tbl") && !tag.starts_with("w:tc") && !tag.starts_with("w:tr") {
            text.push_str(content);
        } else if tag == "/w:p" {
            text.push('\n');
        }
    }
    text.replace("&quot;", "\"").replace("&amp;", "&")
}

/// Where each of `texts` first appears in `haystack` after the previous one; fails naming the
/// first one missing or out of order.
fn in_order(haystack: &str, texts: &[&str]) {
    let mut from = 0;
    for text in texts {
        match haystack[from..].find(text) {
            Some(at) => from += at + text.len(),
            None => panic!("{text:?} not found (in order) after byte {from} of:\n{haystack}"),
        }
    }
}

/// The hidden `seen` field of kind `code`'s approval form.
fn seen_of(page: &str, code: &str) -> String {
    let section = page.split(&format!("<section id=\"{code}\"")).nth(1).expect("the kind's section");
    let marker = "name=\"seen\" value=\"";
    let start = section.find(marker).expect("the approval form") + marker.len();
    section[start..start + section[start..].find('"').unwrap()].to_string()
}

async fn bytes(app: &TestApp, path: &str) -> Vec<u8> {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.bytes().await.unwrap().to_vec()
}

async fn approve(app: &TestApp, csrf: &str, code: &str) -> reqwest::Response {
    let page = app.get_text("/app/ita/documents?year=2566").await;
    let seen = seen_of(&page, code);
    let fields = [
        ("kind", code),
        ("year", "2566"),
        ("approver_name", "นายประเสริฐ ทองดี"),
        ("approver_position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน"),
        ("approved_on", "๑๕/๑๑/๒๕๖๕"),
        ("seen", seen.as_str()),
    ];
    app.post_form("/app/ita/documents/approve", csrf, &fields).await
}

/// The indicators of the 2565 catalogue, as the table prints them ("๑. การปฏิบัติหน้าที่").
const INDICATORS: [&str; 10] = [
    "๑. การปฏิบัติหน้าที่",
    "๒. การใช้งบประมาณ",
    "๓. การใช้อำนาจ",
    "๔. การใช้ทรัพย์สินของราชการ",
    "๕. การแก้ไขปัญหาการทุจริต",
    "๖. คุณภาพการดำเนินงาน",
    "๗. ประสิทธิภาพการสื่อสาร",
    "๘. การปรับปรุงระบบการทำงาน",
    "๙. การเปิดเผยข้อมูล",
    "๑๐. การป้องกันการทุจริต",
];

/// The seed's 2566 measures, by the start of their titles.
const MEASURES: [&str; 3] = ["จัดทำคู่มือ", "กำกับติดตาม", "เพิ่มกลไก"];

crate::on_both_databases! {
    async fn the_o42_document_reads_back_in_order_from_the_pdf_and_the_docx(app: TestApp) {
        app.login(DEMO_STAFF).await;
        let pdf = bytes(&app, "/app/ita/documents/o42/2566.pdf").await;
        for layout in [true, false] {
            let text = pdftotext(&pdf, layout);
            in_order(&text, &["รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส", "พ.ศ. ๒๕๖๕", "พ.ศ. ๒๕๖๖", "องค์การบริหารส่วนตำบลแม่คะตวน"]);
            let mut expected = vec!["๑. ผลการประเมิน ITA", "คะแนนรวม"];
            expected.extend(INDICATORS);
            expected.extend(["๒. ผลการวิเคราะห์", "ตัวชี้วัดที่ ๔", "ประเด็นที่ต้องแก้ไข", "๓. มาตรการส่งเสริมคุณธรรมและความโปร่งใส"]);
            expected.extend(MEASURES);
            in_order(&text, &expected);
            assert!(text.contains("ไม่ผ่าน"), "indicator 4 is below 85");
            assert!(text.contains("ร่าง"), "a draft is marked");
        }
        let docx = docx_text(&bytes(&app, "/app/ita/documents/o42/2566.docx").await);
        let mut expected = vec![
            "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)",
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ และมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            "๑. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        ];
        expected.extend(INDICATORS);
        expected.extend(["๒. ผลการวิเคราะห์และประเด็นที่ต้องแก้ไข", "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ", "๓. มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"]);
        expected.extend(MEASURES);
        in_order(&docx, &expected);
    }

    async fn the_o43_six_month_report_lists_each_measures_status_and_progress(app: TestApp) {
        app.login(DEMO_STAFF).await;
        let pdf = pdftotext(&bytes(&app, "/app/ita/documents/o43-6m/2566.pdf").await, false);
        let mut expected = vec!["รายงานผลการดำเนินการตามมาตรการ", "(รอบ ๖ เดือน)", "๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖"];
        expected.extend(MEASURES);
        in_order(&pdf, &expected);
        assert_eq!(pdf.matches("สถานะ:").count(), 3, "each measure's status:\n{pdf}");
        assert!(pdf.contains("ความคืบหน้าร้อยละ"));
        let docx = docx_text(&bytes(&app, "/app/ita/documents/o43-12m/2566.docx").await);
        in_order(&docx, &["รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ (รอบ ๑๒ เดือน)", MEASURES[0], "สถานะ:", MEASURES[2]]);
    }

    async fn an_approved_o42_is_published_and_served_byte_for_byte_and_another_org_gets_404(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(app.get("/o/mae-khatuan/ita/analysis/2566/v1.pdf").await.status(), StatusCode::NOT_FOUND, "nothing published yet");
        // Staff may not approve, and nothing is published without an approval.
        let r = app.post_form("/app/ita/documents/approve", &csrf, &[("kind", "o42"), ("year", "2566"), ("approver_name", "ก"), ("approver_position", "ข"), ("approved_on", "15/11/2565")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = app.post_form("/app/ita/documents/publish", &csrf, &[("kind", "o42"), ("year", "2566")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);

        let csrf = app.login(DEMO_EXECUTIVE).await;
        assert_redirect_to(&approve(&app, &csrf, "o42").await, "/app/ita/documents?year=2566#o42");
        let r = app.post_form("/app/ita/documents/publish", &csrf, &[("kind", "o42"), ("year", "2566")]).await;
        assert_redirect_to(&r, "/app/ita/documents?year=2566#o42");
        let stored: Vec<u8> = sqlx::query_scalar("SELECT pdf FROM ita_document_versions WHERE kind = 'o42' AND version = 1")
            .fetch_one(&app.db.pool).await.unwrap();
        let served = bytes(&app, "/o/mae-khatuan/ita/analysis/2566/v1.pdf").await;
        assert_eq!(served, stored, "the public URL serves the stored file byte for byte");
        assert_eq!(bytes(&app, "/o/mae-khatuan/ita/analysis/2566/v1.pdf").await, served, "and the same again");
        let text = pdftotext(&served, false);
        assert!(text.contains("ผู้บริหารเห็นชอบ") && text.contains("(นายประเสริฐ ทองดี)") && !text.contains("ร่าง –"), "{text}");
        let docx = docx_text(&bytes(&app, "/o/mae-khatuan/ita/analysis/2566/v1.docx").await);
        assert!(docx.contains("ฉบับที่ ๑ เผยแพร่เมื่อ"));
        assert!(app.get_text("/o/mae-khatuan/ita").await.contains("/o/mae-khatuan/ita/analysis/2566/v1.pdf"), "listed on the public ITA page");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'ita_document' AND action IN ('approve', 'publish')").await, 2);

        let other = &app.org_b.slug;
        assert_eq!(app.get(&format!("/o/{other}/ita/analysis/2566/v1.pdf")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/mae-khatuan/ita/analysis/2566/v2.pdf").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/o/mae-khatuan/ita/progress-6m/2566/v1.pdf").await.status(), StatusCode::NOT_FOUND, "another kind is not published");
    }

    async fn an_edit_after_approval_needs_a_new_approval_before_publishing(app: TestApp) {
        let csrf = app.login(DEMO_EXECUTIVE).await;
        assert_eq!(approve(&app, &csrf, "o42").await.status(), StatusCode::SEE_OTHER);
        let seen = seen_of(&app.get_text("/app/ita/documents?year=2566").await, "o42");
        // The staff add a 2566 measure: the analysis's measures table changes.
        let csrf = app.login(DEMO_STAFF).await;
        let fields = [("title", "จัดทำแผนผังการยืมพัสดุ"), ("indicators", "4"), ("methods", "๑. จัดทำแผนผัง"), ("status", "planned"), ("progress", "0")];
        let r = app.post_form("/app/measures/new?year=2566", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.post_form("/app/ita/documents/publish", &csrf, &[("kind", "o42"), ("year", "2566")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ถูกแก้ไขหลังจากผู้บริหารเห็นชอบ"));
        assert!(app.get_text("/app/ita/documents?year=2566").await.contains("ต้องขอความเห็นชอบใหม่"));
        // Approving the draft read before the edit is refused too.
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let stale = [("kind", "o42"), ("year", "2566"), ("approver_name", "นายประเสริฐ ทองดี"), ("approver_position", "นายก"), ("approved_on", "15/11/2565"), ("seen", seen.as_str())];
        let r = app.post_form("/app/ita/documents/approve", &csrf, &stale).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("เปลี่ยนไประหว่างทำรายการนี้"));
        assert_eq!(app.count("SELECT COUNT(*) FROM ita_document_versions").await, 0);
        assert_eq!(approve(&app, &csrf, "o42").await.status(), StatusCode::SEE_OTHER);
        let r = app.post_form("/app/ita/documents/publish", &csrf, &[("kind", "o42"), ("year", "2566")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let text = pdftotext(&bytes(&app, "/o/mae-khatuan/ita/analysis/2566/v1.pdf").await, false);
        assert!(text.contains("จัดทำแผนผังการยืมพัสดุ"), "the version has the edit:\n{text}");
    }

    async fn the_cli_writes_the_o42_file_and_refuses_an_unknown_org(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o42.pdf");
        let out_arg = out.to_str().unwrap();
        cli_ok(&prongsai_cli(&app.db_url, &["ita", "analysis", "--org", "mae-khatuan", "--year", "2566", "--format", "pdf", "--out", out_arg]));
        let text = pdftotext(&std::fs::read(&out).unwrap(), false);
        in_order(&text, &["รายงานการวิเคราะห์ผลการประเมิน", INDICATORS[0], INDICATORS[9], MEASURES[0]]);
        let docx = dir.path().join("o42.docx");
        cli_ok(&prongsai_cli(&app.db_url, &["ita", "analysis", "--org", "mae-khatuan", "--year", "2566", "--format", "docx", "--out", docx.to_str().unwrap()]));
        assert!(docx_text(&std::fs::read(&docx).unwrap()).contains(INDICATORS[3]));

        // 2563 has no result but 2564 has: 2564 is analysed with the measures of 2565, and it says so.
        let fallback = prongsai_cli(&app.db_url, &["ita", "analysis", "--org", "mae-khatuan", "--year", "2564", "--format", "pdf", "--out", out_arg]);
        cli_ok(&fallback);
        assert!(String::from_utf8_lossy(&fallback.stderr).contains("analysing 2564 with the measures of 2565"));
        assert!(pdftotext(&std::fs::read(&out).unwrap(), false).contains("พ.ศ. ๒๕๖๔"));

        let refused = prongsai_cli(&app.db_url, &["ita", "analysis", "--org", "no-such-org", "--year", "2566", "--format", "pdf", "--out", out_arg]);
        assert!(!refused.status.success());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("ไม่พบหน่วยงาน") && stderr.contains("no organization"), "{stderr}");
        let no_scores = prongsai_cli(&app.db_url, &["ita", "analysis", "--org", &app.org_b.slug, "--year", "2566", "--format", "pdf", "--out", out_arg]);
        assert!(!no_scores.status.success());
        assert!(String::from_utf8_lossy(&no_scores.stderr).contains("no ITA scores"));
    }
}
