//! The organization's lending rules, stored as TOML so an office can add its local rules.

use sqlx::Row;

use super::rules::LendingRules;
use crate::db::{Db, now};
use crate::orgs::OrgId;

/// The organization's rules, or the regulation's defaults when it has set none.
pub async fn load(db: &Db, org: OrgId) -> anyhow::Result<LendingRules> {
    let row = sqlx::query("SELECT rules_toml FROM lending_rules WHERE org_id = $1")
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some(r) => {
            LendingRules::from_toml(&r.try_get::<String, _>(0)?).map_err(|e| anyhow::anyhow!("{}", e.message_th()))
        }
        None => Ok(LendingRules::default()),
    }
}

pub async fn save(db: &Db, org: OrgId, rules: &LendingRules, actor: &str) -> anyhow::Result<()> {
    let before = load(db, org).await?;
    let mut tx = db.write(org).await?;
    sqlx::query(
        "INSERT INTO lending_rules (org_id, rules_toml, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (org_id) DO UPDATE SET rules_toml = excluded.rules_toml, updated_at = excluded.updated_at",
    )
    .bind(org.0)
    .bind(rules.to_toml())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        org,
        actor,
        "update",
        "lending_rules",
        &org.0.to_string(),
        Some(&serde_json::json!({ "rules": before.to_toml() })),
        Some(&serde_json::json!({ "rules": rules.to_toml() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
