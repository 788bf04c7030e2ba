//! `prongsai services`: the booklet of published citizen manuals, and the drafts as JSON or CSV
//! files (export, import).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::db::Db;
use crate::orgs::store as orgs;
use crate::services::exchange::{self, Format};

#[derive(Subcommand, Debug)]
pub enum ServicesCommand {
    /// The booklet of every published citizen manual (คู่มือสำหรับประชาชน), with its table of
    /// contents (PDF).
    Booklet {
        #[arg(long)]
        org: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Every service's draft manual as a file (JSON or CSV; written to --out, else printed).
    Export {
        #[arg(long)]
        org: String,
        /// json or csv; default: by --out's extension, else json.
        #[arg(long)]
        format: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Saves each manual of a JSON or CSV file as the draft of the service of its name (new
    /// services are added): all of them, or none when a line is wrong (exit code 2).
    Import {
        #[arg(long)]
        org: String,
        /// json or csv; default: by the file's extension or first character.
        #[arg(long)]
        format: Option<String>,
        file: PathBuf,
    },
}

fn format_of(flag: Option<&str>, path: Option<&std::path::Path>, text: &str) -> anyhow::Result<Format> {
    match flag {
        Some(code) => Format::parse(code).ok_or_else(|| anyhow::anyhow!("--format must be json or csv, not {code}")),
        None => Ok(Format::guess(&path.map(|p| p.display().to_string()).unwrap_or_default(), text)),
    }
}

pub(super) async fn run(db: &Db, command: ServicesCommand) -> anyhow::Result<ExitCode> {
    match command {
        ServicesCommand::Booklet { org, out } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let engine = crate::docs::typeset::Typesetter::unlimited();
            let bytes = crate::services::versions::booklet(db, &engine, &org, crate::thai::today_in_thailand())
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!("{} has published no citizen manual yet (ยังไม่ได้ประกาศคู่มือสำหรับประชาชน)", org.slug)
                })?;
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {} ({} bytes)", out.display(), bytes.len());
        }
        ServicesCommand::Export { org, format, out } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let format = match (format.as_deref(), out.as_deref()) {
                (None, None) => Format::Json,
                (flag, path) => format_of(flag, path, "")?,
            };
            let text = exchange::export(db, org.id, format).await?;
            match out {
                Some(out) => {
                    std::fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
                    println!("wrote {}", out.display());
                }
                None => print!("{text}"),
            }
        }
        ServicesCommand::Import { org, format, file } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {} (อ่านไฟล์ไม่ได้)", file.display()))?;
            let refuse = |problem: &dyn std::fmt::Display, line: usize| {
                let at = if line > 0 { format!(" (line {line})") } else { String::new() };
                eprintln!("{}: {problem}{at}\nnothing was imported (ไม่ได้นำเข้าข้อมูลใด ๆ)", file.display());
                Ok(ExitCode::from(2))
            };
            let text = match exchange::decode(&bytes) {
                Ok(text) => text,
                Err(problem) => return refuse(&problem, problem.line),
            };
            let format = format_of(format.as_deref(), Some(&file), &text)?;
            let manuals = match exchange::read(&text, format) {
                Ok(m) => m,
                Err(problem) => return refuse(&problem, problem.line),
            };
            match exchange::import(db, org.id, &manuals, "cli").await? {
                Ok(done) => println!(
                    "imported {} services into {} as drafts: {} added, {} changed",
                    manuals.len(),
                    org.slug,
                    done.created,
                    done.updated
                ),
                Err(problem) => return refuse(&problem, problem.line),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
