//! Evidence of a measure: links, and uploaded files checked for size and type and fingerprinted
//! with SHA-256 so an auditor can tell the published file is the one that was filed.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Row};

use super::MeasureId;
use crate::db::{Db, now};
use crate::http::upload::{FileRefusal, FileType, file_type};
use crate::orgs::OrgId;

#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub measure_id: i64,
    pub title: String,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EvidenceError {
    #[error("กรุณาระบุชื่อหลักฐาน (the evidence needs a title)")]
    MissingTitle,
    #[error("ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// (a link must start with http:// or https://)")]
    BadUrl,
    #[error("ไฟล์ว่างเปล่า (the file is empty)")]
    Empty,
    #[error("ไฟล์ใหญ่เกิน {limit_mb} MB (the file is larger than {limit_mb} MB)")]
    TooLarge { limit_mb: usize },
    #[error(
        "รับเฉพาะไฟล์ PDF, รูปภาพ PNG/JPEG หรือเอกสาร Word/Excel/OpenDocument: ไฟล์ \"{0}\" ไม่ใช่ชนิดที่รับ (only PDF, PNG/JPEG images and Word/Excel/OpenDocument files are accepted)"
    )]
    UnsupportedType(String),
    #[error(
        "ไฟล์ \"{0}\" ไม่ครบ ส่วนท้ายของไฟล์หายไป (อาจดาวน์โหลดหรือคัดลอกไม่เสร็จ) กรุณาเปิดไฟล์ตรวจดูแล้วส่งใหม่ (the file is cut short)"
    )]
    CutShort(String),
}

/// The accepted types: (extension, content type, magic bytes at the start).
const TYPES: &[FileType] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
];

/// Checks a file by its name's extension AND its first bytes (a renamed .exe is refused).
pub fn check_file(file_name: &str, bytes: &[u8], limit: usize) -> Result<&'static str, EvidenceError> {
    file_type(file_name, bytes, limit, TYPES).map_err(|refusal| match refusal {
        FileRefusal::Empty => EvidenceError::Empty,
        FileRefusal::CutShort => EvidenceError::CutShort(file_name.to_string()),
        FileRefusal::TooLarge { limit_mb } => EvidenceError::TooLarge { limit_mb },
        FileRefusal::UnsupportedType => EvidenceError::UnsupportedType(file_name.to_string()),
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

async fn measure_exists(tx: &mut crate::db::Tx, org: OrgId, measure: MeasureId) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM measures WHERE id = $1 AND org_id = $2")
        .bind(measure.0)
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// A new piece of evidence: a link or a checked file.
pub enum NewEvidence<'a> {
    Link { title: &'a str, url: &'a str },
    File { title: &'a str, file_name: &'a str, bytes: &'a [u8] },
}

/// Adds evidence to a measure of the organization. Ok(None) when the measure is not the org's.
pub async fn add(
    db: &Db,
    org: OrgId,
    measure: MeasureId,
    new: NewEvidence<'_>,
    limit: usize,
    actor: &str,
) -> anyhow::Result<Result<Option<i64>, EvidenceError>> {
    let (title, url, file) = match &new {
        NewEvidence::Link { title, url } => {
            let url = url.trim();
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(char::is_whitespace) {
                return Ok(Err(EvidenceError::BadUrl));
            }
            (title.trim(), Some(url), None)
        }
        NewEvidence::File { title, file_name, bytes } => match check_file(file_name, bytes, limit) {
            Ok(ct) => (title.trim(), None, Some((*file_name, ct, *bytes))),
            Err(e) => return Ok(Err(e)),
        },
    };
    let title = if title.is_empty() { file.map(|f| f.0).unwrap_or("") } else { title };
    if title.is_empty() {
        return Ok(Err(EvidenceError::MissingTitle));
    }
    let mut tx = db.write(org).await?;
    if !measure_exists(&mut tx, org, measure).await? {
        return Ok(Ok(None));
    }
    let sha = file.map(|(_, _, b)| sha256_hex(b));
    let row = sqlx::query(
        "INSERT INTO evidence (org_id, measure_id, title, url, file_name, content_type, size_bytes, sha256, content, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(org.0)
    .bind(measure.0)
    .bind(title)
    .bind(url)
    .bind(file.map(|f| f.0))
    .bind(file.map(|f| f.1))
    .bind(file.map(|f| f.2.len() as i64))
    .bind(&sha)
    .bind(file.map(|f| f.2.to_vec()))
    .bind(now())
    .bind(actor)
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get(0)?;
    let after = serde_json::json!({
        "measure_id": measure.0, "title": title, "url": url,
        "file_name": file.map(|f| f.0), "size_bytes": file.map(|f| f.2.len()), "sha256": sha,
    });
    crate::audit::record(&mut tx, org, actor, "create", "evidence", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(Some(id)))
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Evidence, sqlx::Error> {
    Ok(Evidence {
        id: r.try_get("id")?,
        measure_id: r.try_get("measure_id")?,
        title: r.try_get("title")?,
        url: r.try_get("url")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
    })
}

const COLUMNS: &str = "id, measure_id, title, url, file_name, content_type, size_bytes, sha256";

/// Evidence of all measures of a year, in the order added.
pub async fn list_for_year(db: &Db, org: OrgId, year: i64) -> Result<Vec<Evidence>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence WHERE org_id = $1
         AND measure_id IN (SELECT id FROM measures WHERE org_id = $1 AND fiscal_year = $2) ORDER BY id"
    )))
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn list_for_measure(db: &Db, org: OrgId, measure: MeasureId) -> Result<Vec<Evidence>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence WHERE org_id = $1 AND measure_id = $2 ORDER BY id"
    )))
    .bind(org.0)
    .bind(measure.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// A stored file with its bytes.
pub async fn file(db: &Db, org: OrgId, id: i64) -> Result<Option<(Evidence, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, content FROM evidence WHERE id = $1 AND org_id = $2 AND content IS NOT NULL"
    )))
    .bind(id)
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((from_row(&r)?, r.try_get::<Vec<u8>, _>("content")?))).transpose()
}

/// Removes evidence; returns its measure, or None when it is not the org's.
pub async fn delete(db: &Db, org: OrgId, id: i64, actor: &str) -> anyhow::Result<Option<MeasureId>> {
    let mut tx = db.write(org).await?;
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {COLUMNS} FROM evidence WHERE id = $1 AND org_id = $2")))
        .bind(id)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let found = from_row(&row)?;
    let before = serde_json::to_value(&found)?;
    sqlx::query("DELETE FROM evidence WHERE id = $1 AND org_id = $2").bind(id).bind(org.0).execute(&mut *tx).await?;
    crate::audit::record(&mut tx, org, actor, "delete", "evidence", &id.to_string(), Some(&before), None).await?;
    tx.commit().await?;
    Ok(Some(MeasureId(found.measure_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_accepted_by_name_and_content() {
        assert_eq!(check_file("คู่มือ.pdf", b"%PDF-1.7 ...\n%%EOF\n", 1000), Ok("application/pdf"));
        assert_eq!(check_file("คู่มือ.pdf", b"%PDF-1.7 ...", 1000), Err(EvidenceError::CutShort("คู่มือ.pdf".into())));
    }

    #[test]
    fn a_renamed_executable_is_refused() {
        assert!(matches!(check_file("manual.pdf", b"MZ\x90\x00", 1000), Err(EvidenceError::UnsupportedType(_))));
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        assert_eq!(
            check_file("a.pdf", &[b'%'; 3 * 1024 * 1024], 2 * 1024 * 1024),
            Err(EvidenceError::TooLarge { limit_mb: 2 })
        );
    }
}
