//! A measure's save writes only what changed (issue 13, item 4): its items, indicators and linked
//! divisions keep their rows, an edit touches the rows it changes, evidence and cited figures
//! stay with the measure, and the audit still says what changed.

use prongsai::measures::evidence::{self, NewEvidence};
use prongsai::measures::{Measure, store};

use crate::harness::*;
use crate::on_both_databases;

/// Every sub-row of a measure: (table, row key, content), in a fixed order.
async fn sub_rows(app: &TestApp, measure: i64) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let items: Vec<(i64, String, i64, String, i64)> = sqlx::query_as(
        "SELECT id, kind, position, text, numbered FROM measure_items WHERE measure_id = $1 ORDER BY id",
    )
    .bind(measure)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    for (id, kind, position, text, numbered) in items {
        rows.push(("item".to_string(), id.to_string(), format!("{kind} {position} {numbered} {text}")));
    }
    for (table, column) in [("measure_indicators", "indicator_number"), ("measure_divisions", "division_id")] {
        let values: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {column} FROM {table} WHERE measure_id = $1 ORDER BY {column}"
        )))
        .bind(measure)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        rows.extend(values.into_iter().map(|(v,)| (table.to_string(), v.to_string(), String::new())));
    }
    rows
}

/// The first of the demo's measures with at least two methods.
async fn a_measure(app: &TestApp) -> Measure {
    let year = store::years(&app.db, app.org_a.id).await.unwrap()[0];
    let measures = store::list(&app.db, app.org_a.id, year).await.unwrap();
    measures.into_iter().find(|m| m.input.methods.len() >= 2 && !m.division_ids.is_empty()).expect("a demo measure")
}

async fn audit_count(app: &TestApp) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE org_id = {}", app.org_a.id.0)).await
}

on_both_databases! {
    async fn saving_a_measure_unchanged_writes_no_sub_row_and_no_audit_entry(app: TestApp) {
        let m = a_measure(&app).await;
        let before = sub_rows(&app, m.id.0).await;
        assert!(before.len() > 3, "the measure has items, indicators or divisions: {before:?}");
        let (entries, updated_at) = (audit_count(&app).await, app.count(&format!("SELECT updated_at FROM measures WHERE id = {}", m.id.0)).await);
        assert!(store::update(&app.db, app.org_a.id, m.id, &m.input, "test").await.unwrap());
        assert_eq!(sub_rows(&app, m.id.0).await, before, "same rows, same ids");
        assert_eq!(audit_count(&app).await, entries, "nothing changed, nothing audited");
        let now = app.count(&format!("SELECT updated_at FROM measures WHERE id = {}", m.id.0)).await;
        assert_eq!(now, updated_at, "the measure's row was not rewritten");
    }

    async fn changing_one_method_changes_one_row_and_the_audit_says_so(app: TestApp) {
        let m = a_measure(&app).await;
        let before = sub_rows(&app, m.id.0).await;
        let mut input = m.input.clone();
        input.methods[1].text = "จัดอบรมเจ้าหน้าที่ปีละ ๒ ครั้ง".into();
        assert!(store::update(&app.db, app.org_a.id, m.id, &input, "test").await.unwrap());
        let after = sub_rows(&app, m.id.0).await;
        assert_eq!(after.len(), before.len(), "no row added or removed");
        let changed: Vec<_> = before.iter().zip(&after).filter(|(b, a)| b != a).collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        let (was, now) = changed[0];
        assert_eq!(was.1, now.1, "the edited method kept its row id");
        assert!(now.2.ends_with("จัดอบรมเจ้าหน้าที่ปีละ ๒ ครั้ง"), "{now:?}");
        let entry = &prongsai::audit::recent(&app.db, app.org_a.id, 1).await.unwrap()[0];
        assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("update", "measure"));
        assert!(entry.before_json.as_deref().unwrap().contains(&m.input.methods[1].text));
        assert!(entry.after_json.as_deref().unwrap().contains("จัดอบรมเจ้าหน้าที่ปีละ ๒ ครั้ง"));
        // The measure reads back as saved.
        let read = store::find(&app.db, app.org_a.id, m.id).await.unwrap().unwrap();
        assert_eq!(read.input, input);
    }

    async fn reordering_adding_and_removing_methods_keep_the_rows_of_the_methods_kept(app: TestApp) {
        let m = a_measure(&app).await;
        let ids = |rows: &[(String, String, String)], text: &str| -> Vec<String> {
            rows.iter().filter(|r| r.0 == "item" && r.2.ends_with(text)).map(|r| r.1.clone()).collect()
        };
        let before = sub_rows(&app, m.id.0).await;
        let mut input = m.input.clone();
        input.methods.swap(0, 1);
        input.methods.push(prongsai::measures::Item { text: "วิธีการใหม่".into(), numbered: true });
        input.indicators = vec![1, 2];
        assert!(store::update(&app.db, app.org_a.id, m.id, &input, "test").await.unwrap());
        let after = sub_rows(&app, m.id.0).await;
        for method in &m.input.methods {
            assert_eq!(ids(&before, &method.text), ids(&after, &method.text), "{} kept its row", method.text);
        }
        assert_eq!(store::find(&app.db, app.org_a.id, m.id).await.unwrap().unwrap().input, input);
        input.methods.pop();
        input.methods.remove(0);
        assert!(store::update(&app.db, app.org_a.id, m.id, &input, "test").await.unwrap());
        assert_eq!(store::find(&app.db, app.org_a.id, m.id).await.unwrap().unwrap().input, input);
    }

    async fn evidence_and_cited_figures_stay_with_an_edited_measure(app: TestApp) {
        let m = a_measure(&app).await;
        let link = NewEvidence::Link { title: "คำสั่งแต่งตั้ง", url: "https://example.org/order.pdf" };
        evidence::add(&app.db, app.org_a.id, m.id, link, 1 << 20, "test").await.unwrap().unwrap().unwrap();
        assert!(prongsai::measures::figures::set(&app.db, app.org_a.id, m.id, "lending.summary", true, "test").await.unwrap());
        let mut input = m.input.clone();
        input.methods[0].text = "ทบทวนคำสั่งทุกไตรมาส".into();
        input.responsible = vec!["กองคลัง".into()];
        assert!(store::update(&app.db, app.org_a.id, m.id, &input, "test").await.unwrap());
        let kept = evidence::list_for_measure(&app.db, app.org_a.id, m.id).await.unwrap();
        assert_eq!(kept.len(), 1);
        let year = m.fiscal_year;
        let cited = prongsai::measures::figures::cited(&app.db, app.org_a.id, year).await.unwrap();
        assert!(cited.iter().any(|(id, f)| *id == m.id && f == "lending.summary"), "{cited:?}");
        assert_eq!(store::find(&app.db, app.org_a.id, m.id).await.unwrap().unwrap().input, input);
    }
}
