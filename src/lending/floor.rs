//! The regulation is the floor: an organization's local rules may be stricter than the MoF
//! regulation B.E. 2560 (shorter loans, earlier follow-up), never laxer. This module checks one
//! thing that the rules file can loosen: who approves. Clause 208 names the lowest approver for each
//! use; a rules file that names a lower one is refused, naming the clause and the field (and the
//! line of the file, when there is a file).
//!
//! Pure: no database. A recorded delegation order (คำสั่งมอบอำนาจ) may let a lower officer approve
//! on the head's behalf; callers pass [`DelegationCover`] so such an order is honoured
//! (`store_rules` asks `lending::delegation`), without changing this check.

use super::rules::{Duty, LendingRules, UseType};

/// How high a duty stands when approving a loan; a rules file may raise the approver, not lower it.
fn rank(duty: Duty) -> u8 {
    match duty {
        Duty::SuppliesOfficer => 0,
        Duty::SuppliesHead => 1,
        Duty::OrgHead => 2,
    }
}

/// What clause 208 requires for one use: the lowest approver, the clause and the rule in Thai.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub use_type: UseType,
    pub lowest: Duty,
    pub clause_th: &'static str,
    pub rule_th: &'static str,
}

/// The regulation's approver for each use. Outside use is the second half of 208 (2): clause 208
/// has two sub-clauses, (1) between agencies and (2) lending to a person (see `regulation.rs`).
pub fn requirement(use_type: UseType) -> Requirement {
    match use_type {
        UseType::Inside => Requirement {
            use_type,
            lowest: Duty::SuppliesHead,
            clause_th: "ข้อ ๒๐๘ (๒)",
            rule_th: "การให้บุคคลยืมไปใช้ภายในสถานที่ของหน่วยงานของรัฐต้องได้รับอนุมัติจากหัวหน้าหน่วยพัสดุผู้ครอบครองพัสดุนั้น",
        },
        UseType::Outside => Requirement {
            use_type,
            lowest: Duty::OrgHead,
            clause_th: "ข้อ ๒๐๘ (๒)",
            rule_th: "การยืมไปใช้นอกสถานที่ของหน่วยงานของรัฐต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐ",
        },
        UseType::Agency => Requirement {
            use_type,
            lowest: Duty::OrgHead,
            clause_th: "ข้อ ๒๐๘ (๑)",
            rule_th: "การยืมระหว่างหน่วยงานของรัฐต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐผู้ให้ยืม",
        },
    }
}

/// Whether a recorded delegation order lets `named` approve loans of `use_type` for the head the
/// regulation names (`store_rules` passes the orders in force today; tests pass [`NO_DELEGATION`]).
pub type DelegationCover<'a> = &'a dyn Fn(UseType, Duty) -> bool;

fn no_delegation(_: UseType, _: Duty) -> bool {
    false
}

/// No delegation order covers anything.
pub const NO_DELEGATION: DelegationCover<'static> = &no_delegation;

/// A local rule that names a lower approver than the regulation requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BelowTheFloor {
    /// The rules file's key (and the form's field name).
    pub field: &'static str,
    pub named: Duty,
    pub requirement: Requirement,
}

impl BelowTheFloor {
    /// "ขัดกับระเบียบฯ ข้อ ๒๐๘ (๒): …" followed by what the rule named.
    pub fn message_th(&self) -> String {
        format!(
            "ขัดกับระเบียบฯ {}: {} (กำหนดผู้มีอำนาจอนุมัติ{}เป็น{} ซึ่งต่ำกว่าที่ระเบียบกำหนด)",
            self.requirement.clause_th,
            self.requirement.rule_th,
            self.requirement.use_type.label_th(),
            self.named.label_th(),
        )
    }
}

/// The rules file key of the approver of one use.
pub fn approver_field(use_type: UseType) -> &'static str {
    match use_type {
        UseType::Inside => "approver_inside",
        UseType::Outside => "approver_outside",
        UseType::Agency => "approver_agency",
    }
}

/// Every approver the rules name below clause 208's floor, unless a delegation order covers it.
pub fn check(rules: &LendingRules, delegated: DelegationCover<'_>) -> Result<(), Vec<BelowTheFloor>> {
    let below: Vec<BelowTheFloor> = UseType::ALL
        .into_iter()
        .filter_map(|use_type| {
            let named = rules.approver_for(use_type);
            let requirement = requirement(use_type);
            (rank(named) < rank(requirement.lowest) && !delegated(use_type, named)).then_some(BelowTheFloor {
                field: approver_field(use_type),
                named,
                requirement,
            })
        })
        .collect();
    if below.is_empty() { Ok(()) } else { Err(below) }
}

/// The 1-based line of a rules file where `key` is set, to point the reader at it.
pub fn line_of(toml_text: &str, key: &str) -> Option<usize> {
    toml_text
        .lines()
        .position(|line| {
            let line = line.trim_start();
            line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regulations_defaults_are_on_the_floor() {
        assert_eq!(check(&LendingRules::default(), NO_DELEGATION), Ok(()));
    }

    #[test]
    fn stricter_approvers_are_accepted() {
        let rules = LendingRules { approver_inside: Duty::OrgHead, ..LendingRules::default() };
        assert_eq!(check(&rules, NO_DELEGATION), Ok(()));
    }

    #[test]
    fn a_supplies_officer_approving_outside_and_agency_loans_is_refused_naming_clause_208() {
        let rules = LendingRules {
            approver_outside: Duty::SuppliesOfficer,
            approver_agency: Duty::SuppliesHead,
            ..LendingRules::default()
        };
        let below = check(&rules, NO_DELEGATION).unwrap_err();
        let fields: Vec<_> = below.iter().map(|b| b.field).collect();
        assert_eq!(fields, ["approver_outside", "approver_agency"]);
        assert!(
            below[0]
                .message_th()
                .starts_with("ขัดกับระเบียบฯ ข้อ ๒๐๘ (๒): การยืมไปใช้นอกสถานที่ของหน่วยงานของรัฐต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐ")
        );
        assert!(below[1].message_th().contains("ข้อ ๒๐๘ (๑)"));
    }

    #[test]
    fn a_supplies_officer_approving_inside_use_is_below_the_head_of_supplies() {
        let rules = LendingRules { approver_inside: Duty::SuppliesOfficer, ..LendingRules::default() };
        let below = check(&rules, NO_DELEGATION).unwrap_err();
        assert_eq!(below[0].field, "approver_inside");
    }

    #[test]
    fn a_recorded_delegation_lets_the_named_officer_approve() {
        let rules = LendingRules { approver_outside: Duty::SuppliesHead, ..LendingRules::default() };
        let outside_to_head_of_supplies: DelegationCover<'_> =
            &|use_type, duty| use_type == UseType::Outside && duty == Duty::SuppliesHead;
        assert_eq!(check(&rules, outside_to_head_of_supplies), Ok(()));
        assert!(check(&rules, NO_DELEGATION).is_err());
    }

    #[test]
    fn the_line_of_a_key_in_a_rules_file_is_found() {
        let text = "max_loan_days = 15\n# approver_outside = \"org_head\"\n  approver_outside= \"supplies_officer\"\n";
        assert_eq!(line_of(text, "approver_outside"), Some(3));
        assert_eq!(line_of(text, "approver_agency"), None);
    }
}
