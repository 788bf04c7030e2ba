//! Who may decide on a loan beyond their duties: the head of the unit that holds the item (ข้อ 208,
//! use inside the premises) and delegation orders (คำสั่งมอบอำนาจ: from whom, to whom, which use
//! types, order number and date, valid from/to).
//!
//! [`Authority::deciding`] is the one answer: the duties a user may use to approve or reject one
//! loan, and the order they rely on. The workflow's check, the to-do list, the notices and "who
//! must act now" all go through it.

use chrono::NaiveDate;
use sqlx::Row;

use super::rules::{Duty, UseType};
use super::workflow::LoanFacts;
use super::{date_of, day_of};
use crate::db::{Db, now};
use crate::orgs::OrgId;

/// A recorded delegation order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegation {
    pub id: i64,
    pub from_user: i64,
    pub to_user: i64,
    pub use_types: Vec<UseType>,
    pub order_number: String,
    pub order_day: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Delegation {
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// What one person holds: their duties and the units they head.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    pub user_id: i64,
    pub duties: Vec<Duty>,
    pub heads: Vec<i64>,
}

impl Holder {
    /// Whether they are the regular approver of a loan needing `required` for an item held by
    /// `unit`. Inside the premises (supplies_head) that is the head of the holding unit, when the
    /// unit has a head recorded (`unit_has_head`); else whoever holds the duty.
    fn holds(&self, required: Duty, unit: Option<i64>, unit_has_head: bool) -> bool {
        match (required, unit) {
            (Duty::SuppliesHead, Some(u)) if unit_has_head => self.heads.contains(&u),
            _ => self.duties.contains(&required),
        }
    }
}

/// A user's authority to decide, as of one day.
#[derive(Clone, Debug, Default)]
pub struct Authority {
    pub me: Holder,
    /// Units of the organization that have a head recorded.
    pub headed_units: Vec<i64>,
    /// Orders delegating to this user, valid on the day, with what their delegator holds.
    pub acting_for: Vec<(Delegation, Holder)>,
}

impl Authority {
    /// The duties this user may use to approve or reject `loan` (item held by `unit`), and the
    /// order they rely on when they act in someone else's stead. The delegator must be free to
    /// decide it themselves: an order never lets anyone approve the delegator's own request.
    pub fn deciding(&self, loan: &LoanFacts, unit: Option<i64>) -> (Vec<Duty>, Option<i64>) {
        let unit_has_head = unit.is_some_and(|u| self.headed_units.contains(&u));
        let mut duties: Vec<Duty> = self.me.duties.iter().copied().filter(|d| *d != loan.required).collect();
        let involved = |u: i64| loan.requested_by == u || loan.borrower_user_id == Some(u);
        if self.me.holds(loan.required, unit, unit_has_head) {
            duties.push(loan.required);
            return (duties, None);
        }
        for (order, delegator) in &self.acting_for {
            if order.use_types.contains(&loan.use_type)
                && !involved(delegator.user_id)
                && delegator.holds(loan.required, unit, unit_has_head)
            {
                duties.push(loan.required);
                return (duties, Some(order.id));
            }
        }
        (duties, None)
    }
}

fn parse_duties(text: &str) -> Vec<Duty> {
    text.split(',').filter_map(|d| Duty::parse(d.trim())).collect()
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Delegation, sqlx::Error> {
    let types: String = r.try_get("use_types")?;
    Ok(Delegation {
        id: r.try_get("id")?,
        from_user: r.try_get("from_user_id")?,
        to_user: r.try_get("to_user_id")?,
        use_types: types.split(',').filter_map(|t| UseType::parse(t.trim())).collect(),
        order_number: r.try_get("order_number")?,
        order_day: date_of(r.try_get("order_day")?),
        from: date_of(r.try_get("from_day")?),
        to: date_of(r.try_get("to_day")?),
    })
}

const SELECT: &str =
    "SELECT id, from_user_id, to_user_id, use_types, order_number, order_day, from_day, to_day FROM delegations";

/// What `user` holds: duties (active users only) and units headed.
async fn holder(db: &Db, org: OrgId, user: i64, heads: &[(i64, i64)]) -> Result<Holder, sqlx::Error> {
    let duties: Option<(String,)> =
        sqlx::query_as("SELECT duties FROM users WHERE id = $1 AND org_id = $2 AND active = 1")
            .bind(user)
            .bind(org.0)
            .fetch_optional(&db.pool)
            .await?;
    Ok(Holder {
        user_id: user,
        duties: duties.map(|(d,)| parse_duties(&d)).unwrap_or_default(),
        heads: heads.iter().filter(|(_, u)| *u == user).map(|(d, _)| *d).collect(),
    })
}

/// The organization's unit heads: (division, user).
pub async fn unit_heads(db: &Db, org: OrgId) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT division_id, user_id FROM unit_heads WHERE org_id = $1 ORDER BY division_id, user_id")
        .bind(org.0)
        .fetch_all(&db.pool)
        .await
}

