//! The organization's lending rules, stored as TOML so an office can add its local rules.

use sqlx::Row;

use super::floor::{self, BelowTheFloor};
use super::rules::{Duty, LendingRules, UseType};
use crate::db::{Db, now};
use crate::orgs::OrgId;

/// Which loosened approvers a delegation order in force today covers: (use, duty) when an order
/// for that use runs from a holder of the regulation's approver (ข้อ 208) to a holder of the duty.
async fn delegations(db: &Db, org: OrgId) -> anyhow::Result<Vec<(UseType, Duty)>> {
    let today = super::today();
    let mut covered = Vec::new();
    for order in super::delegation::list(db, org).await?.into_iter().filter(|o| o.valid_on(today)) {
        let (from, to) = (super::duties_of(db, order.from_user).await?, super::duties_of(db, order.to_user).await?);
        for use_type in &order.use_types {
            if from.contains(&floor::requirement(*use_type).lowest) {
                covered.extend(to.iter().map(|d| (*use_type, *d)));
            }
        }
    }
    Ok(covered)
}

/// The organization's rules, or the regulation's defaults when it has set none. An approver
/// stored below the regulation's floor (saved before the floor was checked) is read as the
/// regulation's approver, so a loosened rule never decides a request.
pub async fn load(db: &Db, org: OrgId) -> anyhow::Result<LendingRules> {
    let mut rules = load_as_stored(db, org).await?;
    let covered = delegations(db, org).await?;
    if let Err(below) = floor::check(&rules, &|u, d| covered.contains(&(u, d))) {
        for b in below {
            tracing::warn!(
                org = org.0,
                field = b.field,
                "stored lending rule below the regulation's floor; using the regulation's approver"
            );
            match b.requirement.use_type {
                super::rules::UseType::Inside => rules.approver_inside = b.requirement.lowest,
                super::rules::UseType::Outside => rules.approver_outside = b.requirement.lowest,
                super::rules::UseType::Agency => rules.approver_agency = b.requirement.lowest,
            }
        }
    }
    Ok(rules)
}

async fn load_as_stored(db: &Db, org: OrgId) -> anyhow::Result<LendingRules> {
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

/// Saves the rules unless they name an approver below the regulation's floor (then nothing is
/// saved and the refusals are returned, each naming its clause and field).
pub async fn save(
    db: &Db,
    org: OrgId,
    rules: &LendingRules,
    actor: &str,
) -> anyhow::Result<Result<(), Vec<BelowTheFloor>>> {
    let covered = delegations(db, org).await?;
    if let Err(below) = floor::check(rules, &|u, d| covered.contains(&(u, d))) {
        return Ok(Err(below));
    }
    let before = load_as_stored(db, org).await?;
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
    Ok(Ok(()))
}
