//! Council meetings open to citizens (issue 16, item 4), on both engines: registering with a name
//! and a phone number only, the waiting list and the seat a cancellation gives back, citizens
//! racing for the last seats through two servers, check-in at the door (once, and only with a
//! seat), the iCalendar feed, the attendance a measure cites, and what another organization
//! reaches.

use reqwest::StatusCode;

/// The demo's upcoming meeting (the one that starts last).
async fn upcoming(app: &crate::harness::TestApp) -> i64 {
    app.count(&format!(
        "SELECT id FROM council_meetings WHERE org_id = {} ORDER BY starts_at DESC LIMIT 1",
        app.org_a.id.0
    ))
    .await
}

/// Registers on the public form; returns the response (not following the redirect).
async fn register(
    app: &crate::harness::TestApp,
    meeting: i64,
    name: &str,
    phone: &str,
    consent: bool,
) -> reqwest::Response {
    let mut form = vec![("name", name), ("phone", phone)];
    if consent {
        form.push(("consent", "1"));
    }
    app.client.post(app.url(&format!("/o/mae-khatuan/council/{meeting}/register"))).form(&form).send().await.unwrap()
}

/// The code in a redirect to `/o/mae-khatuan/council/r/CODE`.
fn code_of(r: &reqwest::Response) -> String {
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "registered");
    let location = r.headers()["location"].to_str().unwrap();
    location.rsplit('/').next().unwrap().to_string()
}

