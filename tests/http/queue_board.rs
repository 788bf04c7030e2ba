//! The queue's display board: the page, its live stream (resumable by Last-Event-ID), the shared
//! fan-out, tenancy, and a call reaching a board connected to another server process.

use std::time::Duration;

use prongsai::db::Db;
use prongsai::orgs::Org;
use prongsai::queue::store::{self, RuleInput};
use prongsai::queue::tickets::{self, Channel, NewTicket};
use prongsai::queue::{CounterId, PointId, TicketId};
use prongsai::services::ServiceId;
use prongsai::services::store::NewService;
use reqwest::StatusCode;

use crate::on_both_databases;

/// A service point with two counters and one service ("A" tickets), made through the queue's
/// store as the admin's pages make it.
pub struct Hall {
    pub point: PointId,
    pub counters: [CounterId; 2],
    pub service: ServiceId,
}

pub async fn hall(db: &Db, org: &Org, point_name: &str) -> Hall {
    let mut tx = db.write(org.id).await.unwrap();
    let new = NewService {
        name: &format!("รับชำระภาษี {point_name}"), division_id: None, standard_minutes: Some(10)
    };
    let service = prongsai::services::store::create(&mut tx, org.id, &new, "test").await.unwrap().unwrap();
    let rule = RuleInput { name: point_name, priority_every: 2, recall_limit: 2, rule_note: "" };
    let point = store::create_point(&mut tx, org.id, &rule, "test").await.unwrap().unwrap();
    store::set_point_service(&mut tx, org.id, point, service, "A", "test").await.unwrap().unwrap();
    let mut counters = [CounterId(0); 2];
    for (i, counter) in counters.iter_mut().enumerate() {
        let name = format!("ช่องบริการ {}", i + 1);
        *counter = store::create_counter(&mut tx, org.id, point, &name, &[service], "test").await.unwrap().unwrap();
    }
    tx.commit().await.unwrap();
    Hall { point, counters, service }
}

/// The organization's last queue event (what a step just wrote).
async fn last_event(db: &Db, org: &Org) -> i64 {
    sqlx::query_scalar("SELECT MAX(id) FROM queue_events WHERE org_id = $1")
        .bind(org.id.0)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// Issues the hall's next ticket as the kiosk does; returns (ticket, event id).
pub async fn issue(db: &Db, org: &Org, hall: &Hall) -> (TicketId, i64) {
    let new =
        NewTicket { point: hall.point, service: hall.service, priority: None, channel: Channel::Kiosk, client_key: "" };
    let ticket = tickets::issue(db, org, &new, "test", prongsai::queue::now_ms()).await.unwrap().unwrap();
    (ticket.id, last_event(db, org).await)
}

/// Calls `ticket` (the next in line) to the hall's counter `counter` (0 or 1) as the counter page
/// does; returns the event id.
pub async fn call(db: &Db, org: &Org, hall: &Hall, ticket: TicketId, counter: usize) -> i64 {
    let at = prongsai::queue::now_ms();
    tickets::call_chosen(db, org, hall.counters[counter], ticket, "", "test", at).await.unwrap().unwrap().unwrap();
    last_event(db, org).await
}

/// Serves and finishes the ticket at counter `counter`, so that it may call again.
pub async fn finish(db: &Db, org: &Org, hall: &Hall, ticket: TicketId, counter: usize) {
    let counter = hall.counters[counter];
    let at = prongsai::queue::now_ms();
    tickets::start(db, org, counter, ticket, "test", at).await.unwrap().unwrap().unwrap();
    tickets::finish(db, org, counter, ticket, "test", at).await.unwrap().unwrap().unwrap();
}

/// One server-sent event as a board receives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
}

impl SseEvent {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("{e}: {}", self.data))
    }
}

/// A board's stream read as EventSource reads it.
pub struct Stream {
    response: reqwest::Response,
    buffer: String,
}

impl Stream {
    pub async fn open(url: &str, last_event_id: Option<i64>) -> Stream {
        let mut request = reqwest::Client::new().get(url);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Stream { response, buffer: String::new() }
    }

