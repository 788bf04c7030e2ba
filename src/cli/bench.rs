//! `prongsai bench populate`: fills a database with bench organizations for load tests
//! (scripts/bench-web.sh). `prongsai bench` alone times report rendering (docs::bench).

use std::time::Instant;

use clap::Subcommand;

use crate::db::Db;
use crate::populate::{self, Sizes};

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Add made-up organizations (bench-0001, …), each with divisions, users, items, loans in
    /// every state, follow-ups and notifications: the others' data beside the one measured.
    /// For load tests only, never on a database in use.
    Populate {
        /// Organizations to add.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=9999))]
        orgs: u32,
        /// Loans in all, and as many follow-ups and as many notifications, spread over them.
        #[arg(long, default_value_t = 300_000)]
        rows: u64,
        /// Also give each five fiscal years (2564–2568) of ITA results, measures in every status
        /// and published reports: the province pages' data (scripts/bench-province.sh).
        #[arg(long)]
        ita: bool,
        /// Only those of the organizations in this province (Thai name, e.g. แม่ฮ่องสอน), with the
        /// same numbers and data as in a whole install: an install of one province.
        #[arg(long)]
        province: Option<String>,
    },
}

pub(super) async fn run(db: &Db, command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Populate { orgs, rows, ita, province } => {
            let started = Instant::now();
            let s = populate::populate(db, Sizes { orgs, rows, ita, province }).await?;
            println!(
                "added {} organizations: {} users, {} items, {} loans, {} follow-ups, {} notifications, \
                 {} ITA results, {} measures, {} published reports in {:.1} s (users' password: {})",
                s.orgs,
                s.users,
                s.items,
                s.loans,
                s.follow_ups,
                s.notifications,
                s.ita_results,
                s.measures,
                s.reports,
                started.elapsed().as_secs_f64(),
                populate::PASSWORD
            );
        }
    }
    Ok(())
}
