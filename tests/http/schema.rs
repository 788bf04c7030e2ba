//! The two migration folders must build the same schema: same tables, same columns.

use std::collections::BTreeSet;

use crate::harness::*;

async fn columns(app: &TestApp) -> BTreeSet<(String, String)> {
    let sql = match app.backend {
        Backend::Sqlite => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'"
        }
    };
    sqlx::query_as::<_, (String, String)>(sql).fetch_all(&app.db.pool).await.unwrap().into_iter().collect()
}

#[tokio::test]
async fn sqlite_and_postgresql_migrations_build_the_same_tables_and_columns() {
    let sqlite = spawn_app(Backend::Sqlite).await.unwrap();
    let Some(pg) = spawn_app(Backend::Postgres).await else { return };
    let (a, b) = (columns(&sqlite).await, columns(&pg).await);
    assert_eq!(a.symmetric_difference(&b).collect::<Vec<_>>(), Vec::<&(String, String)>::new());
    assert!(a.len() > 60);
}
