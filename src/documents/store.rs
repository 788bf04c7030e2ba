//! Documents and their versions in SQL. A version is never changed or removed; a document's URL
//! serves its latest version. Every change is audited in the same transaction.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Category;
use crate::db::{Db, Tx, now};
use crate::http::paging::PageRequest;
use crate::http::upload::{FileRefusal, FileType, file_type};
use crate::orgs::OrgId;

/// What a document says about itself (its details, without files).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    pub category: Category,
    pub title: String,
    pub description: String,
    /// Buddhist-era fiscal year it belongs to.
    pub fiscal_year: Option<i64>,
    /// yyyymmdd: the date on the document.
    pub issued_on: i64,
    /// Staff acknowledge it ("read and understood"), each version again.
    pub for_staff: bool,
}

#[derive(Clone, Debug)]
pub struct Document {
    pub id: i64,
    pub details: Details,
    pub latest_version: i64,
    pub updated_at: i64,
}

/// One file of a document (without its bytes).
#[derive(Clone, Debug)]
pub struct Version {
    pub version: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub note: String,
    pub created_at: i64,
}

/// An uploaded file, checked by [`check_file`].
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    /// What changed in this version ("แก้ไขตามคำสั่งที่ …"); empty for the first.
    pub note: &'a str,
}

/// What the library takes: documents and scans people read, never anything a browser runs.
const TYPES: &[FileType] = &[
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ("doc", "application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("xls", "application/vnd.ms-excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
];

/// The content type of an acceptable file, or why it is refused (in Thai).
pub fn check_file(file_name: &str, bytes: &[u8], limit: usize) -> Result<&'static str, String> {
    file_type(file_name, bytes, limit, TYPES).map_err(|refusal| match refusal {
        FileRefusal::Empty => format!("ไฟล์ \"{file_name}\" ว่างเปล่า"),
        FileRefusal::CutShort => crate::http::upload::cut_short(file_name),
        FileRefusal::TooLarge { limit_mb } => format!("ไฟล์ใหญ่เกิน {limit_mb} MB"),
        FileRefusal::UnsupportedType => {
            format!("รับเฉพาะไฟล์ PDF, Word, Excel, OpenDocument หรือรูปภาพ PNG/JPEG: ไฟล์ \"{file_name}\" ไม่ใช่ชนิดที่รับ")
        }
    })
}

fn search_words(d: &Details) -> String {
    crate::portal::search::index_words(&[&d.title, &d.description, d.category.label_th()])
}

fn details_json(d: &Details) -> serde_json::Value {
    serde_json::json!({
        "category": d.category.code(), "title": d.title, "description": d.description,
        "fiscal_year": d.fiscal_year, "issued_on": d.issued_on, "for_staff": d.for_staff,
    })
}

