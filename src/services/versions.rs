//! Published versions of a service's manual. Publishing freezes the draft as the next numbered
//! version with its PDF (printed once, then served byte for byte) and sets the service's minutes at
//! the counter, which the queue measures service against. Versions are never changed.

use sqlx::{AssertSqlSafe, Row};

use super::manual::Manual;
use super::{Service, ServiceId, drafts, pdf, rules, store};
use crate::db::{Db, now};
use crate::docs::first_print::{FileSlot, keep_first};
use crate::docs::typeset::{RenderError, Typesetter};
use crate::measures::evidence::sha256_hex;
use crate::orgs::{Org, OrgId};

/// One published version.
#[derive(Clone, Debug)]
pub struct Published {
    pub id: i64,
    pub service: ServiceId,
    pub number: i64,
    pub manual: Manual,
    pub standard_minutes: Option<i64>,
    pub published_by: String,
    pub published_at: i64,
}

/// Why a draft was not published, in Thai.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("ยังไม่ได้เขียนคู่มือของงานบริการนี้ กรุณาบันทึกร่างก่อนประกาศ")]
    NoDraft,
    #[error("ร่างคู่มือยังไม่ครบ: {0}")]
    Incomplete(String),
    #[error("ร่างไม่มีการเปลี่ยนแปลงจากฉบับที่ประกาศล่าสุด จึงไม่ได้ออกฉบับใหม่")]
    Unchanged,
    #[error("ร่างถูกแก้ไขหรือมีการประกาศฉบับอื่นระหว่างนี้ กรุณาตรวจร่างอีกครั้งแล้วประกาศใหม่")]
    ChangedMeanwhile,
}

const COLUMNS: &str = "id, service_id, version, manual, standard_minutes, published_by, published_at";

fn from_row(r: &sqlx::any::AnyRow) -> anyhow::Result<Published> {
    Ok(Published {
        id: r.try_get("id")?,
        service: ServiceId(r.try_get("service_id")?),
        number: r.try_get("version")?,
        manual: serde_json::from_str(&r.try_get::<String, _>("manual")?)?,
        standard_minutes: r.try_get("standard_minutes")?,
        published_by: r.try_get("published_by")?,
        published_at: r.try_get("published_at")?,
    })
}

/// The service's versions, the newest first.
pub async fn list(db: &Db, org: OrgId, service: ServiceId) -> anyhow::Result<Vec<Published>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM service_versions WHERE org_id = $1 AND service_id = $2 ORDER BY version DESC"
    )))
    .bind(org.0)
    .bind(service.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Version `number` of the service, or its latest when `number` is `None`.
pub async fn find(db: &Db, org: OrgId, service: ServiceId, number: Option<i64>) -> anyhow::Result<Option<Published>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM service_versions WHERE org_id = $1 AND service_id = $2 AND ($3 = 0 OR version = $3)
         ORDER BY version DESC LIMIT 1"
    )))
    .bind(org.0)
    .bind(service.0)
    .bind(number.unwrap_or(0))
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The catalogue as the public sees it: each service still offered that has a published
/// version, with its latest version, in catalogue order.
pub async fn catalogue(db: &Db, org: OrgId) -> anyhow::Result<Vec<(Service, Published)>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM service_versions v WHERE org_id = $1
           AND version = (SELECT MAX(version) FROM service_versions w WHERE w.service_id = v.service_id)"
    )))
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    let mut latest: std::collections::HashMap<ServiceId, Published> =
        rows.iter().map(from_row).map(|p| p.map(|p| (p.service, p))).collect::<anyhow::Result<_>>()?;
    Ok(store::list(db, org, false).await?.into_iter().filter_map(|s| latest.remove(&s.id).map(|p| (s, p))).collect())
}

/// Publishes the service's draft as its next version. The PDF is typeset before the write lock
/// is taken (typesetting must not hold up the organization's other writes); under the lock the
/// draft and the version count are read again, and a change meanwhile refuses the publication.
pub async fn publish(
    db: &Db,
    typesetter: &Typesetter,
    org: &Org,
    service: ServiceId,
    actor: &str,
) -> Result<Result<Published, Refusal>, RenderError> {
    let Some(draft) = drafts::load(db, org.id, service).await? else {
        return Err(RenderError::Failed(anyhow::anyhow!("service {service} is not the organization's")));
    };
    if draft.saved.is_none() {
        return Ok(Err(Refusal::NoDraft));
    }
    if let Some(first) = rules::check(&draft.manual).first() {
        return Ok(Err(Refusal::Incomplete(first.message.clone())));
    }
    let latest = find(db, org.id, service, None).await?;
    if latest.as_ref().is_some_and(|l| l.manual == draft.manual) {
        return Ok(Err(Refusal::Unchanged));
    }
    let number = latest.as_ref().map_or(1, |l| l.number + 1);
    let published_at = now();
    let facilities = crate::queue::facilities::printed_for_service(db, org.id, service.0).await?;
    let printed = pdf::Printed { manual: &draft.manual, version: Some((number, published_at)), facilities };
    let bytes = pdf::typeset(typesetter, draft.manual.steps.len(), pdf::manual_data(org, &printed)).await?;
    let stored = insert(db, org.id, service, number, &draft.manual, published_at, Some(&bytes), actor).await?;
    Ok(stored)
}

