//! The province page (issue 18), on both engines: two organizations of one province with
//! hand-made ITA results, measures and reports show figures equal to a hand count; another
//! province's organization is absent; an unknown province is a Thai 404; 52 organizations page by
//! 50; a report approved but not published counts as not published.

use prongsai::orgs::OrgId;
use prongsai::orgs::store::{self as orgs, NewOrg};
use prongsai::populate::{self, Sizes, plan_ita};
use reqwest::StatusCode;

use crate::harness::TestApp;

const PROVINCE: &str = "แม่ฮ่องสอน";
/// "/p/แม่ฮ่องสอน", percent-encoded.
fn province_path() -> String {
    format!("/p/{}", urlencoding::encode(PROVINCE))
}

async fn add_org(app: &TestApp, slug: &str, name: &str, kind: &str, province: &str) -> OrgId {
    let new =
        NewOrg { slug, name, kind, province, district: "เมือง", divisions: &["สำนักปลัด"] };
    orgs::create(&app.db, &new, "test").await.unwrap().id
}

/// A result of `year` with `total` and ten indicator scores, `below` of them under 85.
async fn result(app: &TestApp, org: OrgId, year: i64, total: i64, grade: &str, below: i64) {
    let mut sql = format!(
        "INSERT INTO ita_results (org_id, fiscal_year, total_x100, grade, source, entered_by, entered_at)
         VALUES ({org}, {year}, {total}, '{grade}', 'form', 'test', 0);"
    );
    for n in 1..=10 {
        let score = if n <= below { 7000 + n } else { 9000 + n };
        sql.push_str(&format!(
            "INSERT INTO ita_indicator_scores (org_id, fiscal_year, indicator_number, score_x100)
             VALUES ({org}, {year}, {n}, {score});"
        ));
    }
    app.raw_sql(&sql).await.unwrap();
}

/// A measure of `year` in `status`, planned to end on `last` (yyyymmdd, Christian era) or unplanned.
async fn measure(app: &TestApp, org: OrgId, year: i64, position: i64, status: &str, last: Option<i64>) {
    let period = match last {
        Some(last) => format!("'days', {}, {last}, 'ตามแผน'", last / 10_000 * 10_000 + 101),
        None => "NULL, NULL, NULL, NULL".to_string(),
    };
    app.raw_sql(&format!(
        "INSERT INTO measures (org_id, fiscal_year, position, title, responsible, status, progress, created_at,
             updated_at, period_kind, period_first, period_last, period_text)
         VALUES ({org}, {year}, {position}, 'มาตรการ {position}', 'สำนักปลัด', '{status}', 0, 0, 0, {period})"
    ))
    .await
    .unwrap();
}

async fn approve(app: &TestApp, org: OrgId, year: i64) -> i64 {
    app.raw_sql(&format!(
        "INSERT INTO measure_report_approvals (org_id, fiscal_year, content_sha256, approver_name, approver_position,
             approved_on, recorded_by, recorded_at)
         VALUES ({org}, {year}, 'abc', 'นายก', 'นายก', 19600, 'test', 0)"
    ))
    .await
    .unwrap();
    app.count(&format!("SELECT MAX(id) FROM measure_report_approvals WHERE org_id = {org}")).await
}

async fn publish(app: &TestApp, org: OrgId, year: i64, approval: i64, at: i64) {
    app.raw_sql(&format!(
        "INSERT INTO measure_report_versions (org_id, fiscal_year, version, approval_id, content_sha256, published_by,
             published_at, document)
         VALUES ({org}, {year}, 1, {approval}, 'abc', 'test', {at}, '{{}}')"
    ))
    .await
    .unwrap();
}

/// The text of the summary's `<dd id="sum-NAME">`.
fn summary(page: &str, name: &str) -> String {
    let start = format!("<dd id=\"sum-{name}\">");
    let rest = page.split(&start).nth(1).unwrap_or_else(|| panic!("no summary {name}"));
    rest.split("</dd>").next().unwrap().to_string()
}

/// The table row of the organization linked as `/o/SLUG/`.
fn row<'a>(page: &'a str, slug: &str) -> &'a str {
    let start = page.find(&format!("href=\"/o/{slug}/\"")).unwrap_or_else(|| panic!("no row of {slug}"));
    &page[start..start + page[start..].find("</tr>").unwrap()]
}

/// The text of a row's cell of class `class`.
fn cell(row: &str, class: &str) -> String {
    let rest = row.split(&format!("class=\"{class}\">")).nth(1).unwrap_or_else(|| panic!("no cell {class}"));
    rest.split("</td>").next().unwrap().to_string()
}

