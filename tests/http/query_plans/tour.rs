//! A tour of the application, so that the product runs every kind of statement it has: every
//! kind of write as the office does it (measures, evidence, import, approval and publication;
//! items, loans through every step, follow-ups, returns, settlements, write-offs, rules, the
//! manual, delegation; users and passwords), then every page a link leads to, as each role.

use std::collections::{BTreeSet, VecDeque};

use chrono::Duration;
use prongsai::lending::today;
use reqwest::StatusCode;

use crate::harness::{DEMO_ADMIN, DEMO_EXECUTIVE, DEMO_STAFF, OTHER_ADMIN, TestApp};

/// Where each role's crawl starts: the menu, and the searches and later pages of the lists
/// (reached by a form, not a link).
const START_PAGES: &[&str] = &[
    "/app",
    "/app/measures",
    "/app/ita/documents",
    "/app/lending",
    "/app/lending/todo",
    "/app/notifications",
    "/app/lending/items?q=%E0%B9%80%E0%B8%81%E0%B9%89%E0%B8%B2%E0%B8%AD%E0%B8%B5%E0%B9%89",
    "/app/lending/loans?q=%E0%B8%99%E0%B8%B2%E0%B8%A2",
    "/app/users?q=admin",
    "/app/audit?page=2",
];

/// Pages visited per role at most: every kind of page, not every row's page.
const PAGES_PER_ROLE: usize = 400;

pub async fn visit_everything(app: &mut TestApp) {
    writes(app).await;
    for user in [DEMO_ADMIN, DEMO_STAFF, DEMO_EXECUTIVE, OTHER_ADMIN] {
        app.login(user).await;
        crawl(app, START_PAGES).await;
    }
    app.client = crate::harness::new_client();
    let satisfaction = format!(
        "/o/{}/ita/{}/satisfaction",
        prongsai::demo::SLUG,
        prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be() - 1
    );
    let search =
        format!("/o/{}/search?q=%E0%B8%97%E0%B8%B1%E0%B8%9A%E0%B8%8B%E0%B9%89%E0%B8%AD%E0%B8%99", prongsai::demo::SLUG);
    let province = format!("/p/{}?sort=late", urlencoding::encode("ลำปาง"));
    crawl(app, &["/", "/p/", &format!("/o/{}/", prongsai::demo::SLUG), &satisfaction, &search, &province]).await;
    api(app).await;
}

/// A step of the tour that must work: a redirect after a write, or a page.
async fn done(what: &str, response: reqwest::Response) -> reqwest::Response {
    let status = response.status();
    if status != StatusCode::SEE_OTHER && status != StatusCode::OK {
        panic!("{what}: {status}\n{}", response.text().await.unwrap_or_default());
    }
    response
}

fn id_in_location(response: &reqwest::Response, after: &str) -> i64 {
    let location = response.headers()["location"].to_str().unwrap();
    let rest = location.split(after).nth(1).unwrap_or_else(|| panic!("{location} has no {after}"));
    rest.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}

async fn item_id(app: &TestApp, asset: &str) -> String {
    crate::lending::item_id(app, asset).await.to_string()
}

fn thai_day(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}/{}/{}", day.day(), day.month(), day.year() + 543)
}

async fn writes(app: &mut TestApp) {
    measures(app).await;
    accounts(app).await;
    lending(app).await;
    surveys(app).await;
    site(app).await;
    complaints(app).await;
    line_followers(app).await;
}

