//! The province pages (issue 18): a public, site-wide comparison of a province's organizations
//! (ITA scores, measures on time, reports published), the view a provincial office or the NACC
//! wants. store.rs (SQL, read by the province's organizations), rules.rs (pure: summary, orders,
//! years), routes.rs (`/p/`, `/p/PROVINCE`).

mod routes;
pub mod rules;
pub mod store;

pub use routes::{province_href, router};
