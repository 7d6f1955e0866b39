//! [`PostgresStore`]: the [`ReplayStore`] on PostgreSQL.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hookwarden::replay::{StoreErrorKind, StoreFuture};
use hookwarden::{ClaimOutcome, ClaimToken, ReplayKey, ReplayStore, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool};

use crate::statements::Statements;
use crate::table::Table;

/// How long a release spawned in the background may take: nobody waits for it, and giving up
/// early would leave the claim until its lease lapses.
const DETACHED_TIMEOUT: Duration = Duration::from_secs(2);

/// The token a fail-open claim answers with: commit and release treat it as a no-op.
/// Real tokens never have a zero low half (their counter starts at 1).
const FAIL_OPEN_TOKEN: u128 = 0;

/// The longest TTL sent, in milliseconds: a hundred years (PostgreSQL's timestamps end in the
/// year 294276; `Duration::MAX` must not overflow them).
const MAX_TTL_MS: i64 = 100 * 365 * 24 * 3600 * 1000;

/// How many times a call is sent on a broken connection before it fails: after PostgreSQL
/// restarted, each pooled connection fails once before the pool replaces it.
const ATTEMPTS: usize = 3;

/// A [`ReplayStore`] on PostgreSQL, shared by every instance of a receiver; its commit can also
/// ride in the handler's own transaction ([`begin`](Self::begin), [`ClaimTx`](crate::ClaimTx)).
///
/// Cloning is cheap: clones share the pool and hand out distinct tokens. Build it with
/// [`connect`](Self::connect), [`connect_lazy`](Self::connect_lazy), or [`new`](Self::new) on a
/// [`PgPool`] of your own (the one your handlers use), then run [`migrate`](Self::migrate) once.
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use hookwarden::{ClaimOutcome, ReplayKey, ReplayStore};
/// use hookwarden_postgres::PostgresStore;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = PostgresStore::connect("postgres://postgres@127.0.0.1/app").await?;
/// store.migrate().await?;
/// let key = ReplayKey::new("stripe:id:evt_1");
/// let ttl = Duration::from_secs(600);
///
/// let ClaimOutcome::Fresh(token) = store.claim(&key, ttl).await? else { unreachable!() };
/// assert_eq!(store.claim(&key, ttl).await?, ClaimOutcome::InFlight);
/// store.commit(&key, token, ttl).await?;
/// assert_eq!(store.claim(&key, ttl).await?, ClaimOutcome::Duplicate);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    table: Table,
    statements: Arc<Statements>,
    namespace: Arc<str>,
    timeout: Duration,
    fail_open: bool,
    lease: Duration,
    tokens: Arc<Tokens>,
}

impl PostgresStore {
    /// The default [`timeout`](Self::timeout).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);

    /// The default [`lease`](Self::lease): 5 minutes.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(5 * 60);

