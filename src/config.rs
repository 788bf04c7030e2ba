//! Settings: defaults, then `PRONGSAI_*` / `DATABASE_URL` environment variables, then flags.

use std::path::PathBuf;
use std::time::Duration;

use crate::blocking::PoolSize;
use crate::db::DatabaseUrl;
use crate::docs::typeset::RenderLimits;

/// The default database: a SQLite file in the working directory's `data/` folder.
pub const DEFAULT_DATABASE: &str = "sqlite://data/prongsai.db";
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    /// Base URL for absolute links and QR codes, without a trailing slash.
    pub public_url: String,
    /// Largest uploaded evidence file, in bytes.
    pub max_upload_bytes: usize,
    /// Signs the published audit chain heads (key from PRONGSAI_AUDIT_KEY_FILE, loaded by `serve`).
    pub audit_signer: Option<std::sync::Arc<crate::audit::HeadSigner>>,
    /// Timeouts, the connection cap and render limits.
    pub limits: ServerLimits,
    /// Threads for renders and password hashing.
    pub pool: PoolSize,
    /// Lets `/metrics` be read from other machines with `Authorization: Bearer TOKEN`.
    pub metrics_token: Option<Secret>,
    /// Proxies whose `X-Forwarded-For` names the client (`PRONGSAI_TRUSTED_PROXIES`, addresses or
    /// networks separated by commas); empty: the socket's peer is the client.
    pub trusted_proxies: Vec<crate::http::client::Cidr>,
    /// `PRONGSAI_PUBLIC_CACHE_MB` (64): memory for public pages kept rendered and compressed.
    pub public_cache_bytes: usize,
    /// The `prongsai` binary that typesets large documents in a child process (`serve` sets the
    /// running one); None: every document is typeset in this process.
    pub render_worker: Option<std::path::PathBuf>,
    /// The outbox: API addresses, retry timing, the token key's file (`publishing::Config`).
    pub publishing: crate::publishing::Config,
    /// `PRONGSAI_API_REQUESTS_PER_MINUTE` (120): requests to the open API per client address and
    /// minute (`api::limit`); 0 turns the limit off.
    pub api_requests_per_minute: u32,
}

/// A value kept out of `Debug` output and logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How long the server waits for clients and for its own work, and how much it takes on at once.
/// Each comes from a `PRONGSAI_*` variable (seconds may have decimals, e.g. `0.5`); see
/// docs/operations.md, "Limits and timeouts".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// `PRONGSAI_HEADER_TIMEOUT_SECS` (15): a request's head must arrive within it, counted from
    /// when the server starts waiting: on a new connection and after each answer (so it is also
    /// the idle keep-alive timeout).
    pub header_timeout: Duration,
    /// `PRONGSAI_BODY_TIMEOUT_SECS` (30): a request body with no data for this long gets 408.
    pub body_timeout: Duration,
    /// `PRONGSAI_REQUEST_TIMEOUT_SECS` (300): a request not answered within it gets 503.
    pub request_timeout: Duration,
    /// `PRONGSAI_MAX_CONNECTIONS` (4096): open client connections at once.
    pub max_connections: usize,
    /// `PRONGSAI_SHUTDOWN_GRACE_SECS` (30): on SIGTERM/SIGINT, how long requests in flight may finish.
    pub shutdown_grace: Duration,
    /// `PRONGSAI_RENDER_MAX_ROWS` (2000), `PRONGSAI_RENDER_MAX_CHARS` (1,000,000),
    /// `PRONGSAI_RENDER_TIMEOUT_SECS` (60): one PDF typeset on the web.
    pub render: RenderLimits,
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Err(_) => default,
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            tracing::warn!(variable = name, value = %v, "not a number: the default is used");
            default
        }),
    }
}

fn env_secs(name: &str, default: f64) -> Duration {
    let secs = env_number(name, default);
    Duration::try_from_secs_f64(secs).unwrap_or_else(|_| Duration::from_secs_f64(default))
}

