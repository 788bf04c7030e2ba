//! The catalogue's files: JSON and CSV export and import (web and command line) that round-trip
//! exactly and refuse a malformed file whole, naming its line; and the booklet of every published
//! manual with its table of contents, read back with pdftotext.

use reqwest::StatusCode;

use crate::harness::*;
use crate::services::{pdftotext, squash};

const HEADER: &str = "งานบริการ,หัวข้อ,ข้อความ,ผู้รับผิดชอบหรือผู้ออกเอกสาร,จำนวน,หน่วย,ลักษณะ";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn services_of(org: i64) -> String {
    format!("SELECT COUNT(*) FROM services WHERE org_id = {org}")
}

crate::on_both_databases! {
    async fn export_then_import_round_trips_exactly_in_json_and_csv(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        for format in ["json", "csv"] {
            let first = dir.path().join(format!("first.{format}"));
            let second = dir.path().join(format!("second.{format}"));
            cli_ok(&prongsai_cli(&app.db_url, &["services", "export", "--org", "mae-khatuan", "--out", first.to_str().unwrap()]));
            let out = cli_ok(&prongsai_cli(&app.db_url, &["services", "import", "--org", "other-town", first.to_str().unwrap()]));
            assert!(out.contains("imported 8 services"), "{out}");
            cli_ok(&prongsai_cli(&app.db_url, &["services", "export", "--org", "other-town", "--out", second.to_str().unwrap()]));
            assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap(), "{format}: the same file back");
        }
        let csv = std::fs::read(dir.path().join("first.csv")).unwrap();
        assert!(csv.starts_with("\u{feff}".as_bytes()) && csv.windows(2).any(|w| w == b"\r\n"), "BOM and CRLF, as Excel reads Thai");
        // The second import changed drafts, not the count, and published nothing.
        assert_eq!(app.count(&services_of(app.org_b.id.0)).await, 8);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM service_versions WHERE org_id = {}", app.org_b.id.0)).await, 0);
        assert_eq!(app.get("/o/other-town/services").await.status(), StatusCode::OK);
        assert!(!app.get_text("/o/other-town/services").await.contains("การขอใช้น้ำประปา"), "imported drafts are not public");
    }

    async fn a_malformed_file_is_refused_naming_its_line_and_nothing_is_written(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let audits = app.count("SELECT COUNT(*) FROM audit_log").await;
        // The first service is fine; the second's step on line 7 has a unit no one knows.
        let csv = format!("{HEADER}\n\
            ก,หน่วยงานที่รับผิดชอบ,สำนักปลัด,,,,\n\
            ก,สถานที่ให้บริการ,ที่ทำการ,,,,\n\
            ก,วันเวลาเปิดให้บริการ,จ.-ศ.,,,,\n\
            ก,ขั้นตอน,รับคำขอ,ธุรการ,10,นาที,รอที่จุดบริการ\n\
            ก,ช่องทางร้องเรียน,โทร 1111,,,,\n\
            ข,ขั้นตอน,ตรวจ,ช่าง,2,สัปดาห์,\n");
        let out = prongsai_cli(&app.db_url, &["services", "import", "--org", "other-town", &write(&dir, "bad.csv", &csv)]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("บรรทัดที่ 7 ช่อง “หน่วย”") && err.contains("(line 7)") && err.contains("nothing was imported"), "{err}");
        // A rule of the form: the second service has no place (its heading is missing).
        let csv = csv.replace("สัปดาห์", "วันทำการ");
        let out = prongsai_cli(&app.db_url, &["services", "import", "--org", "other-town", &write(&dir, "bad2.csv", &csv)]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("บรรทัดที่ 7") && err.contains("กรุณาระบุหน่วยงานที่รับผิดชอบ"), "{err}");
        // JSON: a number typed as text, on line 9.
        let json = "{\n\"format\": \"prongsai-services\",\n\"version\": 1,\n\"services\": [\n{\"name\": \"ก\", \"division\": \"สำนักปลัด\", \"place\": \"ที่ทำการ\",\n\"hours\": \"จ.-ศ.\", \"complaints\": [\"1111\"],\n\"steps\": [\n{\"what\": \"รับคำขอ\", \"who\": \"ธุรการ\",\n\"amount\": \"๑๐\", \"unit\": \"minutes\"}]}]}\n";
        let out = prongsai_cli(&app.db_url, &["services", "import", "--org", "other-town", &write(&dir, "bad.json", json)]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("บรรทัดที่ 9 ช่อง “amount”"), "{err}");
        assert_eq!(app.count(&services_of(app.org_b.id.0)).await, 0, "nothing half-written");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audits);
    }

    async fn a_csv_saved_or_pasted_from_excel_imports_on_the_web(app: TestApp) {
        use reqwest::multipart::{Form, Part};
        let csrf = app.login(OTHER_ADMIN).await;
        let rows = [
            "ใบรับรองการอยู่อาศัย\tหน่วยงานที่รับผิดชอบ\tสำนักปลัด\t\t\t\t",
            "ใบรับรองการอยู่อาศัย\tสถานที่ให้บริการ\tที่ทำการเทศบาล\t\t\t\t",
            "ใบรับรองการอยู่อาศัย\tวันเวลาเปิดให้บริการ\tจันทร์–ศุกร์ ๐๘.๓๐–๑๖.๓๐ น.\t\t\t\t",
            "ใบรับรองการอยู่อาศัย\tขั้นตอน\tรับคำขอและตรวจเอกสาร\tงานทะเบียน\t๑๕\tนาที\tรอที่จุดบริการ",
            "ใบรับรองการอยู่อาศัย\tขั้นตอน\tออกหนังสือรับรอง\tปลัดเทศบาล\t๑\tวันทำการ\t",
            "ใบรับรองการอยู่อาศัย\tเอกสาร\tบัตรประจำตัวประชาชน\tกรมการปกครอง\t๑\tฉบับ\tสำเนา",
            "ใบรับรองการอยู่อาศัย\tค่าธรรมเนียม\tค่าหนังสือรับรอง\t\t๒๐\tบาท\t",
            "ใบรับรองการอยู่อาศัย\tช่องทางร้องเรียน\tสายด่วน ๑๑๑๑\t\t\t\t",
        ];
        let pasted = format!("\u{feff}{}\r\n{}\r\n", HEADER.replace(',', "\t"), rows.join("\r\n"));
        let form = Form::new().text("pasted", pasted);
        let r = app.client.post(app.url(&format!("/app/services/import?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        let id = prongsai::services::exchange::service_named(&app.db, app.org_b.id, "ใบรับรองการอยู่อาศัย").await.unwrap().unwrap();
        let m = prongsai::services::drafts::load(&app.db, app.org_b.id, id).await.unwrap().unwrap().manual;
        assert_eq!((m.steps[0].amount, m.steps[0].at_counter, m.fees[0].satang), (15, true, 2_000));
        assert_eq!(m.counter_minutes(), Some(15));
        // A file with one bad line: a 422 page naming it, and nothing else changed.
        let bad = format!("{HEADER}\nใบรับรองการอยู่อาศัย,เอกสาร,ทะเบียนบ้าน,กรมการปกครอง,หนึ่ง,ฉบับ,สำเนา\n");
        let form = Form::new().part("file", Part::bytes(bad.into_bytes()).file_name("services.csv"));
        let r = app.client.post(app.url(&format!("/app/services/import?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("บรรทัดที่ 2 ช่อง “จำนวน”"));
        let again = prongsai::services::drafts::load(&app.db, app.org_b.id, id).await.unwrap().unwrap().manual;
        assert_eq!(again, m);
        // The web export is the same file the command line writes.
        let web = app.get_text("/app/services/export.csv").await;
        let cli = cli_ok(&prongsai_cli(&app.db_url, &["services", "export", "--org", "other-town", "--format", "csv"]));
        assert_eq!(web, cli);
    }

    async fn the_booklet_has_a_table_of_contents_and_every_manual_in_order(app: TestApp) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("booklet.pdf");
        cli_ok(&prongsai_cli(&app.db_url, &["services", "booklet", "--org", "mae-khatuan", "--out", out.to_str().unwrap()]));
        let text = pdftotext(&std::fs::read(&out).unwrap());
        let toc = text.find("สารบัญ").expect("a table of contents");
        let names: Vec<String> = prongsai::services::demo::SERVICES.iter().map(|(n, _, _)| squash(n)).collect();
        // In the contents, in catalogue order; then each manual, in the same order.
        let mut at = toc;
        for n in &names {
            at += text[at..].find(n.as_str()).unwrap_or_else(|| panic!("{n} in the contents")) + n.len();
        }
        let mut manuals = Vec::new();
        for n in &names {
            at += text[at..].find(n.as_str()).unwrap_or_else(|| panic!("{n}'s manual"));
            manuals.push(at);
            at += n.len();
        }
        // The steps of the building permit (the third), in order, inside its manual.
        let id = crate::services::service(&app, "การขออนุญาตก่อสร้างอาคาร").await;
        let m = crate::services::draft(&app, id).await;
        let mut at = manuals[2];
        for s in &m.steps {
            at += text[at..].find(&squash(&s.what)).unwrap_or_else(|| panic!("{}", s.what));
        }
        // The public booklet is the same document; an organization with nothing published has none.
        assert_eq!(app.get("/o/mae-khatuan/services/booklet.pdf").await.status(), StatusCode::OK);
        let r = app.get("/o/other-town/services/booklet.pdf").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.text().await.unwrap().contains("ยังไม่ได้ประกาศคู่มือสำหรับประชาชน"));
    }
}