/// Records a version without printing it (the demo's seed has no renderer): its first request
/// prints it and keeps it.
pub async fn record_unprinted(
    db: &Db,
    org: OrgId,
    service: ServiceId,
    manual: &Manual,
    published_at: i64,
    actor: &str,
) -> anyhow::Result<Result<Published, Refusal>> {
    let number = find(db, org, service, None).await?.map_or(1, |l| l.number + 1);
    insert(db, org, service, number, manual, published_at, None, actor).await
}

/// Stores version `number` if the draft still is `manual` and no other version came first.
#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &Db,
    org: OrgId,
    service: ServiceId,
    number: i64,
    manual: &Manual,
    published_at: i64,
    pdf: Option<&[u8]>,
    actor: &str,
) -> anyhow::Result<Result<Published, Refusal>> {
    let mut tx = db.write(org).await?;
    let draft = drafts::manual_in(&mut tx, org, service).await?;
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM service_versions WHERE org_id = $1 AND service_id = $2")
            .bind(org.0)
            .bind(service.0)
            .fetch_one(&mut *tx)
            .await?;
    if draft.as_ref() != Some(manual) || last.unwrap_or(0) + 1 != number {
        tx.rollback().await?;
        return Ok(Err(Refusal::ChangedMeanwhile));
    }
    let minutes = manual.counter_minutes();
    let sha = pdf.map(sha256_hex);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO service_versions (org_id, service_id, version, manual, standard_minutes, published_by,
             published_at, pdf, pdf_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org.0)
    .bind(service.0)
    .bind(number)
    .bind(serde_json::to_string(manual)?)
    .bind(minutes)
    .bind(actor)
    .bind(published_at)
    .bind(pdf.map(<[u8]>::to_vec))
    .bind(sha.clone())
    .fetch_one(&mut *tx)
    .await?;
    // The queue measures service against the published standard, never against a draft's.
    sqlx::query("UPDATE services SET standard_minutes = $1, updated_at = $2 WHERE org_id = $3 AND id = $4")
        .bind(minutes)
        .bind(now())
        .bind(org.0)
        .bind(service.0)
        .execute(&mut *tx)
        .await?;
    let after = serde_json::json!({
        "service_id": service.0, "version": number, "standard_minutes": minutes, "pdf_sha256": sha,
    });
    crate::audit::record(&mut tx, org, actor, "publish", "service_manual", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(Published {
        id,
        service,
        number,
        manual: manual.clone(),
        standard_minutes: minutes,
        published_by: actor.to_string(),
        published_at,
    }))
}

/// The PDF of a published version as stored (a version recorded without it is printed once here
/// and kept, so it never changes after a citizen has seen it).
pub async fn pdf_of(db: &Db, typesetter: &Typesetter, org: &Org, version: &Published) -> Result<Vec<u8>, RenderError> {
    let stored: Option<Vec<u8>> = sqlx::query_scalar("SELECT pdf FROM service_versions WHERE org_id = $1 AND id = $2")
        .bind(org.id.0)
        .bind(version.id)
        .fetch_one(&db.pool)
        .await?;
    if let Some(bytes) = stored {
        return Ok(bytes);
    }
    let facilities = crate::queue::facilities::printed_for_service(db, org.id, version.service.0).await?;
    let printed =
        pdf::Printed { manual: &version.manual, version: Some((version.number, version.published_at)), facilities };
    let bytes = pdf::typeset(typesetter, version.manual.steps.len(), pdf::manual_data(org, &printed)).await?;
    let slot = FileSlot {
        table: "service_versions",
        id: version.id,
        bytes_column: "pdf",
        sha_column: "pdf_sha256",
        entity: "service_manual",
    };
    Ok(keep_first(db, org.id, &slot, bytes).await?.0)
}

/// The booklet of every published manual, latest versions in catalogue order, dated `today`.
/// `None` when nothing is published yet.
pub async fn booklet(
    db: &Db,
    typesetter: &Typesetter,
    org: &Org,
    today: chrono::NaiveDate,
) -> Result<Option<Vec<u8>>, RenderError> {
    let catalogue = catalogue(db, org.id).await?;
    if catalogue.is_empty() {
        return Ok(None);
    }
    let mut printed: Vec<pdf::Printed<'_>> = Vec::with_capacity(catalogue.len());
    for (_, p) in &catalogue {
        let facilities = crate::queue::facilities::printed_for_service(db, org.id, p.service.0).await?;
        printed.push(pdf::Printed { manual: &p.manual, version: Some((p.number, p.published_at)), facilities });
    }
    let steps = catalogue.iter().map(|(_, p)| p.manual.steps.len()).sum();
    let data = pdf::booklet_data(org, &printed, today);
    Ok(Some(pdf::typeset(typesetter, steps, data).await?))
}
