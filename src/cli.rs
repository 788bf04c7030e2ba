//! The `prongsai` command line: one enum of subcommands; `main` parses and dispatches.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::auth::Role;
use crate::auth::users::{self, NewUser};
use crate::config::{DEFAULT_DATABASE, Settings};
use crate::db::{DatabaseUrl, Db};
use crate::measures::report::{self, Format, ReportSource};
use crate::orgs::store::{self as orgs, NewOrg};
use crate::thai::FiscalYear;

#[derive(Parser, Debug)]
#[command(
    name = "prongsai",
    version,
    about = "Prongsai (โปร่งใส): ITA integrity and transparency work of a Thai local government, proven in public"
)]
pub struct Cli {
    /// Database: sqlite://PATH (default) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the web server.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Load the demo organization (mae-khatuan) first if it is not there.
        #[arg(long)]
        demo: bool,
        /// Public base URL for links and QR codes (else PRONGSAI_PUBLIC_URL).
        #[arg(long)]
        public_url: Option<String>,
    },
    /// Apply database migrations and load the ITA catalogue.
    Migrate,
    /// Manage organizations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Demo data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import records from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Export records to files.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Render reports.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Lending of government property: documents and the reminder job.
    Lending {
        #[command(subcommand)]
        command: LendingCommand,
    },
    /// Measure rendering speed (run a release build for meaningful figures).
    Bench {
        /// Warm renders to time.
        #[arg(long, default_value_t = 50)]
        iterations: u32,
    },
    /// Back up the database to a file while the server runs (SQLite: a consistent copy;
    /// PostgreSQL: pg_dump's custom format, pg_dump must be installed).
    Backup {
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup into the database of --database-url (empty, or replaced with --force;
    /// never one a server is using), then verify its audit log.
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that has data.
        #[arg(long)]
        force: bool,
    },
    /// Exit 0 when the server at URL answers /healthz.
    Healthcheck {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Create an organization.
    Add {
        #[arg(long)]
        slug: String,
        /// Full Thai name, e.g. องค์การบริหารส่วนตำบลแม่คะตวน.
        #[arg(long)]
        name: String,
        /// อบต., เทศบาลตำบล, เทศบาลเมือง or เทศบาลนคร.
        #[arg(long, default_value = "อบต.")]
        kind: String,
        #[arg(long, default_value = "")]
        province: String,
        #[arg(long, default_value = "")]
        district: String,
        /// A division (repeat the flag); default: สำนักปลัด, กองคลัง, กองช่าง.
        #[arg(long = "division")]
        divisions: Vec<String>,
    },
    /// List organizations.
    List,
    /// Print documents and pages in Thai digits (default) or Arabic digits.
    Digits {
        #[arg(long)]
        slug: String,
        /// thai or arabic.
        #[arg(long)]
        digits: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Put the demo organization (slug mae-khatuan) and its data into the database.
    Load,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user. The password comes from --password, PRONGSAI_PASSWORD or standard input.
    Add {
        #[arg(long)]
        org: String,
        #[arg(long)]
        username: String,
        /// Display name, e.g. นางสาวสมใจ ใจดี.
        #[arg(long)]
        name: String,
        /// admin, staff or executive.
        #[arg(long, default_value = "staff")]
        role: String,
        /// Division name (must exist in the organization).
        #[arg(long)]
        division: Option<String>,
        #[arg(long, env = "PRONGSAI_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Where reminders are e-mailed when SMTP is configured.
        #[arg(long)]
        email: Option<String>,
    },
}

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

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute every hash chain, read-only; exit 1 if anything was changed, added or removed.
    Verify {
        /// Heads recorded earlier from /o/SLUG/audit/head (JSON): the log must still hold them.
        #[arg(long)]
        heads: Option<PathBuf>,
        /// The organization's public key (hex) that signed heads must verify with; default: the
        /// key of PRONGSAI_AUDIT_KEY_FILE if set.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Write a new key for signing the published chain heads (file readable by its owner only).
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
}

/// Parses arguments, runs the command, prints errors in Thai and English.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PRONGSAI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .with_writer(std::io::stderr);
    // One JSON object per line for log collectors; each request's lines carry its id.
    if std::env::var("PRONGSAI_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json().with_current_span(true).with_span_list(false).init();
    } else {
        logs.init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ผิดพลาด (error): {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_year(year: &str) -> anyhow::Result<i64> {
    year.parse::<FiscalYear>().map(|y| y.be() as i64).map_err(|e| anyhow::anyhow!("{} ({e})", e.message_th()))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let url: DatabaseUrl = cli.database_url.parse()?;
    match cli.command {
        Command::Healthcheck { url } => return healthcheck(&url).await,
        Command::Bench { iterations } => return crate::docs::bench::run(iterations),
        // Before connecting: a backup must not migrate, a restore target must not be created.
        Command::Backup { out, force } => {
            let written = crate::db::backup::backup(&url, &out, force).await?;
            println!("backup written: {} ({} bytes)", written.path.display(), written.bytes);
            return Ok(ExitCode::SUCCESS);
        }
        Command::Restore { from, force } => {
            let report = crate::db::backup::restore(&url, &from, force).await?;
            println!("restored {} into {}", from.display(), crate::config::describe_database(&url));
            return Ok(print_verify(&report));
        }
        // Before connecting: verify connects read-only, keygen not at all.
        Command::Audit { command: AuditCommand::Keygen { out } } => return crate::audit::keygen_command(&out),
        Command::Audit { command: AuditCommand::Verify { heads, public_key } } => {
            return crate::audit::verify_command(&url, heads.as_deref(), public_key.as_deref()).await;
        }
        _ => {}
    }
    let db = Db::connect(&url).await?;
    match cli.command {
        Command::Serve { bind, demo, public_url } => {
            if demo {
                crate::demo::load(&db).await?;
            }
            let mut settings = Settings::new(url.clone(), public_url);
            settings.audit_signer = crate::audit::HeadSigner::from_env()?.map(std::sync::Arc::new);
            let listener = tokio::net::TcpListener::bind(&bind)
                .await
                .with_context(|| format!("cannot listen on {bind} (เปิดพอร์ตไม่ได้)"))?;
            let addr = listener.local_addr()?;
            println!("Prongsai is serving http://{addr}/  (database: {})", crate::config::describe_database(&url));
            if demo {
                println!(
                    "Demo organization: http://{addr}/o/{}/   staff login: http://{addr}/login   user: {}   password: {}",
                    crate::demo::SLUG,
                    crate::demo::ADMIN_USER,
                    crate::demo::PASSWORD
                );
            }
            crate::blocking::configure(settings.pool);
            let mailer = crate::mail::Mailer::from_env()?;
            let reminders = crate::lending::reminders::spawn(db.clone(), mailer.clone());
            let state = crate::app::AppState::new(db.clone(), settings).with_mailer(mailer);
            crate::app::serve(state, listener, stop_signal()?).await?;
            // The requests have finished: stop the reminder job between runs, then the pool.
            if tokio::time::timeout(std::time::Duration::from_secs(30), reminders.stop()).await.is_err() {
                tracing::warn!("the reminder job did not stop within 30 s");
            }
            db.pool.close().await;
            println!("Prongsai stopped (ปิดระบบเรียบร้อย)");
        }
        Command::Migrate => println!("migrations applied ({})", crate::config::describe_database(&url)),
        Command::Org { command: OrgCommand::Add { slug, name, kind, province, district, divisions } } => {
            let divisions: Vec<&str> = if divisions.is_empty() {
                vec!["สำนักปลัด", "กองคลัง", "กองช่าง"]
            } else {
                divisions.iter().map(String::as_str).collect()
            };
            let new = NewOrg {
                slug: &slug,
                name: &name,
                kind: &kind,
                province: &province,
                district: &district,
                divisions: &divisions,
            };
            let org = orgs::create(&db, &new, "cli").await?;
            println!("created organization {} ({}) id {}", org.slug, org.name, org.id);
        }
        Command::Org { command: OrgCommand::List } => {
            for o in orgs::list(&db).await? {
                println!("{}\t{}\t{}", o.slug, o.name, o.province);
            }
        }
        Command::Org { command: OrgCommand::Digits { slug, digits } } => {
            let org = orgs::require_by_slug(&db, &slug).await?;
            let digits = match digits.as_str() {
                "thai" => crate::thai::Digits::Thai,
                "arabic" => crate::thai::Digits::Arabic,
                other => anyhow::bail!("digits must be thai or arabic, not \"{other}\" (เลือก thai หรือ arabic)"),
            };
            orgs::set_digits(&db, org.id, digits, "cli").await?;
            println!("{}: {digits:?} digits", org.slug);
        }
        Command::Demo { command: DemoCommand::Load } => crate::demo::load(&db).await?,
        Command::User { command: UserCommand::Add { org, username, name, role, division, password, email } } => {
            let org = orgs::require_by_slug(&db, &org).await?;
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, staff or executive (บทบาทไม่ถูกต้อง)"))?;
            let division_id = match division {
                None => None,
                Some(d) => Some(
                    orgs::divisions(&db, org.id)
                        .await?
                        .into_iter()
                        .find(|x| x.name == d)
                        .ok_or_else(|| anyhow::anyhow!("no division \"{d}\" in {} (ไม่พบกอง/สำนักนี้)", org.slug))?
                        .id,
                ),
            };
            // Checked before the user is created, so a typo does not leave a half-made account.
            if let Some(email) = email.as_deref().filter(|e| !e.trim().is_empty()) {
                anyhow::ensure!(
                    email.contains('@') && !email.trim().contains(char::is_whitespace),
                    "อีเมล “{email}” ไม่ถูกต้อง (not an e-mail address)"
                );
            }
            let password = match password {
                Some(p) => p,
                None => {
                    let mut line = String::new();
                    std::io::stdin().read_to_string(&mut line)?;
                    line.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            let user = users::create(
                &db,
                &NewUser {
                    org: org.id,
                    username: &username,
                    display_name: &name,
                    password: &password,
                    role,
                    division_id,
                },
                "cli",
            )
            .await?;
            if let Some(email) = email {
                users::set_email(&db, org.id, user.id, &email, "cli").await?;
            }
            println!("created user {} ({}) in {}", user.username, role.code(), org.slug);
        }
        Command::Import { command: ImportCommand::Measures { org, year, replace, file } } => {
            let org = orgs::require_by_slug(&db, &org).await?;
            let year = parse_year(&year)?;
            let text =
                std::fs::read_to_string(&file).with_context(|| format!("reading {} (อ่านไฟล์ไม่ได้)", file.display()))?;
            match crate::measures::import::import(&db, org.id, year, &text, replace, "cli").await? {
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
        Command::Export { command: ExportCommand::Measures { org, year, format, out } } => {
            let format: Format = format.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            write_report(&db, &org, &year, format, &out).await?;
        }
        Command::Report { command: ReportCommand::Measures { org, year, format, out } } => {
            let format: Format = format.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            write_report(&db, &org, &year, format, &out).await?;
        }
        Command::Lending { command } => return lending(&db, command).await,
        Command::Healthcheck { .. }
        | Command::Bench { .. }
        | Command::Backup { .. }
        | Command::Restore { .. }
        | Command::Audit { .. } => unreachable!("handled before connecting"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the audit verification of a restored database; failure when its log is not intact.
fn print_verify(report: &crate::audit::Report) -> ExitCode {
    if report.problems.is_empty() {
        println!("audit log intact: {} entries in {} chains", report.entries, report.chains);
        return ExitCode::SUCCESS;
    }
    for p in &report.problems {
        println!("TAMPERED {p}");
    }
    println!(
        "audit log NOT intact: {} problems in {} entries (บันทึกการเปลี่ยนแปลงถูกแก้ไข)",
        report.problems.len(),
        report.entries
    );
    ExitCode::FAILURE
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

/// Resolves on SIGTERM (systemd, `docker stop`) or SIGINT (Ctrl-C).
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        Ok(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(signal = name, "stopping: no new connections, finishing requests in flight");
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

async fn healthcheck(url: &str) -> anyhow::Result<ExitCode> {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(if response.starts_with("HTTP/1.1 200") { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn parse_date_arg(s: &str) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| crate::thai::parse_thai_date(s).ok())
        .ok_or_else(|| anyhow::anyhow!("cannot read the date \"{s}\" (อ่านวันที่ไม่ได้): use 2023-10-01 or 1/10/2566"))
}

async fn lending(db: &Db, command: LendingCommand) -> anyhow::Result<ExitCode> {
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
