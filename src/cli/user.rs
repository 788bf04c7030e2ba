//! `prongsai user`: create staff accounts.

use std::io::Read;

use clap::Subcommand;

use crate::auth::Role;
use crate::auth::users::{self, NewUser};
use crate::db::Db;
use crate::orgs::store as orgs;

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

pub(super) async fn run(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { org, username, name, role, division, password, email } => {
            let org = orgs::require_by_slug(db, &org).await?;
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, staff or executive (บทบาทไม่ถูกต้อง)"))?;
            let division_id = match division {
                None => None,
                Some(d) => Some(
                    orgs::divisions(db, org.id)
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
                db,
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
                users::set_email(db, org.id, user.id, &email, "cli").await?;
            }
            println!("created user {} ({}) in {}", user.username, role.code(), org.slug);
        }
    }
    Ok(())
}
