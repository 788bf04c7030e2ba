//! Text pasted from Word (a vertical tab for Shift+Enter) is stored as a line break and the
//! published DOCX still opens; other control characters and NUL bytes are refused with 422 and a
//! Thai message naming the field, at the login, in the measure and item forms and in CSV import.

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

/// Converts a DOCX to PDF with LibreOffice (private profile, the project's fonts) and returns
/// the PDF's text. Fails if LibreOffice cannot open the file.
pub fn libreoffice_text(docx: &[u8], dir: &Path) -> String {
    let input = dir.join("report.docx");
    std::fs::write(&input, docx).unwrap();
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .env("FONTCONFIG_FILE", PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/fonts.conf"))
        .output()
        .expect("soffice installed (libreoffice-writer-nogui)");
    let pdf = dir.join("report.pdf");
    assert!(pdf.exists(), "LibreOffice could not open the DOCX: {}", String::from_utf8_lossy(&out.stderr));
    pdf_text(&pdf)
}

/// The text of a PDF, whitespace removed (Thai lines wrap anywhere).
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

fn measure_fields<'a>(title: &'a str, methods: &'a str, responsible: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("indicators", "4"),
        ("methods", methods),
        ("responsible", responsible),
        ("period", "ต.ค. ๒๕๖๖ – ก.ย. ๒๕๖๗"),
        ("results", ""),
        ("outcomes", ""),
        ("status", "planned"),
        ("progress", "0"),
    ]
}

async fn message_of(r: reqwest::Response) -> String {
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    r.text().await.unwrap()
}

crate::on_both_databases! {
    async fn a_measure_pasted_from_word_keeps_its_line_breaks_and_its_docx_opens_in_libreoffice(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let methods = "๑. จัดทำคู่มือ\u{0b}๒. เผยแพร่คู่มือ\u{2028}๓. ติดตามผล\u{0c}๔. รายงานผล\u{2029}๕. สรุปผล";
        let fields = measure_fields("ทดสอบ\u{0b}ข้อความจากเวิร์ด", methods, "กองคลัง\u{0b}กองช่าง");
        let r = app.post_form("/app/measures/new?year=2567", &csrf, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        assert_eq!(app.count("SELECT COUNT(*) FROM measures WHERE title = 'ทดสอบ ข้อความจากเวิร์ด'").await, 1);
        let methods = "SELECT COUNT(*) FROM measure_items i JOIN measures m ON m.id = i.measure_id WHERE m.fiscal_year = 2567 AND i.kind = 'method'";
        assert_eq!(app.count(methods).await, 5, "each pasted line break starts an item");

        let r = app.get("/app/measures/report?year=2567&format=docx").await;
        assert_eq!(r.status(), StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let text = libreoffice_text(&r.bytes().await.unwrap(), dir.path());
        for line in ["ทดสอบข้อความจากเวิร์ด", "๒.เผยแพร่คู่มือ", "๕.สรุปผล", "กองคลังกองช่าง"] {
            assert!(text.contains(line), "{line} not in the DOCX");
        }
    }

    async fn control_characters_and_nul_bytes_in_the_measure_form_are_refused_naming_the_field(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let before = app.count("SELECT COUNT(*) FROM measures").await;
        let cases = [
            (measure_fields("ชื่อ\0", "๑. ก", ""), "ช่องชื่อเรื่อง ตำแหน่งที่ 5", "U+0000 (NUL)"),
            (measure_fields("ชื่อ", "๑. ก\n๒. ข\u{1b}", ""), "ช่องวิธีดำเนินการ บรรทัดที่ 2 ตำแหน่งที่ 5", "U+001B (ESC)"),
            (measure_fields("ชื่อ", "๑. ก", "กอง\u{FFFE}"), "ช่องผู้รับผิดชอบ บรรทัดที่ 1 ตำแหน่งที่ 4", "U+FFFE"),
            (measure_fields("ชื่อ", "๑. ก\u{FFFF}", ""), "ช่องวิธีดำเนินการ", "U+FFFF"),
        ];
        for (fields, place, code) in cases {
            let page = message_of(app.post_form("/app/measures/new?year=2567", &csrf, &fields).await).await;
            assert!(page.contains(place) && page.contains(code), "{place} {code}: {page}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, before);
    }

    async fn a_nul_byte_at_the_login_is_refused_with_422_not_a_server_error(app: TestApp) {
        let page = app.get_text("/login").await;
        let csrf = csrf_in(&page);
        let r = app
            .client
            .post(app.url("/login"))
            .form(&[("_csrf", csrf.as_str()), ("username", "ad\0min"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let page = message_of(r).await;
        assert!(page.contains("ช่องชื่อผู้ใช้") && page.contains("U+0000 (NUL)"), "{page}");
    }

    async fn a_nul_byte_in_the_item_form_is_refused_naming_the_field(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let before = app.count("SELECT COUNT(*) FROM items").await;
        let item = |name: &'static str| [("asset_number", "416-69-0001"), ("name", name), ("class", "durable"), ("lendable", "yes")];
        let page = message_of(app.post_form("/app/lending/items", &csrf, &item("พัดลม\0")).await).await;
        assert!(page.contains("ช่องชื่อ ตำแหน่งที่ 6") && page.contains("U+0000"), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM items").await, before);
        // A pasted vertical tab in a one-line field is a space.
        let r = app.post_form("/app/lending/items", &csrf, &item("พัดลม\u{0b}ตั้งพื้น")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM items WHERE name = 'พัดลม ตั้งพื้น'").await, 1);
    }

    async fn a_nul_byte_in_an_inventory_csv_is_refused_by_line_and_column(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let before = app.count("SELECT COUNT(*) FROM items").await;
        let upload = |csv: &'static str| {
            let form = Form::new().part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("items.csv"));
            app.client.post(app.url(&format!("/app/lending/items/import?_csrf={csrf}"))).multipart(form).send()
        };
        let csv = "เลขครุภัณฑ์,ชื่อพัสดุ\n416-69-0100,พัดลม\n416-69-0101,โต๊ะ\0\n";
        let page = message_of(upload(csv).await.unwrap()).await;
        assert!(page.contains("บรรทัดที่ 3 คอลัมน์ ชื่อพัสดุ: ตำแหน่งที่ 5") && page.contains("U+0000"), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM items").await, before);
        let csv = "เลขครุภัณฑ์,ชื่อพัสดุ\n416-69-0100,พัดลม\u{0b}ตั้งพื้น\n";
        assert_eq!(upload(csv).await.unwrap().status(), StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM items WHERE name = 'พัดลม ตั้งพื้น'").await, 1);
    }

    async fn a_nul_byte_in_a_url_is_refused_with_422_not_a_server_error(app: TestApp) {
        for path in ["/o/%00/", "/o/mae-khatuan/items/416-66-0009%00", "/o/mae-khatuan/ita/2566%00/measures"] {
            let r = app.get(path).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(r.text().await.unwrap().contains("U+0000 (NUL)"), "{path}");
        }
        app.login(DEMO_STAFF).await;
        assert_eq!(app.get("/app/measures?year=2566%00").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/o/mae-khatuan/").await.status(), StatusCode::OK);
    }
}
