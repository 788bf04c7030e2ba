//! Each user's to-do list (/app/lending/todo) and the menu's badge: exactly the loans waiting for
//! that user, by section, on both engines; and the badge reads only the user's organization.

use chrono::{Duration, NaiveDate};
use prongsai::auth::Role;
use prongsai::auth::users::{self, NewUser, User};
use prongsai::lending::loans::{self, LoanRequest, StepNote};
use prongsai::lending::rules::{Duty, UseType};
use prongsai::lending::workflow::Action;
use prongsai::lending::{ItemId, LoanId, today};

use crate::harness::{PASSWORD, TestApp};

pub const SECTIONS: [&str; 5] = ["todo-approve", "todo-hand-over", "todo-due-today", "todo-overdue", "todo-settlement"];

/// The loan ids linked from one section of a to-do page, in page order.
pub fn section_loans(page: &str, id: &str) -> Vec<i64> {
    let start = page.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}: {page}"));
    let body = &page[start..start + page[start..].find("</section>").unwrap()];
    let mut ids = Vec::new();
    for part in body.split("href=\"/app/lending/loans/").skip(1) {
        let id: i64 = part[..part.find('"').unwrap()].parse().unwrap();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The number in the menu's badge (0 when there is none).
pub fn badge(page: &str) -> u32 {
    match page.find("<span class=\"badge\"") {
        None => 0,
        Some(at) => {
            let rest = &page[at..];
            let text = &rest[rest.find('>').unwrap() + 1..rest.find("</span>").unwrap()];
            prongsai::thai::to_arabic_digits(text).parse().unwrap()
        }
    }
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

/// Loan ids of the demo organization matching an SQL condition on `loans`.
async fn loans_where(app: &TestApp, condition: &str) -> Vec<i64> {
    let sql = format!("SELECT id FROM loans WHERE org_id = {} AND ({condition}) ORDER BY id", app.org_a.id.0);
    sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql))
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.0)
        .collect()
}

pub async fn user(app: &TestApp, username: &str) -> User {
    users::find_by_username_and_org(&app.db, username, app.org_a.id).await.unwrap().unwrap()
}

async fn new_user(app: &TestApp, username: &str, name: &str, role: Role, duties: &[Duty]) -> User {
    let u = users::create(
        &app.db,
        &NewUser { org: app.org_a.id, username, display_name: name, password: PASSWORD, role, division_id: None },
        "test",
    )
    .await
    .unwrap();
    prongsai::lending::set_duties(&app.db, app.org_a.id, u.id, duties, "test").await.unwrap();
    u
}

pub async fn item(app: &TestApp, asset: &str) -> ItemId {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1 AND org_id = $2")
        .bind(asset)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    ItemId(id)
}

/// Files a request as `by` (for `borrower` when given) for `start..=due`, as if filed on `start`.
async fn file(
    app: &TestApp,
    by: &User,
    borrower: Option<&User>,
    item: ItemId,
    use_type: UseType,
    start: NaiveDate,
    due: NaiveDate,
) -> LoanId {
    let req = LoanRequest {
        item_id: item,
        borrower_user_id: borrower.map(|b| b.id),
        borrower_name: borrower
            .map_or("นายภายนอก ทดสอบ".to_string(), |b| b.display_name.clone()),
        borrower_position: String::new(),
        borrower_unit: "กองช่าง".into(),
        borrower_is_agency: false,
        urgent_need: false,
        use_type,
        purpose: "ประชุมชี้แจงโครงการ".into(),
        place_of_use: "ห้องประชุม".into(),
        start,
        due,
        quantity: 1,
    };
    loans::request(&app.db, app.org_a.id, &req, by, start.min(today())).await.unwrap().unwrap()
}

async fn step(app: &TestApp, loan: LoanId, action: Action, by: &User, on: NaiveDate) {
    let duties = prongsai::lending::duties_of(&app.db, by.id).await.unwrap();
    let note = StepNote { note: String::new(), on: Some(on), units: None };
    loans::act(&app.db, app.org_a.id, loan, action, by, &duties, &note).await.unwrap().unwrap().unwrap();
}

/// Logs in as `username`; returns the to-do page's sections and the badge shown on another page.
async fn lists_of(app: &mut TestApp, username: &str) -> (Vec<Vec<i64>>, u32) {
    app.login(username).await;
    let page = app.get_text("/app/lending/todo").await;
    let lists: Vec<Vec<i64>> = SECTIONS.iter().map(|s| sorted(section_loans(&page, s))).collect();
    for (s, l) in SECTIONS.iter().zip(&lists) {
        assert!(page.contains(&format!("<h2 id=\"{s}-heading\">")), "{s} has a heading");
        assert!(page.contains(&format!("data-count=\"{}\"", l.len())), "{s} shows its count");
    }
    // The badge is on every staff page, and counts what the list holds.
    let elsewhere = badge(&app.get_text("/app/measures").await);
    assert_eq!(elsewhere, lists.iter().map(Vec::len).sum::<usize>() as u32, "{username}: badge = list");
    assert_eq!(badge(&page), elsewhere);
    (lists, elsewhere)
}

