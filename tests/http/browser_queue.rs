//! The queue in a real browser (headless Chromium over WebDriver), on both engines: a ticket taken
//! at the kiosk, called from the counter page, shows on the board and is said; the server
//! restarts, and the board (never reloaded) reconnects by itself and shows the next call.

use crate::browser::Browser;
use crate::harness::DEMO_ADMIN;
use crate::on_both_databases;
use crate::queue_support::DemoQueue;

/// The demo point's newest ticket as (id, label); the counter page and the board show the label
/// as printed, though the organization writes Thai digits.
async fn newest_ticket(app: &crate::harness::TestApp, queue: &DemoQueue) -> Option<(i64, String)> {
    sqlx::query_as("SELECT id, label FROM queue_tickets WHERE org_id = $1 AND point_id = $2 ORDER BY id DESC LIMIT 1")
        .bind(app.org_a.id.0)
        .bind(queue.point.id.0)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap()
}

/// Presses a kiosk button and waits until the server has stored the ticket it issued: the page
/// that was open before the press also has a body, so the page alone cannot say the press landed.
async fn take_ticket(b: &Browser, app: &crate::harness::TestApp, queue: &DemoQueue, button: &str) -> String {
    let before = newest_ticket(app, queue).await.map(|(id, _)| id);
    b.click(button).await;
    for _ in 0..100 {
        if let Some((id, label)) = newest_ticket(app, queue).await
            && Some(id) != before
        {
            return label;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the kiosk press stored no ticket within 10 s");
}

on_both_databases! {
    async fn a_kiosk_ticket_called_at_the_counter_shows_on_the_board_which_catches_up_after_a_restart(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        let queue = DemoQueue::load(&app).await;
        // The counter that serves the first of its services, and that service's kiosk button.
        let counter = &queue.counters[0];
        let service = counter.services[0];
        b.login(&app, DEMO_ADMIN).await;
        b.client.goto(&app.url(&format!("/app/queue/points/{}", queue.point.id))).await.unwrap();
        b.type_into("#kiosk_name", "ตู้หน้าประตู").await;
        b.click("#authorise-kiosk").await;
        let kiosk_button = format!("button.kiosk-service[value='{service}']");
        let first = take_ticket(&b, &app, &queue, &kiosk_button).await;

        // The board in its own window, sound on.
        let staff = b.client.window().await.unwrap();
        let board = b.client.new_window(false).await.unwrap().handle;
        b.client.switch_to_window(board.clone()).await.unwrap();
        b.client.goto(&app.url(&format!("/o/{}/queue/board", app.org_a.slug))).await.unwrap();
        b.find("body[data-connected='1']").await;
        b.click("#board-sound").await;

        // The officer calls the next ticket at the counter page.
        b.client.switch_to_window(staff.clone()).await.unwrap();
        b.client.goto(&app.url(&format!("/app/queue/counters/{}", counter.id))).await.unwrap();
        b.click("#call-next").await;
        b.wait_for_text("#current-label", &first).await;

        b.client.switch_to_window(board.clone()).await.unwrap();
        let card = format!("[data-counter='{}'] .counter-ticket", counter.id);
        b.wait_for_text(&card, &first).await;
        b.wait_for_text("#board-recent", &first).await;
        let said = b.find("body[data-last-said]").await.attr("data-last-said").await.unwrap().unwrap();
        assert!(said.starts_with("หมายเลข ") && said.contains(" เชิญที่ช่องบริการ "), "{said}");
        // A mark in the page's memory: gone if the page were loaded again.
        b.client.execute("window.sameBoard = 42", vec![]).await.unwrap();

        // The server restarts; meanwhile the officer finishes, a second ticket is taken and called.
        app.restart().await;
        b.client.switch_to_window(staff.clone()).await.unwrap();
        b.client.goto(&app.url(&format!("/o/{}/queue/kiosk", app.org_a.slug))).await.unwrap();
        let second = take_ticket(&b, &app, &queue, &kiosk_button).await;
        assert_ne!(second, first);
        b.client.goto(&app.url(&format!("/app/queue/counters/{}", counter.id))).await.unwrap();
        b.click("form[action$='/start'] button").await;
        b.click("form[action$='/finish'] button").await;
        b.click("#call-next").await;
        b.wait_for_text("#current-label", &second).await;

        b.client.switch_to_window(board).await.unwrap();
        b.wait_for_text(&card, &second).await;
        let recent = b.wait_for_text("#board-recent", &second).await;
        assert!(recent.find(&second).unwrap() < recent.find(&first).unwrap(), "{recent}");
        let kept = b.client.execute("return window.sameBoard", vec![]).await.unwrap();
        assert_eq!(kept, serde_json::json!(42), "the board caught up without a reload");
        b.finish().await;
    }
}
