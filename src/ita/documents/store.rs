//! SQL of the ITA documents' approvals and published versions. Every function takes the
//! organization: another organization's rows are never reached. The rows' meaning is the
//! measures report's (`measures::publication::rules`), keyed by kind as well as year.

use super::Format;
use super::Kind;
use crate::db::{Db, Tx, now};
use crate::lending::{date_of, day_of};
use crate::measures::publication::rules::{Approval, ApprovalInput, Version, VersionRow};
use crate::orgs::OrgId;

/// id, content_sha256, approver_name, approver_position, approved_on, recorded_by, recorded_at
type ApprovalRow = (i64, String, String, String, i64, String, i64);

/// The last approval of a kind and year.
pub async fn last_approval(db: &Db, org: OrgId, kind: Kind, year: i64) -> Result<Option<Approval>, sqlx::Error> {
    let row: Option<ApprovalRow> = sqlx::query_as(
        "SELECT id, content_sha256, approver_name, approver_position, approved_on, recorded_by, recorded_at
         FROM ita_document_approvals WHERE org_id = $1 AND kind = $2 AND fiscal_year = $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(org.0)
    .bind(kind.code())
    .bind(year)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, content_sha256, approver_name, approver_position, approved_on, recorded_by, recorded_at)| {
        Approval {
            id,
            content_sha256,
            approver_name,
            approver_position,
            approved_on: date_of(approved_on),
            recorded_by,
            recorded_at,
        }
    }))
}

/// Records an approval of the draft whose hash is `sha256`, audited, in the caller's transaction.
pub async fn insert_approval(
    tx: &mut Tx,
    org: OrgId,
    (kind, year): (Kind, i64),
    input: &ApprovalInput,
    sha256: &str,
    actor: &str,
) -> anyhow::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO ita_document_approvals (org_id, kind, fiscal_year, content_sha256, approver_name,
             approver_position, approved_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org.0)
    .bind(kind.code())
    .bind(year)
    .bind(sha256)
    .bind(&input.approver_name)
    .bind(&input.approver_position)
    .bind(day_of(input.approved_on))
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let details = serde_json::json!({
        "kind": kind.code(),
        "fiscal_year": year,
        "content_sha256": sha256,
        "approver_name": input.approver_name,
        "approver_position": input.approver_position,
        "approved_on": input.approved_on.to_string(),
    });
    crate::audit::record(tx, org, actor, "approve", "ita_document", &id.to_string(), None, Some(&details)).await?;
    Ok(id)
}

/// The published versions of a kind and year, the newest first.
pub async fn versions(db: &Db, org: OrgId, kind: Kind, year: i64) -> Result<Vec<Version>, sqlx::Error> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT id, version, approval_id, content_sha256, published_by, published_at FROM ita_document_versions
         WHERE org_id = $1 AND kind = $2 AND fiscal_year = $3 ORDER BY version DESC",
    )
    .bind(org.0)
    .bind(kind.code())
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Version::from).collect())
}

/// Every published version of the organization, for the public ITA page: (kind, year, number),
/// the newest year first, the latest version of each kind and year only.
pub async fn published(db: &Db, org: OrgId) -> Result<Vec<(Kind, i64, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kind, fiscal_year, MAX(version) FROM ita_document_versions WHERE org_id = $1
         GROUP BY kind, fiscal_year ORDER BY fiscal_year DESC, kind",
    )
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(|(kind, year, n)| Kind::parse(&kind).map(|k| (k, year, n))).collect())
}

/// What a new version stores.
pub struct NewVersion<'a> {
    pub kind: Kind,
    pub year: i64,
    pub number: i64,
    pub approval_id: i64,
    pub content_sha256: &'a str,
    pub published_at: i64,
    pub document: &'a serde_json::Value,
    pub pdf: Vec<u8>,
    pub docx: Vec<u8>,
}

/// Inserts a published version, audits it and queues its announcement, in the caller's
/// transaction (which holds the organization's write lock). A second version of the same number
/// is refused by the table.
pub async fn insert_version(tx: &mut Tx, org: OrgId, new: NewVersion<'_>, actor: &str) -> anyhow::Result<i64> {
    let sha = crate::measures::evidence::sha256_hex;
    let (pdf_sha, docx_sha) = (sha(&new.pdf), sha(&new.docx));
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO ita_document_versions (org_id, kind, fiscal_year, version, approval_id, content_sha256,
             published_by, published_at, document, pdf, pdf_sha256, docx, docx_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(org.0)
    .bind(new.kind.code())
    .bind(new.year)
    .bind(new.number)
    .bind(new.approval_id)
    .bind(new.content_sha256)
    .bind(actor)
    .bind(new.published_at)
    .bind(new.document.to_string())
    .bind(new.pdf)
    .bind(&pdf_sha)
    .bind(new.docx)
    .bind(&docx_sha)
    .fetch_one(&mut **tx)
    .await?;
    let details = serde_json::json!({
        "kind": new.kind.code(),
        "fiscal_year": new.year,
        "version": new.number,
        "approval_id": new.approval_id,
        "content_sha256": new.content_sha256,
        "pdf_sha256": pdf_sha,
        "docx_sha256": docx_sha,
    });
    crate::audit::record(tx, org, actor, "publish", "ita_document", &id.to_string(), None, Some(&details)).await?;
    let digits = crate::thai::Digits::Thai;
    let name = new.kind.name_th(digits);
    let (fiscal, number) = (crate::thai::format_int(new.year, digits), crate::thai::format_int(new.number, digits));
    let publication = crate::publishing::Publication {
        source: format!("ita_document:{}:{}", new.kind.code(), new.year),
        revision: new.number,
        title: format!("{name} ปีงบประมาณ {fiscal} ฉบับที่ {number}"),
        message: format!("เผยแพร่{name} ปีงบประมาณ {fiscal} ฉบับที่ {number}"),
        page: format!("ita/{}/{}/v{}.pdf", new.kind.segment(), new.year, new.number),
    };
    crate::publishing::enqueue_publication(tx, org, &publication, actor).await?;
    Ok(id)
}

/// Version `number` of a kind and year in `format`: its number and bytes, exactly as stored.
pub async fn file(
    db: &Db,
    org: OrgId,
    (kind, year, number): (Kind, i64, i64),
    format: Format,
) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
    let sql = match format {
        Format::Pdf => {
            "SELECT pdf, pdf_sha256 FROM ita_document_versions
             WHERE org_id = $1 AND kind = $2 AND fiscal_year = $3 AND version = $4"
        }
        Format::Docx => {
            "SELECT docx, docx_sha256 FROM ita_document_versions
             WHERE org_id = $1 AND kind = $2 AND fiscal_year = $3 AND version = $4"
        }
    };
    sqlx::query_as(sql).bind(org.0).bind(kind.code()).bind(year).bind(number).fetch_optional(&db.pool).await
}
