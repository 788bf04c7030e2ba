//! Pure: what one bench organization holds (names, items, loans in every state, follow-ups and
//! notices), decided from its number and the sizes asked for, so that every run builds the same
//! data and a test can check the shape without a database.

use crate::lending::reminders::Kind;
use crate::lending::rules::{Duty, LendingRules, UseType};
use crate::lending::workflow::{Damage, LoanStatus, Settlement};
use crate::thai::digits::to_thai_digits;

/// The users every bench organization has: (username, display name, role code, duties).
pub const USERS: &[(&str, &str, &str, &[Duty])] = &[
    ("admin", "ผู้ดูแลระบบ", "admin", &[]),
    ("supplies", "หัวหน้าเจ้าหน้าที่พัสดุ", "staff", &[Duty::SuppliesHead]),
    ("officer", "เจ้าหน้าที่พัสดุ", "staff", &[Duty::SuppliesOfficer]),
    ("executive", "นายกองค์การบริหารส่วนตำบล", "executive", &[Duty::OrgHead]),
    ("clerk", "นักจัดการงานทั่วไป", "staff", &[]),
];

/// Divisions of every bench organization, as a small SAO has them.
pub const DIVISIONS: &[&str] = &["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"];

const PLACE_FIRST: &[&str] = &["แม่", "บ้าน", "ห้วย", "นา", "ดอน", "หนอง", "โป่ง", "ป่า", "ทุ่ง", "วัง"];
const PLACE_SECOND: &[&str] = &["ทราย", "คำ", "แก้ว", "ยาง", "ตอง", "สัก", "หลวง", "เหนือ", "ใต้", "งาม", "ขาม", "ม่วง"];

/// What the inventory holds: (name, category, count unit, units on hand).
const ITEM_KINDS: &[(&str, &str, &str, i64)] = &[
    ("เครื่องฉายภาพ (โปรเจคเตอร์)", "ครุภัณฑ์สำนักงาน", "เครื่อง", 1),
    ("เต็นท์ผ้าใบ ขนาด 4x8 เมตร", "ครุภัณฑ์งานบ้านงานครัว", "หลัง", 1),
    ("เครื่องขยายเสียงพร้อมลำโพง", "ครุภัณฑ์ไฟฟ้าและวิทยุ", "ชุด", 1),
    ("เก้าอี้พลาสติก", "ครุภัณฑ์สำนักงาน", "ตัว", 50),
    ("โต๊ะพับอเนกประสงค์", "ครุภัณฑ์สำนักงาน", "ตัว", 10),
    ("เครื่องตัดหญ้าแบบสะพาย", "ครุภัณฑ์การเกษตร", "เครื่อง", 1),
    ("กล้องถ่ายภาพดิจิทัล", "ครุภัณฑ์โฆษณาและเผยแพร่", "ตัว", 1),
    ("เครื่องพ่นหมอกควัน", "ครุภัณฑ์วิทยาศาสตร์การแพทย์", "เครื่อง", 1),
];

/// The organization's identity: slug `bench-0001`, a Thai name unique among bench organizations.
pub struct OrgPlan {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    /// One of the 77 provinces (`plan_ita::province`), a few of them large.
    pub province: &'static str,
    pub district: String,
}

pub fn org(number: u32) -> OrgPlan {
    let n = number as usize;
    let place =
        format!("{}{}", PLACE_FIRST[n % PLACE_FIRST.len()], PLACE_SECOND[(n / PLACE_FIRST.len()) % PLACE_SECOND.len()]);
    // The place names repeat after 120 organizations, as they do in the country; the number
    // (in Thai digits) tells them apart on the root page.
    let place = format!("{place} {}", to_thai_digits(&number.to_string()));
    let (kind, long) = if n % 4 == 3 {
        ("เทศบาลตำบล", "เทศบาลตำบล")
    } else {
        ("อบต.", "องค์การบริหารส่วนตำบล")
    };
    let province = super::plan_ita::province(number);
    let district = format!("เมือง{province}");
    OrgPlan { slug: format!("bench-{number:04}"), name: format!("{long}{place}"), kind, province, district }
}

/// One item of the inventory.
pub struct ItemPlan {
    pub asset_number: String,
    pub name: &'static str,
    pub category: &'static str,
    pub count_unit: &'static str,
    pub quantity: i64,
    /// Index into [`DIVISIONS`] of the unit holding it.
    pub division: usize,
}

pub fn items(count: usize) -> Vec<ItemPlan> {
    (0..count)
        .map(|i| {
            let (name, category, count_unit, quantity) = ITEM_KINDS[i % ITEM_KINDS.len()];
            ItemPlan {
                asset_number: format!("416-{}-{:04}", 60 + i % 7, i + 1),
                name,
                category,
                count_unit,
                quantity,
                division: i % DIVISIONS.len(),
            }
        })
        .collect()
}

/// One loan: of item `item` (index into [`items`]), dated by days since 1970-01-01.
pub struct LoanPlan {
    pub item: usize,
    pub use_type: UseType,
    pub required_duty: Duty,
    pub status: LoanStatus,
    pub start_day: i64,
    pub due_day: i64,
    /// The day it went out, when it did.
    pub handed_over_day: Option<i64>,
    /// The day it came back, when it did, and how.
    pub returned: Option<(i64, Damage)>,
    pub settlement: Option<Settlement>,
}

impl LoanPlan {
    /// A loan that went out: the ones that get follow-ups.
    pub fn went_out(&self) -> bool {
        self.handed_over_day.is_some()
    }
}

