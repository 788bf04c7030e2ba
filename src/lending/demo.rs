//! Demo lending data for อบต.แม่คะตวน: an inventory and loans in every state, dated around today.

use chrono::Duration;

use super::items::{self, ItemInput};
use super::loans::{self, LoanRequest, StepNote};
use super::rules::{Duty, ItemClass, UseType};
use super::workflow::{Action, Damage, Settlement};
use crate::auth::users::{User, find_by_username_and_org};
use crate::db::Db;
use crate::orgs::Org;

const ITEMS: &[(&str, &str, &str, &str)] = &[
    ("416-66-0001", "เครื่องฉายภาพ (โปรเจคเตอร์) Epson EB-X51", "ครุภัณฑ์สำนักงาน", "ห้องประชุมสภา"),
    ("416-66-0002", "จอรับภาพ ขนาด 100 นิ้ว", "ครุภัณฑ์สำนักงาน", "ห้องประชุมสภา"),
    ("416-65-0003", "เครื่องขยายเสียงพร้อมลำโพง", "ครุภัณฑ์ไฟฟ้าและวิทยุ", "ห้องพัสดุ"),
    ("416-65-0004", "ไมโครโฟนไร้สาย", "ครุภัณฑ์ไฟฟ้าและวิทยุ", "ห้องพัสดุ"),
    ("416-64-0005", "เต็นท์ผ้าใบ ขนาด 4x8 เมตร", "ครุภัณฑ์งานบ้านงานครัว", "โรงเก็บพัสดุ"),
    ("416-64-0006", "เต็นท์ผ้าใบ ขนาด 4x8 เมตร", "ครุภัณฑ์งานบ้านงานครัว", "โรงเก็บพัสดุ"),
    ("416-63-0007", "โต๊ะพับอเนกประสงค์", "ครุภัณฑ์สำนักงาน", "โรงเก็บพัสดุ"),
    ("416-63-0008", "เก้าอี้พลาสติก (ชุด 50 ตัว)", "ครุภัณฑ์สำนักงาน", "โรงเก็บพัสดุ"),
    ("416-66-0009", "กล้องถ่ายภาพดิจิทัล", "ครุภัณฑ์โฆษณาและเผยแพร่", "สำนักปลัด"),
    ("416-65-0010", "เครื่องตัดหญ้าแบบสะพาย", "ครุภัณฑ์การเกษตร", "กองช่าง"),
    ("416-62-0011", "บันไดอะลูมิเนียม 3 เมตร", "ครุภัณฑ์ก่อสร้าง", "กองช่าง"),
    ("416-66-0012", "เครื่องพ่นหมอกควัน", "ครุภัณฑ์วิทยาศาสตร์การแพทย์", "สำนักปลัด"),
];

