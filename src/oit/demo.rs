//! The demo organization's OIT index for FY 2566: the items its site and library answer, the rest
//! left missing, as an office would find it before the assessment.

use super::store::{self, Target};
use crate::db::Db;
use crate::orgs::Org;

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let slug = &org.slug;
    let manual: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM documents WHERE org_id = $1 AND category = 'manual'")
            .bind(org.id.0)
            .fetch_one(&db.pool)
            .await?;
    let mut links = vec![
        ("O5", Target::Url(format!("/o/{slug}/contact"))),
        ("O7", Target::Url(format!("/o/{slug}/news"))),
        ("O15", Target::Url(format!("/o/{slug}/services"))),
        ("O17", Target::Url(format!("/o/{slug}/ita/2566/satisfaction"))),
        ("O42", Target::Url(format!("/o/{slug}/ita/2566/measures"))),
        ("O43", Target::Url(format!("/o/{slug}/ita/2566/measures"))),
    ];
    if let Some(id) = manual {
        links.push(("O14", Target::Document(id)));
    }
    let mut tx = db.write(org.id).await?;
    for (code, target) in links {
        store::add(&mut tx, org.id, 2566, code, &target, "demo").await?;
    }
    tx.commit().await?;
    Ok(())
}
