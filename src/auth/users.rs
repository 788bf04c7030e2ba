//! SQL of users.

use sqlx::{AssertSqlSafe, Row};

use super::Role;
use crate::db::code::decode;
use crate::db::{Db, is_unique_violation, now};
use crate::orgs::OrgId;

#[derive(Clone, Debug, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub org_id: OrgId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub division_id: Option<i64>,
    /// The password is a temporary one the admin set: staff pages wait for a new one.
    pub must_change_password: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("มีชื่อผู้ใช้ \"{0}\" อยู่แล้ว (username \"{0}\" is taken)")]
    UsernameTaken(String),
    #[error("ชื่อผู้ใช้ต้องเป็นอักษรอังกฤษ ตัวเลข . _ - ยาว 3–64 ตัว (username must be 3–64 of a-z 0-9 . _ -)")]
    InvalidUsername,
    #[error("{0}")]
    WeakPassword(&'static str),
    #[error("อีเมล “{0}” ไม่ถูกต้อง (not an e-mail address)")]
    InvalidEmail(String),
    #[error("ไม่พบผู้ใช้นี้ในหน่วยงาน (no such user)")]
    NotFound,
    #[error(
        "ปิดการใช้งานผู้ดูแลระบบคนสุดท้ายของหน่วยงานไม่ได้ กรุณาตั้งผู้ดูแลระบบคนอื่นก่อน (the last active admin cannot be deactivated)"
    )]
    LastAdmin,
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for UserError {
    fn from(e: sqlx::Error) -> Self {
        UserError::Db(e.into())
    }
}

pub struct NewUser<'a> {
    pub org: OrgId,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub division_id: Option<i64>,
}

pub async fn create(db: &Db, new: &NewUser<'_>, actor: &str) -> Result<User, UserError> {
    let username = new.username.trim().to_lowercase();
    if !(3..=64).contains(&username.len()) || !username.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
    {
        return Err(UserError::InvalidUsername);
    }
    super::password::check_strength(new.password).map_err(UserError::WeakPassword)?;
    let hash = super::password::hash_off_thread(new.password).await?;
    let mut tx = db.write(new.org).await?;
    let inserted = sqlx::query(
        "INSERT INTO users (org_id, username, display_name, password_hash, role, division_id, active, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(new.org.0)
    .bind(&username)
    .bind(new.display_name)
    .bind(&hash)
    .bind(new.role.code())
    .bind(new.division_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get(0)?,
        Err(e) if is_unique_violation(&e) => return Err(UserError::UsernameTaken(username)),
        Err(e) => return Err(e.into()),
    };
    let user = User {
        id,
        org_id: new.org,
        username,
        display_name: new.display_name.to_string(),
        role: new.role,
        division_id: new.division_id,
        must_change_password: false,
    };
    // The password hash is not audited: the log is readable by auditors.
    let after = serde_json::to_value(&user).map_err(anyhow::Error::from)?;
    crate::audit::record(&mut tx, new.org, actor, "create", "user", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(user)
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    let id: i64 = r.try_get("id")?;
    let role: String = r.try_get("role")?;
    Ok(User {
        id,
        org_id: OrgId(r.try_get("org_id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: decode("users", "role", id, &role)?,
        division_id: r.try_get("division_id")?,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
    })
}

/// The columns [`user_from_row`] reads.
const USER_COLUMNS: &str = "id, org_id, username, display_name, role, division_id, must_change_password";

/// Checks a login to one organization. Returns the user only for an active account and the
/// right password; a deactivated account is refused like a wrong password.
pub async fn authenticate(db: &Db, org: OrgId, username: &str, password: &str) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS}, password_hash FROM users WHERE org_id = $1 AND username = $2 AND active = 1"
    )))
    .bind(org.0)
    .bind(username.trim().to_lowercase())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        // The dummy hash is computed once, off the async threads like every hash.
        let dummy = crate::blocking::run(crate::blocking::Lane::Hash, super::password::dummy_hash).await;
        super::password::verify_off_thread(password, dummy.unwrap_or_default()).await;
        return Ok(None);
    };
    let hash: String = row.try_get("password_hash")?;
    if super::password::verify_off_thread(password, &hash).await { Ok(Some(user_from_row(&row)?)) } else { Ok(None) }
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND active = 1")))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// A user of one organization by id, active or not (None for another organization's user).
pub async fn find_by_id_and_org(db: &Db, id: i64, org: OrgId) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND org_id = $2")))
        .bind(id)
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// A user of one organization by username, active or not (None for another organization's user).
pub async fn find_by_username_and_org(db: &Db, username: &str, org: OrgId) -> Result<Option<User>, sqlx::Error> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1 AND org_id = $2")))
            .bind(username.trim().to_lowercase())
            .bind(org.0)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(user_from_row).transpose()
}

/// Sets the address reminders are e-mailed to (empty: in-app only).
pub async fn set_email(db: &Db, org: OrgId, user_id: i64, email: &str, actor: &str) -> Result<(), UserError> {
    let email = email.trim();
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        return Err(UserError::InvalidEmail(email.to_string()));
    }
    let mut tx = db.write(org).await?;
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2 AND org_id = $3")
        .bind(email)
        .bind(user_id)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    let after = serde_json::json!({ "email": email });
    crate::audit::record(&mut tx, org, actor, "update", "user_email", &user_id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(())
}

/// The e-mail address of a user of the organization, if set.
pub async fn email_of(db: &Db, org: OrgId, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1 AND org_id = $2")
        .bind(user_id)
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(e,)| e).filter(|e| !e.is_empty()))
}

/// A user as the admin's page lists them.
#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub duties: String,
    pub email: String,
    pub active: bool,
}

/// The organization's users, active or not, by username (sorted here: the database's collation may differ
/// between engines).
pub async fn list(db: &Db, org: OrgId) -> Result<Vec<UserRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, username, display_name, role, duties, email, active FROM users WHERE org_id = $1 ORDER BY id",
    )
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UserRow {
                id: r.try_get(0)?,
                username: r.try_get(1)?,
                display_name: r.try_get(2)?,
                role: decode("users", "role", r.try_get(0)?, &r.try_get::<String, _>(3)?)?,
                duties: r.try_get(4)?,
                email: r.try_get(5)?,
                active: r.try_get::<i64, _>(6)? != 0,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map(|mut users| {
            crate::thai::collate::sort_by_code(&mut users, |u| &u.username);
            users
        })
}

/// Changes a user's password after checking the current one. Ok(false): the current one is wrong.
pub async fn change_password(db: &Db, user: &User, current: &str, new: &str) -> Result<bool, UserError> {
    let row: (String,) =
        sqlx::query_as("SELECT password_hash FROM users WHERE id = $1").bind(user.id).fetch_one(&db.pool).await?;
    if !super::password::verify_off_thread(current, &row.0).await {
        return Ok(false);
    }
    super::password::check_strength(new).map_err(UserError::WeakPassword)?;
    let hash = super::password::hash_off_thread(new).await?;
    let mut tx = db.write(user.org_id).await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(&hash)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    // Other sessions end: whoever knew the old password is logged out.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
    let after = serde_json::json!({ "password": "changed" });
    crate::audit::record(
        &mut tx,
        user.org_id,
        &user.username,
        "update",
        "user_password",
        &user.id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
