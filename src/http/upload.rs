//! Reading uploads: the text fields and the one file of a multipart form, with the size limit
//! reported as 413 and in Thai, and the input rule applied to text fields and the file name.

use super::AppError;

/// Reads every part of a multipart form: text fields, and the one file as (name, bytes).
pub async fn read_multipart(
    mut multipart: axum::extract::Multipart,
    limit: usize,
) -> Result<(std::collections::HashMap<String, String>, Option<(String, Vec<u8>)>), AppError> {
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(format!("ไฟล์ใหญ่เกิน {} MB", limit / (1024 * 1024)))
        } else {
            AppError::Invalid(format!("การอัปโหลดไม่สมบูรณ์: {e}"))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(bad)?;
            if bytes.len() > limit {
                return Err(AppError::TooLarge(format!("ไฟล์ใหญ่เกิน {} MB", limit / (1024 * 1024))));
            }
            if !bytes.is_empty() || !file_name.is_empty() {
                let file_name = super::fields::clean_field("file_name", &file_name)?.into_owned();
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            let text = super::fields::clean_field(&name, &text)?.into_owned();
            fields.insert(name, text);
        }
    }
    Ok((fields, file))
}

/// A type an uploaded file may have: (extension, content type, the bytes it starts with).
pub type FileType = (&'static str, &'static str, &'static [u8]);

/// Why [`file_type`] refused a file; each feature words it for its own page.
#[derive(Debug, PartialEq, Eq)]
pub enum FileRefusal {
    Empty,
    TooLarge { limit_mb: usize },
    UnsupportedType,
}

/// The content type of an uploaded file whose name's extension AND first bytes match one of
/// `types` (a renamed .exe or a page named .pdf is refused), within `limit` bytes.
pub fn file_type(file_name: &str, bytes: &[u8], limit: usize, types: &[FileType]) -> Result<&'static str, FileRefusal> {
    if bytes.is_empty() {
        return Err(FileRefusal::Empty);
    }
    if bytes.len() > limit {
        return Err(FileRefusal::TooLarge { limit_mb: limit / (1024 * 1024) });
    }
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    types
        .iter()
        .find(|(e, _, magic)| *e == ext && bytes.starts_with(magic))
        .map(|(_, content_type, _)| *content_type)
        .ok_or(FileRefusal::UnsupportedType)
}
