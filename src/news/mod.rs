//! News and announcements (ข่าวประชาสัมพันธ์, ประกาศ) on the organization's site, with an Atom feed:
//! store.rs (SQL), routes.rs (staff: write, publish, withdraw), public.rs (/o/SLUG/news…),
//! atom.rs (the feed, pure).

pub mod atom;
pub mod public;
pub mod routes;
pub mod store;

/// What a post is. Stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    News,
    Announcement,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::News, Kind::Announcement];

    pub fn code(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Announcement => "announcement",
        }
    }

    /// An unknown code reads as news (codes are written only by this program).
    pub fn from_code(code: &str) -> Kind {
        if code == "announcement" { Kind::Announcement } else { Kind::News }
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Kind::News => "ข่าวประชาสัมพันธ์",
            Kind::Announcement => "ประกาศ",
        }
    }
}

/// A post's text as paragraphs: a blank line starts a new one; single line breaks stay inside.
pub fn paragraphs(body: &str) -> Vec<Vec<String>> {
    let body = body.replace("\r\n", "\n");
    body.split("\n\n")
        .map(|p| p.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).map(str::to_string).collect::<Vec<_>>())
        .filter(|p: &Vec<String>| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_line_separates_paragraphs_and_a_single_break_stays_inside_one() {
        let p = paragraphs("ย่อหน้าแรก\r\nบรรทัดสอง\r\n\r\n\r\nย่อหน้าที่สอง\n");
        assert_eq!(p, vec![vec!["ย่อหน้าแรก".to_string(), "บรรทัดสอง".to_string()], vec!["ย่อหน้าที่สอง".to_string()]]);
        assert!(paragraphs("  \n\n ").is_empty());
    }
}
