//! `prongsai ita`: an organization's ITA results from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::db::Db;
use crate::ita::score_file;
use crate::ita::scores::{self, Source};
use crate::orgs::store as orgs;

#[derive(Subcommand, Debug)]
pub enum ItaCommand {
    /// Store an assessed year's ITA result from a CSV file (or text copied from the ITAS result page):
    /// one item per line, e.g. `คะแนนรวม,87.57`, `ระดับ,A`, `1,92.45` … `10,76.25`, `O12,ไม่ผ่าน`.
    /// A file with any wrong line is refused whole, naming each line; the year's earlier result is replaced.
    ImportScores {
        #[arg(long)]
        org: String,
        /// The assessed fiscal year, Buddhist era (e.g. 2565).
        #[arg(long)]
        year: i64,
        file: PathBuf,
    },
    /// Write the O42 document: the analysis of the ITA result of YEAR-1 and the measures of YEAR
    /// (an organization with a result for YEAR but not YEAR-1 gets YEAR analysed with the
    /// measures of YEAR+1, said on stderr).
    Analysis {
        #[arg(long)]
        org: String,
        /// The measures' fiscal year N, Buddhist era (e.g. 2566).
        #[arg(long)]
        year: i64,
        /// pdf or docx.
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an O43 progress report of YEAR's measures: --round 6 (October–March) or 12.
    Progress {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: i64,
        #[arg(long)]
        round: u8,
        /// pdf or docx.
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

pub(super) async fn run(db: &Db, command: ItaCommand) -> anyhow::Result<ExitCode> {
    match command {
        ItaCommand::ImportScores { org, year, file } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let year = crate::thai::fiscal::FiscalYear::new(i32::try_from(year).unwrap_or(0))
                .map_err(|e| anyhow::anyhow!("ปีงบประมาณ {year}: {}", e.message_th()))?
                .be() as i64;
            let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("อ่านไฟล์ {} ไม่ได้ ({e})", file.display()))?;
            let source = if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                Source::Csv
            } else {
                Source::Itas
            };
            let result = match score_file::read(&bytes, year, source) {
                Ok(r) => r,
                Err(problems) => {
                    eprintln!(
                        "{}: ไม่ได้นำเข้า ไม่มีคะแนนใดถูกบันทึก (nothing was imported) — {} ปัญหา:",
                        file.display(),
                        problems.len()
                    );
                    for p in &problems {
                        eprintln!("{}: {p}", file.display());
                    }
                    return Ok(ExitCode::from(2));
                }
            };
            let mut tx = db.write(org.id).await?;
            scores::replace(&mut tx, org.id, &result, "cli").await?;
            tx.commit().await?;
            println!(
                "{}: ITA {year} คะแนนรวม {} ระดับ {} — ตัวชี้วัด 10, คำถาม {}, รายการ OIT {} (imported)",
                org.short_name,
                scores::format_score(result.total, crate::thai::digits::Digits::Arabic),
                if result.grade.is_empty() { "-" } else { &result.grade },
                result.questions.len(),
                result.oit_items.len()
            );
        }
        ItaCommand::Analysis { org, year, format, out } => {
            super::ita_documents::analysis(db, &org, year, &format, &out).await?;
        }
        ItaCommand::Progress { org, year, round, format, out } => {
            super::ita_documents::progress(db, &org, year, round, &format, &out).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
