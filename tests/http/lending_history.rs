//! The loan page's history: the steps in the workflow's order, with names and the real Thai days.

use chrono::{Duration, NaiveDate};
use prongsai::auth::Role;
use prongsai::auth::users::{self, NewUser, User};
use prongsai::lending::loans::{self, LoanRequest, StepNote};
use prongsai::lending::rules::{Duty, UseType};
use prongsai::lending::workflow::{Action, Damage, Settlement};
use prongsai::lending::{ItemId, LoanId, today};
use prongsai::thai::format_date_medium;

use crate::harness::{PASSWORD, TestApp};

/// The history's steps on a loan page, as text, in page order.
fn history(page: &str) -> Vec<String> {
    let start = page.find("<section id=\"loan-history\"").unwrap_or_else(|| panic!("no history: {page}"));
    let body = &page[start..start + page[start..].find("</section>").unwrap()];
    body.split("<li>").skip(1).map(|li| li[..li.find("</li>").unwrap()].to_string()).collect()
}

async fn user(app: &TestApp, username: &str) -> User {
    users::find_by_username_and_org(&app.db, username, app.org_a.id).await.unwrap().unwrap()
}

async fn step(app: &TestApp, loan: LoanId, action: Action, by: &User, on: NaiveDate, note: &str) {
    let duties = prongsai::lending::duties_of(&app.db, by.id).await.unwrap();
    let note = StepNote { note: note.into(), on: Some(on), units: None };
    loans::act(&app.db, app.org_a.id, loan, action, by, &duties, &note).await.unwrap().unwrap().unwrap();
}

crate::on_both_databases! {
    async fn the_history_lists_each_step_with_its_person_and_real_day_in_order(app: TestApp) {
        let org = app.org_a.id;
        let digits = app.org_a.digits;
        let head = user(&app, DEMO_STAFF).await;
        let officer = users::create(&app.db, &NewUser { org, username: "officer", display_name: "นางพัสดุ ช่วยงาน", password: PASSWORD, role: Role::Staff, division_id: None }, "test").await.unwrap();
        prongsai::lending::set_duties(&app.db, org, officer.id, &[Duty::SuppliesOfficer], "test").await.unwrap();
        let clerk = users::create(&app.db, &NewUser { org, username: "clerk", display_name: "นายเสมียน ขยัน", password: PASSWORD, role: Role::Staff, division_id: None }, "test").await.unwrap();
        let (item,): (i64,) = sqlx::query_as("SELECT id FROM items WHERE asset_number = '416-65-0010' AND org_id = $1").bind(org.0).fetch_one(&app.db.pool).await.unwrap();
        let t = today();
        let (asked, out, back) = (t - Duration::days(8), t - Duration::days(7), t - Duration::days(2));
        let req = LoanRequest {
            item_id: ItemId(item), borrower_user_id: Some(clerk.id), borrower_name: clerk.display_name.clone(), borrower_position: String::new(),
            borrower_unit: "กองช่าง".into(), borrower_is_agency: false, urgent_need: false, use_type: UseType::Inside,
            purpose: "ตัดหญ้าบริเวณสำนักงาน".into(), place_of_use: "สำนักงาน".into(), start: out, due: out + Duration::days(1), quantity: 1,
        };
        let loan = loans::request(&app.db, org, &req, &clerk, asked).await.unwrap().unwrap();
        step(&app, loan, Action::Approve, &head, asked, "อนุมัติ").await;
        step(&app, loan, Action::HandOver, &officer, out, "ใบมีดคม").await;
        loans::follow_up(&app.db, org, loan, &head, "โทรแจ้งผู้ยืม", t).await.unwrap();
        // Returned two days ago, recorded today.
        step(&app, loan, Action::Return { damage: Damage::Damaged }, &officer, back, "ใบมีดบิ่น").await;
        step(&app, loan, Action::Settle { how: Settlement::Repair }, &head, t, "ผู้ยืมซ่อมแล้ว").await;
        app.login(DEMO_STAFF).await;
        let steps = history(&app.get_text(&format!("/app/lending/loans/{}", loan.0)).await);
        let d = |day| format_date_medium(day, digits);
        let expected = [
            ("ยื่นคำขอยืม", "นายเสมียน ขยัน", d(asked)),
            ("อนุมัติ", "เจ้าหน้าที่พัสดุ กองคลัง", d(asked)),
            ("ส่งมอบพัสดุ", "นางพัสดุ ช่วยงาน", d(out)),
            ("ติดตามทวงคืน", "เจ้าหน้าที่พัสดุ กองคลัง", d(t)),
            ("รับคืนและตรวจสภาพ", "นางพัสดุ ช่วยงาน", d(back)),
            ("ชดใช้แล้ว", "เจ้าหน้าที่พัสดุ กองคลัง", d(t)),
        ];
        assert_eq!(steps.len(), expected.len(), "{steps:#?}");
        for (got, (what, who, on)) in steps.iter().zip(&expected) {
            assert!(got.starts_with(&format!("<strong>{what}")) && got.contains(who) && got.contains(&format!("· {on} ·")), "{got} should be {what} by {who} on {on}");
        }
        // The return happened two days ago and says when it was recorded (today).
        assert!(steps[4].contains("บันทึกเมื่อ") && steps[4].contains(&d(t)) && steps[4].contains("ใบมีดบิ่น"), "{}", steps[4]);
    }

    async fn the_demo_history_tells_its_true_days_and_shows_the_request_going_up(app: TestApp) {
        let digits = app.org_a.digits;
        let d = |n: i64| format_date_medium(today() + Duration::days(n), digits);
        app.login(DEMO_EXECUTIVE).await;
        // The loan returned on time a month ago: asked, approved, handed over on day -30, back on -29.
        let (returned,): (i64,) = sqlx::query_as("SELECT id FROM loans WHERE status = 'returned' AND org_id = $1 ORDER BY id").bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let steps = history(&app.get_text(&format!("/app/lending/loans/{returned}")).await);
        let days: Vec<bool> = [-30, -30, -30, -29].iter().zip(&steps).map(|(n, s)| s.contains(&format!("· {} ·", d(*n)))).collect();
        assert_eq!(days, [true; 4], "{steps:#?}");
        let (escalated,): (i64,) = sqlx::query_as("SELECT id FROM loans WHERE escalation <> '' AND status = 'requested' AND org_id = $1").bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let steps = history(&app.get_text(&format!("/app/lending/loans/{escalated}")).await);
        assert!(steps[0].contains("ยื่นคำขอยืม") && steps[0].contains("เจ้าหน้าที่พัสดุ กองคลัง"), "{steps:#?}");
        assert!(steps[1].contains("ส่งให้หัวหน้าหน่วยงานพิจารณาแทน"), "{steps:#?}");
        assert_eq!(steps.len(), 2);
    }
}
