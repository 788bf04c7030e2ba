//! Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database, and a
//! per-session CSRF token that every form posts back.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Db, now};

/// Sessions last 12 hours: one working day, then a new login.
pub const LIFETIME_SECS: i64 = 12 * 3600;

pub const COOKIE: &str = "prongsai_session";

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A live session: the user and the CSRF token its forms must carry.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
}

/// Starts a session; returns the cookie value.
pub async fn create(db: &Db, user_id: i64) -> Result<String, sqlx::Error> {
    let token = random_token();
    let at = now();
    // In the write queue, so that a login waits for another organization's long write.
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(random_token())
    .bind(at)
    .bind(at + LIFETIME_SECS)
    .execute(&mut *tx)
    .await?;
    // Expired sessions are removed here rather than by a timer: logins are frequent enough.
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(at).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn find(db: &Db, token: &str) -> Result<Option<Session>, sqlx::Error> {
    let row = sqlx::query("SELECT user_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash(token))
        .bind(now())
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok(Session { user_id: r.try_get(0)?, csrf_token: r.try_get(1)? })).transpose()
}

pub async fn delete(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A CSRF token for the login form, which has no session yet: the token is bound to a
/// short-lived cookie instead (double submit).
pub fn login_csrf_token() -> String {
    random_token()
}

/// Constant-time comparison, so a token cannot be guessed byte by byte from response times.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
