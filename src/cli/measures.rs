//! `prongsai import|export|report measures`: the year's ITA measures from and to files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::db::Db;
use crate::measures::report::{self, Format, ReportSource};
use crate::orgs::store as orgs;
use crate::thai::FiscalYear;

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a measures report in the seed's markdown table format.
    Measures {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: String,
        /// Replace the year's existing measures.
        #[arg(long)]
        replace: bool,
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Export a year's measures.
    Measures {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: String,
        #[arg(long, default_value = "md")]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Render the measures report.
    Measures {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: String,
        /// pdf, docx, html or md.
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

fn parse_year(year: &str) -> anyhow::Result<i64> {
    year.parse::<FiscalYear>().map(|y| y.be() as i64).map_err(|e| anyhow::anyhow!("{} ({e})", e.message_th()))
}

/// Exit code 2 (nothing imported) when the file is refused.
pub(super) async fn import(db: &Db, command: ImportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ImportCommand::Measures { org, year, replace, file } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let year = parse_year(&year)?;
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {} (อ่านไฟล์ไม่ได้)", file.display()))?;
            match crate::measures::import::import(db, org.id, year, &text, replace, "cli").await? {
                Ok(s) => println!(
                    "imported {} measures ({} methods, {} results, {} outcomes) into {} {year}{}",
                    s.measures,
                    s.methods,
                    s.results,
                    s.outcomes,
                    org.slug,
                    if s.replaced > 0 { format!(", replacing {}", s.replaced) } else { String::new() }
                ),
                Err(problem) => {
                    eprintln!("{}: {problem}\nnothing was imported (ไม่ได้นำเข้าข้อมูลใด ๆ)", file.display());
                    return Ok(ExitCode::from(2));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn export(db: &Db, command: ExportCommand) -> anyhow::Result<()> {
    match command {
        ExportCommand::Measures { org, year, format, out } => {
            let format: Format = format.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            write_report(db, &org, &year, format, &out).await?;
        }
    }
    Ok(())
}

pub(super) async fn render(db: &Db, command: ReportCommand) -> anyhow::Result<()> {
    match command {
        ReportCommand::Measures { org, year, format, out } => {
            let format: Format = format.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            write_report(db, &org, &year, format, &out).await?;
        }
    }
    Ok(())
}

async fn write_report(db: &Db, org: &str, year: &str, format: Format, out: &std::path::Path) -> anyhow::Result<()> {
    let org = orgs::require_by_slug(db, org).await?;
    let year = parse_year(year)?;
    let source = ReportSource::load(db, org, year).await?;
    let bytes = report::render(&crate::docs::typeset::Typesetter::unlimited(), &source, format).await?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {} ({} bytes, {} measures)", out.display(), bytes.len(), source.measures.len());
    Ok(())
}
