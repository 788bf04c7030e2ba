//! Who took each step of a loan, as the printed form names them: the users the loan record points
//! at (the approver, the officer who handed the item over, the one who received it back).

use sqlx::Row;

use super::LoanId;
use super::rules::Duty;
use crate::db::Db;
use crate::orgs::OrgId;

/// A person who signs a step: name, and the store duty they hold (their position on the form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signer {
    pub name: String,
    pub position: Option<&'static str>,
}

/// The people on a loan's record; `None` for a step not taken (or taken by a deleted user).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoanSigners {
    pub decided_by: Option<Signer>,
    pub handed_over_by: Option<Signer>,
    pub received_by: Option<Signer>,
}

/// The officer's position from their duties: the head of supplies, else a supplies officer.
fn store_position(duties: &str) -> Option<&'static str> {
    let duties: Vec<Duty> = duties.split(',').filter_map(|d| Duty::parse(d.trim())).collect();
    [Duty::SuppliesHead, Duty::SuppliesOfficer].into_iter().find(|d| duties.contains(d)).map(Duty::label_th)
}

pub async fn of_loan(db: &Db, org: OrgId, loan: LoanId) -> Result<LoanSigners, sqlx::Error> {
    let row = sqlx::query(
        "SELECT d.display_name AS decided, h.display_name AS handed, h.duties AS handed_duties,
                r.display_name AS received, r.duties AS received_duties
         FROM loans l
         LEFT JOIN users d ON d.id = l.decided_by AND d.org_id = l.org_id
         LEFT JOIN users h ON h.id = l.handed_over_by AND h.org_id = l.org_id
         LEFT JOIN users r ON r.id = l.return_received_by AND r.org_id = l.org_id
         WHERE l.id = $1 AND l.org_id = $2",
    )
    .bind(loan.0)
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(LoanSigners::default()) };
    let officer = |name: &str, duties: &str| -> Result<Option<Signer>, sqlx::Error> {
        Ok(r.try_get::<Option<String>, _>(name)?.map(|name| Signer {
            name,
            position: r.try_get::<Option<String>, _>(duties).ok().flatten().as_deref().and_then(store_position),
        }))
    };
    Ok(LoanSigners {
        decided_by: r.try_get::<Option<String>, _>("decided")?.map(|name| Signer { name, position: None }),
        handed_over_by: officer("handed", "handed_duties")?,
        received_by: officer("received", "received_duties")?,
    })
}
