use chrono::Duration;
use prongsai::lending::loans::{self, LoanRequest};
use prongsai::lending::rules::UseType;
use prongsai::lending::workflow::{Action, LoanStatus};
use prongsai::lending::{ItemId, reminders, today};
use reqwest::StatusCode;

use crate::harness::{Backend, TestApp};

/// Another connection in a write that blocks new notices until it ends, as a long write would: on
/// SQLite a write transaction (reads go on beside it), on PostgreSQL a lock on the notifications
/// that blocks inserts, not reads.
async fn hold_notification_writes(app: &TestApp) -> sqlx::AnyConnection {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(app.db_url.expose()).await.unwrap();
    let statements: &[&'static str] = match app.backend {
        Backend::Sqlite => &["BEGIN IMMEDIATE"],
        Backend::Postgres => &["BEGIN", "LOCK TABLE notifications IN EXCLUSIVE MODE"],
    };
    for &statement in statements {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
    conn
}

/// The demo organization's item with this asset number.
pub(crate) async fn item_id(app: &TestApp, asset: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1 AND org_id = $2")
        .bind(asset)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

fn request_fields<'a>(
    item: &'a str,
    use_type: &'a str,
    start: &'a str,
    due: &'a str,
    name: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("item_id", item),
        ("borrower_name", name),
        ("borrower_position", "นักวิชาการ"),
        ("borrower_unit", "กองช่าง"),
        ("use_type", use_type),
        ("purpose", "ประชุมชี้แจงโครงการ"),
        ("place_of_use", "ศาลาเอนกประสงค์หมู่ 5"),
        ("start", start),
        ("due", due),
    ]
}