/// `user`'s authority on `day`: a few small queries over this organization's rows only.
pub async fn authority(db: &Db, org: OrgId, user: i64, day: NaiveDate) -> Result<Authority, sqlx::Error> {
    let heads = unit_heads(db, org).await?;
    let orders = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE org_id = $1 AND to_user_id = $2 AND to_day >= $3 AND from_day <= $3 ORDER BY id"
    )))
    .bind(org.0)
    .bind(user)
    .bind(day_of(day))
    .fetch_all(&db.pool)
    .await?;
    let mut acting_for = Vec::new();
    for r in &orders {
        let order = from_row(r)?;
        let delegator = holder(db, org, order.from_user, &heads).await?;
        acting_for.push((order, delegator));
    }
    let mut headed_units: Vec<i64> = heads.iter().map(|(d, _)| *d).collect();
    headed_units.dedup();
    Ok(Authority { me: holder(db, org, user, &heads).await?, headed_units, acting_for })
}

/// The users who may approve loans needing `duty` for an item held by `unit` by the regulation:
/// the unit's heads for use inside when it has any, else the duty's holders.
pub async fn regular_approvers(db: &Db, org: OrgId, duty: Duty, unit: Option<i64>) -> Result<Vec<i64>, sqlx::Error> {
    if duty == Duty::SuppliesHead
        && let Some(unit) = unit
    {
        let heads: Vec<i64> =
            unit_heads(db, org).await?.into_iter().filter(|(d, _)| *d == unit).map(|(_, u)| u).collect();
        if !heads.is_empty() {
            return Ok(heads);
        }
    }
    Ok(super::approvers::holders(db, org, duty).await?.into_iter().map(|(id, _)| id).collect())
}