impl ServerLimits {
    /// The limits from the environment, with the defaults above.
    pub fn from_env() -> Self {
        ServerLimits {
            header_timeout: env_secs("PRONGSAI_HEADER_TIMEOUT_SECS", 15.0),
            body_timeout: env_secs("PRONGSAI_BODY_TIMEOUT_SECS", 30.0),
            request_timeout: env_secs("PRONGSAI_REQUEST_TIMEOUT_SECS", 300.0),
            max_connections: env_number("PRONGSAI_MAX_CONNECTIONS", 4096usize).max(1),
            shutdown_grace: env_secs("PRONGSAI_SHUTDOWN_GRACE_SECS", 30.0),
            render: RenderLimits {
                max_rows: env_number("PRONGSAI_RENDER_MAX_ROWS", 2000),
                max_chars: env_number("PRONGSAI_RENDER_MAX_CHARS", 1_000_000),
                timeout: Some(env_secs("PRONGSAI_RENDER_TIMEOUT_SECS", 60.0)),
            },
        }
    }
}

/// `PRONGSAI_RENDER_THREADS`, `PRONGSAI_RENDER_QUEUE` and `PRONGSAI_HASH_THREADS`, defaulting to
/// [`PoolSize::for_this_machine`].
pub fn pool_from_env() -> PoolSize {
    let default = PoolSize::for_this_machine();
    PoolSize {
        render: env_number("PRONGSAI_RENDER_THREADS", default.render).max(1),
        render_queue: env_number("PRONGSAI_RENDER_QUEUE", default.render_queue),
        hash: env_number("PRONGSAI_HASH_THREADS", default.hash).max(1),
    }
}

/// The public URL set in the environment (`PRONGSAI_PUBLIC_URL`), if it is set and not blank.
/// Commands that print the URL where it cannot be corrected later (QR labels) refuse the default.
pub fn public_url_from_env() -> Option<String> {
    std::env::var("PRONGSAI_PUBLIC_URL").ok().filter(|u| !u.trim().is_empty())
}

impl Settings {
    pub fn new(database_url: DatabaseUrl, public_url: Option<String>) -> Self {
        let public_url = public_url
            .or_else(public_url_from_env)
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_string())
            .trim_end_matches('/')
            .to_string();
        let max_upload_bytes =
            std::env::var("PRONGSAI_MAX_UPLOAD_MB").ok().and_then(|v| v.parse::<usize>().ok()).unwrap_or(20)
                * 1024
                * 1024;
        // A list that does not parse trusts nobody (the safe side), and says so in the log.
        let trusted_proxies =
            crate::http::client::parse_trusted(&std::env::var("PRONGSAI_TRUSTED_PROXIES").unwrap_or_default())
                .unwrap_or_else(|e| {
                    tracing::error!("PRONGSAI_TRUSTED_PROXIES ignored: {e}");
                    Vec::new()
                });
        let metrics_token =
            std::env::var("PRONGSAI_METRICS_TOKEN").ok().filter(|t| !t.trim().is_empty()).map(Secret::new);
        Settings {
            database_url,
            public_url,
            max_upload_bytes,
            audit_signer: None,
            limits: ServerLimits::from_env(),
            pool: pool_from_env(),
            metrics_token,
            trusted_proxies,
            public_cache_bytes: std::env::var("PRONGSAI_PUBLIC_CACHE_MB")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(64)
                * 1024
                * 1024,
            render_worker: None,
            publishing: crate::publishing::Config::from_env(),
            api_requests_per_minute: env_number("PRONGSAI_API_REQUESTS_PER_MINUTE", 120),
        }
    }

    /// Cookies get the `Secure` flag when the public site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Where a relative SQLite path is created: kept for messages.
pub fn describe_database(url: &DatabaseUrl) -> String {
    match url.expose().strip_prefix("sqlite://") {
        Some(path) => {
            let path = PathBuf::from(path.split('?').next().unwrap_or(path));
            format!("SQLite {}", path.display())
        }
        None => format!("PostgreSQL {url}"),
    }
}
