//! SQL of the report's approvals and published versions. Every function takes the organization:
//! another organization's slug or id never reaches these rows.

use sqlx::AssertSqlSafe;

use super::rules::{Approval, ApprovalInput, Version, VersionRow};
use crate::db::{Db, Tx, now};
use crate::docs::first_print::{FileSlot, keep_first};
use crate::measures::report::Format;
// Days since 1970-01-01, as the lending records store days.
use crate::lending::{date_of, day_of};
use crate::orgs::OrgId;

/// id, content_sha256, approver_name, approver_position, approved_on, recorded_by, recorded_at
type ApprovalRow = (i64, String, String, String, i64, String, i64);

fn approval_of(r: ApprovalRow) -> Approval {
    let (id, content_sha256, approver_name, approver_position, approved_on, recorded_by, recorded_at) = r;
    Approval {
        id,
        content_sha256,
        approver_name,
        approver_position,
        approved_on: date_of(approved_on),
        recorded_by,
        recorded_at,
    }
}

const APPROVAL_COLUMNS: &str =
    "id, content_sha256, approver_name, approver_position, approved_on, recorded_by, recorded_at";

/// The year's last approval.
pub async fn last_approval(db: &Db, org: OrgId, year: i64) -> Result<Option<Approval>, sqlx::Error> {
    let row: Option<ApprovalRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {APPROVAL_COLUMNS} FROM measure_report_approvals
         WHERE org_id = $1 AND fiscal_year = $2 ORDER BY id DESC LIMIT 1"
    )))
    .bind(org.0)
    .bind(year)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(approval_of))
}

/// One approval of the organization.
pub async fn approval(db: &Db, org: OrgId, id: i64) -> Result<Option<Approval>, sqlx::Error> {
    let row: Option<ApprovalRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {APPROVAL_COLUMNS} FROM measure_report_approvals WHERE org_id = $1 AND id = $2"
    )))
    .bind(org.0)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(approval_of))
}

/// Records an approval of the draft whose hash is `sha256`, audited, in the caller's transaction.
pub async fn insert_approval(
    tx: &mut Tx,
    org: OrgId,
    year: i64,
    input: &ApprovalInput,
    sha256: &str,
    actor: &str,
) -> anyhow::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO measure_report_approvals (org_id, fiscal_year, content_sha256, approver_name,
             approver_position, approved_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(year)
    .bind(sha256)
    .bind(&input.approver_name)
    .bind(&input.approver_position)
    .bind(day_of(input.approved_on))
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "approve",
        "measure_report",
        &id.to_string(),
        None,
        Some(&serde_json::json!({
            "fiscal_year": year,
            "content_sha256": sha256,
            "approver_name": input.approver_name,
            "approver_position": input.approver_position,
            "approved_on": input.approved_on.to_string(),
        })),
    )
    .await?;
    Ok(id)
}

/// The year's published versions, the newest first.
pub async fn versions(db: &Db, org: OrgId, year: i64) -> Result<Vec<Version>, sqlx::Error> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT id, version, approval_id, content_sha256, published_by, published_at FROM measure_report_versions
         WHERE org_id = $1 AND fiscal_year = $2 ORDER BY version DESC",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Version::from).collect())
}

/// The years with at least one published version, the newest first.
pub async fn published_years(db: &Db, org: OrgId) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT fiscal_year FROM measure_report_versions WHERE org_id = $1 ORDER BY fiscal_year DESC",
    )
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(y,)| y).collect())
}

/// The year's latest published version as frozen when published: (number, published_at, the
/// report's document as JSON, a `MeasuresReportDoc`).
pub async fn latest_document(db: &Db, org: OrgId, year: i64) -> Result<Option<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, published_at, document FROM measure_report_versions
         WHERE org_id = $1 AND fiscal_year = $2 ORDER BY version DESC LIMIT 1",
    )
    .bind(org.0)
    .bind(year)
    .fetch_optional(&db.pool)
    .await
}

/// A version's rendered files, `None` for one recorded without them (the demo).
pub struct Files {
    pub pdf: Option<Vec<u8>>,
    pub docx: Option<Vec<u8>>,
    pub html: Option<Vec<u8>>,
}

/// What a new version stores.
pub struct NewVersion<'a> {
    pub year: i64,
    pub number: i64,
    pub approval_id: i64,
    pub content_sha256: &'a str,
    pub published_at: i64,
    pub document: &'a serde_json::Value,
    pub files: Files,
}

