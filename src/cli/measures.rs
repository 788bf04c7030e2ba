//! `prongsai import|export|report measures`: the year's ITA measures from and to files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::db::Db;
use crate::measures::publication::{publish, rules as versions};
use crate::measures::report::{self, Format, ReportSource};
use crate::orgs::store as orgs;
use crate::thai::FiscalYear;

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import a measures report: a Word file (.docx) or the seed's Markdown table (UTF-8 or
    /// TIS-620/Windows-874 text), told apart by content.
    Measures {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: String,
        /// Import over the year's existing measures: measures that match (by title, else by
        /// place) are updated and keep their evidence; those the file lacks are deleted.
        #[arg(long)]
        replace: bool,
        /// Print what the import would change and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import although the file's title names another fiscal year than --year.
        #[arg(long)]
        year_differs: bool,
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
    /// Record the executive's approval (ผู้บริหารเห็นชอบ) of the year's measures report as it
    /// stands now, e.g. --name "นายประเสริฐ ทองดี" --position "นายกองค์การบริหารส่วนตำบลแม่คะตวน".
    Approve {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        position: String,
        /// วัน/เดือน/ปี พ.ศ., e.g. 29/9/2566; default: today.
        #[arg(long)]
        date: Option<String>,
    },
    /// Publish the approved measures report as its next version (PDF, DOCX and HTML stored and
    /// served at /o/SLUG/ita/YEAR/measures). Refused without an approval of the draft as it stands.
    Publish {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: String,
    },
}

fn parse_year(year: &str) -> anyhow::Result<i64> {
    year.parse::<FiscalYear>().map(|y| y.be() as i64).map_err(|e| anyhow::anyhow!("{} ({e})", e.message_th()))
}

/// Exit code 2 (nothing imported) when the file is refused.
pub(super) async fn import(db: &Db, command: ImportCommand) -> anyhow::Result<ExitCode> {
    use crate::measures::import::{self, Expect};
    let ImportCommand::Measures { org, year, replace, dry_run, year_differs, file } = command;
    let org = orgs::require_by_slug(db, &org).await?;
    let year = parse_year(&year)?;
    let bytes = std::fs::read(&file).with_context(|| format!("reading {} (อ่านไฟล์ไม่ได้)", file.display()))?;
    let refuse = |problem: &dyn std::fmt::Display| {
        eprintln!("{}: {problem}\nnothing was imported (ไม่ได้นำเข้าข้อมูลใด ๆ)", file.display());
        Ok(ExitCode::from(2))
    };
    let prepared = match import::prepare(db, year, &bytes).await? {
        Ok(p) => p,
        Err(problem) => return refuse(&problem),
    };
    if dry_run {
        println!("{}", import::preview(db, org.id, year, &prepared).await?.to_text());
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(file_year) = prepared.file_year.filter(|y| *y != year && !year_differs) {
        return refuse(&format!(
            "ชื่อรายงานในไฟล์ระบุปีงบประมาณ {file_year} แต่เลือกนำเข้าเป็นปี {year} (the file's title names fiscal year {file_year}, not {year}: add --year-differs to import it as {year})"
        ));
    }
    let expect = if replace { Expect::Anything } else { Expect::Empty };
    match import::apply(db, org.id, year, &prepared, expect, "cli").await? {
        Ok(s) => println!(
            "imported {} measures ({} methods, {} results, {} outcomes) into {} {year}: {} added, {} changed, {} unchanged, {} removed",
            s.measures, s.methods, s.results, s.outcomes, org.slug, s.added, s.changed, s.unchanged, s.removed
        ),
        Err(conflict) => return refuse(&conflict.problem(year)),
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

/// Exit code 2 (nothing recorded) when an approval or publication is refused.
pub(super) async fn report(db: &Db, command: ReportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ReportCommand::Measures { org, year, format, out } => {
            let format: Format = format.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            write_report(db, &org, &year, format, &out).await?;
        }
        ReportCommand::Approve { org, year, name, position, date } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let fiscal_year = FiscalYear::new(parse_year(&year)? as i32)?;
            let today = crate::thai::today_in_thailand();
            let date = date.unwrap_or_else(|| crate::thai::format_date_field(today, crate::thai::Digits::Arabic));
            let input = match versions::parse_approval(&name, &position, &date, fiscal_year, today) {
                Ok(input) => input,
                Err(errors) => {
                    return refused(&errors.joined(), "the approval's --name, --position or --date is not valid");
                }
            };
            let year = i64::from(fiscal_year.be());
            match publish::approve(db, &org, year, &input, None, "cli").await? {
                Ok(_) => println!("approved the {} {year} measures report as it stands (ผู้บริหารเห็นชอบแล้ว)", org.slug),
                Err(refusal) => return refused(&refusal.message_th(org.digits), &refusal.message_en()),
            }
        }
        ReportCommand::Publish { org, year } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let year = parse_year(&year)?;
            let typesetter = crate::docs::typeset::Typesetter::unlimited();
            match publish::publish(db, &typesetter, &org, year, "cli").await? {
                Ok(v) => println!(
                    "published version {} of the {} {year} measures report (เผยแพร่ฉบับที่ {}): /o/{}/ita/{year}/measures/v/{}",
                    v.number,
                    org.slug,
                    crate::thai::format_int(v.number, org.digits),
                    org.slug,
                    v.number
                ),
                Err(refusal) => return refused(&refusal.message_th(org.digits), &refusal.message_en()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn refused(thai: &str, english: &str) -> anyhow::Result<ExitCode> {
    eprintln!("{thai}\n{english}; nothing was recorded (ไม่ได้บันทึกข้อมูลใด ๆ)");
    Ok(ExitCode::from(2))
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
