//! A booking check reads only the loans whose days overlap the days asked (issue 13, item 4;
//! `lending::availability`), and that changes no answer: a loan far from the days asked does not
//! count, one that shares a single day with them does.

use chrono::{Duration as Days, NaiveDate};
use prongsai::auth::users::User;
use prongsai::lending::availability::{self, Availability};
use prongsai::lending::items::{self, ItemInput};
use prongsai::lending::loans::{self, LoanRequest};
use prongsai::lending::rules::{ItemClass, UseType};
use prongsai::lending::{ItemId, today};

use crate::harness::*;
use crate::on_both_databases;

/// A new durable item of `units` units, lendable, with no reserve.
pub(crate) async fn new_item(app: &TestApp, asset_number: &str, units: i64) -> ItemId {
    let input = ItemInput {
        asset_number: asset_number.into(),
        name: "เครื่องฉายภาพสำรอง".into(),
        category: "ครุภัณฑ์สำนักงาน".into(),
        class: ItemClass::Durable,
        location: "ห้องพัสดุ".into(),
        division_id: None,
        condition: "ใช้งานได้ดี".into(),
        lendable: true,
        quantity: units,
        count_unit: String::new(),
        reserve: 0,
    };
    items::create(&app.db, app.org_a.id, &input, "test").await.unwrap().unwrap()
}

/// The demo admin's request for one unit of `item` on `start..=due`, for use inside the office.
pub(crate) async fn one_unit_request(
    app: &TestApp,
    item: ItemId,
    start: NaiveDate,
    due: NaiveDate,
) -> (LoanRequest, User) {
    let admin =
        prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_ADMIN, app.org_a.id).await.unwrap().unwrap();
    let request = LoanRequest {
        item_id: item,
        borrower_user_id: Some(admin.id),
        borrower_name: admin.display_name.clone(),
        borrower_position: "ปลัด".into(),
        borrower_unit: "สำนักปลัด".into(),
        borrower_is_agency: false,
        urgent_need: false,
        use_type: UseType::Inside,
        purpose: "ประชุมประจำเดือน".into(),
        place_of_use: "ห้องประชุม".into(),
        start,
        due,
        quantity: 1,
    };
    (request, admin)
}

/// Files a request for one unit on `start..=due` (it must be free).
async fn book(app: &TestApp, item: ItemId, start: NaiveDate, due: NaiveDate) {
    let (request, admin) = one_unit_request(app, item, start, due).await;
    loans::request(&app.db, app.org_a.id, &request, &admin, today()).await.unwrap().expect("the days are free");
}

/// The answer for one unit on `start..=due`.
async fn answer(app: &TestApp, item: ItemId, start: NaiveDate, due: NaiveDate) -> Availability {
    let mut conn = app.db.pool.acquire().await.unwrap();
    availability::check(&mut conn, app.org_a.id, item, 1, start, due, today(), None).await.unwrap().unwrap()
}

on_both_databases! {
    async fn a_booking_far_from_the_days_asked_does_not_change_the_answer(app: TestApp) {
        let item = new_item(&app, "416-67-0901", 1).await;
        let day = |n: i64| today() + Days::days(n);
        let before = answer(&app, item, day(10), day(12)).await;
        assert_eq!(before, Availability::Free { free: 1 });
        // Booked long before and long after the days asked.
        book(&app, item, day(1), day(3)).await;
        book(&app, item, day(150), day(155)).await;
        assert_eq!(answer(&app, item, day(10), day(12)).await, before);
        // The days right next to a booking are free too.
        assert_eq!(answer(&app, item, day(4), day(149)).await, before);
    }

    async fn a_booking_that_shares_one_day_with_the_days_asked_takes_the_unit(app: TestApp) {
        let item = new_item(&app, "416-67-0901", 1).await;
        let day = |n: i64| today() + Days::days(n);
        book(&app, item, day(30), day(35)).await;
        for (start, due, clash_on) in [(20, 30, 30), (35, 40, 35), (32, 33, 32), (20, 40, 30)] {
            match answer(&app, item, day(start), day(due)).await {
                Availability::Short { on, free: 0, .. } => {
                    assert_eq!(on, day(clash_on), "days {start}..={due} clash on day {clash_on}")
                }
                other => panic!("days {start}..={due} overlap the booking on 30..=35, yet: {other:?}"),
            }
        }
    }

    async fn the_check_of_a_booking_is_served_by_the_item_and_status_index(app: TestApp) {
        if app.backend != Backend::Sqlite {
            return; // PostgreSQL's choice among indexes depends on its statistics; SQLite's is fixed.
        }
        let mut conn = app.db.pool.acquire().await.unwrap();
        let plan: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            prongsai::lending::availability::holding_loans_sql()
        )))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get::<String, _>(r, 3))
        .collect();
        let loans: Vec<&String> = plan.iter().filter(|l| l.contains("loans")).collect();
        assert_eq!(loans.len(), 2, "{plan:?}");
        assert!(loans.iter().all(|l| l.contains("loans_by_item_status (item_id=? AND status=?")), "{plan:?}");
    }
}
