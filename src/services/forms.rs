//! Forms citizens download (แบบฟอร์ม): files uploaded per service, checked by name and first bytes,
//! stored in the database and never changed. The public may download a form only once a
//! published version of its service offers it; a form uploaded for a draft stays private.

use sqlx::Row;

use super::ServiceId;
use crate::db::{Db, Tx, now};
use crate::http::upload::{FileRefusal, FileType, cut_short, file_type};
use crate::orgs::OrgId;

/// An uploaded form's record (without its bytes).
#[derive(Clone, Debug)]
pub struct Form {
    pub id: i64,
    pub service: ServiceId,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// The accepted types: (extension, content type, magic bytes at the start). Office files and PDF
/// only: what a citizen prints and fills in, never anything a browser would run.
const TYPES: &[FileType] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ("doc", "application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("xls", "application/vnd.ms-excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
];

/// The content type of an acceptable file, or why it is refused (in Thai).
pub fn check_file(file_name: &str, bytes: &[u8], limit: usize) -> Result<&'static str, String> {
    file_type(file_name, bytes, limit, TYPES).map_err(|refusal| match refusal {
        FileRefusal::Empty => "ไฟล์ว่างเปล่า".into(),
        FileRefusal::CutShort => cut_short(file_name),
        FileRefusal::TooLarge { limit_mb } => format!("ไฟล์ใหญ่เกิน {limit_mb} MB"),
        FileRefusal::UnsupportedType => {
            format!("รับเฉพาะแบบฟอร์มที่เป็นไฟล์ PDF, Word, Excel หรือ OpenDocument: ไฟล์ \"{file_name}\" ไม่ใช่ชนิดที่รับ")
        }
    })
}

/// An uploaded file, checked by [`check_file`].
pub struct Upload<'a> {
    pub title: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Stores an uploaded form of the service, audited in the caller's transaction.
pub async fn add(
    tx: &mut Tx,
    org: OrgId,
    service: ServiceId,
    upload: &Upload<'_>,
    actor: &str,
) -> anyhow::Result<Form> {
    let Upload { title, file_name, content_type, bytes } = *upload;
    let sha = crate::measures::evidence::sha256_hex(bytes);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO service_forms (org_id, service_id, title, file_name, content_type, size_bytes, sha256, content,
             created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(service.0)
    .bind(title)
    .bind(file_name)
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(&sha)
    .bind(bytes)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let after = serde_json::json!({
        "service_id": service.0, "title": title, "file_name": file_name, "size_bytes": bytes.len(), "sha256": sha,
    });
    crate::audit::record(tx, org, actor, "create", "service_form", &id.to_string(), None, Some(&after)).await?;
    Ok(Form {
        id,
        service,
        title: title.to_string(),
        file_name: file_name.to_string(),
        content_type: content_type.to_string(),
        size_bytes: bytes.len() as i64,
    })
}

/// A form of the service with its bytes (`None` for another organization's or service's id).
pub async fn file(db: &Db, org: OrgId, service: ServiceId, id: i64) -> anyhow::Result<Option<(Form, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT id, service_id, title, file_name, content_type, size_bytes, content FROM service_forms
         WHERE org_id = $1 AND service_id = $2 AND id = $3",
    )
    .bind(org.0)
    .bind(service.0)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let form = Form {
        id: r.try_get("id")?,
        service: ServiceId(r.try_get("service_id")?),
        title: r.try_get("title")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
    };
    Ok(Some((form, r.try_get("content")?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_accepted_by_its_name_and_its_first_bytes() {
        assert_eq!(check_file("คำขอ.PDF", b"%PDF-1.7 ...%%EOF", 100), Ok("application/pdf"));
        assert!(check_file("คำขอ.pdf", b"<html><script>", 100).is_err(), "a page named .pdf");
        assert!(check_file("คำขอ.html", b"%PDF-1.7", 100).is_err(), "a PDF named .html");
        assert!(check_file("a.pdf", b"", 100).unwrap_err().contains("ว่างเปล่า"));
        assert!(check_file("a.pdf", &[b'%'; 200], 100).is_err());
    }
}
