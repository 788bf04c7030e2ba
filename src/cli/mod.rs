//! The `prongsai` command line: one enum of subcommands; `main` parses and dispatches to one
//! module per command group.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::DEFAULT_DATABASE;
use crate::db::{DatabaseUrl, Db};

mod audit;
mod backup;
mod bench;
mod ita;
mod ita_documents;
mod lending;
mod measures;
mod org;
mod publish;
mod serve;
mod services;
mod survey;
mod user;

pub use audit::AuditCommand;
pub use bench::BenchCommand;
pub use ita::ItaCommand;
pub use lending::LendingCommand;
pub use measures::{ExportCommand, ImportCommand, ReportCommand};
pub use org::OrgCommand;
pub use publish::PublishCommand;
pub use services::ServicesCommand;
pub use user::UserCommand;

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
    /// The service catalogue: the citizen manuals' booklet, and the drafts as JSON or CSV.
    Services {
        #[command(subcommand)]
        command: ServicesCommand,
    },
    /// Publishing to the site, LINE and Facebook: the outbox.
    Publish {
        #[command(subcommand)]
        command: PublishCommand,
    },
    /// Satisfaction surveys: QR posters and the yearly report.
    Survey {
        #[command(subcommand)]
        command: survey::SurveyCommand,
    },
    /// ITA results: import an assessed year's scores; documents of their analysis.
    Ita {
        #[command(subcommand)]
        command: ItaCommand,
    },
    /// Measure rendering speed (run a release build for meaningful figures); `bench populate`
    /// fills a database for load tests.
    Bench {
        #[command(flatten)]
        options: crate::docs::bench::BenchOptions,
        #[command(subcommand)]
        command: Option<BenchCommand>,
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
    /// Typeset one document sent on stdin, the PDF to stdout (the server's child for large
    /// documents: docs::pdf::worker).
    #[command(hide = true)]
    RenderWorker,
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Put the demo organization (slug mae-khatuan) and its data into the database.
    Load,
}

/// Parses arguments, runs the command, prints errors in Thai and English.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Before anything is allocated or started: the server's malloc gives large blocks back.
    if matches!(cli.command, Command::Serve { .. }) {
        crate::ops::malloc::restart_tuned();
    }
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

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let url: DatabaseUrl = cli.database_url.parse()?;
    match cli.command {
        Command::Healthcheck { url } => return serve::healthcheck(&url).await,
        Command::RenderWorker => {
            crate::docs::pdf::worker::serve_one(&mut std::io::stdin().lock(), &mut std::io::stdout().lock())?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Bench { options, command: None } => {
            return crate::docs::bench::run(options);
        }
        // Before connecting: a backup must not migrate, a restore target must not be created.
        Command::Backup { out, force } => return backup::backup(&url, &out, force).await,
        Command::Restore { from, force } => return backup::restore(&url, &from, force).await,
        // Before connecting: verify connects read-only, keygen not at all.
        Command::Audit { command } => return audit::run(&url, command).await,
        _ => {}
    }
    let db = Db::connect(&url).await?;
    match cli.command {
        Command::Serve { bind, demo, public_url } => serve::serve(&db, &url, bind, demo, public_url).await?,
        Command::Migrate => println!("migrations applied ({})", crate::config::describe_database(&url)),
        Command::Org { command } => org::run(&db, command).await?,
        Command::Demo { command: DemoCommand::Load } => crate::demo::load(&db).await?,
        Command::User { command } => user::run(&db, command).await?,
        Command::Import { command } => return measures::import(&db, command).await,
        Command::Export { command } => measures::export(&db, command).await?,
        Command::Report { command } => return measures::report(&db, command).await,
        Command::Lending { command } => return lending::run(&db, command).await,
        Command::Services { command } => return services::run(&db, command).await,
        Command::Survey { command } => return survey::run(&db, command).await,
        Command::Ita { command } => return ita::run(&db, command).await,
        Command::Publish { command } => publish::run(&db, command).await?,
        Command::Bench { command: Some(command), .. } => bench::run(&db, command).await?,
        Command::Healthcheck { .. }
        | Command::RenderWorker
        | Command::Bench { command: None, .. }
        | Command::Backup { .. }
        | Command::Restore { .. }
        | Command::Audit { .. } => unreachable!("handled before connecting"),
    }
    Ok(ExitCode::SUCCESS)
}
