//! What a service point offers its citizens while they wait (issue 16, item 2): a fixed list of
//! facilities, ticked by the admin, and photos of them; shown on the site's page of service
//! points and on each service's page.

use sqlx::Row;

use super::PointId;
use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

/// The facilities a point can list: (code, Thai).
pub const FACILITIES: &[(&str, &str)] = &[
    ("seating", "ที่นั่งรอรับบริการ"),
    ("water", "น้ำดื่ม"),
    ("wifi", "อินเทอร์เน็ตไร้สาย (Wi-Fi) ฟรี"),
    ("accessible_toilet", "ห้องน้ำสำหรับผู้พิการและผู้สูงอายุ"),
    ("ramp", "ทางลาดสำหรับรถเข็น"),
    ("parking", "ที่จอดรถ"),
];

/// The Thai names of stored codes, in the list's order (unknown codes are dropped).
pub fn labels(stored: &str) -> Vec<&'static str> {
    let codes: Vec<&str> = stored.split(',').map(str::trim).collect();
    FACILITIES.iter().filter(|(c, _)| codes.contains(c)).map(|(_, l)| *l).collect()
}

/// The stored form of ticked codes: known ones only, in the list's order.
pub fn stored(ticked: &[String]) -> String {
    FACILITIES.iter().filter(|(c, _)| ticked.iter().any(|t| t == c)).map(|(c, _)| *c).collect::<Vec<_>>().join(",")
}

/// A point's facilities as stored.
pub async fn of_point(db: &Db, org: OrgId, point: PointId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT facilities FROM queue_points WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(point.0)
        .fetch_optional(&db.pool)
        .await
}

/// Every point of the organization: (id, name, facilities as stored), in creation order.
pub async fn points(db: &Db, org: OrgId) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, facilities FROM queue_points WHERE org_id = $1 ORDER BY id")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await
}

/// The points that give a service, with their facilities as stored: (name, facilities).
pub async fn points_of_service(db: &Db, org: OrgId, service: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.name, p.facilities FROM queue_point_services s
         JOIN queue_points p ON p.id = s.point_id AND p.org_id = s.org_id
         WHERE s.service_id = $2 AND s.org_id = $1 ORDER BY p.id",
    )
    .bind(org.0)
    .bind(service)
    .fetch_all(&db.pool)
    .await
}

/// The points that give a service and list at least one facility, as a citizen manual prints
/// them: (point name, Thai facility names).
pub async fn printed_for_service(
    db: &Db,
    org: OrgId,
    service: i64,
) -> Result<Vec<(String, Vec<&'static str>)>, sqlx::Error> {
    Ok(points_of_service(db, org, service)
        .await?
        .into_iter()
        .map(|(name, stored)| (name, labels(&stored)))
        .filter(|(_, listed)| !listed.is_empty())
        .collect())
}

