//! What a LINE webhook call says, checked before it is believed (pure).
//!
//! LINE signs each call's body with the channel secret: `X-Line-Signature` is the Base64 of its
//! HMAC-SHA256. LINE does not publish its addresses, so the signature is the only proof a call
//! came from LINE (developers.line.biz, "Verify webhook signature").

use base64::Engine;
use serde::Deserialize;

use crate::auth::secrets::hmac_sha256;

/// Whether `signature` (the header's value) is LINE's signature of `body` under `channel_secret`.
pub fn signature_matches(channel_secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return false;
    };
    let expected = hmac_sha256(channel_secret.as_bytes(), body);
    // Compared in constant time: the difference must not leak through timing.
    given.len() == expected.len() && given.iter().zip(expected.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The Base64 signature LINE would send for `body` (tests play LINE with it).
pub fn sign(channel_secret: &str, body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(channel_secret.as_bytes(), body))
}

/// A text a LINE user sent to the organization's official account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextFromUser {
    pub user_id: String,
    pub text: String,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    source: Option<Source>,
    #[serde(default)]
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "userId")]
    user_id: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<String>,
}

/// The text messages of a webhook body that came from a user (group chats and stickers are left
/// out); `None` when the body is not LINE's JSON.
pub fn texts_from_users(body: &[u8]) -> Option<Vec<TextFromUser>> {
    let body: Body = serde_json::from_slice(body).ok()?;
    Some(
        body.events
            .into_iter()
            .filter(|e| e.kind == "message")
            .filter_map(|e| {
                let user_id = e.source?.user_id?;
                let message = e.message?;
                (message.kind == "text").then_some(())?;
                Some(TextFromUser { user_id, text: message.text? })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"destination":"Uabc","events":[
        {"type":"message","message":{"type":"text","id":"1","text":"K7QM-3XDA-9FHT"},"source":{"type":"user","userId":"U4af4980629"},"replyToken":"r","mode":"active","timestamp":1},
        {"type":"message","message":{"type":"sticker","id":"2"},"source":{"type":"user","userId":"U4af4980629"}},
        {"type":"follow","source":{"type":"user","userId":"U99"}}
    ]}"#;

    #[test]
    fn a_signed_body_is_believed_and_a_changed_one_is_not() {
        let signature = sign("secret", BODY.as_bytes());
        assert!(signature_matches("secret", BODY.as_bytes(), &signature));
        assert!(!signature_matches("other secret", BODY.as_bytes(), &signature));
        let changed = BODY.replace("9FHT", "9FHX");
        assert!(!signature_matches("secret", changed.as_bytes(), &signature));
        assert!(!signature_matches("secret", BODY.as_bytes(), "not base64!"));
        assert!(!signature_matches("secret", BODY.as_bytes(), ""));
    }

    #[test]
    fn only_users_texts_are_read() {
        let texts = texts_from_users(BODY.as_bytes()).unwrap();
        assert_eq!(texts, vec![TextFromUser { user_id: "U4af4980629".into(), text: "K7QM-3XDA-9FHT".into() }]);
        assert_eq!(texts_from_users(b"not json"), None);
        assert_eq!(texts_from_users(br#"{"events":[]}"#), Some(vec![]));
    }
}
