//! The Atom feed (RFC 4287) of an organization's news and announcements: what a feed reader, a
//! province's aggregator or the publishing of a later issue subscribes to. Pure: built from rows.

use super::store::Post;

/// What the feed says about itself.
pub struct FeedHead<'a> {
    /// The absolute base of links ("https://prongsai.example.go.th"), without a trailing slash.
    pub base: &'a str,
    pub slug: &'a str,
    pub org_name: &'a str,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow (text pasted from Word may carry them).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 3339 in UTC, as Atom dates are written.
fn rfc3339(epoch_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(epoch_seconds, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The feed of `posts` (public ones, newest first).
pub fn feed(head: &FeedHead<'_>, posts: &[Post]) -> String {
    let FeedHead { base, slug, org_name } = *head;
    let home = format!("{base}/o/{slug}/");
    let updated = posts.iter().map(|p| p.updated_at.max(p.published_at.unwrap_or(0))).max().unwrap_or(0);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"th\">\n",
    );
    xml.push_str(&format!("<title>ข่าวและประกาศ {}</title>\n", escape(org_name)));
    xml.push_str(&format!("<id>{}</id>\n", escape(&format!("{home}feed.atom"))));
    xml.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("{home}feed.atom"))
    ));
    xml.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("{home}news"))
    ));
    xml.push_str(&format!("<updated>{}</updated>\n", rfc3339(updated)));
    xml.push_str(&format!("<author><name>{}</name></author>\n", escape(org_name)));
    for post in posts {
        let Some(published) = post.published_at else { continue };
        let link = format!("{home}news/{}", post.id);
        xml.push_str("<entry>\n");
        xml.push_str(&format!("<title>{}</title>\n", escape(&post.title)));
        xml.push_str(&format!("<id>{}</id>\n", escape(&link)));
        xml.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&link)));
        xml.push_str(&format!("<published>{}</published>\n", rfc3339(published)));
        xml.push_str(&format!("<updated>{}</updated>\n", rfc3339(post.updated_at.max(published))));
        xml.push_str(&format!("<category term=\"{}\" label=\"{}\"/>\n", post.kind.code(), post.kind.label_th()));
        xml.push_str(&format!("<content type=\"text\">{}</content>\n", escape(&post.body)));
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::Kind;

    fn post(id: i64, title: &str, published: Option<i64>) -> Post {
        Post {
            id,
            kind: Kind::Announcement,
            title: title.into(),
            body: "ข้อความ\u{0b}จาก Word & <อื่น ๆ>".into(),
            published_at: published,
            updated_at: 1_700_000_000,
        }
    }

    #[test]
    fn the_feed_is_well_formed_xml_with_each_public_post_once() {
        let head = FeedHead {
            base: "https://example.go.th", slug: "mae-khatuan", org_name: "อบต.แม่คะตวน & \"ชุมชน\""
        };
        let xml = feed(&head, &[post(2, "ประกาศ <รับสมัคร>", Some(1_700_000_100)), post(1, "ร่าง", None)]);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
        assert_eq!(entries.len(), 1, "a draft is not in the feed");
        let title = entries[0].children().find(|n| n.has_tag_name("title")).unwrap().text().unwrap();
        assert_eq!(title, "ประกาศ <รับสมัคร>");
        let content = entries[0].children().find(|n| n.has_tag_name("content")).unwrap().text().unwrap();
        assert_eq!(content, "ข้อความจาก Word & <อื่น ๆ>", "a control character from Word is dropped");
        assert!(xml.contains("<published>2023-11-14T22:15:00Z</published>"), "{xml}");
    }
}
