//! The service catalogue (issue 14): citizen manuals written as drafts, published as numbered
//! versions (a draft is never public), each with its flowchart (SVG on the web, vector in the PDF)
//! and its PDF, kept byte for byte; another organization sees and changes none of it.

use prongsai::services::drafts;
use prongsai::services::manual::Manual;
use prongsai::services::{ServiceId, store};
use reqwest::StatusCode;

use crate::harness::*;

pub fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("poppler-utils installed");
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn squash(s: &str) -> String {
    prongsai::thai::to_thai_digits(&s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
}

/// The demo's service of that name.
pub async fn service(app: &TestApp, name: &str) -> ServiceId {
    store::list(&app.db, app.org_a.id, true).await.unwrap().into_iter().find(|s| s.name == name).expect(name).id
}

pub async fn draft(app: &TestApp, id: ServiceId) -> Manual {
    drafts::load(&app.db, app.org_a.id, id).await.unwrap().unwrap().manual
}

/// The staff form's fields for `m`, as the edit page posts them.
pub fn form_fields(m: &Manual) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("name".into(), m.name.clone()),
        ("division".into(), m.division.clone()),
        ("legal_basis".into(), m.legal_basis.join("\r\n")),
        ("place".into(), m.place.clone()),
        ("hours".into(), m.hours.clone()),
        ("criteria".into(), m.criteria.join("\r\n")),
        ("time_basis".into(), m.time_basis.clone()),
        ("complaints".into(), m.complaints.join("\r\n")),
        ("remarks".into(), m.remarks.join("\r\n")),
    ];
    for (i, s) in m.steps.iter().enumerate() {
        f.push(("step_order".into(), (i + 1).to_string()));
        f.push(("step_what".into(), s.what.clone()));
        f.push(("step_who".into(), s.who.clone()));
        f.push(("step_amount".into(), s.amount.to_string()));
        f.push(("step_unit".into(), s.unit.code().into()));
        f.push(("step_counter".into(), if s.at_counter { "yes" } else { "no" }.into()));
    }
    for d in &m.documents {
        f.push(("doc_name".into(), d.name.clone()));
        f.push(("doc_kind".into(), d.kind.code().into()));
        f.push(("doc_count".into(), d.count.to_string()));
        f.push(("doc_issued_by".into(), d.issued_by.clone()));
    }
    for x in &m.fees {
        f.push(("fee_what".into(), x.what.clone()));
        f.push(("fee_amount".into(), format!("{}.{:02}", x.satang / 100, x.satang % 100)));
        f.push(("fee_note".into(), x.note.clone()));
    }
    f
}

pub async fn post_manual(app: &TestApp, path: &str, csrf: &str, m: &Manual) -> reqwest::Response {
    let fields = form_fields(m);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(path, csrf, &pairs).await
}

const WATER: &str = "การขอใช้น้ำประปา";
const LAND_TAX: &str = "การชำระภาษีที่ดินและสิ่งปลูกสร้าง";

