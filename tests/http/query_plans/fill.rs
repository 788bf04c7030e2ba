//! A database the size of a shared install, for the planners: the demo organization loaded again
//! as many organizations (each with its users, measures, items, loans and audit chain, written by
//! the product's own code), and a few hundred organizations that have just started; then ANALYZE.

use prongsai::orgs::store::{self as orgs, NewOrg};

use crate::harness::TestApp;

/// Organizations holding the whole demo (measures, items, loans, follow-ups, notifications).
const FULL_ORGANIZATIONS: usize = 30;
/// Organizations with only their divisions and audit chain.
const NEW_ORGANIZATIONS: usize = 300;

/// Fills the database beside the test's demo organization, which keeps its slug and users.
pub async fn many_organizations(app: &TestApp) {
    let demo = prongsai::demo::SLUG;
    // Out of the way while copies are loaded: the slug, and usernames (unique in the install).
    rename(app, demo, "query-plans-demo", "~demo").await;
    for n in 0..FULL_ORGANIZATIONS {
        prongsai::demo::load(&app.db).await.unwrap();
        rename(app, demo, &format!("copy-{n}"), &format!("~copy-{n}")).await;
    }
    rename_back(app, "query-plans-demo", demo, "~demo").await;
    for n in 0..NEW_ORGANIZATIONS {
        let slug = format!("new-{n}");
        let new = NewOrg {
            slug: &slug,
            name: "เทศบาลตำบลใหม่",
            kind: "เทศบาลตำบล",
            province: "ลำปาง",
            district: "เมืองลำปาง",
            divisions: &["สำนักปลัด", "กองคลัง"],
        };
        orgs::create(&app.db, &new, "test").await.unwrap();
    }
    for sql in MORE_ROWS {
        app.raw_sql(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    ita_documents(app).await;
}

/// Every organization's O42 and O43 documents of six years, each approved and published once
/// (but those the tour published).
async fn ita_documents(app: &TestApp) {
    app.raw_sql(
        "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 6)
         INSERT INTO ita_document_approvals (org_id, kind, fiscal_year, content_sha256, approver_name,
             approver_position, approved_on, recorded_by, recorded_at)
         SELECT o.id, kind.code, 2560 + k.n, 'fill', 'นายก', 'นายก', 0, 'fill', 0
         FROM orgs o CROSS JOIN k CROSS JOIN (SELECT 'o42' AS code UNION ALL SELECT 'o43-6m' UNION ALL SELECT 'o43-12m') kind",
    )
    .await
    .unwrap();
    // The files' bytes are written the way each engine writes a blob literal.
    let bytes = match app.backend {
        crate::harness::Backend::Postgres => "'\\x25504446'::bytea",
        crate::harness::Backend::Sqlite => "X'25504446'",
    };
    app.raw_sql(&format!(
        "INSERT INTO ita_document_versions (org_id, kind, fiscal_year, version, approval_id, content_sha256,
             published_by, published_at, document, pdf, pdf_sha256, docx, docx_sha256)
         SELECT a.org_id, a.kind, a.fiscal_year, 1, a.id, 'fill', 'fill', 0, '{{}}', {bytes}, 'fill', {bytes}, 'fill'
         FROM ita_document_approvals a WHERE a.recorded_by = 'fill' AND NOT EXISTS (SELECT 1 FROM ita_document_versions v
             WHERE v.org_id = a.org_id AND v.kind = a.kind AND v.fiscal_year = a.fiscal_year)"
    ))
    .await
    .unwrap();
}

async fn rename(app: &TestApp, slug: &str, to: &str, username_suffix: &str) {
    app.raw_sql(&format!(
        "UPDATE users SET username = username || '{username_suffix}' WHERE org_id = (SELECT id FROM orgs WHERE slug = '{slug}');
         UPDATE orgs SET slug = '{to}' WHERE slug = '{slug}'"
    ))
    .await
    .unwrap();
}

async fn rename_back(app: &TestApp, slug: &str, to: &str, username_suffix: &str) {
    let cut = username_suffix.chars().count();
    app.raw_sql(&format!(
        "UPDATE users SET username = substr(username, 1, length(username) - {cut})
         WHERE org_id = (SELECT id FROM orgs WHERE slug = '{slug}');
         UPDATE orgs SET slug = '{to}' WHERE slug = '{slug}'"
    ))
    .await
    .unwrap();
}

/// Rows the demo has few of, made as many as a few years of use leave: for every full
/// organization, evidence and cited figures on each measure, a head for each division, follow-ups
/// on each loan, notices to each user about each loan, sessions of each user (most expired),
/// staff acknowledgments of the manuals, and login throttle counts. Each row belongs to its parent's organization.
const MORE_ROWS: &[&str] = &[
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 3)
     INSERT INTO evidence (org_id, measure_id, title, url, created_at, created_by)
     SELECT m.org_id, m.id, 'ประกาศ', 'https://example.go.th/e/' || m.id || '/' || k.n, 0, 'fill' FROM measures m CROSS JOIN k",
    "INSERT INTO measure_figures (measure_id, org_id, figure)
     SELECT m.id, m.org_id, 'lending.summary' FROM measures m
     WHERE NOT EXISTS (SELECT 1 FROM measure_figures f WHERE f.measure_id = m.id)",
    "INSERT INTO unit_heads (org_id, division_id, user_id)
     SELECT d.org_id, d.id, (SELECT MIN(u.id) FROM users u WHERE u.org_id = d.org_id) FROM divisions d
     WHERE EXISTS (SELECT 1 FROM users u WHERE u.org_id = d.org_id)
     AND NOT EXISTS (SELECT 1 FROM unit_heads h WHERE h.division_id = d.id)",
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 4)
     INSERT INTO loan_follow_ups (org_id, loan_id, day, by_user, note, created_at)
     SELECT l.org_id, l.id, 19000 + k.n, (SELECT MIN(u.id) FROM users u WHERE u.org_id = l.org_id), 'โทรติดตาม', 0
     FROM loans l CROSS JOIN k",
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 10)
     INSERT INTO notifications (org_id, user_id, loan_id, kind, day, message, created_at)
     SELECT l.org_id, u.id, l.id, 'overdue', 18000 + k.n, 'เกินกำหนดส่งคืน', 0
     FROM loans l JOIN users u ON u.org_id = l.org_id CROSS JOIN k",
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 20)
     INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
     SELECT 'fill-' || u.id || '-' || k.n, u.id, 'fill', k.n, k.n * 1000, k.n FROM users u CROSS JOIN k",
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 200)
     INSERT INTO survey_tokens (org_id, survey_id, token_hash, source, created_by, created_at, expires_at)
     SELECT s.org_id, s.id, 'fill-' || s.id || '-' || k.n, 'receipt', 'fill', 0, 0 FROM surveys s CROSS JOIN k",
    // Every user of a full organization has acknowledged the manuals meant for staff.
    "INSERT INTO document_acks (org_id, user_id, document_id, version, acknowledged_at)
     SELECT d.org_id, u.id, d.id, d.latest_version, 0 FROM documents d JOIN users u ON u.org_id = d.org_id
     WHERE d.for_staff = 1 AND NOT EXISTS (SELECT 1 FROM document_acks a
         WHERE a.org_id = d.org_id AND a.user_id = u.id AND a.document_id = d.id AND a.version = d.latest_version)",
    "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 2000)
     INSERT INTO login_throttle (subject, failures, window_start, lockouts, locked_until)
     SELECT 'fill-' || k.n, 1, 0, 0, 0 FROM k",
];

/// Table statistics for the planners (SQLite keeps them in sqlite_stat1).
pub async fn analyze(app: &TestApp) {
    // PostgreSQL: VACUUM first, so the pages the planner counts do not depend on whether
    // autovacuum happened to reach the demo's updated rows before the test did.
    let sql = match app.backend {
        crate::harness::Backend::Postgres => "VACUUM ANALYZE",
        crate::harness::Backend::Sqlite => "ANALYZE",
    };
    app.raw_sql(sql).await.unwrap();
}
