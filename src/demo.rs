//! The demo organization: Mae Khatuan SAO with its FY 2566 measures report (the seed).

use crate::auth::Role;
use crate::auth::users::{self, NewUser};
use crate::db::Db;
use crate::orgs::store::{self as orgs, NewOrg};

pub const SLUG: &str = "mae-khatuan";
pub const ADMIN_USER: &str = "admin";
/// The demo's one password, printed at start: demo data is for trying the system, not for use.
pub const PASSWORD: &str = "prongsai-demo-2566";

/// The seed report, shipped in the repository.
pub const SEED_REPORT: &str = include_str!("../data/seed/mae-khatuan-2566.md");

/// Loads the demo organization unless it is already there (so it is safe to run at every start).
pub async fn load(db: &Db) -> anyhow::Result<()> {
    if orgs::find_by_slug(db, SLUG).await?.is_some() {
        tracing::info!("demo organization already loaded");
        return Ok(());
    }
    let org = orgs::create(
        db,
        &NewOrg {
            slug: SLUG,
            name: "องค์การบริหารส่วนตำบลแม่คะตวน",
            kind: "อบต.",
            province: "ลำปาง",
            district: "สบปราบ",
            divisions: &["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"],
        },
        "demo",
    )
    .await?;
    let divisions = orgs::divisions(db, org.id).await?;
    let division = |name: &str| divisions.iter().find(|d| d.name == name).map(|d| d.id);
    for (username, name, role, div) in [
        (ADMIN_USER, "ผู้ดูแลระบบ อบต.แม่คะตวน", Role::Admin, Some("สำนักปลัด")),
        ("supplies", "เจ้าหน้าที่พัสดุ กองคลัง", Role::Staff, Some("กองคลัง")),
        ("executive", "นายกองค์การบริหารส่วนตำบลแม่คะตวน", Role::Executive, None),
    ] {
        users::create(
            db,
            &NewUser {
                org: org.id,
                username,
                display_name: name,
                password: PASSWORD,
                role,
                division_id: div.and_then(division),
            },
            "demo",
        )
        .await?;
    }
    match crate::measures::import::import(db, org.id, 2566, SEED_REPORT, false, "demo").await? {
        Ok(summary) => tracing::info!(measures = summary.measures, "demo measures loaded"),
        Err(problem) => anyhow::bail!("the shipped seed report does not import: {problem}"),
    }
    publish_seed_report(db, &org).await?;
    crate::lending::demo::load(db, &org).await?;
    crate::services::demo::load(db, &org).await?;
    crate::queue::demo::load(db, &org).await?;
    crate::survey::demo::load(db, &org).await?;
    crate::portal::demo::load(db, &org).await?;
    crate::council::demo::load(db, &org).await?;
    crate::oit::demo::load(db, &org).await?;
    crate::participation::demo::load(db, &org).await?;
    crate::complaints::demo::load(db, &org).await?;
    crate::ita::demo::load(db, &org).await?;
    println!("demo organization {SLUG} loaded (users {ADMIN_USER}, supplies, executive; password {PASSWORD})");
    Ok(())
}

/// The FY 2566 report as the office filed it: approved by its executive at the end of the year and
/// published as version 1 that day (printed on its first request: the demo has no renderer here).
async fn publish_seed_report(db: &Db, org: &crate::orgs::Org) -> anyhow::Result<()> {
    let day = chrono::NaiveDate::from_ymd_opt(2023, 9, 29).expect("valid");
    let approval = crate::measures::publication::rules::ApprovalInput {
        approver_name: DEMO_APPROVER.0.to_string(),
        approver_position: DEMO_APPROVER.1.to_string(),
        approved_on: day,
    };
    // 10:00 in Thailand.
    let published_at = day.and_hms_opt(3, 0, 0).expect("valid").and_utc().timestamp();
    crate::measures::publication::publish::approve_and_record_unprinted(db, org, 2566, &approval, published_at, "demo")
        .await?;
    Ok(())
}

/// The demo's executive as the report's signature block prints them (a made-up person).
pub const DEMO_APPROVER: (&str, &str) = ("นายประเสริฐ ทองดี", "นายกองค์การบริหารส่วนตำบลแม่คะตวน");