/// An order as an admin or the head of the agency records it.
#[derive(Clone, Debug)]
pub struct NewDelegation {
    pub from_user: i64,
    pub to_user: i64,
    pub use_types: Vec<UseType>,
    pub order_number: String,
    pub order_day: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why an order was not recorded (in Thai, naming the field).
pub fn check(new: &NewDelegation) -> Result<(), String> {
    if new.from_user == new.to_user {
        return Err("ผู้มอบอำนาจและผู้รับมอบอำนาจต้องเป็นคนละคน".into());
    }
    if new.use_types.is_empty() {
        return Err("กรุณาเลือกการยืมที่มอบอำนาจให้อนุมัติอย่างน้อยหนึ่งลักษณะ".into());
    }
    if new.order_number.trim().is_empty() {
        return Err("กรุณากรอกเลขที่คำสั่ง".into());
    }
    if new.from > new.to {
        return Err("วันสิ้นสุดต้องไม่ก่อนวันเริ่มมีผลของคำสั่ง".into());
    }
    Ok(())
}

/// Records an order (audited). Both people must be active users of `org`.
pub async fn create(
    db: &Db,
    org: OrgId,
    new: &NewDelegation,
    by: i64,
    actor: &str,
) -> anyhow::Result<Result<i64, String>> {
    if let Err(e) = check(new) {
        return Ok(Err(e));
    }
    let mut tx = db.write(org).await?;
    for u in [new.from_user, new.to_user] {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1 AND org_id = $2 AND active = 1")
            .bind(u)
            .bind(org.0)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Ok(Err("ไม่พบผู้ใช้ที่เลือกในหน่วยงานนี้".into()));
        }
    }
    let types: Vec<&str> = new.use_types.iter().map(|t| t.code()).collect();
    let row = sqlx::query(
        "INSERT INTO delegations (org_id, from_user_id, to_user_id, use_types, order_number, order_day, from_day, to_day, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(new.from_user)
    .bind(new.to_user)
    .bind(types.join(","))
    .bind(new.order_number.trim())
    .bind(day_of(new.order_day))
    .bind(day_of(new.from))
    .bind(day_of(new.to))
    .bind(by)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.try_get(0)?;
    let after = serde_json::json!({
        "from_user": new.from_user, "to_user": new.to_user, "use_types": types,
        "order_number": new.order_number.trim(), "order_day": new.order_day.to_string(),
        "from": new.from.to_string(), "to": new.to.to_string(),
    });
    crate::audit::record(&mut tx, org, actor, "create", "delegation", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// The organization's orders, newest first.
pub async fn list(db: &Db, org: OrgId) -> Result<Vec<Delegation>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE org_id = $1 ORDER BY from_day DESC, id DESC")))
        .bind(org.0)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// One order of the organization.
pub async fn find(db: &Db, org: OrgId, id: i64) -> Result<Option<Delegation>, sqlx::Error> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE org_id = $1 AND id = $2")))
        .bind(org.0)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Makes `user` the head of exactly `units` (divisions of `org`), audited. Ok(false): no such user.
pub async fn set_unit_heads(db: &Db, org: OrgId, user: i64, units: &[i64], actor: &str) -> anyhow::Result<bool> {
    let mut tx = db.write(org).await?;
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1 AND org_id = $2")
        .bind(user)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    if found.is_none() {
        return Ok(false);
    }
    sqlx::query("DELETE FROM unit_heads WHERE org_id = $1 AND user_id = $2")
        .bind(org.0)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    for unit in units {
        sqlx::query(
            "INSERT INTO unit_heads (org_id, division_id, user_id) SELECT $1, id, $2 FROM divisions WHERE id = $3 AND org_id = $1",
        )
        .bind(org.0)
        .bind(user)
        .bind(unit)
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({ "heads_units": units });
    crate::audit::record(&mut tx, org, actor, "update", "unit_heads", &user.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(true)
}

/// The line printed under the approver's signature when they approved under an order, e.g.
/// "ปฏิบัติราชการแทน นายก… ตามคำสั่งองค์การบริหารส่วนตำบล… ที่ ๑๒/๒๕๖๙ ลงวันที่ ๑ ธันวาคม ๒๕๖๙".
pub fn acting_for_text(issuer: &str, delegator: &str, order: &Delegation, digits: crate::thai::Digits) -> String {
    format!(
        "ปฏิบัติราชการแทน {delegator} ตามคำสั่ง{issuer} ที่ {} ลงวันที่ {}",
        digits.apply(order.order_number.trim()),
        crate::thai::format_date_long(order.order_day, digits)
    )
}

/// [`acting_for_text`] of one order of the organization (the delegator by their display name).
pub async fn acting_for_line(db: &Db, org: &crate::orgs::Org, order: i64) -> Result<Option<String>, sqlx::Error> {
    let Some(order) = find(db, org.id, order).await? else { return Ok(None) };
    let name: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = $1 AND org_id = $2")
        .bind(order.from_user)
        .bind(org.id.0)
        .fetch_optional(&db.pool)
        .await?;
    let delegator = name.map(|(n,)| n).unwrap_or_default();
    Ok(Some(acting_for_text(&org.name, &delegator, &order, org.digits)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD_A: i64 = 1;
    const MAYOR: i64 = 2;
    const CLERK: i64 = 3;
    const DEPUTY: i64 = 4;
    const HEAD_B: i64 = 5;
    const UNIT_A: i64 = 10;
    const UNIT_B: i64 = 11;

    fn facts(use_type: UseType, required: Duty, requested_by: i64) -> LoanFacts {
        LoanFacts { requested_by, borrower_user_id: None, use_type, required }
    }

    fn order(from_user: i64, to_user: i64, use_types: &[UseType]) -> Delegation {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        Delegation {
            id: 7,
            from_user,
            to_user,
            use_types: use_types.to_vec(),
            order_number: "12/2569".into(),
            order_day: day,
            from: day,
            to: day,
        }
    }

    fn head(user_id: i64, unit: i64) -> Holder {
        Holder { user_id, duties: vec![Duty::SuppliesHead], heads: vec![unit] }
    }

    #[test]
    fn inside_the_head_of_the_holding_unit_decides_not_another_units_head() {
        let a = Authority { me: head(HEAD_A, UNIT_A), headed_units: vec![UNIT_A, UNIT_B], acting_for: vec![] };
        let b = Authority { me: head(HEAD_B, UNIT_B), ..a.clone() };
        let loan = facts(UseType::Inside, Duty::SuppliesHead, CLERK);
        assert!(a.deciding(&loan, Some(UNIT_A)).0.contains(&Duty::SuppliesHead));
        assert!(!b.deciding(&loan, Some(UNIT_A)).0.contains(&Duty::SuppliesHead));
        // A unit with no head recorded: whoever holds the duty, as before.
        assert!(b.deciding(&loan, Some(99)).0.contains(&Duty::SuppliesHead));
        assert!(b.deciding(&loan, None).0.contains(&Duty::SuppliesHead));
    }

    #[test]
    fn a_delegate_decides_the_use_types_of_the_order_and_names_it() {
        let mayor = Holder { user_id: MAYOR, duties: vec![Duty::OrgHead], heads: vec![] };
        let deputy = Authority {
            me: Holder { user_id: DEPUTY, ..Default::default() },
            headed_units: vec![],
            acting_for: vec![(order(MAYOR, DEPUTY, &[UseType::Outside]), mayor)],
        };
        assert_eq!(
            deputy.deciding(&facts(UseType::Outside, Duty::OrgHead, CLERK), None),
            (vec![Duty::OrgHead], Some(7))
        );
        assert_eq!(deputy.deciding(&facts(UseType::Agency, Duty::OrgHead, CLERK), None), (vec![], None));
        // The mayor's own request: the order does not let the deputy approve it.
        assert_eq!(deputy.deciding(&facts(UseType::Outside, Duty::OrgHead, MAYOR), None), (vec![], None));
    }

    #[test]
    fn the_form_says_in_whose_stead_and_by_which_order() {
        let text = acting_for_text(
            "องค์การบริหารส่วนตำบลแม่คะตวน",
            "นายกองค์การบริหารส่วนตำบลแม่คะตวน",
            &order(MAYOR, DEPUTY, &[UseType::Agency]),
            crate::thai::Digits::Thai,
        );
        assert_eq!(
            text,
            "ปฏิบัติราชการแทน นายกองค์การบริหารส่วนตำบลแม่คะตวน ตามคำสั่งองค์การบริหารส่วนตำบลแม่คะตวน ที่ ๑๒/๒๕๖๙ ลงวันที่ ๑ ธันวาคม ๒๕๖๙"
        );
    }

    #[test]
    fn an_order_is_checked_before_it_is_recorded() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ok = NewDelegation {
            from_user: MAYOR,
            to_user: DEPUTY,
            use_types: vec![UseType::Outside],
            order_number: "12/2569".into(),
            order_day: day,
            from: day,
            to: day,
        };
        assert!(check(&ok).is_ok());
        assert!(check(&NewDelegation { to_user: MAYOR, ..ok.clone() }).is_err());
        assert!(check(&NewDelegation { use_types: vec![], ..ok.clone() }).is_err());
        assert!(check(&NewDelegation { from: day.succ_opt().unwrap(), ..ok.clone() }).is_err());
        assert!(
            order(MAYOR, DEPUTY, &[]).valid_on(day) && !order(MAYOR, DEPUTY, &[]).valid_on(day.succ_opt().unwrap())
        );
    }
}
