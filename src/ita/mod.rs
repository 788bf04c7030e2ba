//! The ITA indicator catalogue: the NACC's 10 indicators, versioned by fiscal year.
//!
//! The list is data (`data/ita/YEAR.toml`), loaded into the database by the migration runner, so a change
//! of the NACC's list is an edit of a file, not of handlers.
//!
//! Issue 18 adds an organization's own results and their analysis: scores.rs (SQL), score_file.rs
//! (CSV and text copied from ITAS), analysis.rs (each indicator against the mark, the years and the
//! averages, and the measures that answer it), routes.rs (staff pages), demo.rs; documents/ (the O42
//! and O43 documents, their approval and publication).

pub mod analysis;
pub mod demo;
pub mod documents;
pub mod routes;
pub mod score_file;
pub mod scores;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::db::Db;

/// The tool that measures an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tool {
    /// Internal Integrity and Transparency Assessment (staff survey).
    #[serde(rename = "IIT")]
    Iit,
    /// External Integrity and Transparency Assessment (survey of service users).
    #[serde(rename = "EIT")]
    Eit,
    /// Open-data Integrity and Transparency Assessment (published-information checklist).
    #[serde(rename = "OIT")]
    Oit,
}

impl Tool {
    pub fn code(self) -> &'static str {
        match self {
            Tool::Iit => "IIT",
            Tool::Eit => "EIT",
            Tool::Oit => "OIT",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Indicator {
    pub number: i64,
    pub name_th: String,
    pub name_en: String,
    pub tool: Tool,
}

#[derive(Deserialize)]
struct CatalogueFile {
    fiscal_year: i64,
    indicator: Vec<Indicator>,
    /// The year's grade bands, highest first, where they are known.
    #[serde(default)]
    grade: Vec<GradeBand>,
}

/// A level and the lowest total (in hundredths) that reaches it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct GradeBand {
    pub label: String,
    pub min_x100: i64,
}

/// The level a total of `fiscal_year` reaches by the year's bands; None when the year has none.
pub fn grade_of(fiscal_year: i64, total_x100: i64) -> Option<String> {
    let file: CatalogueFile = FILES
        .iter()
        .filter_map(|text| toml::from_str::<CatalogueFile>(text).ok())
        .find(|f| f.fiscal_year == fiscal_year)?;
    file.grade.into_iter().find(|band| total_x100 >= band.min_x100).map(|band| band.label)
}

/// The shipped catalogue files, one per fiscal year.
const FILES: &[&str] = &[
    include_str!("../../data/ita/2565.toml"),
    include_str!("../../data/ita/2566.toml"),
    include_str!("../../data/ita/2567.toml"),
    include_str!("../../data/ita/2568.toml"),
    include_str!("../../data/ita/2569.toml"),
];

fn parse_files() -> anyhow::Result<Vec<(i64, Vec<Indicator>)>> {
    FILES
        .iter()
        .map(|text| {
            let file: CatalogueFile = toml::from_str(text)?;
            anyhow::ensure!(file.indicator.len() == 10, "ITA {} must list 10 indicators", file.fiscal_year);
            Ok((file.fiscal_year, file.indicator))
        })
        .collect()
}

/// Upserts the shipped catalogue (idempotent: rows already equal to the files are not rewritten).
/// Called by the migration runner, under its lock, after the migrations.
pub async fn load_catalogue(conn: &mut AnyConnection) -> anyhow::Result<()> {
    for (year, indicators) in parse_files()? {
        for i in indicators {
            sqlx::query(
                "INSERT INTO ita_indicators (fiscal_year, number, name_th, name_en, tool) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (fiscal_year, number) DO UPDATE SET name_th = excluded.name_th, name_en = excluded.name_en, tool = excluded.tool
                 WHERE ita_indicators.name_th <> excluded.name_th OR ita_indicators.name_en <> excluded.name_en
                    OR ita_indicators.tool <> excluded.tool",
            )
            .bind(year)
            .bind(i.number)
            .bind(&i.name_th)
            .bind(&i.name_en)
            .bind(i.tool.code())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// True when the database holds every shipped indicator exactly as in the files, so a start
/// needs neither the migration lock nor a write.
pub async fn catalogue_is_loaded(conn: &mut AnyConnection) -> anyhow::Result<bool> {
    let stored: Vec<(i64, i64, String, String, String)> =
        sqlx::query_as("SELECT fiscal_year, number, name_th, name_en, tool FROM ita_indicators")
            .fetch_all(&mut *conn)
            .await?;
    for (year, indicators) in parse_files()? {
        for i in indicators {
            let row = (year, i.number, i.name_th, i.name_en, i.tool.code().to_string());
            if !stored.contains(&row) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// The indicators of a fiscal year; a year without its own list uses the nearest earlier one.
pub async fn indicators(db: &Db, fiscal_year: i64) -> Result<Vec<Indicator>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT number, name_th, name_en, tool FROM ita_indicators
         WHERE fiscal_year = (SELECT COALESCE(MAX(fiscal_year), (SELECT MIN(fiscal_year) FROM ita_indicators))
                              FROM ita_indicators WHERE fiscal_year <= $1)
         ORDER BY number",
    )
    .bind(fiscal_year)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let tool: String = r.try_get(3)?;
            Ok(Indicator {
                number: r.try_get(0)?,
                name_th: r.try_get(1)?,
                name_en: r.try_get(2)?,
                tool: match tool.as_str() {
                    "IIT" => Tool::Iit,
                    "EIT" => Tool::Eit,
                    _ => Tool::Oit,
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_year_lists_ten_indicators_measured_by_the_right_tool() {
        for (year, list) in super::parse_files().unwrap() {
            let tools: Vec<_> = list.iter().map(|i| i.tool.code()).collect();
            assert_eq!(tools, ["IIT", "IIT", "IIT", "IIT", "IIT", "EIT", "EIT", "EIT", "OIT", "OIT"], "{year}");
            assert_eq!(list[3].name_th, "การใช้ทรัพย์สินของราชการ");
        }
    }

    #[test]
    fn a_2565_total_gets_its_level_and_later_years_keep_the_announced_label() {
        assert_eq!(super::grade_of(2565, 9500).as_deref(), Some("AA"));
        assert_eq!(super::grade_of(2565, 8499).as_deref(), Some("B"));
        assert_eq!(super::grade_of(2565, 4999).as_deref(), Some("F"));
        assert_eq!(super::grade_of(2567, 9000), None);
    }
}
