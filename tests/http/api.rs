//! The open JSON API (issue 18), on both engines: its OpenAPI document is valid OpenAPI 3.1; a
//! walk calls every path it lists and checks each answer against its schema (and fails when a
//! path is not called); lists are paged with `Link` headers; answers carry strong ETags (`304`)
//! that change with the data; a client over the rate limit gets `429`; drafts and other
//! organizations' data never appear, and no person's name, username or phone is in any answer.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{SpawnOptions, TestApp, new_client, spawn_app_with};

const DOC: &str = "/api/v1/openapi.json";
/// Where the document is loaded for the schema validator (its `$ref`s are relative to it).
const BASE: &str = "http://prongsai.test/openapi.json";

/// The document, its schemas compiled by a JSON Schema (2020-12) validator.
struct Contract {
    doc: Value,
    compiler: boon::Compiler,
    schemas: boon::Schemas,
}

/// A JSON pointer token (RFC 6901).
fn token(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

impl Contract {
    async fn fetch(app: &TestApp) -> Contract {
        let r = new_client().get(app.url(DOC)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/json");
        let text = r.text().await.unwrap();
        let doc: Value = serde_json::from_str(&text).expect("the document is JSON");
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        compiler.enable_format_assertions();
        compiler.add_resource(BASE, doc.clone()).unwrap();
        Contract { doc, compiler, schemas: boon::Schemas::new() }
    }

    /// Validates `body` against the schema at `pointer` in the document.
    fn check(&mut self, pointer: &str, body: &Value, what: &str) {
        let index = self
            .compiler
            .compile(&format!("{BASE}#{pointer}"), &mut self.schemas)
            .unwrap_or_else(|e| panic!("{what}: the schema at {pointer} does not compile: {e:#}"));
        if let Err(e) = self.schemas.validate(body, index) {
            panic!("{what}: the answer does not match {pointer}: {e:#}\n{body:#}");
        }
    }

    /// The schema of `path`'s `status` answer, following a `$ref` to a shared response.
    fn answer_schema(&self, path: &str, status: &str) -> String {
        let mut pointer = format!("/paths/{}/get/responses/{status}", token(path));
        let response = self.doc.pointer(&pointer).unwrap_or_else(|| panic!("{path} documents no {status}"));
        if let Some(target) = response.get("$ref").and_then(Value::as_str) {
            pointer = target.trim_start_matches('#').to_string();
        }
        format!("{pointer}/content/application~1json/schema")
    }

    fn paths(&self) -> Vec<String> {
        self.doc["paths"].as_object().unwrap().keys().cloned().collect()
    }
}

/// The demo organization's years each path with `{year}` is called with.
fn year_for(path: &str) -> String {
    if path.contains("/reports/") {
        "2566".into() // the demo's published report
    } else if path.contains("/ita-scores/") {
        "2565".into() // the demo's latest ITA result
    } else {
        prongsai::thai::FiscalYear::of(prongsai::thai::today_in_thailand()).be().to_string()
    }
}

/// GET `path` as a citizen: the status and the body as JSON (Null when empty).
async fn get_json(app: &TestApp, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let r = new_client().get(app.url(path)).send().await.unwrap();
    let (status, headers) = (r.status(), r.headers().clone());
    let text = r.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"))
    };
    (status, headers, body)
}

/// Calls every path of the document for `slug` and checks each `200` against its schema and
/// documented headers; returns the bodies by path. Fails when a path of the document was not
/// called.
async fn walk(app: &TestApp, contract: &mut Contract, slug: &str) -> BTreeMap<String, Value> {
    let mut bodies = BTreeMap::new();
    for path in contract.paths() {
        let called = path.replace("{slug}", slug).replace("{year}", &year_for(&path));
        let (status, headers, body) = get_json(app, &called).await;
        assert_eq!(status, StatusCode::OK, "GET {called}: {body}");
        let schema = contract.answer_schema(&path, "200");
        contract.check(&schema, &body, &called);
        let documented = &contract.doc["paths"][&path]["get"]["responses"]["200"]["headers"];
        for name in documented.as_object().unwrap().keys() {
            assert!(headers.contains_key(name.as_str()), "{called} lacks its documented {name} header");
        }
        assert_eq!(headers["access-control-allow-origin"], "*", "{called}");
        bodies.insert(path, body);
    }
    let called: BTreeSet<&String> = bodies.keys().collect();
    let documented: BTreeSet<String> = contract.paths().into_iter().collect();
    assert_eq!(called, documented.iter().collect(), "every documented path is called");
    bodies
}

/// Every string in a JSON value.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

crate::on_both_databases! {
    async fn the_openapi_document_is_valid_and_every_path_answers_as_it_documents(app: TestApp) {
        let mut contract = Contract::fetch(&app).await;
        // The typed OpenAPI 3.1 model reads it, and every reference in it resolves.
        let text = serde_json::to_string(&contract.doc).unwrap();
        let spec = oas3::from_json(&text).expect("an OpenAPI 3.1 document");
        let version = spec.validate_version().expect("a version this model supports");
        assert_eq!((version.major, version.minor), (3, 1));
        let mut operations = 0;
        for (path, method, operation) in spec.operations() {
            operations += 1;
            assert_eq!(method.as_str(), "GET", "{path}: read-only");
            let raw = operation.responses.as_ref().map_or(0, |r| r.len());
            let responses = operation.responses(&spec);
            assert_eq!(responses.len(), raw, "{path}: every response resolves");
            for status in ["200", "304", "429"] {
                assert!(responses.contains_key(status), "{path} documents {status}");
            }
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{path} documents its 404");
            }
            for (status, response) in &responses {
                for (name, header) in &response.headers {
                    header.resolve(&spec).unwrap_or_else(|e| panic!("{path} {status} header {name}: {e}"));
                }
            }
            let parameters = operation.parameters(&spec).unwrap();
            assert_eq!(parameters.len(), operation.parameters.len(), "{path}: every parameter resolves");
            for name in path.split('{').skip(1).map(|p| p.split('}').next().unwrap()) {
                assert!(parameters.iter().any(|p| p.name == name), "{path} documents its {{{name}}}");
            }
        }
        assert_eq!(operations, contract.paths().len(), "one GET a path, nothing else");
        // Every schema is a valid JSON Schema 2020-12 (checked against the meta-schema on compiling).
        let names: Vec<String> = contract.doc["components"]["schemas"].as_object().unwrap().keys().cloned().collect();
        for name in names {
            contract.compiler.compile(&format!("{BASE}#/components/schemas/{name}"), &mut contract.schemas).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        }
        // The server routes exactly the documented paths (and a JSON 404 for any other).
        let routed: BTreeSet<String> = include_str!("../../src/api/mod.rs")
            .split(".route(\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .filter(|path| !path.contains("{*"))
            .collect();
        assert_eq!(routed, contract.paths().into_iter().collect::<BTreeSet<_>>(), "routes and the document agree");
        // The stable paths outside checks rely on.
        for stable in ["/api/v1/orgs", "/api/v1/orgs/{slug}/reports/{year}"] {
            assert!(contract.paths().iter().any(|p| p == stable), "{stable} is documented");
        }

        let bodies = walk(&app, &mut contract, "mae-khatuan").await;
        // What the demo has, as the document promises it.
        let report = &bodies["/api/v1/orgs/{slug}/reports/{year}"];
        assert_eq!(report["fiscal_year"], 2566);
        assert_eq!(report["version"], 1);
        let measures = report["measures"].as_array().unwrap();
        let seed = app.count(&format!("SELECT COUNT(*) FROM measures WHERE org_id = {} AND fiscal_year = 2566", app.org_a.id.0)).await;
        assert_eq!(measures.len() as i64, seed, "the published version holds the seed's measures");
        assert!(measures.iter().any(|m| m["indicators"].as_array().is_some_and(|i| !i.is_empty())), "measures cite indicators");
        for m in measures {
            assert!(!m["title"].as_str().unwrap().contains("(ตัวชี้วัดที่"), "references are read out of the title: {}", m["title"]);
        }
        let pdf = new_client().get(report["files"]["pdf"].as_str().unwrap()).send().await.unwrap();
        assert_eq!(pdf.status(), StatusCode::OK, "the version's PDF is where the answer says");
        let scores = &bodies["/api/v1/orgs/{slug}/ita-scores/{year}"];
        assert_eq!(scores["indicators"].as_array().unwrap().len(), 10);
        let mut numbers = vec![scores["total"].as_f64().unwrap()];
        numbers.extend(scores["indicators"].as_array().unwrap().iter().map(|i| i["score"].as_f64().unwrap()));
        for n in numbers {
            assert!(((n * 100.0).round() - n * 100.0).abs() < 1e-6, "{n} has two decimals");
        }
        let orgs = &bodies["/api/v1/orgs"];
        assert_eq!(orgs["total"], 2);

        // Unknown organizations and years are 404 JSON, as documented.
        for path in contract.paths().into_iter().filter(|p| p.contains("{slug}")) {
            let called = path.replace("{slug}", "no-such-org").replace("{year}", &year_for(&path));
            let (status, headers, body) = get_json(&app, &called).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{called}");
            assert_eq!(headers["access-control-allow-origin"], "*");
            let schema = contract.answer_schema(&path, "404");
            contract.check(&schema, &body, &called);
            assert_eq!(body["error"]["code"], "org_not_found");
        }
        for (path, code) in [
            ("/api/v1/orgs/mae-khatuan/reports/2560", "report_not_published"),
            ("/api/v1/orgs/mae-khatuan/reports/25x6", "year_not_found"),
            ("/api/v1/orgs/mae-khatuan/ita-scores/2566", "ita_result_not_found"),
            ("/api/v1/orgs/mae-khatuan/figures/2999", "year_not_found"),
            ("/api/v1/nothing-here", "path_not_found"),
        ] {
            let (status, _, body) = get_json(&app, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            contract.check("/components/schemas/Error", &body, path);
            assert_eq!(body["error"]["code"], code, "{path}");
        }
    }

    async fn lists_are_paged_with_links_and_a_page_past_the_last_is_a_404(app: TestApp) {
        let mut contract = Contract::fetch(&app).await;
        let schema = contract.answer_schema("/api/v1/orgs", "200");
        let (status, headers, first) = get_json(&app, "/api/v1/orgs?per_page=1").await;
        assert_eq!(status, StatusCode::OK);
        contract.check(&schema, &first, "page 1");
        assert_eq!((first["total"].as_i64(), first["pages"].as_i64(), first["per_page"].as_i64()), (Some(2), Some(2), Some(1)));
        let link = headers["link"].to_str().unwrap();
        let next = app.url("/api/v1/orgs?page=2&per_page=1");
        assert!(link.contains(&format!("<{next}>; rel=\"next\"")), "{link}");
        assert!(link.contains(&format!("<{next}>; rel=\"last\"")), "{link}");
        assert!(!link.contains("rel=\"prev\""), "{link}");

        let (status, headers, second) = get_json(&app, "/api/v1/orgs?page=2&per_page=1").await;
        assert_eq!(status, StatusCode::OK);
        contract.check(&schema, &second, "page 2");
        assert_ne!(first["items"][0]["slug"], second["items"][0]["slug"], "page 2 holds the other organization");
        let link = headers["link"].to_str().unwrap();
        assert!(link.contains("rel=\"prev\"") && !link.contains("rel=\"next\""), "{link}");

        let (status, _, past) = get_json(&app, "/api/v1/orgs?page=3&per_page=1").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        contract.check("/components/schemas/Error", &past, "page 3");
        assert_eq!(past["error"]["code"], "page_out_of_range");
        for bad in ["/api/v1/orgs?per_page=0", "/api/v1/orgs?per_page=101", "/api/v1/orgs?page=x", "/api/v1/orgs/mae-khatuan/documents?per_page=10"] {
            let (status, _, body) = get_json(&app, bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            contract.check("/components/schemas/Error", &body, bad);
        }

        // The province filter, kept in the links.
        let (_, headers, lampang) = get_json(&app, "/api/v1/orgs?province=%E0%B8%A5%E0%B8%B3%E0%B8%9B%E0%B8%B2%E0%B8%87").await;
        assert_eq!(lampang["total"], 1);
        assert_eq!(lampang["items"][0]["slug"], "mae-khatuan");
        assert!(headers["link"].to_str().unwrap().contains("province=%E0%B8%A5%E0%B8%B3%E0%B8%9B%E0%B8%B2%E0%B8%87&page=1"));
        let (_, _, nowhere) = get_json(&app, "/api/v1/orgs?province=x").await;
        assert_eq!((nowhere["total"].as_i64(), nowhere["items"].as_array().map(Vec::len)), (Some(0), Some(0)), "an empty list has its page 1");

        // The documents library: 50 a page.
        let (status, headers, documents) = get_json(&app, "/api/v1/orgs/mae-khatuan/documents").await;
        assert_eq!(status, StatusCode::OK);
        contract.check(&contract.answer_schema("/api/v1/orgs/{slug}/documents", "200"), &documents, "documents");
        assert!(documents["total"].as_i64().unwrap() >= 1, "the demo's documents");
        assert!(headers["link"].to_str().unwrap().contains("rel=\"last\""));
        let (status, _, _) = get_json(&app, "/api/v1/orgs/mae-khatuan/documents?page=2").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the demo's documents fit on one page");
    }

    async fn an_unchanged_answer_is_a_304_and_a_new_version_gives_a_new_etag(app: TestApp) {
        let client = new_client();
        let path = app.url("/api/v1/orgs/mae-khatuan/reports");
        let first = client.get(&path).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "a strong ETag: {etag}");
        let cache = first.headers()["cache-control"].to_str().unwrap().to_string();
        assert!(cache.contains("public") && cache.contains("max-age=60"), "{cache}");
        let years: Value = first.json().await.unwrap();
        assert_eq!(years["years"][0]["latest_version"], 1);

        let again = client.get(&path).send().await.unwrap();
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag, "the same answer, the same tag");
        let not_modified = client.get(&path).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(not_modified.headers()["etag"].to_str().unwrap(), etag);
        assert!(not_modified.bytes().await.unwrap().is_empty());

        // A filtered list (not kept by the page cache) is tagged the same way.
        let filtered = app.url("/api/v1/orgs?province=x&per_page=5");
        let tag = client.get(&filtered).send().await.unwrap().headers()["etag"].to_str().unwrap().to_string();
        let r = client.get(&filtered).header("if-none-match", &tag).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

        // A new published version changes the answer and its tag at once.
        assert_eq!(app.publish_report(2566).await, 2);
        let changed = client.get(&path).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
        assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
        let years: Value = changed.json().await.unwrap();
        assert_eq!(years["years"][0]["latest_version"], 2);
        let (_, _, report) = get_json(&app, "/api/v1/orgs/mae-khatuan/reports/2566").await;
        assert_eq!(report["version"], 2);
        assert_eq!(report["versions"].as_array().unwrap().len(), 2, "both versions stay listed");
    }

    async fn a_draft_never_appears_and_each_organization_shows_only_its_own(app: TestApp) {
        // The other organization has only a draft; the demo edits its published year's draft.
        prongsai::measures::import::import(&app.db, app.org_b.id, 2567, prongsai::demo::SEED_REPORT, false, "test")
            .await
            .unwrap()
            .expect("the seed imports as a draft");
        let draft_title = "มาตรการร่างที่ยังไม่ได้เผยแพร่";
        app.raw_sql(&format!("UPDATE measures SET title = '{draft_title}' WHERE org_id = {} AND position = 1", app.org_b.id.0)).await.unwrap();
        app.raw_sql(&format!("UPDATE measures SET title = '{draft_title}' WHERE org_id = {} AND fiscal_year = 2566 AND position = 1", app.org_a.id.0)).await.unwrap();
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM measures WHERE title = '{draft_title}'")).await, 2);

        let (_, _, years) = get_json(&app, "/api/v1/orgs/other-town/reports").await;
        assert_eq!(years["years"], Value::Array(Vec::new()), "a draft year is not listed");
        let (status, _, body) = get_json(&app, "/api/v1/orgs/other-town/reports/2567").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "report_not_published");

        let mut contract = Contract::fetch(&app).await;
        for slug in ["mae-khatuan", "other-town"] {
            let mut seen = Vec::new();
            for path in contract.paths().into_iter().filter(|p| p.contains("{slug}") && !p.contains("{year}")) {
                let (status, _, body) = get_json(&app, &path.replace("{slug}", slug)).await;
                assert_eq!(status, StatusCode::OK, "{path}");
                strings(&body, &mut seen);
            }
            if slug == "mae-khatuan" {
                let (_, _, report) = get_json(&app, "/api/v1/orgs/mae-khatuan/reports/2566").await;
                strings(&report, &mut seen);
            }
            assert!(!seen.iter().any(|s| s.contains(draft_title)), "{slug}: the draft's text is not public");
            let other = if slug == "mae-khatuan" { "other-town" } else { "mae-khatuan" };
            assert!(!seen.iter().any(|s| s.contains(&format!("/o/{other}/")) || s.contains(&format!("/orgs/{other}"))), "{slug} links only its own data");
        }
        // The other organization's walk is valid too (empty lists, no results).
        let (status, _, _) = get_json(&app, "/api/v1/orgs/other-town/ita-scores/2565").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, _, figures) = get_json(&app, &format!("/api/v1/orgs/other-town/figures/{}", year_for("figures"))).await;
        contract.check(&contract.answer_schema("/api/v1/orgs/{slug}/figures/{year}", "200"), &figures, "other-town figures");
        assert_eq!(figures["lending"]["loans"], 0, "the demo's loans are not the other organization's");
    }

    async fn no_name_username_or_phone_of_a_person_is_in_any_answer(app: TestApp) {
        // The demo's people: staff, the approver, borrowers, complainants, council visitors.
        let mut names: Vec<String> = Vec::new();
        for sql in [
            "SELECT display_name FROM users",
            "SELECT approver_name FROM measure_report_approvals",
            "SELECT borrower_name FROM loans",
            "SELECT name FROM complaints WHERE name <> ''",
            "SELECT phone FROM complaints WHERE phone <> ''",
            "SELECT name FROM council_registrations",
            "SELECT phone FROM council_registrations",
        ] {
            let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_all(&app.db.pool).await.unwrap();
            assert!(!found.is_empty(), "the demo has data for: {sql}");
            names.extend(found);
        }
        let mut usernames: Vec<String> = sqlx::query_scalar("SELECT username FROM users").fetch_all(&app.db.pool).await.unwrap();
        let publishers: Vec<String> = sqlx::query_scalar("SELECT published_by FROM measure_report_versions").fetch_all(&app.db.pool).await.unwrap();
        usernames.extend(publishers);
        assert!(names.len() >= 8, "{names:?}");

        let mut contract = Contract::fetch(&app).await;
        let mut bodies: Vec<Value> = walk(&app, &mut contract, "mae-khatuan").await.into_values().collect();
        for year in ["2564", "2565"] {
            bodies.push(get_json(&app, &format!("/api/v1/orgs/mae-khatuan/ita-scores/{year}")).await.2);
        }
        let mut seen = Vec::new();
        for body in &bodies {
            strings(body, &mut seen);
        }
        assert!(seen.len() > 100, "the walk read the demo's data");
        for s in &seen {
            for name in &names {
                assert!(!s.contains(name.as_str()), "\"{name}\" is in an answer: {s}");
            }
            assert!(!usernames.contains(s), "a username is an answer's value: {s}");
        }
    }

    async fn a_client_over_the_rate_limit_gets_429_with_retry_after(app: TestApp) {
        let options = SpawnOptions { settings: Some(|s| s.api_requests_per_minute = 5), ..Default::default() };
        let app = spawn_app_with(app.backend, options).await.unwrap();
        let mut contract = Contract::fetch(&app).await; // 1
        for path in ["/api/v1/orgs", "/api/v1/orgs/mae-khatuan", "/api/v1/orgs", "/api/v1/orgs/mae-khatuan/reports"] {
            let (status, _, _) = get_json(&app, path).await; // 2–5, some served from memory
            assert_eq!(status, StatusCode::OK, "{path}");
        }
        let r = new_client().get(app.url("/api/v1/orgs")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=12).contains(&retry), "five a minute: one is back within 12 s, said {retry}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        let body: Value = r.json().await.unwrap();
        let schema = contract.answer_schema("/api/v1/orgs", "429");
        contract.check(&schema, &body, "429");
        assert_eq!(body["error"]["code"], "rate_limited");
        // A forwarded address from a client that is not a trusted proxy changes nothing.
        let r = new_client().get(app.url("/api/v1/orgs")).header("x-forwarded-for", "198.51.100.7").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        // A browser's preflight (a cross-origin GET with If-None-Match) is answered, and not counted.
        let r = new_client().request(reqwest::Method::OPTIONS, app.url("/api/v1/orgs")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        assert!(r.headers()["access-control-allow-headers"].to_str().unwrap().contains("If-None-Match"));
        // The public site is not counted against the API.
        assert_eq!(new_client().get(app.url("/o/mae-khatuan/")).send().await.unwrap().status(), StatusCode::OK);
    }
}
