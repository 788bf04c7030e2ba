//! The measure form in headless Chromium: typing marks the page as holding unsaved text and makes
//! /static/unsaved.js ask the browser to prompt before leaving (`beforeunload`); submitting clears
//! that, and the save is confirmed on the page it lands on. A page refused by the server starts
//! out unsaved.
//!
//! What is asserted, honestly: headless Chromium under chromedriver leaves the page without
//! showing the "leave site?" prompt (tried with `unhandledPromptBehavior: ignore`), so the test
//! asks the page's own handler: a cancelable `beforeunload` event dispatched to the window is
//! cancelled (the browser's signal to prompt) exactly while typing is unsaved.

use fantoccini::Locator;

use crate::browser::Browser;
use crate::harness::DEMO_STAFF;

const TITLE: &str = "จัดทำคู่มือมาตรฐานการปฏิบัติงาน";
const TYPED: &str = "มีผู้ยืมพัสดุตามคู่มือ ๑๒ ราย";

/// Whether the page says it holds unsaved text (`<html data-unsaved="yes">`).
async fn unsaved(b: &Browser) -> bool {
    let v = b.client.execute("return document.documentElement.getAttribute('data-unsaved');", vec![]).await.unwrap();
    v.as_str() == Some("yes")
}

/// Whether leaving now would make the browser ask: the page's `beforeunload` handler cancels
/// the event (what a real navigation would turn into the "leave site?" prompt).
async fn would_ask_before_leaving(b: &Browser) -> bool {
    let script =
        "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;";
    b.client.execute(script, vec![]).await.unwrap().as_bool().unwrap()
}

/// From the menu to the measure's page, as a person finds it.
async fn open_measure(b: &Browser) {
    b.click_link("nav[aria-label='เมนูหลัก']", "มาตรการ ITA").await;
    let links = b.find("main").await.find_all(Locator::Css("a[href^='/app/measures/']")).await.unwrap();
    for link in links {
        if link.text().await.unwrap().contains(TITLE) {
            link.click().await.unwrap();
            b.find("#measure-form").await;
            return;
        }
    }
    panic!("no link to “{TITLE}”:\n{}", b.source().await);
}

crate::on_both_databases! {
    async fn leaving_the_measure_form_with_unsaved_typing_asks_first_and_saving_does_not(app: TestApp) {
        let Some(b) = Browser::start().await else { return };
        b.login(&app, DEMO_STAFF).await;
        open_measure(&b).await;
        assert!(!unsaved(&b).await && !would_ask_before_leaving(&b).await, "a page as served holds nothing unsaved");

        b.find("#results").await.send_keys(&format!("\n{TYPED}")).await.unwrap();
        assert!(unsaved(&b).await, "typing marks the page");
        assert!(would_ask_before_leaving(&b).await, "leaving now asks first");

        // Typing then taking it back is nothing to lose.
        let results = b.value("#results").await;
        b.type_into("#results", results.trim_end_matches(TYPED).trim_end()).await;
        assert!(!unsaved(&b).await && !would_ask_before_leaving(&b).await);
        b.find("#results").await.send_keys(&format!("\n{TYPED}")).await.unwrap();
        assert!(would_ask_before_leaving(&b).await);

        // Submitting clears the warning (a synthetic submit event runs the page's handler
        // without sending the form), then the real save lands on the confirmation.
        b.client
            .execute("document.getElementById('measure-form').dispatchEvent(new Event('submit', {cancelable: true}));", vec![])
            .await
            .unwrap();
        assert!(!unsaved(&b).await && !would_ask_before_leaving(&b).await, "submitting clears the warning");
        b.click("#measure-form button[type=submit]").await;
        let saved = b.wait_for_text("#saved", "แล้ว").await;
        assert!(saved.starts_with("บันทึกมาตรการ “") && saved.contains(TITLE), "{saved}");
        assert!(b.value("#results").await.ends_with(TYPED), "the typing was saved");
        assert!(!would_ask_before_leaving(&b).await);

        // A save the server refuses comes back with the typing, unsaved from the start.
        b.type_into("#progress", "๑๕๐").await;
        b.click("#measure-form button[type=submit]").await;
        b.wait_for_text(".error-summary", "ยังไม่ได้บันทึก").await;
        assert_eq!(b.value("#progress").await, "๑๕๐");
        assert!(would_ask_before_leaving(&b).await, "the echoed text is not saved yet");
        b.finish().await;
    }
}
