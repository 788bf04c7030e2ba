//! Bench data (`prongsai bench populate`): many organizations, each with divisions, users, an
//! inventory, loans in every state, follow-ups and notices, so that a load test measures one
//! organization's pages beside the data of a thousand others (issue 13: "within 10 % of the
//! 1-organization figures"). Not for production databases: the organizations are made up.
//!
//! Each organization is created as `prongsai org add` creates one (its audit chain starts with
//! the creation); its rows then go in with multi-row inserts in one transaction under its write
//! lock, recorded by one audit entry that counts them (not one entry per row, which would make
//! 300,000 rows take minutes). `audit verify` passes on the result.

mod bulk;
mod ita;
pub mod plan;
pub mod plan_ita;

use std::collections::HashMap;

use anyhow::Context;
use sqlx::Row;

use bulk::Cell;
use plan::{DIVISIONS, LoanPlan, USERS};

use crate::db::{Backend, Db, now};
use crate::lending::workflow::{Damage, LoanStatus};
use crate::orgs::OrgId;
use crate::orgs::store::{self as orgs, NewOrg};

/// How much to add.
#[derive(Clone, Debug, Default)]
pub struct Sizes {
    /// Organizations to create (slugs bench-0001, bench-0002, …).
    pub orgs: u32,
    /// Loans in all; as many follow-ups and as many notifications, spread evenly over the
    /// organizations.
    pub rows: u64,
    /// Also five fiscal years (2564–2568) of ITA results, measures and published reports for each
    /// (the province comparison's data, `plan_ita`).
    pub ita: bool,
    /// Only the organizations of `orgs` that are in this province (the same numbers, names and
    /// data as in the whole install): an install of one province.
    pub province: Option<String>,
}

/// What was added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub orgs: u64,
    pub users: u64,
    pub items: u64,
    pub loans: u64,
    pub follow_ups: u64,
    pub notifications: u64,
    /// With `Sizes::ita`: ITA results (one per organization and year), measures, published reports.
    pub ita_results: u64,
    pub measures: u64,
    pub reports: u64,
}

/// The bench users' password: the demo's, printed by the command (bench data is for load tests).
pub const PASSWORD: &str = crate::demo::PASSWORD;

/// Adds `sizes.orgs` bench organizations with their data. Refuses (naming it) when a bench
/// organization of the same slug exists already.
pub async fn populate(db: &Db, sizes: Sizes) -> anyhow::Result<Summary> {
    anyhow::ensure!(sizes.orgs > 0, "ต้องเพิ่มอย่างน้อย 1 หน่วยงาน (--orgs must be at least 1)");
    // One argon2 hash for every bench user: hashing thousands of times would take minutes.
    let password_hash = crate::auth::password::hash_off_thread(PASSWORD).await?;
    let today = crate::lending::day_of(crate::lending::today());
    let mut summary = Summary::default();
    for number in 1..=sizes.orgs {
        if sizes.province.as_deref().is_some_and(|p| p != plan_ita::province(number)) {
            continue;
        }
        let share = |total: u64| {
            total / u64::from(sizes.orgs) + u64::from(u64::from(number - 1) < total % u64::from(sizes.orgs))
        };
        let rows = share(sizes.rows) as usize;
        let slug = plan::org(number).slug;
        let (org, added) = add_org(db, number, rows, &password_hash, today)
            .await
            .with_context(|| format!("bench organization {slug}"))?;
        if sizes.ita {
            let ita = ita::add(db, &org, number).await.with_context(|| format!("ITA of bench organization {slug}"))?;
            summary.ita_results += ita.results;
            summary.measures += ita.measures;
            summary.reports += ita.reports;
        }
        summary.orgs += 1;
        summary.users += added.users;
        summary.items += added.items;
        summary.loans += added.loans;
        summary.follow_ups += added.follow_ups;
        summary.notifications += added.notifications;
    }
    // PostgreSQL's autovacuum would gather the new tables' statistics within a minute or so; a
    // load test started right after must not measure plans made without them. (SQLite keeps no
    // statistics unless ANALYZE runs, and the product never runs it: nothing to do there.)
    if db.backend == Backend::Postgres {
        sqlx::query("ANALYZE").execute(&db.pool).await?;
    }
    Ok(summary)
}

