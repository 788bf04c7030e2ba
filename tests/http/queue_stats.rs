//! Time standards, measured (issue 14, fair queue item 5): the statistics pages against values
//! computed by hand from tickets with known times, in the second organization (no demo history).

use prongsai::queue::store::{self, RuleInput};
use prongsai::queue::tickets::{self, Channel, NewTicket};
use prongsai::queue::{CounterId, PointId, day_start_ms, thai_day};
use prongsai::services::ServiceId;
use prongsai::services::store::NewService;

use crate::harness::*;
use crate::on_both_databases;

const M: i64 = 60_000;

/// A point of the second organization with one service (standard 10 minutes) and one counter.
async fn setup(app: &TestApp) -> (PointId, ServiceId, CounterId) {
    let org = app.org_b.id;
    let mut tx = app.db.write(org).await.unwrap();
    let service = prongsai::services::store::create(
        &mut tx,
        org,
        &NewService {
            name: "การขออนุญาตตั้งแผงลอย", division_id: None, standard_minutes: Some(10)
        },
        "test",
    )
    .await
    .unwrap()
    .unwrap();
    let rule = RuleInput { name: "งานทะเบียน", priority_every: 0, recall_limit: 1, rule_note: "" };
    let point = store::create_point(&mut tx, org, &rule, "test").await.unwrap().unwrap();
    store::set_point_service(&mut tx, org, point, service, "ต", "test").await.unwrap().unwrap();
    let counter = store::create_counter(&mut tx, org, point, "ช่อง ๑", &[service], "test").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    (point, service, counter)
}

on_both_databases! {
    async fn waiting_and_service_times_match_the_hand_computed_figures(app: TestApp) {
        let (point, service, counter) = setup(&app).await;
        let org = &app.org_b.clone();
        // Three days ago from 09:00 Thai time (02:00 UTC).
        let day = thai_day(prongsai::queue::now_ms()) - 3;
        let t0 = day_start_ms(day) + 9 * 60 * M;
        let new = NewTicket { point, service, priority: None, channel: Channel::Staff, client_key: "" };
        let mut ids = Vec::new();
        for offset in [0, 1, 2, 3] {
            ids.push(tickets::issue(&app.db, org, &new, "test", t0 + offset * M).await.unwrap().unwrap().id);
        }
        // (call, start, finish) minutes after 09:00: waits 4, 11, 21; services 6, 9, 12;
        // the fourth is skipped (waited 26 until its first call).
        let times = [(4, 5, 11), (12, 13, 22), (23, 24, 36)];
        for (id, (call, start, finish)) in ids.iter().zip(times) {
            let called = tickets::call_next(&app.db, org, counter, "test", t0 + call * M).await.unwrap().unwrap().unwrap();
            assert_eq!(called.id, *id);
            tickets::start(&app.db, org, counter, *id, "test", t0 + start * M).await.unwrap().unwrap().unwrap();
            tickets::finish(&app.db, org, counter, *id, "test", t0 + finish * M).await.unwrap().unwrap().unwrap();
        }
        tickets::call_next(&app.db, org, counter, "test", t0 + 29 * M).await.unwrap().unwrap().unwrap();
        tickets::skip(&app.db, org, counter, ids[3], "ไม่มา", "test", t0 + 31 * M).await.unwrap().unwrap().unwrap();
        // By hand: waits 4, 11, 21, 26 → median (11 + 21) / 2 = 16.0, p90 rank 4 = 26.0;
        // services 6, 9, 12 → median 9.0, p90 rank 3 = 12.0; within 10 min: 2 of 3 = 66.7 %.
        app.login(OTHER_ADMIN).await;
        let page = app.get_text("/app/queue/stats?days=7").await;
        let row = page.split("การขออนุญาตตั้งแผงลอย</th>").nth(1).unwrap().split("</tr>").next().unwrap().to_string();
        let cells: Vec<&str> = row.split("<td>").skip(1).map(|c| c.split('<').next().unwrap()).collect();
        assert_eq!(cells, ["๑๐ นาที", "๔", "๓", "๑๖.๐", "๒๖.๐", "๙.๐", "๑๒.๐", "๖๖.๗%"], "{row}");
        // The busy hour: four tickets at 09:xx.
        assert!(page.contains("<svg class=\"chart\""));
        // The public page: the promise beside the result.
        let public = app.get_text(&format!("/o/{}/queue/services/{}", org.slug, service)).await;
        assert!(public.contains("ให้บริการแล้วเสร็จภายใน ๑๐ นาทีต่อราย"), "{public}");
        assert!(public.contains("id=\"within\">๖๖.๗%") && public.contains("๙.๐ / ๑๒.๐ นาที") && public.contains("๑๖.๐ / ๒๖.๐ นาที"), "{public}");
        // That day's fairness summary: four calls in order, one skip with its reason.
        let date = prongsai::queue::date_of_day(day).format("%Y-%m-%d");
        let fair = app.get_text(&format!("/o/{}/queue/fairness/{date}", org.slug)).await;
        assert!(fair.contains("id=\"calls\">๔ ครั้ง") && fair.contains("id=\"in-order\">๔ ครั้ง") && fair.contains("id=\"out-of-order\">๑ ครั้ง"), "{fair}");
        assert!(fair.contains("ข้ามคิว: ๑ ครั้ง") && fair.contains("ไม่มา"), "{fair}");
        // A measure of that fiscal year cites the same figures, live.
        let fy = prongsai::thai::FiscalYear::of(prongsai::queue::date_of_day(day)).be() as i64;
        let line = prongsai::measures::figures::render(&app.db, org, fy, "queue.summary").await.unwrap();
        assert_eq!(line, "ให้บริการตามบัตรคิว ๓ ราย ได้รับบริการภายในเวลามาตรฐานที่ประกาศ ๖๖.๗% เวลารอ (มัธยฐาน) ๑๖.๐ นาที เรียกนอกลำดับ ๑ ครั้ง มีเหตุผลบันทึกทุกครั้ง");
        assert!(prongsai::measures::figures::is_printed_line("queue.summary", &line));
        // The second organization's service is not under the demo organization's address.
        let r = app.get(&format!("/o/{}/queue/services/{}", app.org_a.slug, service)).await;
        assert_eq!(r.status(), 404);
    }
}