/// Loads the inventory and a few loans; the organization's users must exist.
pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let mut ids = Vec::new();
    for (asset_number, name, category, location) in ITEMS {
        let input = ItemInput {
            asset_number: asset_number.to_string(),
            name: name.to_string(),
            category: category.to_string(),
            class: ItemClass::Durable,
            location: location.to_string(),
            division_id: None,
            condition: "ใช้งานได้ดี".into(),
            lendable: true,
        };
        match items::create(db, org.id, &input, "demo").await? {
            Ok(id) => ids.push(id),
            Err(p) => anyhow::bail!("demo item {asset_number}: {p}"),
        }
    }
    let user = |name: &'static str| async move {
        find_by_username_and_org(db, name, org.id).await?.ok_or_else(|| anyhow::anyhow!("demo user {name} missing"))
    };
    let (admin, supplies, executive) = (user("admin").await?, user("supplies").await?, user("executive").await?);
    super::set_duties(db, org.id, supplies.id, &[Duty::SuppliesHead], "demo").await?;
    super::set_duties(db, org.id, executive.id, &[Duty::OrgHead], "demo").await?;
    let today = super::today();
    let day = |n: i64| today + Duration::days(n);
    let request =
        |item: usize, name: &str, use_type: UseType, purpose: &str, place: &str, start: i64, due: i64| LoanRequest {
            item_id: ids[item],
            borrower_user_id: None,
            borrower_name: name.to_string(),
            borrower_position: "ผู้ใหญ่บ้าน".into(),
            borrower_unit: "หมู่ที่ 3 บ้านแม่คะตวน".into(),
            borrower_is_agency: false,
            urgent_need: false,
            use_type,
            purpose: purpose.to_string(),
            place_of_use: place.to_string(),
            start: day(start),
            due: day(due),
        };
    let head: (User, Vec<Duty>) = (supplies.clone(), vec![Duty::SuppliesHead]);
    let mayor: (User, Vec<Duty>) = (executive.clone(), vec![Duty::OrgHead]);
    // `on`: the day the step happened (hand-over and return must fall in the loan's dates).
    let go_on = |id, action, by: &(User, Vec<Duty>), note: &str, on: Option<i64>| {
        let note = StepNote { note: note.to_string(), on: on.map(day) };
        let (who, duties) = (by.0.clone(), by.1.clone());
        async move {
            loans::act(db, org.id, id, action, &who, &duties, &note)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo loan missing"))?
                .map_err(|e| anyhow::anyhow!("demo step refused: {}", e.message_th()))
        }
    };
    let go = |id, action, by: &(User, Vec<Duty>), note: &str| go_on(id, action, by, note, None);
    // 1. Returned on time, a month ago: used inside the office.
    let r = request(0, "นางสาวมณี ใจดี", UseType::Inside, "ประชุมประชาคมหมู่บ้าน", "ห้องประชุมสภา อบต.", -30, -29);
    let id = loans::request(db, org.id, &r, &admin, day(-30)).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    // Approved on the day it was asked (the history shows each step's real day).
    go_on(id, Action::Approve, &head, "อนุมัติตามคู่มือ", Some(-30)).await?;
    go_on(id, Action::HandOver, &head, "ใช้งานได้ดี", Some(-30)).await?;
    go_on(id, Action::Return { damage: Damage::None }, &head, "ใช้งานได้ดี", Some(-29)).await?;
    // 2. Out and overdue: taken outside the premises, the follow-up is due.
    let r = request(4, "นายสมชาย ทองดี", UseType::Outside, "งานบุญประจำปีของหมู่บ้าน", "วัดบ้านแม่คะตวน", -10, -3);
    let id = loans::request(db, org.id, &r, &admin, day(-10)).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go_on(id, Action::Approve, &mayor, "อนุมัติ", Some(-10)).await?;
    go_on(id, Action::HandOver, &head, "ผ้าใบสมบูรณ์ เสาครบ", Some(-10)).await?;
    // 3. Returned damaged, awaiting the borrower's repair.
    let r = request(2, "นายประยูร แก้วมา", UseType::Outside, "กีฬาตำบล", "สนามกีฬาโรงเรียนบ้านแม่คะตวน", -20, -15);
    let id = loans::request(db, org.id, &r, &admin, day(-20)).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go_on(id, Action::Approve, &mayor, "อนุมัติ", Some(-20)).await?;
    go_on(id, Action::HandOver, &head, "ใช้งานได้ดี", Some(-20)).await?;
    go(id, Action::Return { damage: Damage::Damaged }, &head, "ลำโพงข้างซ้ายไม่มีเสียง").await?;
    // 4. A lost microphone, paid for: closed.
    let r = request(3, "นายประยูร แก้วมา", UseType::Outside, "กีฬาตำบล", "สนามกีฬาโรงเรียนบ้านแม่คะตวน", -20, -15);
    let id = loans::request(db, org.id, &r, &admin, day(-20)).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go_on(id, Action::Approve, &mayor, "อนุมัติ", Some(-20)).await?;
    go_on(id, Action::HandOver, &head, "ใช้งานได้ดี", Some(-20)).await?;
    go(id, Action::Return { damage: Damage::Lost }, &head, "ไมโครโฟนสูญหาย").await?;
    go(id, Action::Settle { how: Settlement::Pay }, &head, "ชดใช้เงินตามราคาขณะยืม ใบเสร็จเลขที่ 12/2567").await?;
    // 5. A request waiting for the head of the organization.
    let r = request(8, "นางสาวมณี ใจดี", UseType::Outside, "ถ่ายภาพกิจกรรมวันเด็ก", "โรงเรียนบ้านแม่คะตวน", 3, 4);
    loans::request(db, org.id, &r, &admin, today).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    // 6. Approved for next week, inside the office.
    let r = request(6, "นายสมศักดิ์ มีสุข", UseType::Inside, "อบรมอาสาสมัคร", "ห้องประชุมสภา อบต.", 7, 8);
    let id = loans::request(db, org.id, &r, &admin, today).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go(id, Action::Approve, &head, "อนุมัติ").await?;
    // 7. The only head of supplies files for a colleague: the request went up to the head of the
    //    organization by itself (ข้อ 208; nobody approves their own request).
    let mut r = request(5, "นางสาวจันทร์เพ็ญ ศรีงาม", UseType::Inside, "จัดเวทีประชาคม", "ลานหน้าสำนักงาน อบต.", 14, 15);
    r.borrower_position = "นักวิชาการพัสดุ".into();
    r.borrower_unit = "กองคลัง".into();
    loans::request(db, org.id, &r, &supplies, today).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    // The manual of this fiscal year, approved by the head of the organization on its first day
    // and published; it is printed on its first request (the seed has no renderer).
    let fiscal_year = crate::thai::FiscalYear::of(today);
    let approval = super::documents::ManualApproval {
        fiscal_year,
        approved_on: fiscal_year.start(),
        approver_name: executive.display_name.clone(),
        approver_position: format!("นายก{}", org.name),
    };
    super::manuals::record_unprinted(db, org, &approval, "demo").await?;
    Ok(())
}
