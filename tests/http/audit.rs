use prongsai::audit;

use crate::harness::*;

/// Edits the log as an intruder with database access would: first removing the append-only guard.
async fn drop_guards(app: &TestApp) {
    app.raw_sql("DROP TRIGGER audit_log_no_update ON audit_log")
        .await
        .or(app.raw_sql("DROP TRIGGER audit_log_no_update").await)
        .unwrap();
    app.raw_sql("DROP TRIGGER audit_log_no_delete ON audit_log")
        .await
        .or(app.raw_sql("DROP TRIGGER audit_log_no_delete").await)
        .unwrap();
}

crate::on_both_databases! {
    async fn every_change_is_chained_and_the_untouched_log_verifies(app: TestApp) {
        let report = audit::verify(&app.db).await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.chains, 2);
        assert_eq!(report.entries as i64, app.count("SELECT COUNT(*) FROM audit_log").await);
        // org a: org, 3 users, 3 measures, the intro, then the lending demo; org b: org and its admin.
        assert!(report.entries > 1 + 3 + 3 + 1 + 2);
    }

    async fn the_application_cannot_update_or_delete_audit_entries(app: TestApp) {
        assert!(app.raw_sql("UPDATE audit_log SET actor = 'someone else'").await.is_err());
        assert!(app.raw_sql("DELETE FROM audit_log").await.is_err());
    }

    async fn an_edited_entry_is_detected(app: TestApp) {
        drop_guards(&app).await;
        app.raw_sql("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2 AND org_id = (SELECT id FROM orgs WHERE slug = 'mae-khatuan')").await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].seq, 2);
        assert!(report.problems[0].what.contains("changed"));
    }

    async fn a_deleted_entry_in_the_middle_is_detected(app: TestApp) {
        drop_guards(&app).await;
        app.raw_sql("DELETE FROM audit_log WHERE seq = 3 AND org_id = (SELECT id FROM orgs WHERE slug = 'mae-khatuan')").await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert!(report.problems.iter().any(|p| p.seq == 4 && p.what.contains("missing")), "{:?}", report.problems);
    }

    async fn a_deleted_last_entry_is_detected_by_the_chain_head(app: TestApp) {
        drop_guards(&app).await;
        app.raw_sql("DELETE FROM audit_log WHERE org_id = (SELECT id FROM orgs WHERE slug = 'mae-khatuan') AND seq = (SELECT MAX(seq) FROM audit_log WHERE org_id = (SELECT id FROM orgs WHERE slug = 'mae-khatuan'))").await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert!(report.problems.iter().any(|p| p.what.contains("removed from the end")), "{:?}", report.problems);
    }

    async fn a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(app: TestApp) {
        drop_guards(&app).await;
        // A careful forger recomputes the edited entry's own hash; the next entry still points at the old one.
        app.raw_sql("UPDATE audit_log SET hash = 'f00d' WHERE seq = 2 AND org_id = (SELECT id FROM orgs WHERE slug = 'mae-khatuan')").await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert!(report.problems.iter().any(|p| p.seq == 3 && p.what.contains("previous")), "{:?}", report.problems);
    }

    async fn an_entry_added_outside_the_application_is_detected(app: TestApp) {
        app.raw_sql("INSERT INTO audit_log (org_id, seq, at, actor, action, entity, entity_id, prev_hash, hash) SELECT org_id, last_seq + 1, 0, 'x', 'create', 'measure', '1', last_hash, 'forged' FROM audit_chain WHERE org_id = (SELECT id FROM orgs WHERE slug = 'mae-khatuan')").await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert!(report.problems.iter().any(|p| p.what.contains("changed")), "{:?}", report.problems);
        assert!(report.problems.iter().any(|p| p.what.contains("added outside the application")), "{:?}", report.problems);
    }
}