/// How many days apart one item's loans are: each loan is 5 days, then 3 days in the store.
const LOAN_SPACING: i64 = 8;

/// `count` loans spread over `items` items, one after another for each item (so they never
/// overlap), the newest ending around `today`: the newest are requested or approved for the
/// coming days, the one before is out (some overdue), older ones are returned, with a share
/// rejected, cancelled, awaiting settlement and closed after a settlement.
pub fn loans(count: usize, items: usize, today: i64) -> Vec<LoanPlan> {
    let rules = LendingRules::default();
    let items = items.max(1);
    (0..count)
        .map(|n| {
            let (item, age) = (n % items, (n / items) as i64);
            let start_day = today + 2 - LOAN_SPACING * age;
            let due_day = start_day + 5;
            let use_type = if n % 3 == 0 { UseType::Outside } else { UseType::Inside };
            let status = match age {
                0 if item % 2 == 0 => LoanStatus::Requested,
                0 => LoanStatus::Approved,
                // Out since 6 days ago, due yesterday: overdue, followed up.
                1 if item % 3 == 0 => LoanStatus::HandedOver,
                _ => match n % 16 {
                    0 => LoanStatus::Rejected,
                    1 => LoanStatus::Cancelled,
                    2 => LoanStatus::AwaitingSettlement,
                    3 => LoanStatus::Closed,
                    _ => LoanStatus::Returned,
                },
            };
            let went_out = matches!(
                status,
                LoanStatus::HandedOver | LoanStatus::Returned | LoanStatus::AwaitingSettlement | LoanStatus::Closed
            );
            let damage = match status {
                LoanStatus::AwaitingSettlement | LoanStatus::Closed => Damage::Damaged,
                _ => Damage::None,
            };
            let came_back = went_out && status != LoanStatus::HandedOver;
            LoanPlan {
                item,
                use_type,
                required_duty: rules.approver_for(use_type),
                status,
                start_day,
                due_day,
                handed_over_day: went_out.then_some(start_day),
                // Every seventh returned loan came back two days late (after follow-ups).
                returned: came_back.then(|| (if n % 7 == 0 { due_day + 2 } else { due_day }, damage)),
                settlement: (status == LoanStatus::Closed).then_some(Settlement::Repair),
            }
        })
        .collect()
}

/// One follow-up of a loan that went out: (index into the loans, day).
pub fn follow_ups(count: usize, loans: &[LoanPlan]) -> Vec<(usize, i64)> {
    let out: Vec<usize> = (0..loans.len()).filter(|&i| loans[i].went_out()).collect();
    if out.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|k| {
            let loan = out[k % out.len()];
            (loan, loans[loan].due_day + 1 + (k / out.len()) as i64)
        })
        .collect()
}

/// One notice: (index into the loans, index into [`USERS`], kind, day); unique per
/// (loan, user, kind, day) as the table requires.
pub fn notifications(count: usize, loans: &[LoanPlan]) -> Vec<(usize, usize, Kind, i64)> {
    const KINDS: [Kind; 4] = [Kind::DueSoon, Kind::Overdue, Kind::Approve, Kind::HandOver];
    // The users who get notices: supplies, officer, executive.
    const READERS: [usize; 3] = [1, 2, 3];
    if loans.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|k| {
            let loan = k % loans.len();
            let round = k / loans.len();
            let kind = KINDS[round % KINDS.len()];
            let user = READERS[(round / KINDS.len()) % READERS.len()];
            let day = loans[loan].start_day - 1 + (round / (KINDS.len() * READERS.len())) as i64;
            (loan, user, kind, day)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn bench_organizations_have_distinct_slugs_and_names() {
        let orgs: Vec<OrgPlan> = (1..=1000).map(org).collect();
        assert_eq!(orgs.iter().map(|o| &o.slug).collect::<HashSet<_>>().len(), 1000);
        assert_eq!(orgs.iter().map(|o| &o.name).collect::<HashSet<_>>().len(), 1000);
        assert!(orgs.iter().all(|o| crate::orgs::validate_slug(&o.slug).is_ok()));
        assert_eq!(org(5).name, "องค์การบริหารส่วนตำบลหนองทราย ๕");
        assert_eq!(org(7).name, "เทศบาลตำบลป่าทราย ๗");
    }

    #[test]
    fn loans_come_in_every_state_and_never_overlap_on_an_item() {
        let plans = loans(300, 20, 20_000);
        for status in LoanStatus::ALL {
            assert!(plans.iter().any(|l| l.status == status), "no loan {status:?}");
        }
        for item in 0..20 {
            let mut days: Vec<(i64, i64)> =
                plans.iter().filter(|l| l.item == item).map(|l| (l.start_day, l.due_day)).collect();
            days.sort();
            assert!(days.windows(2).all(|w| w[0].1 < w[1].0), "item {item}: {days:?}");
        }
        assert!(plans.iter().any(|l| l.status == LoanStatus::HandedOver && l.due_day < 20_000), "an overdue loan");
    }

    #[test]
    fn follow_ups_and_notices_reach_the_counts_asked_without_duplicates() {
        let plans = loans(300, 20, 20_000);
        let follow = follow_ups(300, &plans);
        assert_eq!(follow.len(), 300);
        assert!(follow.iter().all(|&(l, day)| plans[l].went_out() && day > plans[l].due_day));
        let notices = notifications(1000, &plans);
        assert_eq!(notices.len(), 1000);
        let keys: HashSet<_> = notices.iter().map(|&(l, u, k, d)| (l, u, k.code(), d)).collect();
        assert_eq!(keys.len(), 1000);
    }
}
