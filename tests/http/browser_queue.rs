//! The queue board in a real browser (headless Chromium over WebDriver), on both engines: a call
//! shows on the board without a reload, and after the server restarts the board reconnects by
//! itself and shows the call made meanwhile.

use crate::browser::Browser;
use crate::on_both_databases;
use crate::queue_board::{call, hall, issue};

on_both_databases! {
    async fn the_board_shows_calls_live_and_catches_up_by_itself_after_a_server_restart(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        let hall = hall(&app.db, &app.org_a, "ห้องโถงชั้นล่าง").await;
        let (first, _) = issue(&app.db, &app.org_a, &hall).await;
        b.client.goto(&app.url(&format!("/o/{}/queue/board", app.org_a.slug))).await.unwrap();
        b.find("body[data-connected='1']").await;
        // Sound needs a touch once.
        b.click("#board-sound").await;
        call(&app.db, &app.org_a, &hall, first, 0).await;
        let counter = format!("[data-counter='{}'] .counter-ticket", hall.counters[0]);
        b.wait_for_text(&counter, "A๐๐๑").await;
        b.wait_for_text("#board-recent", "A๐๐๑").await;
        let said = b.find("body[data-last-said]").await.attr("data-last-said").await.unwrap().unwrap();
        assert_eq!(said, "หมายเลข เอ ศูนย์ ศูนย์ หนึ่ง เชิญที่ช่องบริการ หนึ่ง");

        // A mark in the page's memory: gone if the page were loaded again.
        b.client.execute("window.sameBoard = 42", vec![]).await.unwrap();

        // The server restarts; a call is made while the board is away.
        let (second, _) = issue(&app.db, &app.org_a, &hall).await;
        app.restart().await;
        call(&app.db, &app.org_a, &hall, second, 1).await;
        let counter = format!("[data-counter='{}'] .counter-ticket", hall.counters[1]);
        b.wait_for_text(&counter, "A๐๐๒").await;
        let recent = b.wait_for_text("#board-recent", "A๐๐๒").await;
        assert!(recent.find("A๐๐๒").unwrap() < recent.find("A๐๐๑").unwrap(), "{recent}");
        let kept = b.client.execute("return window.sameBoard", vec![]).await.unwrap();
        assert_eq!(kept, serde_json::json!(42), "the board caught up without a reload");
        b.finish().await;
    }
}
