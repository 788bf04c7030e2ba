//! The SQL of a measure's sub-rows (its methods, results and outcomes, indicators and linked
//! divisions): a save writes only the rows that differ (issue 13, item 4), as
//! [`item_changes`](super::item_changes) plans them for the lists.

use sqlx::{AssertSqlSafe, Row};

use super::item_changes::{self, ItemChange, StoredItem};
use super::{ItemKind, MeasureId, MeasureInput};
use crate::db::Tx;
use crate::orgs::OrgId;

/// Brings the children of a measure (items, indicators, linked divisions) to `input`, writing
/// only the rows that differ: a save that changes nothing writes none, an edited item keeps its row.
pub(super) async fn write_children(
    tx: &mut Tx,
    org: OrgId,
    id: MeasureId,
    input: &MeasureInput,
) -> Result<(), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, position, text, numbered FROM measure_items WHERE measure_id = $1 AND org_id = $2
         ORDER BY kind, position, id",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_all(&mut **tx)
    .await?;
    for kind in ItemKind::ALL {
        let mut stored = Vec::new();
        for r in rows.iter().filter(|r| r.try_get::<String, _>(1).is_ok_and(|k| k == kind.code())) {
            stored.push(StoredItem {
                id: r.try_get(0)?,
                position: r.try_get(2)?,
                text: r.try_get(3)?,
                numbered: r.try_get::<i64, _>(4)? != 0,
            });
        }
        let wanted = match kind {
            ItemKind::Method => &input.methods,
            ItemKind::Result => &input.results,
            ItemKind::Outcome => &input.outcomes,
        };
        for change in item_changes::plan(&stored, wanted) {
            let query = match change {
                ItemChange::Update { id: row, position, text, numbered } => sqlx::query(
                    "UPDATE measure_items SET position = $1, text = $2, numbered = $3 WHERE id = $4 AND org_id = $5",
                )
                .bind(position)
                .bind(text)
                .bind(numbered as i64)
                .bind(row)
                .bind(org.0),
                ItemChange::Insert { position, text, numbered } => sqlx::query(
                    "INSERT INTO measure_items (measure_id, org_id, kind, position, text, numbered) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id.0)
                .bind(org.0)
                .bind(kind.code())
                .bind(position)
                .bind(text)
                .bind(numbered as i64),
                ItemChange::Delete { id: row } => {
                    sqlx::query("DELETE FROM measure_items WHERE id = $1 AND org_id = $2").bind(row).bind(org.0)
                }
            };
            query.execute(&mut **tx).await?;
        }
    }
    write_set(tx, org, id, "measure_indicators", "indicator_number", &input.indicators).await?;
    // Link the divisions the responsible lines name, so reports can be filtered by division.
    let divisions =
        sqlx::query("SELECT id, name FROM divisions WHERE org_id = $1").bind(org.0).fetch_all(&mut **tx).await?;
    let text = input.responsible.join("\n");
    let mut named = Vec::new();
    for d in &divisions {
        if text.contains(d.try_get::<String, _>(1)?.as_str()) {
            named.push(d.try_get::<i64, _>(0)?);
        }
    }
    write_set(tx, org, id, "measure_divisions", "division_id", &named).await
}

/// Makes the measure's rows of a (measure_id, `column`) table hold exactly `wanted`: deletes the
/// values no longer wanted, inserts the new ones, leaves the rest.
async fn write_set(
    tx: &mut Tx,
    org: OrgId,
    id: MeasureId,
    table: &str,
    column: &str,
    wanted: &[i64],
) -> Result<(), sqlx::Error> {
    let stored: Vec<(i64,)> =
        sqlx::query_as(AssertSqlSafe(format!("SELECT {column} FROM {table} WHERE measure_id = $1 AND org_id = $2")))
            .bind(id.0)
            .bind(org.0)
            .fetch_all(&mut **tx)
            .await?;
    let stored: std::collections::BTreeSet<i64> = stored.into_iter().map(|(v,)| v).collect();
    let wanted: std::collections::BTreeSet<i64> = wanted.iter().copied().collect();
    for gone in stored.difference(&wanted) {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE measure_id = $1 AND org_id = $2 AND {column} = $3"
        )))
        .bind(id.0)
        .bind(org.0)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    }
    for new in wanted.difference(&stored) {
        sqlx::query(AssertSqlSafe(format!("INSERT INTO {table} (measure_id, org_id, {column}) VALUES ($1, $2, $3)")))
            .bind(id.0)
            .bind(org.0)
            .bind(new)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
