//! A citizen answers the satisfaction survey in a real browser (headless Chromium, a phone's
//! width), on both engines: the poster's form refuses a missing item and names it, keeps what was
//! chosen, then stores the answer with the phone's cookie counted (its keyed hash), and says
//! thank you.

use prongsai::survey::questionnaire::default_questionnaire;

use crate::browser::Browser;
use crate::on_both_databases;

on_both_databases! {
    async fn a_citizen_answers_the_poster_form_on_a_phone(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.client.set_window_size(360, 740).await.unwrap();
        let org = app.org_a.clone();
        let survey = prongsai::survey::store::main_survey(&app.db, org.id).await.unwrap().unwrap().id;
        let point = prongsai::queue::store::points(&app.db, org.id).await.unwrap()[0].id;
        b.client.goto(&app.url(&format!("/o/{}/survey/{survey}?point={point}", org.slug))).await.unwrap();
        b.wait_for_text("h1", "แบบประเมินความพึงพอใจ").await;
        let q = default_questionnaire();
        let keys: Vec<String> = q.items().map(|(_, i)| i.key.clone()).collect();
        // Every item but the last, then send: the page names the missing one.
        for key in &keys[..keys.len() - 1] {
            b.click(&format!("input[name='i_{key}'][value='4']")).await;
        }
        b.client.execute("document.querySelector('main form').noValidate = true", vec![]).await.unwrap();
        b.click("button[type='submit']").await;
        let summary = b.wait_for_text("#errors", "กรุณาเลือกระดับความพึงพอใจ").await;
        assert!(summary.contains(&format!("ข้อ {}", prongsai::thai::format_int(keys.len() as i64, org.digits))), "{summary}");
        // What was chosen is still chosen.
        let chosen = b.find(&format!("input[name='i_{}'][value='4']", keys[0])).await.prop("checked").await.unwrap();
        assert_eq!(chosen.as_deref(), Some("true"));
        b.click(&format!("input[name='i_{}'][value='5']", keys[keys.len() - 1])).await;
        b.type_into("#comment", "ที่นั่งรอเพียงพอ").await;
        b.click("button[type='submit']").await;
        b.wait_for_text("h1", "ขอบคุณที่ตอบแบบประเมิน").await;
        let (scores, device, comment, point_id): (String, String, String, Option<i64>) = sqlx::query_as(
            "SELECT scores, device, comment, point_id FROM survey_answers WHERE org_id = $1 AND channel = 'poster' AND comment = 'ที่นั่งรอเพียงพอ'",
        )
        .bind(org.id.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(scores, format!("{}5", "4".repeat(keys.len() - 1)));
        assert_eq!(comment, "ที่นั่งรอเพียงพอ");
        assert_eq!(point_id, Some(point.0));
        assert_eq!(device.len(), 64, "the phone's cookie was counted (as its keyed hash)");
        b.finish().await;
    }
}