/// Inserts a published version and audits it, in the caller's transaction (which holds the
/// organization's write lock). A second version of the same number is refused by the table.
pub async fn insert_version(tx: &mut Tx, org: OrgId, new: NewVersion<'_>, actor: &str) -> anyhow::Result<i64> {
    let sha = |b: &Option<Vec<u8>>| b.as_deref().map(crate::measures::evidence::sha256_hex);
    let (pdf_sha, docx_sha, html_sha) = (sha(&new.files.pdf), sha(&new.files.docx), sha(&new.files.html));
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO measure_report_versions (org_id, fiscal_year, version, approval_id, content_sha256,
             published_by, published_at, document, pdf, pdf_sha256, docx, docx_sha256, html, html_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(org.0)
    .bind(new.year)
    .bind(new.number)
    .bind(new.approval_id)
    .bind(new.content_sha256)
    .bind(actor)
    .bind(new.published_at)
    .bind(new.document.to_string())
    .bind(new.files.pdf)
    .bind(&pdf_sha)
    .bind(new.files.docx)
    .bind(&docx_sha)
    .bind(new.files.html)
    .bind(&html_sha)
    .fetch_one(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "publish",
        "measure_report",
        &id.to_string(),
        None,
        Some(&serde_json::json!({
            "fiscal_year": new.year,
            "version": new.number,
            "approval_id": new.approval_id,
            "content_sha256": new.content_sha256,
            "pdf_sha256": pdf_sha,
            "docx_sha256": docx_sha,
            "html_sha256": html_sha,
        })),
    )
    .await?;
    let fiscal = crate::thai::format_int(new.year, crate::thai::Digits::Thai);
    let number = crate::thai::format_int(new.number, crate::thai::Digits::Thai);
    let publication = crate::publishing::Publication {
        source: format!("measure_report:{}", new.year),
        revision: new.number,
        title: format!("รายงานมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ {fiscal} ฉบับที่ {number}"),
        message: format!("เผยแพร่รายงานมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ {fiscal} ฉบับที่ {number}"),
        page: format!("ita/{}/measures", new.year),
    };
    crate::publishing::enqueue_publication(tx, org, &publication, actor).await?;
    Ok(id)
}

/// The columns of a stored format.
fn columns(format: Format) -> Option<(&'static str, &'static str)> {
    match format {
        Format::Pdf => Some(("pdf", "pdf_sha256")),
        Format::Docx => Some(("docx", "docx_sha256")),
        Format::Html => Some(("html", "html_sha256")),
        Format::Md => None,
    }
}

/// One version's stored file.
pub struct StoredFile {
    pub version_id: i64,
    pub number: i64,
    pub published_at: i64,
    pub content: StoredContent,
}

/// A version's file as stored, or the frozen report to print it from when it was recorded
/// without it (read only then: the report's JSON is not fetched on every public request).
pub enum StoredContent {
    File { bytes: Vec<u8>, sha256: String },
    Unprinted { document: String },
}

/// Version `number` of the year, or the latest when `number` is `None`, with its `format` file.
pub async fn stored_file(
    db: &Db,
    org: OrgId,
    year: i64,
    number: Option<i64>,
    format: Format,
) -> Result<Option<StoredFile>, sqlx::Error> {
    let Some((bytes, sha)) = columns(format) else { return Ok(None) };
    let select = format!(
        "SELECT id, version, published_at, CASE WHEN {bytes} IS NULL THEN document END, {bytes}, {sha}
         FROM measure_report_versions WHERE org_id = $1 AND fiscal_year = $2"
    );
    type Row = (i64, i64, i64, Option<String>, Option<Vec<u8>>, Option<String>);
    let row: Option<Row> = match number {
        Some(n) => {
            sqlx::query_as(AssertSqlSafe(format!("{select} AND version = $3")))
                .bind(org.0)
                .bind(year)
                .bind(n)
                .fetch_optional(&db.pool)
                .await?
        }
        None => {
            sqlx::query_as(AssertSqlSafe(format!("{select} ORDER BY version DESC LIMIT 1")))
                .bind(org.0)
                .bind(year)
                .fetch_optional(&db.pool)
                .await?
        }
    };
    let Some((version_id, number, published_at, document, bytes, sha)) = row else { return Ok(None) };
    let content = match (bytes, sha, document) {
        (Some(bytes), Some(sha256), _) => StoredContent::File { bytes, sha256 },
        (_, _, Some(document)) => StoredContent::Unprinted { document },
        _ => {
            return Err(sqlx::Error::Protocol(format!(
                "report version {version_id} has neither its file nor its document"
            )));
        }
    };
    Ok(Some(StoredFile { version_id, number, published_at, content }))
}

/// Stores the file of a version recorded without it; only the first stored copy is ever kept.
/// Returns the kept copy and its SHA-256.
pub async fn fill_file(
    db: &Db,
    org: OrgId,
    version_id: i64,
    format: Format,
    printed: Vec<u8>,
) -> anyhow::Result<(Vec<u8>, String)> {
    let (bytes_column, sha_column) = columns(format).ok_or_else(|| anyhow::anyhow!("{format:?} is not stored"))?;
    let slot = FileSlot {
        table: "measure_report_versions",
        id: version_id,
        bytes_column,
        sha_column,
        entity: "measure_report",
    };
    keep_first(db, org, &slot, printed).await
}
