//! Periods as offices write them: saved from the staff form, stored as kind and days, printed as
//! written in the report; and the periods stored before as month ranges keep their meaning.

use std::process::Command;

use prongsai::db::{MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE};
use prongsai::thai::{Digits, Period, PeriodKind, Span, ThaiMonthRange, YearMonth};
use reqwest::StatusCode;

use crate::harness::*;

/// A measure's title and stored period: kind, first day, last day, words.
type StoredRow = (String, Option<String>, Option<i64>, Option<i64>, Option<String>);

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-raw").arg(&path).arg("-").output().expect("poppler-utils installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn without_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

async fn create_measure(app: &TestApp, csrf: &str, title: &str, period: &str) -> i64 {
    let r = app
        .post_form(
            "/app/measures/new?year=2566",
            csrf,
            &[("title", title), ("indicators", "4"), ("period", period), ("status", "planned"), ("progress", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{title}: {}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let id = location.trim_start_matches("/app/measures/").split(['?', '/']).next().unwrap();
    id.parse().unwrap_or_else(|_| panic!("a measure page: {location}"))
}

crate::on_both_databases! {
    async fn the_whole_fiscal_year_and_a_quarter_are_saved_and_printed_as_written(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let whole = create_measure(&app, &csrf, "ประชุมประจำเดือนเรื่องความโปร่งใส", "ตลอดปีงบประมาณ").await;
        let second = create_measure(&app, &csrf, "ตรวจรับพัสดุต่อหน้าประชาชน", "ไตรมาสที่ 2").await;

        // Stored as kind and days (yyyymmdd, Christian era) with the words as written.
        let rows: Vec<(i64, String, i64, i64, String)> = sqlx::query_as(
            "SELECT id, period_kind, period_first, period_last, period_text FROM measures WHERE id IN ($1, $2) ORDER BY id",
        )
        .bind(whole)
        .bind(second)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(rows[0], (whole, "fiscal_year".into(), 20221001, 20230930, "ตลอดปีงบประมาณ".into()));
        assert_eq!(rows[1], (second, "quarters".into(), 20230101, 20230331, "ไตรมาสที่ 2".into()));
        // "Measures running in February 2566" is a comparison of integers.
        let running = app
            .count("SELECT COUNT(*) FROM measures m JOIN orgs o ON o.id = m.org_id WHERE o.slug = 'mae-khatuan' AND period_first <= 20230228 AND period_last >= 20230201").await;
        assert_eq!(running, 2, "the whole year and the second quarter; the seed's March–April measures are not running");

        // The staff PDF prints them as written, in the organization's Thai digits.
        let r = app.get("/app/measures/report?year=2566&format=pdf").await;
        assert_eq!(r.status(), StatusCode::OK);
        let text = without_spaces(&pdf_text(&r.bytes().await.unwrap()));
        assert!(text.contains("ตลอดปีงบประมาณ"), "{text}");
        assert!(text.contains("ไตรมาสที่๒"), "{text}");
        assert!(text.contains("มี.ค.–เม.ย.๒๕๖๖"), "the seed's month ranges print as before");
        let markdown = app.get_text("/app/measures/report?year=2566&format=md").await;
        assert!(markdown.contains("ตลอดปีงบประมาณ") && markdown.contains("ไตรมาสที่ ๒"));

        // The edit form shows the words again after a reload.
        let edit = app.get_text(&format!("/app/measures/{whole}")).await;
        assert!(edit.contains(r#"value="ตลอดปีงบประมาณ""#), "{edit}");
        let edit = app.get_text(&format!("/app/measures/{second}")).await;
        assert!(edit.contains(r#"value="ไตรมาสที่ ๒""#), "{edit}");

        // In Arabic digits when the organization writes them.
        app.raw_sql("UPDATE orgs SET digits = 'arabic' WHERE slug = 'mae-khatuan'").await.unwrap();
        let r = app.get("/app/measures/report?year=2566&format=pdf").await;
        assert!(without_spaces(&pdf_text(&r.bytes().await.unwrap())).contains("ไตรมาสที่2"));
    }

    async fn an_unreadable_period_is_refused_beside_its_field_saying_what_is_accepted(app: TestApp) {
        let csrf = app.login(DEMO_STAFF).await;
        let before = app.count("SELECT COUNT(*) FROM measures").await;
        let r = app.post_form("/app/measures/new?year=2566", &csrf, &[("title", "ก"), ("period", "ไตรมาสที่ ๕")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        let beside = page.split(r#"id="period-error""#).nth(1).expect("an error beside the period field");
        let beside = &beside[..beside.find("</p>").unwrap()];
        assert!(beside.contains("ไตรมาส “๕” ต้องเป็นเลข ๑ ถึง ๔"), "{beside}");
        assert!(beside.contains("ตลอดปีงบประมาณ") && beside.contains("ไตรมาสที่ ๑"), "the accepted forms: {beside}");
        assert_eq!(app.count("SELECT COUNT(*) FROM measures").await, before);
    }

    async fn month_ranges_stored_before_keep_their_meaning(app: TestApp) {
        let (url, _scratch) = fresh_database(app.backend).await.unwrap();
        sqlx::any::install_default_drivers();
        let address = match app.backend {
            Backend::Sqlite => format!("{}?mode=rwc", url.expose()),
            Backend::Postgres => url.expose().to_string(),
        };
        let pool = sqlx::AnyPool::connect(&address).await.unwrap();
        let migrations = match app.backend {
            Backend::Sqlite => MIGRATIONS_SQLITE,
            Backend::Postgres => MIGRATIONS_POSTGRES,
        };
        let (earlier, this): (Vec<_>, Vec<_>) = migrations.iter().partition(|(name, _)| *name < "0011");
        for (_, sql) in earlier {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&pool).await.unwrap();
        }
        sqlx::raw_sql(
            "INSERT INTO orgs (slug, name, short_name, kind, created_at) VALUES ('t', 'ท', 'ท', 'sao', 0);
             INSERT INTO measures (org_id, fiscal_year, position, title, responsible, period_start, period_end, status, progress, created_at, updated_at)
             VALUES (1, 2566, 1, 'a', '', 256603, 256604, 'planned', 0, 0, 0),
                    (1, 2567, 2, 'b', '', 256702, 256702, 'planned', 0, 0, 0),
                    (1, 2566, 3, 'c', '', 256510, 256609, 'planned', 0, 0, 0),
                    (1, 2566, 4, 'd', '', 256611, 256612, 'planned', 0, 0, 0),
                    (1, 2566, 5, 'e', '', NULL, NULL, 'planned', 0, 0, 0);",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(this[0].1.to_string())).execute(&pool).await.unwrap();
        let rows: Vec<StoredRow> = sqlx::query_as(
            "SELECT title, period_kind, period_first, period_last, period_text FROM measures ORDER BY position",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        let month = |be_year, month| YearMonth::new(be_year, month).unwrap();
        let expected = [
            ("a", month(2566, 3), month(2566, 4), 20230301, 20230430),
            ("b", month(2567, 2), month(2567, 2), 20240201, 20240229),
            ("c", month(2565, 10), month(2566, 9), 20221001, 20230930),
            ("d", month(2566, 11), month(2566, 12), 20231101, 20231231),
        ];
        for ((title, start, end, first, last), row) in expected.iter().zip(&rows) {
            let range = ThaiMonthRange::new(*start, *end).unwrap();
            assert_eq!(row, &(title.to_string(), Some("months".into()), Some(*first), Some(*last), Some(range.format(Digits::Arabic))));
            let day = |key: i64| prongsai::thai::period::day_of_key(key).unwrap();
            let period = Period::from_stored(PeriodKind::Months, day(*first), day(*last), row.4.as_deref().unwrap()).unwrap();
            assert_eq!(period.span(), Span::Months(range));
            assert_eq!(period.format_lines(Digits::Thai), range.format_lines(Digits::Thai), "printed as before");
        }
        assert_eq!(rows[4], ("e".into(), None, None, None, None));
        pool.close().await;
    }
}
