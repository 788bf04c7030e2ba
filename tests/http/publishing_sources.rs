//! Every kind of publication goes through the outbox in its own transaction: a report version,
//! the SOP manual, a council meeting notice (news: publishing.rs); and a LINE message to one user,
//! as the complaints module will send it.

use crate::on_both_databases;
use crate::publishing_fake::Fake;
use crate::publishing_support::*;

on_both_databases! {
    async fn a_report_version_the_sop_manual_and_a_council_notice_reach_line_and_a_push_reaches_its_user(app: TestApp) {
        let fake = Fake::start().await;
        let keys = tempfile::tempdir().unwrap();
        let key = key_file(keys.path(), "publishing.key");
        configure(&mut app, &fake, &key, |_| {}).await;
        let org = app.org_a.id;

        let version = app.publish_report(2566).await;
        let today = prongsai::thai::today_in_thailand();
        let approval = prongsai::lending::documents::ManualApproval {
            fiscal_year: prongsai::thai::FiscalYear::of(today),
            approved_on: today,
            approver_name: "นายทดสอบ ใจดี".into(),
            approver_position: "นายกองค์การบริหารส่วนตำบลแม่คะตวน".into(),
        };
        let manual = prongsai::lending::manuals::record_unprinted(&app.db, &app.org_a, &approval, "test").await.unwrap();
        let details = prongsai::council::store::MeetingDetails {
            title: "การประชุมสภาสมัยสามัญ สมัยที่ ๓".into(),
            starts_at: prongsai::db::now() + 7 * 86_400,
            place: "ห้องประชุมสภา".into(),
            agenda: "รับรองรายงานการประชุม".into(),
            seats: 10,
            cancelled: false,
            minutes_document_id: None,
        };
        let mut tx = app.db.write(org).await.unwrap();
        let meeting = prongsai::council::store::create(&mut tx, org, &details, "test").await.unwrap().unwrap();
        tx.commit().await.unwrap();
        let mut tx = app.db.write(org).await.unwrap();
        let message = prongsai::publishing::LinePush {
            to_user_id: "U0123456789abcdef",
            title: "ทดสอบ",
            text: "เรื่องของท่านดำเนินการแล้ว",
            link: "",
            source: "test:1:done",
        };
        let push = prongsai::publishing::enqueue_line_push(&mut tx, org, &message);
        assert!(push.await.unwrap());
        tx.commit().await.unwrap();

        let report = until_status(&app, "line", "measure_report:2566", "sent").await;
        until_status(&app, "line", "lending_manual", "sent").await;
        until_status(&app, "line", &format!("council_meeting:{meeting}"), "sent").await;
        until_status(&app, "line_push", "test:1:done", "sent").await;
        assert_eq!(row(&app, "web", &format!("council_meeting:{meeting}")).await.status, "sent");
        let revision: (i64,) = sqlx::query_as("SELECT revision FROM publishing_outbox WHERE id = $1")
            .bind(report.id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(revision.0, version);
        let manual_revision: (i64,) = sqlx::query_as("SELECT revision FROM publishing_outbox WHERE channel = 'line' AND source = 'lending_manual'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(manual_revision.0, manual);
        fake.with(|s| {
            let broadcasts: Vec<&str> = s.line.iter().filter(|m| m.path == "/v2/bot/message/broadcast").map(|m| m.text.as_str()).collect();
            assert_eq!(broadcasts.len(), 3, "{broadcasts:?}");
            assert!(broadcasts.iter().any(|t| t.contains("รายงานมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ ๒๕๖๖") && t.contains("/o/mae-khatuan/ita/2566/measures")));
            assert!(broadcasts.iter().any(|t| t.contains("คู่มือการปฏิบัติงานการยืมพัสดุ") && t.contains("/o/mae-khatuan/lending/manual.pdf")));
            assert!(broadcasts.iter().any(|t| t.contains("การประชุมสภาสมัยสามัญ สมัยที่ ๓") && t.contains(&format!("/o/mae-khatuan/council/{meeting}"))));
            let pushed: Vec<_> = s.line.iter().filter(|m| m.path == "/v2/bot/message/push").collect();
            assert_eq!(pushed.len(), 1);
            assert_eq!(pushed[0].to.as_deref(), Some("U0123456789abcdef"));
            assert_eq!(pushed[0].text, "เรื่องของท่านดำเนินการแล้ว");
            assert_eq!(s.facebook.len(), 3, "a push is LINE only");
        });

        // The same event again is not a second message.
        let mut tx = app.db.write(org).await.unwrap();
        let again = prongsai::publishing::LinePush { text: "ซ้ำ", ..message };
        let again = prongsai::publishing::enqueue_line_push(&mut tx, org, &again);
        assert!(!again.await.unwrap());
        tx.commit().await.unwrap();
    }
}
