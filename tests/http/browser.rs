//! Lending in a real browser: a headless Chromium driven over WebDriver (chromedriver), on both
//! engines. After the login page no URL is typed: every page is reached by clicking what the
//! previous page offers, as a person would.
//!
//! Without Chromium the test says so loudly on the terminal and passes outside CI; in CI (`CI`
//! set) it fails: scripts/test.sh installs chromium and chromium-driver.

use std::io::Write as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::harness::{PASSWORD, TestApp, in_ci};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver process with one Chromium session; the driver is killed when this is dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Our own child, by its handle; its Chromium exits with the session (closed by `finish`).
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile, or None (outside CI)
    /// when they are not installed.
    pub async fn start() -> Option<Browser> {
        let missing: Vec<&str> =
            [CHROMIUM, CHROMEDRIVER].into_iter().filter(|p| !std::path::Path::new(p).exists()).collect();
        if !missing.is_empty() {
            assert!(
                !in_ci(),
                "CI is set but {missing:?} is missing: the browser test cannot run (apt-get install chromium chromium-driver, \
                 as scripts/test.sh does)"
            );
            let _ = writeln!(
                std::io::stderr(),
                "\n*** browser test SKIPPED: {missing:?} not installed (apt-get install chromium chromium-driver) ***\n"
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,2000", format!("--user-data-dir={}", profile.path().display()),
                ],
            }
        });
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("an object literal"),
        };
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver needs a moment to listen: poll its port (bounded), no fixed sleep.
        let mut last_error = None;
        for _ in 0..100 {
            let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(caps.clone());
            match builder.connect(&url).await {
                Ok(client) => return Some(Browser { client, driver, _profile: profile }),
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start a Chromium session: {last_error:?}");
    }

    /// Ends the session (Chromium quits), then the driver.
    pub async fn finish(self) {
        let _ = self.client.clone().close().await;
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => {
                let url = self.client.current_url().await.map(|u| u.to_string());
                panic!("no element {css} on {url:?}: {e}\n{}", self.source().await)
            }
        }
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks the link whose text is exactly `text`, inside the element `within` (a CSS selector).
    pub async fn click_link(&self, within: &str, text: &str) {
        let scope = self.find(within).await;
        let links = scope.find_all(Locator::Css("a")).await.unwrap();
        for link in links {
            if link.text().await.unwrap().trim() == text {
                link.click().await.unwrap();
                return;
            }
        }
        panic!("no link “{text}” in {within} on {}", self.source().await);
    }

    /// Waits (at most 10 s) until the element's text contains `needle`: after a click that posts a
    /// form, the next page may not have loaded yet.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if text.contains(needle) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed “{needle}” (last: “{last}”):\n{}", self.source().await)
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css).await.prop("value").await.unwrap().unwrap_or_default()
    }

    pub async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// Logs in on the login page: the one URL typed.
    pub async fn login(&self, app: &TestApp, username: &str) {
        self.client.goto(&app.url("/login?org=mae-khatuan")).await.unwrap();
        self.type_into("#username", username).await;
        self.type_into("#password", PASSWORD).await;
        self.click("form[action='/login'] button[type=submit]").await;
        self.find("nav[aria-label='เมนูหลัก']").await;
    }

    /// Logs out with the menu's button.
    pub async fn logout(&self) {
        self.click("form[action='/logout'] button").await;
        self.find("#username").await;
    }
}
