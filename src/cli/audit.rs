//! `prongsai audit`: verify the hash chains, make a signing key.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::db::DatabaseUrl;

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

/// Runs before connecting: verify connects read-only, keygen not at all.
pub(super) async fn run(url: &DatabaseUrl, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Keygen { out } => crate::audit::keygen_command(&out),
        AuditCommand::Verify { heads, public_key } => {
            crate::audit::verify_command(url, heads.as_deref(), public_key.as_deref()).await
        }
    }
}