    /// Connects a pool of [`pool_options`](Self::pool_options) to the database at `url`
    /// (`postgres://user:password@host:port/database?sslmode=...`).
    ///
    /// # Errors
    ///
    /// The URL is invalid, or the database cannot be reached now. Use
    /// [`connect_lazy`](Self::connect_lazy) to start while it is down.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect("postgres://localhost/app").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Ok(Self::new(Self::pool_options().connect(url).await?))
    }

    /// Like [`connect`](Self::connect), but connects on the first call: a receiver started
    /// while the database is down answers 503 until it is up.
    ///
    /// # Errors
    ///
    /// The URL is invalid.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect_lazy("postgres://localhost/app")?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn connect_lazy(url: &str) -> Result<Self, sqlx::Error> {
        let options: PgConnectOptions = url.parse()?;
        Ok(Self::new(Self::pool_options().connect_lazy_with(options)))
    }

    /// The pool options [`connect`](Self::connect) uses: sqlx's defaults, except
    ///
    /// - no ping before a pooled connection is handed out (`test_before_acquire(false)`): a
    ///   call is one round trip, and the store itself sends a call again when it meets a
    ///   connection that broke (PostgreSQL restarted);
    /// - a 1 s acquire timeout: while the database is down, calls fail quickly (503) rather
    ///   than queue.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let pool = hookwarden_postgres::PostgresStore::pool_options()
    ///     .max_connections(32)
    ///     .connect("postgres://localhost/app")
    ///     .await?;
    /// let store = hookwarden_postgres::PostgresStore::new(pool);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pool_options() -> PgPoolOptions {
        PgPoolOptions::new().test_before_acquire(false).acquire_timeout(Duration::from_secs(1))
    }

    /// A store on `pool`, with the default table (`hookwarden_replay`), an empty namespace,
    /// the default timeout and lease, failing closed.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let pool = sqlx::PgPool::connect("postgres://localhost/app").await?;
    /// let store = hookwarden_postgres::PostgresStore::new(pool.clone());
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(pool: PgPool) -> Self {
        let table = Table::default();
        Self {
            pool,
            statements: Arc::new(Statements::new(table.as_str())),
            table,
            namespace: Arc::from(""),
            timeout: Self::DEFAULT_TIMEOUT,
            fail_open: false,
            lease: Self::DEFAULT_LEASE,
            tokens: Arc::new(Tokens::new()),
        }
    }

    /// The table the store keeps its rows in (default `hookwarden_replay`, in the connection's
    /// `search_path`), such as `webhooks.replay`. Run [`migrate`](Self::migrate) after.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use hookwarden_postgres::{PostgresStore, Table};
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let store = PostgresStore::connect("postgres://localhost/app").await?.table(Table::new("webhooks.replay")?);
    /// store.migrate().await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn table(mut self, table: Table) -> Self {
        self.statements = Arc::new(Statements::new(table.as_str()));
        self.table = table;
        self
    }

    /// Separates receivers that share a table but must not see each other's deliveries
    /// (default: empty). Within one receiver, keys are already scoped per verifier
    /// ([`VerifierBuilder::scope`](hookwarden::VerifierBuilder::scope)).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect("postgres://localhost/app").await?.namespace("billing");
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Arc::from(namespace.into());
        self
    }

    /// How long a call may take, a wait for a pooled connection included, before the store
    /// answers [`StoreErrorKind::Timeout`] (default [`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT)).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect("postgres://localhost/app")
    ///     .await?
    ///     .timeout(std::time::Duration::from_millis(250));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether deliveries are processed *without replay protection* when the database cannot
    /// answer a claim (default `false`: the claim fails and the adapters answer 503).
    ///
    /// With fail-open, a claim that fails answers [`ClaimOutcome::Fresh`] with a token that
    /// commit and release ignore, and logs a `tracing` warning each time. Choose it only when a
    /// missed delivery costs more than a delivery processed twice. It cannot help the
    /// transactional mode: a handler whose transaction cannot begin is answered 503 anyway.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect("postgres://localhost/app").await?.fail_open(true);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn fail_open(mut self, enabled: bool) -> Self {
        self.fail_open = enabled;
        self
    }

    /// The longest a claim stays in flight (default [`DEFAULT_LEASE`](Self::DEFAULT_LEASE)):
    /// a claim is held for the shorter of its TTL and the lease; commit then remembers the
    /// delivery for the full TTL. An instance that dies while handling a delivery cannot
    /// release its claim: the lease is how long its retries are answered "in flight". Keep it
    /// above your handlers' longest run.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let store = hookwarden_postgres::PostgresStore::connect("postgres://localhost/app")
    ///     .await?
    ///     .lease(std::time::Duration::from_secs(60));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The pool the store uses: the one to run your handlers' queries on, so that their
    /// transactions and the store's rows are in one database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The table's name, as given to [`table`](Self::table).
    pub(crate) fn table_name(&self) -> &str {
        self.table.as_str()
    }

    /// Deletes up to `limit` expired rows, oldest first, through the `expires_at` index, and
    /// returns how many it deleted. Claims already delete a few on their way, so the table does
    /// not grow; call this from a periodic job to empty it sooner after a burst.
    ///
    /// # Errors
    ///
    /// The database could not answer.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(store: hookwarden_postgres::PostgresStore) -> Result<(), sqlx::Error> {
    /// while store.purge_expired(1_000).await? == 1_000 {}
    /// # Ok(())
    /// # }
    /// ```
    pub async fn purge_expired(&self, limit: u32) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(&self.statements.purge).bind(i64::from(limit)).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    /// Sends the statement `sql` for `key` and `token` (and `millis`, when given) on a pooled
    /// connection, again on a broken one, within `timeout`; returns its first column, if a row.
    async fn call(
        &self,
        sql: &str,
        key: &ReplayKey,
        token: ClaimToken,
        millis: Option<i64>,
        timeout: Duration,
    ) -> Result<Option<i32>, StoreError> {
        let token = token.get().to_be_bytes();
        let call = async {
            let mut attempt = 1;
            loop {
                let mut query = sqlx::query_scalar::<_, i32>(sql)
                    .bind(&*self.namespace)
                    .bind(key.as_str())
                    .bind(&token[..]);
                if let Some(millis) = millis {
                    query = query.bind(millis);
                }
                match query.fetch_optional(&self.pool).await {
                    Err(err) if attempt < ATTEMPTS && is_broken_connection(&err) => attempt += 1,
                    result => return result,
                }
            }
        };
        match tokio::time::timeout(timeout, call).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(err)) => Err(store_error(err)),
            Err(_elapsed) => Err(StoreError::new(StoreErrorKind::Timeout)),
        }
    }

    async fn claim_inner(&self, key: &ReplayKey, ttl: Duration) -> Result<ClaimOutcome, StoreError> {
        let token = self.tokens.next();
        let lease = ttl_millis(ttl.min(self.lease));
        let result = self.call(&self.statements.claim, key, token, Some(lease), self.timeout).await;
        if result.as_ref().is_err_and(|err| err.kind() == StoreErrorKind::Timeout) {
            // The claim may still land after we gave up on it, and would then hold the key
            // with a token nobody has: release it (it deletes only a row holding this token).
            self.release_detached(key.clone(), token);
        }
        match result {
            Ok(Some(0)) => Ok(ClaimOutcome::Fresh(token)),
            Ok(Some(1)) => Ok(ClaimOutcome::Duplicate),
            Ok(Some(2)) => Ok(ClaimOutcome::InFlight),
            Ok(_) => Err(StoreError::unavailable("unexpected reply to the claim statement")),
            Err(err) if self.fail_open => {
                tracing::warn!(
                    key = %key,
                    error = %err,
                    "replay store could not answer: processing the delivery WITHOUT replay protection (fail-open)"
                );
                Ok(ClaimOutcome::Fresh(ClaimToken::new(FAIL_OPEN_TOKEN)))
            }
            Err(err) => Err(err),
        }
    }

    async fn commit_inner(
        &self,
        key: &ReplayKey,
        token: ClaimToken,
        ttl: Duration,
    ) -> Result<(), StoreError> {
        if token.get() == FAIL_OPEN_TOKEN {
            return Ok(());
        }
        let marked =
            self.call(&self.statements.commit, key, token, Some(ttl_millis(ttl)), self.timeout).await?;
        if marked.is_none() {
            tracing::debug!(key = %key, "claim lapsed and another claim holds the key: commit left it alone");
        }
        Ok(())
    }

    async fn release_inner(
        &self,
        key: &ReplayKey,
        token: ClaimToken,
        timeout: Duration,
    ) -> Result<(), StoreError> {
        if token.get() == FAIL_OPEN_TOKEN {
            return Ok(());
        }
        self.call(&self.statements.release, key, token, None, timeout).await.map(drop)
    }

    /// Marks `key` processed on `connection` (inside the caller's transaction): the one
    /// statement the transactional mode adds. Returns whether it marked; `false` means another
    /// claim holds the key, or it is processed already, and the transaction must not commit.
    pub(crate) async fn mark_processed(
        &self,
        connection: &mut PgConnection,
        key: &ReplayKey,
        token: ClaimToken,
        ttl: Duration,
    ) -> Result<bool, sqlx::Error> {
        let marked = sqlx::query_scalar::<_, i32>(&self.statements.commit)
            .bind(&*self.namespace)
            .bind(key.as_str())
            .bind(&token.get().to_be_bytes()[..])
            .bind(ttl_millis(ttl))
            .fetch_optional(connection)
            .await?;
        Ok(marked.is_some())
    }
}

