//! The outbox's settings, from the environment: where the APIs are, how often and how patiently
//! the worker tries, and where the key that seals the channels' tokens is kept.

use std::path::PathBuf;
use std::time::Duration;

/// The Graph API version the Facebook base URL names by default.
pub const FACEBOOK_GRAPH_VERSION: &str = "v26.0";

#[derive(Clone, Debug)]
pub struct Config {
    /// `PRONGSAI_LINE_API_URL` (https://api.line.me), without a trailing slash.
    pub line_api_url: String,
    /// `PRONGSAI_FACEBOOK_API_URL` (https://graph.facebook.com/v26.0), without a trailing slash.
    pub facebook_api_url: String,
    /// `PRONGSAI_PUBLISH_BACKOFF_SECS` (30): the wait after a first failure; it doubles with
    /// each further failure up to `backoff_max`.
    pub backoff_base: Duration,
    /// `PRONGSAI_PUBLISH_BACKOFF_MAX_SECS` (3600).
    pub backoff_max: Duration,
    /// `PRONGSAI_PUBLISH_POLL_SECS` (30): how often the worker looks for rows other processes
    /// wrote (rows this process writes wake it at once).
    pub poll_interval: Duration,
    /// `PRONGSAI_PUBLISH_TIMEOUT_SECS` (20): one request to an API, connection included.
    pub request_timeout: Duration,
    /// `PRONGSAI_SECRET_KEY_FILE`: 32 random bytes in hex that seal the tokens. Unset on SQLite:
    /// a file beside the database, made on first need; unset on PostgreSQL: no tokens.
    pub secret_key_file: Option<PathBuf>,
}

impl Config {
    pub fn from_env() -> Self {
        let url = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_string())
                .trim()
                .trim_end_matches('/')
                .to_string()
        };
        Config {
            line_api_url: url("PRONGSAI_LINE_API_URL", "https://api.line.me"),
            facebook_api_url: url(
                "PRONGSAI_FACEBOOK_API_URL",
                &format!("https://graph.facebook.com/{FACEBOOK_GRAPH_VERSION}"),
            ),
            backoff_base: secs("PRONGSAI_PUBLISH_BACKOFF_SECS", 30.0),
            backoff_max: secs("PRONGSAI_PUBLISH_BACKOFF_MAX_SECS", 3600.0),
            poll_interval: secs("PRONGSAI_PUBLISH_POLL_SECS", 30.0),
            request_timeout: secs("PRONGSAI_PUBLISH_TIMEOUT_SECS", 20.0),
            secret_key_file: std::env::var("PRONGSAI_SECRET_KEY_FILE")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(PathBuf::from),
        }
    }

    /// How long a claimed row is the claimer's: a request's timeout and the time to record its
    /// outcome. Past it, another worker may take the row (its outcome then counts as unknown).
    pub fn lease(&self) -> Duration {
        self.request_timeout * 2 + Duration::from_secs(5)
    }

    /// The wait before attempt `attempts + 1`, after `attempts` failed ones.
    pub fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
        self.backoff_base.saturating_mul(1u32 << doublings).min(self.backoff_max)
    }
}

fn secs(name: &str, default: f64) -> Duration {
    let value = std::env::var(name).ok().and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(default);
    Duration::try_from_secs_f64(value).unwrap_or_else(|_| Duration::from_secs_f64(default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_each_failure_up_to_the_maximum() {
        let mut c = Config::from_env();
        c.backoff_base = Duration::from_secs(30);
        c.backoff_max = Duration::from_secs(3600);
        let waits: Vec<u64> = (1..=9).map(|n| c.backoff(n).as_secs()).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
