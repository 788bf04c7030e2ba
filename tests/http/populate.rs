//! `prongsai bench populate` (issue 13): the load test's other organizations. Their data must be
//! what the product itself would hold (valid references, each row in its own organization), the
//! product must serve their pages, and the audit must still verify.

use prongsai::audit;
use prongsai::populate::{self, Sizes, Summary};
use reqwest::StatusCode;

use crate::harness::*;

/// Rows whose reference points into another organization, per relation; all must be 0.
const CROSS_TENANT: &[&str] = &[
    "SELECT COUNT(*) FROM users u JOIN divisions d ON d.id = u.division_id WHERE d.org_id <> u.org_id",
    "SELECT COUNT(*) FROM items i JOIN divisions d ON d.id = i.division_id WHERE d.org_id <> i.org_id",
    "SELECT COUNT(*) FROM loans l JOIN items i ON i.id = l.item_id WHERE i.org_id <> l.org_id",
    "SELECT COUNT(*) FROM loans l JOIN users u ON u.id = l.requested_by WHERE u.org_id <> l.org_id",
    "SELECT COUNT(*) FROM loans l JOIN users u ON u.id = l.decided_by WHERE u.org_id <> l.org_id",
    "SELECT COUNT(*) FROM loans l JOIN users u ON u.id = l.handed_over_by WHERE u.org_id <> l.org_id",
    "SELECT COUNT(*) FROM loan_returns r JOIN loans l ON l.id = r.loan_id WHERE l.org_id <> r.org_id",
    "SELECT COUNT(*) FROM loan_follow_ups f JOIN loans l ON l.id = f.loan_id WHERE l.org_id <> f.org_id",
    "SELECT COUNT(*) FROM loan_follow_ups f JOIN users u ON u.id = f.by_user WHERE u.org_id <> f.org_id",
    "SELECT COUNT(*) FROM notifications n JOIN loans l ON l.id = n.loan_id WHERE l.org_id <> n.org_id",
    "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.org_id <> n.org_id",
];

crate::on_both_databases! {
    async fn populate_adds_organizations_whose_data_stays_their_own_and_whose_pages_are_served(app: TestApp) {
        let demo_loans = app.count("SELECT COUNT(*) FROM loans WHERE org_id = 1").await;
        let summary = populate::populate(&app.db, Sizes { orgs: 3, rows: 200, ..Sizes::default() }).await.unwrap();
        assert_eq!(
            summary,
            Summary { orgs: 3, users: 15, items: 12, loans: 200, follow_ups: 200, notifications: 200, ..Summary::default() },
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM orgs WHERE slug LIKE 'bench-%'").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM loan_follow_ups WHERE org_id > 2").await, 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM loans WHERE org_id = 1").await, demo_loans, "the demo's loans");
        for status in ["requested", "approved", "rejected", "handed_over", "returned", "awaiting_settlement", "closed", "cancelled"] {
            let n = app.count(&format!("SELECT COUNT(*) FROM loans WHERE org_id > 2 AND status = '{status}'")).await;
            assert!(n > 0, "no bench loan is {status}");
        }
        for sql in CROSS_TENANT {
            assert_eq!(app.count(sql).await, 0, "{sql}");
        }

        let report = audit::verify(&app.db).await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        // Each bench organization's chain: its creation and one entry for its rows.
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log a JOIN orgs o ON o.id = a.org_id WHERE o.slug = 'bench-0002'").await, 2);

        let home = without_word_marks(&app.get_text("/o/bench-0002/").await);
        assert!(home.contains("ห้วยทราย ๒"), "{home}");
        let item = without_word_marks(&app.get_text("/o/bench-0002/items/416-60-0001").await);
        assert!(item.contains("416-60-0001"), "{item}");

        // Its users log in with the printed password and see their lending work and notices.
        let client = new_client();
        let r = app.try_login(&client, "bench-0003", "supplies", populate::PASSWORD).await;
        assert_redirect_to(&r, "/app");
        for page in ["/app/lending", "/app/notifications"] {
            let r = client.get(app.url(page)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{page}");
        }
        let notices = without_word_marks(&client.get(app.url("/app/notifications")).send().await.unwrap().text().await.unwrap());
        assert!(notices.contains("เต็นท์ผ้าใบ"), "bench-0003's notices: {notices}");

        // A second run does not add bench-0001 twice; it says which organization is in the way.
        let again = populate::populate(&app.db, Sizes { orgs: 1, rows: 10, ..Sizes::default() }).await.unwrap_err();
        assert!(format!("{again:#}").contains("bench-0001"), "{again:#}");
    }
}
