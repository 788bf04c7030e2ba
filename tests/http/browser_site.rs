//! The public site in headless Chromium: a citizen reads the ITA menu by item code; axe-core (WCAG 2.1 A and AA rules, vendored in
//! tests/vendor/axe-core) finds no violation on any public page type, on a phone (360 px) and a
//! desktop (1280 px); a citizen finds a document by a Thai word written inside unspaced text
//! through the header's search box; the view switches enlarge the text and are remembered; a
//! citizen registers for a council meeting on a phone and a clerk checks them in by scanning the
//! QR on that phone's screen (read here by zbarimg from a screenshot).

use crate::browser::Browser;

const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// Every public page type an organization's site has (with the demo's data).
const PAGES: &[&str] = &[
    "/",
    "/o/mae-khatuan/",
    "/o/mae-khatuan/news",
    "/o/mae-khatuan/documents",
    "/o/mae-khatuan/search?q=ทับซ้อน",
    "/o/mae-khatuan/search?q=ไม่มีคำนี้",
    "/o/mae-khatuan/contact",
    "/o/mae-khatuan/ita",
    "/o/mae-khatuan/audit",
    "/o/mae-khatuan/items/416-64-0005",
    "/o/mae-khatuan/ita/2566/measures",
    "/o/mae-khatuan/services",
    "/o/mae-khatuan/council",
    "/o/mae-khatuan/ita/2566",
    "/o/mae-khatuan/participation",
    "/o/mae-khatuan/points",
    "/o/mae-khatuan/queue/rules",
    "/o/mae-khatuan/queue/fairness",
];

/// axe's violations on the page open in `b`, as "rule: target (summary)" lines.
async fn violations(b: &Browser) -> Vec<String> {
    let script = format!(
        "{AXE}\n;return axe.run(document, {{ runOnly: {{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }} }})\
         .then(r => r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ') + ' (' + n.failureSummary.replace(/\\n/g, ' ') + ')')));"
    );
    let value = b.client.execute(&script, vec![]).await.expect("axe runs");
    serde_json::from_value(value).expect("a list of strings")
}

