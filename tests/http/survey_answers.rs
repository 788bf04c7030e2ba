//! Answering surveys (issue 15) through the citizen's pages, on both engines: one answer per
//! visit (token or served ticket, also when posted at once), the open poster's limits per device
//! and address with bursts flagged and kept, the figures on the public page against hand-computed
//! values under both scales, and another organization reaching none of it.

use prongsai::queue::tickets::{self, Channel as TicketChannel, NewTicket};
use prongsai::survey::questionnaire::default_questionnaire;
use prongsai::survey::scale::Scale;
use prongsai::survey::store::{self, SurveyId};
use prongsai::survey::visits::{self, Place, Source};
use reqwest::StatusCode;

use crate::harness::{TestApp, new_client};
use crate::on_both_databases;

/// Every item of the default questionnaire at `level`, with the version.
pub fn full_form(levels: &[u8]) -> Vec<(String, String)> {
    let q = default_questionnaire();
    let mut fields = vec![("v".to_string(), "1".to_string())];
    for (i, (_, item)) in q.items().enumerate() {
        fields.push((format!("i_{}", item.key), levels[i % levels.len()].to_string()));
    }
    fields
}

pub async fn new_survey(app: &TestApp, org: prongsai::orgs::OrgId, name: &str, scale: Scale) -> SurveyId {
    let survey = store::create(&app.db, org, name, scale, "admin").await.unwrap().unwrap();
    store::publish(&app.db, org, survey, &default_questionnaire(), "admin").await.unwrap().unwrap();
    survey
}

pub async fn token(app: &TestApp, org: prongsai::orgs::OrgId, survey: SurveyId, place: Place) -> String {
    visits::create_token(&app.db, org, survey, Source::Receipt, "", place, "admin").await.unwrap().unwrap()
}

