//! Live figures a measure cites from the working tools, refreshed at every rendering of the
//! report: the report's result is then a fact the system shows, not a claim typed once.

use sqlx::Row;

use super::MeasureId;
use crate::db::Db;
use crate::orgs::{Org, OrgId};
use crate::thai::FiscalYear;

/// The figures a measure can cite: (code, what the staff page calls it).
pub const FIGURES: &[(&str, &str)] = &[
    ("lending.summary", "สถิติการยืม-คืนพัสดุตามคู่มือในปีงบประมาณ (จากระบบยืม-คืนพัสดุ)"),
    ("queue.summary", "สถิติบัตรคิวในปีงบประมาณ: ให้บริการภายในเวลามาตรฐาน เวลารอ และการเรียกนอกลำดับ (จากระบบบัตรคิว)"),
    (
        "survey.summary",
        "ผลการประเมินความพึงพอใจของผู้รับบริการในปีงบประมาณ: ค่าเฉลี่ย ระดับ และจำนวนผู้ตอบ (จากระบบแบบประเมินความพึงพอใจ)",
    ),
    ("council.attendance", "ประชาชนที่เข้าฟังการประชุมสภาในปีงบประมาณ (จากการลงทะเบียนและลงชื่อเข้าร่วม)"),
    ("documents.acknowledged", "จำนวนเจ้าหน้าที่ที่อ่านและรับทราบคู่มือที่กำหนด (จากเอกสารเผยแพร่)"),
    ("complaints.summary", "สถิติเรื่องร้องเรียนในปีงบประมาณ: รับเรื่อง แล้วเสร็จ และแล้วเสร็จภายในกำหนด (จากระบบรับเรื่องร้องเรียน)"),
];

/// The start of what `council.attendance` prints.
const COUNCIL_PREFIX: &str = "ประชาชนเข้าฟังการประชุมสภา ";

/// The cited figures of a year's measures: (measure, code).
pub async fn cited(db: &Db, org: OrgId, year: i64) -> Result<Vec<(MeasureId, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.measure_id, f.figure FROM measure_figures f JOIN measures m ON m.id = f.measure_id
         WHERE f.org_id = $1 AND m.org_id = $1 AND m.fiscal_year = $2 ORDER BY f.measure_id, f.figure",
    )
    .bind(org.0)
    .bind(year)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok((MeasureId(r.try_get(0)?), r.try_get(1)?))).collect()
}

/// Cites or stops citing a figure. Ok(false): the measure is not the organization's.
pub async fn set(db: &Db, org: OrgId, measure: MeasureId, figure: &str, on: bool, actor: &str) -> anyhow::Result<bool> {
    anyhow::ensure!(FIGURES.iter().any(|(c, _)| *c == figure), "unknown figure {figure}");
    let mut tx = db.write(org).await?;
    let own: Option<(i64,)> = sqlx::query_as("SELECT id FROM measures WHERE id = $1 AND org_id = $2")
        .bind(measure.0)
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?;
    if own.is_none() {
        return Ok(false);
    }
    sqlx::query("DELETE FROM measure_figures WHERE measure_id = $1 AND figure = $2 AND org_id = $3")
        .bind(measure.0)
        .bind(figure)
        .bind(org.0)
        .execute(&mut *tx)
        .await?;
    if on {
        sqlx::query("INSERT INTO measure_figures (measure_id, org_id, figure) VALUES ($1, $2, $3)")
            .bind(measure.0)
            .bind(org.0)
            .bind(figure)
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({ "figure": figure, "cited": on });
    crate::audit::record(&mut tx, org, actor, "update", "measure_figure", &measure.0.to_string(), None, Some(&after))
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether `line` is what `figure` prints (with any day's numbers): an exported report carries
/// its cited figures as result lines, which a re-import must not take for typed results.
pub fn is_printed_line(figure: &str, line: &str) -> bool {
    match figure {
        "lending.summary" => line.starts_with("ยืม-คืนพัสดุตามคู่มือในปีงบประมาณ ") && line.contains(" ครั้ง"),
        "queue.summary" => line.starts_with("ให้บริการตามบัตรคิว ") && line.contains(" เรียกนอกลำดับ "),
        "survey.summary" => line.starts_with(crate::survey::results::SUMMARY_PREFIX),
        "council.attendance" => line.starts_with(COUNCIL_PREFIX) && line.contains(" คน"),
        "documents.acknowledged" => line.starts_with(crate::documents::acks::SUMMARY_PREFIX),
        "complaints.summary" => line.starts_with(crate::complaints::stats::SUMMARY_PREFIX),
        _ => false,
    }
}

/// The line a figure prints today, for the report of `year`.
pub async fn render(db: &Db, org: &Org, year: i64, figure: &str) -> anyhow::Result<String> {
    match figure {
        "lending.summary" => {
            let fy = FiscalYear::new(year as i32).map_err(|e| anyhow::anyhow!("{e}"))?;
            let stats =
                crate::lending::stats::stats_for(db, org.id, fy.start(), fy.end(), crate::lending::today()).await?;
            Ok(crate::lending::stats::summary_line(&stats, org.digits))
        }
        "queue.summary" => {
            let fy = FiscalYear::new(year as i32).map_err(|e| anyhow::anyhow!("{e}"))?;
            crate::queue::stats::summary_for(db, org, fy.start(), fy.end()).await
        }
        "survey.summary" => {
            let fy = FiscalYear::new(year as i32).map_err(|e| anyhow::anyhow!("{e}"))?;
            crate::survey::results::summary_line(db, org, fy).await
        }
        "council.attendance" => {
            let fy = FiscalYear::new(year as i32).map_err(|e| anyhow::anyhow!("{e}"))?;
            let from = crate::council::routes::thai_instant(fy.start(), chrono::NaiveTime::MIN);
            let to = crate::council::routes::thai_instant(fy.end() + chrono::Days::new(1), chrono::NaiveTime::MIN);
            let (meetings, people) = crate::council::store::attendance(db, org.id, from, to).await?;
            let n = |v: i64| crate::thai::format_int(v, org.digits);
            Ok(format!(
                "{COUNCIL_PREFIX}{} คน จากการประชุม {} ครั้งในปีงบประมาณ พ.ศ. {} (ลงทะเบียนและลงชื่อเข้าร่วมที่หน้าห้องประชุม)",
                n(people),
                n(meetings),
                crate::thai::format_year_be(year as i32, org.digits)
            ))
        }
        "documents.acknowledged" => crate::documents::acks::summary_line(db, org).await,
        "complaints.summary" => {
            let fy = FiscalYear::new(year as i32).map_err(|e| anyhow::anyhow!("{e}"))?;
            crate::complaints::stats::summary_line(db, org, fy).await
        }
        other => anyhow::bail!("unknown figure {other}"),
    }
}