impl ReplayStore for PostgresStore {
    fn claim<'a>(&'a self, key: &'a ReplayKey, ttl: Duration) -> StoreFuture<'a, ClaimOutcome> {
        Box::pin(self.claim_inner(key, ttl))
    }

    fn commit<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken, ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(self.commit_inner(key, token, ttl))
    }

    fn release<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken) -> StoreFuture<'a, ()> {
        Box::pin(self.release_inner(key, token, self.timeout))
    }

    /// Spawns the release on the current Tokio runtime. Outside one it logs a warning and does
    /// nothing: the claim then lapses after its lease, and until then copies answer "in flight".
    fn release_detached(&self, key: ReplayKey, token: ClaimToken) {
        if token.get() == FAIL_OPEN_TOKEN {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let store = self.clone();
                runtime.spawn(async move {
                    let timeout = store.timeout.max(DETACHED_TIMEOUT);
                    if let Err(err) = store.release_inner(&key, token, timeout).await {
                        tracing::warn!(
                            key = %key,
                            error = %err,
                            "could not release an abandoned claim: it lapses after its lease"
                        );
                    }
                });
            }
            Err(_) => tracing::warn!(
                key = %key,
                "no Tokio runtime to release an abandoned claim on: it lapses after its lease"
            ),
        }
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("table", &self.table)
            .field("namespace", &self.namespace)
            .field("timeout", &self.timeout)
            .field("fail_open", &self.fail_open)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

