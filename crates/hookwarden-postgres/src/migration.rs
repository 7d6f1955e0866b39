//! The schema: one table and one index, created by [`PostgresStore::migrate`] or by the SQL of
//! [`migration_sql`] in your own migrations.

use sqlx::PgPool;

use crate::PostgresStore;

/// The SQL that creates the store's table, `table` (default `hookwarden_replay`), and its index.
/// It can run again safely (`IF NOT EXISTS`).
///
/// - `namespace`: the store's [`namespace`](PostgresStore::namespace), so receivers that must
///   not see each other's deliveries can share a table;
/// - `key`: the replay key, which starts with the verifier's
///   [`scope`](hookwarden::VerifierBuilder::scope) (by default the provider's name), so two
///   verifiers never collide;
/// - `token`: the claim's token while in flight, `NULL` once processed;
/// - `expires_at`: when the claim lapses (in flight) or the delivery is forgotten (processed).
///
/// The index on `expires_at` is what lets expired rows be deleted a few at a time, oldest first,
/// without reading the table.
///
/// # Example
///
/// ```
/// let sql = hookwarden_postgres::migration_sql("hookwarden_replay");
/// assert!(sql.contains("CREATE TABLE IF NOT EXISTS hookwarden_replay"));
/// ```
pub fn migration_sql(table: &str) -> String {
    let index = format!("{}_expires_at", table.rsplit('.').next().unwrap_or(table));
    format!(
        "CREATE TABLE IF NOT EXISTS {table} (\n\
         \x20   namespace  text        NOT NULL,\n\
         \x20   key        text        NOT NULL,\n\
         \x20   token      bytea,\n\
         \x20   expires_at timestamptz NOT NULL,\n\
         \x20   PRIMARY KEY (namespace, key)\n\
         );\n\
         CREATE INDEX IF NOT EXISTS {index} ON {table} (expires_at);\n"
    )
}

/// Runs the migration on `pool` as one simple-protocol query, which PostgreSQL runs as one
/// transaction, under an advisory lock, so that instances starting together do not race to
/// create the table.
pub(crate) async fn migrate(pool: &PgPool, table: &str) -> Result<(), sqlx::Error> {
    // `table` is a checked identifier (`Table`): safe inside the literal.
    // The notices "already exists, skipping" are silenced: running again is the normal case.
    let lock = format!(
        "SET LOCAL client_min_messages = warning;\n\
         SELECT pg_advisory_xact_lock(hashtext('hookwarden-postgres migration {table}'));\n"
    );
    sqlx::raw_sql(&(lock + &migration_sql(table))).execute(pool).await.map(drop)
}

impl PostgresStore {
    /// Creates the store's table and index if they are missing ([`migration_sql`]). Call it
    /// once at start-up, or put [`migration_sql`]'s SQL in your own migrations.
    ///
    /// # Errors
    ///
    /// The database refused (no right to create tables, say) or could not be reached.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect("postgres://localhost/app").await?;
    /// store.migrate().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        migrate(self.pool(), self.table_name()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_named_after_the_table_without_its_schema() {
        let sql = migration_sql("webhooks.replay");
        assert!(sql.contains("CREATE TABLE IF NOT EXISTS webhooks.replay ("));
        assert!(sql.contains("CREATE INDEX IF NOT EXISTS replay_expires_at ON webhooks.replay (expires_at)"));
    }
}
