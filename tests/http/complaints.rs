//! Complaints (issue 17), on both engines: tracking codes (random, grouped, read in any case, a
//! wrong one a 404 and guessing limited per address), the deadline in working days against the
//! office's holiday calendar, the staff steps in order and a second organization's 404, the
//! citizen's "not resolved" reopening the case, and the public monthly figures.
//! complaints_access.rs: who sees a corruption complaint, anonymity, limits and photos.

use chrono::{Datelike, NaiveDate, Weekday};
use prongsai::thai::{Digits, format_date_medium, format_int};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::TestApp;

pub const SLUG: &str = "mae-khatuan";

/// Files a complaint on the public form from `base` (a server's URL) with `fields` over the
/// defaults (a service complaint, anonymous) and `photos` (file name, bytes).
pub async fn file_at(
    client: &reqwest::Client,
    base: &str,
    fields: &[(&str, &str)],
    photos: Vec<(&str, Vec<u8>)>,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = vec![
        ("category", "service"),
        ("subject", "ไฟถนนดับ"),
        ("body", "ไฟถนนหน้าบ้านดับสามคืน"),
        ("identity", "anonymous"),
    ];
    for (k, v) in fields {
        all.retain(|(key, _)| key != k);
        all.push((k, v));
    }
    let mut form = Form::new();
    for (k, v) in all {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in photos {
        form = form.part("photos", Part::bytes(bytes).file_name(name.to_string()));
    }
    let mut request = client.post(format!("{base}/o/{SLUG}/complaints/new")).multipart(form);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

pub async fn file(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    file_at(&crate::harness::new_client(), &app.url(""), fields, Vec::new(), None).await
}

/// The tracking code in the redirect after filing.
pub fn code_of(r: &reqwest::Response) -> String {
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "filed");
    let location = r.headers()["location"].to_str().unwrap();
    let rest = location.strip_prefix(&format!("/o/{SLUG}/complaints/")).unwrap();
    rest.strip_suffix("?filed=1").unwrap().to_string()
}

pub async fn id_of(app: &TestApp, code: &str) -> i64 {
    app.count(&format!("SELECT id FROM complaints WHERE org_id = {} AND code = '{code}'", app.org_a.id.0)).await
}

/// A public page as a citizen without a session sees it.
pub async fn public(app: &TestApp, path: &str) -> reqwest::Response {
    crate::harness::new_client().get(app.url(path)).send().await.unwrap()
}

/// The text between `id="ID">` and the next `<`.
pub fn element(page: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no #{id} in {page}"));
    let rest = &page[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..start + rest[start..].find('<').unwrap()].to_string()
}

/// Crockford base 32 as a number, to see whether codes follow each other.
fn value(code: &str) -> u64 {
    code.bytes()
        .fold(0, |v, b| v * 32 + prongsai::complaints::code::ALPHABET.iter().position(|a| *a == b).unwrap() as u64)
}

crate::on_both_databases! {
    async fn tracking_codes_are_random_grouped_and_found_in_any_case(app: TestApp) {
        let r = file(&app, &[]).await;
        let code = code_of(&r);
        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}?filed=1")).await.text().await.unwrap();
        let shown = element(&page, "tracking-code");
        assert_eq!(shown.len(), 14, "three groups of four: {shown}");
        assert_eq!(shown.replace('-', ""), code);
        assert!(code.bytes().all(|b| prongsai::complaints::code::ALPHABET.contains(&b)));
        assert!(!code.contains(['I', 'L', 'O', 'U']));

        // Lower case, without dashes, with spaces: the same complaint.
        for typed in [shown.to_lowercase(), code.to_lowercase(), shown.replace('-', " ")] {
            let r = public(&app, &format!("/o/{SLUG}/complaints/track?code={}", urlencoding::encode(&typed))).await;
            assert_eq!(r.headers()["location"], format!("/o/{SLUG}/complaints/{code}").as_str(), "{typed}");
        }
        let r = public(&app, &format!("/o/{SLUG}/complaints/{}", code.to_lowercase())).await;
        assert_eq!(r.headers()["location"], format!("/o/{SLUG}/complaints/{code}").as_str());
        assert_eq!(public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.status(), StatusCode::OK);

        // A wrong code is a 404 saying so in Thai.
        let wrong = if code.starts_with('0') { "1" } else { "0" }.to_string() + &code[1..];
        let r = public(&app, &format!("/o/{SLUG}/complaints/{wrong}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.text().await.unwrap().contains("ไม่พบเรื่องร้องเรียนที่มีรหัสติดตามเรื่อง"));

        // 200 codes as the filing stores them: all different, none following the one before.
        let org = app.org_a.id;
        let new = prongsai::complaints::filing::NewComplaint {
            category: prongsai::complaints::Category::Other,
            subject: "ทดสอบรหัส".into(),
            body: "ทดสอบ".into(),
            accused_division_id: None,
            identity: None,
        };
        for n in 0..200 {
            let key = format!("codes-{n}");
            let how = prongsai::complaints::filing::Filing { client_key: &key, holidays: &[], digits: Digits::Thai, at: prongsai::db::now() };
            let filed = prongsai::complaints::filing::file(&app.db, org, &new, &[], &how).await.unwrap();
            assert!(filed.is_ok());
        }
        let codes: Vec<(String,)> = sqlx::query_as("SELECT code FROM complaints WHERE org_id = $1 AND subject = 'ทดสอบรหัส' ORDER BY id")
            .bind(org.0).fetch_all(&app.db.pool).await.unwrap();
        let codes: Vec<String> = codes.into_iter().map(|c| c.0).collect();
        assert_eq!(codes.len(), 200);
        assert_eq!(codes.iter().collect::<std::collections::HashSet<_>>().len(), 200, "all distinct");
        for pair in codes.windows(2) {
            assert_eq!(pair[0].len(), prongsai::complaints::code::LEN);
            assert_ne!(value(&pair[1]), value(&pair[0]) + 1, "not sequential: {pair:?}");
        }
        let mut sorted = codes.clone();
        sorted.sort();
        assert_ne!(sorted, codes, "not in the order they were made");

        // Guessing is limited per address: 20 wrong codes, then even the right one waits.
        let guesser = crate::harness::new_client();
        let mut refused = None;
        for n in 0..25 {
            let r = guesser.get(app.url(&format!("/o/{SLUG}/complaints/ZZZZZZZZZZ{:02}", n))).send().await.unwrap();
            if r.status() == StatusCode::TOO_MANY_REQUESTS {
                refused = Some(r);
                break;
            }
            assert_eq!(r.status(), StatusCode::NOT_FOUND);
        }
        let refused = refused.expect("guessing is limited");
        assert!(refused.headers().contains_key("retry-after"));
        assert!(refused.text().await.unwrap().contains("รหัสติดตามเรื่องที่ไม่ถูกต้องหลายครั้งเกินไป"));
        let r = guesser.get(app.url(&format!("/o/{SLUG}/complaints/{code}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    async fn the_deadline_counts_working_days_against_the_holiday_calendar(app: TestApp) {
        let mut app = app;
        // A hand-made calendar: only the holiday added on the staff page, on the second working
        // day after today.
        app.raw_sql(&format!("DELETE FROM org_holidays WHERE org_id = {}", app.org_a.id.0)).await.unwrap();
        let today = prongsai::thai::today_in_thailand();
        let weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let holiday = today.iter_days().skip(1).filter(|d| !weekend(*d)).nth(1).unwrap();
        let csrf = app.login("supplies").await;
        let typed = format!("{}/{}/{}", holiday.day(), holiday.month(), holiday.year() + 543);
        let r = app.post_form("/app/complaints/holidays", &csrf, &[("day", &typed), ("name", "วันหยุดทดสอบ")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.post_form("/app/complaints/holidays", &csrf, &[("day", "31/2/2569"), ("name", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("กรุณากรอกชื่อวันหยุด"), "{page}");
        assert!(app.get_text("/app/complaints/holidays").await.contains("วันหยุดทดสอบ"));

        // Seven working days for service complaints.
        let csrf = app.login("admin").await;
        let r = app.post_form("/app/complaints/settings", &csrf, &[("service", "๗"), ("corruption", "15"), ("other", "15")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        let code = code_of(&file(&app, &[]).await);
        // The hand count: seven days after today that are neither a weekend day nor the holiday.
        let mut weekend_days = 0;
        let mut counted = 0;
        let mut due = today;
        while counted < 7 {
            due = due.succ_opt().unwrap();
            if weekend(due) {
                weekend_days += 1;
            } else if due != holiday {
                counted += 1;
            }
        }
        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        let date = |d: NaiveDate| format_date_medium(d, Digits::Thai);
        assert!(element(&page, "due").starts_with(&date(due)), "due {}: {page}", date(due));
        let note = element(&page, "due-note");
        assert!(note.contains(&format!("ยื่นเรื่องวันที่ {} นับ ๗ วันทำการ", date(today))), "{note}");
        assert!(note.contains(&format!("ไม่นับวันเสาร์และวันอาทิตย์ {} วัน", format_int(weekend_days, Digits::Thai))), "{note}");
        assert!(note.contains(&format!("วันหยุดของหน่วยงาน ๑ วัน ({} วันหยุดทดสอบ)", date(holiday))), "{note}");
        assert!(note.ends_with(&format!("ครบกำหนดวันที่ {}", date(due))), "{note}");

        // Removing the holiday moves the next complaint's deadline one working day earlier.
        let csrf = app.login("supplies").await;
        let day = prongsai::documents::day_number(holiday);
        let r = app.post_form(&format!("/app/complaints/holidays/{day}/remove"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let code = code_of(&file(&app, &[]).await);
        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        assert!(element(&page, "due-note").contains("ไม่มีวันหยุดของหน่วยงานในช่วงนี้"));
    }

    async fn steps_out_of_order_are_refused_and_another_organization_gets_404(app: TestApp) {
        let mut app = app;
        let code = code_of(&file(&app, &[]).await);
        let id = id_of(&app, &code).await;
        let csrf = app.login("supplies").await;
        let refused = |r: reqwest::Response| async move {
            assert_eq!(r.status(), StatusCode::CONFLICT);
            r.text().await.unwrap()
        };
        let page = refused(app.post_form(&format!("/app/complaints/{id}/close"), &csrf, &[]).await).await;
        assert!(page.contains("ยังไม่ได้ลงรับเรื่อง กรุณาลงรับเรื่องก่อน"), "{page}");
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await.status(), StatusCode::SEE_OTHER);
        let page = refused(app.post_form(&format!("/app/complaints/{id}/receive"), &csrf, &[]).await).await;
        assert!(page.contains("ลงรับเรื่องนี้แล้ว"));
        let page = refused(app.post_form(&format!("/app/complaints/{id}/close"), &csrf, &[]).await).await;
        assert!(page.contains("กรุณาตอบก่อนปิดเรื่อง"));
        let r = app.post_form(&format!("/app/complaints/{id}/reply"), &csrf, &[("reply", "ซ่อมแล้ว")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/close"), &csrf, &[]).await.status(), StatusCode::SEE_OTHER);
        let page = refused(app.post_form(&format!("/app/complaints/{id}/reply"), &csrf, &[("reply", "อีกครั้ง")]).await).await;
        assert!(page.contains("เรื่องนี้ปิดแล้ว"));
        let steps = app.count(&format!("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id}")).await;
        assert_eq!(steps, 4, "filed, received, replied, closed: nothing from the refused ones");
        let audited = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'complaint' AND entity_id = '{id}'")).await;
        assert_eq!(audited, 4, "every step audited");
        let staff = app.get_text(&format!("/app/complaints/{id}")).await;
        assert!(staff.contains("ซ่อมแล้ว") && staff.contains("ปิดเรื่องแล้ว"));

        let csrf_b = app.login(crate::harness::OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/complaints/{id}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/reply"), &csrf_b, &[("reply", "x")]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/complaints/{id}/receive"), &csrf_b, &[]).await.status(), StatusCode::NOT_FOUND);
        assert!(!app.get_text("/app/complaints").await.contains(&code[..4]), "absent from their list");
        assert_eq!(public(&app, &format!("/o/other-town/complaints/{code}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn not_resolved_reopens_the_case_with_its_history_and_a_new_deadline(app: TestApp) {
        let mut app = app;
        let code = code_of(&file(&app, &[("subject", "ถนนเป็นหลุม")]).await);
        let id = id_of(&app, &code).await;
        let csrf = app.login("supplies").await;
        let answer = |fields: Vec<(&'static str, &'static str)>| {
            crate::harness::new_client().post(app.url(&format!("/o/{SLUG}/complaints/{code}/answer"))).form(&fields).send()
        };
        // Not closed yet: no question to answer.
        let r = answer(vec![("resolved", "no"), ("reason", "ยังไม่ซ่อม")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        for step in ["receive", "reply", "close"] {
            let r = app.post_form(&format!("/app/complaints/{id}/{step}"), &csrf, &[("reply", "ลงหินคลุกแล้ว")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{step}");
        }
        // The first deadline, as if counted long ago.
        app.raw_sql(&format!("UPDATE complaints SET clock_from = 20200101, due_on = 20200110 WHERE id = {id}")).await.unwrap();
        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        assert!(page.contains("แก้ไขแล้วหรือไม่"), "the question after closing");
        let r = answer(vec![("resolved", "no"), ("reason", "")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณาบอกเหตุผลที่ยังไม่ได้รับการแก้ไข"));
        let r = answer(vec![("resolved", "no"), ("reason", "ฝนตกแล้วเป็นหลุมอีก")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        assert_eq!(element(&page, "status"), "เปิดเรื่องอีกครั้ง");
        assert!(page.contains("ลงหินคลุกแล้ว") && page.contains("ฝนตกแล้วเป็นหลุมอีก"), "history kept: {page}");
        let today = prongsai::documents::day_number(prongsai::thai::today_in_thailand());
        assert_eq!(app.count(&format!("SELECT clock_from FROM complaints WHERE id = {id}")).await, today);
        assert!(app.count(&format!("SELECT due_on FROM complaints WHERE id = {id}")).await > today, "a new deadline");
        assert!(element(&page, "due-note").contains("วิธีนับกำหนด: เปิดเรื่องอีกครั้งวันที่"));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id}")).await, 5);

        // A reopened case needs a new reply before it closes; then "resolved" closes it for good.
        let r = app.post_form(&format!("/app/complaints/{id}/close"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        for step in ["reply", "close"] {
            let r = app.post_form(&format!("/app/complaints/{id}/{step}"), &csrf, &[("reply", "ซ่อมถาวรแล้ว")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{step}");
        }
        assert_eq!(answer(vec![("resolved", "yes")]).await.unwrap().status(), StatusCode::SEE_OTHER);
        let page = public(&app, &format!("/o/{SLUG}/complaints/{code}")).await.text().await.unwrap();
        assert!(page.contains("id=\"resolved\"") && !page.contains("แก้ไขแล้วหรือไม่</h2>"), "{page}");
        let r = answer(vec![("resolved", "no"), ("reason", "เปลี่ยนใจ")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("เรื่องนี้ปิดแล้ว"));
        assert_eq!(app.count(&format!("SELECT resolved FROM complaints WHERE id = {id}")).await, 1);
        assert_eq!(element(&app.get_text(&format!("/app/complaints/{id}")).await, "status"), "ปิดเรื่องแล้ว");
    }

    async fn the_stats_page_matches_a_hand_count_without_personal_data(app: TestApp) {
        let mut app = app;
        let org = app.org_a.id.0;
        app.raw_sql(&format!(
            "DELETE FROM complaint_photos WHERE org_id = {org}; DELETE FROM complaint_events WHERE org_id = {org}; DELETE FROM complaints WHERE org_id = {org}"
        ))
        .await
        .unwrap();
        let named = [("identity", "named"), ("name", "นางสาวสถิติ ลับเฉพาะ"), ("phone", "0891234567"), ("consent", "1")];
        let service = code_of(&file(&app, &named).await);
        code_of(&file(&app, &[("category", "corruption"), ("subject", "เรื่องทุจริตลับ")]).await);
        code_of(&file(&app, &[("category", "other")]).await);
        let id = id_of(&app, &service).await;
        let csrf = app.login("supplies").await;
        for step in ["receive", "reply", "close"] {
            let r = app.post_form(&format!("/app/complaints/{id}/{step}"), &csrf, &[("reply", "แก้ไขแล้ว")]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{step}");
        }
        // By hand: three received this month (one of them corruption), one closed the same day,
        // within its deadline, after 0 working days.
        let page = public(&app, &format!("/o/{SLUG}/complaints/stats")).await.text().await.unwrap();
        assert!(page.contains("<tr id=\"year-total\"><th scope=\"row\">รวมทั้งปี</th><td>๓</td><td>๑</td><td>๑</td><td>๐</td></tr>"), "{page}");
        let month = prongsai::thai::YearMonth::of(prongsai::thai::today_in_thailand()).format(Digits::Thai);
        assert!(page.contains(&format!("<th scope=\"row\">{month}</th><td>๓</td><td>๑</td><td>๑</td><td>๐</td>")), "{page}");
        assert!(page.contains("<th scope=\"row\">การทุจริตหรือประพฤติมิชอบ</th><td>๑</td><td>๐</td><td>๐</td><td>–</td>"), "{page}");
        for private in ["นางสาวสถิติ", "0891234567", "เรื่องทุจริตลับ", "ไฟถนนดับ"] {
            assert!(!page.contains(private), "{private} on the stats page");
        }
        // A measure cites the same figures live.
        let year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be() as i64;
        let line = prongsai::measures::figures::render(&app.db, &app.org_a, year, "complaints.summary").await.unwrap();
        assert!(line.contains("รับเรื่อง ๓ เรื่อง (เรื่องการทุจริตหรือประพฤติมิชอบ ๑ เรื่อง) ดำเนินการแล้วเสร็จ ๑ เรื่อง ภายในกำหนด ๑ เรื่อง"), "{line}");
        assert!(prongsai::measures::figures::is_printed_line("complaints.summary", &line));
        let other = prongsai::measures::figures::render(&app.db, &app.org_b, year, "complaints.summary").await.unwrap();
        assert!(other.contains("รับเรื่อง ๐ เรื่อง"), "{other}");
    }
}
