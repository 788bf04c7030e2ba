//! Stored codes (roles, statuses, kinds) are decoded strictly: a value the program does not know is
//! an error that names its table, row and value, never a default that could grant a role or move
//! a loan.

use std::str::FromStr;

/// A code column holds a value that no variant has.
#[derive(Debug, thiserror::Error)]
#[error("unknown value {value:?} in {table}.{column} of row {id}")]
pub struct UnknownCode {
    pub table: &'static str,
    pub column: &'static str,
    pub id: i64,
    pub value: String,
}

/// Decodes the `column` of `table` row `id` with `T::from_str`; an unknown value is a
/// [`sqlx::Error::Decode`] carrying an [`UnknownCode`], so it ends as a logged 500.
pub fn decode<T: FromStr>(table: &'static str, column: &'static str, id: i64, value: &str) -> Result<T, sqlx::Error> {
    value.parse().map_err(|_| unknown(table, column, id, value))
}

/// The error for a code not understood (logged here, with where it is).
pub fn unknown(table: &'static str, column: &'static str, id: i64, value: &str) -> sqlx::Error {
    let e = UnknownCode { table, column, id, value: value.to_string() };
    tracing::error!(error = %e, "stored code not understood");
    sqlx::Error::Decode(Box::new(e))
}

/// Implements `FromStr` (error: the unknown text) for an enum with `fn parse(&str) -> Option<Self>`.
#[macro_export]
macro_rules! from_str_by_parse {
    ($t:ty) => {
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$t>::parse(s).ok_or_else(|| s.to_string())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_role_is_an_error_naming_the_row_not_a_role() {
        let e = super::decode::<crate::auth::Role>("users", "role", 7, "superuser").unwrap_err();
        assert_eq!(e.to_string(), "error occurred while decoding: unknown value \"superuser\" in users.role of row 7");
        assert_eq!(super::decode::<crate::auth::Role>("users", "role", 7, "staff").unwrap(), crate::auth::Role::Staff);
    }
}
