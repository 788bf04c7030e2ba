//! The demo organization's public site: contact details, an emblem, news and announcements, and
//! the conflict-of-interest manual in its documents library (issue 16's demo).

use crate::db::Db;
use crate::documents::Category;
use crate::documents::store::{self as documents, Details, Upload};
use crate::news::Kind;
use crate::news::store::{self as news, Draft};
use crate::orgs::Org;

const EMBLEM: &[u8] = include_bytes!("../../data/seed/emblem-mae-khatuan.png");
const CONFLICT_OF_INTEREST_MANUAL: &[u8] = include_bytes!("../../data/seed/conflict-of-interest-manual.pdf");

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let mut tx = db.write(org.id).await?;
    let details = super::frame::SiteDetails {
        name_en: "Mae Khatuan Subdistrict Administrative Organization".into(),
        address: "หมู่ที่ ๑ ตำบลแม่คะตวน อำเภอสบปราบ จังหวัดลำปาง ๕๒๑๗๐".into(),
        phone: "๐ ๕๔๒๙ ๖๐๐๐".into(),
        email: "saraban@maekhatuan.example".into(),
        office_hours: "วันจันทร์–วันศุกร์ ๐๘.๓๐–๑๖.๓๐ น. (เว้นวันหยุดราชการ)".into(),
        map_url: "https://www.openstreetmap.org/search?query=%E0%B9%81%E0%B8%A1%E0%B9%88%E0%B8%84%E0%B8%B0%E0%B8%95%E0%B8%A7%E0%B8%99".into(),
    };
    super::frame::save(&mut tx, org.id, &details, "demo").await?;
    super::frame::set_emblem(&mut tx, org.id, EMBLEM, "image/png", "demo").await?;
    let manual = Details {
        category: Category::Manual,
        title: "คู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน".into(),
        description: "แนวทางสำหรับพนักงานส่วนตำบลและพนักงานจ้างในการแยกเรื่องส่วนตัวออกจากหน้าที่ราชการและการแจ้งเมื่อมีส่วนได้เสีย"
            .into(),
        fiscal_year: Some(2566),
        issued_on: 20221003,
        for_staff: true,
    };
    let file = Upload {
        file_name: "conflict-of-interest-manual.pdf",
        content_type: "application/pdf",
        bytes: CONFLICT_OF_INTEREST_MANUAL,
        note: "",
    };
    documents::create(&mut tx, org.id, &manual, &file, "demo").await?;
    for (kind, title, body) in [
        (
            Kind::Announcement,
            "ประกาศเจตจำนงสุจริตในการบริหารงานขององค์การบริหารส่วนตำบลแม่คะตวน",
            "องค์การบริหารส่วนตำบลแม่คะตวนจะบริหารงานด้วยความซื่อสัตย์สุจริต โปร่งใส และตรวจสอบได้\n\nผู้บริหารและพนักงานทุกคนจะปฏิบัติตามคู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน และเปิดเผยข้อมูลการดำเนินงานต่อประชาชนทางเว็บไซต์ของหน่วยงาน",
        ),
        (
            Kind::News,
            "เปิดให้ประชาชนประเมินความพึงพอใจผ่าน QR code ที่จุดบริการ",
            "ประชาชนที่มารับบริการสามารถสแกน QR code ที่จุดบริการเพื่อประเมินความพึงพอใจได้ทันที ไม่ต้องลงชื่อ\nผลการประเมินรายงานต่อผู้บริหารและเผยแพร่บนเว็บไซต์ทุกปีงบประมาณ",
        ),
    ] {
        news::create(&mut tx, org.id, &Draft { kind, title, body }, true, "demo").await?;
    }
    // The demo's service point (made by the queue's demo): what it offers while citizens wait.
    let point: Option<i64> = sqlx::query_scalar("SELECT MIN(id) FROM queue_points WHERE org_id = $1")
        .bind(org.id.0)
        .fetch_one(&mut *tx)
        .await?;
    if let Some(point) = point {
        let ticked: Vec<String> =
            ["seating", "water", "wifi", "ramp", "parking"].iter().map(|s| s.to_string()).collect();
        crate::queue::facilities::set(&mut tx, org.id, crate::queue::PointId(point), &ticked, "demo").await?;
    }
    tx.commit().await?;
    Ok(())
}