/// A complaint filed with a photo, tracked, added to, taken through every staff step and
/// reopened by its citizen; a wrong code; a holiday added and removed, reply days and a
/// designation saved; the staff list searched and filtered; the public figures.
async fn complaints(app: &mut TestApp) {
    let slug = prongsai::demo::SLUG;
    let citizen = crate::harness::new_client();
    let png = [&b"\x89PNG\r\n\x1a\n"[..], &[7; 300][..], b"\0\0\0\0IEND\xaeB`\x82"].concat();
    let named = [("identity", "named"), ("name", "ผู้ร้องเรียนทัวร์"), ("phone", "0811112222"), ("consent", "1")];
    let r = crate::complaints::file_at(&citizen, &app.url(""), &named, vec![("a.png", png.clone())], None).await;
    let code = crate::complaints::code_of(&done("complaint", r).await);
    let id = crate::complaints::id_of(app, &code).await;
    let track = |path: String| citizen.get(app.url(&path)).send();
    done("track", track(format!("/o/{slug}/complaints/{code}")).await.unwrap()).await;
    done("track form", track(format!("/o/{slug}/complaints/track?code={}", code.to_lowercase())).await.unwrap()).await;
    let wrong = track(format!("/o/{slug}/complaints/ZZZZZZZZZZZZ")).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let form = reqwest::multipart::Form::new()
        .text("body", "ข้อมูลเพิ่ม")
        .part("photos", reqwest::multipart::Part::bytes(png).file_name("b.png"));
    let r = citizen.post(app.url(&format!("/o/{slug}/complaints/{code}/info"))).multipart(form).send().await.unwrap();
    done("add information", r).await;
    done("stats", track(format!("/o/{slug}/complaints/stats")).await.unwrap()).await;
    let csrf = app.login(DEMO_ADMIN).await;
    let works =
        app.count(&format!("SELECT id FROM divisions WHERE org_id = {} AND name = 'กองช่าง'", app.org_a.id.0)).await;
    done("receive", app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await).await;
    let r = app.post_form(&format!("/app/complaints/{id}/assign"), &csrf, &[("division_id", &works.to_string())]).await;
    done("assign", r).await;
    done("reply", app.post_form(&format!("/app/complaints/{id}/reply"), &csrf, &[("reply", "ซ่อมแล้ว")]).await).await;
    done("close", app.post_form(&format!("/app/complaints/{id}/close"), &csrf, &[]).await).await;
    let r = citizen
        .post(app.url(&format!("/o/{slug}/complaints/{code}/answer")))
        .form(&[("resolved", "no"), ("reason", "ยังไม่เรียบร้อย")])
        .send()
        .await
        .unwrap();
    done("reopen", r).await;
    done(
        "holiday",
        app.post_form("/app/complaints/holidays", &csrf, &[("day", "1/3/2570"), ("name", "วันหยุดทัวร์")]).await,
    )
    .await;
    done("holiday removed", app.post_form("/app/complaints/holidays/20270301/remove", &csrf, &[]).await).await;
    let days = [("service", "15"), ("corruption", "10"), ("other", "15")];
    done("reply days", app.post_form("/app/complaints/settings", &csrf, &days).await).await;
    let admin = app
        .count(&format!("SELECT id FROM users WHERE org_id = {} AND username = '{DEMO_ADMIN}'", app.org_a.id.0))
        .await
        .to_string();
    let r = app.post_form("/app/complaints/settings/officers", &csrf, &[("user_id", &admin), ("on", "1")]).await;
    done("designate", r).await;
    done("search", app.get(&format!("/app/complaints?q={}&status=open", code.to_lowercase())).await).await;
    done("overdue", app.get("/app/complaints?status=overdue&page=1").await).await;
}

/// The outbox: LINE and Facebook set up (the stand-in APIs of `product_statements`: LINE takes
/// the post, Facebook refuses the tour's page), a row sent, a row that fails, retried and
/// cancelled by hand.
async fn outbox(app: &TestApp, csrf: &str) {
    use crate::publishing_support::{eventually, row, until_status};
    let line = [("token", crate::publishing_fake::LINE_TOKEN), ("enabled", "1")];
    done("LINE set up", app.post_form("/app/publishing/line", csrf, &line).await).await;
    let facebook = [("page_id", "123456"), ("token", "tour-token-5678"), ("enabled", "1")];
    done("Facebook set up", app.post_form("/app/publishing/facebook", csrf, &facebook).await).await;
    let news = [("kind", "news"), ("title", "ข่าวส่งต่อ LINE"), ("body", "เนื้อหา"), ("publish_now", "1")];
    let r = done("news for LINE", app.post_form("/app/news/new", csrf, &news).await).await;
    let source = format!("news_post:{}", id_in_location(&r, "/app/news/"));
    until_status(app, "line", &source, "sent").await;
    let failed_after = |attempts: i64| {
        let source = source.clone();
        move || {
            let source = source.clone();
            async move {
                let r = row(app, "facebook", &source).await;
                r.status == "waiting" && r.attempts >= attempts
            }
        }
    };
    eventually("the Facebook row to fail", failed_after(1)).await;
    let id = row(app, "facebook", &source).await.id;
    done("retry by hand", app.post_form(&format!("/app/publishing/outbox/{id}/retry"), csrf, &[]).await).await;
    eventually("the Facebook row to fail again", failed_after(2)).await;
    done("cancel by hand", app.post_form(&format!("/app/publishing/outbox/{id}/cancel"), csrf, &[]).await).await;
}