/// Creates one organization and fills it with `rows` loans, follow-ups and notices.
async fn add_org(
    db: &Db,
    number: u32,
    rows: usize,
    password_hash: &str,
    today: i64,
) -> anyhow::Result<(crate::orgs::Org, Summary)> {
    let identity = plan::org(number);
    let org = orgs::create(
        db,
        &NewOrg {
            slug: &identity.slug,
            name: &identity.name,
            kind: identity.kind,
            province: identity.province,
            district: &identity.district,
            divisions: DIVISIONS,
        },
        "bench",
    )
    .await?;
    let divisions: Vec<i64> = orgs::divisions(db, org.id).await?.into_iter().map(|d| d.id).collect();
    // About 15 loans per item, as a small office's busy inventory sees in a few months.
    let items = plan::items((rows / 15).clamp(4, 500));
    let loans = plan::loans(rows, items.len(), today);
    let follow_ups = plan::follow_ups(rows, &loans);
    let notices = plan::notifications(rows, &loans);

    let mut tx = db.write(org.id).await?;
    let users = insert_users(&mut tx, org.id, &divisions, password_hash).await?;
    let item_ids = insert_items(&mut tx, org.id, &items, &divisions).await?;
    let loan_ids = insert_loans(&mut tx, org.id, &loans, &item_ids, &users).await?;
    insert_returns(&mut tx, org.id, &loans, &loan_ids, &users).await?;
    let officer = users["officer"];
    let rows_of_follow_ups: Vec<Vec<Cell>> = follow_ups
        .iter()
        .map(|&(loan, day)| {
            let note = "โทรศัพท์ติดตามทวงถาม ผู้ยืมแจ้งว่าจะนำมาคืนภายในสัปดาห์นี้";
            vec![org.id.0.into(), loan_ids[loan].into(), day.into(), officer.into(), note.into(), (day * 86_400).into()]
        })
        .collect();
    bulk::insert(
        &mut tx,
        "loan_follow_ups",
        &["org_id", "loan_id", "day", "by_user", "note", "created_at"],
        rows_of_follow_ups,
    )
    .await?;
    let rows_of_notices: Vec<Vec<Cell>> = notices
        .iter()
        .map(|&(loan, user, kind, day)| {
            let message = format!("{}: {}", kind.subject_th(), items[loans[loan].item].name);
            // Notices older than a week have been read.
            let read_at = (day < today - 7).then_some(day * 86_400 + 36_000);
            vec![
                org.id.0.into(),
                users[USERS[user].0].into(),
                loan_ids[loan].into(),
                kind.code().into(),
                day.into(),
                message.into(),
                (day * 86_400).into(),
                read_at.into(),
            ]
        })
        .collect();
    bulk::insert(
        &mut tx,
        "notifications",
        &["org_id", "user_id", "loan_id", "kind", "day", "message", "created_at", "read_at"],
        rows_of_notices,
    )
    .await?;
    let added = Summary {
        orgs: 1,
        users: USERS.len() as u64,
        items: items.len() as u64,
        loans: loans.len() as u64,
        follow_ups: follow_ups.len() as u64,
        notifications: notices.len() as u64,
        ..Summary::default()
    };
    let after = serde_json::json!({
        "users": added.users, "items": added.items, "loans": added.loans,
        "follow_ups": added.follow_ups, "notifications": added.notifications,
    });
    crate::audit::record(&mut tx, org.id, "bench", "populate", "bench_data", &identity.slug, None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok((org, added))
}

/// The users of [`USERS`], all with the same password hash; their ids by username.
async fn insert_users(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    divisions: &[i64],
    password_hash: &str,
) -> Result<HashMap<&'static str, i64>, sqlx::Error> {
    let rows: Vec<Vec<Cell>> = USERS
        .iter()
        .enumerate()
        .map(|(i, &(username, display_name, role, duties))| {
            let duties: Vec<&str> = duties.iter().map(|d| d.code()).collect();
            vec![
                org.0.into(),
                username.into(),
                display_name.into(),
                password_hash.into(),
                role.into(),
                Some(divisions[i % divisions.len()]).into(),
                duties.join(",").into(),
                now().into(),
            ]
        })
        .collect();
    bulk::insert(
        conn,
        "users",
        &["org_id", "username", "display_name", "password_hash", "role", "division_id", "duties", "created_at"],
        rows,
    )
    .await?;
    let by_username = ids_by_key(conn, "SELECT id, username FROM users WHERE org_id = $1", org).await?;
    Ok(USERS.iter().map(|u| (u.0, by_username[u.0])).collect())
}

