//! `bench populate --ita`: a bench organization's five years of ITA results, measures and
//! published reports (plan_ita), written as the product writes them: results and measures in one
//! audited write, each report approved and published by `measures::publication` (its frozen
//! document built from the register, its files printed on first request).

use super::bulk::{self, Cell};
use super::plan_ita::{self, YEARS};
use crate::db::{Db, now};
use crate::orgs::Org;

/// What one organization got.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Added {
    pub results: u64,
    pub measures: u64,
    pub reports: u64,
}

pub async fn add(db: &Db, org: &Org, number: u32) -> anyhow::Result<Added> {
    let mut results = Vec::new();
    let mut scores = Vec::new();
    let mut measures = Vec::new();
    let at = now();
    for year in YEARS {
        let r = plan_ita::result(number, year);
        results.push(vec![
            Cell::from(org.id.0),
            year.into(),
            r.total.into(),
            r.grade.into(),
            "csv".into(),
            "bench".into(),
            at.into(),
        ]);
        for (i, score) in r.indicators.iter().enumerate() {
            scores.push(vec![Cell::from(org.id.0), year.into(), (i as i64 + 1).into(), (*score).into()]);
        }
        // Planned over the whole fiscal year: 1 October of the year before to 30 September.
        let (first, last) = ((year - 544) * 10_000 + 1001, (year - 543) * 10_000 + 930);
        for (position, m) in plan_ita::measures(number, year).into_iter().enumerate() {
            measures.push(vec![
                Cell::from(org.id.0),
                year.into(),
                (position as i64 + 1).into(),
                m.title.into(),
                "สำนักปลัด".into(),
                m.status.into(),
                m.progress.into(),
                at.into(),
                at.into(),
                "fiscal_year".into(),
                first.into(),
                last.into(),
                "ตลอดปีงบประมาณ".into(),
            ]);
        }
    }
    let added = Added { results: results.len() as u64, measures: measures.len() as u64, reports: 0 };
    let mut tx = db.write(org.id).await?;
    bulk::insert(
        &mut tx,
        "ita_results",
        &["org_id", "fiscal_year", "total_x100", "grade", "source", "entered_by", "entered_at"],
        results,
    )
    .await?;
    bulk::insert(&mut tx, "ita_indicator_scores", &["org_id", "fiscal_year", "indicator_number", "score_x100"], scores)
        .await?;
    bulk::insert(
        &mut tx,
        "measures",
        &[
            "org_id",
            "fiscal_year",
            "position",
            "title",
            "responsible",
            "status",
            "progress",
            "created_at",
            "updated_at",
            "period_kind",
            "period_first",
            "period_last",
            "period_text",
        ],
        measures,
    )
    .await?;
    let after = serde_json::json!({ "ita_results": added.results, "measures": added.measures });
    crate::audit::record(&mut tx, org.id, "bench", "populate", "bench_data", &org.slug, None, Some(&after)).await?;
    tx.commit().await?;
    let mut reports = 0;
    for year in YEARS.into_iter().filter(|&year| plan_ita::publishes(number, year)) {
        // Approved and published on 30 September of the year, 10:00 in Thailand.
        let day = chrono::NaiveDate::from_ymd_opt((year - 543) as i32, 9, 30).expect("a valid day");
        let approval = crate::measures::publication::rules::ApprovalInput {
            approver_name: "นายสมศักดิ์ ตั้งใจ".to_string(),
            approver_position: format!("นายก{}", org.name),
            approved_on: day,
        };
        let published_at = crate::lending::day_of(day) * 86_400 + 3 * 3_600;
        crate::measures::publication::publish::approve_and_record_unprinted(
            db,
            org,
            year,
            &approval,
            published_at,
            "bench",
        )
        .await?;
        reports += 1;
    }
    Ok(Added { reports, ..added })
}