/// Hands out tokens no other claim uses: a random instance id in the high half, a counter
/// starting at 1 in the low half.
#[derive(Debug)]
struct Tokens {
    instance: u64,
    next: AtomicU64,
}

impl Tokens {
    fn new() -> Self {
        // The OS's randomness; failing that, std's randomly keyed hasher.
        let instance = getrandom::u64().unwrap_or_else(|_| RandomState::new().hash_one(std::process::id()));
        Self { instance, next: AtomicU64::new(1) }
    }

    fn next(&self) -> ClaimToken {
        let count = self.next.fetch_add(1, Ordering::Relaxed);
        ClaimToken::new((u128::from(self.instance) << 64) | u128::from(count))
    }
}

/// The TTL in whole milliseconds, rounded up so a row never lives shorter than asked, at least
/// 1, at most [`MAX_TTL_MS`].
fn ttl_millis(ttl: Duration) -> i64 {
    let millis = ttl.as_millis() + u128::from(!ttl.subsec_nanos().is_multiple_of(1_000_000));
    i64::try_from(millis).unwrap_or(MAX_TTL_MS).clamp(1, MAX_TTL_MS)
}

/// A connection that broke under the call (the server restarted, or closed it): the pool drops
/// it, and the call can go again on another.
fn is_broken_connection(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_) => true,
        // 57P01 admin_shutdown, 57P02 crash_shutdown: the server is going away.
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("57P01" | "57P02")),
        _ => false,
    }
}

fn store_error(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::PoolTimedOut => StoreError::new(StoreErrorKind::Timeout),
        // Class 53, insufficient resources: disk full, out of memory, too many connections.
        sqlx::Error::Database(db) if db.code().is_some_and(|code| code.starts_with("53")) => {
            StoreError::new(StoreErrorKind::Full)
        }
        _ => StoreError::unavailable(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_round_up_to_whole_milliseconds() {
        assert_eq!(ttl_millis(Duration::ZERO), 1);
        assert_eq!(ttl_millis(Duration::from_nanos(1)), 1);
        assert_eq!(ttl_millis(Duration::from_micros(1_500)), 2);
        assert_eq!(ttl_millis(Duration::from_secs(600)), 600_000);
        assert_eq!(ttl_millis(Duration::MAX), MAX_TTL_MS);
    }

    #[test]
    fn tokens_are_distinct_and_never_the_fail_open_token() {
        let tokens = Tokens::new();
        let a = tokens.next();
        assert_ne!(a, tokens.next());
        assert_ne!(a.get() & u128::from(u64::MAX), 0);
        assert_ne!(a.get(), FAIL_OPEN_TOKEN);
    }

    #[test]
    fn database_errors_map_to_store_error_kinds() {
        assert_eq!(store_error(sqlx::Error::PoolTimedOut).kind(), StoreErrorKind::Timeout);
        let refused = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(is_broken_connection(&refused));
        assert_eq!(store_error(refused).kind(), StoreErrorKind::Unavailable);
    }
}
