//! `prongsai lending`: QR labels, the SOP manual, the loans report, rules, duties, reminders.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::auth::users;
use crate::db::Db;
use crate::orgs::store as orgs;
use crate::thai::FiscalYear;

#[derive(Subcommand, Debug)]
pub enum LendingCommand {
    /// QR labels of every lendable item (PDF). The codes hold the public site's address, so it
    /// must be given: PRONGSAI_PUBLIC_URL, or --public-url (e.g. https://maekhatuan.go.th).
    Labels {
        #[arg(long)]
        org: String,
        #[arg(long)]
        out: PathBuf,
        /// The public site's address the QR codes open (overrides PRONGSAI_PUBLIC_URL).
        #[arg(long)]
        public_url: Option<String>,
    },
    /// The SOP manual คู่มือการยืม-คืนพัสดุ (PDF). Without options: a draft from the organization's
    /// rules. With --issue: issues a version (kept, and published at /o/SLUG/lending/manual.pdf)
    /// approved for --fiscal-year on --approved-on by --approver-name, --approver-position.
    /// With --published: the version the public site serves.
    Manual {
        #[arg(long)]
        org: String,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, conflicts_with = "published", requires_all = ["fiscal_year", "approved_on", "approver_name", "approver_position"])]
        issue: bool,
        #[arg(long)]
        published: bool,
        /// Buddhist-era fiscal year, e.g. 2566.
        #[arg(long)]
        fiscal_year: Option<i32>,
        /// e.g. 2023-10-02 or 2/10/2566.
        #[arg(long)]
        approved_on: Option<String>,
        #[arg(long)]
        approver_name: Option<String>,
        #[arg(long)]
        approver_position: Option<String>,
    },
    /// Loans report for a period (PDF); dates as 2023-10-01 or 1/10/2566; default: this fiscal year.
    Report {
        #[arg(long)]
        org: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Run the daily reminders now (due soon, overdue, follow-up duty).
    Remind,
    /// Print the organization's lending rules (TOML), or set them from a file with --file.
    Rules {
        #[arg(long)]
        org: String,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Give a user lending duties: supplies_head, org_head (comma-separated; empty to remove).
    Duties {
        #[arg(long)]
        org: String,
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "")]
        duties: String,
        /// The holding units (divisions, by name, comma-separated) the user heads: they approve
        /// use inside the premises of those units' items (ข้อ 208). Not given: left as they are.
        #[arg(long)]
        heads: Option<String>,
    },
}

fn parse_date_arg(s: &str) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| crate::thai::parse_thai_date(s).ok())
        .ok_or_else(|| anyhow::anyhow!("cannot read the date \"{s}\" (อ่านวันที่ไม่ได้): use 2023-10-01 or 1/10/2566"))
}

