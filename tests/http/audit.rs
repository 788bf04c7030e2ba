use prongsai::audit;

use crate::harness::*;

/// Drops one guard trigger, as an intruder with the owner's rights would.
pub async fn drop_trigger(app: &TestApp, name: &str, table: &str) {
    let sql = match app.backend {
        Backend::Postgres => format!("DROP TRIGGER {name} ON {table}"),
        Backend::Sqlite => format!("DROP TRIGGER {name}"),
    };
    app.raw_sql(&sql).await.unwrap();
}

/// Removes the append-only guards of the log and of the chain heads (migrations 0001 and 0003).
pub async fn drop_guards(app: &TestApp) {
    drop_trigger(app, "audit_log_no_update", "audit_log").await;
    drop_trigger(app, "audit_log_no_delete", "audit_log").await;
    drop_trigger(app, "audit_chain_no_delete", "audit_chain").await;
    drop_trigger(app, "audit_chain_forward_only", "audit_chain").await;
    if app.backend == Backend::Postgres {
        drop_trigger(app, "audit_log_no_truncate", "audit_log").await;
        drop_trigger(app, "audit_chain_no_truncate", "audit_chain").await;
    }
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

    async fn truncating_the_log_or_removing_chain_heads_is_refused(app: TestApp) {
        let entries = app.count("SELECT COUNT(*) FROM audit_log").await;
        if app.backend == Backend::Postgres {
            // TRUNCATE fires no row triggers: a statement trigger (0003) refuses it.
            assert!(app.raw_sql("TRUNCATE audit_log, audit_chain").await.is_err());
            assert!(app.raw_sql("TRUNCATE audit_chain CASCADE").await.is_err());
        }
        // SQLite has no TRUNCATE; its DELETE without WHERE still fires the row triggers.
        assert!(app.raw_sql("DELETE FROM audit_log").await.is_err());
        assert!(app.raw_sql("DELETE FROM audit_chain").await.is_err());
        assert!(app.raw_sql("UPDATE audit_chain SET last_seq = last_seq - 1").await.is_err(), "a head never moves back");
        assert!(app.raw_sql("UPDATE audit_chain SET last_hash = 'f00d'").await.is_err(), "nor changes at the same length");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, entries);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_chain").await, 2);
        assert!(audit::verify(&app.db).await.unwrap().problems.is_empty());
    }

    async fn a_deleted_chain_head_no_longer_hides_tampering_in_its_chain(app: TestApp) {
        drop_guards(&app).await;
        let a = app.org_a.id.0;
        app.raw_sql(&format!("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2 AND org_id = {a}")).await.unwrap();
        app.raw_sql(&format!("DELETE FROM audit_chain WHERE org_id = {a}")).await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        assert_eq!(report.chains, 2, "every organization is checked, with or without a head row");
        assert!(report.problems.iter().any(|p| p.org_id == a && p.seq == 2 && p.what.contains("changed")), "{:?}", report.problems);
        assert!(report.problems.iter().any(|p| p.org_id == a && p.what.contains("chain head row is missing")), "{:?}", report.problems);
    }

    async fn a_truncated_log_is_detected(app: TestApp) {
        drop_guards(&app).await;
        match app.backend {
            Backend::Postgres => app.raw_sql("TRUNCATE audit_log, audit_chain").await.unwrap(),
            Backend::Sqlite => app.raw_sql("DELETE FROM audit_log; DELETE FROM audit_chain").await.unwrap(),
        }
        let report = audit::verify(&app.db).await.unwrap();
        assert_eq!((report.chains, report.entries), (2, 0));
        for org in [app.org_a.id.0, app.org_b.id.0] {
            assert!(report.problems.iter().any(|p| p.org_id == org && p.what.contains("the log was truncated")), "{:?}", report.problems);
            assert!(report.problems.iter().any(|p| p.org_id == org && p.what.contains("head row is missing")), "{:?}", report.problems);
        }
    }

    async fn a_log_emptied_under_its_head_is_detected(app: TestApp) {
        drop_guards(&app).await;
        let b = app.org_b.id.0;
        app.raw_sql(&format!("DELETE FROM audit_log WHERE org_id = {b}")).await.unwrap();
        let report = audit::verify(&app.db).await.unwrap();
        let of_b: Vec<_> = report.problems.iter().filter(|p| p.org_id == b).map(|p| p.what.as_str()).collect();
        assert!(of_b.iter().any(|w| w.contains("the log was truncated")), "{of_b:?}");
        assert!(of_b.iter().any(|w| w.contains("entries were removed from the end")), "{of_b:?}");
        assert!(report.problems.iter().all(|p| p.org_id == b), "org a is untouched: {:?}", report.problems);
    }
}
