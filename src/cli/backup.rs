//! `prongsai backup` and `prongsai restore`; both run before connecting: a backup must not
//! migrate, a restore target must not be created.

use std::path::Path;
use std::process::ExitCode;

use crate::db::DatabaseUrl;

pub(super) async fn backup(url: &DatabaseUrl, out: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let written = crate::db::backup::backup(url, out, force).await?;
    println!("backup written: {} ({} bytes)", written.path.display(), written.bytes);
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn restore(url: &DatabaseUrl, from: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let report = crate::db::backup::restore(url, from, force).await?;
    println!("restored {} into {}", from.display(), crate::config::describe_database(url));
    Ok(print_verify(&report))
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