crate::on_both_databases! {
    async fn the_demo_to_do_lists_hold_exactly_the_loans_waiting_for_each_user(app: TestApp) {
        let today = prongsai::lending::day_of(today());
        let (admin, head, mayor) = (user(&app, DEMO_ADMIN).await, user(&app, DEMO_STAFF).await, user(&app, DEMO_EXECUTIVE).await);
        let not_involving = |u: &User| format!("requested_by <> {0} AND COALESCE(borrower_user_id, 0) <> {0}", u.id);
        let involving = |u: &User| format!("(requested_by = {0} OR borrower_user_id = {0})", u.id);
        // The executive (head of the agency) decides the outside request and the escalated one.
        let (lists, _) = lists_of(&mut app, DEMO_EXECUTIVE).await;
        let expected = loans_where(&app, &format!("status = 'requested' AND required_duty = 'org_head' AND {}", not_involving(&mayor))).await;
        assert!(expected.len() >= 2, "the demo has an outside request and an escalated one");
        let escalated = loans_where(&app, "escalation <> '' AND status = 'requested'").await;
        assert!(escalated.iter().all(|e| lists[0].contains(e)), "the escalated request is on the head of the agency's list");
        assert_eq!(lists, vec![expected, vec![], vec![], vec![], vec![]]);
        // The head of supplies: hands over, chases the overdue, records the settlement; never
        // approves the request they filed themselves (it went up).
        let (lists, _) = lists_of(&mut app, DEMO_STAFF).await;
        assert!(escalated.iter().all(|e| !lists[0].contains(e)));
        let store = not_involving(&head);
        assert_eq!(lists, vec![
            loans_where(&app, &format!("status = 'requested' AND required_duty = 'supplies_head' AND {store}")).await,
            loans_where(&app, &format!("status = 'approved' AND COALESCE(borrower_user_id, 0) <> {}", head.id)).await,
            loans_where(&app, &format!("status = 'handed_over' AND due_day = {today}")).await,
            loans_where(&app, &format!("status = 'handed_over' AND due_day < {today}")).await,
            loans_where(&app, "status = 'awaiting_settlement'").await,
        ]);
        assert!(!lists[1].is_empty() && !lists[3].is_empty() && !lists[4].is_empty(), "the demo has each: {lists:?}");
        // The admin holds no duty: only the loans they filed that are overdue or to be settled.
        let (lists, _) = lists_of(&mut app, DEMO_ADMIN).await;
        assert_eq!(lists, vec![
            vec![],
            vec![],
            loans_where(&app, &format!("status = 'handed_over' AND due_day = {today} AND {}", involving(&admin))).await,
            loans_where(&app, &format!("status = 'handed_over' AND due_day < {today} AND {}", involving(&admin))).await,
            loans_where(&app, &format!("status = 'awaiting_settlement' AND {}", involving(&admin))).await,
        ]);
        // Every row links to its loan page, which opens.
        app.login(DEMO_STAFF).await;
        let page = app.get_text("/app/lending/todo").await;
        let first = section_loans(&page, "todo-hand-over")[0];
        assert!(app.get_text(&format!("/app/lending/loans/{first}")).await.contains("ส่งมอบพัสดุ"));
        // Another organization's staff see none of it.
        let (lists, n) = {
            app.login(OTHER_ADMIN).await;
            let page = app.get_text("/app/lending/todo").await;
            (SECTIONS.iter().map(|s| section_loans(&page, s)).collect::<Vec<_>>(), badge(&page))
        };
        assert!(lists.iter().all(Vec::is_empty) && n == 0, "{lists:?}");
    }

    async fn a_fresh_office_sees_each_step_on_the_list_of_who_must_act(app: TestApp) {
        let head = user(&app, DEMO_STAFF).await;
        let officer = new_user(&app, "officer", "นางพัสดุ ช่วยงาน", Role::Staff, &[Duty::SuppliesOfficer]).await;
        let clerk = new_user(&app, "clerk", "นายเสมียน ขยัน", Role::Staff, &[]).await;
        let (before_head, before_officer) = {
            let (h, _) = lists_of(&mut app, DEMO_STAFF).await;
            let (o, _) = lists_of(&mut app, "officer").await;
            (h, o)
        };
        let t = today();
        // 1. The clerk asks to borrow for themselves, inside: on the head of supplies' list only.
        let asked = file(&app, &clerk, Some(&clerk), item(&app, "416-66-0001").await, UseType::Inside, t + Duration::days(2), t + Duration::days(3)).await;
        let (h, _) = lists_of(&mut app, DEMO_STAFF).await;
        assert_eq!(h[0], sorted([before_head[0].clone(), vec![asked.0]].concat()));
        let (o, _) = lists_of(&mut app, "officer").await;
        assert_eq!(o, before_officer, "an officer does not approve");
        let (c, n) = lists_of(&mut app, "clerk").await;
        assert!(c.iter().all(Vec::is_empty) && n == 0, "nothing waits for the requester yet");
        // 2. Approved: every supplies staff member has it to hand over; the clerk still has nothing.
        step(&app, asked, Action::Approve, &head, t).await;
        for who in [DEMO_STAFF, "officer"] {
            let (l, _) = lists_of(&mut app, who).await;
            assert!(l[1].contains(&asked.0) && !l[0].contains(&asked.0), "{who}: {l:?}");
        }
        // 3. Out and due back today: the officers and the borrower see it.
        let due_today = file(&app, &clerk, Some(&clerk), item(&app, "416-66-0002").await, UseType::Inside, t - Duration::days(2), t).await;
        step(&app, due_today, Action::Approve, &head, t).await;
        step(&app, due_today, Action::HandOver, &officer, t - Duration::days(2)).await;
        // 4. Out and overdue, borrowed by an outside person the officer filed for.
        let late = file(&app, &officer, None, item(&app, "416-63-0008").await, UseType::Inside, t - Duration::days(9), t - Duration::days(8)).await;
        step(&app, late, Action::Approve, &head, t).await;
        step(&app, late, Action::HandOver, &officer, t - Duration::days(9)).await;
        // 5. Returned damaged: waits for a settlement.
        let broken = file(&app, &clerk, Some(&clerk), item(&app, "416-65-0010").await, UseType::Inside, t - Duration::days(6), t - Duration::days(5)).await;
        step(&app, broken, Action::Approve, &head, t).await;
        step(&app, broken, Action::HandOver, &officer, t - Duration::days(6)).await;
        step(&app, broken, Action::Return { damage: prongsai::lending::workflow::Damage::Damaged }, &head, t - Duration::days(5)).await;
        let (o, badge_officer) = lists_of(&mut app, "officer").await;
        assert!(o[2].contains(&due_today.0) && o[3].contains(&late.0) && o[4].contains(&broken.0), "{o:?}");
        let (c, badge_clerk) = lists_of(&mut app, "clerk").await;
        assert_eq!(c, vec![vec![], vec![], vec![due_today.0], vec![], vec![broken.0]], "the borrower's own loans only");
        assert_eq!(badge_clerk, 2);
        assert!(badge_officer >= 4);
        // 6. Settled, the broken item leaves everyone's list; the badges follow.
        step(&app, broken, Action::Settle { how: prongsai::lending::workflow::Settlement::Repair }, &officer, t).await;
        let (o2, b2) = lists_of(&mut app, "officer").await;
        assert!(!o2[4].contains(&broken.0));
        assert_eq!(b2, badge_officer - 1);
        assert_eq!(lists_of(&mut app, "clerk").await.1, 1);
    }
}

