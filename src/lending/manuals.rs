//! Issued versions of the SOP manual (issue 11, item 7). Issuing renders the manual once, from
//! the rules as they stand and the approval, and keeps both its data and its PDF; the public URL
//! serves the newest version's stored bytes, so what was approved is exactly what is published.
//! Every version is kept.

use sqlx::Row;

use super::documents::{self, ManualApproval};
use super::{date_of, day_of, store_rules};
use crate::db::{Db, now};
use crate::docs::first_print::{FileSlot, keep_first};
use crate::docs::typeset::{DocSize, RenderError, Typesetter};
use crate::measures::evidence::sha256_hex;
use crate::orgs::{Org, OrgId};
use crate::thai::FiscalYear;

/// One issued version, as the staff page lists it.
#[derive(Clone, Debug)]
pub struct ManualVersion {
    pub id: i64,
    pub approval: ManualApproval,
    pub issued_by: String,
    pub issued_at: i64,
}

/// The manual's data as the template reads it, made from the organization's rules now.
async fn document(db: &Db, org: &Org, approval: &ManualApproval) -> anyhow::Result<serde_json::Value> {
    let rules = store_rules::load(db, org.id).await?;
    Ok(documents::sop_manual_data(&documents::manual::sop_manual(org, &rules, approval)))
}

/// Prints a manual within the process's render limits (on the web, a manual too large is a 413).
async fn render(pdf: &Typesetter, data: serde_json::Value) -> Result<Vec<u8>, RenderError> {
    let size = DocSize::of(0, "หน้า", &data);
    pdf.pdf("lending_manual", size, move |engine| documents::sop_manual_from_data(engine, &data)).await
}

/// Inserts a version and audits it, in one transaction. `pdf` is `None` only for the demo
/// (seeded without a renderer): its first public request prints and keeps it.
async fn insert(
    db: &Db,
    org: OrgId,
    approval: &ManualApproval,
    data: &serde_json::Value,
    pdf: Option<&[u8]>,
    actor: &str,
) -> anyhow::Result<i64> {
    let mut tx = db.write(org).await?;
    let sha = pdf.map(sha256_hex);
    let row = sqlx::query(
        "INSERT INTO lending_manuals (org_id, fiscal_year, approved_on, approver_name, approver_position,
             issued_by, issued_at, document, pdf, pdf_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(i64::from(approval.fiscal_year.be()))
    .bind(day_of(approval.approved_on))
    .bind(approval.approver_name.trim())
    .bind(approval.approver_position.trim())
    .bind(actor)
    .bind(now())
    .bind(data.to_string())
    .bind(pdf.map(<[u8]>::to_vec))
    .bind(sha.clone())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get(0)?;
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "create",
        "lending_manual",
        &id.to_string(),
        None,
        Some(&serde_json::json!({
            "fiscal_year": approval.fiscal_year.be(),
            "approved_on": approval.approved_on.to_string(),
            "approver_name": approval.approver_name.trim(),
            "approver_position": approval.approver_position.trim(),
            "pdf_sha256": sha,
        })),
    )
    .await?;
    let fiscal = crate::thai::format_int(i64::from(approval.fiscal_year.be()), crate::thai::Digits::Thai);
    let publication = crate::publishing::Publication {
        source: "lending_manual".into(),
        revision: id,
        title: format!("คู่มือการยืมพัสดุ (SOP) ปีงบประมาณ {fiscal}"),
        message: format!("ออกใช้คู่มือการปฏิบัติงานการยืมพัสดุ (SOP) ปีงบประมาณ {fiscal} ฉบับใหม่"),
        page: "lending/manual.pdf".into(),
    };
    crate::publishing::enqueue_publication(&mut tx, org, &publication, actor).await?;
    tx.commit().await?;
    Ok(id)
}

/// Issues the manual: renders it from today's rules and the approval, stores data and PDF.
/// `Ok(Err(message))`: the approval is refused (the message names the field, in Thai).
pub async fn issue(
    db: &Db,
    pdf: &Typesetter,
    org: &Org,
    approval: &ManualApproval,
    actor: &str,
) -> Result<Result<(i64, Vec<u8>), String>, RenderError> {
    if let Err(message) = approval.check(super::today()) {
        return Ok(Err(message));
    }
    let data = document(db, org, approval).await?;
    let bytes = render(pdf, data.clone()).await?;
    let id = insert(db, org.id, approval, &data, Some(&bytes), actor).await?;
    Ok(Ok((id, bytes)))
}

/// Records an approved version without printing it yet (the demo's seed has no renderer).
pub async fn record_unprinted(db: &Db, org: &Org, approval: &ManualApproval, actor: &str) -> anyhow::Result<i64> {
    let data = document(db, org, approval).await?;
    insert(db, org.id, approval, &data, None, actor).await
}

/// Every version, the last issued first.
pub async fn list(db: &Db, org: OrgId) -> anyhow::Result<Vec<ManualVersion>> {
    let rows = sqlx::query(
        "SELECT id, fiscal_year, approved_on, approver_name, approver_position, issued_by, issued_at
         FROM lending_manuals WHERE org_id = $1 ORDER BY id DESC",
    )
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let year: i64 = r.try_get(1)?;
            Ok(ManualVersion {
                id: r.try_get(0)?,
                approval: ManualApproval {
                    fiscal_year: FiscalYear::new(i32::try_from(year)?)?,
                    approved_on: date_of(r.try_get(2)?),
                    approver_name: r.try_get(3)?,
                    approver_position: r.try_get(4)?,
                },
                issued_by: r.try_get(5)?,
                issued_at: r.try_get(6)?,
            })
        })
        .collect()
}

/// The PDF of version `id`, or of the published one (the version issued last: re-issuing a manual, even for an older year, is deliberate) when
/// `id` is `None`. A version seeded without its PDF is printed once here and kept.
pub async fn pdf_of(db: &Db, pdf: &Typesetter, org: OrgId, id: Option<i64>) -> Result<Option<Vec<u8>>, RenderError> {
    let select = "SELECT id, document, pdf FROM lending_manuals WHERE org_id = $1";
    let row = match id {
        Some(id) => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{select} AND id = $2")))
                .bind(org.0)
                .bind(id)
                .fetch_optional(&db.pool)
                .await?
        }
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{select} ORDER BY id DESC LIMIT 1")))
                .bind(org.0)
                .fetch_optional(&db.pool)
                .await?
        }
    };
    let Some(row) = row else { return Ok(None) };
    let id: i64 = row.try_get(0)?;
    if let Some(bytes) = row.try_get::<Option<Vec<u8>>, _>(2)? {
        return Ok(Some(bytes));
    }
    let data: serde_json::Value =
        serde_json::from_str(&row.try_get::<String, _>(1)?).map_err(|e| RenderError::Failed(e.into()))?;
    let bytes = render(pdf, data).await?;
    let slot = FileSlot {
        table: "lending_manuals",
        id,
        bytes_column: "pdf",
        sha_column: "pdf_sha256",
        entity: "lending_manual",
    };
    let (kept, _) = keep_first(db, org, &slot, bytes).await?;
    Ok(Some(kept))
}
