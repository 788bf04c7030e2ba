//! What the LINE Messaging API and the Facebook Graph API are sent, and what their answers mean
//! for a row. Reasons are in Thai for the staff's list; they never hold the token.

use axum::http::Method;

use super::Channel;
use super::client::{self, Failure, Outgoing};
use super::config::Config;
use super::lease::Outcome;
use super::outbox::Row;

/// LINE's longest text message, in characters.
const LINE_TEXT_MAX: usize = 5000;

/// Where a row's channel posts, and with which token (opened just before sending).
pub struct Target<'a> {
    pub token: &'a str,
    /// Facebook: the page id.
    pub page_id: &'a str,
}

/// The public page's address as people get it.
pub fn page_url(public_url: &str, row: &Row) -> Option<String> {
    (!row.link.is_empty()).then(|| format!("{public_url}{}", row.link))
}

/// The page's address marked with the row (a fragment: the site ignores it), so that the row's
/// post is recognised in the page's feed.
pub fn marked_url(public_url: &str, row: &Row) -> Option<String> {
    page_url(public_url, row).map(|url| format!("{url}#p-{}", &row.retry_key[..8.min(row.retry_key.len())]))
}

pub async fn send(config: &Config, public_url: &str, row: &Row, target: &Target<'_>) -> Outcome {
    match row.channel {
        Channel::Web => Outcome::Sent { remote_id: String::new() },
        Channel::Line => {
            let text = with_link(&row.message, page_url(public_url, row));
            let body = serde_json::json!({ "messages": [{ "type": "text", "text": text }] });
            line(config, "/v2/bot/message/broadcast", &body, row, target).await
        }
        Channel::LinePush => {
            let text = with_link(&row.message, page_url(public_url, row));
            let body = serde_json::json!({ "to": row.recipient, "messages": [{ "type": "text", "text": text }] });
            line(config, "/v2/bot/message/push", &body, row, target).await
        }
        Channel::Facebook => facebook(config, public_url, row, target).await,
    }
}

fn with_link(message: &str, link: Option<String>) -> String {
    let text = match link {
        Some(link) => format!("{message}\n\n{link}"),
        None => message.to_string(),
    };
    if text.chars().count() <= LINE_TEXT_MAX {
        text
    } else {
        text.chars().take(LINE_TEXT_MAX - 1).chain(std::iter::once('…')).collect()
    }
}

/// The API's own explanation in an error answer (LINE: `message`; Graph: `error.message`).
fn explanation(body: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let text = value["error"]["message"].as_str().or_else(|| value["message"].as_str()).unwrap_or("");
    text.chars().take(200).collect()
}

