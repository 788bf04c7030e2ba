//! `prongsai ita analysis|progress`: the O42 and O43 documents' drafts as files.

use std::path::Path;

use anyhow::Context;

use crate::db::Db;
use crate::docs::typeset::Typesetter;
use crate::ita::documents::{Format, Kind, Round, draft};
use crate::orgs::store as orgs;

fn format_of(format: &str) -> anyhow::Result<Format> {
    Format::parse(format).ok_or_else(|| {
        anyhow::anyhow!("รูปแบบ \"{format}\" ไม่ถูกต้อง ใช้ pdf หรือ docx (unknown format \"{format}\": use pdf or docx)")
    })
}

/// The O42 document of measures year `year` (N): the analysis of N-1. An organization whose
/// latest result is of `year` itself gets that result analysed with the measures of `year` + 1.
pub async fn analysis(db: &Db, slug: &str, year: i64, format: &str, out: &Path) -> anyhow::Result<()> {
    let format = format_of(format)?;
    let org = orgs::require_by_slug(db, slug).await?;
    let assessed: Vec<i64> = crate::ita::scores::years(db, org.id).await?.into_iter().map(|(y, _, _)| y).collect();
    let measures_year = if assessed.contains(&(year - 1)) {
        year
    } else if assessed.contains(&year) {
        eprintln!(
            "ไม่มีผลการประเมินปี {} จึงวิเคราะห์ผลปี {year} กับมาตรการปี {} (no result for {}: analysing {year} with the measures of {})",
            year - 1,
            year + 1,
            year - 1,
            year + 1
        );
        year + 1
    } else {
        anyhow::bail!(
            "{} ไม่มีผลการประเมิน ITA ปีงบประมาณ {} หรือ {} นำเข้าด้วย prongsai ita import-scores ก่อน ({slug} has no ITA scores for {} or {year})",
            org.name,
            year - 1,
            year,
            year - 1
        );
    };
    eprintln!(
        "ปีที่ประเมิน {} มาตรการปี {measures_year} (assessed year {}, measures year {measures_year})",
        measures_year - 1,
        measures_year - 1
    );
    write(db, &org, Kind::Analysis, measures_year, format, out).await
}

/// The O43 progress report of `year`'s measures at `round` months (6 or 12).
pub async fn progress(db: &Db, slug: &str, year: i64, round: u8, format: &str, out: &Path) -> anyhow::Result<()> {
    let format = format_of(format)?;
    let round = match round {
        6 => Round::SixMonths,
        12 => Round::Year,
        other => anyhow::bail!("รอบ {other} ไม่ถูกต้อง ใช้ 6 หรือ 12 (round {other}: use 6 or 12)"),
    };
    let org = orgs::require_by_slug(db, slug).await?;
    write(db, &org, Kind::Progress(round), year, format, out).await
}

async fn write(
    db: &Db,
    org: &crate::orgs::Org,
    kind: Kind,
    year: i64,
    format: Format,
    out: &Path,
) -> anyhow::Result<()> {
    let draft = draft::load(db, org, kind, year).await?.context("no draft (ไม่มีร่างเอกสาร)")?;
    let bytes = draft.doc.render(&Typesetter::unlimited(), format).await?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {} (เขียนไฟล์ไม่ได้)", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}
