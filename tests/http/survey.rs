//! Surveys (issue 15): a questionnaire is published as numbered versions that never change, an
//! invalid one is refused with every fault and nothing stored, and another organization reaches
//! none of it; on both engines.

use prongsai::survey::questionnaire::{Item, default_questionnaire};
use prongsai::survey::scale::Scale;
use prongsai::survey::store::{self, SurveyRefusal};

use crate::on_both_databases;

on_both_databases! {
    async fn a_published_version_never_changes_and_the_next_is_numbered_after_it(app: TestApp) {
        // The other organization: the demo's own survey is not in its audit.
        let org = app.org_b.id;
        let survey = store::create(&app.db, org, "ความพึงพอใจต่อการให้บริการ ปี ๒๕๖๗", Scale::default(), "admin").await.unwrap().unwrap();
        let first = default_questionnaire();
        assert_eq!(store::publish(&app.db, org, survey, &first, "admin").await.unwrap().unwrap().number, 1);
        // The same questionnaire again: nothing to publish.
        assert_eq!(store::publish(&app.db, org, survey, &first, "admin").await.unwrap(), Err(SurveyRefusal::Unchanged(1)));
        let mut second = first.clone();
        second.aspects[0].items.push(Item { key: "process_online".into(), text: "ยื่นคำขอทางออนไลน์ได้สะดวก".into() });
        assert_eq!(store::publish(&app.db, org, survey, &second, "admin").await.unwrap().unwrap().number, 2);
        // Version 1 reads back as it was published; the latest is version 2.
        let v1 = store::version(&app.db, org, survey, Some(1)).await.unwrap().unwrap();
        assert_eq!((v1.number, v1.questionnaire, v1.published_by), (1, first, "admin".to_string()));
        let latest = store::version(&app.db, org, survey, None).await.unwrap().unwrap();
        assert_eq!((latest.number, latest.questionnaire.item_count()), (2, 14));
        assert_eq!(store::version_numbers(&app.db, org, survey).await.unwrap(), vec![1, 2]);
        let audited: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE org_id = $1 AND entity = 'survey_version' AND action = 'publish'",
        )
        .bind(org.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audited.0, 2);
    }

    async fn versions_published_at_once_get_each_number_once(app: TestApp) {
        let org = app.org_a.id;
        let survey = store::create(&app.db, org, "แบบประเมินจุดบริการ", Scale::NearestLevel, "admin").await.unwrap().unwrap();
        let publishing: Vec<_> = (0..4)
            .map(|n| {
                let db = app.db.clone();
                let mut q = default_questionnaire();
                q.title = format!("แบบประเมิน ฉบับแก้ไข {n}");
                tokio::spawn(async move { store::publish(&db, org, survey, &q, "admin").await })
            })
            .collect();
        let mut published = Vec::new();
        for p in publishing {
            published.push(p.await.unwrap());
        }
        let mut numbers: Vec<i64> = published.into_iter().map(|r| r.unwrap().unwrap().number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
        assert_eq!(store::find(&app.db, org, survey).await.unwrap().unwrap().scale, Scale::NearestLevel);
    }

    async fn an_invalid_questionnaire_is_refused_with_every_fault_and_nothing_is_stored(app: TestApp) {
        let org = app.org_a.id;
        let survey = store::create(&app.db, org, "แบบประเมิน", Scale::default(), "admin").await.unwrap().unwrap();
        let mut q = default_questionnaire();
        q.title = String::new();
        q.aspects[1].items[0].text = " ".into();
        let refused = store::publish(&app.db, org, survey, &q, "admin").await.unwrap().unwrap_err();
        assert_eq!(
            refused,
            SurveyRefusal::Invalid(vec!["ชื่อแบบประเมิน: ยังไม่ได้กรอก".into(), "ด้านที่ 2 ข้อที่ 1: ยังไม่ได้กรอก".into()])
        );
        assert!(refused.to_string().starts_with("แบบประเมินยังเผยแพร่ไม่ได้: ชื่อแบบประเมิน: ยังไม่ได้กรอก; ด้านที่ 2"));
        assert!(store::version_numbers(&app.db, org, survey).await.unwrap().is_empty());
        // A name is needed, and one name per organization.
        let again = store::create(&app.db, org, " แบบประเมิน ", Scale::default(), "admin").await.unwrap();
        assert_eq!(again, Err(SurveyRefusal::NameTaken("แบบประเมิน".into())));
        assert_eq!(store::create(&app.db, org, "  ", Scale::default(), "admin").await.unwrap(), Err(SurveyRefusal::BadName(200)));
    }

    async fn another_organization_reaches_none_of_a_survey(app: TestApp) {
        let (a, b) = (app.org_a.id, app.org_b.id);
        let survey = store::create(&app.db, a, "แบบประเมิน", Scale::default(), "admin").await.unwrap().unwrap();
        store::publish(&app.db, a, survey, &default_questionnaire(), "admin").await.unwrap().unwrap();
        assert_eq!(store::find(&app.db, b, survey).await.unwrap(), None);
        assert_eq!(store::version(&app.db, b, survey, None).await.unwrap(), None);
        assert!(store::version_numbers(&app.db, b, survey).await.unwrap().is_empty());
        let mut q = default_questionnaire();
        q.title = "ยึดแบบประเมิน".into();
        assert_eq!(store::publish(&app.db, b, survey, &q, "other").await.unwrap(), Err(SurveyRefusal::NoSuchSurvey));
        assert_eq!(store::version_numbers(&app.db, a, survey).await.unwrap(), vec![1]);
        // The same name is free in the other organization.
        assert!(store::create(&app.db, b, "แบบประเมิน", Scale::default(), "other").await.unwrap().is_ok());
    }
}
