//! The organization's LINE and Facebook channels in SQL: whether they are on, the Facebook page,
//! and the sealed token. The token itself never leaves this module except to the sender: pages
//! see that it is set and its last four characters; the audit log sees only that it changed.
//! LINE also has a channel secret (sealed the same way; it checks the webhook's signature) and the
//! official account's LINE ID that citizens add as a friend.

use sqlx::Row;

use super::Channel;
use super::keys::Key;
use crate::db::{Db, Tx, now};
use crate::orgs::OrgId;

#[derive(Clone, Debug, Default)]
pub struct ChannelSettings {
    pub enabled: bool,
    /// Facebook: the page id.
    pub target: String,
    pub token_set: bool,
    pub token_last4: String,
    /// LINE: the channel secret is set, and its last four characters.
    pub secret_set: bool,
    pub secret_last4: String,
    /// LINE: the official account's LINE ID (e.g. `@maekhatuan`).
    pub oa_id: String,
}

/// A channel's sealed token and where it posts, for the sender.
pub struct Sealed {
    pub enabled: bool,
    pub target: String,
    pub sealed: String,
    pub key_id: String,
}

/// What the admin's form changes; `token` and `secret` None keep the stored ones.
pub struct Change<'a> {
    pub enabled: bool,
    pub target: &'a str,
    pub token: Option<(&'a Key, &'a str)>,
    /// LINE only: the channel secret and the official account's LINE ID.
    pub secret: Option<(&'a Key, &'a str)>,
    pub oa_id: &'a str,
}

/// The context a token is sealed to: its organization and channel.
pub fn context(org: OrgId, channel: Channel) -> String {
    format!("{}:{}", org.0, channel.code())
}

/// The context LINE's channel secret is sealed to (not the token's: one does not open as the other).
fn secret_context(org: OrgId) -> String {
    format!("{}:line:secret", org.0)
}

fn last_four(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

async fn sealed_on(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    channel: Channel,
) -> Result<Option<Sealed>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT enabled, target, token_sealed, token_key_id FROM publishing_channels WHERE org_id = $1 AND channel = $2",
    )
    .bind(org.0)
    .bind(channel.code())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Sealed {
            enabled: r.try_get::<i64, _>("enabled")? != 0,
            target: r.try_get("target")?,
            sealed: r.try_get("token_sealed")?,
            key_id: r.try_get("token_key_id")?,
        })
    })
    .transpose()
}

/// The channel's sealed token, if the channel is set up.
pub async fn sealed(db: &Db, org: OrgId, channel: Channel) -> Result<Option<Sealed>, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    sealed_on(&mut conn, org, channel).await
}

/// The channels a publication goes to now: on, with a token.
pub async fn active_in(tx: &mut Tx, org: OrgId) -> Result<Vec<Channel>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT channel FROM publishing_channels WHERE org_id = $1 AND enabled = 1 AND token_sealed <> '' ORDER BY channel",
    )
    .bind(org.0)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.iter().filter_map(|r| Channel::from_code(&r.try_get::<String, _>(0).ok()?)).collect())
}

/// LINE's official account ID to show citizens: Some when LINE is on, with a token, a secret
/// (so the webhook can believe what users send) and the ID.
pub async fn line_oa_id(db: &Db, org: OrgId) -> Result<Option<String>, sqlx::Error> {
    let oa: Option<String> = sqlx::query_scalar(
        "SELECT oa_id FROM publishing_channels WHERE org_id = $1 AND channel = 'line' AND enabled = 1
             AND token_sealed <> '' AND secret_sealed <> ''",
    )
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    Ok(oa.filter(|oa| !oa.is_empty()))
}

