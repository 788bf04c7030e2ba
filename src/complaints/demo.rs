//! The demo's complaints and holiday calendar: Thai public holidays of fiscal years 2569–2570,
//! and complaints in every state (new, received and assigned, replied, closed and resolved,
//! overdue, reopened) with one corruption complaint naming กองช่าง (seen by no demo user until
//! the admin designates an officer).

use chrono::NaiveDate;

use super::Category;
use super::events::{self, Change};
use super::filing::{self, Identity, NewComplaint};
use super::workflow::Step;
use crate::db::Db;
use crate::orgs::Org;

/// Public holidays (a cabinet's list as published each year; fixed-date ones and substitutes).
const HOLIDAYS: &[(i32, u32, u32, &str)] = &[
    (2026, 6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี"),
    (2026, 7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (2026, 8, 12, "วันแม่แห่งชาติ"),
    (2026, 10, 13, "วันนวมินทรมหาราช"),
    (2026, 10, 23, "วันปิยมหาราช"),
    (2026, 12, 7, "ชดเชยวันพ่อแห่งชาติ"),
    (2026, 12, 10, "วันรัฐธรรมนูญ"),
    (2026, 12, 31, "วันสิ้นปี"),
    (2027, 1, 1, "วันขึ้นปีใหม่"),
    (2027, 4, 6, "วันจักรี"),
    (2027, 4, 13, "วันสงกรานต์"),
    (2027, 4, 14, "วันสงกรานต์"),
    (2027, 4, 15, "วันสงกรานต์"),
    (2027, 5, 4, "วันฉัตรมงคล"),
    (2027, 6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี"),
    (2027, 7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (2027, 8, 12, "วันแม่แห่งชาติ"),
];

/// One demo complaint: (days ago filed, category, subject, named?, accused division, steps).
struct Demo {
    days_ago: i64,
    category: Category,
    subject: &'static str,
    body: &'static str,
    named: bool,
    accused: Option<&'static str>,
    steps: &'static [Step],
}

const DEMOS: &[Demo] = &[
    Demo {
        days_ago: 1,
        category: Category::Service,
        subject: "ไฟถนนดับหน้าโรงเรียนบ้านแม่คะตวน",
        body: "ไฟส่องสว่างริมถนนหน้าโรงเรียนดับมาสามคืนแล้ว เด็กกลับบ้านตอนเย็นมองไม่เห็นทาง",
        named: true,
        accused: None,
        steps: &[],
    },
    Demo {
        days_ago: 5,
        category: Category::Service,
        subject: "ท่อระบายน้ำอุดตันซอยหมู่ ๓",
        body: "ฝนตกแล้วน้ำท่วมขังหน้าบ้านหลายหลัง ท่อระบายน้ำมีขยะอุดตัน",
        named: false,
        accused: None,
        steps: &[Step::Receive, Step::Assign],
    },
    Demo {
        days_ago: 8,
        category: Category::Other,
        subject: "ขอให้ตัดกิ่งไม้ที่พาดสายไฟ",
        body: "กิ่งมะม่วงริมทางพาดสายไฟฟ้า เกรงว่าจะเกิดอันตรายเมื่อมีลมแรง",
        named: true,
        accused: None,
        steps: &[Step::Receive, Step::Assign, Step::Reply],
    },
    Demo {
        days_ago: 30,
        category: Category::Service,
        subject: "รถเก็บขยะไม่มาตามวันที่กำหนด",
        body: "สองสัปดาห์ที่ผ่านมารถเก็บขยะไม่มาเก็บที่หมู่ ๕ ตามวันที่ประกาศไว้",
        named: false,
        accused: None,
        steps: &[Step::Receive, Step::Assign, Step::Reply, Step::Close, Step::Resolved],
    },
    Demo {
        days_ago: 40,
        category: Category::Service,
        subject: "ถนนลูกรังหมู่ ๗ เป็นหลุมบ่อ",
        body: "ถนนเป็นหลุมลึก รถจักรยานยนต์ล้มแล้วสองครั้ง ขอให้ลงหินคลุกซ่อม",
        named: true,
        accused: None,
        steps: &[Step::Receive],
    },
    Demo {
        days_ago: 25,
        category: Category::Service,
        subject: "น้ำประปาหมู่บ้านขุ่น",
        body: "น้ำประปาหมู่บ้านมีตะกอนสีน้ำตาลมาหนึ่งสัปดาห์",
        named: false,
        accused: None,
        steps: &[Step::Receive, Step::Reply, Step::Close, Step::Reopen],
    },
    Demo {
        days_ago: 3,
        category: Category::Corruption,
        subject: "สงสัยการตรวจรับงานก่อสร้างรางระบายน้ำ",
        body: "รางระบายน้ำที่เพิ่งตรวจรับแคบกว่าแบบที่ติดประกาศไว้ และมีรอยร้าวแล้ว",
        named: false,
        accused: Some("กองช่าง"),
        steps: &[],
    },
];

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    for (y, m, d, name) in HOLIDAYS {
        if let Some(day) = NaiveDate::from_ymd_opt(*y, *m, *d) {
            super::holidays::add(db, org.id, day, name, "demo").await?;
        }
    }
    let divisions = crate::orgs::store::divisions(db, org.id).await?;
    let division = |name: &str| divisions.iter().find(|d| d.name == name).map(|d| d.id);
    let now = crate::db::now();
    for (n, demo) in DEMOS.iter().enumerate() {
        let filed_at = now - demo.days_ago * 24 * 3600;
        let from = super::day_of(filed_at);
        let holidays = super::holidays::from_day(db, org.id, from).await?;
        let new = NewComplaint {
            category: demo.category,
            subject: demo.subject.into(),
            body: demo.body.into(),
            accused_division_id: demo.accused.and_then(division),
            identity: demo.named.then(|| Identity {
                name: "นายสมชาย ใจดี".into(),
                phone: "0810000000".into(),
                ..Identity::default()
            }),
        };
        let key = format!("demo-{n}");
        let how = filing::Filing { client_key: &key, holidays: &holidays, digits: org.digits, at: filed_at };
        let Ok((id, _)) = filing::file(db, org.id, &new, &[], &how).await? else {
            anyhow::bail!("demo complaint {n} refused");
        };
        for (i, step) in demo.steps.iter().enumerate() {
            let at = filed_at + (i as i64 + 1) * 24 * 3600;
            match step {
                Step::Resolved | Step::Reopen => {
                    let holidays = super::holidays::from_day(db, org.id, super::today()).await?;
                    let reason = if *step == Step::Reopen {
                        "น้ำยังขุ่นเหมือนเดิม"
                    } else {
                        ""
                    };
                    let answered =
                        filing::answer(db, org.id, id, *step == Step::Resolved, reason, &holidays, org.digits).await?;
                    anyhow::ensure!(answered.is_ok(), "demo answer refused");
                }
                _ => {
                    let body = match step {
                        Step::Assign => "ส่งเรื่องให้กองช่าง",
                        Step::Reply => "กองช่างตรวจสอบพื้นที่แล้ว และจะดำเนินการแก้ไขภายในสัปดาห์นี้",
                        _ => "",
                    };
                    let change = Change {
                        step: *step,
                        actor: "ผู้ดูแลระบบ อบต.แม่คะตวน",
                        audit_actor: "demo",
                        body,
                        public: true,
                        client_key: "",
                        at,
                        assign: (*step == Step::Assign).then(|| (division("กองช่าง"), None)),
                        deadline: None,
                    };
                    let mut tx = db.write(org.id).await?;
                    let done = events::record(&mut tx, org.id, id, &change).await?;
                    anyhow::ensure!(matches!(done, Some(Ok(_))), "demo step {step:?} refused");
                    tx.commit().await?;
                }
            }
        }
    }
    Ok(())
}