    /// The next event (comments and bare `retry` fields skipped), None when the stream ended;
    /// panics after `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        tokio::time::timeout(wait, self.next_inner()).await.expect("an event within the wait")
    }

    /// The next `counts` event of `point`. On connecting, a board without a point filter gets every
    /// point's counts, possibly after a call already committed, so they may come first.
    pub async fn next_counts_of(&mut self, point: PointId, wait: Duration) -> SseEvent {
        loop {
            let event = self.next(wait).await.expect("the stream is open");
            if event.event.as_deref() == Some("counts") && event.json()["point"] == point.0 {
                return event;
            }
        }
    }

    /// The next data event (not `counts`).
    pub async fn next_queue_event(&mut self, wait: Duration) -> SseEvent {
        loop {
            let event = self.next(wait).await.expect("the stream is open");
            if event.event.is_none() {
                return event;
            }
        }
    }

    async fn next_inner(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent::default();
                let mut has_data = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        event.id = Some(v.trim_start().to_string());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event.event = Some(v.trim_start().to_string());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        if has_data {
                            event.data.push('\n');
                        }
                        event.data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        has_data = true;
                    }
                }
                if has_data {
                    return Some(event);
                }
                continue;
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(None) | Err(_) => return None,
            }
        }
    }
}

const WAIT: Duration = Duration::from_secs(10);

fn board_events(base: &str, org: &Org) -> String {
    format!("{base}/o/{}/queue/board/events", org.slug)
}

async fn metric(app: &crate::harness::TestApp, name: &str) -> i64 {
    let text = app.get_text("/metrics").await;
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("{name} in /metrics"))
        .parse()
        .unwrap()
}