/// LINE's channel secret, opened, when LINE is on with a token and a secret; Err when the key
/// does not open it (a Thai sentence, logged by the caller).
pub async fn line_secret(
    db: &Db,
    config: &super::Config,
    database_url: &crate::db::DatabaseUrl,
    org: OrgId,
) -> anyhow::Result<Result<Option<String>, String>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT secret_sealed, secret_key_id FROM publishing_channels WHERE org_id = $1 AND channel = 'line'
             AND enabled = 1 AND token_sealed <> '' AND secret_sealed <> ''",
    )
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    let Some((sealed, key_id)) = row else { return Ok(Ok(None)) };
    let key = match super::keys::load(config, database_url, false) {
        Ok(key) => key,
        Err(why) => return Ok(Err(why)),
    };
    Ok(key.open(&key_id, &secret_context(org), &sealed).map(Some))
}

/// The settings of LINE and of Facebook, as the admin's page shows them.
pub async fn settings(db: &Db, org: OrgId, channel: Channel) -> Result<ChannelSettings, sqlx::Error> {
    let row = sqlx::query(
        "SELECT enabled, target, token_sealed, token_last4, secret_sealed, secret_last4, oa_id
         FROM publishing_channels WHERE org_id = $1 AND channel = $2",
    )
    .bind(org.0)
    .bind(channel.code())
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(ChannelSettings::default()) };
    Ok(ChannelSettings {
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        target: r.try_get("target")?,
        token_set: !r.try_get::<String, _>("token_sealed")?.is_empty(),
        token_last4: r.try_get("token_last4")?,
        secret_set: !r.try_get::<String, _>("secret_sealed")?.is_empty(),
        secret_last4: r.try_get("secret_last4")?,
        oa_id: r.try_get("oa_id")?,
    })
}

/// Saves a channel's settings and audits what changed (never the token nor the secret).
pub async fn save(tx: &mut Tx, org: OrgId, channel: Channel, change: &Change<'_>, actor: &str) -> anyhow::Result<()> {
    let before = sealed_on(tx, org, channel).await?;
    let (sealed, key_id, last4) = match change.token {
        Some((key, token)) => (key.seal(&context(org, channel), token), key.id.clone(), last_four(token)),
        None => match &before {
            Some(b) => (b.sealed.clone(), b.key_id.clone(), String::new()),
            None => (String::new(), String::new(), String::new()),
        },
    };
    let keep_last4 = change.token.is_none();
    sqlx::query(
        "INSERT INTO publishing_channels (org_id, channel, enabled, target, token_sealed, token_key_id, token_last4,
             updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (org_id, channel) DO UPDATE SET enabled = $3, target = $4, token_sealed = $5, token_key_id = $6,
             token_last4 = CASE WHEN $10 = 1 THEN publishing_channels.token_last4 ELSE $7 END,
             updated_by = $8, updated_at = $9",
    )
    .bind(org.0)
    .bind(channel.code())
    .bind(i64::from(change.enabled))
    .bind(change.target)
    .bind(&sealed)
    .bind(&key_id)
    .bind(&last4)
    .bind(actor)
    .bind(now())
    .bind(i64::from(keep_last4))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE publishing_channels SET oa_id = $1 WHERE org_id = $2 AND channel = $3")
        .bind(change.oa_id)
        .bind(org.0)
        .bind(channel.code())
        .execute(&mut **tx)
        .await?;
    if let Some((key, secret)) = change.secret {
        sqlx::query(
            "UPDATE publishing_channels SET secret_sealed = $1, secret_key_id = $2, secret_last4 = $3
             WHERE org_id = $4 AND channel = $5",
        )
        .bind(key.seal(&secret_context(org), secret))
        .bind(&key.id)
        .bind(last_four(secret))
        .bind(org.0)
        .bind(channel.code())
        .execute(&mut **tx)
        .await?;
    }
    let after = serde_json::json!({
        "enabled": change.enabled,
        "target": change.target,
        "token_changed": change.token.is_some(),
        "secret_changed": change.secret.is_some(),
        "oa_id": change.oa_id,
        "key_id": key_id,
    });
    let before = before.map(|b| serde_json::json!({ "enabled": b.enabled, "target": b.target, "key_id": b.key_id }));
    crate::audit::record(tx, org, actor, "update", "publishing_channel", channel.code(), before.as_ref(), Some(&after))
        .await?;
    Ok(())
}
