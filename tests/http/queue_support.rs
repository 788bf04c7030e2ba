//! What the queue tests share: the demo point, its counters and services, a kiosk cookie, and
//! tickets issued at chosen times through the store (as the kiosk would).

use prongsai::queue::rules::PriorityGroup;
use prongsai::queue::store::{self, Counter, Point, PointService};
use prongsai::queue::tickets::{self, Channel, NewTicket, Ticket};
use prongsai::queue::{CounterId, TicketId};

use crate::harness::*;

/// The demo's point, its services (A … H) and its two counters.
pub struct DemoQueue {
    pub point: Point,
    pub services: Vec<PointService>,
    pub counters: Vec<Counter>,
}

impl DemoQueue {
    pub async fn load(app: &TestApp) -> Self {
        let point = store::points(&app.db, app.org_a.id).await.unwrap().remove(0);
        let services = store::point_services(&app.db, app.org_a.id, point.id).await.unwrap();
        let counters = store::counters(&app.db, app.org_a.id, point.id).await.unwrap();
        assert_eq!(counters.len(), 2, "the demo point has two counters");
        DemoQueue { point, services, counters }
    }

    /// The service with ticket letter `prefix`.
    pub fn service(&self, prefix: &str) -> &PointService {
        self.services.iter().find(|s| s.prefix == prefix).unwrap()
    }

    pub fn counter(&self, n: usize) -> CounterId {
        self.counters[n - 1].id
    }

    /// Issues a ticket of service `prefix` now (+ `offset_ms`, so that the order is certain).
    pub async fn issue(&self, app: &TestApp, prefix: &str, priority: Option<PriorityGroup>, offset_ms: i64) -> Ticket {
        let new = NewTicket {
            point: self.point.id,
            service: self.service(prefix).service_id,
            priority,
            channel: Channel::Staff,
            client_key: "",
        };
        tickets::issue(&app.db, &app.org_a, &new, "test", prongsai::queue::now_ms() + offset_ms).await.unwrap().unwrap()
    }
}

/// The ticket as stored now.
pub async fn ticket(app: &TestApp, id: TicketId) -> Ticket {
    tickets::find(&app.db, app.org_a.id, id).await.unwrap().unwrap()
}

/// The events of a ticket: (kind, out_of_order, reason), in order.
pub async fn events_of(app: &TestApp, id: TicketId) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT kind, out_of_order, reason FROM queue_events WHERE ticket_id = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// Logs the demo admin in, authorises a kiosk for the demo point with `client`'s session, and
/// returns the kiosk cookie ("prongsai_kiosk=…") that makes a browser that screen.
pub async fn kiosk_cookie(app: &mut TestApp) -> String {
    let csrf = app.login(DEMO_ADMIN).await;
    let point = DemoQueue::load(app).await.point;
    let r = app.post_form(&format!("/app/queue/points/{}/kiosks", point.id), &csrf, &[("name", "ตู้หน้าประตู")]).await;
    assert_redirect_to(&r, &format!("/o/{}/queue/kiosk", app.org_a.slug));
    let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    set.split(';').next().unwrap().to_string()
}

/// Posts the kiosk form of service `service_id` with the kiosk cookie, from a fresh client.
pub async fn kiosk_post(base: &str, slug: &str, cookie: &str, service_id: i64, priority: &str) -> reqwest::Response {
    new_client()
        .post(format!("{base}/o/{slug}/queue/kiosk"))
        .header("cookie", cookie)
        .form(&[("service_id", service_id.to_string().as_str()), ("priority", priority)])
        .send()
        .await
        .unwrap()
}
