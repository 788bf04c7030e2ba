//! `POST /hooks/line/{slug}`: LINE's webhook for the organization's official account. LINE tells
//! a user's userId (which a push needs, and which no person knows) only here, when the user writes
//! to the account. A text holding one of the organization's tracking codes links its sender to
//! that complaint (line_followers.rs) and is answered with a confirmation; "หยุด" or "stop" ends
//! the links (of the codes given, or all). No session and no CSRF token: the call is believed only
//! when `X-Line-Signature` is the HMAC of the body under the channel secret; else 401, nothing kept.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::{code, line_followers};
use crate::app::AppState;
use crate::db::{Tx, now};
use crate::http::AppError;
use crate::orgs::Org;
use crate::publishing::line_webhook::{TextFromUser, signature_matches, texts_from_users};
use crate::publishing::{LinePush, channels, enqueue_line_push};

/// LINE's calls are small (a few events); anything larger is not LINE's.
const BODY_LIMIT: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/hooks/line/{slug}", post(hook).layer(DefaultBodyLimit::max(BODY_LIMIT)))
}

fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, "signature").into_response()
}

async fn hook(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some(org) = crate::orgs::store::find_by_slug(&state.db, &slug).await? else {
        return Err(AppError::NotFound);
    };
    let settings = &state.settings;
    let secret = match channels::line_secret(&state.db, &settings.publishing, &settings.database_url, org.id).await? {
        Ok(Some(secret)) => secret,
        Ok(None) => return Ok(unauthorized()),
        Err(why) => {
            tracing::error!(org = org.id.0, why, "LINE webhook: the channel secret does not open");
            return Ok(unauthorized());
        }
    };
    let signature = headers.get("x-line-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !signature_matches(&secret, &body, signature) {
        return Ok(unauthorized());
    }
    let Some(texts) = texts_from_users(&body) else {
        return Ok((StatusCode::BAD_REQUEST, "not LINE's JSON").into_response());
    };
    // LINE's "Verify" button sends no events: it only wants the 200.
    if !texts.is_empty() {
        let mut tx = state.db.write(org.id).await?;
        for text in &texts {
            answer(&mut tx, &org, text).await?;
        }
        tx.commit().await?;
    }
    Ok((StatusCode::OK, "ok").into_response())
}

