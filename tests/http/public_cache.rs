//! The public page cache (issue 13): pages kept compressed, served with ETags, invalidated for
//! exactly the organization that changed, on every server process; the paged, searchable root page.

use std::io::Read as _;
use std::time::{Duration, Instant};

use prongsai::thai::Digits;
use reqwest::StatusCode;

use crate::harness::TestApp;

const REPORT: &str = "/o/mae-khatuan/ita/2566/measures";
const HOME_A: &str = "/o/mae-khatuan/";
const HOME_B: &str = "/o/other-town/";

/// A counter (with its labels, if any, as in `name{label="…"}`) on `/metrics` of the server at `base`.
pub(crate) async fn counter(client: &reqwest::Client, base: &str, name: &str) -> u64 {
    let text = client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    let line = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("{name} on /metrics"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

pub(crate) async fn hits(client: &reqwest::Client, base: &str) -> u64 {
    counter(client, base, "prongsai_public_cache_hits_total").await
}

async fn misses(client: &reqwest::Client, base: &str) -> u64 {
    counter(client, base, "prongsai_public_cache_misses_total").await
}

async fn get_with(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// `n` visitors asking for `path` at the same moment: each one's status and body.
async fn at_once(app: &TestApp, path: &str, n: usize) -> Vec<(StatusCode, String)> {
    let mut visitors = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, url) = (app.client.clone(), app.url(path));
        visitors.spawn(async move {
            let response = client.get(&url).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        });
    }
    visitors.join_all().await
}

/// Requests `path` until the server answers it from its cache (the watcher of other processes'
/// changes starts with the server; until it runs nothing is kept). Bounded, not timed.
pub(crate) async fn until_served_from_cache(client: &reqwest::Client, base: &str, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let before = hits(client, base).await;
        assert_eq!(client.get(format!("{base}{path}")).send().await.unwrap().status(), StatusCode::OK);
        if hits(client, base).await > before {
            return;
        }
        assert!(Instant::now() < deadline, "{path} was never served from the cache");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `path` on `base` until its page contains `text` (another process's change arrives
/// through the database; the wait is bounded, its length is not asserted).
async fn until_page_contains(client: &reqwest::Client, base: &str, path: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = client.get(format!("{base}{path}")).send().await.unwrap().text().await.unwrap();
        if page.contains(text) {
            return;
        }
        assert!(Instant::now() < deadline, "{path} never showed {text:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

/// Inserts `n` organizations in one statement (the root page's load, not their contents).
async fn insert_orgs(app: &TestApp, n: usize) {
    app.raw_sql(&format!(
        "INSERT INTO orgs (slug, name, short_name, kind, province, district, digits, created_at)
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})
         SELECT 'town-' || i, 'เทศบาลตำบลบ้านใหม่ที่ ' || i, 'ทต.บ้านใหม่ที่ ' || i, 'เทศบาลตำบล',
                CASE WHEN i % 2 = 0 THEN 'เชียงใหม่' ELSE 'น่าน' END, 'เมือง', 'thai', 0 FROM k"
    ))
    .await
    .unwrap();
}

/// The root page for a search (as the form sends it) and a page number.
async fn search(app: &TestApp, q: &str, page: Option<usize>) -> String {
    let mut path = format!("/?q={}", urlencoding::encode(q));
    if let Some(n) = page {
        path.push_str(&format!("&page={n}"));
    }
    app.get_text(&path).await
}

fn org_links(page: &str) -> usize {
    page.matches("<li><a href=\"/o/").count()
}

crate::on_both_databases! {
    async fn compressed_bodies_decode_to_the_page_and_conditional_gets_answer_304(app: TestApp) {
        until_served_from_cache(&app.client, &format!("http://{}", app.addr), REPORT).await;
        let url = app.url(REPORT);
        let plain = get_with(&app.client, &url, &[("accept-encoding", "identity")]).await;
        assert_eq!(plain.status(), StatusCode::OK);
        assert!(plain.headers().get("content-encoding").is_none());
        assert_eq!(plain.headers()["vary"], "accept-encoding");
        assert!(plain.headers()["cache-control"].to_str().unwrap().contains("no-cache"));
        let plain_etag = plain.headers()["etag"].to_str().unwrap().to_string();
        let identity = plain.bytes().await.unwrap();
        assert!(String::from_utf8_lossy(&identity).contains("<html"));

        let gz = get_with(&app.client, &url, &[("accept-encoding", "gzip, deflate")]).await;
        assert_eq!(gz.headers()["content-encoding"], "gzip");
        assert_eq!(gz.headers()["vary"], "accept-encoding");
        let gz_etag = gz.headers()["etag"].to_str().unwrap().to_string();
        let gz_body = gz.bytes().await.unwrap();
        assert!(gz_body.len() < identity.len());
        assert_eq!(gunzip(&gz_body), identity);

        let br = get_with(&app.client, &url, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(br.headers()["content-encoding"], "br");
        let br_etag = br.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(unbrotli(&br.bytes().await.unwrap()), identity);
        assert!(plain_etag != gz_etag && gz_etag != br_etag && plain_etag != br_etag, "one ETag per body");

        // q-values: refused codings are not sent, the higher q wins.
        let refused = get_with(&app.client, &url, &[("accept-encoding", "br;q=0, gzip;q=0")]).await;
        assert!(refused.headers().get("content-encoding").is_none());
        assert_eq!(refused.bytes().await.unwrap(), identity);
        let gzip_preferred = get_with(&app.client, &url, &[("accept-encoding", "br;q=0.2, gzip;q=0.9")]).await;
        assert_eq!(gzip_preferred.headers()["content-encoding"], "gzip");

        // Conditional GET: the tag of the body the client holds gives 304 without a body.
        let again = get_with(&app.client, &url, &[("accept-encoding", "gzip"), ("if-none-match", &gz_etag)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(again.headers()["etag"], gz_etag.as_str());
        assert!(again.bytes().await.unwrap().is_empty());
        let other = get_with(&app.client, &url, &[("accept-encoding", "gzip"), ("if-none-match", "\"nope\"")]).await;
        assert_eq!(other.status(), StatusCode::OK);

        // The home page is compressed too; a PDF is sent as it is.
        let home = get_with(&app.client, &app.url(HOME_A), &[("accept-encoding", "br")]).await;
        assert_eq!(home.headers()["content-encoding"], "br");
        let pdf = get_with(&app.client, &app.url(&format!("{REPORT}.pdf")), &[("accept-encoding", "gzip, br")]).await;
        assert_eq!(pdf.status(), StatusCode::OK);
        assert!(pdf.headers().get("content-encoding").is_none());
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    }

    async fn a_change_of_one_organization_invalidates_its_pages_only(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, HOME_A).await;
        until_served_from_cache(&app.client, &base, HOME_B).await;
        assert!(app.get_text(HOME_A).await.contains("พ.ศ. ๒๕๖๖"));

        // Organization A switches to Arabic digits (an audited write through Db::write).
        prongsai::orgs::store::set_digits(&app.db, app.org_a.id, Digits::Arabic, "test").await.unwrap();

        let before = hits(&app.client, &base).await;
        let home_a = app.get_text(HOME_A).await;
        assert!(home_a.contains("พ.ศ. 2566"), "A's change shows at once");
        assert_eq!(hits(&app.client, &base).await, before, "A's page was rendered afresh");
        let home_b = app.get(HOME_B).await;
        assert_eq!(home_b.status(), StatusCode::OK);
        assert_eq!(hits(&app.client, &base).await, before + 1, "B's page is still served from the cache");
        // And A's new page is kept from now on.
        app.get_text(HOME_A).await;
        assert_eq!(hits(&app.client, &base).await, before + 2);
        // Also after the change watcher reported this process's own write (PostgreSQL's NOTIFY at
        // once, SQLite's poll within 150 ms): it was announced at commit, the page rendered since
        // stays.
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        app.get_text(HOME_A).await;
        assert_eq!(hits(&app.client, &base).await, before + 3, "the watcher's report of our own write kept the page");
    }

    async fn a_stale_page_asked_for_by_many_at_once_is_rendered_once(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, REPORT).await;
        let unchanged = app.get_text(REPORT).await;
        // A change makes the kept report stale; then 32 visitors ask for it at the same moment.
        prongsai::orgs::store::set_digits(&app.db, app.org_a.id, Digits::Arabic, "test").await.unwrap();
        let before = misses(&app.client, &base).await;
        let pages = at_once(&app, REPORT, 32).await;
        assert!(pages.iter().all(|(status, _)| *status == StatusCode::OK));
        // One rendered it; the others waited for that render instead of making their own.
        assert_eq!(misses(&app.client, &base).await, before + 1);
        // (The published report is frozen: the same text, rendered again after the change.)
        assert!(pages.iter().all(|(_, page)| *page == unchanged), "every visitor got the whole page");
    }

    async fn a_path_never_kept_makes_no_one_wait(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, REPORT).await;
        let before = counter(&app.client, &base, "prongsai_public_cache_waits_total").await;
        // An unknown organization (404, never kept), asked for by many at once: each is answered
        // on its own, none queued behind another's answer.
        for (status, _) in at_once(&app, "/o/no-such-town/", 32).await {
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
        assert_eq!(counter(&app.client, &base, "prongsai_public_cache_waits_total").await, before);
    }

    async fn publishing_a_new_version_shows_at_once_on_the_report_page(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, REPORT).await;
        let first = app.get_text(REPORT).await;
        let number = app.publish_report(2566).await;
        let latest = app.get_text(REPORT).await;
        assert_ne!(first, latest);
        let version = format!("{REPORT}/v/{number}");
        assert!(latest.contains(&version), "the latest page is version {number}");
    }

    async fn another_server_on_the_same_database_sees_the_change(app: TestApp) {
        let (second, _stop) = app.second_server().await;
        let client = new_client();
        until_served_from_cache(&client, &second, HOME_A).await;
        until_served_from_cache(&client, &second, HOME_B).await;
        // The write is made by this process (the first server's pool), not the second server.
        prongsai::orgs::store::set_digits(&app.db, app.org_a.id, Digits::Arabic, "test").await.unwrap();
        until_page_contains(&client, &second, HOME_A, "พ.ศ. 2566").await;
        // B was not touched: still served from the second server's cache.
        let before = hits(&client, &second).await;
        assert_eq!(client.get(format!("{second}{HOME_B}")).send().await.unwrap().status(), StatusCode::OK);
        assert_eq!(hits(&client, &second).await, before + 1);
    }

    async fn a_page_rendered_while_writes_commit_is_not_kept_stale(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, HOME_A).await;
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let client = app.client.clone();
                let url = app.url(HOME_A);
                tokio::spawn(async move {
                    for _ in 0..30 {
                        client.get(&url).send().await.unwrap().bytes().await.unwrap();
                    }
                })
            })
            .collect();
        for i in 0..10 {
            let digits = if i % 2 == 0 { Digits::Arabic } else { Digits::Thai };
            prongsai::orgs::store::set_digits(&app.db, app.org_a.id, digits, "test").await.unwrap();
        }
        // The last write leaves Thai digits: whatever was rendered meanwhile, the page says so.
        for reader in readers {
            reader.await.unwrap();
        }
        let page = app.get_text(HOME_A).await;
        assert!(page.contains("พ.ศ. ๒๕๖๖") && !page.contains("พ.ศ. 2566"));
    }

    async fn nothing_of_another_organization_or_of_a_draft_comes_through_the_cache(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, REPORT).await;
        until_served_from_cache(&app.client, &base, HOME_A).await;
        let home_b = app.get_text(HOME_B).await;
        assert!(home_b.contains("เทศบาลตำบลทดสอบ"));
        assert!(!home_b.contains("แม่คะตวน"), "B's page shows nothing of A");
        // B has no published report (a draft at most): not found, however often it is asked.
        for _ in 0..3 {
            assert_eq!(app.get("/o/other-town/ita/2566/measures").await.status(), StatusCode::NOT_FOUND);
        }
        // Unknown organizations and query strings are not kept: the cache does not grow.
        let entries = counter(&app.client, &base, "prongsai_public_cache_entries").await;
        for i in 0..20 {
            assert_eq!(app.get(&format!("/o/no-such-town-{i}/")).await.status(), StatusCode::NOT_FOUND);
            assert_eq!(app.get(&format!("{HOME_A}?x={i}")).await.status(), StatusCode::OK);
        }
        assert_eq!(counter(&app.client, &base, "prongsai_public_cache_entries").await, entries);
    }

    async fn the_root_page_is_paged_and_searchable_in_thai(app: TestApp) {
        insert_orgs(&app, 1000).await;
        let first = app.get_text("/").await;
        assert_eq!(org_links(&first), 50, "one page holds 50 organizations, not 1,002");
        assert!(first.contains("หน่วยงานทั้งหมด ๑,๐๐๒ แห่ง หน้า ๑ จาก ๒๑"));
        assert!(first.contains("<nav aria-label=\"หน้ารายชื่อหน่วยงาน\">"));
        assert!(first.contains("href=\"/\" aria-current=\"page\""));
        assert!(first.contains("href=\"/?page=2\" rel=\"next\""));
        let last = app.get_text("/?page=21").await;
        assert_eq!(org_links(&last), 2);
        assert!(last.contains("href=\"/?page=20\" rel=\"prev\""));
        assert_eq!(app.get("/?page=22").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/?page=0").await.status(), StatusCode::NOT_FOUND);
        // Every organization appears on exactly one page.
        let mut seen = 0;
        for n in 1..=21 {
            seen += org_links(&app.get_text(&format!("/?page={n}")).await);
        }
        assert_eq!(seen, 1002);

        // Thai search, several words, without JavaScript (a plain GET form).
        assert!(first.contains("<form method=\"get\" action=\"/\" role=\"search\">"));
        let found = search(&app, "แม่คะตวน", None).await;
        assert_eq!(org_links(&found), 1);
        assert!(found.contains("/o/mae-khatuan/"));
        let province = search(&app, "น่าน บ้านใหม่ที่ 99", None).await;
        // Odd numbers are in น่าน: 99, 199, …, 999 (10) and 991, 993, 995, 997.
        assert_eq!(org_links(&province), 14, "{province}");
        let many = search(&app, "เชียงใหม่", Some(2)).await;
        assert_eq!(org_links(&many), 50);
        assert!(many.contains("หน่วยงานที่ตรงกับ \"เชียงใหม่\" ๕๐๐ แห่ง หน้า ๒ จาก ๑๐"));
        assert!(many.contains("href=\"/?q=%E0%B9%80%E0%B8%8A%E0%B8%B5%E0%B8%A2%E0%B8%87%E0%B9%83%E0%B8%AB%E0%B8%A1%E0%B9%88&#38;page=3\""), "{many}");
        let none = search(&app, "ไม่มีชื่อนี้", None).await;
        assert_eq!(org_links(&none), 0);
        assert!(none.contains("ไม่พบหน่วยงานที่ตรงกับ"));
    }

    async fn a_new_organization_shows_at_once_on_the_cached_root_page(app: TestApp) {
        let base = format!("http://{}", app.addr);
        until_served_from_cache(&app.client, &base, "/").await;
        prongsai::orgs::store::create(
            &app.db,
            &prongsai::orgs::store::NewOrg {
                slug: "new-town",
                name: "เทศบาลตำบลใหม่ล่าสุด",
                kind: "เทศบาลตำบล",
                province: "ลำปาง",
                district: "เกาะคา",
                divisions: &[],
            },
            "test",
        )
        .await
        .unwrap();
        assert!(app.get_text("/").await.contains("เทศบาลตำบลใหม่ล่าสุด"));
    }
}