/// The public site's writes: a news post published and withdrawn, a document and its second
/// version, the site's contact details.
async fn site(app: &mut TestApp) {
    use reqwest::multipart::{Form, Part};
    let csrf = app.login(DEMO_ADMIN).await;
    let r = done(
        "news",
        app.post_form("/app/news/new", &csrf, &[("kind", "news"), ("title", "ข่าวทดสอบแผนการค้น"), ("body", "เนื้อหา")])
            .await,
    )
    .await;
    let id = id_in_location(&r, "/app/news/");
    done("publish news", app.post_form(&format!("/app/news/{id}/publish"), &csrf, &[]).await).await;
    done(
        "save news",
        app.post_form(
            &format!("/app/news/{id}"),
            &csrf,
            &[("kind", "announcement"), ("title", "ประกาศ"), ("body", "ข้อความ")],
        )
        .await,
    )
    .await;
    done("withdraw news", app.post_form(&format!("/app/news/{id}/unpublish"), &csrf, &[]).await).await;
    done("publish news again", app.post_form(&format!("/app/news/{id}/publish"), &csrf, &[]).await).await;
    outbox(app, &csrf).await;
    let form = Form::new()
        .text("category", "plan")
        .text("title", "แผนปฏิบัติการป้องกันการทุจริต")
        .text("issued_on", "1/10/2566")
        .part("file", Part::bytes(b"%PDF-1.4 plan\n%%EOF\n".to_vec()).file_name("plan.pdf"));
    let r = app.client.post(app.url(&format!("/app/documents/new?_csrf={csrf}"))).multipart(form).send().await.unwrap();
    let r = done("document", r).await;
    let id = id_in_location(&r, "/app/documents/");
    let form = Form::new()
        .text("note", "ฉบับแก้ไข")
        .part("file", Part::bytes(b"%PDF-1.4 plan v2\n%%EOF\n".to_vec()).file_name("plan.pdf"));
    let r = app
        .client
        .post(app.url(&format!("/app/documents/{id}/versions?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    done("document version", r).await;
    done(
        "document details",
        app.post_form(
            &format!("/app/documents/{id}"),
            &csrf,
            &[("category", "plan"), ("title", "แผนปฏิบัติการ"), ("issued_on", "2/10/2566")],
        )
        .await,
    )
    .await;
    done("site details", app.post_form("/app/site", &csrf, &[("address", "ที่ทำการ"), ("phone", "054 000 000")]).await)
        .await;
    // The manual meant for staff, acknowledged; a link of the OIT index, added and removed.
    let manual =
        app.count(&format!("SELECT MIN(id) FROM documents WHERE org_id = {} AND for_staff = 1", app.org_a.id.0)).await;
    done("acknowledge", app.post_form(&format!("/app/documents/{manual}/acknowledge"), &csrf, &[]).await).await;
    let r = app.post_form("/app/oit/2566/O1", &csrf, &[("document_id", &manual.to_string()), ("url", "")]).await;
    done("OIT link", r).await;
    let link = app.count("SELECT MAX(id) FROM oit_links").await;
    done("OIT link removed", app.post_form(&format!("/app/oit/links/{link}/remove"), &csrf, &[]).await).await;
    // An ITA result imported (with questions and OIT items), replaced, its issues and averages written.
    let csv = "คะแนนรวม,88.40\nระดับ,A\nIIT,27.00\n1,93\n2,90\n3,95\n4,88\n5,86\n6,87\n7,80\n8,86\n9,84\n10,90\ni1,91\nO21,ไม่ผ่าน\n";
    for replace in ["no", "yes"] {
        let form = reqwest::multipart::Form::new()
            .text("year", "2566")
            .text("replace", replace)
            .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("ita.csv"));
        let url = app.url(&format!("/app/ita/import?_csrf={csrf}"));
        done("ITA import", app.client.post(url).multipart(form).send().await.unwrap()).await;
    }
    done("ITA issues", app.post_form("/app/ita/2566/notes", &csrf, &[("issues_7", "ประชาชนไม่ทราบข่าว")]).await).await;
    let averages = [("national_0", "90.19"), ("province_7", "88.00")];
    done("ITA averages", app.post_form("/app/ita/2566/references", &csrf, &averages).await).await;
    // A council meeting: a citizen registers, cancels, registers again, and is checked in.
    let meeting = app.count(&format!("SELECT MAX(id) FROM council_meetings WHERE org_id = {}", app.org_a.id.0)).await;
    let citizen = crate::harness::new_client();
    let register = |phone: &'static str| {
        citizen
            .post(app.url(&format!("/o/{}/council/{meeting}/register", prongsai::demo::SLUG)))
            .form(&[("name", "ผู้เข้าฟัง"), ("phone", phone), ("consent", "1")])
            .send()
    };
    let r = done("register", register("0811112222").await.unwrap()).await;
    let code = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    let cancel = citizen.post(app.url(&format!("/o/{}/council/r/{code}/cancel", prongsai::demo::SLUG))).send();
    done("cancel", cancel.await.unwrap()).await;
    let r = done("register again", register("0811112222").await.unwrap()).await;
    let code = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    done(
        "registration",
        citizen.get(app.url(&format!("/o/{}/council/r/{code}", prongsai::demo::SLUG))).send().await.unwrap(),
    )
    .await;
    done("check-in page", app.get(&format!("/app/council/checkin/{code}")).await).await;
    done("check in", app.post_form(&format!("/app/council/checkin/{code}"), &csrf, &[]).await).await;
    // An opinion on the open consultation.
    let consultation = app.count(&format!("SELECT MIN(id) FROM consultations WHERE org_id = {}", app.org_a.id.0)).await;
    let opinion = citizen
        .post(app.url(&format!("/o/{}/participation/{consultation}", prongsai::demo::SLUG)))
        .form(&[("body", "ขอให้ซ่อมไฟถนน")])
        .send();
    done("opinion", opinion.await.unwrap()).await;
}

/// A survey made by staff, answered by a visit's token, the open poster and a served ticket.
async fn surveys(app: &mut TestApp) {
    let csrf = app.login(DEMO_ADMIN).await;
    let r = done(
        "a survey",
        app.post_form("/app/survey", &csrf, &[("name", "แบบประเมินทัวร์"), ("scale", "nearest_level")]).await,
    )
    .await;
    let survey = id_in_location(&r, "/app/survey/");
    let page = done(
        "a visit's link",
        app.post_form(
            &format!("/app/survey/{survey}/tokens"),
            &csrf,
            &[("source", "receipt"), ("source_ref", "ใบเสร็จ 1")],
        )
        .await,
    )
    .await
    .text()
    .await
    .unwrap();
    let slug = prongsai::demo::SLUG;
    let marker = format!("/o/{slug}/survey/v/");
    let at = page.find(&marker).expect("the page shows the link");
    let token: String = page[at + marker.len()..].chars().take_while(char::is_ascii_hexdigit).collect();
    let answer = crate::survey_answers::full_form(&[4, 5]);
    let citizen = crate::harness::new_client();
    for path in [format!("/o/{slug}/survey/v/{token}"), format!("/o/{slug}/survey/{survey}")] {
        assert_eq!(citizen.get(app.url(&path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
        done(&path, citizen.post(app.url(&path)).form(&answer).send().await.unwrap()).await;
    }
    let (code,): (String,) = sqlx::query_as("SELECT code FROM queue_tickets WHERE status = 'done' ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let path = format!("/o/{slug}/survey/ticket/{code}");
    assert_eq!(citizen.get(app.url(&path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    done(&path, citizen.post(app.url(&path)).form(&answer).send().await.unwrap()).await;
}

async fn measures(app: &mut TestApp) {
    let csrf = app.login(DEMO_ADMIN).await;
    let fields = [
        ("title", "จัดทำระบบยืม-คืนพัสดุออนไลน์"),
        ("indicators", "4"),
        ("methods", "๑. จัดทำระบบ"),
        ("status", "planned"),
        ("progress", "0"),
    ];
    let r = done("a new measure", app.post_form("/app/measures/new?year=2567", &csrf, &fields).await).await;
    let measure = id_in_location(&r, "/app/measures/");
    let mut edited = fields.to_vec();
    edited[4] = ("progress", "50");
    edited[3] = ("status", "in_progress");
    done("a measure saved", app.post_form(&format!("/app/measures/{measure}"), &csrf, &edited).await).await;
    done("a second measure", app.post_form("/app/measures/new?year=2567", &csrf, &fields).await).await;
    done("a measure moved", app.post_form(&format!("/app/measures/{measure}/move"), &csrf, &[("step", "1")]).await)
        .await;
    let intro = [("year", "2567"), ("intro", "องค์การบริหารส่วนตำบลแม่คะตวนจัดทำมาตรการ")];
    done("the report's introduction", app.post_form("/app/measures/intro", &csrf, &intro).await).await;
    let link = [("title", "ประกาศ"), ("url", "https://maekhatuan.go.th/a")];
    done("evidence linked", app.post_form(&format!("/app/measures/{measure}/evidence/link"), &csrf, &link).await).await;
    let pdf = reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("ประกาศ.pdf");
    let form = reqwest::multipart::Form::new().text("title", "ประกาศฉบับลงนาม").part("file", pdf);
    let url = app.url(&format!("/app/measures/{measure}/evidence/file?_csrf={csrf}"));
    done("evidence uploaded", app.client.post(url).multipart(form).send().await.unwrap()).await;
    let figures = [("figure", "lending.summary"), ("cite", "yes")];
    done("figures cited", app.post_form(&format!("/app/measures/{measure}/figures"), &csrf, &figures).await).await;
    let (evidence,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM evidence").fetch_one(&app.db.pool).await.unwrap();
    done("evidence deleted", app.post_form(&format!("/app/evidence/{evidence}/delete"), &csrf, &[]).await).await;
    let r = app.post_form("/app/measures/new?year=2567", &csrf, &fields).await;
    let doomed = id_in_location(&r, "/app/measures/");
    let confirm = [("confirm", "yes")];
    done("a measure deleted", app.post_form(&format!("/app/measures/{doomed}/delete"), &csrf, &confirm).await).await;
    // An import of the seed report into another year: upload, preview, confirm.
    let part = reqwest::multipart::Part::bytes(prongsai::demo::SEED_REPORT.as_bytes().to_vec()).file_name("report.md");
    let form = reqwest::multipart::Form::new().text("year", "2568").part("file", part);
    let url = app.url(&format!("/app/measures/import?_csrf={csrf}"));
    let preview = done("an import's preview", app.client.post(url).multipart(form).send().await.unwrap()).await;
    let page = preview.text().await.unwrap();
    let start = page.find("/app/measures/import/").expect("a confirm form") + "/app/measures/import/".len();
    let staged = page[start..].split('/').next().unwrap();
    let url = format!("/app/measures/import/{staged}/confirm");
    done("an import confirmed", app.post_form(&url, &csrf, &[("year_differs", "yes")]).await).await;
    // The executive approves 2567 on the list page, and it is published.
    let csrf = app.login(DEMO_EXECUTIVE).await;
    let page = app.get_text("/app/measures?year=2567").await;
    let marker = "name=\"seen\" value=\"";
    let start = page.find(marker).expect("the approval form") + marker.len();
    let seen = &page[start..start + page[start..].find('"').unwrap()];
    let today_th = thai_day(today());
    let approval = [
        ("year", "2567"),
        ("approver_name", "นายประเสริฐ ทองดี"),
        ("approver_position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน"),
        ("approved_on", today_th.as_str()),
        ("seen", seen),
    ];
    done("the report approved", app.post_form("/app/measures/approve", &csrf, &approval).await).await;
    done("the report published", app.post_form("/app/measures/publish", &csrf, &[("year", "2567")]).await).await;
    // The O42 document of 2566 approved and published, and its public file read.
    let page = app.get_text("/app/ita/documents?year=2566").await;
    let section = page.split("<section id=\"o42\"").nth(1).expect("the O42 section");
    let start = section.find(marker).expect("the O42 approval form") + marker.len();
    let seen = &section[start..start + section[start..].find('"').unwrap()];
    let approval = [
        ("kind", "o42"),
        ("year", "2566"),
        ("approver_name", "นายประเสริฐ ทองดี"),
        ("approver_position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน"),
        ("approved_on", today_th.as_str()),
        ("seen", seen),
    ];
    done("O42 approved", app.post_form("/app/ita/documents/approve", &csrf, &approval).await).await;
    let publish = [("kind", "o42"), ("year", "2566")];
    done("O42 published", app.post_form("/app/ita/documents/publish", &csrf, &publish).await).await;
    let public = format!("/o/{}/ita/analysis/2566/v1.pdf", prongsai::demo::SLUG);
    done("O42 served", app.get(&public).await).await;
}

fn loan_fields<'a>(item: &'a str, start: &'a str, due: &'a str, use_type: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("item_id", item),
        ("borrower_name", "นายบุญมี ศรีสุข"),
        ("borrower_position", "นักวิชาการ"),
        ("borrower_unit", "กองช่าง"),
        ("use_type", use_type),
        ("purpose", "ประชุมชี้แจงโครงการ"),
        ("place_of_use", "ศาลาเอนกประสงค์หมู่ 5"),
        ("start", start),
        ("due", due),
    ]
}

async fn step(app: &TestApp, csrf: &str, loan: i64, fields: &[(&str, &str)]) {
    let what = format!("loan {loan}: {fields:?}");
    done(&what, app.post_form(&format!("/app/lending/loans/{loan}/act"), csrf, fields).await).await;
}

async fn lending(app: &mut TestApp) {
    let csrf = app.login(DEMO_ADMIN).await;
    let item = [("asset_number", "416-69-0100"), ("name", "พัดลมตั้งพื้น"), ("lendable", "yes")];
    done("an item added", app.post_form("/app/lending/items", &csrf, &item).await).await;
    let again = app.post_form("/app/lending/items", &csrf, &item).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "the same asset number twice");
    let csv = "เลขครุภัณฑ์,ชื่อพัสดุ,ชนิด\n416-69-0101,โต๊ะพับ,ครุภัณฑ์\n";
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("items.csv");
    let url = app.url(&format!("/app/lending/items/import?_csrf={csrf}"));
    let form = reqwest::multipart::Form::new().part("file", part);
    done("items imported", app.client.post(url).multipart(form).send().await.unwrap()).await;
    let rules = [
        ("max_loan_days", "7"),
        ("follow_up_days", "7"),
        ("remind_days_before_due", "2"),
        ("approver_inside", "supplies_head"),
        ("approver_outside", "org_head"),
        ("approver_agency", "org_head"),
        ("holidays", ""),
        ("extra_rules", ""),
    ];
    done("lending rules saved", app.post_form("/app/lending/rules", &csrf, &rules).await).await;
    // A loan through every step: request, approval, hand-over, follow-up, a damaged return, settlement.
    let screen = item_id(app, "416-66-0002").await;
    let (start, due) = (today().to_string(), (today() + Duration::days(3)).to_string());
    let r = done(
        "a loan requested",
        app.post_form("/app/lending/loans", &csrf, &loan_fields(&screen, &start, &due, "outside")).await,
    )
    .await;
    let loan = id_in_location(&r, "/app/lending/loans/");
    let executive = app.login(DEMO_EXECUTIVE).await;
    step(app, &executive, loan, &[("action", "approve"), ("note", "อนุมัติ")]).await;
    let staff = app.login(DEMO_STAFF).await;
    step(app, &staff, loan, &[("action", "hand_over"), ("note", "สภาพดี")]).await;
    let follow_up = [("note", "โทรแจ้งผู้ยืม")];
    done("a follow-up", app.post_form(&format!("/app/lending/loans/{loan}/follow-up"), &staff, &follow_up).await).await;
    step(app, &staff, loan, &[("action", "return"), ("damage", "damaged"), ("note", "ขาตั้งหัก")]).await;
    step(app, &staff, loan, &[("action", "settle"), ("settlement", "repair"), ("note", "ผู้ยืมซ่อมแล้ว")]).await;
    // Its page shows the follow-ups and the return; the item's page its loans.
    app.get_text(&format!("/app/lending/loans/{loan}")).await;
    app.get_text(&format!("/app/lending/items/{screen}")).await;
    let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n"[..], &[7u8; 100][..], b"\0\0\0\0IEND\xaeB`\x82"].concat();
    let form =
        reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(png).file_name("camera.png"));
    let url = app.url(&format!("/app/lending/items/{screen}/photo?_csrf={staff}"));
    done("a photo", app.client.post(url).multipart(form).send().await.unwrap()).await;
    done("the photo", app.get(&format!("/app/lending/items/{screen}/photo")).await).await;
    // A request refused, one cancelled.
    let admin = app.login(DEMO_ADMIN).await;
    let (later, later_due) = ((today() + Duration::days(10)).to_string(), (today() + Duration::days(11)).to_string());
    let r = app.post_form("/app/lending/loans", &admin, &loan_fields(&screen, &later, &later_due, "inside")).await;
    let refused = id_in_location(&done("a second request", r).await, "/app/lending/loans/");
    let (other, other_due) = ((today() + Duration::days(20)).to_string(), (today() + Duration::days(21)).to_string());
    let r = app.post_form("/app/lending/loans", &admin, &loan_fields(&screen, &other, &other_due, "inside")).await;
    let cancelled = id_in_location(&done("a third request", r).await, "/app/lending/loans/");
    step(app, &admin, cancelled, &[("action", "cancel")]).await;
    let staff = app.login(DEMO_STAFF).await;
    step(app, &staff, refused, &[("action", "reject"), ("note", "ซ้ำซ้อน")]).await;
    // Units written off and a reserve kept.
    let chairs = item_id(app, "416-63-0008").await;
    let write_off = [("units", "1"), ("reason", "ชำรุด"), ("reference", "คำสั่งที่ 45/2569")];
    done("a write-off", app.post_form(&format!("/app/lending/items/{chairs}/write-off"), &staff, &write_off).await)
        .await;
    let reserve = [("reserve", "2")];
    done("a reserve", app.post_form(&format!("/app/lending/items/{chairs}/reserve"), &staff, &reserve).await).await;
    // The manual issued by the head of the agency; a delegation order.
    let executive = app.login(DEMO_EXECUTIVE).await;
    let manual = [
        ("fiscal_year", "๒๕๖๗"),
        ("approved_on", "2/10/2566"),
        ("approver_name", "นายประเสริฐ วงศ์คำ"),
        ("approver_position", "นายกองค์การบริหารส่วนตำบลแม่คะตวน"),
    ];
    done("the manual issued", app.post_form("/app/lending/manual", &executive, &manual).await).await;
    // The admin records the head of the agency's order delegating outside loans to a deputy.
    let executive = app.login(DEMO_ADMIN).await;
    let user = |name: &str| {
        let (db, org, name) = (app.db.clone(), app.org_a.id, name.to_string());
        async move { prongsai::auth::users::find_by_username_and_org(&db, &name, org).await.unwrap().unwrap().id }
    };
    let (from, to) = (user(DEMO_EXECUTIVE).await.to_string(), user("deputy").await.to_string());
    let (first, last) = (thai_day(today()), thai_day(today() + Duration::days(7)));
    let order = [
        ("from_user", from.as_str()),
        ("to_user", to.as_str()),
        ("outside", "yes"),
        ("order_number", "12/2569"),
        ("order_day", first.as_str()),
        ("from", first.as_str()),
        ("to", last.as_str()),
    ];
    done("a delegation order", app.post_form("/app/lending/delegations", &executive, &order).await).await;
}

async fn accounts(app: &mut TestApp) {
    let csrf = app.login(DEMO_ADMIN).await;
    let new =
        [("username", "somsri"), ("display_name", "นางสมศรี ใจดี"), ("role", "staff"), ("password", "a-long-password-1")];
    done("a user added", app.post_form("/app/users", &csrf, &new).await).await;
    let deputy = [
        ("username", "deputy"),
        ("display_name", "ปลัด ทดสอบ"),
        ("role", "executive"),
        ("password", "a-long-password-2"),
    ];
    done("an executive added", app.post_form("/app/users", &csrf, &deputy).await).await;
    let (somsri,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE username = 'somsri'").fetch_one(&app.db.pool).await.unwrap();
    let somsri = somsri.to_string();
    let settings = [("user_id", somsri.as_str()), ("duties", "supplies_officer"), ("email", "somsri@example.go.th")];
    done("a user's duties", app.post_form("/app/users/settings", &csrf, &settings).await).await;
    let off = [("user_id", somsri.as_str()), ("active", "0")];
    done("a user deactivated", app.post_form("/app/users/active", &csrf, &off).await).await;
    let on = [("user_id", somsri.as_str()), ("active", "1")];
    done("a user reactivated", app.post_form("/app/users/active", &csrf, &on).await).await;
    let reset = [("user_id", somsri.as_str())];
    done("a password reset", app.post_form("/app/users/reset-password", &csrf, &reset).await).await;
    done("the digits", app.post_form("/app/organization/digits", &csrf, &[("digits", "thai")]).await).await;
    let password = [
        ("current", crate::harness::PASSWORD),
        ("new", crate::harness::PASSWORD),
        ("repeat", crate::harness::PASSWORD),
    ];
    let r = app.post_form("/app/password", &csrf, &password).await;
    // The same password again may be refused; either way its statements ran.
    assert!(r.status().is_redirection() || r.status().is_client_error(), "{}", r.status());
    let csrf = app.login(DEMO_ADMIN).await;
    done("logged out everywhere", app.post_form("/logout/everywhere", &csrf, &[]).await).await;
    // Failed logins until the account is locked for a while (the throttle's counts).
    for _ in 0..12 {
        let r = app.try_login(&crate::harness::new_client(), prongsai::demo::SLUG, "somsri", "wrong-password").await;
        assert!(r.status().is_client_error() || r.status() == StatusCode::OK, "{}", r.status());
    }
    // An ordinary logout.
    let csrf = app.login(DEMO_ADMIN).await;
    done("logged out", app.post_form("/logout", &csrf, &[]).await).await;
}

/// The links of a page that stay on this site, without their fragments.
fn links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.split('#').next().unwrap().replace("&amp;", "&").replace("&#38;", "&"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .collect()
}

/// A link's kind: its path with numbers as N, and its query's keys, so that one page of a kind
/// stands for the others.
fn kind_of(href: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let path: String = path
        .split('/')
        .map(|s| if !s.is_empty() && s.chars().any(|c| c.is_ascii_digit()) && !s.contains('.') { "N" } else { s })
        .collect::<Vec<_>>()
        .join("/");
    let keys: Vec<&str> = query.split('&').filter_map(|p| p.split('=').next()).collect();
    format!("{path}?{}", keys.join("&"))
}

/// Follows every link from `start`, one page of each kind; never the logout.
async fn crawl(app: &TestApp, start: &[&str]) {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = start.iter().map(|s| s.to_string()).collect();
    let mut visited = 0;
    while let Some(href) = queue.pop_front() {
        if href.starts_with("/logout") || href.starts_with("/static/") || !seen.insert(kind_of(&href)) {
            continue;
        }
        visited += 1;
        assert!(visited <= PAGES_PER_ROLE, "more than {PAGES_PER_ROLE} kinds of page: is a link growing without end?");
        let r = app.get(&href).await;
        assert!(!r.status().is_server_error(), "GET {href}: {}", r.status());
        let is_html =
            r.headers().get("content-type").is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/html"));
        if is_html {
            queue.extend(links(&r.text().await.unwrap()));
        }
    }
}

/// LINE's webhook (after `outbox` set LINE up): the channel secret and the official account's ID
/// saved, a complaint's code sent in the chat (linked), a staff step pushed to the follower, the
/// tracking page's LINE note, "หยุด" with a code and without, an unknown code answered.
async fn line_followers(app: &mut TestApp) {
    use prongsai::publishing::line_webhook::sign;
    const SECRET: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const USER: &str = "U0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let csrf = app.login(DEMO_ADMIN).await;
    let line = [("enabled", "1"), ("secret", SECRET), ("oa_id", "@tourtown")];
    done("LINE secret", app.post_form("/app/publishing/line", &csrf, &line).await).await;
    let citizen = crate::harness::new_client();
    let r = crate::complaints::file_at(&citizen, &app.url(""), &[], Vec::new(), None).await;
    let code = crate::complaints::code_of(&done("complaint for LINE", r).await);
    let id = crate::complaints::id_of(app, &code).await;
    let slug = prongsai::demo::SLUG;
    let says = |text: String| {
        let body = serde_json::json!({ "events": [{
            "type": "message", "source": { "type": "user", "userId": USER },
            "message": { "type": "text", "id": "1", "text": text }
        }]})
        .to_string();
        citizen
            .post(app.url(&format!("/hooks/line/{slug}")))
            .header("x-line-signature", sign(SECRET, body.as_bytes()))
            .body(body)
            .send()
    };
    done("code sent in LINE", says(code.clone()).await.unwrap()).await;
    done("code sent again", says(code.clone()).await.unwrap()).await;
    done("pushed on receive", app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await).await;
    done(
        "LINE on the tracking page",
        citizen.get(app.url(&format!("/o/{slug}/complaints/{code}"))).send().await.unwrap(),
    )
    .await;
    done("stop one", says(format!("หยุด {code}")).await.unwrap()).await;
    done("code once more", says(code.clone()).await.unwrap()).await;
    done("stop all", says("stop".into()).await.unwrap()).await;
    done("unknown code", says("ZZZZ-ZZZZ-ZZZZ".into()).await.unwrap()).await;
}

/// The open API (`/api/v1`): every path of its document, as a program reads them, and the lists'
/// pages and filter.
async fn api(app: &TestApp) {
    let citizen = crate::harness::new_client();
    let doc: serde_json::Value =
        citizen.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let this_year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be().to_string();
    let mut paths: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(|p| {
            let year = if p.contains("/reports/") {
                "2566"
            } else if p.contains("/ita-scores/") {
                "2565"
            } else {
                &this_year
            };
            p.replace("{slug}", prongsai::demo::SLUG).replace("{year}", year)
        })
        .collect();
    paths.push("/api/v1/orgs?page=2&per_page=1".into());
    paths.push(format!("/api/v1/orgs/{}/documents?page=1", prongsai::demo::SLUG));
    for path in paths {
        let r = citizen.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
}
