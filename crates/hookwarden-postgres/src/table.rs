//! [`Table`]: a checked table name, safe to put in the store's SQL.

use std::fmt;

/// The table the store keeps its rows in: `name` or `schema.name`, each part an unquoted SQL
/// identifier (ASCII letters, digits and `_`, not starting with a digit, at most 63 bytes).
///
/// Names are checked because they go into the SQL text (a table name cannot be a bind
/// parameter).
///
/// # Example
///
/// ```
/// use hookwarden_postgres::Table;
///
/// assert_eq!(Table::default().as_str(), "hookwarden_replay");
/// assert!(Table::new("webhooks.replay").is_ok());
/// assert!(Table::new("replay; DROP TABLE orders").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table(String);

impl Table {
    /// The default table, `hookwarden_replay`.
    pub const DEFAULT: &'static str = "hookwarden_replay";

    /// A table named `name` (`replay` or `schema.replay`).
    ///
    /// # Errors
    ///
    /// [`InvalidTable`] when a part is empty, too long, or not a plain identifier.
    pub fn new(name: &str) -> Result<Self, InvalidTable> {
        let parts: Vec<&str> = name.split('.').collect();
        let plain = |part: &&str| {
            !part.is_empty()
                && part.len() <= 63
                && !part.starts_with(|c: char| c.is_ascii_digit())
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        if parts.len() <= 2 && parts.iter().all(plain) {
            Ok(Self(name.to_owned()))
        } else {
            Err(InvalidTable)
        }
    }

    /// The name, as it appears in the SQL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Table {
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

/// A table name that is not `name` or `schema.name` of plain identifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTable;

impl fmt::Display for InvalidTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table name must be `name` or `schema.name` of letters, digits and `_`")
    }
}

impl std::error::Error for InvalidTable {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_are_table_names() {
        for good in ["replay", "a.b", "_x9", "Replay_2"] {
            assert!(Table::new(good).is_ok(), "{good}");
        }
        for bad in ["", ".", "a.", "a.b.c", "9a", "a-b", "a\"b", "a b", "a;b", &"x".repeat(64)] {
            assert!(Table::new(bad).is_err(), "{bad}");
        }
    }
}