pub(super) async fn run(db: &Db, command: LendingCommand) -> anyhow::Result<ExitCode> {
    use crate::lending::documents::build;
    let engine = crate::docs::typeset::Typesetter::unlimited();
    let write = |out: &std::path::Path, bytes: Vec<u8>| -> anyhow::Result<()> {
        std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
        println!("wrote {} ({} bytes)", out.display(), bytes.len());
        Ok(())
    };
    match command {
        LendingCommand::Labels { org, out, public_url: flag } => {
            // A printed sticker cannot be corrected: never print the local default silently.
            let Some(public_url) = flag.filter(|u| !u.trim().is_empty()).or_else(crate::config::public_url_from_env)
            else {
                anyhow::bail!(
                    "ไม่ได้กำหนดที่อยู่เว็บไซต์สาธารณะ ป้าย QR จะพาไปผิดที่ จึงไม่ได้พิมพ์ป้าย\n\
                     the public URL is not set, so the QR codes would open {} (this machine only); no labels were printed.\n\
                     Set it: PRONGSAI_PUBLIC_URL=https://your-site.go.th prongsai lending labels ... \
                     or pass --public-url https://your-site.go.th",
                    crate::config::DEFAULT_PUBLIC_URL
                );
            };
            let org = orgs::require_by_slug(db, &org).await?;
            write(&out, build::labels_pdf(db, &engine, &org, public_url.trim_end_matches('/')).await?)?;
        }
        LendingCommand::Manual {
            org,
            out,
            issue,
            published,
            fiscal_year,
            approved_on,
            approver_name,
            approver_position,
        } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let bytes = if issue {
                let year = fiscal_year.unwrap_or_default();
                let approval = crate::lending::documents::ManualApproval {
                    fiscal_year: FiscalYear::new(year)
                        .map_err(|e| anyhow::anyhow!("--fiscal-year {year}: {}", e.message_th()))?,
                    approved_on: parse_date_arg(approved_on.as_deref().unwrap_or_default())?,
                    approver_name: approver_name.unwrap_or_default(),
                    approver_position: approver_position.unwrap_or_default(),
                };
                let (id, bytes) = crate::lending::manuals::issue(db, &engine, &org, &approval, "cli")
                    .await?
                    .map_err(|m| anyhow::anyhow!("{m} (the manual was not issued)"))?;
                println!("issued manual version {id} of {} for fiscal year {year}", org.slug);
                bytes
            } else if published {
                crate::lending::manuals::pdf_of(db, &engine, org.id, None)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("{} has not issued a manual yet (ยังไม่ได้ประกาศใช้คู่มือ)", org.slug))?
            } else {
                build::draft_manual_pdf(db, &engine, &org).await?
            };
            match out {
                Some(out) => write(&out, bytes)?,
                None if issue => {}
                None => anyhow::bail!("--out is required (where to write the PDF)"),
            }
        }
        LendingCommand::Report { org, from, to, out } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let fy = FiscalYear::of(crate::lending::today());
            let from = from.as_deref().map(parse_date_arg).transpose()?.unwrap_or(fy.start());
            let to = to.as_deref().map(parse_date_arg).transpose()?.unwrap_or(fy.end());
            write(&out, build::report_pdf(db, &engine, &org, from, to).await?)?;
        }
        LendingCommand::Rules { org, file } => {
            let org = orgs::require_by_slug(db, &org).await?;
            match file {
                None => print!("{}", crate::lending::store_rules::load(db, org.id).await?.to_toml()),
                Some(path) => {
                    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
                    let rules = crate::lending::rules::LendingRules::from_toml(&text)
                        .map_err(|e| anyhow::anyhow!("{}: {} ({e})", path.display(), e.message_th()))?;
                    if let Err(below) = crate::lending::store_rules::save(db, org.id, &rules, "cli").await? {
                        // Nothing was saved: name every refused key with its line in the file.
                        let lines: Vec<String> = below
                            .iter()
                            .map(|b| {
                                let line = crate::lending::floor::line_of(&text, b.field)
                                    .map(|n| format!("บรรทัด {n} "))
                                    .unwrap_or_default();
                                format!("{}: {line}({}) {}", path.display(), b.field, b.message_th())
                            })
                            .collect();
                        anyhow::bail!("{}\nไม่ได้บันทึกระเบียบการยืม (lending rules not saved)", lines.join("\n"));
                    }
                    println!("lending rules of {} set from {}", org.slug, path.display());
                }
            }
        }
        LendingCommand::Remind => {
            let mailer = crate::mail::Mailer::from_env()?;
            let s = crate::lending::reminders::run_all(db, crate::lending::today(), mailer.as_ref()).await?;
            println!("{} due soon, {} overdue, {} notifications written", s.due_soon, s.overdue, s.notifications);
        }
        LendingCommand::Duties { org, username, duties, heads } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let mut parsed = Vec::new();
            for d in duties.split(',').map(str::trim).filter(|d| !d.is_empty()) {
                parsed.push(
                    crate::lending::rules::Duty::parse(d)
                        .ok_or_else(|| anyhow::anyhow!("unknown duty \"{d}\": use supplies_head or org_head"))?,
                );
            }
            let user = users::find_by_username_and_org(db, &username, org.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no user \"{username}\" in {} (ไม่พบผู้ใช้)", org.slug))?;
            crate::lending::set_duties(db, org.id, user.id, &parsed, "cli").await?;
            println!("{username}: duties set to {duties}");
            if let Some(heads) = heads {
                let divisions = orgs::divisions(db, org.id).await?;
                let mut units = Vec::new();
                for name in heads.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let unit = divisions
                        .iter()
                        .find(|d| d.name == name)
                        .ok_or_else(|| anyhow::anyhow!("no division \"{name}\" in {} (ไม่พบหน่วยงานย่อยนี้)", org.slug))?;
                    units.push(unit.id);
                }
                crate::lending::delegation::set_unit_heads(db, org.id, user.id, &units, "cli").await?;
                println!("{username}: heads {heads}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
