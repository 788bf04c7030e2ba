//! The demo organization's ITA results of FY 2564 and 2565 (fictional but plausible) and the
//! analysis of 2565 that leads to the seed's three measures of 2566: indicators 4, 6 and 8 fell
//! below the pass mark, and the office wrote what to fix in each.

use super::scores::{self, ItaResult, Scope, Source};
use crate::db::Db;
use crate::orgs::Org;

/// The 2565 result, as an office would import it (also the README's example of the CSV).
const RESULT_2565: &str = include_str!("../../data/seed/ita-scores-2565.csv");

/// 2564: total, grade, IIT, EIT, OIT and the ten indicators, in hundredths.
const RESULT_2564: (i64, &str, [i64; 3], [i64; 10]) =
    (8448, "B", [2595, 2453, 3400], [9011, 8725, 9140, 8005, 8370, 8090, 8510, 7930, 8875, 8125]);

const ISSUES_2565: &[(i64, &str)] = &[
    (
        4,
        "บุคลากรบางส่วนยังไม่ทราบขั้นตอนการขออนุญาตยืมทรัพย์สินของราชการ และยังไม่มีคู่มือการยืมที่เผยแพร่ให้ทราบทั่วกัน \
         การยืมบางครั้งไม่มีหลักฐานการอนุญาต",
    ),
    (
        6,
        "ผู้รับบริการเห็นว่าการให้บริการยังไม่เป็นไปตามลำดับก่อนหลังและระยะเวลาที่กำหนด ยังไม่มีบัตรคิว \
         และยังไม่มีคู่มือสำหรับประชาชนที่บอกขั้นตอนและระยะเวลาการให้บริการ",
    ),
    (
        8,
        "ผู้รับบริการมีส่วนร่วมในการปรับปรุงการให้บริการน้อย สถานที่ให้บริการยังไม่อำนวยความสะดวกแก่ผู้สูงอายุและผู้พิการ \
         และประชาชนไม่ทราบว่าเข้าร่วมรับฟังการประชุมสภาได้",
    ),
];

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let (total, grade, [iit, eit, oit], indicators) = RESULT_2564;
    let result_2564 = ItaResult {
        fiscal_year: 2564,
        total,
        grade: grade.into(),
        iit: Some(iit),
        eit: Some(eit),
        oit: Some(oit),
        indicators: indicators.to_vec(),
        questions: Vec::new(),
        oit_items: Vec::new(),
        source: Source::Csv,
    };
    let mut result_2565 = super::score_file::parse(RESULT_2565, 2565, Source::Csv)
        .map_err(|p| anyhow::anyhow!("the shipped 2565 scores do not read: {p:?}"))?;
    // The file names the failed items; every other item of the year's list passed.
    let failed: Vec<String> = result_2565.oit_items.iter().map(|(code, _)| code.clone()).collect();
    result_2565.oit_items = crate::oit::items(2565)
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let passed = !failed.contains(&i.code);
            (i.code, passed)
        })
        .collect();
    let mut tx = db.write(org.id).await?;
    scores::replace(&mut tx, org.id, &result_2564, "demo").await?;
    scores::replace(&mut tx, org.id, &result_2565, "demo").await?;
    // The national average of 2565 (87.57, derived from the NACC's figures: shared/notes/ita.md §6);
    // the province's averages are made up.
    scores::set_references(&mut tx, org.id, 2565, Scope::National, &[(0, 8757)], "demo").await?;
    let province = [
        (0, 8912),
        (1, 9305),
        (2, 9010),
        (3, 9420),
        (4, 8655),
        (5, 8870),
        (6, 8790),
        (7, 8905),
        (8, 8530),
        (9, 9120),
        (10, 8810),
    ];
    scores::set_references(&mut tx, org.id, 2565, Scope::Province, &province, "demo").await?;
    for (indicator, issues) in ISSUES_2565 {
        scores::set_note(&mut tx, org.id, 2565, *indicator, issues, "demo").await?;
    }
    tx.commit().await?;
    Ok(())
}