/// A new meeting a week ahead with `seats`, made on the staff form; its id.
async fn new_meeting(app: &crate::harness::TestApp, csrf: &str, seats: &str) -> i64 {
    let day = prongsai::thai::today_in_thailand() + chrono::Days::new(7);
    let day = prongsai::thai::format_date_field(day, prongsai::thai::Digits::Arabic);
    let r = app
        .post_form(
            "/app/council/new",
            csrf,
            &[
                ("title", "การประชุมสภา สมัยวิสามัญ"),
                ("day", &day),
                ("time", "13.30"),
                ("place", "ห้องประชุมสภา"),
                ("seats", seats),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap();
    location.trim_start_matches("/app/council/").split('?').next().unwrap().parse().unwrap()
}

crate::on_both_databases! {
    async fn a_citizen_registers_with_a_name_and_phone_only_and_the_page_names_what_is_wrong(app: TestApp) {
        let meeting = upcoming(&app).await;
        let page = app.get_text(&format!("/o/mae-khatuan/council/{meeting}")).await;
        assert!(page.contains("ที่นั่งสำหรับประชาชน ๒๐ ที่ ว่าง ๒๐ ที่"), "{page}");

        let r = register(&app, meeting, "นายทดสอบ ลงทะเบียน", "๐๘๑-๒๓๔-๕๖๗๘", false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณายืนยันว่ายินยอม"));
        let r = register(&app, meeting, "นายทดสอบ ลงทะเบียน", "12345", true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("หมายเลขโทรศัพท์ &#34;12345&#34; ไม่ถูกต้อง"));
        assert_eq!(app.count("SELECT COUNT(*) FROM council_registrations WHERE phone = '0812345678'").await, 0);

        let r = register(&app, meeting, "นายทดสอบ ลงทะเบียน", "๐๘๑-๒๓๔-๕๖๗๘", true).await;
        let code = code_of(&r);
        assert_eq!(code.len(), 14, "ABCD-EFGH-JKMN");
        let mine = app.client.get(app.url(&format!("/o/mae-khatuan/council/r/{code}"))).send().await.unwrap();
        assert_eq!(mine.headers()["cache-control"], "private, no-store");
        let mine = mine.text().await.unwrap();
        assert!(mine.contains("ได้ที่นั่งแล้ว") && mine.contains("08xx-xxx-5678") && !mine.contains("0812345678"), "{mine}");
        assert!(mine.contains("id=\"checkin-qr\" src=\"data:image/svg+xml"), "the QR for the door");
        let stored: (String, String) = sqlx::query_as("SELECT name, phone FROM council_registrations WHERE code = $1")
            .bind(code.replace('-', ""))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(stored, ("นายทดสอบ ลงทะเบียน".to_string(), "0812345678".to_string()));
        // The audit keeps the code and state, never the name or the phone.
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'council_registration' AND (after_json LIKE '%0812345678%' OR after_json LIKE '%ลงทะเบียน%')").await, 0);

        let again = register(&app, meeting, "ชื่ออื่น", "0812345678", true).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.text().await.unwrap().contains("ลงทะเบียนการประชุมครั้งนี้ไว้แล้ว"));
        assert!(app.get_text(&format!("/o/mae-khatuan/council/{meeting}")).await.contains("ว่าง ๑๙ ที่"), "the cache follows the seat taken");
        assert_eq!(app.get("/o/mae-khatuan/council/r/AAAA-BBBB-CCCC").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/other-town/council/r/{code}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn the_waiting_list_gets_the_seat_a_cancellation_gives_back(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let meeting = new_meeting(&app, &csrf, "1").await;
        app.client = crate::harness::new_client();
        let first = code_of(&register(&app, meeting, "ผู้ลงทะเบียนคนแรก", "0810000001", true).await);
        let second = code_of(&register(&app, meeting, "ผู้ลงทะเบียนคนที่สอง", "0810000002", true).await);
        assert!(app.get_text(&format!("/o/mae-khatuan/council/r/{second}")).await.contains("อยู่ในรายชื่อสำรอง"));
        let r = app.client.post(app.url(&format!("/o/mae-khatuan/council/r/{first}/cancel"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(app.get_text(&format!("/o/mae-khatuan/council/r/{first}")).await.contains("ยกเลิกแล้ว"));
        assert!(app.get_text(&format!("/o/mae-khatuan/council/r/{second}")).await.contains("ได้ที่นั่งแล้ว"), "promoted");
        let twice = app.client.post(app.url(&format!("/o/mae-khatuan/council/r/{first}/cancel"))).send().await.unwrap();
        assert_eq!(twice.status(), StatusCode::CONFLICT);
        // A cancelled phone may register again (on the waiting list: the seat is taken).
        let back = code_of(&register(&app, meeting, "ผู้ลงทะเบียนคนแรก", "0810000001", true).await);
        assert!(app.get_text(&format!("/o/mae-khatuan/council/r/{back}")).await.contains("อยู่ในรายชื่อสำรอง"));
    }

    async fn citizens_racing_for_the_last_seats_get_each_seat_once(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let meeting = new_meeting(&app, &csrf, "2").await;
        // Two servers on the same database, as two processes behind one address would be: the
        // racers alternate between them, so a seat is guarded by the database, not one process.
        let (second, _stop) = app.second_server().await;
        let path = format!("/o/mae-khatuan/council/{meeting}/register");
        let urls = [app.url(&path), format!("{second}{path}")];
        let racers = (0..5).map(|i| {
            let (url, client) = (urls[i % 2].clone(), crate::harness::new_client());
            tokio::spawn(async move {
                let phone = format!("08200000{i:02}");
                client.post(url).form(&[("name", "ผู้เข้าฟัง"), ("phone", phone.as_str()), ("consent", "1")]).send().await.unwrap().status()
            })
        });
        for racer in racers.collect::<Vec<_>>() {
            assert_eq!(racer.await.unwrap(), StatusCode::SEE_OTHER);
        }
        let confirmed = app.count(&format!("SELECT COUNT(*) FROM council_registrations WHERE meeting_id = {meeting} AND status = 'confirmed'")).await;
        let waiting = app.count(&format!("SELECT COUNT(*) FROM council_registrations WHERE meeting_id = {meeting} AND status = 'waitlisted'")).await;
        assert_eq!((confirmed, waiting), (2, 3));
        // A sixth from the same address is one too many.
        let r = register(&app, meeting, "คนที่หก", "0820000099", true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ลงทะเบียนจากเครื่องนี้ครบ ๕ คนแล้ว"));
    }

    async fn staff_check_a_seat_holder_in_once_and_only_a_seat_holder(app: TestApp) {
        let mut app = app;
        let csrf = app.login("supplies").await;
        let meeting = new_meeting(&app, &csrf, "1").await;
        let seated = code_of(&register(&app, meeting, "ผู้ได้ที่นั่ง", "0830000001", true).await);
        let waiting = code_of(&register(&app, meeting, "ผู้สำรอง", "0830000002", true).await);
        let page = app.get_text(&format!("/app/council/checkin/{}", seated.to_lowercase())).await;
        assert!(page.contains("ผู้ได้ที่นั่ง") && page.contains("checkin-button"), "a code read in lower case still finds it");
        let r = app.post_form(&format!("/app/council/checkin/{seated}"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&format!("/app/council/checkin/{seated}"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "a second scan shows, not counts");
        assert_eq!(app.count(&format!("SELECT COUNT(checked_in_at) FROM council_registrations WHERE meeting_id = {meeting}")).await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'check_in' AND actor LIKE 'supplies%'").await, 1);
        let r = app.post_form(&format!("/app/council/checkin/{waiting}"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("รายชื่อสำรอง"));
        // A mistyped code is named; another organization's staff reach nothing.
        assert!(app.get_text("/app/council/checkin?code=ABC").await.contains("รหัส \"ABC\" ไม่ถูกต้อง"));
        let csrf_b = app.login(OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/council/checkin/{seated}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/council/checkin/{waiting}"), &csrf_b, &[]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/app/council/{meeting}")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn a_past_or_cancelled_meeting_takes_no_registration(app: TestApp) {
        let past = app.count(&format!("SELECT id FROM council_meetings WHERE org_id = {} ORDER BY starts_at LIMIT 1", app.org_a.id.0)).await;
        let r = register(&app, past, "มาช้า", "0840000001", true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ปิดรับลงทะเบียนแล้ว"));
        let page = app.get_text(&format!("/o/mae-khatuan/council/{past}")).await;
        assert!(page.contains("รายงานการประชุม"), "the past meeting links its minutes");
        let mut app = app;
        let csrf = app.login("supplies").await;
        let meeting = new_meeting(&app, &csrf, "10").await;
        let day = prongsai::thai::format_date_field(prongsai::thai::today_in_thailand() + chrono::Days::new(7), prongsai::thai::Digits::Arabic);
        let r = app
            .post_form(&format!("/app/council/{meeting}"), &csrf, &[("title", "การประชุมสภา สมัยวิสามัญ"), ("day", &day), ("time", "13:30"), ("place", "ห้องประชุมสภา"), ("seats", "10"), ("cancelled", "1")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = register(&app, meeting, "ผู้สนใจ", "0840000002", true).await;
        assert!(r.text().await.unwrap().contains("การประชุมครั้งนี้ยกเลิกแล้ว"));
        let ics = app.get_text("/o/mae-khatuan/council/meetings.ics").await;
        assert!(ics.replace("\r\n ", "").contains("STATUS:CANCELLED"));
    }

    async fn the_calendar_feed_holds_the_meetings_in_rfc_5545_lines(app: TestApp) {
        let r = app.get("/o/mae-khatuan/council/meetings.ics").await;
        assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
        let ics = r.text().await.unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.split("\r\n").all(|line| line.len() <= 75), "folded at 75 octets");
        let unfolded = ics.replace("\r\n ", "");
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2, "the demo's past and upcoming meetings");
        assert!(unfolded.contains("SUMMARY:การประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๑ ครั้งที่ ๑"));
        assert_eq!(app.get_text("/o/other-town/council/meetings.ics").await.matches("BEGIN:VEVENT").count(), 0);
    }

    async fn a_measure_cites_the_citizens_who_attended_council_meetings(app: TestApp) {
        // The demo's past meeting: six citizens checked in.
        let (starts,): (i64,) = sqlx::query_as("SELECT MIN(starts_at) FROM council_meetings WHERE org_id = $1")
            .bind(app.org_a.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let day = chrono::DateTime::from_timestamp(starts + 7 * 3600, 0).unwrap().date_naive();
        let year = prongsai::thai::FiscalYear::of(day).be() as i64;
        let line = prongsai::measures::figures::render(&app.db, &app.org_a, year, "council.attendance").await.unwrap();
        assert!(line.starts_with("ประชาชนเข้าฟังการประชุมสภา ๖ คน จากการประชุม "), "{line}");
        assert!(prongsai::measures::figures::is_printed_line("council.attendance", &line));
        let other = prongsai::measures::figures::render(&app.db, &app.org_b, year, "council.attendance").await.unwrap();
        assert!(other.starts_with("ประชาชนเข้าฟังการประชุมสภา ๐ คน จากการประชุม ๐ ครั้ง"), "{other}");
    }
}
