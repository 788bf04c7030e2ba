//! Organizations (อบต., เทศบาล) and their divisions: the tenants of Prongsai.

pub mod store;

use serde::Serialize;

use crate::thai::Digits;

/// The id of an organization. Staff handlers take it from the logged-in user's session
/// ([`crate::http::CurrentUser::org_id`]); public pages resolve it from the slug in the URL. Every
/// store function that reads tenant data takes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct OrgId(pub i64);

impl std::fmt::Display for OrgId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Kinds of local government organization, as written in Thai.
pub const ORG_KINDS: &[&str] = &["อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร"];

#[derive(Clone, Debug, Serialize)]
pub struct Org {
    pub id: OrgId,
    pub slug: String,
    /// Full name, e.g. "องค์การบริหารส่วนตำบลแม่คะตวน".
    pub name: String,
    /// Short name, e.g. "อบต.แม่คะตวน".
    pub short_name: String,
    pub kind: String,
    pub province: String,
    pub district: String,
    pub digits: Digits,
}

#[derive(Clone, Debug, Serialize)]
pub struct Division {
    pub id: i64,
    pub name: String,
}

/// A URL slug: lowercase ASCII letters, digits and hyphens, 2–63 characters.
pub fn validate_slug(slug: &str) -> Result<(), String> {
    let ok = (2..=63).contains(&slug.len())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "slug \"{slug}\" ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ - ยาว 2–63 ตัว (must be 2–63 lowercase letters, digits or hyphens)"
        ))
    }
}

/// Derives the usual short name: "องค์การบริหารส่วนตำบลแม่คะตวน" → "อบต.แม่คะตวน".
pub fn short_name_of(name: &str) -> String {
    for (long, short) in [
        ("องค์การบริหารส่วนตำบล", "อบต."),
        ("องค์การบริหารส่วนจังหวัด", "อบจ."),
        ("เทศบาลตำบล", "ทต."),
        ("เทศบาลเมือง", "ทม."),
        ("เทศบาลนคร", "ทน."),
    ] {
        if let Some(rest) = name.strip_prefix(long) {
            return format!("{short}{rest}");
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sao_name_is_shortened_the_official_way() {
        assert_eq!(short_name_of("องค์การบริหารส่วนตำบลแม่คะตวน"), "อบต.แม่คะตวน");
        assert_eq!(short_name_of("เทศบาลเมืองลำพูน"), "ทม.ลำพูน");
    }

    #[test]
    fn slugs_must_be_url_safe() {
        assert!(validate_slug("mae-khatuan").is_ok());
        assert!(validate_slug("Mae Khatuan").is_err());
        assert!(validate_slug("-x").is_err());
        assert!(validate_slug("แม่คะตวน").is_err());
    }
}
