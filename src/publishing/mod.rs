//! Publishing (เผยแพร่, issue 17): each publication (a news post, a report version, the SOP
//! manual, a council meeting notice) goes to the site and its Atom feed, and to the LINE Official
//! Account and the Facebook Page the organization set up, through a persistent outbox.
//!
//! outbox.rs (SQL: rows written in the publication's own transaction; the staff's list, retry,
//! cancel), lease.rs (SQL: rows claimed with a lease, their outcome marked), channels.rs (the
//! channels' settings and sealed tokens), keys.rs (the key outside the database), client.rs (one
//! HTTPS request with a timeout), apis.rs (LINE and Facebook: what to send, what an answer means),
//! worker.rs (the sender inside `serve`), routes.rs (/app/publishing), config.rs (settings),
//! line_webhook.rs (what LINE's webhook says, its signature checked; pure).
//!
//! Exactly once: LINE gets the row's UUID as `X-Line-Retry-Key` (a repeat answers 409: sent);
//! Facebook has no such key, so a row whose earlier attempt may have arrived is first looked for
//! in the page's feed by its marked link.

pub mod apis;
pub mod channels;
pub mod client;
pub mod config;
pub mod keys;
pub mod lease;
pub mod line_webhook;
pub mod outbox;
pub mod routes;
pub mod worker;

pub use config::Config;
pub use outbox::{LinePush, Publication, cancel_waiting, enqueue_line_push, enqueue_publication};

/// Where a row goes. Stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The organization's own site and feed: sent when written.
    Web,
    /// LINE Official Account, a broadcast to its friends.
    Line,
    /// A Facebook Page's feed.
    Facebook,
    /// LINE, a message to one user (the complaints module's status changes).
    LinePush,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Line => "line",
            Channel::Facebook => "facebook",
            Channel::LinePush => "line_push",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        [Channel::Web, Channel::Line, Channel::Facebook, Channel::LinePush].into_iter().find(|c| c.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Channel::Web => "เว็บไซต์และฟีด",
            Channel::Line => "LINE Official Account",
            Channel::Facebook => "เพจ Facebook",
            Channel::LinePush => "LINE (ส่งถึงบุคคล)",
        }
    }

    /// The channel whose settings (token) a row of this channel uses.
    pub fn settings_channel(self) -> Channel {
        if self == Channel::LinePush { Channel::Line } else { self }
    }
}

/// A row's state. Stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not sent yet: its first attempt, or a retry after a failure (`last_error` says why).
    Waiting,
    /// A worker holds it and is sending it.
    Sending,
    Sent,
    /// Stopped by the staff, or by the withdrawal of what it published.
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Cancelled => "cancelled",
        }
    }

    /// An unknown code reads as waiting (codes are written only by this program).
    pub fn from_code(code: &str) -> Status {
        match code {
            "sending" => Status::Sending,
            "sent" => Status::Sent,
            "cancelled" => Status::Cancelled,
            _ => Status::Waiting,
        }
    }
}

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Wakes this process's worker: a row was just committed.
pub fn wake() {
    WAKE.notify_waiters();
    WAKE.notify_one();
}

/// A version-4 UUID from the operating system's random bytes (LINE's retry key).
pub fn new_uuid() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_uuid_is_version_4_in_the_usual_form() {
        let u = super::new_uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_ne!(u, super::new_uuid());
    }
}