fn header(r: &client::Response, name: &str) -> String {
    r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

async fn line(config: &Config, path: &str, body: &serde_json::Value, row: &Row, target: &Target<'_>) -> Outcome {
    let url = format!("{}{path}", config.line_api_url);
    let out = Outgoing {
        method: Method::POST,
        url: &url,
        headers: vec![
            ("authorization", format!("Bearer {}", target.token)),
            ("x-line-retry-key", row.retry_key.clone()),
        ],
        body: Some(("application/json", body.to_string().into_bytes())),
    };
    match client::send(out, config.request_timeout).await {
        Ok(r) if (200..300).contains(&r.status) => Outcome::Sent { remote_id: header(&r, "x-line-request-id") },
        // The retry key was accepted before: the message went out then.
        Ok(r) if r.status == 409 => Outcome::Sent { remote_id: header(&r, "x-line-accepted-request-id") },
        Ok(r) => {
            let why = explanation(&r.body);
            let reason = match r.status {
                401 | 403 => format!("LINE ไม่รับโทเค็น (HTTP {}): ตรวจ channel access token ที่หน้าตั้งค่าช่องทาง", r.status),
                429 => "LINE จำกัดจำนวนการส่ง หรือโควตาข้อความของเดือนนี้หมดแล้ว (HTTP 429)".to_string(),
                400 => format!("LINE ไม่รับข้อความ (HTTP 400): {why}"),
                s if s >= 500 => format!("ระบบของ LINE ขัดข้อง (HTTP {s})"),
                s => format!("LINE ตอบว่าไม่สำเร็จ (HTTP {s}): {why}"),
            };
            Outcome::Failed { reason, uncertain: r.status >= 500 }
        }
        Err(Failure::NotSent(e)) => {
            tracing::warn!(row = row.id, error = %e, "LINE: not sent");
            Outcome::Failed {
                reason: "ติดต่อ LINE ไม่ได้ (เครือข่ายหรือชื่อเครื่องปลายทาง)".into(), uncertain: false
            }
        }
        Err(Failure::NoAnswer(e)) => {
            tracing::warn!(row = row.id, error = %e, "LINE: no answer");
            Outcome::Failed {
                reason: "LINE ไม่ตอบกลับ ผลการส่งไม่ทราบ จะส่งซ้ำด้วยรหัสเดิมซึ่ง LINE ไม่ส่งซ้ำ".into(),
                uncertain: true,
            }
        }
    }
}

async fn facebook(config: &Config, public_url: &str, row: &Row, target: &Target<'_>) -> Outcome {
    let marked = marked_url(public_url, row);
    let page = urlencoding::encode(target.page_id);
    if row.uncertain {
        match find_in_feed(config, &page, marked.as_deref(), row, target).await {
            Ok(Some(id)) => return Outcome::Sent { remote_id: id },
            Ok(None) => {}
            Err(reason) => return Outcome::Failed { reason, uncertain: true },
        }
    }
    let message = match &marked {
        Some(link) => format!("{}\n\n{link}", row.message),
        None => row.message.clone(),
    };
    let mut form = vec![("message", message.as_str()), ("access_token", target.token)];
    if let Some(link) = &marked {
        form.push(("link", link.as_str()));
    }
    let body = serde_html_form::to_string(&form).unwrap_or_default();
    let url = format!("{}/{page}/feed", config.facebook_api_url);
    let out = Outgoing {
        method: Method::POST,
        url: &url,
        headers: Vec::new(),
        body: Some(("application/x-www-form-urlencoded", body.into_bytes())),
    };
    match client::send(out, config.request_timeout).await {
        Ok(r) if (200..300).contains(&r.status) => {
            let value: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            Outcome::Sent { remote_id: value["id"].as_str().unwrap_or("").to_string() }
        }
        Ok(r) => Outcome::Failed { reason: facebook_reason(r.status, &r.body), uncertain: r.status >= 500 },
        Err(Failure::NotSent(e)) => {
            tracing::warn!(row = row.id, error = %e, "Facebook: not sent");
            Outcome::Failed {
                reason: "ติดต่อ Facebook ไม่ได้ (เครือข่ายหรือชื่อเครื่องปลายทาง)".into(), uncertain: false
            }
        }
        Err(Failure::NoAnswer(e)) => {
            tracing::warn!(row = row.id, error = %e, "Facebook: no answer");
            Outcome::Failed {
                reason: "Facebook ไม่ตอบกลับ ผลการโพสต์ไม่ทราบ ก่อนโพสต์ใหม่จะตรวจฟีดของเพจก่อน".into(),
                uncertain: true,
            }
        }
    }
}

fn facebook_reason(status: u16, body: &[u8]) -> String {
    let why = explanation(body);
    match status {
        400 | 401 | 403 => format!("Facebook ไม่รับคำขอ (HTTP {status}): {why} ตรวจโทเค็นของเพจและรหัสเพจที่หน้าตั้งค่าช่องทาง"),
        s if s >= 500 => format!("ระบบของ Facebook ขัดข้อง (HTTP {s})"),
        s => format!("Facebook ตอบว่าไม่สำเร็จ (HTTP {s}): {why}"),
    }
}

/// Looks for the row's post in the page's latest posts: its marked link, in the link or the text.
async fn find_in_feed(
    config: &Config,
    page: &str,
    marked: Option<&str>,
    row: &Row,
    target: &Target<'_>,
) -> Result<Option<String>, String> {
    let url = format!(
        "{}/{page}/feed?fields=id,message,link&limit=100&access_token={}",
        config.facebook_api_url,
        urlencoding::encode(target.token)
    );
    let out = Outgoing { method: Method::GET, url: &url, headers: Vec::new(), body: None };
    let answer = client::send(out, config.request_timeout).await.map_err(|e| {
        tracing::warn!(row = row.id, error = ?e, "Facebook: reading the feed");
        "อ่านฟีดของเพจ Facebook ไม่ได้ จึงยังไม่โพสต์ซ้ำ (ผลการโพสต์ครั้งก่อนไม่ทราบ)".to_string()
    })?;
    if !(200..300).contains(&answer.status) {
        return Err(format!(
            "อ่านฟีดของเพจ Facebook ไม่ได้ จึงยังไม่โพสต์ซ้ำ: {}",
            facebook_reason(answer.status, &answer.body)
        ));
    }
    let Some(marked) = marked else {
        // Nothing to recognise the post by: posting again could duplicate it.
        return Err("ไม่มีลิงก์ให้ตรวจในฟีด จึงไม่โพสต์ซ้ำ กรุณาตรวจที่เพจแล้วกดส่งใหม่หรือยกเลิก".into());
    };
    let value: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
    let posts = value["data"].as_array().cloned().unwrap_or_default();
    Ok(posts.iter().find_map(|p| {
        let by_link = p["link"].as_str() == Some(marked);
        let by_text = p["message"].as_str().is_some_and(|m| m.contains(marked));
        (by_link || by_text).then(|| p["id"].as_str().unwrap_or("").to_string())
    }))
}