async fn insert_version(
    tx: &mut Tx,
    org: OrgId,
    document: i64,
    version: i64,
    upload: &Upload<'_>,
    actor: &str,
) -> anyhow::Result<()> {
    let sha = crate::measures::evidence::sha256_hex(upload.bytes);
    sqlx::query(
        "INSERT INTO document_versions (org_id, document_id, version, file_name, content_type, size_bytes, sha256,
             content, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(org.0)
    .bind(document)
    .bind(version)
    .bind(upload.file_name)
    .bind(upload.content_type)
    .bind(upload.bytes.len() as i64)
    .bind(&sha)
    .bind(upload.bytes)
    .bind(upload.note)
    .bind(actor)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let after = serde_json::json!({
        "document_id": document, "version": version, "file_name": upload.file_name,
        "size_bytes": upload.bytes.len(), "sha256": sha, "note": upload.note,
    });
    crate::audit::record(
        tx,
        org,
        actor,
        "create",
        "document_version",
        &format!("{document}/{version}"),
        None,
        Some(&after),
    )
    .await?;
    Ok(())
}

/// Adds a document with its first file (version 1).
pub async fn create(
    tx: &mut Tx,
    org: OrgId,
    details: &Details,
    upload: &Upload<'_>,
    actor: &str,
) -> anyhow::Result<i64> {
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (org_id, category, title, description, fiscal_year, issued_on, search_words,
             latest_version, for_staff, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $9, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(details.category.code())
    .bind(&details.title)
    .bind(&details.description)
    .bind(details.fiscal_year)
    .bind(details.issued_on)
    .bind(search_words(details))
    .bind(i64::from(details.for_staff))
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    crate::audit::record(tx, org, actor, "create", "document", &id.to_string(), None, Some(&details_json(details)))
        .await?;
    insert_version(tx, org, id, 1, upload, actor).await?;
    Ok(id)
}

/// Saves a document's details; false when `id` is no document of `org`.
pub async fn update(tx: &mut Tx, org: OrgId, id: i64, details: &Details, actor: &str) -> anyhow::Result<bool> {
    let Some(before) = find_in(tx, org, id).await? else { return Ok(false) };
    if before.details == *details {
        return Ok(true);
    }
    sqlx::query(
        "UPDATE documents SET category = $1, title = $2, description = $3, fiscal_year = $4, issued_on = $5,
             search_words = $6, for_staff = $11, updated_by = $7, updated_at = $8
         WHERE org_id = $9 AND id = $10",
    )
    .bind(details.category.code())
    .bind(&details.title)
    .bind(&details.description)
    .bind(details.fiscal_year)
    .bind(details.issued_on)
    .bind(search_words(details))
    .bind(actor)
    .bind(now())
    .bind(org.0)
    .bind(id)
    .bind(i64::from(details.for_staff))
    .execute(&mut **tx)
    .await?;
    crate::audit::record(
        tx,
        org,
        actor,
        "update",
        "document",
        &id.to_string(),
        Some(&details_json(&before.details)),
        Some(&details_json(details)),
    )
    .await?;
    Ok(true)
}

/// Adds the next version and makes it the one the document's URL serves; its number, or None
/// when `id` is no document of `org`. The row lock (the organization's write) numbers versions
/// without gaps or twins.
pub async fn add_version(
    tx: &mut Tx,
    org: OrgId,
    id: i64,
    upload: &Upload<'_>,
    actor: &str,
) -> anyhow::Result<Option<i64>> {
    let Some(document) = find_in(tx, org, id).await? else { return Ok(None) };
    let next = document.latest_version + 1;
    insert_version(tx, org, id, next, upload, actor).await?;
    sqlx::query(
        "UPDATE documents SET latest_version = $1, updated_by = $2, updated_at = $3 WHERE org_id = $4 AND id = $5",
    )
    .bind(next)
    .bind(actor)
    .bind(now())
    .bind(org.0)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(Some(next))
}

const COLUMNS: &str = "id, category, title, description, fiscal_year, issued_on, for_staff, latest_version, updated_at";

fn document(r: &AnyRow) -> Result<Document, sqlx::Error> {
    Ok(Document {
        id: r.try_get("id")?,
        details: Details {
            category: Category::from_code(&r.try_get::<String, _>("category")?),
            title: r.try_get("title")?,
            description: r.try_get("description")?,
            fiscal_year: r.try_get("fiscal_year")?,
            issued_on: r.try_get("issued_on")?,
            for_staff: r.try_get::<i64, _>("for_staff")? != 0,
        },
        latest_version: r.try_get("latest_version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// One document of the organization, on `conn` (a pool's connection or a write transaction's).
async fn find_on(conn: &mut sqlx::AnyConnection, org: OrgId, id: i64) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM documents WHERE org_id = $1 AND id = $2")))
        .bind(org.0)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(document)
        .transpose()
}

async fn find_in(tx: &mut Tx, org: OrgId, id: i64) -> Result<Option<Document>, sqlx::Error> {
    find_on(tx, org, id).await
}

pub async fn find(db: &Db, org: OrgId, id: i64) -> Result<Option<Document>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    find_on(&mut conn, org, id).await
}

/// One page of documents, newest date first, searched by title; and how many.
pub async fn page(db: &Db, org: OrgId, request: &PageRequest) -> Result<(Vec<Document>, i64), sqlx::Error> {
    let search = if request.search.is_empty() { "" } else { " AND title LIKE $2 ESCAPE '\\'" };
    let pattern = request.like_pattern();
    let sql = format!("SELECT COUNT(*) FROM documents WHERE org_id = $1{search}");
    let q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org.0);
    let total: i64 = if search.is_empty() { q } else { q.bind(&pattern) }.fetch_one(&db.pool).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM documents WHERE org_id = $1{search} ORDER BY issued_on DESC, id DESC LIMIT {} OFFSET {}",
        request.limit(),
        request.offset()
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0);
    let rows = if search.is_empty() { q } else { q.bind(&pattern) }.fetch_all(&db.pool).await?;
    Ok((rows.iter().map(document).collect::<Result<_, _>>()?, total))
}

/// The newest documents (by their date), at most `limit`.
pub async fn latest(db: &Db, org: OrgId, limit: i64) -> Result<Vec<Document>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM documents WHERE org_id = $1 ORDER BY issued_on DESC, id DESC LIMIT $2"
    )))
    .bind(org.0)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(document).collect()
}

/// The newest documents of a category, at most `limit`.
pub async fn of_category(db: &Db, org: OrgId, category: Category, limit: i64) -> Result<Vec<Document>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM documents WHERE org_id = $1 AND category = $2 ORDER BY issued_on DESC, id DESC LIMIT $3"
    )))
    .bind(org.0)
    .bind(category.code())
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(document).collect()
}

/// Every version of a document, newest first (without bytes).
pub async fn versions(db: &Db, org: OrgId, id: i64) -> Result<Vec<Version>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT version, file_name, content_type, size_bytes, sha256, note, created_at FROM document_versions
         WHERE org_id = $1 AND document_id = $2 ORDER BY version DESC",
    )
    .bind(org.0)
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Version {
                version: r.try_get("version")?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get("size_bytes")?,
                sha256: r.try_get("sha256")?,
                note: r.try_get("note")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// A version's file: (file name, content type, SHA-256, bytes); `None` for the latest.
pub async fn file(
    db: &Db,
    org: OrgId,
    id: i64,
    version: Option<i64>,
) -> Result<Option<(String, String, String, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT v.file_name, v.content_type, v.sha256, v.content FROM document_versions v
         JOIN documents d ON d.id = v.document_id AND d.org_id = v.org_id
         WHERE v.org_id = $1 AND v.document_id = $2 AND v.version = COALESCE($3, d.latest_version)",
    )
    .bind(org.0)
    .bind(id)
    .bind(version)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((r.try_get("file_name")?, r.try_get("content_type")?, r.try_get("sha256")?, r.try_get("content")?)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_taken_by_its_name_and_first_bytes() {
        assert_eq!(check_file("คู่มือ.pdf", b"%PDF-1.4\n%%EOF\n", 100), Ok("application/pdf"));
        assert!(check_file("คู่มือ.pdf", b"%PDF-1.4\n1 0 obj", 100).unwrap_err().contains("ไม่ครบ"), "cut short");
        assert!(check_file("คู่มือ.pdf", b"MZ\x90\x00", 100).unwrap_err().contains("ไม่ใช่ชนิดที่รับ"));
        assert!(check_file("page.html", b"<html>", 100).is_err());
        assert!(check_file("scan.JPG", b"\xff\xd8\xff\xe0\xff\xd9", 100).is_ok());
    }
}