/// The inventory; the ids in the order of `items`.
async fn insert_items(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    items: &[plan::ItemPlan],
    divisions: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    let at = now();
    let rows: Vec<Vec<Cell>> = items
        .iter()
        .map(|item| {
            vec![
                org.0.into(),
                item.asset_number.clone().into(),
                crate::lending::asset_number::key(&item.asset_number).into(),
                item.name.into(),
                item.category.into(),
                "durable".into(),
                "ห้องพัสดุ".into(),
                Some(divisions[item.division]).into(),
                "ใช้งานได้ดี".into(),
                item.quantity.into(),
                item.count_unit.into(),
                at.into(),
                at.into(),
            ]
        })
        .collect();
    bulk::insert(
        conn,
        "items",
        &[
            "org_id",
            "asset_number",
            "asset_number_key",
            "name",
            "category",
            "class",
            "location",
            "division_id",
            "condition",
            "quantity",
            "count_unit",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await?;
    let by_number = ids_by_key(conn, "SELECT id, asset_number FROM items WHERE org_id = $1", org).await?;
    Ok(items.iter().map(|i| by_number[&i.asset_number]).collect())
}

/// The ids of `org`'s rows just inserted, by the text key `sql` selects after the id (the ids
/// are the database's, so they are read back rather than guessed).
async fn ids_by_key(
    conn: &mut sqlx::AnyConnection,
    sql: &'static str,
    org: OrgId,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).bind(org.0).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(id, key)| (key, id)).collect())
}

/// The time of day things happen at the office: 10:00 in Thailand on `day`.
fn at_ten(day: i64) -> i64 {
    day * 86_400 + 3 * 3_600
}

