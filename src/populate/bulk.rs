//! Many rows in few statements: `INSERT INTO t (…) VALUES (…), (…), …` with bound values, in
//! batches under both engines' limit on bound parameters (SQLite 32,766, PostgreSQL 65,535).
//! One statement per row would spend the filling's time in round trips.

use sqlx::AssertSqlSafe;

/// Bound values per statement: well under both engines' limits.
const PARAMETERS_PER_STATEMENT: usize = 8_000;

/// One value of a row.
#[derive(Clone, Debug)]
pub enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(Some(v))
    }
}

impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Self {
        Cell::Int(v)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(Some(v.to_string()))
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(Some(v))
    }
}

impl From<Option<&str>> for Cell {
    fn from(v: Option<&str>) -> Self {
        Cell::Text(v.map(str::to_string))
    }
}

/// Inserts `rows` (each as long as `columns`) into `table` inside the caller's transaction.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<(), sqlx::Error> {
    let per_statement = (PARAMETERS_PER_STATEMENT / columns.len()).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Cell>> = rows.by_ref().take(per_statement).collect();
        let sql = statement(table, columns, batch.len());
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in batch {
            debug_assert_eq!(row.len(), columns.len(), "a row of {table} has as many values as columns");
            for cell in row {
                query = match cell {
                    Cell::Int(v) => query.bind(v),
                    Cell::Text(v) => query.bind(v),
                };
            }
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `INSERT INTO table (a, b) VALUES ($1, $2), ($3, $4)` for `rows` rows.
fn statement(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_numbers_every_value_once() {
        assert_eq!(statement("t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}