/// A userId LINE can push to: U and 32 hexadecimal digits.
fn is_user_id(id: &str) -> bool {
    id.len() == 33 && id.starts_with('U') && id[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The tracking codes a text may hold (as stored): the whole text, or any word of 12 to 14
/// characters (with or without dashes), so "หยุด K7QM-3XDA-9FHT" and "รหัสK7QM3XDA9FHT" are read.
pub fn codes_in(text: &str) -> Vec<String> {
    let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
    let mut codes: Vec<String> = std::iter::once(text)
        .chain(words.filter(|w| (12..=14).contains(&w.len())))
        .filter_map(code::normalize)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Whether the user asks to be told no more ("หยุด", or the word "stop").
pub fn wants_stop(text: &str) -> bool {
    text.contains("หยุด") || text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.eq_ignore_ascii_case("stop"))
}

/// Answers the user in the chat (through the outbox, like every push).
async fn reply(tx: &mut Tx, org: &Org, user: &str, text: &str, source: &str) -> anyhow::Result<bool> {
    let push = LinePush {
        to_user_id: user, title: "ตอบผู้ติดตามเรื่องร้องเรียน", text, link: "", source
    };
    enqueue_line_push(tx, org.id, &push).await
}

/// Acts on one text from a user, in the organization's write.
async fn answer(tx: &mut Tx, org: &Org, message: &TextFromUser) -> anyhow::Result<()> {
    let user = message.user_id.as_str();
    if !is_user_id(user) {
        return Ok(());
    }
    let at = now();
    let mark = line_followers::user_mark(user);
    let mut found = Vec::new();
    let mut unknown = false;
    for code in codes_in(&message.text) {
        match line_followers::complaint_by_code(tx, org.id, &code).await? {
            Some(id) => found.push((id, code)),
            None => unknown = true,
        }
    }
    if wants_stop(&message.text) {
        let mut ended = Vec::new();
        if found.is_empty() {
            ended = line_followers::unlink(tx, org.id, None, user).await?;
        } else {
            for (id, _) in &found {
                ended.extend(line_followers::unlink(tx, org.id, Some(*id), user).await?);
            }
        }
        // One answer per stop that ended something; "nothing to stop" at most once an hour.
        let (text, source) = if ended.is_empty() {
            let text = "ท่านไม่ได้รับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE อยู่".to_string();
            (text, format!("complaint_line_stop_none:{mark}:{}", at / 3600))
        } else {
            let count = crate::thai::format_int(ended.len() as i64, org.digits);
            let ids: Vec<String> = ended.iter().map(i64::to_string).collect();
            let text = format!("หยุดแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE แล้ว ({count} เรื่อง)");
            (text, format!("complaint_line_stop:{mark}:{at}:{}", ids.join(",")))
        };
        reply(tx, org, user, &text, &source).await?;
        return Ok(());
    }
    for (id, code) in &found {
        let shown = code::display(code);
        if line_followers::link(tx, org.id, *id, user, at).await? {
            let text = format!(
                "รับแจ้งความคืบหน้าเรื่อง {shown} ทาง LINE แล้ว เมื่อสถานะของเรื่องเปลี่ยน {} จะส่งข้อความมาที่แชตนี้ \
                 หากไม่ต้องการรับแจ้งอีก พิมพ์ หยุด {shown}",
                org.short_name
            );
            reply(tx, org, user, &text, &format!("complaint_line_linked:{id}:{mark}:{at}")).await?;
        } else {
            // Linked already: said at most once an hour.
            let text = format!("ท่านรับแจ้งความคืบหน้าเรื่อง {shown} ทาง LINE อยู่แล้ว");
            reply(tx, org, user, &text, &format!("complaint_line_already:{id}:{mark}:{}", at / 3600)).await?;
        }
    }
    // A code that is none of this organization's: told at most once an hour per user, so the
    // account cannot be made to send without end.
    if found.is_empty() && unknown {
        let text =
            format!("ไม่พบเรื่องร้องเรียนตามรหัสที่ส่งมาใน{} กรุณาตรวจรหัสติดตามเรื่อง ๑๒ ตัวจากหน้ายื่นเรื่องแล้วส่งใหม่", org.short_name);
        reply(tx, org, user, &text, &format!("complaint_line_unknown:{mark}:{}", at / 3600)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_from_the_whole_text_or_its_words() {
        assert_eq!(codes_in("K7QM-3XDA-9FHT"), vec!["K7QM3XDA9FHT"]);
        assert_eq!(codes_in("k7qm 3xda 9fht"), vec!["K7QM3XDA9FHT"]);
        assert_eq!(codes_in("หยุด K7QM-3XDA-9FHT"), vec!["K7QM3XDA9FHT"]);
        assert_eq!(codes_in("รหัสK7QM3XDA9FHTค่ะ"), vec!["K7QM3XDA9FHT"]);
        assert!(codes_in("สวัสดีครับ").is_empty());
        assert!(codes_in("K7QM-3XDA").is_empty());
    }

    #[test]
    fn stop_is_asked_in_thai_or_english_as_a_word() {
        assert!(wants_stop("หยุด"));
        assert!(wants_stop("Stop K7QM-3XDA-9FHT"));
        assert!(!wants_stop("K7QM-3XDA-9FHT"));
        assert!(!wants_stop("stopping by"));
    }

    #[test]
    fn only_a_userid_is_pushed_to() {
        assert!(is_user_id("U4af4980629a1b2c3d4e5f60718293a4b"));
        assert!(!is_user_id("@somchai"));
        assert!(!is_user_id("U4af4980629"));
    }
}