on_both_databases! {
    async fn a_call_reaches_a_connected_board_with_its_id_label_counter_and_words(app: TestApp) {
        let hall = hall(&app.db, &app.org_a, "ห้องโถงชั้นล่าง").await;
        let (ticket, _) = issue(&app.db, &app.org_a, &hall).await;
        let mut board = Stream::open(&board_events(&app.url(""), &app.org_a), None).await;
        let called = call(&app.db, &app.org_a, &hall, ticket, 1).await;
        let event = board.next_queue_event(WAIT).await;
        assert_eq!(event.id, Some(called.to_string()), "the SSE id is the queue event's id");
        let json = event.json();
        assert_eq!(json["kind"], "call");
        assert_eq!(json["label"], "A001", "as printed on the ticket, though the demo organization writes Thai digits");
        assert_eq!(json["counter"], "ช่องบริการ ๒");
        assert_eq!(json["counter_id"], hall.counters[1].0);
        assert_eq!(json["announce"], true);
        assert_eq!(json["speech"], "หมายเลข เอ ศูนย์ ศูนย์ หนึ่ง เชิญที่ช่องบริการ สอง");
        assert_eq!(json["clips"][0], "number");
        // The waiting count follows the call: nobody waits any more.
        let counts = board.next_counts_of(hall.point, WAIT).await;
        let services = counts.json()["services"].as_array().unwrap().clone();
        let ours = services.iter().find(|s| s["service_id"] == hall.service.0).unwrap();
        assert_eq!(ours["waiting"], "๐");
    }

    async fn a_board_that_reconnects_with_last_event_id_gets_exactly_the_events_it_missed(app: TestApp) {
        let hall = hall(&app.db, &app.org_a, "ห้องโถงชั้นล่าง").await;
        let (first, seen) = issue(&app.db, &app.org_a, &hall).await;
        // The board saw `seen`, then lost its connection while these happened:
        let (second, issued) = issue(&app.db, &app.org_a, &hall).await;
        let called_first = call(&app.db, &app.org_a, &hall, first, 0).await;
        let called_second = call(&app.db, &app.org_a, &hall, second, 1).await;
        let mut board = Stream::open(&board_events(&app.url(""), &app.org_a), Some(seen)).await;
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(board.next_queue_event(WAIT).await.id.unwrap());
        }
        assert_eq!(got, [issued, called_first, called_second].map(|id| id.to_string()));
        // Then it is live again, without repeating anything.
        let (_, live) = issue(&app.db, &app.org_a, &hall).await;
        assert_eq!(board.next_queue_event(WAIT).await.id, Some(live.to_string()));
        // The page's own position (`after`) works as well, for a browser's first connection; the
        // browser's Last-Event-ID wins over it.
        let url = format!("{}?after={called_first}", board_events(&app.url(""), &app.org_a));
        let mut fresh = Stream::open(&url, None).await;
        assert_eq!(fresh.next_queue_event(WAIT).await.id, Some(called_second.to_string()));
        let mut resumed = Stream::open(&url, Some(called_second)).await;
        assert_eq!(resumed.next_queue_event(WAIT).await.id, Some(live.to_string()));
    }

    async fn another_organization_board_never_sees_this_organization_calls(app: TestApp) {
        let ours = hall(&app.db, &app.org_a, "ห้องโถง").await;
        let theirs = hall(&app.db, &app.org_b, "ห้องโถง").await;
        // From the very beginning (Last-Event-ID 0), and live.
        let mut their_board = Stream::open(&board_events(&app.url(""), &app.org_b), Some(0)).await;
        let (ticket, _) = issue(&app.db, &app.org_a, &ours).await;
        call(&app.db, &app.org_a, &ours, ticket, 0).await;
        let (their_ticket, their_issue) = issue(&app.db, &app.org_b, &theirs).await;
        let their_call = call(&app.db, &app.org_b, &theirs, their_ticket, 0).await;
        assert_eq!(their_board.next_queue_event(WAIT).await.id, Some(their_issue.to_string()));
        let event = their_board.next_queue_event(WAIT).await;
        assert_eq!(event.id, Some(their_call.to_string()));
        assert_eq!(event.json()["label"], "A001");
        // Another organization's point is not a point of this board, on the page or the stream.
        for path in [
            format!("/o/{}/queue/board?point={}", app.org_b.slug, ours.point),
            format!("/o/{}/queue/board/events?point={}", app.org_b.slug, ours.point),
            format!("/o/{}/queue/board?point=abc", app.org_a.slug),
            "/o/no-such-town/queue/board".to_string(),
            "/o/no-such-town/queue/board/events".to_string(),
        ] {
            assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let page = app.get_text(&format!("/o/{}/queue/board", app.org_b.slug)).await;
        assert!(!page.contains(&format!("data-counter=\"{}\"", ours.counters[0])), "{page}");
    }

    async fn a_point_board_shows_only_its_point(app: TestApp) {
        let upstairs = hall(&app.db, &app.org_a, "ชั้นบน").await;
        let downstairs = hall(&app.db, &app.org_a, "ชั้นล่าง").await;
        let url = format!("{}?point={}", board_events(&app.url(""), &app.org_a), downstairs.point);
        let mut board = Stream::open(&url, None).await;
        let (up, _) = issue(&app.db, &app.org_a, &upstairs).await;
        call(&app.db, &app.org_a, &upstairs, up, 0).await;
        let (down, _) = issue(&app.db, &app.org_a, &downstairs).await;
        let called = call(&app.db, &app.org_a, &downstairs, down, 0).await;
        let first = board.next_queue_event(WAIT).await;
        assert_eq!(first.json()["point"], downstairs.point.0);
        assert_eq!(first.json()["kind"], "issue");
        assert_eq!(board.next_queue_event(WAIT).await.id, Some(called.to_string()));
        let page = app.get_text(&format!("/o/{}/queue/board?point={}", app.org_a.slug, upstairs.point)).await;
        assert!(page.contains("ชั้นบน") && !page.contains("ชั้นล่าง"), "{page}");
    }

    async fn the_board_page_shows_each_counter_call_the_last_calls_and_who_waits_by_itself(app: TestApp) {
        let hall = hall(&app.db, &app.org_a, "ห้องโถงชั้นล่าง").await;
        let (first, _) = issue(&app.db, &app.org_a, &hall).await;
        let (second, _) = issue(&app.db, &app.org_a, &hall).await;
        let (third, _) = issue(&app.db, &app.org_a, &hall).await;
        issue(&app.db, &app.org_a, &hall).await;
        call(&app.db, &app.org_a, &hall, first, 1).await;
        let last = call(&app.db, &app.org_a, &hall, second, 0).await;
        let path = format!("/o/{}/queue/board", app.org_a.slug);
        let page = app.get_text(&path).await;
        let counter_text = |page: &str, counter: CounterId| {
            let card = page.split(&format!("data-counter=\"{counter}\"")).nth(1).unwrap();
            card[..card.find("</li>").unwrap()].to_string()
        };
        // Each counter shows its own call; the list keeps both, newest first, for who missed them.
        let card = counter_text(&page, hall.counters[0]);
        assert!(card.contains("A002") && card.contains("ช่องบริการ ๑"), "{card}");
        assert!(counter_text(&page, hall.counters[1]).contains("A001"));
        let recent = &page[page.find("id=\"board-recent\"").unwrap()..];
        assert!(recent.find("A002").unwrap() < recent.find("A001").unwrap(), "newest first: {recent}");
        let waiting = page.split(&format!("data-service=\"{}\"", hall.service)).nth(1).unwrap();
        assert!(waiting[..waiting.find("</tr>").unwrap()].contains("<td>๒</td>"), "two still wait: {waiting}");
        // Without JavaScript it refreshes itself; with it, the stream starts after this page.
        assert!(page.contains("<noscript><meta http-equiv=\"refresh\""));
        assert!(page.contains(&format!("/queue/board/events?after={last}\"")), "{page}");
        // Kept by the public cache, and fresh again after the next call.
        app.get_text(&path).await;
        finish(&app.db, &app.org_a, &hall, first, 1).await;
        call(&app.db, &app.org_a, &hall, third, 1).await;
        let page = app.get_text(&path).await;
        assert!(counter_text(&page, hall.counters[1]).contains("A003"), "{page}");
    }

    async fn many_boards_share_one_feed_and_one_read_per_change(app: TestApp) {
        let hall = hall(&app.db, &app.org_a, "ห้องโถง").await;
        let url = board_events(&app.url(""), &app.org_a);
        let mut boards = Vec::new();
        for _ in 0..20 {
            boards.push(Stream::open(&url, None).await);
        }
        assert_eq!(metric(&app, "prongsai_queue_board_feeds").await, 1);
        assert_eq!(metric(&app, "prongsai_queue_board_streams").await, 20);
        let reads = metric(&app, "prongsai_queue_board_feed_reads_total").await;
        let (ticket, _) = issue(&app.db, &app.org_a, &hall).await;
        let called = call(&app.db, &app.org_a, &hall, ticket, 0).await;
        for board in &mut boards {
            board.next_queue_event(WAIT).await;
            assert_eq!(board.next_queue_event(WAIT).await.id, Some(called.to_string()));
        }
        let read = metric(&app, "prongsai_queue_board_feed_reads_total").await - reads;
        assert!((1..=4).contains(&read), "two changes for 20 boards took {read} reads");
        drop(boards);
        // The feed stops at its next wake once the server has seen its boards go. Under load the
        // server may see the closed connections only after a first wake (seen once in the full
        // suite), so a change wakes it every half second.
        for i in 0..100 {
            if i % 10 == 0 {
                issue(&app.db, &app.org_a, &hall).await;
            }
            if metric(&app, "prongsai_queue_board_feeds").await == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(metric(&app, "prongsai_queue_board_feeds").await, 0);
        assert_eq!(metric(&app, "prongsai_queue_board_streams").await, 0);
    }

    async fn a_call_made_on_one_server_reaches_a_board_connected_to_another(app: TestApp) {
        let hall = hall(&app.db, &app.org_a, "ห้องโถง").await;
        let (other, stop_other) = app.second_server().await;
        let mut board = Stream::open(&board_events(&other, &app.org_a), None).await;
        // Made through this process's database handle: only the database (NOTIFY on PostgreSQL,
        // data_version on SQLite) tells the other server.
        let (ticket, issued) = issue(&app.db, &app.org_a, &hall).await;
        let called = call(&app.db, &app.org_a, &hall, ticket, 0).await;
        assert_eq!(board.next_queue_event(WAIT).await.id, Some(issued.to_string()));
        assert_eq!(board.next_queue_event(WAIT).await.id, Some(called.to_string()));
        // When that server stops, its streams end at once (the boards move to another server)
        // instead of holding the shutdown for its grace period.
        drop(stop_other);
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            while board.next(Duration::from_secs(5)).await.is_some() {}
        })
        .await;
        assert!(ended.is_ok(), "the stream ended when its server stopped");
    }

    async fn the_voice_clips_are_served_for_boards_without_a_thai_voice(app: TestApp) {
        let r = app.get("/static/audio/queue/digit-1.mp3").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "audio/mpeg");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"ID3") || (bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0), "an MP3");
        for missing in ["/static/audio/queue/digit-10.mp3", "/static/audio/queue/number.wav"] {
            assert_eq!(app.get(missing).await.status(), StatusCode::NOT_FOUND, "{missing}");
        }
        let js = app.get_text("/static/queue-board.js").await;
        assert!(js.contains("speechSynthesis") && js.contains("/static/audio/queue/"));
    }
}
