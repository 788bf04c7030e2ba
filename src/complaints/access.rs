//! Who sees a complaint. Service and other complaints: every user of the organization.
//! Corruption and misconduct: only the officers the admin designated, and of them not those of
//! the division the complaint names (whatever their role: an admin not designated does not see
//! them). Everyone else gets 404, and the complaint is absent from their lists, counts and
//! badges: the SQL lists use [`SQL`], the same rule as [`may_see`].

use super::Category;

/// The user asking, as the rule needs them.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub user_id: i64,
    pub division_id: Option<i64>,
    pub designated: bool,
}

/// Whether `viewer` may see a complaint of `category` naming `accused_division`.
pub fn may_see(category: Category, accused_division: Option<i64>, viewer: &Viewer) -> bool {
    category != Category::Corruption
        || (viewer.designated && (accused_division.is_none() || accused_division != viewer.division_id))
}

/// The rule as a condition on `complaints c`, with `$1` the organization, `$2` the user's id and
/// `$3` their division (-1 when none): statements that list or count complaints bind these first.
pub const SQL: &str = "(c.category <> 'corruption' OR (EXISTS (SELECT 1 FROM complaint_officers o
     WHERE o.org_id = $1 AND o.user_id = $2) AND (c.accused_division_id IS NULL OR c.accused_division_id <> $3)))";

/// The division as [`SQL`] binds it.
pub fn division_param(viewer: &Viewer) -> i64 {
    viewer.division_id.unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corruption_complaints_reach_designated_officers_outside_the_accused_division() {
        let officer = Viewer { user_id: 1, division_id: Some(10), designated: true };
        let officer_of_accused = Viewer { user_id: 2, division_id: Some(20), designated: true };
        let admin = Viewer { user_id: 3, division_id: Some(10), designated: false };
        assert!(may_see(Category::Corruption, Some(20), &officer));
        assert!(!may_see(Category::Corruption, Some(20), &officer_of_accused));
        assert!(!may_see(Category::Corruption, Some(20), &admin));
        assert!(may_see(Category::Corruption, None, &officer_of_accused));
        assert!(may_see(Category::Service, Some(20), &admin));
        let no_division = Viewer { user_id: 4, division_id: None, designated: true };
        assert!(may_see(Category::Corruption, Some(20), &no_division));
    }
}
