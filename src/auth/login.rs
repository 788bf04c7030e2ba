//! One login attempt: throttled per account and per client address, audited in the
//! organization's chain (logins, failed logins, lock-outs), and logged.

use std::net::IpAddr;

use super::throttle::{self, ACCOUNT, ADDRESS};
use super::users::{self, User};
use crate::db::Db;
use crate::orgs::Org;

/// What became of an attempt.
#[derive(Debug)]
pub enum Outcome {
    LoggedIn(User),
    /// Wrong organization, username or password, or a deactivated account: one answer for all.
    Refused,
    /// Too many failures: nothing was checked; try again after `until` (epoch seconds).
    Locked {
        until: i64,
    },
}

/// Checks a login to `org` (None when the organization typed does not exist, `typed_org` as typed).
pub async fn attempt(
    db: &Db,
    org: Option<&Org>,
    typed_org: &str,
    username: &str,
    password: &str,
    addr: IpAddr,
) -> anyhow::Result<Outcome> {
    let username = username.trim().to_lowercase();
    let account = throttle::account_key(org.map_or(typed_org, |o| o.slug.as_str()), &username);
    let address = throttle::address_key(addr);
    if let Some(until) = throttle::locked_until(db, &account, &address).await? {
        // Refused without looking at the password: during a lock the right one fails too.
        tracing::info!(%username, %addr, until, "login refused: locked");
        return Ok(Outcome::Locked { until });
    }
    let user = match org {
        Some(org) => users::authenticate(db, org.id, &username, password).await?,
        None => {
            // The same work as for a real account, so timing does not tell which orgs exist.
            let dummy = crate::blocking::run(crate::blocking::Lane::Hash, super::password::dummy_hash).await;
            super::password::verify_off_thread(password, dummy.unwrap_or_default()).await;
            None
        }
    };
    if let Some(user) = user {
        throttle::success(db, &account).await?;
        audit(db, org, &user.username, &format!("{} ({})", user.username, user.display_name), "login", addr).await?;
        tracing::info!(user = %user.username, org = %user.org_id, %addr, "login");
        return Ok(Outcome::LoggedIn(user));
    }
    let account_lock = throttle::failure(db, &account, ACCOUNT).await?;
    let address_lock = throttle::failure(db, &address, ADDRESS).await?;
    tracing::warn!(%username, org = typed_org, %addr, "failed login");
    audit(db, org, &username, &username, "login_failed", addr).await?;
    if let Some(until) = account_lock.into_iter().chain(address_lock).max() {
        tracing::warn!(%username, org = typed_org, %addr, until, "login locked out");
        audit(db, org, &username, &username, "lockout", addr).await?;
        return Ok(Outcome::Locked { until });
    }
    Ok(Outcome::Refused)
}

/// Records a login event in the organization's chain, for an account the organization has
/// (active or not). Attempts on names the organization does not have are only logged: an entry
/// would store whatever a stranger typed.
async fn audit(
    db: &Db,
    org: Option<&Org>,
    username: &str,
    actor: &str,
    action: &str,
    addr: IpAddr,
) -> anyhow::Result<()> {
    let Some(org) = org else { return Ok(()) };
    let Some(user) = users::find_by_username_and_org(db, username, org.id).await? else { return Ok(()) };
    record(db, org.id, &user, actor, action, addr).await
}

/// Writes one account event (login, logout, …) of `user` to the organization's audit chain.
pub async fn record(
    db: &Db,
    org: crate::orgs::OrgId,
    user: &User,
    actor: &str,
    action: &str,
    addr: IpAddr,
) -> anyhow::Result<()> {
    let mut tx = db.write(org).await?;
    let after = serde_json::json!({ "username": user.username, "address": addr.to_string() });
    crate::audit::record(&mut tx, org, actor, action, "session", &user.id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(())
}