fn loan_id_from(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

async fn status_of(app: &TestApp, loan: i64) -> String {
    let (s,): (String,) =
        sqlx::query_as("SELECT status FROM loans WHERE id = $1").bind(loan).fetch_one(&app.db.pool).await.unwrap();
    s
}

crate::on_both_databases! {
    async fn a_loan_goes_through_every_state_and_only_the_right_approver_may_approve(app: TestApp) {
        let item = item_id(&app, "416-66-0002").await.to_string();
        let start = today().to_string();
        let due = (today() + Duration::days(3)).to_string();
        // The admin files a request for an outside person who takes the screen off the premises.
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "outside", &start, &due, "นายบุญมี ศรีสุข")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        let loan = loan_id_from(r.headers()["location"].to_str().unwrap());
        assert_eq!(status_of(&app, loan).await, "requested");
        // The requester cannot approve their own request.
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // Outside the premises: the head of supplies is the wrong approver.
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("หัวหน้าหน่วยงาน"));
        assert_eq!(status_of(&app, loan).await, "requested");
        // The head of the organization approves; the supplies officer hands over and takes it back.
        let csrf = app.login(DEMO_EXECUTIVE).await;
        // A crafted form cannot date the decision a month back: it is dated when it is made.
        let back = today() - Duration::days(30);
        let month_ago = format!("{}/{}/{}", chrono::Datelike::day(&back), chrono::Datelike::month(&back), chrono::Datelike::year(&back) + 543);
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve"), ("note", "อนุมัติ"), ("on", &month_ago)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "approved");
        let (decided_at,): (i64,) = sqlx::query_as("SELECT decided_at FROM loans WHERE id = $1").bind(loan).fetch_one(&app.db.pool).await.unwrap();
        assert!(chrono::Utc::now().timestamp() - decided_at < 600, "decided now, not backdated");
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "approving an approved loan is a wrong state, not a permission");
        assert_eq!(r.headers()["x-error-code"], "conflict");
        assert!(r.text().await.unwrap().contains("อนุมัติแล้ว"));
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "an executive approves but does not run the store");
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "staff without a supplies duty do not hand items over");
        assert_eq!(status_of(&app, loan).await, "approved");
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "hand_over"), ("note", "จอสภาพดี")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "handed_over");
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "return"), ("damage", "none"), ("note", "สภาพดี")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "returned");
        let form = app.get(&format!("/app/lending/loans/{loan}/form.pdf")).await;
        assert_eq!(form.status(), StatusCode::OK);
        assert!(form.bytes().await.unwrap().starts_with(b"%PDF-"));
        // A second request is refused by the approver; a third is cancelled by its requester.
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &start, &due, "นายบุญมี ศรีสุข")).await;
        let second = loan_id_from(r.headers()["location"].to_str().unwrap());
        let csrf_staff = app.login(DEMO_STAFF).await;
        let r = app.post_form(&format!("/app/lending/loans/{second}/act"), &csrf_staff, &[("action", "reject"), ("note", "ซ้ำซ้อนกับงานอื่น")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, second).await, "rejected");
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &start, &due, "นายบุญมี ศรีสุข")).await;
        let third = loan_id_from(r.headers()["location"].to_str().unwrap());
        let r = app.post_form(&format!("/app/lending/loans/{third}/act"), &csrf, &[("action", "cancel")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, third).await, "cancelled");
        let (entries,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE entity = 'loan' AND entity_id = $1")
            .bind(loan.to_string()).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(entries, 4, "request, approve, hand over, return: each audited");
    }

    async fn the_only_head_of_supplies_filing_for_a_colleague_goes_to_the_head_of_the_agency(app: TestApp) {
        // An executive without a lending duty (a deputy), beside the demo's head of the agency.
        prongsai::auth::users::create(&app.db, &prongsai::auth::users::NewUser {
            org: app.org_a.id, username: "deputy", display_name: "รองนายก ทดสอบ", password: crate::harness::PASSWORD,
            role: prongsai::auth::Role::Executive, division_id: None,
        }, "test").await.unwrap();
        let item = item_id(&app, "416-66-0001").await.to_string();
        let (start, due) = ((today() + Duration::days(40)).to_string(), (today() + Duration::days(41)).to_string());
        // The demo's only head of supplies files an inside loan for a colleague.
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &start, &due, "นางสาวใจดี มีสุข")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
        let loan = loan_id_from(r.headers()["location"].to_str().unwrap());
        let page_url = format!("/app/lending/loans/{loan}");
        let act_url = format!("/app/lending/loans/{loan}/act");
        let page = app.get_text(&page_url).await;
        assert!(page.contains("ส่งให้หัวหน้าหน่วยงานพิจารณาแทน เนื่องจาก"), "{page}");
        assert!(page.contains("ผู้ต้องดำเนินการขณะนี้") && page.contains("นายกองค์การบริหารส่วนตำบลแม่คะตวน"), "{page}");
        // Nobody else may decide: no approve button, and a POST is refused as a permission.
        for (user, label) in [(DEMO_STAFF, "the head of supplies"), ("deputy", "an executive without the duty"), (DEMO_ADMIN, "the admin")] {
            let csrf = app.login(user).await;
            let page = app.get_text(&page_url).await;
            assert!(!page.contains(r#"name="action" value="approve""#), "{label} sees an approve button");
            assert!(!awaiting_my_approval(&app).await.contains(&format!("/app/lending/loans/{loan}\"")), "{label}");
            let r = app.post_form(&act_url, &csrf, &[("action", "approve")]).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{label}");
            assert_eq!(status_of(&app, loan).await, "requested");
        }
        // The head of the agency sees the button and approves.
        let csrf = app.login(DEMO_EXECUTIVE).await;
        assert!(app.get_text(&page_url).await.contains(r#"name="action" value="approve""#));
        assert!(awaiting_my_approval(&app).await.contains(&format!("/app/lending/loans/{loan}\"")));
        let r = app.post_form(&act_url, &csrf, &[("action", "approve"), ("note", "อนุมัติแทน")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan).await, "approved");
        // The approval's audit entry says it went up, and why.
        let (after,): (String,) = sqlx::query_as("SELECT after_json FROM audit_log WHERE entity = 'loan' AND entity_id = $1 AND action = 'approve'")
            .bind(loan.to_string()).fetch_one(&app.db.pool).await.unwrap();
        let after: serde_json::Value = serde_json::from_str(&after).unwrap();
        assert_eq!(after["approver"], "org_head");
        assert_eq!(after["escalation"], "requester_is_approver");
        // Approved: supplies must hand it over now, and the page says so.
        app.login(DEMO_STAFF).await;
        let page = app.get_text(&page_url).await;
        assert!(page.contains("ส่งมอบพัสดุ: เจ้าหน้าที่พัสดุ กองคลัง"), "{page}");
    }

    async fn the_demo_has_a_request_that_went_up_to_the_head_of_the_agency(app: TestApp) {
        let (loan,): (i64,) = sqlx::query_as("SELECT id FROM loans WHERE escalation = 'requester_is_approver' AND required_duty = 'org_head' AND status = 'requested'")
            .fetch_one(&app.db.pool).await.unwrap();
        app.login(DEMO_EXECUTIVE).await;
        let page = app.get_text(&format!("/app/lending/loans/{loan}")).await;
        assert!(page.contains("ส่งให้หัวหน้าหน่วยงานพิจารณาแทน เนื่องจากผู้ขอยืมเป็นหัวหน้าหน่วยพัสดุ"), "{page}");
        assert!(page.contains(r#"name="action" value="approve""#));
    }

    async fn two_overlapping_requests_for_one_item_cannot_both_be_filed(app: TestApp) {
        let item = item_id(&app, "416-66-0002").await.to_string();
        let csrf = app.login(DEMO_ADMIN).await;
        let (s1, d1) = ((today() + Duration::days(10)).to_string(), (today() + Duration::days(12)).to_string());
        let (s2, d2) = ((today() + Duration::days(12)).to_string(), (today() + Duration::days(14)).to_string());
        let (s3, d3) = ((today() + Duration::days(13)).to_string(), (today() + Duration::days(14)).to_string());
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &s1, &d1, "ก")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &s2, &d2, "ข")).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "day 12 is taken");
        assert_eq!(r.headers()["x-error-code"], "conflict");
        assert!(r.text().await.unwrap().contains("ถูกยืมหรือจองแล้ว"));
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &s3, &d3, "ค")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the day after is free");
    }

    async fn concurrent_requests_for_the_same_days_book_the_item_once(app: TestApp) {
        let item = item_id(&app, "416-63-0007").await.to_string();
        let csrf = app.login(DEMO_ADMIN).await;
        let (s, d) = ((today() + Duration::days(20)).to_string(), (today() + Duration::days(21)).to_string());
        let mut tasks = Vec::new();
        for n in 0..8 {
            let (client, url, csrf, item, s, d) = (app.client.clone(), app.url("/app/lending/loans"), csrf.clone(), item.clone(), s.clone(), d.clone());
            tasks.push(tokio::spawn(async move {
                let name = format!("ผู้ยืมคนที่ {n}");
                let mut fields = request_fields(&item, "inside", &s, &d, &name);
                fields.push(("_csrf", &csrf));
                client.post(url).form(&fields).send().await.unwrap().status()
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                StatusCode::SEE_OTHER => ok += 1,
                StatusCode::CONFLICT => {}
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!(ok, 1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM loans WHERE item_id = {item} AND borrower_name LIKE 'ผู้ยืมคนที่%'")).await, 1);
    }

    async fn an_overdue_loan_is_followed_up_and_a_damaged_return_is_settled(app: TestApp) {
        let org = app.org_a.id;
        let admin = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_ADMIN, org).await.unwrap().unwrap();
        let head = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_STAFF, org).await.unwrap().unwrap();
        let duties = prongsai::lending::duties_of(&app.db, head.id).await.unwrap();
        let item = ItemId(item_id(&app, "416-65-0010").await);
        let start = today() - Duration::days(12);
        let req = LoanRequest {
            item_id: item, borrower_user_id: None, borrower_name: "นายดำ ขยัน".into(), borrower_position: String::new(),
            borrower_unit: "หมู่ 2".into(), borrower_is_agency: false, urgent_need: false, use_type: UseType::Inside,
            purpose: "ตัดหญ้าบริเวณสำนักงาน".into(), place_of_use: "บริเวณสำนักงาน อบต.".into(), start, due: start + Duration::days(2), quantity: 1,
        };
        let loan = loans::request(&app.db, org, &req, &admin, start).await.unwrap().unwrap();
        let step = |a| { let (db, head, duties) = (app.db.clone(), head.clone(), duties.clone()); async move {
            let note = loans::StepNote { on: Some(start), ..Default::default() };
            loans::act(&db, org, loan, a, &head, &duties, &note).await.unwrap().unwrap().unwrap() } };
        assert_eq!(step(Action::Approve).await, LoanStatus::Approved);
        assert_eq!(step(Action::HandOver).await, LoanStatus::HandedOver);
        // Ten days overdue, no follow-up: the officers are told, and the duty is late.
        let s = reminders::run_for_org(&app.db, org, today(), None).await.unwrap();
        assert!(s.overdue >= 2, "the demo's overdue tent and this loan");
        let again = reminders::run_for_org(&app.db, org, today(), None).await.unwrap();
        assert_eq!(again.notifications, 0, "a day's notices are written once");
        // The hourly run with nothing new writes nothing: it does not wait behind a long write.
        let mut writer = hold_notification_writes(&app).await;
        let hourly = reminders::run_for_org(&app.db, org, today(), None);
        let hourly = tokio::time::timeout(std::time::Duration::from_secs(5), hourly).await;
        sqlx::query("ROLLBACK").execute(&mut writer).await.unwrap();
        let hourly = hourly.expect("an hourly run with nothing new waited for the write lock").unwrap();
        assert_eq!((hourly.overdue, hourly.notifications), (s.overdue, 0));
        app.login(DEMO_STAFF).await;
        let notes = app.get_text("/app/notifications").await;
        assert!(notes.contains("เครื่องตัดหญ้าแบบสะพาย") && notes.contains("เลยกำหนดติดตามแล้ว"), "{notes}");
        let page = app.get_text(&format!("/app/lending/loans/{}", loan.0)).await;
        assert!(page.contains("เกินกำหนด ๑๐ วัน") && page.contains("เลยกำหนดติดตาม"));
        let csrf = prongsai_csrf(&page);
        let r = app.post_form(&format!("/app/lending/loans/{}/follow-up", loan.0), &csrf, &[("note", "โทรแจ้งผู้ยืม นัดคืนพรุ่งนี้")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text(&format!("/app/lending/loans/{}", loan.0)).await;
        assert!(page.contains("โทรแจ้งผู้ยืม") && !page.contains("เลยกำหนดติดตาม"));
        // Returned damaged: awaiting settlement until the borrower repairs it.
        let r = app.post_form(&format!("/app/lending/loans/{}/act", loan.0), &csrf, &[("action", "return"), ("damage", "damaged"), ("note", "ใบมีดบิ่น")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan.0).await, "awaiting_settlement");
        let r = app.post_form(&format!("/app/lending/loans/{}/act", loan.0), &csrf, &[("action", "settle"), ("settlement", "repair"), ("note", "ผู้ยืมซ่อมแล้ว")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(status_of(&app, loan.0).await, "closed");
        let r = app.post_form(&format!("/app/lending/loans/{}/act", loan.0), &csrf, &[("action", "return"), ("damage", "none")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "a closed loan takes no more steps");
    }

    async fn an_item_written_off_after_a_request_cannot_then_be_approved(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let item = item_id(&app, "416-62-0011").await.to_string();
        let (s, d) = ((today() + Duration::days(5)).to_string(), (today() + Duration::days(6)).to_string());
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &s, &d, "นายซี")).await;
        let loan = loan_id_from(r.headers()["location"].to_str().unwrap());
        app.raw_sql(&format!("UPDATE items SET lendable = 0 WHERE id = {item}")).await.unwrap();
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "the item's state, not a permission");
        assert!(r.text().await.unwrap().contains("ไม่เปิดให้ยืม"));
        assert_eq!(status_of(&app, loan).await, "requested");
    }

    async fn the_admin_sets_local_rules_that_then_decide_requests(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let fields = [("max_loan_days", "5"), ("follow_up_days", "7"), ("remind_days_before_due", "2"), ("approver_inside", "supplies_head"), ("approver_outside", "org_head"), ("approver_agency", "org_head"), ("holidays", ""), ("extra_rules", "")];
        assert_eq!(app.post_form("/app/lending/rules", &csrf, &fields).await.status(), StatusCode::FORBIDDEN);
        let csrf = app.login(DEMO_ADMIN).await;
        let mut bad = fields.to_vec();
        bad[1] = ("follow_up_days", "9");
        let r = app.post_form("/app/lending/rules", &csrf, &bad).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "ข้อ 211 allows at most 7 days");
        let mut good = fields.to_vec();
        good[0] = ("max_loan_days", "๕");
        good[6] = ("holidays", "๑๓ ต.ค. ๒๕๖๙");
        good[7] = ("extra_rules", "ยื่นคำขอล่วงหน้า ๓ วันทำการ");
        let r = app.post_form("/app/lending/rules", &csrf, &good).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = app.get_text("/app/lending/rules").await;
        assert!(page.contains("ยื่นคำขอล่วงหน้า ๓ วันทำการ") && page.contains("๑๓/๑๐/๒๕๖๙"));
        let item = item_id(&app, "416-66-0001").await.to_string();
        let (s, d) = ((today() + Duration::days(30)).to_string(), (today() + Duration::days(36)).to_string());
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &s, &d, "นายดี")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "6 days is over the local 5");
        let d = (today() + Duration::days(35)).to_string();
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item, "inside", &s, &d, "นายดี")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }

    async fn another_organizations_staff_cannot_see_or_act_on_a_loan(app: TestApp) {
        let (loan,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM loans").fetch_one(&app.db.pool).await.unwrap();
        let item = item_id(&app, "416-66-0001").await;
        let csrf = app.login(OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/lending/loans/{loan}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/app/lending/items/{item}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "cancel")]).await.status(), StatusCode::NOT_FOUND);
        let r = app.post_form("/app/lending/loans", &csrf, &request_fields(&item.to_string(), "inside", &today().to_string(), &today().to_string(), "x")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/app/lending/loans/{loan}/form.pdf")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn an_inventory_csv_with_a_bad_row_names_the_line_and_adds_nothing(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let before = app.count("SELECT COUNT(*) FROM items").await;
        let csv = "เลขครุภัณฑ์,ชื่อพัสดุ,ชนิด\n416-67-0100,พัดลมตั้งพื้น,ครุภัณฑ์\n416-67-0101,,ครุภัณฑ์\n";
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("items.csv"));
        let r = app.client.post(app.url(&format!("/app/lending/items/import?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("บรรทัดที่ 3 คอลัมน์ ชื่อพัสดุ"));
        assert_eq!(app.count("SELECT COUNT(*) FROM items").await, before);
        // A duplicate of the register rolls back the whole file.
        let csv = "เลขครุภัณฑ์,ชื่อพัสดุ\n416-67-0100,พัดลมตั้งพื้น\n416-66-0001,ซ้ำกับทะเบียน\n";
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("items.csv"));
        let r = app.client.post(app.url(&format!("/app/lending/items/import?_csrf={csrf}"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM items").await, before);
    }
}

/// The dashboard's list of requests awaiting the logged-in user's decision.
async fn awaiting_my_approval(app: &TestApp) -> String {
    let page = app.get_text("/app/lending").await;
    page.split("<h2>พัสดุที่ยืมออกไป").next().unwrap().to_string()
}

fn prongsai_csrf(page: &str) -> String {
    crate::harness::csrf_in(page)
}

mod photo {
    use reqwest::StatusCode;
    use reqwest::multipart::{Form, Part};

    crate::on_both_databases! {
        async fn an_items_photo_is_kept_and_shown_only_to_its_organization(app: TestApp) {
            let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-66-0009'").fetch_one(&app.db.pool).await.unwrap();
            let csrf = app.login(DEMO_STAFF).await;
            let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n"[..], &[7u8; 100][..], b"\0\0\0\0IEND\xaeB`\x82"].concat();
            let form = Form::new().part("photo", Part::bytes(png.clone()).file_name("camera.png"));
            let r = app.client.post(app.url(&format!("/app/lending/items/{item}/photo?_csrf={csrf}"))).multipart(form).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(app.get(&format!("/app/lending/items/{item}/photo")).await.bytes().await.unwrap().as_ref(), png.as_slice());
            // A photo cut short (its IEND chunk lost) is refused and the kept one stays.
            let form = Form::new().part("photo", Part::bytes(png[..png.len() - 12].to_vec()).file_name("cut.png"));
            let r = app.client.post(app.url(&format!("/app/lending/items/{item}/photo?_csrf={csrf}"))).multipart(form).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().await.unwrap().contains("รูปพัสดุไม่ครบ"));
            assert_eq!(app.get(&format!("/app/lending/items/{item}/photo")).await.bytes().await.unwrap().as_ref(), png.as_slice());
            let form = Form::new().part("photo", Part::bytes(b"GIF89a....".to_vec()).file_name("x.png"));
            let r = app.client.post(app.url(&format!("/app/lending/items/{item}/photo?_csrf={csrf}"))).multipart(form).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            app.login(OTHER_ADMIN).await;
            assert_eq!(app.get(&format!("/app/lending/items/{item}/photo")).await.status(), StatusCode::NOT_FOUND);
        }
    }
}
