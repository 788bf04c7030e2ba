//! The admin's account operations: deactivate and reactivate users, and give a temporary password
//! that must be changed at the next login. Each ends the user's sessions and is audited.

use rand::Rng;

use super::Role;
use super::users::UserError;
use crate::db::{Db, code::decode};
use crate::orgs::OrgId;

/// Deactivates (`active = false`) or reactivates a user of the organization. Deactivation ends the
/// user's sessions at once; the organization's last active admin cannot be deactivated.
pub async fn set_active(db: &Db, org: OrgId, user_id: i64, active: bool, actor: &str) -> Result<(), UserError> {
    // The organization's write lock: two admins deactivating each other cannot both pass the check.
    let mut tx = db.write(org).await?;
    let row: Option<(String, i64)> = sqlx::query_as("SELECT role, active FROM users WHERE id = $1 AND org_id = $2")
        .bind(user_id)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((role, was_active)) = row else { return Err(UserError::NotFound) };
    let role: Role = decode("users", "role", user_id, &role)?;
    if !active && role == Role::Admin {
        let (others,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM users WHERE org_id = $1 AND role = 'admin' AND active = 1 AND id <> $2",
        )
        .bind(org.0)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        if others == 0 {
            return Err(UserError::LastAdmin);
        }
    }
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND org_id = $3")
        .bind(i64::from(active))
        .bind(user_id)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    }
    crate::audit::record(
        &mut tx,
        org,
        actor,
        if active { "reactivate" } else { "deactivate" },
        "user",
        &user_id.to_string(),
        Some(&serde_json::json!({ "active": was_active != 0 })),
        Some(&serde_json::json!({ "active": active })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a user of the organization a new random temporary password, which must be changed at the
/// next login; ends the user's sessions. Returns the password, to be shown to the admin once.
pub async fn reset_password(db: &Db, org: OrgId, user_id: i64, actor: &str) -> Result<String, UserError> {
    let temporary = temporary_password();
    let hash = super::password::hash_off_thread(&temporary).await?;
    let mut tx = db.write(org).await?;
    let done =
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 1 WHERE id = $2 AND org_id = $3")
            .bind(&hash)
            .bind(user_id)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(UserError::NotFound);
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    // Neither password nor hash is audited: the log is readable by auditors.
    let after = serde_json::json!({ "password": "reset", "must_change_password": true });
    crate::audit::record(&mut tx, org, actor, "reset", "user_password", &user_id.to_string(), None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok(temporary)
}

/// 12 characters without look-alikes (0/O, 1/l/I), read out or written down without mistakes.
fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..12).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_temporary_password_is_long_enough_and_unambiguous() {
        let p = super::temporary_password();
        assert_eq!(p.len(), 12);
        assert!(super::super::password::check_strength(&p).is_ok());
        assert!(!p.contains(['0', 'o', '1', 'l', 'i']));
        assert_ne!(p, super::temporary_password());
    }
}
