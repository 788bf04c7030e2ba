//! Notices: a request tells who may approve it now, an approval tells every supplies staff member,
//! overdue loans reach every supplies officer; in the app and by e-mail; once; in the organization.

use chrono::Duration;
use prongsai::auth::Role;
use prongsai::auth::users::{self, NewUser, User};
use prongsai::lending::notices::{self, Step};
use prongsai::lending::rules::Duty;
use prongsai::lending::{LoanId, reminders, today};
use reqwest::StatusCode;

use crate::harness::{DEMO_STAFF, PASSWORD, SpawnOptions, TestApp};

async fn user(app: &TestApp, username: &str) -> User {
    users::find_by_username_and_org(&app.db, username, app.org_a.id).await.unwrap().unwrap()
}

async fn new_user(app: &TestApp, username: &str, role: Role, duties: &[Duty]) -> User {
    let display_name = format!("ผู้ใช้ {username}");
    let u = users::create(
        &app.db,
        &NewUser {
            org: app.org_a.id,
            username,
            display_name: &display_name,
            password: PASSWORD,
            role,
            division_id: None,
        },
        "test",
    )
    .await
    .unwrap();
    prongsai::lending::set_duties(&app.db, app.org_a.id, u.id, duties, "test").await.unwrap();
    u
}

/// Who got a notice of `kind` about `loan`, by user id.
async fn told(app: &TestApp, loan: i64, kind: &str) -> Vec<i64> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT user_id, org_id FROM notifications WHERE loan_id = $1 AND kind = $2 ORDER BY user_id")
            .bind(loan)
            .bind(kind)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert!(rows.iter().all(|(_, org)| *org == app.org_a.id.0), "notices stay in the loan's organization");
    rows.into_iter().map(|(u, _)| u).collect()
}

