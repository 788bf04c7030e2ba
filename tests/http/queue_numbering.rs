//! Ticket numbers per service per day at a point: unique and without gaps when many kiosks issue
//! at once, also from two server processes on one database (issue 14, fair queue item 1).

use futures_util_shim::join_all;

use crate::harness::*;
use crate::on_both_databases;
use crate::queue_support::*;

/// The numbers of today's tickets of a service, sorted.
async fn numbers_today(app: &TestApp, service: i64) -> Vec<i64> {
    let day = prongsai::queue::thai_day(prongsai::queue::now_ms());
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT number FROM queue_tickets WHERE org_id = $1 AND service_id = $2 AND day = $3 ORDER BY number",
    )
    .bind(app.org_a.id.0)
    .bind(service)
    .bind(day)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    rows.into_iter().map(|(n,)| n).collect()
}

mod futures_util_shim {
    /// Runs every future at once on the runtime and waits for all (no extra crate needed).
    pub async fn join_all<F, T>(futures: Vec<F>) -> Vec<T>
    where
        F: std::future::Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
        let mut out = Vec::with_capacity(handles.len());
        for h in handles {
            out.push(h.await.unwrap());
        }
        out
    }
}

on_both_databases! {
    async fn tickets_issued_at_once_from_two_server_processes_get_every_number_once(app: TestApp) {
        let cookie = kiosk_cookie(&mut app).await;
        let queue = DemoQueue::load(&app).await;
        let service = queue.service("A").service_id.0;
        let (second, _stop) = app.second_server().await;
        let bases = [format!("http://{}", app.addr), second];
        let slug = app.org_a.slug.clone();
        // 24 kiosk presses at once, half on each process, two services interleaved.
        let other = queue.service("B").service_id.0;
        let presses: Vec<_> = (0..24)
            .map(|i| {
                let (base, slug, cookie) = (bases[i % 2].clone(), slug.clone(), cookie.clone());
                let s = if i % 3 == 0 { other } else { service };
                async move { kiosk_post(&base, &slug, &cookie, s, "").await.status().as_u16() }
            })
            .collect();
        let statuses = join_all(presses).await;
        assert!(statuses.iter().all(|s| *s == 303), "every press got a ticket: {statuses:?}");
        assert_eq!(numbers_today(&app, service).await, (1..=16).collect::<Vec<_>>());
        assert_eq!(numbers_today(&app, other).await, (1..=8).collect::<Vec<_>>());
        // Each ticket has its issue event and its audit entry.
        let issued = app.count(&format!("SELECT COUNT(*) FROM queue_events WHERE kind = 'issue' AND service_id IN ({service}, {other}) AND at >= {}", prongsai::queue::day_start_ms(prongsai::queue::thai_day(prongsai::queue::now_ms())))).await;
        assert_eq!(issued, 24);
        let audited = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE org_id = {} AND action = 'issue_ticket'", app.org_a.id.0)).await;
        assert_eq!(audited, 24);
        // Labels carry the service's letter and three digits.
        let labels: Vec<(String,)> = sqlx::query_as("SELECT label FROM queue_tickets WHERE service_id = $1 AND number = 16")
            .bind(service).fetch_all(&app.db.pool).await.unwrap();
        assert_eq!(labels.last().unwrap().0, "A016");
    }

    async fn a_kiosk_screen_staff_did_not_authorise_cannot_issue_tickets(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let base = format!("http://{}", app.addr);
        let service = queue.service("A").service_id.0;
        let page = app.get_text(&format!("/o/{}/queue/kiosk", app.org_a.slug)).await;
        assert!(page.contains("ยังไม่ได้รับอนุญาตให้เป็นตู้ออกบัตรคิว"), "{page}");
        let r = kiosk_post(&base, &app.org_a.slug, "prongsai_kiosk=forged", service, "").await;
        assert_eq!(r.status(), 403);
        assert_eq!(numbers_today(&app, service).await, Vec::<i64>::new());
        // A revoked kiosk stops issuing.
        let cookie = kiosk_cookie(&mut app).await;
        assert_eq!(kiosk_post(&base, &app.org_a.slug, &cookie, service, "").await.status(), 303);
        let kiosk: (i64,) = sqlx::query_as("SELECT id FROM queue_kiosks WHERE org_id = $1").bind(app.org_a.id.0).fetch_one(&app.db.pool).await.unwrap();
        let csrf = csrf_in(&app.get_text(&format!("/app/queue/points/{}", queue.point.id)).await);
        let r = app.post_form(&format!("/app/queue/kiosks/{}/revoke", kiosk.0), &csrf, &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(kiosk_post(&base, &app.org_a.slug, &cookie, service, "").await.status(), 403);
        // The kiosk cookie of one organization is nothing to another's kiosk.
        let r = new_client().post(app.url("/o/other-town/queue/kiosk")).header("cookie", &cookie)
            .form(&[("service_id", service.to_string())]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        // A page elsewhere cannot post into the kiosk form through the kiosk's browser.
        let cookie = kiosk_cookie(&mut app).await;
        let r = new_client().post(app.url(&format!("/o/{}/queue/kiosk", app.org_a.slug))).header("cookie", &cookie)
            .header("origin", "https://evil.example").form(&[("service_id", service.to_string())]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(numbers_today(&app, service).await, vec![1]);
        // The kiosk's own page posting names our origin: taken.
        let r = new_client().post(app.url(&format!("/o/{}/queue/kiosk", app.org_a.slug))).header("cookie", &cookie)
            .header("origin", format!("http://{}", app.addr)).form(&[("service_id", service.to_string())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(numbers_today(&app, service).await, vec![1, 2]);
    }

    async fn the_entrance_qr_needs_the_posters_key_and_a_phone_holds_only_two_waiting_tickets(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let service = queue.service("C").service_id.0.to_string();
        let join = format!("/o/{}/queue/join/{}", app.org_a.slug, queue.point.id);
        let r = app.get(&format!("{join}?k=wrong")).await;
        assert_eq!(r.status(), 404);
        assert!(r.text().await.unwrap().contains("สแกน QR ที่ทางเข้า"));
        let r = app.client.post(app.url(&join)).form(&[("k", "wrong"), ("service_id", &service)]).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let key = queue.point.entrance_key.clone();
        let page = app.get_text(&format!("{join}?k={key}")).await;
        assert!(page.contains(&queue.service("C").name));
        let mut codes = Vec::new();
        for _ in 0..2 {
            let r = app.client.post(app.url(&join)).form(&[("k", key.as_str()), ("service_id", &service)]).send().await.unwrap();
            assert_eq!(r.status(), 303);
            codes.push(r.headers()["location"].to_str().unwrap().to_string());
        }
        let r = app.client.post(app.url(&join)).form(&[("k", key.as_str()), ("service_id", &service)]).send().await.unwrap();
        assert_eq!(r.status(), 429);
        assert!(r.text().await.unwrap().contains("รับบัตรคิวที่ยังรอเรียกอยู่ครบ ๒ ใบแล้ว"));
        // The status page of the second ticket: one ahead; the codes cannot be guessed from each other.
        let page = app.get_text(&codes[1]).await;
        assert!(page.contains("รอก่อนหน้า ๑ คิว"), "{page}");
        let code = codes[0].rsplit('/').next().unwrap();
        assert!(code.len() >= 24 && code.chars().all(|c| c.is_ascii_hexdigit()), "{code}");
        // A new poster: the old link stops.
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form(&format!("/app/queue/points/{}/entrance-key", queue.point.id), &csrf, &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.get(&format!("{join}?k={key}")).await.status(), 404);
    }
}
