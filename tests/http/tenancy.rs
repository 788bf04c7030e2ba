use reqwest::StatusCode;

use crate::harness::*;

crate::on_both_databases! {
    async fn a_user_of_another_organization_can_neither_read_nor_change_its_records(app: TestApp) {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM measures WHERE org_id = $1 ORDER BY position LIMIT 1")
            .bind(app.org_a.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let staff_csrf = app.login(DEMO_STAFF).await;
        let link = app.post_form(&format!("/app/measures/{id}/evidence/link"), &staff_csrf, &[("title", "ประกาศ"), ("url", "https://example.org/a.pdf")]).await;
        assert_eq!(link.status(), StatusCode::SEE_OTHER);
        let (evidence_id,): (i64,) = sqlx::query_as("SELECT id FROM evidence").fetch_one(&app.db.pool).await.unwrap();
        // The organization's own chain: the other admin's login is audited in theirs.
        let audit_sql = format!("SELECT COUNT(*) FROM audit_log WHERE org_id = {}", app.org_a.id);
        let audit_before = app.count(&audit_sql).await;

        let csrf = app.login(OTHER_ADMIN).await;
        let own = app.get_text("/app/measures?year=2566").await;
        assert!(own.contains("เทศบาลตำบลทดสอบ") || own.contains("ทต.ทดสอบ"));
        assert!(!own.contains("จัดทำคู่มือมาตรฐานการปฏิบัติงาน"), "another org's measures are not listed");
        assert_eq!(app.get(&format!("/app/measures/{id}")).await.status(), StatusCode::NOT_FOUND);
        let fields = [("title", "ยึดมาตรการ"), ("status", "done"), ("progress", "1")];
        assert_eq!(app.post_form(&format!("/app/measures/{id}"), &csrf, &fields).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/measures/{id}/delete"), &csrf, &[("confirm", "yes")]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/measures/{id}/move"), &csrf, &[("step", "1")]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/measures/{id}/evidence/link"), &csrf, &[("title", "x"), ("url", "https://x.org")]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/evidence/{evidence_id}/delete"), &csrf, &[]).await.status(), StatusCode::NOT_FOUND);
        let report = app.get("/app/measures/report?year=2566&format=md").await.text().await.unwrap();
        assert!(!report.contains("จัดทำคู่มือมาตรฐานการปฏิบัติงาน"), "the report is of the user's own organization");
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 1);
        assert_eq!(app.count(&audit_sql).await, audit_before, "nothing was changed");
    }
}
