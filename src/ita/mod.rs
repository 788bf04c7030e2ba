//! The ITA indicator catalogue: the NACC's 10 indicators, versioned by fiscal year.
//!
//! The list is data (`data/ita/YEAR.toml`), loaded into the database by the migration runner, so a change
//! of the NACC's list is an edit of a file, not of handlers.

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
}

/// The shipped catalogue files, one per fiscal year.
const FILES: &[&str] = &[
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
}
