//! Content codings: which one a client accepts (`Accept-Encoding` with q-values), and the
//! compressed bodies made once when a page enters the cache.

use std::io::Write as _;

/// The codings a cached page may be kept in, best first at equal preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The `Content-Encoding` value (None for identity).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }

    /// What the representation's ETag carries after the body's own tag.
    pub fn etag_suffix(self) -> &'static str {
        match self {
            Coding::Brotli => "-br",
            Coding::Gzip => "-gz",
            Coding::Identity => "",
        }
    }
}

/// The coding to send, among those available, as RFC 9110 §12.5.3 reads `Accept-Encoding`: the
/// highest q wins (a coding named with q=0 is refused; `*` stands for those not named); without
/// the header, identity. When the client refuses everything available, identity is sent anyway
/// (the RFC allows it, and a page beats a 406).
pub fn choose(accept: Option<&str>, available: &[Coding]) -> Coding {
    let Some(accept) = accept else { return Coding::Identity };
    let mut best = (Coding::Identity, 0.0_f32);
    for &coding in available {
        let q = quality(accept, coding);
        if q > best.1 {
            best = (coding, q);
        }
    }
    best.0
}

/// The q the header gives `coding`. Identity not named is acceptable (RFC 9110) but last: any
/// coding the client accepts is preferred to it.
fn quality(accept: &str, coding: Coding) -> f32 {
    let name = coding.header().unwrap_or("identity");
    let mut named = None;
    let mut star = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let token = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        if token.eq_ignore_ascii_case(name) || (coding == Coding::Gzip && token.eq_ignore_ascii_case("x-gzip")) {
            named = Some(q);
        } else if token == "*" {
            star = Some(q);
        }
    }
    match (named, star, coding) {
        (Some(q), _, _) => q,
        (None, Some(q), _) => q,
        (None, None, Coding::Identity) => 0.001,
        (None, None, _) => 0.0,
    }
}

/// Whether a body of this type gains from compression (text; PDF and DOCX are compressed already).
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/") || essence == "application/json" || essence.ends_with("+json")
}

pub fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::best());
    encoder.write_all(body).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

pub fn brotli(body: &[u8]) -> Vec<u8> {
    // Quality 11 takes ~1 s per MB; 9 is within a few percent of it at a tenth of the time.
    let quality = if body.len() > 256 * 1024 { 7 } else { 9 };
    let params = brotli::enc::BrotliEncoderParams { quality, lgwin: 22, ..Default::default() };
    let mut out = Vec::with_capacity(body.len() / 4);
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("writing to memory");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Coding; 3] = [Coding::Brotli, Coding::Gzip, Coding::Identity];

    #[test]
    fn the_highest_quality_wins_and_ties_go_to_brotli() {
        assert_eq!(choose(None, &ALL), Coding::Identity);
        assert_eq!(choose(Some("gzip, deflate, br"), &ALL), Coding::Brotli);
        assert_eq!(choose(Some("gzip"), &ALL), Coding::Gzip);
        assert_eq!(choose(Some("br;q=0.5, gzip;q=0.8"), &ALL), Coding::Gzip);
        assert_eq!(choose(Some("br;q=0.2, gzip;q=0.1"), &ALL), Coding::Brotli);
        assert_eq!(choose(Some("gzip;q=0.5, identity"), &ALL), Coding::Identity);
        assert_eq!(choose(Some("br;q=0, gzip;q=0"), &ALL), Coding::Identity);
        assert_eq!(choose(Some("*"), &ALL), Coding::Brotli);
        assert_eq!(choose(Some("*;q=0, gzip"), &ALL), Coding::Gzip);
        assert_eq!(choose(Some("identity"), &ALL), Coding::Identity);
        assert_eq!(choose(Some(""), &ALL), Coding::Identity);
        assert_eq!(choose(Some("gzip, br"), &[Coding::Identity]), Coding::Identity);
    }

    #[test]
    fn compressed_bodies_decode_to_the_original() {
        let body = "รายงานผลการดำเนินการ ".repeat(500);
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip(body.as_bytes())[..]), &mut back)
            .unwrap();
        assert_eq!(back, body);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &brotli(body.as_bytes())[..], &mut back).unwrap();
        assert_eq!(back, body.as_bytes());
    }

    #[test]
    fn only_text_is_compressed() {
        assert!(compressible("text/html; charset=utf-8"));
        assert!(compressible("application/json"));
        assert!(!compressible("application/pdf"));
        assert!(!compressible("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }
}
