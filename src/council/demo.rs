//! The demo organization's council: its rule on public attendance, a past meeting with its
//! minutes and the citizens who came, and an upcoming one open for registration (issue 16's demo).

use super::store::{self, MeetingDetails};
use crate::db::Db;
use crate::documents::Category;
use crate::documents::store::{self as documents, Details, Upload};
use crate::orgs::Org;

const RULE: &[u8] = include_bytes!("../../data/seed/council-attendance-rule.pdf");
const MINUTES: &[u8] = include_bytes!("../../data/seed/council-minutes.pdf");

/// Made-up citizens who came to the past meeting.
const ATTENDEES: &[(&str, &str)] = &[
    ("นางสาวมาลี ใจดี", "0811111111"),
    ("นายสมชาย รักถิ่น", "0822222222"),
    ("นางบุญมา ทองคำ", "0833333333"),
    ("นายประยูร แก้วมา", "0844444444"),
    ("นางสาวจันทร์เพ็ญ ศรีสุข", "0855555555"),
    ("นายอนันต์ มั่นคง", "0866666666"),
];

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let now = crate::db::now();
    let mut tx = db.write(org.id).await?;
    let rule = Details {
        category: Category::Council,
        title: "ประกาศสภาองค์การบริหารส่วนตำบลแม่คะตวน เรื่อง หลักเกณฑ์การเข้าฟังการประชุมสภาของประชาชน".into(),
        description: "ประชาชนเข้าฟังการประชุมได้ตามที่นั่งที่จัดไว้ ลงทะเบียนล่วงหน้าทางเว็บไซต์หรือที่สำนักปลัด".into(),
        fiscal_year: Some(2566),
        issued_on: 20221101,
        for_staff: false,
    };
    let file =
        Upload { file_name: "council-attendance-rule.pdf", content_type: "application/pdf", bytes: RULE, note: "" };
    documents::create(&mut tx, org.id, &rule, &file, "demo").await?;
    let minutes = Details {
        category: Category::Council,
        title: "รายงานการประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๔ ครั้งที่ ๑".into(),
        description: String::new(),
        fiscal_year: None,
        issued_on: crate::documents::day_number(crate::thai::today_in_thailand()),
        for_staff: false,
    };
    let file = Upload { file_name: "council-minutes.pdf", content_type: "application/pdf", bytes: MINUTES, note: "" };
    let minutes_id = documents::create(&mut tx, org.id, &minutes, &file, "demo").await?;
    // The past meeting is announced ahead, as it was, and moved to its day once its public came.
    let mut past = MeetingDetails {
        title: "การประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๔ ครั้งที่ ๑".into(),
        starts_at: now + 86_400,
        place: "ห้องประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน".into(),
        agenda: "ระเบียบวาระที่ ๑ เรื่องที่ประธานแจ้งต่อที่ประชุม\nระเบียบวาระที่ ๒ รับรองรายงานการประชุมครั้งที่แล้ว\nระเบียบวาระที่ ๓ ญัตติขอความเห็นชอบแผนการดำเนินงาน".into(),
        seats: 20,
        cancelled: false,
        minutes_document_id: None,
    };
    let past_id = store::create(&mut tx, org.id, &past, "demo").await?.expect("the demo's own document");
    let upcoming = MeetingDetails {
        title: "การประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๑ ครั้งที่ ๑".into(),
        starts_at: (now / 86_400 + 14) * 86_400 + 2 * 3600 + 1800,
        place: "ห้องประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน".into(),
        agenda: "ระเบียบวาระที่ ๑ เรื่องที่ประธานแจ้งต่อที่ประชุม\nระเบียบวาระที่ ๒ ญัตติร่างข้อบัญญัติงบประมาณรายจ่ายประจำปี".into(),
        seats: 20,
        cancelled: false,
        minutes_document_id: None,
    };
    store::create(&mut tx, org.id, &upcoming, "demo").await?;
    tx.commit().await?;
    for (i, (name, phone)) in ATTENDEES.iter().enumerate() {
        let key = format!("demo-{i}");
        if let Some(Ok(r)) = super::registrations::register(db, org.id, past_id, name, phone, &key).await? {
            super::registrations::check_in(db, org.id, &r.code, "demo").await?;
        }
    }
    past.starts_at = (now / 86_400 - 30) * 86_400 + 2 * 3600 + 1800;
    past.minutes_document_id = Some(minutes_id);
    let mut tx = db.write(org.id).await?;
    store::update(&mut tx, org.id, past_id, &past, "demo").await?;
    tx.commit().await?;
    Ok(())
}
