//! Importing a report through the staff pages: upload, preview, confirm.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::*;

async fn upload_file(app: &TestApp, csrf: &str, year: &str, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    let form = Form::new().text("year", year.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()));
    app.client.post(app.url(&format!("/app/measures/import?_csrf={csrf}"))).multipart(form).send().await.unwrap()
}

async fn upload(app: &TestApp, csrf: &str, year: &str, text: &str) -> reqwest::Response {
    upload_file(app, csrf, year, text.as_bytes().to_vec(), "report.md").await
}

/// The preview page of an upload that was read, and the id its confirm button posts to.
async fn preview(response: reqwest::Response) -> (String, i64) {
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let start = page.find("/app/measures/import/").expect("a confirm form") + "/app/measures/import/".len();
    let id = page[start..].split('/').next().unwrap().parse().unwrap();
    (page, id)
}

async fn confirm(app: &TestApp, csrf: &str, id: i64, year_differs: bool) -> reqwest::Response {
    let fields: &[(&str, &str)] = if year_differs { &[("year_differs", "yes")] } else { &[] };
    app.post_form(&format!("/app/measures/import/{id}/confirm"), csrf, fields).await
}

/// Upload, then confirm the preview as shown.
async fn import_confirmed(app: &TestApp, csrf: &str, year: &str, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    let (_, id) = preview(upload_file(app, csrf, year, bytes, name).await).await;
    confirm(app, csrf, id, false).await
}

/// What a register holds that a report file carries, measure by measure.
async fn register(app: &TestApp, org: prongsai::orgs::OrgId, year: i64) -> Vec<String> {
    prongsai::measures::store::list(&app.db, org, year)
        .await
        .unwrap()
        .into_iter()
        .map(|m| {
            let i = m.input;
            format!("{:?}", (i.title, i.indicators, i.methods, i.responsible, i.period, i.results, i.outcomes))
        })
        .collect()
}

fn windows_874(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The DOCX as LibreOffice saves it again ("MS Word 2007 XML"), as an office that opened our
/// export in LibreOffice and saved it would send it back.
fn resaved_by_libreoffice(docx: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in").join("report.docx");
    std::fs::create_dir_all(input.parent().unwrap()).unwrap();
    std::fs::write(&input, docx).unwrap();
    let out_dir = dir.path().join("out");
    let out = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.path().join("profile").display()))
        .args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&out_dir)
        .arg(&input)
        .output()
        .expect("soffice installed (libreoffice-writer-nogui)");
    let saved = std::fs::read(out_dir.join("report.docx"))
        .unwrap_or_else(|_| panic!("LibreOffice did not save: {}", String::from_utf8_lossy(&out.stderr)));
    assert_ne!(saved, docx, "LibreOffice wrote its own file");
    saved
}

