//! Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database, and a
//! per-session CSRF token that every form posts back.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Db, now};

/// Sessions last 12 hours at most: one working day, then a new login.
pub const LIFETIME_SECS: i64 = 12 * 3600;

/// A session unused for 2 hours ends (a computer left logged in at lunch and the afternoon).
pub const IDLE_SECS: i64 = 2 * 3600;

/// How stale `last_seen_at` may get before a request refreshes it: one write a minute, not one
/// per request.
const TOUCH_AFTER_SECS: i64 = 60;

pub const COOKIE: &str = "prongsai_session";

fn random_token() -> String {
    random_hex::<32>()
}

/// `N` random bytes from the OS as lowercase hex: the secret tokens of links and cookies.
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored of a secret token: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
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
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $4)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(random_token())
    .bind(at)
    .bind(at + LIFETIME_SECS)
    .execute(&mut *tx)
    .await?;
    // Expired sessions are removed here rather than by a timer: logins are frequent enough.
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
        .bind(at)
        .bind(at - IDLE_SECS)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// The live session of a cookie: neither past its absolute expiry nor idle too long. Marks it used.
pub async fn find(db: &Db, token: &str) -> Result<Option<Session>, sqlx::Error> {
    let at = now();
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT user_id, csrf_token, last_seen_at FROM sessions
         WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
    )
    .bind(&hash)
    .bind(at)
    .bind(at - IDLE_SECS)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    if r.try_get::<i64, _>(2)? < at - TOUCH_AFTER_SECS {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(Session { user_id: r.try_get(0)?, csrf_token: r.try_get(1)? }))
}

/// Ends every session of a user ("log out everywhere", deactivation, a new password).
pub async fn delete_all_of_user(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

pub async fn delete(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The value of the login form's pre-session cookie: random, chosen by the server.
pub fn login_nonce() -> String {
    random_token()
}

/// The login form's CSRF token for a pre-session cookie: an HMAC of the cookie under a server
/// secret, so a token is valid only with the cookie it was made for, and nobody without the
/// secret can make a matching pair (a double-submit token the attacker picks both halves of is
/// worthless against login CSRF).
pub fn login_csrf_token(secret: &[u8], nonce: &str) -> String {
    hex::encode(super::secrets::hmac_sha256(secret, format!("login-csrf:{nonce}").as_bytes()))
}

/// True for a cookie value [`login_nonce`] could have made.
pub fn is_nonce(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Constant-time comparison, so a token cannot be guessed byte by byte from response times.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