crate::on_both_databases! {
    async fn the_demo_catalogue_is_public_with_each_manual_as_version_1(app: TestApp) {
        let home = app.get_text("/o/mae-khatuan/").await;
        assert!(home.contains("href=\"/o/mae-khatuan/services\""), "linked from the home page");
        let list = app.get_text("/o/mae-khatuan/services").await;
        for (name, _, _) in prongsai::services::demo::SERVICES {
            assert!(list.contains(name), "{name} listed");
        }
        // Nothing on a citizen's page needs a script to be read: the one script is the site's
        // view switches' memory (deferred, from a file: the CSP allows no inline script).
        let scripts: Vec<&str> = list.split("<script").skip(1).collect();
        assert!(scripts.iter().all(|s| s.starts_with(" src=\"/static/site.js\" defer>")), "{scripts:?}");
        let id = service(&app, LAND_TAX).await;
        let page = app.get_text(&format!("/o/mae-khatuan/services/{id}")).await;
        assert!(page.contains("ฉบับที่ ๑ ประกาศเมื่อ ๒ ต.ค. ๒๕๖๖"), "the version and its date in Thai digits and BE");
        assert!(page.contains("<p id=\"fees\">ไม่มีค่าธรรมเนียม</p>"), "no fee is said, never left blank");
        assert!(page.contains("<svg") && page.contains("<table class=\"list\" aria-labelledby=\"steps-title\""), "flowchart with its table");
        assert!(page.len() < 40_000, "light for a cheap phone: {} bytes", page.len());
        // The standard the queue measures against is the published counter time.
        let minutes = store::find(&app.db, app.org_a.id, id).await.unwrap().unwrap().standard_minutes;
        assert_eq!(minutes, Some(10));
    }

    async fn the_flowchart_svg_is_valid_and_the_pdf_reads_the_steps_in_order(app: TestApp) {
        let id = service(&app, "การขออนุญาตก่อสร้างอาคาร").await;
        let m = draft(&app, id).await;
        let r = app.get(&format!("/o/mae-khatuan/services/{id}/flowchart.svg")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("image/svg+xml"));
        let svg = r.text().await.unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is valid XML");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let boxes: Vec<String> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("step"))
            .map(|g| g.descendants().filter_map(|n| n.text()).collect::<String>())
            .collect();
        assert_eq!(boxes.len(), m.steps.len());
        for (b, s) in boxes.iter().zip(&m.steps) {
            assert!(squash(b).contains(&squash(&s.what)), "{b} holds {}", s.what);
            assert!(squash(b).contains(&squash(&s.who)));
        }
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(squash(&text).contains(&squash("รวมระยะเวลาดำเนินการ ๒๗ วันทำการ")), "the total at the end");

        let r = app.get(&format!("/o/mae-khatuan/services/{id}/manual.pdf")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let text = pdftotext(&r.bytes().await.unwrap());
        let mut at = 0;
        for s in &m.steps {
            let found = text[at..].find(&squash(&s.what)).unwrap_or_else(|| panic!("step {} after {at}", s.what));
            at += found;
        }
        assert!(text.contains("แผนผังแสดงขั้นตอนและระยะเวลา"));
        assert!(text.contains("ฉบับที่๑ประกาศเมื่อ๒ต.ค.๒๕๖๖"), "version and date");
        assert!(text.contains("ค่าธรรมเนียมใบอนุญาตก่อสร้างอาคาร") && text.contains("๒๐บาท"));
    }

    async fn a_draft_edit_is_not_public_until_published_and_version_1_stays_byte_for_byte(app: TestApp) {
        let id = service(&app, WATER).await;
        let v1 = app.get(&format!("/o/mae-khatuan/services/{id}/v/1.pdf")).await.bytes().await.unwrap();
        let csrf = app.login(DEMO_STAFF).await;
        let mut m = draft(&app, id).await;
        m.steps[0].what = "ยื่นคำร้องขอใช้น้ำประปาพร้อมแผนที่ตั้งบ้าน".into();
        m.steps[0].amount = 25;
        let r = post_manual(&app, &format!("/app/services/{id}"), &csrf, &m).await;
        assert_redirect_to(&r, &format!("/app/services/{id}?saved=draft"));
        let public = app.get_text(&format!("/o/mae-khatuan/services/{id}")).await;
        assert!(!public.contains("พร้อมแผนที่ตั้งบ้าน"), "a draft is not public");
        assert!(!app.get_text(&format!("/o/mae-khatuan/services/{id}/flowchart.svg")).await.contains("พร้อมแผนที่ตั้งบ้าน"));
        assert_eq!(store::find(&app.db, app.org_a.id, id).await.unwrap().unwrap().standard_minutes, Some(20), "the queue keeps the published standard");
        // Staff write drafts; the admin or an executive publishes.
        assert_eq!(app.post_form(&format!("/app/services/{id}/publish"), &csrf, &[]).await.status(), StatusCode::FORBIDDEN);
        let csrf = app.login(DEMO_EXECUTIVE).await;
        let r = app.post_form(&format!("/app/services/{id}/publish"), &csrf, &[]).await;
        assert_redirect_to(&r, &format!("/app/services/{id}?saved=published"));
        let public = app.get_text(&format!("/o/mae-khatuan/services/{id}")).await;
        assert!(public.contains("พร้อมแผนที่ตั้งบ้าน") && public.contains("ฉบับที่ ๒ ประกาศเมื่อ"), "the new version is public");
        assert_eq!(store::find(&app.db, app.org_a.id, id).await.unwrap().unwrap().standard_minutes, Some(30));
        let again = app.get(&format!("/o/mae-khatuan/services/{id}/v/1.pdf")).await.bytes().await.unwrap();
        assert_eq!(again, v1, "version 1's PDF is unchanged byte for byte");
        let v2 = pdftotext(&app.get(&format!("/o/mae-khatuan/services/{id}/manual.pdf")).await.bytes().await.unwrap());
        assert!(v2.contains("พร้อมแผนที่ตั้งบ้าน") && v2.contains("ฉบับที่๒"));
        // Publishing the same draft again is refused: nothing new to publish.
        let r = app.post_form(&format!("/app/services/{id}/publish"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ไม่มีการเปลี่ยนแปลง"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM service_versions WHERE service_id = {}", id.0)).await, 2);
    }

    async fn a_refused_form_comes_back_as_typed_with_each_error_beside_its_field(app: TestApp) {
        let id = service(&app, WATER).await;
        let before = draft(&app, id).await;
        let csrf = app.login(DEMO_STAFF).await;
        let audits = app.count("SELECT COUNT(*) FROM audit_log").await;
        let mut m = before.clone();
        m.steps[1].who = " ".into();
        m.steps[2].at_counter = true; // two working days at the counter
        m.place = "ที่ทำการใหม่ ชั้น ๒".into();
        let r = post_manual(&app, &format!("/app/services/{id}"), &csrf, &m).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"step-1-who-error\"") && page.contains("ขั้นตอนที่ ๒: กรุณาระบุผู้รับผิดชอบ"), "beside the field");
        assert!(page.contains("id=\"step-2-counter-error\""));
        assert!(page.contains("href=\"#step-1-who\""), "the summary links to the field");
        assert!(page.contains("ที่ทำการใหม่ ชั้น ๒"), "kept as typed");
        assert_eq!(draft(&app, id).await, before, "nothing saved");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, audits, "nothing audited");
        // A name another service has is refused beside the name.
        m = before.clone();
        m.name = LAND_TAX.into();
        let r = post_manual(&app, &format!("/app/services/{id}"), &csrf, &m).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("id=\"name-error\""));
        // A new service is made from the same form and stays a draft.
        m = before.clone();
        m.name = "การขอรับการสนับสนุนน้ำอุปโภคบริโภค".into();
        let r = post_manual(&app, "/app/services/new", &csrf, &m).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let list = app.get_text("/o/mae-khatuan/services").await;
        assert!(!list.contains("การขอรับการสนับสนุนน้ำอุปโภคบริโภค"), "a new service's draft is not public");
        let new = service(&app, "การขอรับการสนับสนุนน้ำอุปโภคบริโภค").await;
        assert_eq!(app.get(&format!("/o/mae-khatuan/services/{new}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn another_organization_cannot_see_edit_or_publish_the_demos_services_or_drafts(app: TestApp) {
        let id = service(&app, WATER).await;
        let m = draft(&app, id).await;
        let csrf = app.login(OTHER_ADMIN).await;
        for path in [
            format!("/app/services/{id}"),
            format!("/app/services/{id}/draft.pdf"),
            format!("/app/services/{id}/flowchart.svg"),
            format!("/app/services/{id}/v/1.pdf"),
        ] {
            assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let r = post_manual(&app, &format!("/app/services/{id}"), &csrf, &Manual { name: "ถูกแก้".into(), ..m.clone() }).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/services/{id}/publish"), &csrf, &[]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(draft(&app, id).await, m, "unchanged");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM service_versions WHERE service_id = {}", id.0)).await, 1);
        // Nor through the other organization's public address.
        assert_eq!(app.get(&format!("/o/other-town/services/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/other-town/services/{id}/v/1.pdf")).await.status(), StatusCode::NOT_FOUND);
        let export = app.get_text("/app/services/export.json").await;
        assert!(!export.contains(WATER), "its export holds only its own services");
        assert!(!app.get_text("/app/services").await.contains(WATER));
    }

    async fn a_form_is_downloadable_only_once_a_published_version_offers_it(app: TestApp) {
        use reqwest::multipart::{Form, Part};
        let id = service(&app, WATER).await;
        let csrf = app.login(DEMO_ADMIN).await;
        let upload = |name: &'static str, bytes: &'static [u8]| {
            let form = Form::new().text("form_title", "แบบคำร้องขอใช้น้ำประปา").part("file", Part::bytes(bytes).file_name(name));
            app.client.post(app.url(&format!("/app/services/{id}/forms?_csrf={csrf}"))).multipart(form).send()
        };
        let r = upload("คำร้อง.html", b"<html><script>alert(1)</script>").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("id=\"form_file-error\""));
        let r = upload("คำร้อง.pdf", b"%PDF-1.4 form\n%%EOF\n").await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let form = draft(&app, id).await.forms[0].id;
        let public = format!("/o/mae-khatuan/services/{id}/forms/{form}");
        assert_eq!(app.get(&public).await.status(), StatusCode::NOT_FOUND, "a draft's form is private");
        let r = app.post_form(&format!("/app/services/{id}/publish"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.get(&public).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.4 form\n%%EOF\n");
        assert!(app.get_text(&format!("/o/mae-khatuan/services/{id}")).await.contains("แบบคำร้องขอใช้น้ำประปา"));
        // Another organization's address does not reach it.
        assert_eq!(app.get(&format!("/o/other-town/services/{id}/forms/{form}")).await.status(), StatusCode::NOT_FOUND);
    }
}