/// Files a request over HTTP as the logged-in user; returns the loan id.
async fn request(app: &TestApp, csrf: &str, asset: &str, use_type: &str, days_ahead: i64, for_self: bool) -> i64 {
    let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1 AND org_id = $2")
        .bind(asset)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (item, start, due) = (
        item.to_string(),
        (today() + Duration::days(days_ahead)).to_string(),
        (today() + Duration::days(days_ahead + 1)).to_string(),
    );
    let mut fields = vec![
        ("item_id", item.as_str()),
        ("borrower_name", "นายภายนอก ทดสอบ"),
        ("borrower_position", "อาสาสมัคร"),
        ("borrower_unit", "หมู่ 5"),
        ("use_type", use_type),
        ("purpose", "ประชุมชี้แจงโครงการ"),
        ("place_of_use", "ศาลาเอนกประสงค์หมู่ 5"),
        ("start", start.as_str()),
        ("due", due.as_str()),
    ];
    if for_self {
        fields.push(("for_self", "yes"));
    }
    let r = app.post_form("/app/lending/loans", csrf, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

crate::on_both_databases! {
    async fn a_request_tells_its_approvers_and_an_approval_tells_every_supplies_staff_member(app: TestApp) {
        let (head, mayor) = (user(&app, DEMO_STAFF).await, user(&app, DEMO_EXECUTIVE).await);
        let officer = new_user(&app, "officer", Role::Staff, &[Duty::SuppliesOfficer]).await;
        let second = new_user(&app, "officer2", Role::Staff, &[Duty::SuppliesOfficer]).await;
        let clerk = new_user(&app, "clerk", Role::Staff, &[]).await;
        // A clerk asks for use inside: the head of supplies is told, nobody else.
        let csrf = app.login("clerk").await;
        let inside = request(&app, &csrf, "416-66-0002", "inside", 5, true).await;
        assert_eq!(told(&app, inside, "approve").await, vec![head.id]);
        // Outside the premises: the head of the agency is told.
        let outside = request(&app, &csrf, "416-63-0008", "outside", 5, true).await;
        assert_eq!(told(&app, outside, "approve").await, vec![mayor.id]);
        // The only head of supplies files for a colleague: it went up, the head of the agency is told.
        let csrf = app.login(DEMO_STAFF).await;
        let escalated = request(&app, &csrf, "416-65-0010", "inside", 5, false).await;
        assert_eq!(told(&app, escalated, "approve").await, vec![mayor.id]);
        // The head's notices page links the request waiting for them.
        let page = app.get_text("/app/notifications").await;
        assert!(page.contains(&format!("/app/lending/loans/{inside}\"")) && page.contains("รอท่านอนุมัติ"), "{page}");
        // Approved: every supplies staff member is told to hand it over; the borrower and the mayor are not.
        let r = app.post_form(&format!("/app/lending/loans/{inside}/act"), &csrf, &[("action", "approve")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(told(&app, inside, "hand_over").await, sorted(vec![head.id, officer.id, second.id]));
        assert!(!told(&app, inside, "hand_over").await.contains(&clerk.id));
        app.login("officer2").await;
        let page = app.get_text("/app/notifications").await;
        assert!(page.contains("อนุมัติแล้ว รอส่งมอบพัสดุ") && page.contains(&format!("/app/lending/loans/{inside}\"")), "{page}");
        // Announcing the same step again writes nothing new.
        let again = notices::record(&app.db, app.org_a.id, LoanId(inside), Step::Approved, today()).await.unwrap();
        assert!(again.is_empty());
        assert_eq!(told(&app, inside, "hand_over").await.len(), 3);
        // Another organization's admin has no notice and cannot announce this loan in their organization.
        assert!(notices::record(&app.db, app.org_b.id, LoanId(inside), Step::Approved, today()).await.unwrap().is_empty());
        app.login(OTHER_ADMIN).await;
        assert!(app.get_text("/app/notifications").await.contains("ไม่มีการแจ้งเตือน"));
    }

    async fn overdue_notices_reach_every_supplies_officer_not_only_the_head(app: TestApp) {
        let officer = new_user(&app, "officer", Role::Staff, &[Duty::SuppliesOfficer]).await;
        let head = user(&app, DEMO_STAFF).await;
        let s = reminders::run_for_org(&app.db, app.org_a.id, today(), None).await.unwrap();
        assert!(s.overdue >= 1, "the demo's tent is overdue");
        let (tent,): (i64,) = sqlx::query_as("SELECT id FROM loans WHERE status = 'handed_over' AND due_day < $1 AND org_id = $2 ORDER BY id")
            .bind(prongsai::lending::day_of(today())).bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let overdue = told(&app, tent, "overdue").await;
        assert!(overdue.contains(&officer.id) && overdue.contains(&head.id), "{overdue:?}");
        app.login("officer").await;
        assert!(app.get_text("/app/notifications").await.contains("เกินกำหนดส่งคืน"));
    }
}

/// The whole path, over HTTP, with a server that e-mails through an SMTP sink.
mod mail {
    use super::*;
    use crate::harness::Backend;

    async fn the_approver_is_emailed_when_smtp_is_configured(backend: Backend) {
        let (port, mut inbox) = crate::mail::smtp_sink().await;
        let mailer =
            prongsai::mail::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "พัสดุ <supplies@maekhatuan.example>")
                .unwrap();
        let options = SpawnOptions { mailer: Some(mailer), ..Default::default() };
        let Some(mut app) = crate::harness::spawn_app_with(backend, options).await else { return };
        let head = user(&app, DEMO_STAFF).await;
        users::set_email(&app.db, app.org_a.id, head.id, "head@maekhatuan.example", "test").await.unwrap();
        new_user(&app, "clerk", Role::Staff, &[]).await;
        let csrf = app.login("clerk").await;
        let loan = request(&app, &csrf, "416-66-0002", "inside", 5, true).await;
        let (to, body) = tokio::time::timeout(std::time::Duration::from_secs(10), inbox.recv()).await.unwrap().unwrap();
        assert_eq!(to, ["head@maekhatuan.example"]);
        assert!(body.contains(&format!("คำขอยืมเลขที่ {loan} รอท่านอนุมัติ")), "{body}");
        // Only the approver has an address: nothing else is sent.
        assert!(tokio::time::timeout(std::time::Duration::from_millis(500), inbox.recv()).await.is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_the_approver_is_emailed_when_smtp_is_configured() {
        the_approver_is_emailed_when_smtp_is_configured(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_the_approver_is_emailed_when_smtp_is_configured() {
        the_approver_is_emailed_when_smtp_is_configured(Backend::Postgres).await
    }
}
