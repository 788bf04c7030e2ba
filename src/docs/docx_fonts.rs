//! Sarabun embedded in the DOCX, so that the report reads right on a computer without it (most
//! Windows PCs; LibreOffice shows every Thai character as a box there).
//!
//! ECMA-376 Part 1 §17.8.3 (embedded fonts) and §17.8.1 (obfuscation): each font is a part
//! `word/fonts/fontN.odttf` whose first 32 bytes are XORed with a key, a GUID written in
//! `word/fontTable.xml` (`w:embedRegular`/`w:embedBold` with `r:id` and `w:fontKey`); the key's bytes
//! are the GUID's hex digits read from the end. docx-rs 0.4.22 writes none of this: the font table,
//! settings and content types are edited before packing, and the package is repacked with the fonts.

use std::io::{Cursor, Write};
use std::sync::LazyLock;

use anyhow::{Context, ensure};
use docx_rs::XMLDocx;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

/// The family the embedded files carry, as runs name it.
pub const EMBEDDED_FAMILY: &str = "Sarabun";

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Bold.ttf");

const OBFUSCATED_FONT: &str = "application/vnd.openxmlformats-officedocument.obfuscatedFont";
const FONT_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font";

/// One embedded font file: its part name, relationship id, key and obfuscated bytes.
struct Embedded {
    part: &'static str,
    rel_id: &'static str,
    /// `w:embedRegular` or `w:embedBold`.
    element: &'static str,
    key: String,
    bytes: Vec<u8>,
}

/// Computed once: the key is derived from the font file, so every DOCX carries the same bytes
/// (a report rendered twice is the same file).
static FONTS: LazyLock<[Embedded; 2]> = LazyLock::new(|| {
    let embed = |part, rel_id, element, ttf: &[u8]| {
        let key = font_key(ttf);
        Embedded { part, rel_id, element, bytes: obfuscate(ttf, &key), key }
    };
    [
        embed("word/fonts/font1.odttf", "rIdSarabunRegular", "w:embedRegular", REGULAR),
        embed("word/fonts/font2.odttf", "rIdSarabunBold", "w:embedBold", BOLD),
    ]
});

