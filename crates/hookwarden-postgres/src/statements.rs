//! The SQL the store sends: each operation is one statement, so one round trip.
//!
//! Time is the database's `clock_timestamp()`, not the instances' clocks: every instance of a
//! receiver agrees on when a claim lapses. (`now()` would be the start of the transaction, which
//! in a handler's transaction can be long ago.)

/// The statements for one table, built once when the store is.
#[derive(Debug)]
pub(crate) struct Statements {
    pub(crate) claim: String,
    pub(crate) commit: String,
    pub(crate) release: String,
    pub(crate) purge: String,
}

/// How many expired rows a claim deletes on its way: more than the one row it may add, so the
/// table does not grow, and few enough that the claim stays quick.
pub(crate) const CLAIM_PURGES: u32 = 4;

impl Statements {
    /// The statements for `table` (a checked identifier, see [`crate::Table`]).
    pub(crate) fn new(table: &str) -> Self {
        Self {
            claim: claim(table),
            commit: commit(table),
            release: format!("DELETE FROM {table} WHERE namespace = $1 AND key = $2 AND token = $3"),
            purge: purge(table, "$1"),
        }
    }
}

/// Deletes up to `limit` expired rows, oldest first, through the `expires_at` index: it reads
/// only the rows it deletes (and skips those another session holds), never the whole table.
///
/// `statement_timestamp()`, not `clock_timestamp()`: a volatile function cannot bound an index
/// scan, so with it PostgreSQL walks the whole index and filters each row. The statement's
/// start is a few microseconds earlier: a row is purged that much later, never sooner.
fn purge_expired(table: &str, limit: &str, spare: &str) -> String {
    format!(
        "DELETE FROM {table} WHERE ctid = ANY (ARRAY(\
            SELECT ctid FROM {table} WHERE expires_at < statement_timestamp(){spare} \
            ORDER BY expires_at LIMIT {limit} FOR UPDATE SKIP LOCKED))"
    )
}

fn purge(table: &str, limit: &str) -> String {
    purge_expired(table, limit, "")
}

/// `$1` namespace, `$2` key, `$3` token, `$4` lease in milliseconds. Answers 0 (fresh: the row
/// now holds `$3`), 1 (duplicate: processed, token NULL) or 2 (in flight: another token).
///
/// The row is written whatever it holds (to itself when it is not taken over), so that the
/// statement always returns the row as it is after any concurrent claim: with `DO NOTHING`, a
/// row inserted by a claim that committed after this statement's snapshot would be invisible
/// to it. A row holding `$3` already is this very claim, sent again on a new connection.
fn claim(table: &str) -> String {
    let purge = purge_expired(table, &CLAIM_PURGES.to_string(), " AND NOT (namespace = $1 AND key = $2)");
    format!(
        "WITH purged AS ({purge}) \
         INSERT INTO {table} AS held (namespace, key, token, expires_at) \
         VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond') \
         ON CONFLICT (namespace, key) DO UPDATE SET \
             token = CASE WHEN held.expires_at <= clock_timestamp() OR held.token = excluded.token \
                 THEN excluded.token ELSE held.token END, \
             expires_at = CASE WHEN held.expires_at <= clock_timestamp() OR held.token = excluded.token \
                 THEN excluded.expires_at ELSE held.expires_at END \
         RETURNING CASE WHEN held.token = $3 THEN 0 WHEN held.token IS NULL THEN 1 ELSE 2 END"
    )
}

/// `$1` namespace, `$2` key, `$3` token, `$4` TTL in milliseconds. Marks the key processed (a
/// NULL token) if `$3` holds it, or the key is free (never claimed, or its claim lapsed, as
/// `MemoryStore` does). Returns a row when it marked, none when another claim holds the key or
/// it is processed already: inside a handler's transaction, no row means "do not commit".
fn commit(table: &str) -> String {
    format!(
        "INSERT INTO {table} AS held (namespace, key, token, expires_at) \
         VALUES ($1, $2, NULL, clock_timestamp() + $4 * interval '1 millisecond') \
         ON CONFLICT (namespace, key) DO UPDATE SET token = NULL, expires_at = excluded.expires_at \
         WHERE held.token = $3 OR held.expires_at <= clock_timestamp() \
         RETURNING 1"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claim_spares_its_own_row_from_the_purge() {
        let statements = Statements::new("hookwarden_replay");
        assert!(statements.claim.contains("AND NOT (namespace = $1 AND key = $2)"));
        assert!(statements.claim.contains("LIMIT 4 FOR UPDATE SKIP LOCKED"));
        assert!(!statements.purge.contains("AND NOT"));
        assert!(statements.release.ends_with("AND token = $3"));
        // A stable function: the index scan is bounded by it (see `purge_expired`).
        assert!(statements.purge.contains("WHERE expires_at < statement_timestamp()"));
    }
}