/// Replaces text inside a DOCX's document.xml, as an edit in Word would.
fn edit_docx(docx: &[u8], from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            assert!(xml.contains(from), "the document holds {from}");
            bytes = xml.replacen(from, to, 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

const FIRST_RESULT: &str = "มีคู่มือมาตรฐานการปฏิบัติงานการยืมทรัพย์สินของทางราชการ";

crate::on_both_databases! {
    async fn a_docx_resaved_by_libreoffice_from_the_seed_imports_as_the_seeds_measures(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let docx = app.get("/app/measures/report?year=2566&format=docx").await.bytes().await.unwrap().to_vec();
        let resaved = resaved_by_libreoffice(&docx);
        let csrf = app.login(OTHER_ADMIN).await;
        let (page, _) = preview(upload_file(&app, &csrf, "2566", resaved.clone(), "รายงาน.docx").await).await;
        assert!(page.contains("ไฟล์ Word (.docx)") && page.contains("เพิ่มใหม่ 3 มาตรการ"), "{page}");
        let r = import_confirmed(&app, &csrf, "2566", resaved, "รายงาน.docx").await;
        assert_redirect_to(&r, "/app/measures?year=2566&imported=3");
        let seed = register(&app, app.org_a.id, 2566).await;
        assert_eq!(seed.len(), 3);
        assert_eq!(register(&app, app.org_b.id, 2566).await, seed);
        // The same file under a name that does not say .docx is still read as Word.
        let (page, _) = preview(upload_file(&app, &csrf, "2567", docx, "report.txt").await).await;
        assert!(page.contains("ไฟล์ Word (.docx)"), "{page}");
    }

    async fn a_cut_docx_is_refused_in_thai_and_nothing_is_staged(app: TestApp) {
        app.login(DEMO_ADMIN).await;
        let docx = app.get("/app/measures/report?year=2566&format=docx").await.bytes().await.unwrap().to_vec();
        let csrf = app.login(OTHER_ADMIN).await;
        let r = upload_file(&app, &csrf, "2566", docx[..docx.len() / 2].to_vec(), "report.docx").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ไฟล์เสียหายหรือไม่ครบ"));
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_import_previews").await, 0);
    }

    async fn a_tis_620_file_is_converted_and_said_so_and_a_file_in_another_encoding_names_its_line(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let (page, id) = preview(upload_file(&app, &csrf, "2566", windows_874(prongsai::demo::SEED_REPORT), "report.txt").await).await;
        assert!(page.contains("TIS-620/Windows-874 ระบบแปลงเป็น UTF-8 ให้แล้ว"), "{page}");
        assert_redirect_to(&confirm(&app, &csrf, id, false).await, "/app/measures?year=2566&imported=3");
        assert_eq!(register(&app, app.org_b.id, 2566).await, register(&app, app.org_a.id, 2566).await);
        let mut latin_1 = "| มาตรการ/แนวทาง |\n".as_bytes().to_vec();
        latin_1.extend_from_slice(b"caf\xe9 \xfc\n");
        let r = upload_file(&app, &csrf, "2567", latin_1, "report.txt").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("บรรทัดที่ 2") && page.contains("บันทึกไฟล์เป็น UTF-8"), "{page}");
    }

    async fn a_preview_writes_nothing_to_the_register_or_the_audit(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let counts = || async {
            (app.count("SELECT COUNT(*) FROM measures").await, app.count("SELECT COUNT(*) FROM measure_items").await,
             app.count("SELECT COUNT(*) FROM audit_log").await, app.count("SELECT COUNT(*) FROM measure_reports").await)
        };
        let before = counts().await;
        let edited = prongsai::demo::SEED_REPORT.replacen(FIRST_RESULT, "มีคู่มือฉบับใหม่", 1);
        let (page, _) = preview(upload(&app, &csrf, "2566", &edited).await).await;
        assert!(page.contains("แก้ไข 1 มาตรการ") && page.contains("ไม่เปลี่ยนแปลง 2 มาตรการ"), "{page}");
        let (page, _) = preview(upload(&app, &csrf, "2567", prongsai::demo::SEED_REPORT).await).await;
        assert!(page.contains("เพิ่มใหม่ 3 มาตรการ"), "{page}");
        assert_eq!(counts().await, before);
        assert!(!prongsai::measures::store::list(&app.db, app.org_a.id, 2566).await.unwrap()[0].input.results[0].text.contains("ฉบับใหม่"));
    }

    async fn re_importing_an_edited_export_keeps_the_evidence_of_the_measures_that_still_match(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let ids = |app: &TestApp| {
            let db = app.db.clone();
            let org = app.org_a.id;
            async move { prongsai::measures::store::list(&db, org, 2566).await.unwrap().iter().map(|m| m.id.0).collect::<Vec<_>>() }
        };
        let before = ids(&app).await;
        let r = app.upload_evidence(&csrf, before[0], "หลักฐานคู่มือ", "คู่มือ.pdf", b"%PDF-1.4\n%%EOF\n".to_vec()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&format!("/app/measures/{}/evidence/link", before[2]), &csrf, &[("title", "ประกาศผลประเมิน"), ("url", "https://example.go.th/a")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // Export to Word, edit the first measure's result, import again.
        let docx = app.get("/app/measures/report?year=2566&format=docx").await.bytes().await.unwrap().to_vec();
        let edited = edit_docx(&docx, FIRST_RESULT, "มีคู่มือมาตรฐานการปฏิบัติงานการยืมทรัพย์สินของทางราชการฉบับปรับปรุง");
        let (page, id) = preview(upload_file(&app, &csrf, "2566", edited, "report.docx").await).await;
        assert!(page.contains("แก้ไข 1 มาตรการ") && page.contains("เปลี่ยน: ผลการดำเนินการ"), "{page}");
        assert!(page.contains("หลักฐานที่ยังแนบอยู่กับมาตรการนี้: หลักฐานคู่มือ (คู่มือ.pdf)"), "{page}");
        assert!(page.contains("ลบออก 0 มาตรการ"), "{page}");
        assert_redirect_to(&confirm(&app, &csrf, id, false).await, "/app/measures?year=2566&imported=3");
        assert_eq!(ids(&app).await, before, "the same measures, updated in place");
        let stored = prongsai::measures::store::list(&app.db, app.org_a.id, 2566).await.unwrap();
        assert!(stored[0].input.results[0].text.ends_with("ฉบับปรับปรุง"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM evidence WHERE measure_id = {}", before[0])).await, 1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM evidence WHERE measure_id = {}", before[2])).await, 1);

        // A file without the third measure: the preview names the evidence that would go with it.
        let md = app.get_text("/app/measures/report?year=2566&format=md").await;
        let rows: Vec<&str> = md.lines().collect();
        let third = rows.iter().position(|l| l.contains("เพิ่มกลไกการปรับปรุงคุณภาพ")).unwrap();
        let without_third = rows[..third].join("\n") + "\n";
        let (page, id) = preview(upload(&app, &csrf, "2566", &without_third).await).await;
        assert!(page.contains("ลบออก 1 มาตรการ") && page.contains("หลักฐานที่จะถูกลบไปด้วย: ประกาศผลประเมิน"), "{page}");
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 2, "nothing goes before the confirmation");
        assert_redirect_to(&confirm(&app, &csrf, id, false).await, "/app/measures?year=2566&imported=2");
        assert_eq!(ids(&app).await, before[..2].to_vec());
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 1);
    }

    async fn a_cited_figure_printed_in_an_export_is_not_imported_back_as_a_typed_result(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let r = app.post_form(&format!("/app/measures/{measure}/figures"), &csrf, &[("figure", "lending.summary"), ("cite", "yes")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let results = app.count("SELECT COUNT(*) FROM measure_items WHERE kind = 'result'").await;
        let docx = app.get("/app/measures/report?year=2566&format=docx").await.bytes().await.unwrap().to_vec();
        let (page, id) = preview(upload_file(&app, &csrf, "2566", docx, "report.docx").await).await;
        assert!(page.contains("ไม่เปลี่ยนแปลง 3 มาตรการ") && page.contains("สถิติการยืม-คืนพัสดุ"), "{page}");
        assert_redirect_to(&confirm(&app, &csrf, id, false).await, "/app/measures?year=2566&imported=3");
        assert_eq!(app.count("SELECT COUNT(*) FROM measure_items WHERE kind = 'result'").await, results);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_figures WHERE measure_id = {measure}")).await, 1);
    }

    async fn a_register_changed_after_the_preview_is_not_overwritten_and_the_preview_is_shown_again(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let (_, id) = preview(upload(&app, &csrf, "2566", prongsai::demo::SEED_REPORT).await).await;
        let (measure,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM measures").fetch_one(&app.db.pool).await.unwrap();
        let r = app.post_form(&format!("/app/measures/{measure}/evidence/link"), &csrf, &[("title", "ประกาศ"), ("url", "https://example.go.th/a")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = confirm(&app, &csrf, id, false).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let page = r.text().await.unwrap();
        assert!(page.contains("เปลี่ยนไปหลังจากแสดงตัวอย่าง") && page.contains("หลักฐานที่ยังแนบอยู่กับมาตรการนี้: ประกาศ"), "{page}");
        // Confirming the preview shown again applies it.
        assert_redirect_to(&confirm(&app, &csrf, id, false).await, "/app/measures?year=2566&imported=3");
    }

    async fn a_file_of_another_year_needs_the_confirmation_box(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let (page, id) = preview(upload(&app, &csrf, "2567", prongsai::demo::SEED_REPORT).await).await;
        assert!(page.contains("ชื่อรายงานในไฟล์ระบุปีงบประมาณ พ.ศ. ๒๕๖๖ แต่จะนำเข้าเป็นปีงบประมาณ พ.ศ. ๒๕๖๗"), "{page}");
        let r = confirm(&app, &csrf, id, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณาทำเครื่องหมายยืนยัน"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_b.id.0)).await, 0);
        assert_redirect_to(&confirm(&app, &csrf, id, true).await, "/app/measures?year=2567&imported=3");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {} AND fiscal_year = 2567", app.org_b.id.0)).await, 3);
    }

    async fn another_organization_cannot_confirm_a_preview(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let (_, id) = preview(upload(&app, &csrf, "2566", prongsai::demo::SEED_REPORT).await).await;
        let csrf = app.login(DEMO_ADMIN).await;
        let r = confirm(&app, &csrf, id, false).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_b.id.0)).await, 0);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_a.id.0)).await, 3);
    }

    async fn the_seed_uploaded_through_the_form_becomes_three_measures(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let r = import_confirmed(&app, &csrf, "๒๕๖๖", prongsai::demo::SEED_REPORT.as_bytes().to_vec(), "report.md").await;
        assert_redirect_to(&r, "/app/measures?year=2566&imported=3");
        let org = app.org_b.id.0;
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {org}")).await, 3);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org} AND kind = 'method'")).await, 4 + 4 + 4);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org} AND kind = 'result'")).await, 2 + 4 + 6);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measure_items WHERE org_id = {org} AND kind = 'outcome'")).await, 1 + 3 + 5);
    }

    async fn a_malformed_report_names_its_line_and_imports_nothing(app: TestApp) {
        let csrf = app.login(OTHER_ADMIN).await;
        let bad = "| มาตรการ/แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลาดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือความสำเร็จ |\n|--|--|--|--|--|--|\n| ก | ๑. ข | ค | มี.ค. ๒๕๖๖ | ง | จ |\n| ฉ | ๑. ช | ซ | ไม่ระบุเดือน | ฌ | ญ |\n";
        let r = upload(&app, &csrf, "2566", bad).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("บรรทัดที่ 4"), "the error names line 4: {page}");
        assert!(page.contains("ระยะเวลาดำเนินการ"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {}", app.org_b.id.0)).await, 0, "the good first row was not kept");
        let five_columns = "| a | b | c | d | e |\n|--|--|--|--|--|\n| 1 | 2 | 3 | 4 | 5 |\n";
        let page = upload(&app, &csrf, "2566", five_columns).await.text().await.unwrap();
        assert!(page.contains("บรรทัดที่ 1"), "{page}");
    }

    async fn a_file_with_an_empty_table_does_not_empty_the_year(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let empty = "| มาตรการ/แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลาดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือความสำเร็จ |\n|--|--|--|--|--|--|\n";
        let r = upload(&app, &csrf, "2566", empty).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 3);
    }
}
