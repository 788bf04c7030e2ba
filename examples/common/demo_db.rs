//! What the bench examples share: a database with the demo organization loaded.

use anyhow::Context;
use prongsai::db::{DatabaseUrl, Db};
use prongsai::orgs::Org;

/// Connects to `url` (an empty database) or, without one, to a fresh SQLite file in a scratch
/// folder, loads the demo into it and returns the URL used and the demo organization. Keep the folder
/// until the end.
pub async fn open(url: Option<String>) -> anyhow::Result<(tempfile::TempDir, DatabaseUrl, Db, Org)> {
    let scratch = tempfile::tempdir()?;
    let url: DatabaseUrl = match url {
        Some(u) => u.parse()?,
        None => DatabaseUrl::sqlite_file(&scratch.path().join("bench.db")),
    };
    let db = Db::connect(&url).await?;
    prongsai::demo::load(&db).await?;
    let org = prongsai::orgs::store::find_by_slug(&db, prongsai::demo::SLUG).await?.context("the demo organization")?;
    Ok((scratch, url, db, org))
}
