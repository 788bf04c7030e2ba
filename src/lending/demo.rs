//! Demo lending data for อบต.แม่คะตวน: an inventory and loans in every state, dated around today.

use chrono::Duration;

use super::items::{self, ItemInput};
use super::loans::{self, LoanRequest, StepNote};
use super::rules::{Duty, ItemClass, UseType};
use super::settlement::SettlementForm;
use super::store_settlement;
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
    ("416-63-0008", "เก้าอี้พลาสติก", "ครุภัณฑ์สำนักงาน", "โรงเก็บพัสดุ"),
    ("416-66-0009", "กล้องถ่ายภาพดิจิทัล", "ครุภัณฑ์โฆษณาและเผยแพร่", "สำนักปลัด"),
    ("416-65-0010", "เครื่องตัดหญ้าแบบสะพาย", "ครุภัณฑ์การเกษตร", "กองช่าง"),
    ("416-62-0011", "บันไดอะลูมิเนียม 3 เมตร", "ครุภัณฑ์ก่อสร้าง", "กองช่าง"),
    ("416-66-0012", "เครื่องพ่นหมอกควัน", "ครุภัณฑ์วิทยาศาสตร์การแพทย์", "สำนักปลัด"),
];

/// Units under one asset record: the chairs are one record of 50.
fn units_of(asset_number: &str) -> (i64, &'static str) {
    if asset_number == "416-63-0008" { (50, "ตัว") } else { (1, "") }
}

/// A consumable the office lends to another agency by quantity (ข้อ 210), keeping a reserve.
fn temephos() -> ItemInput {
    ItemInput {
        asset_number: "CS-67-0013".into(),
        name: "ทรายกำจัดลูกน้ำยุงลาย (ทรายอะเบท) ซอง 50 กรัม".into(),
        category: "วัสดุวิทยาศาสตร์หรือการแพทย์".into(),
        class: ItemClass::Consumable,
        location: "ห้องพัสดุ".into(),
        division_id: None,
        condition: "ของใหม่ ยังไม่หมดอายุ".into(),
        lendable: true,
        quantity: 500,
        count_unit: "ซอง".into(),
        reserve: 200,
    }
}

