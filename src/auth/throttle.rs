//! Login throttling per account and per client address. The counts live in the database, so
//! every `prongsai serve` process sharing it refuses the same attempts.
//!
//! After `failures` failed logins within `window_secs`, further attempts are refused for a lock
//! that doubles with each lock-out in a row (forgotten after a quiet day); a successful login
//! clears the account's count.

use crate::db::{Db, now};

/// How many failures a key may have, and how long it is then locked.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub failures: i64,
    pub window_secs: i64,
    pub first_lock_secs: i64,
    pub max_lock_secs: i64,
}

/// Per account (organization + username): a person mistyping does not get here.
pub const ACCOUNT: Limits =
    Limits { failures: 5, window_secs: 15 * 60, first_lock_secs: 5 * 60, max_lock_secs: 24 * 3600 };
/// Per client address: higher, since one office may sit behind one address.
pub const ADDRESS: Limits =
    Limits { failures: 30, window_secs: 15 * 60, first_lock_secs: 5 * 60, max_lock_secs: 24 * 3600 };

/// Lock-outs in a row are forgotten after this long without a new window of failures.
const FORGET_SECS: i64 = 24 * 3600;

/// The throttle key of an account: the organization's slug as typed and the username.
pub fn account_key(org_slug: &str, username: &str) -> String {
    format!("account:{}:{}", org_slug.trim().to_lowercase(), username.trim().to_lowercase())
}

pub fn address_key(addr: std::net::IpAddr) -> String {
    format!("address:{addr}")
}

/// The end of the later lock of the account and the address, if one is still running.
pub async fn locked_until(db: &Db, account: &str, address: &str) -> Result<Option<i64>, sqlx::Error> {
    let (until,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(locked_until), 0) FROM login_throttle WHERE subject = $1 OR subject = $2")
            .bind(account)
            .bind(address)
            .fetch_one(&db.pool)
            .await?;
    Ok((until > now()).then_some(until))
}

/// Counts a failed login of `key`; returns the end of the lock when this failure starts one.
pub async fn failure(db: &Db, key: &str, limits: Limits) -> Result<Option<i64>, sqlx::Error> {
    let at = now();
    // The count and the lock in one transaction; each statement is atomic on the row, so
    // concurrent processes count every failure.
    let mut tx = db.begin_write().await?;
    let (failures, lockouts): (i64, i64) = sqlx::query_as(
        "INSERT INTO login_throttle (subject, failures, window_start, lockouts, locked_until) VALUES ($1, 1, $2, 0, 0)
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
           lockouts = CASE WHEN login_throttle.window_start <= $4 THEN 0 ELSE login_throttle.lockouts END,
           window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 ELSE login_throttle.window_start END
         RETURNING failures, lockouts",
    )
    .bind(key)
    .bind(at)
    .bind(at - limits.window_secs)
    .bind(at - FORGET_SECS)
    .fetch_one(&mut *tx)
    .await?;
    if failures < limits.failures {
        tx.commit().await?;
        return Ok(None);
    }
    let until = at + lock_secs(limits, lockouts);
    let locked = sqlx::query(
        "UPDATE login_throttle SET locked_until = $1, lockouts = lockouts + 1, failures = 0, window_start = $2
         WHERE subject = $3 AND lockouts = $4 AND failures >= $5",
    )
    .bind(until)
    .bind(at)
    .bind(key)
    .bind(lockouts)
    .bind(limits.failures)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((locked.rows_affected() == 1).then_some(until))
}

/// A successful login clears the account's failures and lock-outs.
pub async fn success(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM login_throttle WHERE subject = $1").bind(key).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The length of the next lock after `lockouts` lock-outs in a row: doubling, capped.
pub fn lock_secs(limits: Limits, lockouts: i64) -> i64 {
    let doubled = limits.first_lock_secs.saturating_mul(1_i64 << lockouts.clamp(0, 20));
    doubled.min(limits.max_lock_secs)
}

/// When to try again, in Thai and Thai local time: "… หลัง ๑ ต.ค. ๒๕๖๕ ๐๙:๓๐ น. (อีกประมาณ ๕ นาที)".
pub fn message_th(until: i64) -> String {
    let minutes = ((until - now()).max(1) + 59) / 60;
    format!(
        "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป ระบบจึงระงับการเข้าสู่ระบบไว้ชั่วคราว กรุณาลองใหม่หลัง {} (อีกประมาณ {} นาที)",
        crate::thai::format_instant_th(until, crate::thai::Digits::Thai),
        crate::thai::to_thai_digits(&minutes.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lock_out_in_a_row_doubles_the_next_up_to_a_day() {
        assert_eq!(lock_secs(ACCOUNT, 0), 300);
        assert_eq!(lock_secs(ACCOUNT, 1), 600);
        assert_eq!(lock_secs(ACCOUNT, 3), 2400);
        assert_eq!(lock_secs(ACCOUNT, 60), 24 * 3600);
    }
}