crate::on_both_databases! {
    async fn axe_core_finds_no_violation_on_any_public_page_type_on_a_phone_or_a_desktop(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        // The pages of a news post and a document, by their ids.
        let news: i64 = app.count("SELECT MIN(id) FROM news_posts").await;
        let document: i64 = app.count("SELECT MIN(id) FROM documents").await;
        let service: i64 = app.count(&format!("SELECT MIN(id) FROM services WHERE org_id = {}", app.org_a.id.0)).await;
        let meeting: i64 = app.count(&format!("SELECT MAX(id) FROM council_meetings WHERE org_id = {}", app.org_a.id.0)).await;
        let past: i64 = app.count(&format!("SELECT MIN(id) FROM council_meetings WHERE org_id = {}", app.org_a.id.0)).await;
        let mut pages: Vec<String> = PAGES.iter().map(|p| p.to_string()).collect();
        pages.push(format!("/o/mae-khatuan/news/{news}"));
        pages.push(format!("/o/mae-khatuan/documents/{document}"));
        pages.push(format!("/o/mae-khatuan/services/{service}"));
        pages.push(format!("/o/mae-khatuan/council/{meeting}"));
        pages.push(format!("/o/mae-khatuan/council/{past}"));
        let consultation: i64 = app.count(&format!("SELECT MIN(id) FROM consultations WHERE org_id = {}", app.org_a.id.0)).await;
        pages.push(format!("/o/mae-khatuan/participation/{consultation}"));
        // The queue's public pages: a served demo ticket (it offers the survey), a demo day's
        // fairness summary and a service's promise beside its result.
        let org = app.org_a.id.0;
        let (code, day): (String, i64) =
            sqlx::query_as("SELECT code, day FROM queue_tickets WHERE org_id = $1 AND status = 'done' ORDER BY id LIMIT 1")
                .bind(org)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        pages.push(format!("/o/mae-khatuan/queue/t/{code}"));
        pages.push(format!("/o/mae-khatuan/queue/fairness/{}", prongsai::queue::date_of_day(day).format("%Y-%m-%d")));
        let queued: i64 = app.count(&format!("SELECT MIN(service_id) FROM queue_point_services WHERE org_id = {org}")).await;
        pages.push(format!("/o/mae-khatuan/queue/services/{queued}"));
        // The satisfaction survey's poster form at the demo's point, and last fiscal year's results.
        let survey: i64 = app.count(&format!("SELECT MIN(id) FROM surveys WHERE org_id = {org}")).await;
        let point: i64 = app.count(&format!("SELECT MIN(id) FROM queue_points WHERE org_id = {org}")).await;
        pages.push(format!("/o/mae-khatuan/survey/{survey}?point={point}"));
        let last_year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be() - 1;
        pages.push(format!("/o/mae-khatuan/ita/{last_year}/satisfaction"));
        // A registration's own page, and a refused registration form.
        let code = {
            let client = crate::harness::new_client();
            let r = client
                .post(app.url(&format!("/o/mae-khatuan/council/{meeting}/register")))
                .form(&[("name", "นางสาวทดสอบ การเข้าถึง"), ("phone", "0891234567"), ("consent", "1")])
                .send()
                .await
                .unwrap();
            r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string()
        };
        pages.push(format!("/o/mae-khatuan/council/r/{code}"));
        // axe checks the pages themselves, not an error page in their place.
        for page in &pages {
            assert_eq!(app.get(page).await.status(), reqwest::StatusCode::OK, "GET {page}");
        }
        let mut found = Vec::new();
        for width in [360, 1280] {
            b.client.set_window_size(width, 900).await.unwrap();
            for page in &pages {
                b.client.goto(&app.url(page)).await.unwrap();
                b.find("main").await;
                for v in violations(&b).await {
                    found.push(format!("{width} px {page}: {v}"));
                }
            }
        }
        // axe does see a fault when there is one: an image without a text alternative.
        b.client.execute("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/o/mae-khatuan/x.png\">');", vec![]).await.unwrap();
        let planted = violations(&b).await;
        b.finish().await;
        assert!(planted.iter().any(|v| v.starts_with("image-alt:")), "axe did not report a planted fault: {planted:?}");
        assert!(found.is_empty(), "axe-core violations:\n{}", found.join("\n"));
    }

    async fn a_citizen_finds_the_conflict_of_interest_manual_by_a_word_inside_unspaced_text(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.client.set_window_size(360, 900).await.unwrap();
        b.client.goto(&app.url("/o/mae-khatuan/")).await.unwrap();
        b.type_into("#site-q", "ทับซ้อน").await;
        b.click("form.site-search button").await;
        let status = b.wait_for_text("main [role=status]", "รายการ").await;
        assert!(status.starts_with("พบ "), "{status}");
        b.click_link("main ul.entries", "คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน").await;
        let h1 = b.wait_for_text("main h1", "ผลประโยชน์ทับซ้อน").await;
        assert_eq!(h1, "คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน");
        let crumbs = b.find("nav.crumbs").await.text().await.unwrap();
        assert!(crumbs.contains("เอกสารเผยแพร่"), "{crumbs}");
        b.finish().await;
    }

    async fn a_citizen_reads_the_ita_menu_by_item_code_from_the_sites_menu(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.client.set_window_size(360, 900).await.unwrap();
        b.client.goto(&app.url("/o/mae-khatuan/")).await.unwrap();
        b.click_link("nav.site-menu", "ITA / OIT").await;
        b.click_link("main", "ข้อมูลสาธารณะตามรายการ OIT ปีงบประมาณ พ.ศ. ๒๕๖๖").await;
        b.wait_for_text("main h1", "(OIT)").await;
        // O14 answers with the conflict-of-interest manual; O1 is not answered yet.
        let o14 = b.find("tr#O14").await.text().await.unwrap();
        assert!(o14.contains("คู่มือหรือมาตรฐานการปฏิบัติงาน") && o14.contains("คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน"), "{o14}");
        let o1 = b.find("tr#O1").await.text().await.unwrap();
        assert!(o1.contains("ยังไม่มีข้อมูล"), "{o1}");
        b.click_link("tr#O14", "คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน").await;
        b.wait_for_text("main h1", "ผลประโยชน์ทับซ้อน").await;
        b.finish().await;
    }

    async fn the_larger_text_switch_works_without_script_and_is_remembered_on_the_next_page(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.client.goto(&app.url("/o/mae-khatuan/")).await.unwrap();
        let size = "return parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize);";
        let before = b.client.execute(size, vec![]).await.unwrap().as_f64().unwrap();
        b.click("label[for=view-large]").await;
        let after = b.client.execute(size, vec![]).await.unwrap().as_f64().unwrap();
        assert!(after >= before * 1.2, "{before} px → {after} px");
        b.click_link("nav.site-menu", "เอกสารเผยแพร่").await;
        b.wait_for_text("main h1", "เอกสารเผยแพร่").await;
        let next = b.client.execute(size, vec![]).await.unwrap().as_f64().unwrap();
        assert!(next >= before * 1.2, "remembered on the next page: {before} px → {next} px");
        b.finish().await;
    }

    async fn a_citizen_registers_on_a_phone_and_a_clerk_checks_them_in_by_the_qr_on_its_screen(app: TestApp) {
        let Some(citizen) = Browser::start().await else { return };
        citizen.client.set_window_size(360, 900).await.unwrap();
        citizen.client.goto(&app.url("/o/mae-khatuan/")).await.unwrap();
        citizen.click_link("nav.site-menu", "สภา").await;
        citizen.wait_for_text("main h1", "การประชุมสภา").await;
        citizen.click_link("main ul.entries", "การประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๑ ครั้งที่ ๑").await;
        citizen.type_into("#name", "นายสมศักดิ์ เข้าฟัง").await;
        citizen.type_into("#phone", "๐๘๙ ๗๖๕ ๔๓๒๑").await;
        citizen.click("#consent").await;
        citizen.click("form.narrow-form button").await;
        let status = citizen.wait_for_text("#status", "ได้ที่นั่งแล้ว").await;
        assert!(status.contains("ได้ที่นั่งแล้ว"));
        let code = citizen.find("#code").await.text().await.unwrap();
        // The clerk's phone camera: the QR as the citizen's screen shows it.
        let shot = citizen.find("#checkin-qr").await.screenshot().await.unwrap();
        citizen.finish().await;
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("qr.png");
        std::fs::write(&png, shot).unwrap();
        let out = std::process::Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&png).output().expect("zbar-tools installed");
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert_eq!(url, app.url(&format!("/app/council/checkin/{code}")), "the QR opens the clerk's check-in page");

        let Some(clerk) = Browser::start().await else { return };
        clerk.login(&app, "supplies").await;
        clerk.client.goto(&url).await.unwrap();
        let name = clerk.find("#checkin-name").await.text().await.unwrap();
        assert_eq!(name, "นายสมศักดิ์ เข้าฟัง");
        clerk.click("#checkin-button").await;
        let done = clerk.wait_for_text("#result", "ลงชื่อเข้าร่วมแล้ว").await;
        assert!(done.contains("ลงชื่อเข้าร่วมแล้ว"));
        assert!(clerk.find("#checkin-status").await.text().await.unwrap().contains("มาถึงแล้วเมื่อ"));
        clerk.finish().await;
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM council_registrations WHERE code = '{}' AND checked_in_at IS NOT NULL", code.replace('-', ""))).await, 1);
    }
}
