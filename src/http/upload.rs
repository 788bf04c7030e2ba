//! Reading uploads: the text fields and the one file of a multipart form, with the size limit
//! reported as 413 and in Thai, and the input rule applied to text fields and the file name.

use super::AppError;

/// Reads every part of a multipart form: text fields, and the one file as (name, bytes) (of
/// several, the last).
pub async fn read_multipart(
    multipart: axum::extract::Multipart,
    limit: usize,
) -> Result<(std::collections::HashMap<String, String>, Option<(String, Vec<u8>)>), AppError> {
    let (fields, files) = read_multipart_files(multipart, limit).await?;
    Ok((fields, files.into_iter().last().map(|(_, file_name, bytes)| (file_name, bytes))))
}

/// Reads a multipart form with several files: text fields, and each chosen file in order as
/// (field name, file name, bytes). A file input left empty sends a part without a name or
/// bytes, which is skipped. `limit`: the most bytes a file may have before the form is refused
/// (413); a page checking each file against a smaller limit names the file instead.
pub async fn read_multipart_files(
    mut multipart: axum::extract::Multipart,
    limit: usize,
) -> Result<(std::collections::HashMap<String, String>, Vec<(String, String, Vec<u8>)>), AppError> {
    let mut fields = std::collections::HashMap::new();
    let mut files = Vec::new();
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
                files.push((name, file_name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            let text = super::fields::clean_field(&name, &text)?.into_owned();
            fields.insert(name, text);
        }
    }
    Ok((fields, files))
}

/// A type an uploaded file may have: (extension, content type, the bytes it starts with).
pub type FileType = (&'static str, &'static str, &'static [u8]);

/// Pictures a browser shows and never runs: PNG and JPEG (no SVG: it can hold script). The
/// emblem, point photos and item photos take these.
pub const IMAGE_TYPES: &[FileType] = &[
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("jpg", "image/jpeg", b"\xff\xd8\xff"),
    ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
];

/// Why [`file_type`] refused a file; each feature words it for its own page.
#[derive(Debug, PartialEq, Eq)]
pub enum FileRefusal {
    Empty,
    TooLarge {
        limit_mb: usize,
    },
    UnsupportedType,
    /// The file's type is right but its end is missing: a download or copy cut short.
    CutShort,
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
    let (_, content_type, magic) =
        types.iter().find(|(e, _, magic)| *e == ext && bytes.starts_with(magic)).ok_or(FileRefusal::UnsupportedType)?;
    if !ends_whole(magic, bytes) {
        return Err(FileRefusal::CutShort);
    }
    Ok(content_type)
}

/// The Thai refusal of a file cut short, the same on every upload page.
pub fn cut_short(file_name: &str) -> String {
    format!("ไฟล์ \"{file_name}\" ไม่ครบ ส่วนท้ายของไฟล์หายไป (อาจดาวน์โหลดหรือคัดลอกไม่เสร็จ) กรุณาเปิดไฟล์ตรวจดูแล้วส่งใหม่")
}

/// Whether a file of the type that starts with `magic` has the end its format requires, so a
/// file cut short (an upload over a broken connection, a half-copied USB stick) is refused
/// instead of being published as a document no reader opens. Formats without such a cheap mark
/// (the old Word and Excel files) pass.
pub fn ends_whole(magic: &[u8], bytes: &[u8]) -> bool {
    let tail = |n: usize| &bytes[bytes.len().saturating_sub(n)..];
    let holds = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    match magic {
        // Readers look for the end-of-file mark in the last 1,024 bytes.
        b"%PDF-" => holds(tail(1024), b"%%EOF"),
        // The IEND chunk with its fixed CRC closes every PNG.
        b"\x89PNG\r\n\x1a\n" => holds(tail(1024), b"IEND\xaeB`\x82"),
        // End of image; inside the compressed data 0xFF is always followed by 0x00 or a restart.
        b"\xff\xd8\xff" => holds(tail(1024), b"\xff\xd9"),
        // A ZIP (docx, xlsx, odt, ods) ends with its central directory's end record, after a
        // comment of at most 65,535 bytes.
        b"PK\x03\x04" => holds(tail(22 + 65_535), b"PK\x05\x06"),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: &[FileType] = &[
        ("pdf", "application/pdf", b"%PDF-"),
        ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("jpg", "image/jpeg", b"\xff\xd8\xff"),
        ("docx", "application/docx", b"PK\x03\x04"),
        ("doc", "application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ];

    fn check(name: &str, bytes: &[u8]) -> Result<&'static str, FileRefusal> {
        file_type(name, bytes, 10 * 1024 * 1024, TYPES)
    }

    #[test]
    fn a_whole_file_passes_and_the_same_file_cut_short_is_refused() {
        let pdf = [&b"%PDF-1.7\n"[..], &[b'x'; 5000][..], b"\ntrailer\n%%EOF\n"].concat();
        let png = [&b"\x89PNG\r\n\x1a\n"[..], &[7; 3000][..], b"\0\0\0\0IEND\xaeB`\x82"].concat();
        let jpg = [&b"\xff\xd8\xff\xe0"[..], &[0x11; 3000][..], b"\xff\xd9"].concat();
        let docx = [&b"PK\x03\x04"[..], &[1; 3000][..], b"PK\x05\x06", &[0; 18][..]].concat();
        for (name, whole) in [("a.pdf", &pdf), ("a.png", &png), ("a.jpg", &jpg), ("a.docx", &docx)] {
            assert!(check(name, whole).is_ok(), "{name} whole");
            assert_eq!(check(name, &whole[..whole.len() - 40]), Err(FileRefusal::CutShort), "{name} cut");
            assert_eq!(check(name, &whole[..whole.len() / 2]), Err(FileRefusal::CutShort), "{name} half");
        }
        // A PDF saved again by a program that appends an update ends with a second mark.
        let updated = [&pdf[..], b"1 0 obj\n<<>>\nendobj\n%%EOF\n"].concat();
        assert!(check("a.pdf", &updated).is_ok());
        // A format without a cheap end mark is taken on its first bytes.
        assert!(check("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 cut").is_ok());
        // The type is still judged first.
        assert_eq!(check("a.pdf", b"MZ\x90\0"), Err(FileRefusal::UnsupportedType));
    }
}
