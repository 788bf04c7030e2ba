//! `prongsai survey`: the QR posters and the yearly report (PDF, XLSX, CSV).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::db::Db;
use crate::orgs::store as orgs;
use crate::survey::documents::build::{self, Format};
use crate::survey::documents::poster::Paper;
use crate::survey::store::{self, Survey, SurveyId};

#[derive(Subcommand, Debug)]
pub enum SurveyCommand {
    /// QR posters for the service points (a page per point and per service of it), each QR the
    /// absolute URL of the form under PRONGSAI_PUBLIC_URL (or --public-url).
    Poster {
        #[arg(long)]
        org: String,
        #[arg(long)]
        out: PathBuf,
        /// Only this service point (its id).
        #[arg(long)]
        point: Option<i64>,
        /// The survey (its id); default: the organization's main survey.
        #[arg(long)]
        survey: Option<i64>,
        /// a4 or a5.
        #[arg(long, default_value = "a4")]
        paper: String,
        #[arg(long)]
        public_url: Option<String>,
    },
    /// The yearly satisfaction report (fiscal year in Buddhist era, e.g. 2569).
    Report {
        #[arg(long)]
        org: String,
        #[arg(long)]
        year: i32,
        /// pdf, xlsx or csv.
        #[arg(long, default_value = "pdf")]
        format: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        survey: Option<i64>,
    },
}

async fn survey_of(db: &Db, org: &crate::orgs::Org, id: Option<i64>) -> anyhow::Result<Survey> {
    match id {
        Some(id) => store::find(db, org.id, SurveyId(id))
            .await?
            .ok_or_else(|| anyhow::anyhow!("ไม่พบแบบประเมินเลขที่ {id} ของ {} (no such survey)", org.slug)),
        None => store::main_survey(db, org.id).await?.ok_or_else(|| {
            anyhow::anyhow!("{} ยังไม่มีแบบประเมินที่เผยแพร่ (the organization has no published survey)", org.slug)
        }),
    }
}

fn write(out: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    // Written beside and renamed, so a reader never sees half a file.
    let tmp = out.with_extension("part");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

pub(super) async fn run(db: &Db, command: SurveyCommand) -> anyhow::Result<ExitCode> {
    let engine = crate::docs::typeset::Typesetter::unlimited();
    match command {
        SurveyCommand::Poster { org, out, point, survey, paper, public_url } => {
            let Some(paper) = Paper::parse(&paper) else { anyhow::bail!("--paper must be a4 or a5, not {paper}") };
            let Some(public_url) =
                public_url.filter(|u| !u.trim().is_empty()).or_else(crate::config::public_url_from_env)
            else {
                anyhow::bail!(
                    "ไม่ได้กำหนดที่อยู่เว็บไซต์สาธารณะ QR จะพาไปผิดที่ จึงไม่ได้พิมพ์โปสเตอร์\n\
                     the public URL is not set; set PRONGSAI_PUBLIC_URL=https://your-site.go.th or pass --public-url"
                );
            };
            let org = orgs::require_by_slug(db, &org).await?;
            let survey = survey_of(db, &org, survey).await?;
            let only = point.map(crate::queue::PointId);
            let pages = build::poster_pages(db, &org, &survey, only, public_url.trim_end_matches('/')).await?;
            if pages.is_empty() {
                anyhow::bail!("ไม่พบจุดบริการเลขที่ {} (no such service point)", point.unwrap_or_default());
            }
            write(&out, &build::poster_pdf(&engine, &org, pages, paper).await?)?;
        }
        SurveyCommand::Report { org, year, format, out, survey } => {
            let Some(format) = Format::parse(&format) else {
                anyhow::bail!("--format must be pdf, xlsx or csv, not {format}")
            };
            let year = crate::thai::FiscalYear::new(year).map_err(|e| anyhow::anyhow!("--year: {e}"))?;
            let org = orgs::require_by_slug(db, &org).await?;
            let survey = survey_of(db, &org, survey).await?;
            write(&out, &build::report_file(db, &engine, &org, &survey, year, format).await?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
