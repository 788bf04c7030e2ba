//! `prongsai publish`: the outbox as the operator sees it.

use clap::Subcommand;

use crate::db::Db;
use crate::orgs::store as orgs;
use crate::publishing::{Status, outbox};

#[derive(Subcommand, Debug)]
pub enum PublishCommand {
    /// List an organization's outbox: id, channel, what, status, attempts, next attempt, last error.
    Outbox {
        #[arg(long)]
        org: String,
    },
}

pub(super) async fn run(db: &Db, command: PublishCommand) -> anyhow::Result<()> {
    match command {
        PublishCommand::Outbox { org } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let rows = outbox::all(db, org.id).await?;
            println!("id\tchannel\twhat\tstatus\tattempts\tnext attempt\tlast error");
            let when = |t: Option<i64>| {
                t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                    .unwrap_or_else(|| "-".into())
            };
            for r in &rows {
                let next = if r.status == Status::Waiting { when(r.due_at) } else { "-".into() };
                let error = if r.last_error.is_empty() || r.status == Status::Sent { "-" } else { &r.last_error };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{next}\t{error}",
                    r.id,
                    r.channel.code(),
                    r.title,
                    r.status.code(),
                    r.attempts
                );
            }
            println!("{} rows ({} รายการ)", rows.len(), rows.len());
        }
    }
    Ok(())
}