/// Loads the inventory and a few loans; the organization's users must exist.
pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let mut ids = Vec::new();
    for (asset_number, name, category, location) in ITEMS {
        let (quantity, count_unit) = units_of(asset_number);
        let input = ItemInput {
            asset_number: asset_number.to_string(),
            name: name.to_string(),
            category: category.to_string(),
            class: ItemClass::Durable,
            location: location.to_string(),
            division_id: None,
            condition: "ใช้งานได้ดี".into(),
            lendable: true,
            quantity,
            count_unit: count_unit.into(),
            reserve: 0,
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
    // A delegation order: the head of the agency lets the head of supplies approve loans to other
    // agencies in their stead this year (คำสั่งมอบอำนาจ; printed on the forms they approve).
    let order = super::delegation::NewDelegation {
        from_user: executive.id,
        to_user: supplies.id,
        use_types: vec![UseType::Agency],
        order_number: format!("12/{}", chrono::Datelike::year(&day(-30)) + 543),
        order_day: day(-30),
        from: day(-30),
        to: day(335),
    };
    super::delegation::create(db, org.id, &order, admin.id, "demo").await?.map_err(|e| anyhow::anyhow!(e))?;
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
            quantity: 1,
        };
    let head: (User, Vec<Duty>) = (supplies.clone(), vec![Duty::SuppliesHead]);
    let mayor: (User, Vec<Duty>) = (executive.clone(), vec![Duty::OrgHead]);
    // `on`: the day the step happened (hand-over and return must fall in the loan's dates).
    let go_on = |id, action, by: &(User, Vec<Duty>), note: &str, on: Option<i64>| {
        let note = StepNote { note: note.to_string(), on: on.map(day), units: None };
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
    go_on(id, Action::Return { damage: Damage::Damaged }, &head, "ลำโพงข้างซ้ายไม่มีเสียง", Some(-15)).await?;
    // 4. A lost microphone, paid for: closed.
    let r = request(3, "นายประยูร แก้วมา", UseType::Outside, "กีฬาตำบล", "สนามกีฬาโรงเรียนบ้านแม่คะตวน", -20, -15);
    let id = loans::request(db, org.id, &r, &admin, day(-20)).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go_on(id, Action::Approve, &mayor, "อนุมัติ", Some(-20)).await?;
    go_on(id, Action::HandOver, &head, "ใช้งานได้ดี", Some(-20)).await?;
    go_on(id, Action::Return { damage: Damage::Lost }, &head, "ไมโครโฟนสูญหาย", Some(-15)).await?;
    // Paid for five days later: the settlement is on record and the microphone is written off.
    let paid_on = day(-10);
    let receipt = format!("12/{}", crate::thai::FiscalYear::of(paid_on).be());
    let form = SettlementForm {
        how: Settlement::Pay.code().into(),
        amount: "3,200".into(),
        receipt,
        on: Some(paid_on),
        note: "ชดใช้ตามราคาที่เป็นอยู่ในขณะยืม ตามหลักเกณฑ์ของกระทรวงการคลัง".into(),
    };
    store_settlement::settle(db, org.id, id, &form, &supplies, &[Duty::SuppliesHead])
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo loan missing"))?
        .map_err(|e| anyhow::anyhow!("demo settlement refused: {}", e.message_th()))?;
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
    // 8. Sand against mosquito larvae lent by quantity to the health-promoting hospital (another
    //    agency, urgent need, ข้อ 210), 100 of 150 sachets returned in kind so far.
    let sand = match items::create(db, org.id, &temephos(), "demo").await? {
        Ok(id) => id,
        Err(p) => anyhow::bail!("demo consumable: {p}"),
    };
    let mut r = request(0, "", UseType::Agency, "ควบคุมการระบาดของไข้เลือดออก", "หมู่ที่ 3 บ้านแม่คะตวน", -14, 7);
    r.item_id = sand;
    r.borrower_name = "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านแม่คะตวน".into();
    r.borrower_position = String::new();
    r.borrower_unit = "สำนักงานสาธารณสุขอำเภอ".into();
    r.borrower_is_agency = true;
    r.urgent_need = true;
    r.quantity = 150;
    let id = loans::request(db, org.id, &r, &admin, day(-14)).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go_on(id, Action::Approve, &mayor, "อนุมัติ มีเพียงพอให้ยืมโดยไม่เสียหายแก่ราชการ", Some(-14)).await?;
    go_on(id, Action::HandOver, &head, "ซองบรรจุเรียบร้อย ๑๕๐ ซอง", Some(-14)).await?;
    let note = StepNote {
        note: "คืนเป็นทรายอะเบทชนิดและขนาดเดียวกัน".into(), on: Some(day(-3)), units: Some(100)
    };
    loans::act(db, org.id, id, Action::Return { damage: Damage::None }, &supplies, &[Duty::SuppliesHead], &note)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo loan missing"))?
        .map_err(|e| anyhow::anyhow!("demo return refused: {}", e.message_th()))?;
    // 9. Rejected: the camera is not lent for a private occasion (ข้อ 207).
    let r = request(8, "นายสมชาย ทองดี", UseType::Outside, "ถ่ายภาพงานแต่งงานของญาติ", "บ้านเลขที่ 12 หมู่ที่ 3", 1, 2);
    let id = loans::request(db, org.id, &r, &admin, today).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go(id, Action::Reject, &mayor, "ไม่ใช่งานของทางราชการ (ข้อ 207)").await?;
    // 10. Cancelled by the requester: the meeting was postponed.
    let r = request(1, "นางสาวมณี ใจดี", UseType::Inside, "ประชุมสภา", "ห้องประชุมสภา อบต.", 20, 20);
    let id = loans::request(db, org.id, &r, &admin, today).await?.map_err(|e| anyhow::anyhow!(e.message_th()))?;
    go(id, Action::Cancel, &(admin.clone(), Vec::new()), "เลื่อนการประชุม").await?;
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