crate::on_both_databases! {
    async fn a_province_page_adds_up_its_organizations_as_a_hand_count_does(app: TestApp) {
        let a = add_org(&app, "prov-a", "องค์การบริหารส่วนตำบลกองก๋อย", "อบต.", PROVINCE).await;
        let b = add_org(&app, "prov-b", "เทศบาลตำบลขุนยวม", "เทศบาลตำบล", PROVINCE).await;
        let elsewhere = add_org(&app, "prov-c", "เทศบาลตำบลที่อื่น", "เทศบาลตำบล", "ตาก").await;
        // A: 90.50 (A), 88.00 the year before, 2 indicators below 85.
        result(&app, a, 2567, 9050, "A", 2).await;
        result(&app, a, 2566, 8800, "A", 0).await;
        // B: 80.00 (B), not passed, no result the year before, 3 indicators below 85.
        result(&app, b, 2567, 8000, "B", 3).await;
        // Another province's organization scores high: it must not lift the average.
        result(&app, elsewhere, 2567, 9900, "AA", 0).await;
        measure(&app, elsewhere, 2567, 1, "done", None).await;
        // A's measures: done; ended and not done (late); planned to end in 2999; cancelled (not
        // counted); never planned (not due). 4 counted, 1 done, 3 on time.
        measure(&app, a, 2567, 1, "done", Some(20240131)).await;
        measure(&app, a, 2567, 2, "in_progress", Some(20240331)).await;
        measure(&app, a, 2567, 3, "planned", Some(29991231)).await;
        measure(&app, a, 2567, 4, "cancelled", Some(20240131)).await;
        measure(&app, a, 2567, 5, "planned", None).await;
        // B's: two done, one of them after its period ended (done is on time).
        measure(&app, b, 2567, 1, "done", Some(20240131)).await;
        measure(&app, b, 2567, 2, "done", Some(29991231)).await;
        // A published its 2567 report on 30 Sep 2024 10:00 in Thailand; B only had it approved (a draft).
        let approval = approve(&app, a, 2567).await;
        publish(&app, a, 2567, approval, 1_727_665_200).await;
        approve(&app, b, 2567).await;

        let page = app.get_text(&province_path()).await;
        assert!(page.contains("ปีงบประมาณ พ.ศ. ๒๕๖๗"), "the latest year with results is the default");
        assert_eq!(summary(&page, "orgs"), "๒");
        assert_eq!(summary(&page, "assessed"), "๒");
        assert_eq!(summary(&page, "average"), "๘๕.๒๕", "(90.50 + 80.00) / 2");
        assert_eq!(summary(&page, "passed"), "๑");
        assert_eq!(summary(&page, "measures"), "๓ / ๕ / ๖", "done / on time / all");
        assert_eq!(summary(&page, "published"), "๑", "B's approved draft is not published");
        assert!(!page.contains("prov-c"), "another province's organization is absent");

        let ra = row(&page, "prov-a");
        assert!(cell(ra, "score").starts_with("๙๐.๕๐ (A)"), "{ra}");
        assert_eq!(cell(ra, "change"), "+๒.๕๐");
        assert_eq!(cell(ra, "below"), "๒");
        assert_eq!(cell(ra, "measures"), "๔");
        assert_eq!(cell(ra, "done"), "๑");
        assert_eq!(cell(ra, "on-time"), "๓ (ล่าช้า ๑)");
        assert_eq!(cell(ra, "published"), "เผยแพร่ ๓๐ ก.ย. ๒๕๖๗");
        let rb = row(&page, "prov-b");
        assert!(cell(rb, "score").contains("ไม่ผ่านเกณฑ์"), "{rb}");
        assert_eq!(cell(rb, "change"), "–");
        assert_eq!(cell(rb, "below"), "๓");
        assert_eq!(cell(rb, "on-time"), "๒");
        assert_eq!(cell(rb, "published"), "ยังไม่เผยแพร่");

        // By score, A (90.50) comes before B (80.00); by name, B (เทศบาล…) after A (องค์การ…)
        // in Thai dictionary order is not what a score sort gives: check the score order.
        let by_score = app.get_text(&format!("{}?year=2567&sort=score", province_path())).await;
        assert!(by_score.find("/o/prov-a/").unwrap() < by_score.find("/o/prov-b/").unwrap());
        let by_late = app.get_text(&format!("{}?year=2567&sort=late", province_path())).await;
        assert!(by_late.find("/o/prov-a/").unwrap() < by_late.find("/o/prov-b/").unwrap(), "A has a late measure");

        // The year before: only A has a result.
        let earlier = app.get_text(&format!("{}?year=2566", province_path())).await;
        assert_eq!(summary(&earlier, "average"), "๘๘.๐๐");
        assert_eq!(summary(&earlier, "published"), "๐");

        // Publishing B's report makes it count.
        let approval = app.count(&format!("SELECT MAX(id) FROM measure_report_approvals WHERE org_id = {b}")).await;
        publish(&app, b, 2567, approval, 1_727_665_200).await;
        assert_eq!(summary(&app.get_text(&province_path()).await, "published"), "๒");

        // The province list counts it, and the organization's own site links its province.
        let list = app.get_text("/p/").await;
        assert!(list.contains(&format!("href=\"{}\">จังหวัดแม่ฮ่องสอน</a> (๒ แห่ง)", province_path())), "{list}");
        let site = app.get_text("/o/prov-a/").await;
        assert!(site.contains(&format!("href=\"{}\"", province_path())), "the site's footer links the province page");
    }

    async fn an_unknown_province_or_a_wrong_year_is_refused_in_thai(app: TestApp) {
        let r = app.get(&format!("/p/{}", urlencoding::encode("ไม่มีจังหวัดนี้"))).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(r.text().await.unwrap().contains("ไม่พบหน่วยงานในจังหวัดไม่มีจังหวัดนี้"));
        let demo = format!("/p/{}", urlencoding::encode(&app.org_a.province));
        let r = app.get(&format!("{demo}?year=abc")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ปีงบประมาณ (year) “abc” ไม่ถูกต้อง"));
        let r = app.get(&format!("{demo}?sort=x")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn a_province_of_fifty_two_organizations_shows_fifty_a_page(app: TestApp) {
        for n in 1..=52 {
            add_org(&app, &format!("many-{n:02}"), &format!("องค์การบริหารส่วนตำบลทดสอบ {n:02}"), "อบต.", PROVINCE).await;
        }
        let first = app.get_text(&province_path()).await;
        assert_eq!(first.matches("href=\"/o/many-").count(), 50);
        assert!(first.contains("รายการที่ ๑–๕๐ จาก ๕๒"));
        assert_eq!(summary(&first, "orgs"), "๕๒", "the summary counts the whole province");
        let next = first.split("rel=\"next\"").next().unwrap();
        let href = next.rsplit("href=\"").next().unwrap().split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
        let second = app.get_text(&href).await;
        assert_eq!(second.matches("href=\"/o/many-").count(), 2);
        assert!(second.contains("/o/many-52/"));
        assert!(!second.contains("/o/many-01/"));
    }

    async fn bench_organizations_of_one_province_fill_its_page_with_five_years(app: TestApp) {
        // `bench populate --ita --province P`: of bench-0001 … bench-0003, only those in P.
        let province = plan_ita::province(3);
        let sizes = Sizes { orgs: 3, rows: 0, ita: true, province: Some(province.to_string()) };
        let added = populate::populate(&app.db, sizes).await.unwrap();
        let mine: Vec<u32> = (1..=3).filter(|&n| plan_ita::province(n) == province).collect();
        assert_eq!(added.orgs, mine.len() as u64);
        assert_eq!(added.ita_results, 5 * mine.len() as u64);
        assert_eq!(added.measures, 30 * mine.len() as u64);
        let published = mine.iter().map(|&n| plan_ita::YEARS.iter().filter(|&&y| plan_ita::publishes(n, y)).count() as u64).sum::<u64>();
        assert_eq!(added.reports, published);
        let report = prongsai::audit::verify(&app.db).await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);

        let page = app.get_text(&format!("/p/{}", urlencoding::encode(province))).await;
        assert!(page.contains("ปีงบประมาณ พ.ศ. ๒๕๖๘"), "the latest year filled");
        let r = row(&page, "bench-0003");
        let result = plan_ita::result(3, 2568);
        assert!(cell(r, "score").starts_with(&format!("{} ({})", prongsai::ita::scores::format_score(result.total, prongsai::thai::Digits::Thai), result.grade)), "{r}");
        let counted = plan_ita::measures(3, 2568).iter().filter(|m| m.status != "cancelled").count() as i64;
        assert_eq!(cell(r, "measures"), prongsai::thai::format_grouped(counted, prongsai::thai::Digits::Thai));
        let expected = if plan_ita::publishes(3, 2568) { "เผยแพร่ ๓๐ ก.ย. ๒๕๖๘" } else { "ยังไม่เผยแพร่" };
        assert_eq!(cell(r, "published"), expected);
    }
}
