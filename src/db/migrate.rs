//! Applies the embedded migrations of the live backend, in order, each in its own transaction.

use anyhow::Context;

use super::{Backend, Db};

/// (name, SQL) per backend; the two lists must name the same files (checked by a test).
pub const MIGRATIONS_SQLITE: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/sqlite/0001_init.sql")),
    ("0002_lending", include_str!("../../migrations/sqlite/0002_lending.sql")),
];
pub const MIGRATIONS_POSTGRES: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/postgres/0001_init.sql")),
    ("0002_lending", include_str!("../../migrations/postgres/0002_lending.sql")),
];

pub async fn run(db: &Db) -> anyhow::Result<()> {
    let migrations = match db.backend {
        Backend::Sqlite => MIGRATIONS_SQLITE,
        Backend::Postgres => MIGRATIONS_POSTGRES,
    };
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        .execute(&db.pool)
        .await?;
    for (name, sql) in migrations {
        let mut tx = db.pool.begin().await?;
        let done: Option<(String,)> = sqlx::query_as("SELECT name FROM schema_migrations WHERE name = $1")
            .bind(*name)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some() {
            continue;
        }
        sqlx::raw_sql(*sql).execute(&mut *tx).await.with_context(|| format!("applying migration {name}"))?;
        sqlx::query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
            .bind(*name)
            .bind(super::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(migration = name, "applied");
    }
    crate::ita::load_catalogue(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn names(dir: &str) -> BTreeSet<String> {
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_migration_files() {
        assert_eq!(names("sqlite"), names("postgres"));
    }

    #[test]
    fn every_migration_file_is_embedded() {
        let embedded: BTreeSet<String> = super::MIGRATIONS_SQLITE.iter().map(|(n, _)| format!("{n}.sql")).collect();
        assert_eq!(embedded, names("sqlite"));
        let pg: Vec<_> = super::MIGRATIONS_POSTGRES.iter().map(|(n, _)| *n).collect();
        let lite: Vec<_> = super::MIGRATIONS_SQLITE.iter().map(|(n, _)| *n).collect();
        assert_eq!(pg, lite);
    }
}
