//! The public daily fairness summary: how many calls a day were made, how many went before
//! someone who came earlier, and why (the rule's priority groups, recalls, transfers, skips, and
//! tickets picked by hand with the officer's reason). No names and no ticket numbers: the time,
//! the kind and the reason.

use std::collections::BTreeMap;

use sqlx::Row;

use super::rules::{OutOfOrder, PriorityGroup};
use super::{PointId, day_start_ms};
use crate::db::Db;
use crate::orgs::OrgId;

/// One out-of-order step of the day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at: i64,
    pub point: PointId,
    pub kind: OutOfOrder,
    pub reason: String,
    pub group: Option<PriorityGroup>,
}

/// A day at the organization's points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaySummary {
    /// Calls made (first calls and calls by hand; recalls are counted apart).
    pub calls: i64,
    /// Calls that went before nobody.
    pub in_order: i64,
    /// Out-of-order steps by kind.
    pub by_kind: BTreeMap<&'static str, i64>,
    /// Priority calls by group.
    pub by_group: BTreeMap<&'static str, i64>,
    pub entries: Vec<Entry>,
}

impl DaySummary {
    pub fn out_of_order(&self) -> i64 {
        self.entries.len() as i64
    }

    /// Out-of-order steps without a reason: none, by construction; the page says so from data.
    pub fn without_reason(&self) -> i64 {
        self.entries.iter().filter(|e| e.reason.trim().is_empty()).count() as i64
    }
}

/// The summary of a Thai day.
pub async fn day(db: &Db, org: OrgId, day: i64) -> anyhow::Result<DaySummary> {
    let rows = sqlx::query(
        "SELECT e.kind, e.out_of_order, e.reason, e.at, e.point_id, t.priority_group FROM queue_events e
         JOIN queue_tickets t ON t.id = e.ticket_id
         WHERE e.org_id = $1 AND e.at >= $2 AND e.at < $3 AND e.kind IN ('call', 'recall', 'skip', 'transfer')
         ORDER BY e.at, e.id",
    )
    .bind(org.0)
    .bind(day_start_ms(day))
    .bind(day_start_ms(day + 1))
    .fetch_all(&db.pool)
    .await?;
    let mut s = DaySummary::default();
    for r in &rows {
        let kind: String = r.try_get(0)?;
        let out_of_order: String = r.try_get(1)?;
        if kind == "call" {
            s.calls += 1;
            if out_of_order.is_empty() {
                s.in_order += 1;
            }
        }
        let Some(k) = OutOfOrder::parse(&out_of_order) else { continue };
        let group = PriorityGroup::parse(&r.try_get::<String, _>(5)?);
        *s.by_kind.entry(k.code()).or_default() += 1;
        if k == OutOfOrder::Priority
            && let Some(g) = group
        {
            *s.by_group.entry(g.code()).or_default() += 1;
        }
        s.entries.push(Entry {
            at: r.try_get(3)?,
            point: PointId(r.try_get(4)?),
            kind: k,
            reason: r.try_get(2)?,
            group,
        });
    }
    Ok(s)
}