/// Saves the ticked facilities; false when the point is not the organization's.
pub async fn set(tx: &mut Tx, org: OrgId, point: PointId, ticked: &[String], actor: &str) -> anyhow::Result<bool> {
    let value = stored(ticked);
    let done = sqlx::query("UPDATE queue_points SET facilities = $1 WHERE org_id = $2 AND id = $3")
        .bind(&value)
        .bind(org.0)
        .bind(point.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    let after = serde_json::json!({ "facilities": value });
    crate::audit::record(tx, org, actor, "update", "point_facilities", &point.0.to_string(), None, Some(&after))
        .await?;
    Ok(true)
}

/// A photo's record (without its bytes).
#[derive(Clone, Debug)]
pub struct Photo {
    pub id: i64,
    pub point_id: i64,
    pub caption: String,
}

/// Photos of the organization's points (of one point, when given), in the order added.
pub async fn photos(db: &Db, org: OrgId, point: Option<PointId>) -> Result<Vec<Photo>, sqlx::Error> {
    let rows = match point {
        Some(point) => {
            sqlx::query(
                "SELECT id, point_id, caption FROM point_photos WHERE org_id = $1 AND point_id = $2 ORDER BY id",
            )
            .bind(org.0)
            .bind(point.0)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query("SELECT id, point_id, caption FROM point_photos WHERE org_id = $1 ORDER BY point_id, id")
                .bind(org.0)
                .fetch_all(&db.pool)
                .await?
        }
    };
    rows.iter()
        .map(|r| Ok(Photo { id: r.try_get("id")?, point_id: r.try_get("point_id")?, caption: r.try_get("caption")? }))
        .collect()
}

/// The content type of an acceptable photo, or why it is refused (in Thai).
pub fn check_photo(file_name: &str, bytes: &[u8], limit: usize) -> Result<&'static str, String> {
    use crate::http::upload::FileRefusal;
    crate::http::upload::file_type(file_name, bytes, limit, crate::http::upload::IMAGE_TYPES).map_err(|refusal| {
        match refusal {
            FileRefusal::Empty => "ไฟล์ว่างเปล่า".into(),
            FileRefusal::CutShort => crate::http::upload::cut_short(file_name),
            FileRefusal::TooLarge { limit_mb } => format!("รูปใหญ่เกิน {limit_mb} MB"),
            FileRefusal::UnsupportedType => format!("รับเฉพาะรูปภาพ PNG หรือ JPEG: ไฟล์ \"{file_name}\" ไม่ใช่ชนิดที่รับ"),
        }
    })
}

/// Adds a photo; None when the point is not the organization's.
pub async fn add_photo(
    tx: &mut Tx,
    org: OrgId,
    point: PointId,
    caption: &str,
    content_type: &str,
    bytes: &[u8],
    actor: &str,
) -> anyhow::Result<Option<i64>> {
    let own: Option<i64> = sqlx::query_scalar("SELECT id FROM queue_points WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(point.0)
        .fetch_optional(&mut **tx)
        .await?;
    if own.is_none() {
        return Ok(None);
    }
    let sha = crate::measures::evidence::sha256_hex(bytes);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO point_photos (org_id, point_id, caption, content_type, sha256, content, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(org.0)
    .bind(point.0)
    .bind(caption)
    .bind(content_type)
    .bind(&sha)
    .bind(bytes)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let after =
        serde_json::json!({ "point_id": point.0, "caption": caption, "sha256": sha, "size_bytes": bytes.len() });
    crate::audit::record(tx, org, actor, "create", "point_photo", &id.to_string(), None, Some(&after)).await?;
    Ok(Some(id))
}

/// Removes a photo; false when it is not the organization's.
pub async fn remove_photo(tx: &mut Tx, org: OrgId, id: i64, actor: &str) -> anyhow::Result<Option<i64>> {
    let point: Option<i64> =
        sqlx::query_scalar("DELETE FROM point_photos WHERE org_id = $1 AND id = $2 RETURNING point_id")
            .bind(org.0)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(point) = point else { return Ok(None) };
    let before = serde_json::json!({ "point_id": point });
    crate::audit::record(tx, org, actor, "delete", "point_photo", &id.to_string(), Some(&before), None).await?;
    Ok(Some(point))
}

/// A photo's type and bytes.
pub async fn photo_file(db: &Db, org: OrgId, id: i64) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query("SELECT content_type, content FROM point_photos WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("content_type")?, r.try_get("content")?))).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facilities_are_stored_as_known_codes_in_the_lists_order() {
        let ticked = vec!["wifi".to_string(), "seating".into(), "<script>".into()];
        assert_eq!(stored(&ticked), "seating,wifi");
        assert_eq!(labels("seating,wifi,unknown"), vec!["ที่นั่งรอรับบริการ", "อินเทอร์เน็ตไร้สาย (Wi-Fi) ฟรี"]);
        assert!(labels("").is_empty());
    }
}