mod cost {
    use super::*;

    crate::on_both_databases! {
        async fn the_badge_reads_the_organizations_open_loans_through_its_index(app: TestApp) {
            // Another organization with thousands of loans: the badge of ours must not scan them.
            let (b, admin_b) = (app.org_b.id.0, users::find_by_username_and_org(&app.db, OTHER_ADMIN, app.org_b.id).await.unwrap().unwrap().id);
            app.raw_sql(&format!("INSERT INTO items (org_id, asset_number, name, class, created_at, updated_at) VALUES ({b}, 'B-1', 'โต๊ะ', 'durable', 0, 0)")).await.unwrap();
            let item_b = app.count(&format!("SELECT id FROM items WHERE org_id = {b}")).await;
            app.raw_sql(&format!(
                "INSERT INTO loans (org_id, item_id, borrower_name, use_type, purpose, place_of_use, start_day, due_day, status, required_duty, requested_by, requested_at)
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
                 SELECT {b}, {item_b}, 'x', 'inside', 'x', 'x', i, i, CASE WHEN i % 2 = 0 THEN 'returned' ELSE 'requested' END, 'supplies_head', {admin_b}, 0 FROM n"
            )).await.unwrap();
            app.raw_sql("ANALYZE").await.unwrap();
            let day = prongsai::lending::day_of(today());
            let explain = match app.backend {
                Backend::Sqlite => "EXPLAIN QUERY PLAN ",
                Backend::Postgres => "EXPLAIN ",
            };
            let mut conn = app.db.pool.acquire().await.unwrap();
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{explain}{}", prongsai::lending::todo::BADGE_SQL)))
                .bind(app.org_a.id.0).bind(day)
                .fetch_all(&mut *conn).await.unwrap();
            use sqlx::Row;
            let plan: Vec<String> = rows.iter().map(|r| r.try_get::<String, _>(if app.backend == Backend::Sqlite { 3 } else { 0 }).unwrap()).collect();
            let plan = plan.join("\n");
            assert!(plan.contains("loans_by_org_"), "the badge uses an index that starts with the organization:\n{plan}");
            assert!(!plan.contains("SCAN l\n") && !plan.ends_with("SCAN l") && !plan.contains("Seq Scan on loans"), "no scan of all loans:\n{plan}");
            // And it still counts right with the other organization's loans present.
            let (_, n) = lists_of(&mut app, DEMO_STAFF).await;
            assert!(n > 0);
        }
    }
}