/// The loans; the ids in the order of `loans`.
async fn insert_loans(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    loans: &[LoanPlan],
    item_ids: &[i64],
    users: &HashMap<&'static str, i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows = loans.iter().map(|loan| loan_row(org, loan, item_ids[loan.item], users)).collect();
    bulk::insert(conn, "loans", LOAN_COLUMNS, rows).await?;
    let stored = sqlx::query("SELECT id, item_id, start_day FROM loans WHERE org_id = $1")
        .bind(org.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut by_item_and_start = HashMap::new();
    for row in stored {
        by_item_and_start.insert((row.try_get::<i64, _>(1)?, row.try_get::<i64, _>(2)?), row.try_get::<i64, _>(0)?);
    }
    // One item's loans never share a start day (plan::loans), so this finds each loan.
    Ok(loans.iter().map(|l| by_item_and_start[&(item_ids[l.item], l.start_day)]).collect())
}

const LOAN_COLUMNS: &[&str] = &[
    "org_id",
    "item_id",
    "borrower_name",
    "borrower_position",
    "borrower_unit",
    "use_type",
    "purpose",
    "place_of_use",
    "start_day",
    "due_day",
    "status",
    "required_duty",
    "requested_by",
    "requested_at",
    "decided_by",
    "decided_at",
    "decision_note",
    "handed_over_by",
    "handed_over_at",
    "handover_condition",
    "returned_at",
    "return_received_by",
    "return_condition",
    "damage",
    "settlement",
    "settlement_note",
    "settled_by",
    "settled_at",
    "settlement_day",
];

fn loan_row(org: OrgId, loan: &LoanPlan, item_id: i64, users: &HashMap<&'static str, i64>) -> Vec<Cell> {
    let approver = if loan.required_duty == crate::lending::rules::Duty::OrgHead { "executive" } else { "supplies" };
    let decided = match loan.status {
        LoanStatus::Requested => None,
        LoanStatus::Cancelled => Some((users["clerk"], "ยกเลิกตามที่ผู้ยืมแจ้ง")),
        LoanStatus::Rejected => Some((users[approver], "พัสดุต้องใช้ในราชการของหน่วยงานในวันดังกล่าว")),
        _ => Some((users[approver], "อนุมัติตามคู่มือ")),
    };
    let requested_at = at_ten(loan.start_day - 2);
    let (return_condition, damage) = match loan.returned {
        Some((_, Damage::Damaged)) => ("ชำรุด ใช้การไม่ได้บางส่วน", Damage::Damaged),
        Some((_, damage)) => ("ใช้งานได้ดี", damage),
        None => ("", Damage::None),
    };
    let settled = loan.settlement.map(|_| loan.returned.map_or(loan.due_day, |(day, _)| day) + 10);
    vec![
        org.0.into(),
        item_id.into(),
        "นายสมชาย ใจดี".into(),
        "ผู้ใหญ่บ้าน".into(),
        "หมู่ที่ 3".into(),
        loan.use_type.code().into(),
        "ใช้ในงานประชุมประชาคมหมู่บ้าน".into(),
        "ศาลาอเนกประสงค์หมู่บ้าน".into(),
        loan.start_day.into(),
        loan.due_day.into(),
        loan.status.code().into(),
        loan.required_duty.code().into(),
        users["clerk"].into(),
        requested_at.into(),
        decided.map(|d| d.0).into(),
        decided.map(|_| requested_at + 3_600).into(),
        decided.map_or("", |d| d.1).into(),
        loan.handed_over_day.map(|_| users["officer"]).into(),
        loan.handed_over_day.map(at_ten).into(),
        (if loan.went_out() { "ใช้งานได้ดี" } else { "" }).into(),
        loan.returned.map(|(day, _)| at_ten(day)).into(),
        loan.returned.map(|_| users["officer"]).into(),
        return_condition.into(),
        damage.code().into(),
        loan.settlement.map(|s| s.code()).into(),
        (if settled.is_some() {
            "ผู้ยืมซ่อมแซมให้คงสภาพเดิมแล้ว"
        } else {
            ""
        })
        .into(),
        settled.map(|_| users["supplies"]).into(),
        settled.map(at_ten).into(),
        settled.into(),
    ]
}

/// Each loan that came back came back whole, in one return (as the loan's row says).
async fn insert_returns(
    conn: &mut sqlx::AnyConnection,
    org: OrgId,
    loans: &[LoanPlan],
    loan_ids: &[i64],
    users: &HashMap<&'static str, i64>,
) -> Result<(), sqlx::Error> {
    let rows: Vec<Vec<Cell>> = loans
        .iter()
        .zip(loan_ids)
        .filter_map(|(loan, &id)| {
            let (day, damage) = loan.returned?;
            let condition = if damage == Damage::None {
                "ใช้งานได้ดี"
            } else {
                "ชำรุด ใช้การไม่ได้บางส่วน"
            };
            Some(vec![
                org.0.into(),
                id.into(),
                1i64.into(),
                day.into(),
                Some(users["officer"]).into(),
                condition.into(),
                damage.code().into(),
                at_ten(day).into(),
            ])
        })
        .collect();
    bulk::insert(
        conn,
        "loan_returns",
        &["org_id", "loan_id", "quantity", "day", "received_by", "condition", "damage", "created_at"],
        rows,
    )
    .await
}
