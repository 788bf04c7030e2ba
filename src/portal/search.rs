//! Thai word search over an organization's site: its news and announcements, its documents and
//! its services. Thai is written without spaces between words, so a text is stored as its
//! dictionary words (`thai::words`) separated by spaces, with a space at each end, and a query
//! word is found only as a whole word (` word `): `ทับซ้อน` finds the conflict-of-interest manual
//! whose title runs `…ผลประโยชน์ทับซ้อน`, and `ตา` does not find every `ตาม`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sqlx::Row;

use super::frame::{Frame, Section};
use crate::app::AppState;
use crate::db::Db;
use crate::http::{AppError, page};
use crate::orgs::OrgId;

/// The most words a query is searched for; the rest are ignored (a citizen types a few words).
pub const MAX_QUERY_WORDS: usize = 8;
/// The longest query kept, in characters.
const MAX_QUERY_CHARS: usize = 100;
/// The most hits of each kind shown.
const MAX_HITS: i64 = 50;

/// The words of a text, lower-cased, with Thai digits read as Arabic ones.
fn words_of(text: &str) -> Vec<String> {
    let text = crate::thai::to_arabic_digits(&text.to_lowercase());
    crate::thai::words::words(&text)
        .into_iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// What is stored for `parts` (title, body, …): " w1 w2 … " (empty text: " ").
pub fn index_words(parts: &[&str]) -> String {
    let mut out = String::from(" ");
    for part in parts {
        for word in words_of(part) {
            out.push_str(&word);
            out.push(' ');
        }
    }
    out
}

/// The words a query asks for, each once, at most [`MAX_QUERY_WORDS`].
pub fn query_words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in words_of(query) {
        if !out.contains(&word) && out.len() < MAX_QUERY_WORDS {
            out.push(word);
        }
    }
    out
}

/// The `LIKE` pattern that finds `word` whole in stored words (`\` escapes `%`, `_` and itself).
pub fn like_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("% {escaped} %")
}

/// Whether stored words (from [`index_words`]) hold every query word.
pub fn matches(stored: &str, query: &[String]) -> bool {
    !query.is_empty() && query.iter().all(|w| stored.contains(&format!(" {w} ")))
}

/// `AND search_words LIKE $n ESCAPE '\'` for each query word, placeholders from `$first`.
fn like_clauses(count: usize, first: usize) -> String {
    (0..count).map(|i| format!(" AND search_words LIKE ${} ESCAPE '\\'", first + i)).collect()
}

/// One hit as the page prints it.
pub struct Hit {
    pub href: String,
    pub title: String,
    /// What it is and when: "เอกสารเผยแพร่ · ๑ ต.ค. ๒๕๖๖".
    pub about: String,
}

async fn news_hits(
    db: &Db,
    org: OrgId,
    words: &[String],
    digits: crate::thai::Digits,
    slug: &str,
) -> anyhow::Result<Vec<Hit>> {
    let sql = format!(
        "SELECT id, title, kind, published_at FROM news_posts
         WHERE org_id = $1 AND published_at IS NOT NULL AND published_at <= $2{}
         ORDER BY published_at DESC LIMIT {MAX_HITS}",
        like_clauses(words.len(), 3)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0).bind(crate::db::now());
    for w in words {
        query = query.bind(like_pattern(w));
    }
    let mut hits = Vec::new();
    for r in query.fetch_all(&db.pool).await? {
        let id: i64 = r.try_get("id")?;
        let kind: String = r.try_get("kind")?;
        let at: i64 = r.try_get("published_at")?;
        hits.push(Hit {
            href: format!("/o/{slug}/news/{id}"),
            title: r.try_get("title")?,
            about: format!(
                "{} · {}",
                crate::news::Kind::from_code(&kind).label_th(),
                crate::thai::format_instant_th(at, digits)
            ),
        });
    }
    Ok(hits)
}