on_both_databases! {
    async fn a_visit_token_takes_one_answer_even_when_posted_at_once(app: TestApp) {
        let org = app.org_a.clone();
        let survey = new_survey(&app, org.id, "แบบประเมินใบรับ", Scale::EqualWidth).await;
        let point = prongsai::queue::store::points(&app.db, org.id).await.unwrap()[0].id.0;
        let t = token(&app, org.id, survey, Place { point: Some(point), service: None, counter: None }).await;
        let path = format!("/o/{}/survey/v/{t}", org.slug);
        let form = app.get_text(&path).await;
        assert!(form.contains("การคุ้มครองข้อมูลส่วนบุคคล"), "the PDPA notice");
        assert!(form.contains("ศูนย์บริการร่วม"), "the visit's point is named");
        // A form with an item left out comes back naming it, nothing stored.
        let mut partial = full_form(&[5]);
        partial.remove(3);
        let r = app.client.post(app.url(&path)).form(&partial).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = r.text().await.unwrap();
        assert!(body.contains("ข้อ ๓: กรุณาเลือกระดับความพึงพอใจ"), "{body}");
        assert!(body.contains(r#"value="5" checked"#), "what was chosen stays chosen");
        assert_eq!(app.count("SELECT COUNT(*) FROM survey_answers WHERE channel = 'token'").await, 0);
        // Eight posts of the full form at once: one is stored, the others are told it was answered.
        let posts: Vec<_> = (0..8)
            .map(|_| {
                let (client, url, form) = (new_client(), app.url(&path), full_form(&[4, 5]));
                tokio::spawn(async move { client.post(url).form(&form).send().await.unwrap().status() })
            })
            .collect();
        let mut statuses = Vec::new();
        for p in posts {
            statuses.push(p.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 7, "{statuses:?}");
        let (channel, point_id, scores): (String, Option<i64>, String) =
            sqlx::query_as("SELECT channel, point_id, scores FROM survey_answers WHERE org_id = $1 AND channel = 'token'")
                .bind(org.id.0)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((channel.as_str(), point_id), ("token", Some(point)));
        assert_eq!(scores, "4545454545454");
        // Opening the link again says it was answered.
        let again = app.get_text(&path).await;
        assert!(again.contains("ตอบแบบประเมินแล้ว"), "{again}");
        // One audit entry for the answer, by the citizen.
        assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'survey_answers' AND actor = 'citizen'").await >= 1);
        // Another organization's address for the token finds nothing; a made-up token neither.
        let other = app.get(&format!("/o/{}/survey/v/{t}", app.org_b.slug)).await;
        assert_eq!(other.status(), StatusCode::NOT_FOUND);
        let made_up = app.get(&format!("/o/{}/survey/v/{}", org.slug, "0".repeat(32))).await;
        assert_eq!(made_up.status(), StatusCode::NOT_FOUND);
        // An expired link says so.
        let old = token(&app, org.id, survey, Place::default()).await;
        app.raw_sql("UPDATE survey_tokens SET expires_at = 1 WHERE id = (SELECT MAX(id) FROM survey_tokens)").await.unwrap();
        let r = app.get(&format!("/o/{}/survey/v/{old}", org.slug)).await;
        assert_eq!(r.status(), StatusCode::GONE);
        assert!(r.text().await.unwrap().contains("หมดอายุ"));
    }

    async fn a_ticket_is_answered_once_after_it_is_served(app: TestApp) {
        let org = app.org_a.clone();
        let point = prongsai::queue::store::points(&app.db, org.id).await.unwrap()[0].clone();
        let service = prongsai::queue::store::point_services(&app.db, org.id, point.id).await.unwrap()[0].service_id;
        let counters = prongsai::queue::store::counters(&app.db, org.id, point.id).await.unwrap();
        let counter = counters.iter().find(|c| c.services.contains(&service)).unwrap().id;
        let now = prongsai::queue::now_ms();
        let new = NewTicket { point: point.id, service, priority: None, channel: TicketChannel::Staff, client_key: "" };
        let ticket = tickets::issue(&app.db, &org, &new, "admin", now).await.unwrap().unwrap();
        let path = format!("/o/{}/survey/ticket/{}", org.slug, ticket.code);
        // Waiting: not yet.
        let r = app.get(&path).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("เมื่อรับบริการเสร็จแล้ว"));
        // Served (the counter calls whoever is next: the demo history's tickets are all done).
        let called = tickets::call_next(&app.db, &org, counter, "admin", now + 1000).await.unwrap().unwrap().unwrap();
        assert_eq!(called.id, ticket.id);
        tickets::start(&app.db, &org, counter, ticket.id, "admin", now + 1500).await.unwrap().unwrap().unwrap();
        tickets::finish(&app.db, &org, counter, ticket.id, "admin", now + 2000).await.unwrap().unwrap().unwrap();
        let status = app.get_text(&format!("/o/{}/queue/t/{}", org.slug, ticket.code)).await;
        assert!(status.contains(&path), "the ticket's page offers the survey");
        assert!(app.get_text(&path).await.contains("ส่งแบบประเมิน"));
        let r = app.client.post(app.url(&path)).form(&full_form(&[3])).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = app.client.post(app.url(&path)).form(&full_form(&[1])).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let (visit, service_id, counter_id): (String, Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT visit, service_id, counter_id FROM survey_answers WHERE channel = 'ticket'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((visit, service_id, counter_id), (format!("ticket:{}", ticket.id.0), Some(service.0), Some(counter.0)));
        // The other organization's address for the ticket: nothing.
        assert_eq!(app.get(&format!("/o/{}/survey/ticket/{}", app.org_b.slug, ticket.code)).await.status(), StatusCode::NOT_FOUND);
    }

    async fn the_poster_limits_each_phone_and_address_and_flags_bursts_without_dropping_them(app: TestApp) {
        let org = app.org_a.clone();
        let survey = new_survey(&app, org.id, "แบบประเมินโปสเตอร์", Scale::EqualWidth).await;
        let path = format!("/o/{}/survey/{}", org.slug, survey);
        // One phone (its cookie from the form): three a day, then a clear refusal.
        let phone = new_client();
        assert_eq!(phone.get(app.url(&path)).send().await.unwrap().status(), StatusCode::OK);
        for _ in 0..3 {
            let r = phone.post(app.url(&path)).form(&full_form(&[5])).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let r = phone.post(app.url(&path)).form(&full_form(&[5])).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(r.headers().contains_key("retry-after"));
        assert!(r.text().await.unwrap().contains("ส่งแบบประเมินครบจำนวนแล้ว"));
        // Phones without the cookie from the same address: thirty an hour in all.
        let mut stored = 3;
        loop {
            let r = new_client().post(app.url(&path)).form(&full_form(&[2])).send().await.unwrap();
            if r.status() == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            stored += 1;
            assert!(stored <= 30, "the address limit holds");
        }
        assert_eq!(stored, prongsai::survey::ingest::POSTER_PER_ADDRESS_PER_HOUR);
        // Past ten in ten minutes from one address, answers are flagged, and every one is kept.
        let sql = format!("SELECT COUNT(*) FROM survey_answers WHERE survey_id = {survey} AND burst = 1");
        assert_eq!(app.count(&sql).await, 20);
        let sql = format!("SELECT COUNT(*) FROM survey_answers WHERE survey_id = {survey}");
        assert_eq!(app.count(&sql).await, 30);
        let year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be();
        let page = app.get_text(&format!("/o/{}/ita/{year}/satisfaction", org.slug)).await;
        assert!(page.contains("มีคำตอบ ๒๐ รายการที่ส่งมาถี่ผิดปกติ"), "{page}");
        // A poster form for another organization's point is not found.
        let b_survey = new_survey(&app, app.org_b.id, "แบบประเมิน", Scale::EqualWidth).await;
        let point = prongsai::queue::store::points(&app.db, org.id).await.unwrap()[0].id.0;
        let r = app.get(&format!("/o/{}/survey/{b_survey}?point={point}", app.org_b.slug)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/{}/survey/{b_survey}", org.slug)).await.status(), StatusCode::NOT_FOUND);
    }

    async fn the_public_figures_match_hand_computed_values_under_both_scales(app: TestApp) {
        // The other organization has no demo answers: only these.
        let org = app.org_b.clone();
        let equal = new_survey(&app, org.id, "ก ช่วงกว้าง 0.80", Scale::EqualWidth).await;
        let nearest = new_survey(&app, org.id, "ข ระดับใกล้ที่สุด", Scale::NearestLevel).await;
        // Per survey, three answers: every item 5; every item 4; every item 5 except the first
        // (which is 4). Item 1: 5, 4, 4 → 13/3 = 4.333 → 4.33; items 2–13: 5, 4, 5 → 4.67.
        // Overall: (13·5 + 13·4 + 12·5 + 4) / 39 = 181/39 = 4.641 → 4.64: มากที่สุด under both.
        // Item 1 (4.33): มากที่สุด under 0.80 bands (≥ 4.21), มาก under nearest level (< 4.51).
        for survey in [equal, nearest] {
            for levels in [vec![5u8], vec![4u8], std::iter::once(4u8).chain(std::iter::repeat_n(5u8, 12)).collect()] {
                let t = token(&app, org.id, survey, Place::default()).await;
                let r = app.client.post(app.url(&format!("/o/{}/survey/v/{t}", org.slug))).form(&full_form(&levels)).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
            }
        }
        let year = prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be();
        let page = crate::harness::without_word_marks(&app.get_text(&format!("/o/{}/ita/{year}/satisfaction", org.slug)).await);
        let sections: Vec<&str> = page.split("<section class=\"survey-results\">").skip(1).collect();
        assert_eq!(sections.len(), 2);
        for (section, first_item_level) in sections.iter().zip(["มากที่สุด", "มาก"]) {
            assert!(section.contains("ค่าเฉลี่ย ๔.๖๔ ระดับ มากที่สุด (n = ๓)"), "{section}");
            // The first "๑" is aspect 1's row, the second item 1's.
            let first = section.split("<td>๑</td>").nth(2).unwrap();
            let cells: Vec<&str> = first.split("<td>").skip(1).take(5).map(|c| c.split('<').next().unwrap()).collect();
            assert_eq!(cells, ["๓", "๔.๓๓", "๐.๕๘", first_item_level, "๑๐๐.๐%"], "{section}");
        }
    }

    async fn links_printed_twice_for_one_loan_or_receipt_take_one_answer(app: TestApp) {
        let org = app.org_a.clone();
        let (loan,): (i64,) = sqlx::query_as("SELECT id FROM loans WHERE org_id = $1 AND status = 'returned' ORDER BY id LIMIT 1")
            .bind(org.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (handed,): (i64,) = sqlx::query_as("SELECT id FROM loans WHERE org_id = $1 AND status = 'handed_over' ORDER BY id LIMIT 1")
            .bind(org.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let csrf = app.login(crate::harness::DEMO_ADMIN).await;
        assert!(app.get_text(&format!("/app/lending/loans/{loan}")).await.contains(&format!("/app/survey/loan/{loan}")));
        let mut links = Vec::new();
        for _ in 0..2 {
            let page = app.post_form(&format!("/app/survey/loan/{loan}"), &csrf, &[]).await;
            assert_eq!(page.status(), StatusCode::OK);
            let page = page.text().await.unwrap();
            let marker = format!("/o/{}/survey/v/", org.slug);
            let at = page.find(&marker).unwrap() + marker.len();
            links.push(page[at..at + 32].to_string());
        }
        assert_ne!(links[0], links[1]);
        let post = |t: &str| app.client.post(app.url(&format!("/o/{}/survey/v/{t}", org.slug))).form(&full_form(&[5])).send();
        assert_eq!(post(&links[0]).await.unwrap().status(), StatusCode::SEE_OTHER);
        assert_eq!(post(&links[1]).await.unwrap().status(), StatusCode::CONFLICT, "the same loan's second link");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM survey_answers WHERE visit = 'loan:#{loan}'")).await, 1);
        // A loan still out has no link yet; another organization's loan is not found.
        assert_eq!(app.post_form(&format!("/app/survey/loan/{handed}"), &csrf, &[]).await.status(), StatusCode::CONFLICT);
        // Receipts: two links for one receipt number share its answer; another number is another visit.
        let survey = new_survey(&app, org.id, "แบบประเมินงานคลัง", Scale::EqualWidth).await;
        let mut receipts = Vec::new();
        for number in ["บร 12/2569", "บร 12/2569", "บร 13/2569"] {
            receipts.push(visits::create_token(&app.db, org.id, survey, Source::Receipt, number, Place::default(), "admin").await.unwrap().unwrap());
        }
        let statuses: Vec<StatusCode> = [
            post(&receipts[0]).await.unwrap().status(),
            post(&receipts[1]).await.unwrap().status(),
            post(&receipts[2]).await.unwrap().status(),
        ]
        .into();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT, StatusCode::SEE_OTHER]);
        app.login(crate::harness::OTHER_ADMIN).await;
        let csrf = crate::harness::csrf_in(&app.get_text("/app/survey").await);
        assert_eq!(app.post_form(&format!("/app/survey/loan/{loan}"), &csrf, &[]).await.status(), StatusCode::NOT_FOUND);
    }

    async fn one_batch_decides_its_own_duplicates_and_limits_in_arrival_order(app: TestApp) {
        use prongsai::survey::ingest::{Channel, NewAnswer, Outcome, write_batch};
        let org = app.org_b.id;
        let survey = new_survey(&app, org, "แบบประเมินชุดเดียว", Scale::EqualWidth).await;
        let at = prongsai::db::now();
        let answer = |channel: Channel, visit: Option<&str>, device: &str| NewAnswer {
            org,
            survey,
            version: 1,
            channel,
            visit: visit.map(str::to_string),
            point: None,
            service: None,
            counter: None,
            scores: "5".repeat(13),
            facts: "{}".into(),
            comment: String::new(),
            device: device.into(),
            client_key: format!("addr-{device}"),
            at,
        };
        let batch = [
            answer(Channel::Token, Some("receipt:1"), ""),
            answer(Channel::Token, Some("receipt:1"), ""),
            answer(Channel::Poster, None, "phone"),
            answer(Channel::Poster, None, "phone"),
            answer(Channel::Poster, None, "phone"),
            answer(Channel::Poster, None, "phone"),
            answer(Channel::Poster, None, "other"),
        ];
        let refs: Vec<&NewAnswer> = batch.iter().collect();
        let outcomes = write_batch(&app.db, org, &refs).await.unwrap();
        let kinds: Vec<&str> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Saved { .. } => "saved",
                Outcome::AlreadyAnswered => "answered",
                Outcome::TooMany { .. } => "too many",
            })
            .collect();
        assert_eq!(kinds, ["saved", "answered", "saved", "saved", "saved", "too many", "saved"]);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM survey_answers WHERE survey_id = {survey}")).await, 5);
        // A batch of 150 visits (two INSERT statements): each stored once, found again by its key.
        let many: Vec<NewAnswer> =
            (0..150).map(|n| answer(Channel::Token, Some(&format!("receipt:many-{n}")), "")).collect();
        let refs: Vec<&NewAnswer> = many.iter().collect();
        let outcomes = write_batch(&app.db, org, &refs).await.unwrap();
        let mut ids: Vec<i64> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Saved { id, .. } => *id,
                other => panic!("{other:?}"),
            })
            .collect();
        for (n, id) in ids.iter().enumerate() {
            let (visit,): (String,) = sqlx::query_as("SELECT visit FROM survey_answers WHERE id = $1")
                .bind(id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            assert_eq!(visit, format!("receipt:many-{n}"), "each answer's id is its own row");
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 150);
        // The same visit in a later batch is answered already.
        let again = write_batch(&app.db, org, &[&batch[0]]).await.unwrap();
        assert_eq!(again, [Outcome::AlreadyAnswered]);
        // One audit entry a batch that stored something (the last stored nothing).
        let sql = format!("SELECT COUNT(*) FROM audit_log WHERE org_id = {} AND entity = 'survey_answers'", org.0);
        assert_eq!(app.count(&sql).await, 2);
    }

    async fn staff_edit_the_questionnaire_and_an_open_form_keeps_its_version(app: TestApp) {
        let org = app.org_a.clone();
        let survey = new_survey(&app, org.id, "แบบประเมินที่แก้ไข", Scale::EqualWidth).await;
        // A citizen opened the form of version 1 before the edit.
        let t = token(&app, org.id, survey, Place::default()).await;
        let csrf = app.login(crate::harness::DEMO_ADMIN).await;
        let page = app.get_text(&format!("/app/survey/{survey}/edit")).await;
        assert!(page.contains("ฉบับที่ ๒") || page.contains("ฉบับที่ 2"), "{page}");
        // The form as shown, with the first item removed and one added to the first aspect.
        let q = default_questionnaire();
        let mut fields: Vec<(String, String)> = vec![
            ("based_on".into(), "1".into()),
            ("title".into(), q.title.clone()),
            ("intro".into(), q.intro.clone()),
            ("comment_prompt".into(), q.comment_prompt.clone()),
        ];
        for (a, aspect) in q.aspects.iter().enumerate() {
            fields.push((format!("a{a}_key"), aspect.key.clone()));
            fields.push((format!("a{a}_title"), aspect.title.clone()));
            for (i, item) in aspect.items.iter().enumerate() {
                let text = if a == 0 && i == 0 { String::new() } else { item.text.clone() };
                fields.push((format!("a{a}_{i}_key"), item.key.clone()));
                fields.push((format!("a{a}_{i}_text"), text));
            }
            if a == 0 {
                let n = aspect.items.len();
                fields.push((format!("a{a}_{n}_key"), String::new()));
                fields.push((format!("a{a}_{n}_text"), "ยื่นคำขอทางออนไลน์ได้สะดวก".into()));
            }
        }
        for (f, fact) in q.facts.iter().enumerate() {
            fields.push((format!("f{f}_key"), fact.key.clone()));
            fields.push((format!("f{f}_question"), fact.question.clone()));
            fields.push((format!("f{f}_options"), fact.options.join("\r\n")));
        }
        let mut refused = fields.clone();
        refused[1].1 = String::new(); // the title
        let with_csrf = |f: &[(String, String)]| {
            let mut all = vec![("_csrf".to_string(), csrf.clone())];
            all.extend_from_slice(f);
            all
        };
        let r = app.client.post(app.url(&format!("/app/survey/{survey}/edit"))).form(&with_csrf(&refused)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ชื่อแบบประเมิน: ยังไม่ได้กรอก"));
        assert_eq!(store::version_numbers(&app.db, org.id, survey).await.unwrap(), vec![1]);
        let r = app.client.post(app.url(&format!("/app/survey/{survey}/edit"))).form(&with_csrf(&fields)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let v2 = store::version(&app.db, org.id, survey, None).await.unwrap().unwrap();
        assert_eq!((v2.number, v2.questionnaire.item_count()), (2, q.item_count()));
        assert_eq!(v2.questionnaire.aspects[0].items[0].key, q.aspects[0].items[1].key);
        assert_eq!(v2.questionnaire.facts, q.facts, "the facts' options, one a line, came through the form");
        // The same form again (still based on version 1): refused, it would undo version 2.
        let r = app.client.post(app.url(&format!("/app/survey/{survey}/edit"))).form(&with_csrf(&fields)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("มีผู้เผยแพร่ฉบับที่ ๒ หลังจากท่านเปิดแบบฟอร์มนี้"));
        assert_eq!(store::version_numbers(&app.db, org.id, survey).await.unwrap(), vec![1, 2]);
        assert!(q.items().all(|(_, i)| i.key != v2.questionnaire.aspects[0].items.last().unwrap().key));
        // The form opened before: its answer is stored under version 1.
        let citizen = new_client();
        let r = citizen.post(app.url(&format!("/o/{}/survey/v/{t}", org.slug))).form(&full_form(&[5])).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let sql = format!("SELECT version FROM survey_answers WHERE survey_id = {survey}");
        assert_eq!(app.count(&sql).await, 1);
        // A new visit gets version 2, with the new item.
        let t2 = token(&app, org.id, survey, Place::default()).await;
        let form = app.get_text(&format!("/o/{}/survey/v/{t2}", org.slug)).await;
        assert!(form.contains(r#"name="v" value="2""#) && form.contains("ยื่นคำขอทางออนไลน์ได้สะดวก"));
        // The other organization's admin cannot open it; the executive cannot edit.
        app.login(crate::harness::OTHER_ADMIN).await;
        assert_eq!(app.get(&format!("/app/survey/{survey}/edit")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/app/survey/{survey}")).await.status(), StatusCode::NOT_FOUND);
        app.login(crate::harness::DEMO_EXECUTIVE).await;
        assert_eq!(app.get(&format!("/app/survey/{survey}/edit")).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get(&format!("/app/survey/{survey}")).await.status(), StatusCode::OK);
    }
}
