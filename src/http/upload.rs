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
