//! The demo organization's open consultation: its local development plan, with two opinions.

use super::store::{self, Details, NewOpinion};
use crate::db::Db;
use crate::orgs::Org;

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let today = crate::thai::today_in_thailand();
    let day = |offset: i64| crate::documents::day_number(today + chrono::Duration::days(offset));
    let details = Details {
        title: "รับฟังความคิดเห็นต่อร่างแผนพัฒนาท้องถิ่นขององค์การบริหารส่วนตำบลแม่คะตวน".into(),
        description: "องค์การบริหารส่วนตำบลแม่คะตวนขอรับฟังความคิดเห็นของประชาชนต่อร่างแผนพัฒนาท้องถิ่น\nความคิดเห็นที่ได้รับจะสรุปเสนอคณะกรรมการพัฒนาท้องถิ่นและเผยแพร่บนเว็บไซต์นี้".into(),
        opens_on: day(-7),
        closes_on: day(21),
        summary: String::new(),
        publish_summary: false,
    };
    let mut tx = db.write(org.id).await?;
    let id = store::create(&mut tx, org.id, &details, "demo").await?;
    tx.commit().await?;
    for (i, body) in ["ขอให้ซ่อมถนนสายหมู่ ๓ ไปหมู่ ๕ ก่อนฤดูฝน", "อยากให้มีไฟส่องสว่างบริเวณทางเข้าโรงเรียน"].iter().enumerate()
    {
        let key = format!("demo-{i}");
        let opinion = NewOpinion { name: "", contact: "", body, client_key: &key };
        store::add_opinion(db, org.id, id, &opinion, day(0)).await?;
    }
    Ok(())
}
