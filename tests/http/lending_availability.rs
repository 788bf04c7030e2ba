//! One item is never out twice, and every page tells the same truth about it (issue 11, seen 1).

use chrono::Duration;
use prongsai::lending::availability::{self, Shelf, Stock};
use prongsai::lending::loans::{self, LoanRequest, StepNote};
use prongsai::lending::rules::UseType;
use prongsai::lending::workflow::{Action, Damage};
use prongsai::lending::{ItemId, LoanId, day_of, today};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::StatusCode;

use crate::harness::*;

const ASSET: &str = "416-66-0002";

async fn item(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1 AND org_id = $2")
        .bind(ASSET)
        .bind(app.org_a.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

/// Files a request as the admin, for use inside the office, `from`..`to` days from today.
async fn request(app: &mut TestApp, from: i64, to: i64) -> reqwest::Response {
    let item = item(app).await.to_string();
    let (start, due) = ((today() + Duration::days(from)).to_string(), (today() + Duration::days(to)).to_string());
    let csrf = app.login(DEMO_ADMIN).await;
    let fields = [
        ("item_id", item.as_str()),
        ("borrower_name", "นางสาวมณี ใจดี"),
        ("borrower_position", "นักวิชาการ"),
        ("borrower_unit", "สำนักปลัด"),
        ("use_type", "inside"),
        ("purpose", "ประชุมประชาคม"),
        ("place_of_use", "ห้องประชุมสภา"),
        ("start", start.as_str()),
        ("due", due.as_str()),
    ];
    app.post_form("/app/lending/loans", &csrf, &fields).await
}

async fn approved(app: &mut TestApp, from: i64, to: i64) -> i64 {
    let r = request(app, from, to).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let loan: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let csrf = app.login(DEMO_STAFF).await;
    let r = app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, &[("action", "approve")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    loan
}

async fn step(app: &mut TestApp, loan: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.login(DEMO_STAFF).await;
    app.post_form(&format!("/app/lending/loans/{loan}/act"), &csrf, fields).await
}

async fn out_count(app: &TestApp) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM loans WHERE item_id = {} AND status = 'handed_over'", item(app).await))
        .await
}

/// A step tried in the database-backed property test; loan numbers pick among the loans filed.
#[derive(Clone, Debug)]
enum Op {
    Request {
        item: usize,
        from: i64,
        len: i64,
        units: i64,
    },
    Approve(usize),
    Reject(usize),
    Cancel(usize),
    HandOver(usize),
    /// Units back (0: all still out) and what was found (0–1 in order, 2 damaged, 3 lost).
    Return {
        loan: usize,
        units: i64,
        damage: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 0..4i64, 0..3i64, 1..4i64).prop_map(|(item, from, len, units)| Op::Request { item, from, len, units }),
        3 => any::<usize>().prop_map(Op::Approve),
        1 => any::<usize>().prop_map(Op::Reject),
        1 => any::<usize>().prop_map(Op::Cancel),
        3 => any::<usize>().prop_map(Op::HandOver),
        3 => (any::<usize>(), 0..4i64, 0..4u8).prop_map(|(loan, units, damage)| Op::Return { loan, units, damage }),
    ]
}

/// What is physically and on record true of the item today, read straight from the rows:
/// the shelf as the QR page must show it. Fails if more units are away than on hand on any day.
async fn truth(app: &TestApp, item: ItemId) -> Result<Shelf, String> {
    let (on_hand, reserve, lendable, count_unit): (i64, i64, i64, String) =
        sqlx::query_as("SELECT quantity, reserve, lendable, count_unit FROM items WHERE id = $1")
            .bind(item.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.status, l.start_day, l.due_day, l.quantity,
            CAST(COALESCE((SELECT SUM(r.quantity) FROM loan_returns r WHERE r.loan_id = l.id AND r.damage = 'none'), 0) AS BIGINT),
            CAST(COALESCE((SELECT SUM(r.quantity) FROM loan_returns r WHERE r.loan_id = l.id AND r.damage <> 'none'), 0) AS BIGINT)
         FROM loans l WHERE l.item_id = $1 ORDER BY l.id",
    )
    .bind(item.0)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let today = day_of(today());
    let (mut out, mut unusable, mut booked) = (0, 0, 0);
    for (status, start, due, quantity, usable, broken) in &rows {
        match status.as_str() {
            "handed_over" => {
                out += quantity - usable - broken;
                unusable += broken;
            }
            "awaiting_settlement" => unusable += quantity - usable,
            "requested" | "approved" if *start <= today && today <= *due => booked += quantity,
            _ => {}
        }
    }
    // Units away on each coming day: out until due, broken until settled (time stands still here).
    for d in today..today + 8 {
        let away: i64 = rows
            .iter()
            .map(|(status, _, due, quantity, usable, broken)| match status.as_str() {
                "handed_over" => (if d <= *due { quantity - usable - broken } else { 0 }) + broken,
                "awaiting_settlement" => quantity - usable,
                _ => 0,
            })
            .sum();
        if away > on_hand {
            return Err(format!("item {}: {away} units away of {on_hand} on day {d}", item.0));
        }
    }
    let stock = Stock { on_hand, reserve, lendable: lendable != 0, count_unit };
    Ok(Shelf { stock, out, unusable, booked })
}

crate::on_both_databases! {
    async fn an_item_handed_over_early_is_not_lent_again_and_the_qr_page_says_it_is_out(app: TestApp) {
        // Booked for days 10–12, approved; the officer tries to hand it over today.
        let later = approved(&mut app, 10, 12).await;
        let r = step(&mut app, later, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "a hand-over before the booked start changes the booking");
        assert_eq!(r.headers()["x-error-code"], "conflict");
        let page = r.text().await.unwrap();
        assert!(page.contains("ก่อนวันเริ่มยืม") && page.contains("ยื่นคำขอใหม่"), "{page}");
        assert_eq!(out_count(&app).await, 0);
        let qr = format!("/o/mae-khatuan/items/{ASSET}");
        assert!(app.get_text(&qr).await.contains("อยู่ในที่เก็บ พร้อมให้ยืม"), "booked for later, on the shelf today");
        // A second loan for days 0–2 is accepted, approved and handed over.
        let now = approved(&mut app, 0, 2).await;
        let r = step(&mut app, now, &[("action", "hand_over")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(out_count(&app).await, 1);
        // The public QR page and the staff page both say it is out.
        let public = app.get_text(&qr).await;
        assert!(public.contains("ไม่อยู่ในที่เก็บ") && !public.contains("พร้อมให้ยืม"), "{public}");
        let staff = app.get_text(&format!("/app/lending/items/{}", item(&app).await)).await;
        assert!(staff.contains("ไม่อยู่ในที่เก็บ"), "{staff}");
        // Still out: the later loan cannot go, and nobody can book over it.
        assert_eq!(step(&mut app, later, &[("action", "hand_over")]).await.status(), StatusCode::CONFLICT);
        assert_eq!(request(&mut app, 1, 1).await.status(), StatusCode::CONFLICT);
        assert_eq!(out_count(&app).await, 1, "never two loans out on one item");
        // The loan page offers supplies the day it really happened; a return cannot be dated in the future.
        app.login(DEMO_STAFF).await;
        assert!(app.get_text(&format!("/app/lending/loans/{now}")).await.contains("วันที่รับคืนจริง"));
        let tomorrow = (today() + Duration::days(1)).to_string();
        let r = step(&mut app, now, &[("action", "return"), ("damage", "none"), ("on", &tomorrow)]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ยังมาไม่ถึง"));
        let r = step(&mut app, now, &[("action", "return"), ("damage", "none")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(app.get_text(&qr).await.contains("อยู่ในที่เก็บ พร้อมให้ยืม"));
    }

    async fn a_loan_recorded_out_before_its_start_holds_the_item_from_today(app: TestApp) {
        // Data recorded before hand-overs were limited to the booked dates: out, booked for later.
        let early = approved(&mut app, 10, 12).await;
        sqlx::query("UPDATE loans SET status = 'handed_over' WHERE id = $1").bind(early).execute(&app.db.pool).await.unwrap();
        assert!(app.get_text(&format!("/o/mae-khatuan/items/{ASSET}")).await.contains("ไม่อยู่ในที่เก็บ"));
        let r = request(&mut app, 1, 3).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ถูกยืมหรือจองแล้ว"));
    }

    async fn random_steps_in_the_database_never_lend_more_units_than_on_hand_and_the_qr_status_is_the_truth(app: TestApp) {
        let org = app.org_a.id;
        let admin = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_ADMIN, org).await.unwrap().unwrap();
        let head = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_STAFF, org).await.unwrap().unwrap();
        let executive = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_EXECUTIVE, org).await.unwrap().unwrap();
        let head_duties = prongsai::lending::duties_of(&app.db, head.id).await.unwrap();
        let exec_duties = prongsai::lending::duties_of(&app.db, executive.id).await.unwrap();
        let id_of = |asset: &'static str| {
            let pool = app.db.pool.clone();
            async move {
                let (id,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = $1").bind(asset)
                    .fetch_one(&pool).await.unwrap();
                ItemId(id)
            }
        };
        // Two durable items and a consumable lent to another agency, which keeps a reserve.
        let items = [ItemId(item(&app).await), id_of("416-65-0010").await, id_of("416-65-0003").await];
        let consumable = items[2];
        sqlx::query("UPDATE items SET class = 'consumable' WHERE id = $1").bind(consumable.0).execute(&app.db.pool).await.unwrap();
        let rt = tokio::runtime::Handle::current();
        let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
        let case = (proptest::collection::vec(1..4i64, 3), 0..2i64, proptest::collection::vec(op(), 1..30));
        let started = std::time::Instant::now();
        let result = tokio::task::block_in_place(|| runner.run(&case, |(on_hand, reserve, ops)| {
            rt.block_on(async {
                // Each case starts with every item free, with 1–3 units on hand.
                for (item, units) in items.iter().zip(&on_hand) {
                    let kept = if *item == consumable { reserve.min(*units - 1) } else { 0 };
                    sqlx::query("UPDATE loans SET status = 'cancelled' WHERE item_id = $1 AND status IN ('requested', 'approved', 'handed_over', 'awaiting_settlement')")
                        .bind(item.0).execute(&app.db.pool).await.unwrap();
                    sqlx::query("UPDATE items SET quantity = $1, reserve = $2 WHERE id = $3")
                        .bind(*units).bind(kept).bind(item.0).execute(&app.db.pool).await.unwrap();
                }
                // The reset bypasses Db::write: tell the public page cache, as a write would.
                app.db.changes().announce(prongsai::db::changes::Scope::Org(org.0));
                let mut filed: Vec<LoanId> = Vec::new();
                for op in &ops {
                    let pick = |i: usize| (!filed.is_empty()).then(|| filed[i % filed.len()]);
                    let mut note = StepNote::default();
                    let step = match *op {
                        Op::Request { item, from, len, units } => {
                            let start = today() + Duration::days(from);
                            let agency = items[item] == consumable;
                            let req = LoanRequest {
                                item_id: items[item], borrower_user_id: None,
                                borrower_name: if agency { "โรงพยาบาลส่งเสริมสุขภาพตำบลทดสอบ".into() } else { "นายทดสอบ สุ่มลำดับ".into() },
                                borrower_position: String::new(), borrower_unit: "หมู่ 1".into(), borrower_is_agency: agency,
                                urgent_need: agency, use_type: if agency { UseType::Agency } else { UseType::Inside },
                                purpose: "ประชุม".into(), place_of_use: "ห้องประชุม".into(), start,
                                due: start + Duration::days(len), quantity: units,
                            };
                            if let Ok(id) = loans::request(&app.db, org, &req, &admin, today()).await.unwrap() {
                                filed.push(id);
                            }
                            None
                        }
                        Op::Approve(i) => pick(i).map(|l| (l, Action::Approve)),
                        Op::Reject(i) => pick(i).map(|l| (l, Action::Reject)),
                        Op::Cancel(i) => pick(i).map(|l| (l, Action::Cancel)),
                        Op::HandOver(i) => pick(i).map(|l| (l, Action::HandOver)),
                        Op::Return { loan, units, damage } => {
                            note.units = (units > 0).then_some(units);
                            let damage = match damage { 0 | 1 => Damage::None, 2 => Damage::Damaged, _ => Damage::Lost };
                            pick(loan).map(|l| (l, Action::Return { damage }))
                        }
                    };
                    if let Some((loan, action)) = step {
                        // Approvals go to whoever the request names; the store's steps to supplies.
                        let (user, duties) = match action {
                            Action::Approve | Action::Reject => {
                                let (required,): (String,) = sqlx::query_as("SELECT required_duty FROM loans WHERE id = $1")
                                    .bind(loan.0).fetch_one(&app.db.pool).await.unwrap();
                                if required == "org_head" { (&executive, exec_duties.clone()) } else { (&head, head_duties.clone()) }
                            }
                            Action::Cancel => (&admin, Vec::new()),
                            _ => (&head, head_duties.clone()),
                        };
                        // Refusals are expected; what matters is the state they leave.
                        loans::act(&app.db, org, loan, action, user, &duties, &note).await.unwrap();
                    }
                    for item in items {
                        let shown = availability::today(&app.db, org, item).await.unwrap().unwrap();
                        let truth = truth(&app, item).await.map_err(|e| TestCaseError::fail(format!("after {op:?}: {e}")))?;
                        if shown != truth {
                            return Err(TestCaseError::fail(format!("after {op:?}: shown {shown:?}, truth {truth:?}")));
                        }
                    }
                }
                // The public QR page prints the truth too.
                for item in items {
                    let (asset,): (String,) = sqlx::query_as("SELECT asset_number FROM items WHERE id = $1")
                        .bind(item.0).fetch_one(&app.db.pool).await.unwrap();
                    let expected = truth(&app, item).await.unwrap().label_th(app.org_a.digits);
                    let page = app.get_text(&format!("/o/mae-khatuan/items/{asset}")).await;
                    if !page.contains(&expected) {
                        return Err(TestCaseError::fail(format!("QR page of {asset} does not say “{expected}”")));
                    }
                }
                Ok(())
            })
        }));
        result.unwrap();
        eprintln!("64 random cases in {:?}", started.elapsed());
    }
}
