//! Who may take tickets without a login, so that a stranger cannot flood the line:
//!
//! - **A kiosk** is a screen staff authorised: an admin opens the point's page on it and presses
//!   "ใช้เครื่องนี้เป็นตู้ออกบัตรคิว"; the browser gets a cookie holding a random token (its SHA-256
//!   is kept in `queue_kiosks`, revocable). Only such a screen issues tickets from the kiosk page;
//!   physical presence at the office is its limit.
//! - **The entrance QR** links to the point's join page with the point's secret (`entrance_key`),
//!   printed on the poster at the entrance: someone elsewhere cannot read it, staff print a new
//!   poster to change it. Each phone address may hold [`QR_WAITING_PER_ADDRESS`] waiting tickets and
//!   take [`QR_DAILY_PER_ADDRESS`] a day; the address is kept only as a keyed hash.
//! - **Staff** issue at the counter page, logged in.
//!
//! [`QR_WAITING_PER_ADDRESS`]: super::tickets::QR_WAITING_PER_ADDRESS
//! [`QR_DAILY_PER_ADDRESS`]: super::tickets::QR_DAILY_PER_ADDRESS

use sqlx::Row;

use super::PointId;
use crate::auth::sessions::token_hash;
use crate::db::Db;
use crate::orgs::OrgId;

/// The cookie an authorised kiosk screen carries.
pub const COOKIE: &str = "prongsai_kiosk";
/// A kiosk stays authorised for a year unless revoked.
pub const COOKIE_MAX_AGE: i64 = 365 * 86_400;

/// An authorised kiosk screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kiosk {
    pub id: i64,
    pub point_id: PointId,
    pub name: String,
    pub created_by: String,
    pub created_at: i64,
}

/// Authorises a screen at a point; returns the token for its cookie (kept nowhere else).
pub async fn authorise(db: &Db, org: OrgId, point: PointId, name: &str, actor: &str) -> anyhow::Result<Option<String>> {
    let token = crate::auth::sessions::random_hex::<32>();
    let mut tx = db.write(org).await?;
    if super::store::point_in(&mut tx, org, point).await?.is_none() {
        return Ok(None);
    }
    let name = if name.trim().is_empty() { "ตู้ออกบัตรคิว" } else { name.trim() };
    let row = sqlx::query(
        "INSERT INTO queue_kiosks (org_id, point_id, token_hash, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
    )
    .bind(org.0)
    .bind(point.0)
    .bind(token_hash(&token))
    .bind(name)
    .bind(actor)
    .bind(crate::db::now())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get(0)?;
    let after = serde_json::json!({ "point_id": point.0, "name": name });
    crate::audit::record(&mut tx, org, actor, "create", "queue_kiosk", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// The kiosk a cookie's token belongs to, in this organization, unless revoked.
pub async fn by_token(db: &Db, org: OrgId, token: &str) -> Result<Option<Kiosk>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, point_id, name, created_by, created_at FROM queue_kiosks
         WHERE org_id = $1 AND token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(org.0)
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(kiosk_from_row).transpose()
}

fn kiosk_from_row(r: &sqlx::any::AnyRow) -> Result<Kiosk, sqlx::Error> {
    Ok(Kiosk {
        id: r.try_get(0)?,
        point_id: PointId(r.try_get(1)?),
        name: r.try_get(2)?,
        created_by: r.try_get(3)?,
        created_at: r.try_get(4)?,
    })
}

/// A point's authorised kiosks.
pub async fn of_point(db: &Db, org: OrgId, point: PointId) -> Result<Vec<Kiosk>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, point_id, name, created_by, created_at FROM queue_kiosks
         WHERE org_id = $1 AND point_id = $2 AND revoked_at IS NULL",
    )
    .bind(org.0)
    .bind(point.0)
    .fetch_all(&db.pool)
    .await?;
    // Sorted here: an ORDER BY id would have PostgreSQL walk the primary key instead.
    let mut kiosks = rows.iter().map(kiosk_from_row).collect::<Result<Vec<_>, _>>()?;
    kiosks.sort_by_key(|k| k.id);
    Ok(kiosks)
}

/// Revokes a kiosk: its screen can no longer issue tickets. False: not the organization's.
pub async fn revoke(db: &Db, org: OrgId, id: i64, actor: &str) -> anyhow::Result<Option<PointId>> {
    let mut tx = db.write(org).await?;
    let row = sqlx::query(
        "UPDATE queue_kiosks SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL RETURNING point_id",
    )
    .bind(crate::db::now())
    .bind(id)
    .bind(org.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let point = PointId(row.try_get(0)?);
    crate::audit::record(&mut tx, org, actor, "revoke", "queue_kiosk", &id.to_string(), None, None).await?;
    tx.commit().await?;
    Ok(Some(point))
}

/// The keyed hash a QR ticket keeps of the phone's address: enough to count its tickets, not
/// to recover the address.
pub async fn client_key(db: &Db, addr: std::net::IpAddr) -> Result<String, sqlx::Error> {
    let secret = crate::auth::secrets::get_or_create(db, "queue_client").await?;
    Ok(hex::encode(crate::auth::secrets::hmac_sha256(&secret, addr.to_canonical().to_string().as_bytes())))
}
