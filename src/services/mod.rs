//! The service catalogue (issue 14): the services the office gives citizens, each with its citizen
//! manual (คู่มือสำหรับประชาชน) and time standard. The queue issues tickets per service and measures
//! service against the standard kept here.

pub mod demo;
pub mod store;

/// A service's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct ServiceId(pub i64);

impl std::fmt::Display for ServiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A service as the catalogue lists it and the queue offers it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub division_id: Option<i64>,
    pub position: i64,
    /// Minutes at the counter by the published manual; `None` when no standard is published.
    pub standard_minutes: Option<i64>,
    pub archived: bool,
}