/// A GUID in the form the spec writes (`{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, upper case:
/// LibreOffice reads only upper-case hex digits), taken from the font's SHA-256.
fn font_key(ttf: &[u8]) -> String {
    let h = hex::encode_upper(&Sha256::digest(ttf)[..16]);
    format!("{{{}-{}-{}-{}-{}}}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// The key's 16 bytes in the order §17.8.1 applies them: the GUID's hex digit pairs read from
/// the last pair to the first.
fn key_bytes(guid: &str) -> [u8; 16] {
    let digits: String = guid.chars().filter(char::is_ascii_hexdigit).collect();
    let mut key = [0u8; 16];
    for (i, k) in key.iter_mut().enumerate() {
        let pair = &digits[30 - 2 * i..32 - 2 * i];
        *k = u8::from_str_radix(pair, 16).expect("hex digits");
    }
    key
}

/// XORs the first 32 bytes of the font with the key (twice over); applying it again undoes it.
fn obfuscate(ttf: &[u8], guid: &str) -> Vec<u8> {
    let key = key_bytes(guid);
    let mut out = ttf.to_vec();
    for (i, b) in out.iter_mut().take(32).enumerate() {
        *b ^= key[i % 16];
    }
    out
}

/// Declares the embedded fonts in the package parts docx-rs built: the font table names them,
/// the settings ask readers to use them, the content types know `.odttf`. The font files
/// themselves are added by [`repack_with_fonts`] after packing.
pub fn declare(xml: &mut XMLDocx) -> anyhow::Result<()> {
    let embeds: String =
        FONTS.iter().map(|f| format!(r#"<{} r:id="{}" w:fontKey="{}" />"#, f.element, f.rel_id, f.key)).collect();
    // Charset DE is Thai (ANSI_CHARSET 222); Word picks the font for Thai text by it.
    let font = format!(
        r#"<w:font w:name="{EMBEDDED_FAMILY}"><w:charset w:val="DE" /><w:family w:val="auto" /><w:pitch w:val="variable" />{embeds}</w:font></w:fonts>"#
    );
    xml.font_table = replace_once(&xml.font_table, "</w:fonts>", &font, "fontTable.xml")?;
    xml.settings = insert_after_zoom(&xml.settings)?;
    let odttf = format!(r#"<Default Extension="odttf" ContentType="{OBFUSCATED_FONT}" />"#);
    let types = std::str::from_utf8(&xml.content_type).context("[Content_Types].xml is not UTF-8")?;
    let open_end = types.find("<Types").and_then(|i| types[i..].find('>').map(|j| i + j + 1));
    let at = open_end.context("[Content_Types].xml has no <Types> element")?;
    xml.content_type = format!("{}{odttf}{}", &types[..at], &types[at..]).into_bytes();
    Ok(())
}

/// `w:embedTrueTypeFonts` goes after `w:zoom`, where the schema's sequence has it.
fn insert_after_zoom(settings: &[u8]) -> anyhow::Result<Vec<u8>> {
    let s = std::str::from_utf8(settings).context("settings.xml is not UTF-8")?;
    let zoom = s.find("<w:zoom").context("settings.xml has no w:zoom")?;
    let end = zoom + s[zoom..].find("/>").context("w:zoom is not an empty element")? + 2;
    Ok(format!("{}<w:embedTrueTypeFonts />{}", &s[..end], &s[end..]).into_bytes())
}

/// The font parts and the font table's relationships, deflated once into a zip of their own:
/// each DOCX copies them over compressed as they are.
static FONT_PARTS: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let build = || -> zip::result::ZipResult<Vec<u8>> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for f in FONTS.iter() {
            zip.start_file(f.part, deflated())?;
            zip.write_all(&f.bytes)?;
        }
        let rels: String = FONTS
            .iter()
            .map(|f| {
                let target = f.part.trim_start_matches("word/");
                format!(r#"<Relationship Id="{}" Type="{FONT_REL}" Target="{target}" />"#, f.rel_id)
            })
            .collect();
        zip.start_file("word/_rels/fontTable.xml.rels", deflated())?;
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        )?;
        Ok(zip.finish()?.into_inner())
    };
    build().expect("zipping the font parts in memory")
});

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

/// Repacks the DOCX docx-rs wrote with the obfuscated font files and the font table's
/// relationships added. Every part is deflated: docx-rs stores its parts uncompressed, and the
/// fonts alone are 165 KB (so the file grows from 59 KB to 98 KB, not to 148 KB).
pub fn repack_with_fonts(stored: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut parts = zip::ZipArchive::new(Cursor::new(stored)).context("reading the DOCX zip")?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(stored.len() / 4 + FONT_PARTS.len())));
    for i in 0..parts.len() {
        let mut part = parts.by_index(i)?;
        if part.is_dir() {
            zip.add_directory(part.name(), SimpleFileOptions::default())?;
        } else {
            zip.start_file(part.name(), deflated())?;
            std::io::copy(&mut part, &mut zip)?;
        }
    }
    let mut fonts = zip::ZipArchive::new(Cursor::new(FONT_PARTS.as_slice()))?;
    for i in 0..fonts.len() {
        zip.raw_copy_file(fonts.by_index(i)?)?;
    }
    Ok(zip.finish().context("closing the DOCX zip")?.into_inner())
}

fn replace_once(xml: &[u8], from: &str, to: &str, part: &str) -> anyhow::Result<Vec<u8>> {
    let xml = std::str::from_utf8(xml).with_context(|| format!("{part} is not UTF-8"))?;
    let n = xml.matches(from).count();
    ensure!(n == 1, "expected `{from}` once in {part}, found it {n} times");
    Ok(xml.replacen(from, to, 1).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_applied_in_the_specs_byte_order() {
        // §17.8.1's example order: the last hex pair of the GUID XORs the font's first byte.
        let guid = "{00112233-4455-6677-8899-AABBCCDDEEFF}";
        assert_eq!(key_bytes(guid)[0], 0xFF);
        assert_eq!(key_bytes(guid)[15], 0x00);
        assert_eq!(key_bytes(guid)[5], 0xAA);
        let font: Vec<u8> = (0..64).collect();
        let once = obfuscate(&font, guid);
        assert_eq!(once[0], 0xFF);
        assert_eq!(once[16], 16 ^ 0xFF, "the second 16 bytes take the key again");
        assert_eq!(once[32..], font[32..], "only the first 32 bytes change");
        assert_eq!(obfuscate(&once, guid), font);
    }

    #[test]
    fn keys_are_upper_case_guids() {
        let key = font_key(REGULAR);
        assert_eq!(key.len(), 38);
        assert!(key.starts_with('{') && key.ends_with('}'));
        assert!(key.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase() || "{-}".contains(c)));
        assert_ne!(key, font_key(BOLD));
    }
}