async fn document_hits(
    db: &Db,
    org: OrgId,
    words: &[String],
    digits: crate::thai::Digits,
    slug: &str,
) -> anyhow::Result<Vec<Hit>> {
    let sql = format!(
        "SELECT id, title, category, issued_on FROM documents WHERE org_id = $1{}
         ORDER BY issued_on DESC, id DESC LIMIT {MAX_HITS}",
        like_clauses(words.len(), 2)
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org.0);
    for w in words {
        query = query.bind(like_pattern(w));
    }
    let mut hits = Vec::new();
    for r in query.fetch_all(&db.pool).await? {
        let id: i64 = r.try_get("id")?;
        let category: String = r.try_get("category")?;
        let issued: i64 = r.try_get("issued_on")?;
        hits.push(Hit {
            href: format!("/o/{slug}/documents/{id}"),
            title: r.try_get("title")?,
            about: format!(
                "{} · {}",
                crate::documents::Category::from_code(&category).label_th(),
                crate::documents::issued_th(issued, digits)
            ),
        });
    }
    Ok(hits)
}

/// Services with a published manual whose name holds every word (a catalogue is small: read whole).
async fn service_hits(db: &Db, org: OrgId, words: &[String], slug: &str) -> anyhow::Result<Vec<Hit>> {
    let mut hits = Vec::new();
    for (service, _) in crate::services::versions::catalogue(db, org).await? {
        if matches(&index_words(&[&service.name]), words) {
            hits.push(Hit {
                href: format!("/o/{slug}/services/{}", service.id.0),
                title: service.name,
                about: "คู่มือสำหรับประชาชน".into(),
            });
        }
    }
    Ok(hits)
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    frame: Frame,
    q: String,
    /// The words searched for, as the page reports them ("ทับซ้อน · คู่มือ").
    words: String,
    hits: Vec<Hit>,
    count: String,
}

/// `/o/SLUG/search?q=`: every kind of hit on one page (not kept by the cache: any query).
pub async fn search(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let q: String = query.q.unwrap_or_default().trim().chars().take(MAX_QUERY_CHARS).collect();
    let frame = Frame::load(&state.db, &slug, Section::Other).await?;
    let frame = frame.crumb(format!("/o/{slug}/search"), "ค้นหา");
    let words = query_words(&q);
    let mut hits = Vec::new();
    if !words.is_empty() {
        let (org, digits) = (frame.org.id, frame.org.digits);
        hits.extend(news_hits(&state.db, org, &words, digits, &slug).await?);
        hits.extend(document_hits(&state.db, org, &words, digits, &slug).await?);
        hits.extend(service_hits(&state.db, org, &words, &slug).await?);
    }
    let count = crate::thai::format_int(hits.len() as i64, frame.org.digits);
    page(SearchPage { frame, q, words: words.join(" · "), hits, count })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_inside_unspaced_thai_is_found_whole_and_a_part_of_a_word_is_not() {
        let stored = index_words(&["คู่มือการป้องกันผลประโยชน์ทับซ้อน", "สำหรับพนักงานส่วนตำบล"]);
        assert!(stored.starts_with(' ') && stored.ends_with(' '));
        assert!(matches(&stored, &query_words("ทับซ้อน")), "{stored}");
        assert!(matches(&stored, &query_words("ผลประโยชน์ทับซ้อน")), "{stored}");
        assert!(matches(&stored, &query_words("คู่มือ พนักงาน")), "{stored}");
        assert!(!matches(&stored, &query_words("ทับ")), "a part of ทับซ้อน is not a hit: {stored}");
        assert!(!matches(&stored, &query_words("คู่มือ งบประมาณ")), "every word must be there");
        assert!(!matches(&stored, &query_words("   ")), "an empty query finds nothing");
    }

    #[test]
    fn digits_and_letter_case_do_not_matter() {
        let stored = index_words(&["แผนปฏิบัติการ ปี ๒๕๖๖ (ITA)"]);
        assert!(matches(&stored, &query_words("2566")), "{stored}");
        assert!(matches(&stored, &query_words("ita")), "{stored}");
    }

    #[test]
    fn a_query_is_a_few_words_each_once_and_like_patterns_escape_wildcards() {
        assert_eq!(query_words("คู่มือ คู่มือ"), vec!["คู่มือ".to_string()]);
        assert!(query_words("ก ข ค ง จ ฉ ช ซ ฌ ญ").len() <= MAX_QUERY_WORDS);
        assert_eq!(like_pattern("50%_a\\"), "% 50\\%\\_a\\\\ %");
    }
}
