//! Settings: defaults, then `PRONGSAI_*` / `DATABASE_URL` environment variables, then flags.

use std::path::PathBuf;

use crate::db::DatabaseUrl;

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
}

impl Settings {
    pub fn new(database_url: DatabaseUrl, public_url: Option<String>) -> Self {
        let public_url = public_url
            .or_else(|| std::env::var("PRONGSAI_PUBLIC_URL").ok())
            .unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_string())
            .trim_end_matches('/')
            .to_string();
        let max_upload_bytes =
            std::env::var("PRONGSAI_MAX_UPLOAD_MB").ok().and_then(|v| v.parse::<usize>().ok()).unwrap_or(20)
                * 1024
                * 1024;
        Settings { database_url, public_url, max_upload_bytes, audit_signer: None }
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
