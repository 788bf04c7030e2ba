//! `prongsai org`: create and list organizations, choose their digits.

use clap::Subcommand;

use crate::db::Db;
use crate::orgs::store::{self as orgs, NewOrg};

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

pub(super) async fn run(db: &Db, command: OrgCommand) -> anyhow::Result<()> {
    match command {
        OrgCommand::Add { slug, name, kind, province, district, divisions } => {
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
            let org = orgs::create(db, &new, "cli").await?;
            println!("created organization {} ({}) id {}", org.slug, org.name, org.id);
        }
        OrgCommand::List => {
            for o in orgs::list(db).await? {
                println!("{}\t{}\t{}", o.slug, o.name, o.province);
            }
        }
        OrgCommand::Digits { slug, digits } => {
            let org = orgs::require_by_slug(db, &slug).await?;
            let digits = match digits.as_str() {
                "thai" => crate::thai::Digits::Thai,
                "arabic" => crate::thai::Digits::Arabic,
                other => anyhow::bail!("digits must be thai or arabic, not \"{other}\" (เลือก thai หรือ arabic)"),
            };
            orgs::set_digits(db, org.id, digits, "cli").await?;
            println!("{}: {digits:?} digits", org.slug);
        }
    }
    Ok(())
}
