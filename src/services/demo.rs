//! The demo organization's services: the typical services of a Thai local office, as editable
//! examples (issue 14, item 4).

use super::store::{self, NewService};
use crate::db::Db;
use crate::orgs::Org;

/// (name, responsible division, minutes at the counter).
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

/// Creates the demo services in one audited transaction.
pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let divisions = crate::orgs::store::divisions(db, org.id).await?;
    let mut tx = db.write(org.id).await?;
    for (name, division, minutes) in SERVICES {
        let division_id = divisions.iter().find(|d| d.name == *division).map(|d| d.id);
        let new = NewService { name, division_id, standard_minutes: Some(*minutes) };
        if let Err(problem) = store::create(&mut tx, org.id, &new, "demo").await? {
            anyhow::bail!("demo service {name}: {problem}");
        }
    }
    tx.commit().await?;
    Ok(())
}
