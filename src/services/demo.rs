//! The demo organization's services: the typical services of a Thai local office, as editable
//! examples (issue 14, item 4), each with its citizen manual (`data/seed/services-mae-khatuan.json`,
//! facts from the research notes; times the law does not confirm are marked as the office's own
//! standard) published as version 1.

use super::exchange::{self, Format};
use crate::db::Db;
use crate::orgs::Org;

/// (name, responsible division, minutes at the counter): the queue's demo uses these names.
pub const SERVICES: &[(&str, &str, i64)] = &[
    ("การชำระภาษีที่ดินและสิ่งปลูกสร้าง", "กองคลัง", 10),
    ("การยื่นแบบและชำระภาษีป้าย", "กองคลัง", 15),
    ("การขออนุญาตก่อสร้างอาคาร", "กองช่าง", 30),
    ("การลงทะเบียนรับเงินเบี้ยยังชีพผู้สูงอายุ", "สำนักปลัด", 15),
    ("การลงทะเบียนรับเงินเบี้ยความพิการ", "สำนักปลัด", 15),
    ("การขอใช้น้ำประปา", "กองช่าง", 20),
    ("การจดทะเบียนพาณิชย์", "กองคลัง", 20),
    ("การรับเรื่องร้องทุกข์และคำร้องทั่วไป", "สำนักปลัด", 10),
];

/// The demo's manuals, shipped in the repository.
pub const MANUALS: &str = include_str!("../../data/seed/services-mae-khatuan.json");

/// Creates the demo services with their drafts in one audited transaction, then publishes each as
/// version 1 (dated 2 October 2566, the first working day of fiscal year 2567), recorded without
/// its PDF: the first request prints it and keeps it.
pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let manuals = exchange::read(MANUALS, Format::Json).map_err(|p| anyhow::anyhow!("the demo's manuals: {p}"))?;
    if let Err(problem) = exchange::import(db, org.id, &manuals, "demo").await? {
        anyhow::bail!("the demo's manuals: {problem}");
    }
    let day = chrono::NaiveDate::from_ymd_opt(2023, 10, 2).expect("valid");
    // 10:00 in Thailand.
    let published_at = day.and_hms_opt(3, 0, 0).expect("valid").and_utc().timestamp();
    for manual in &manuals {
        let id = exchange::service_named(db, org.id, &manual.name).await?.expect("imported just now");
        if let Err(refusal) = super::versions::record_unprinted(db, org.id, id, manual, published_at, "demo").await? {
            anyhow::bail!("the demo's manual {}: {refusal}", manual.name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_manuals_are_the_services_the_queue_knows_with_their_counter_minutes() {
        let manuals = exchange::read(MANUALS, Format::Json).unwrap_or_else(|p| panic!("{p}"));
        let found: Vec<(&str, &str, i64)> =
            manuals.iter().map(|m| (m.name.as_str(), m.division.as_str(), m.counter_minutes().unwrap_or(0))).collect();
        assert_eq!(found, SERVICES);
        for m in &manuals {
            assert!(!m.time_basis.is_empty(), "{}: the times are marked as the office's standard", m.name);
        }
    }
}
