//! The organization's LINE and Facebook channels in SQL: whether they are on, the Facebook page,
//! and the sealed token. The token itself never leaves this module except to the sender: pages
//! see that it is set and its last four characters; the audit log sees only that it changed.

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
}

/// A channel's sealed token and where it posts, for the sender.
pub struct Sealed {
    pub enabled: bool,
    pub target: String,
    pub sealed: String,
    pub key_id: String,
}

/// What the admin's form changes; `token` None keeps the stored one.
pub struct Change<'a> {
    pub enabled: bool,
    pub target: &'a str,
    pub token: Option<(&'a Key, &'a str)>,
}

/// The context a token is sealed to: its organization and channel.
pub fn context(org: OrgId, channel: Channel) -> String {
    format!("{}:{}", org.0, channel.code())
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

/// The settings of LINE and of Facebook, as the admin's page shows them.
pub async fn settings(db: &Db, org: OrgId, channel: Channel) -> Result<ChannelSettings, sqlx::Error> {
    let row = sqlx::query(
        "SELECT enabled, target, token_sealed, token_last4 FROM publishing_channels WHERE org_id = $1 AND channel = $2",
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
    })
}

/// Saves a channel's settings and audits what changed (never the token).
pub async fn save(tx: &mut Tx, org: OrgId, channel: Channel, change: &Change<'_>, actor: &str) -> anyhow::Result<()> {
    let before = sealed_on(tx, org, channel).await?;
    let (sealed, key_id, last4) = match change.token {
        Some((key, token)) => {
            let chars: Vec<char> = token.chars().collect();
            let last4: String = chars[chars.len().saturating_sub(4)..].iter().collect();
            (key.seal(&context(org, channel), token), key.id.clone(), last4)
        }
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
    let after = serde_json::json!({
        "enabled": change.enabled,
        "target": change.target,
        "token_changed": change.token.is_some(),
        "key_id": key_id,
    });
    let before = before.map(|b| serde_json::json!({ "enabled": b.enabled, "target": b.target, "key_id": b.key_id }));
    crate::audit::record(tx, org, actor, "update", "publishing_channel", channel.code(), before.as_ref(), Some(&after))
        .await?;
    Ok(())
}
