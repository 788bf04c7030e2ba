//! Who approves a loan (ระเบียบกระทรวงการคลังฯ พ.ศ. ๒๕๖๐ ข้อ 208), and where it goes when that
//! person is the requester or the borrower.
//!
//! Nobody approves their own loan, so when every holder of the required duty is the requester or
//! the borrower (the only head of supplies filing for a colleague), the request goes up by itself
//! to the head of the agency. Without this the request would wait forever.

use sqlx::Row;

use super::rules::Duty;
use crate::db::Db;
use crate::orgs::OrgId;

/// Why a request went to the head of the agency instead of the regular approver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escalation {
    /// The requester holds the required duty and nobody else does.
    RequesterIsApprover,
    /// The borrower holds the required duty and nobody else does.
    BorrowerIsApprover,
}

impl Escalation {
    pub const ALL: [Escalation; 2] = [Escalation::RequesterIsApprover, Escalation::BorrowerIsApprover];

    /// Stored in `loans.escalation` and in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Escalation::RequesterIsApprover => "requester_is_approver",
            Escalation::BorrowerIsApprover => "borrower_is_approver",
        }
    }

    pub fn parse(code: &str) -> Option<Escalation> {
        Escalation::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The notice on the request page, naming the regular approver's duty.
    pub fn notice_th(self, regular: Duty) -> String {
        let who = match self {
            Escalation::RequesterIsApprover => "ผู้ขอยืม",
            Escalation::BorrowerIsApprover => "ผู้ยืม",
        };
        format!(
            "ส่งให้หัวหน้าหน่วยงานพิจารณาแทน เนื่องจาก{who}เป็น{} ซึ่งเป็นผู้มีอำนาจอนุมัติตามปกติ \
             และไม่อาจอนุมัติคำขอยืมของตนเองได้",
            regular.label_th()
        )
    }
}

/// The approver a request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    pub duty: Duty,
    pub escalation: Option<Escalation>,
}

/// Routes a request whose regular approver (from the rules, ข้อ 208) is `regular`.
///
/// `holders` are the users holding `regular`. When at least one of them is neither the requester
/// nor the borrower, that person approves. Otherwise, if a holder is involved, the request goes to
/// the head of the agency. The head of the agency has no level above in the organization, so a
/// request they file stays with their duty (the page then says that nobody may approve it).
pub fn route(regular: Duty, holders: &[i64], requested_by: i64, borrower: Option<i64>) -> Route {
    let involved = |u: i64| u == requested_by || borrower == Some(u);
    let stay = Route { duty: regular, escalation: None };
    if regular == Duty::OrgHead || holders.iter().any(|u| !involved(*u)) {
        return stay;
    }
    let escalation = if holders.contains(&requested_by) {
        Escalation::RequesterIsApprover
    } else if borrower.is_some_and(|b| holders.contains(&b)) {
        Escalation::BorrowerIsApprover
    } else {
        // Nobody holds the duty at all: no one to skip, the page says the duty is unassigned.
        return stay;
    };
    Route { duty: Duty::OrgHead, escalation: Some(escalation) }
}

/// The active users of `org` holding `duty`: (id, display name), by name.
pub async fn holders(db: &Db, org: OrgId, duty: Duty) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, display_name, duties FROM users WHERE org_id = $1 AND active = 1 ORDER BY display_name",
    )
    .bind(org.0)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let duties: String = r.try_get(2)?;
        if duties.split(',').any(|d| Duty::parse(d.trim()) == Some(duty)) {
            out.push((r.try_get(0)?, r.try_get(1)?));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lending::rules::{LendingRules, UseType};

    const HEAD_OF_SUPPLIES: i64 = 1;
    const MAYOR: i64 = 2;
    const CLERK: i64 = 3;

    /// The holders of each duty in a small office: one head of supplies, one mayor.
    fn holders_of(duty: Duty) -> Vec<i64> {
        match duty {
            Duty::SuppliesHead => vec![HEAD_OF_SUPPLIES],
            Duty::OrgHead => vec![MAYOR],
            _ => vec![],
        }
    }

    fn route_for(use_type: UseType, requested_by: i64, borrower: Option<i64>) -> Route {
        let regular = LendingRules::default().approver_for(use_type);
        route(regular, &holders_of(regular), requested_by, borrower)
    }

    #[test]
    fn inside_the_premises_the_head_of_supplies_approves_a_clerks_request() {
        let r = route_for(UseType::Inside, CLERK, Some(CLERK));
        assert_eq!(r, Route { duty: Duty::SuppliesHead, escalation: None });
    }

    #[test]
    fn the_only_head_of_supplies_filing_for_a_colleague_goes_to_the_head_of_the_agency() {
        let r = route_for(UseType::Inside, HEAD_OF_SUPPLIES, None);
        assert_eq!(r, Route { duty: Duty::OrgHead, escalation: Some(Escalation::RequesterIsApprover) });
        let notice = Escalation::RequesterIsApprover.notice_th(Duty::SuppliesHead);
        assert!(notice.starts_with("ส่งให้หัวหน้าหน่วยงานพิจารณาแทน เนื่องจาก"), "{notice}");
    }

    #[test]
    fn a_loan_to_the_only_head_of_supplies_goes_to_the_head_of_the_agency() {
        let r = route_for(UseType::Inside, CLERK, Some(HEAD_OF_SUPPLIES));
        assert_eq!(r, Route { duty: Duty::OrgHead, escalation: Some(Escalation::BorrowerIsApprover) });
    }

    #[test]
    fn a_second_head_of_supplies_approves_instead_of_escalating() {
        let r = route(Duty::SuppliesHead, &[HEAD_OF_SUPPLIES, 9], HEAD_OF_SUPPLIES, None);
        assert_eq!(r, Route { duty: Duty::SuppliesHead, escalation: None });
    }

    #[test]
    fn outside_and_between_agencies_the_head_of_the_agency_approves_whoever_requests() {
        for use_type in [UseType::Outside, UseType::Agency] {
            for (requester, borrower) in
                [(CLERK, Some(CLERK)), (HEAD_OF_SUPPLIES, None), (CLERK, Some(HEAD_OF_SUPPLIES))]
            {
                let r = route_for(use_type, requester, borrower);
                assert_eq!(r, Route { duty: Duty::OrgHead, escalation: None }, "{use_type:?}");
            }
            // The head of the agency is the top: their own request is not moved anywhere.
            assert_eq!(route_for(use_type, MAYOR, None), Route { duty: Duty::OrgHead, escalation: None });
            assert_eq!(route_for(use_type, CLERK, Some(MAYOR)), Route { duty: Duty::OrgHead, escalation: None });
        }
    }

    #[test]
    fn an_unassigned_duty_is_not_escalated() {
        assert_eq!(route(Duty::SuppliesHead, &[], CLERK, None), Route { duty: Duty::SuppliesHead, escalation: None });
    }

    #[test]
    fn escalation_codes_parse_back() {
        for e in Escalation::ALL {
            assert_eq!(Escalation::parse(e.code()), Some(e));
        }
        assert_eq!(Escalation::parse(""), None);
    }
}
