//! Public participation (issue 16, item 5): announcements inviting opinions (public hearings,
//! plan consultations) open for a period, opinions sent without an account, and the published
//! summary of what was received. store.rs (SQL), public.rs (/o/SLUG/participation…),
//! routes.rs (staff), demo.rs.

pub mod demo;
pub mod public;
pub mod routes;
pub mod store;

/// Where a consultation stands on a given day (yyyymmdd).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    NotYetOpen,
    Open,
    Closed,
}

pub fn phase(opens_on: i64, closes_on: i64, today: i64) -> Phase {
    if today < opens_on {
        Phase::NotYetOpen
    } else if today <= closes_on {
        Phase::Open
    } else {
        Phase::Closed
    }
}

impl Phase {
    pub fn label_th(self) -> &'static str {
        match self {
            Phase::NotYetOpen => "ยังไม่เปิดรับความคิดเห็น",
            Phase::Open => "เปิดรับความคิดเห็น",
            Phase::Closed => "ปิดรับความคิดเห็นแล้ว",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consultation_is_open_from_its_first_day_through_its_last() {
        assert_eq!(phase(20261201, 20261215, 20261130), Phase::NotYetOpen);
        assert_eq!(phase(20261201, 20261215, 20261201), Phase::Open);
        assert_eq!(phase(20261201, 20261215, 20261215), Phase::Open);
        assert_eq!(phase(20261201, 20261215, 20261216), Phase::Closed);
    }
}
