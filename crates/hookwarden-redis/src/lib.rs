//! A hookwarden [`ReplayStore`] on Redis, shared by every instance of a webhook receiver.
//!
//! A receiver that runs on two or more instances behind a load balancer cannot remember
//! processed deliveries in process memory: a copy sent to the other instance would be processed
//! again. [`RedisStore`] keeps the claims in one Redis that every instance shares.
//!
//! # Example
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use hookwarden::scheme::Request;
//! use hookwarden::{Message, Verifier, preset::Stripe};
//! use hookwarden_redis::RedisStore;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Once, at start-up.
//! let store = Arc::new(
//!     RedisStore::connect("redis://127.0.0.1:6379/")
//!         .await?
//!         .prefix("billing:webhooks:")
//!         .timeout(Duration::from_millis(250)),
//! );
//! let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
//!
//! // Per delivery (the adapters in hookwarden-tower and hookwarden-actix do this for you).
//! # let body = b"{}";
//! # let headers = verifier.sign(&Message::new(body))?.to_header_map();
//! let request = Request::new(&headers, body);
//! let mut verified = verifier.verify_request(&request)?;
//! let claim = verifier.claim(&store, &request, &mut verified).await?; // duplicate, in flight, or 503
//! // ... handle the delivery ...
//! claim.commit().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # How it works
//!
//! Each delivery is one Redis string under `prefix + key`:
//!
//! - **claim** sets the key to a token unique to this claim, if it is absent
//!   (`SET key token NX PX ttl`, the TTL capped by the [`lease`](RedisStore::lease)), and
//!   otherwise reads what holds it, in the same atomic script:
//!   the *processed* marker answers [`ClaimOutcome::Duplicate`], another claim's token
//!   [`ClaimOutcome::InFlight`];
//! - **commit** replaces the token by the processed marker for the full TTL, if the key still
//!   holds this claim's token or is gone (the claim lapsed and nobody took the key since);
//! - **release** deletes the key, but only if it still holds this claim's token, so a late
//!   release never frees someone else's claim.
//!
//! Each is one Lua script, sent as one `EVAL` command: an accepted delivery costs two round
//! trips (claim, then commit or release), a duplicate or in-flight copy one. (A call that meets
//! a broken connection is sent once more, on the new connection.)
//!
//! # Faults
//!
//! Every call answers within the store's [`timeout`](RedisStore::timeout) (250 ms by default):
//! a Redis slower than that answers [`StoreErrorKind::Timeout`], an unreachable or failing Redis
//! [`StoreErrorKind::Unavailable`], and a Redis out of memory ([`maxmemory`] with the
//! `noeviction` policy) [`StoreErrorKind::Full`]. The adapters reject all three with
//! `503 Service Unavailable`: the sender retries later, and nothing is processed twice. The
//! connection reconnects by itself (on one server a [`ConnectionManager`]; a cluster connection
//! reloads its slot map; behind a Sentinel the store asks for the primary again): once Redis is
//! back the store answers again, without a restart of the receiver.
//!
//! Processing deliveries without replay protection while Redis is down is an explicit opt-in:
//! [`fail_open`](RedisStore::fail_open).
//!
//! # Deployments
//!
//! | Deployment | How to connect |
//! |---|---|
//! | One server | [`RedisStore::connect`]`("redis://host:6379/")` |
//! | One server, password, database | `connect("redis://user:password@host:6379/2")` |
//! | TLS, a certificate from a public CA | `connect("rediss://host:6380/")` (the platform's trusted roots) |
//! | TLS, a private CA, client certificates | [`RedisStore::builder`]`("rediss://host:6380/")`[`.ca_bundle(pem)`](RedisStoreBuilder::ca_bundle)[`.client_certificate(cert, key)`](RedisStoreBuilder::client_certificate)`.connect()` |
//! | Redis Cluster (plain or `rediss://` nodes) | [`RedisStore::cluster`]`(["redis://node-1:6379/", "redis://node-2:6379/"]).connect()` |
//! | Sentinel | [`RedisStore::sentinel`]`(["redis://sentinel-1:26379/", ..], "service").connect()`, with [`.primary_tls(true)`](RedisStoreBuilder::primary_tls) and [`.primary_auth(..)`](RedisStoreBuilder::primary_auth) as the primary needs |
//! | AWS ElastiCache / MemoryDB, cluster mode disabled | `connect("rediss://:auth-token@primary-endpoint:6379/")` (the primary endpoint follows failovers by DNS) |
//! | AWS ElastiCache / MemoryDB, cluster mode enabled | `cluster(["rediss://:auth-token@configuration-endpoint:6379/"])` |
//! | Azure Cache for Redis | `connect("rediss://:access-key@name.redis.cache.windows.net:6380/")`; clustered tiers: `cluster([..])` |
//! | Google Cloud Memorystore | `connect("rediss://:auth-string@10.0.0.3:6378/")` with `.ca_bundle(server_ca_pem)` (its own CA); Memorystore Cluster: `cluster([discovery endpoint])` |
//! | Redis Cloud, Upstash | `connect("rediss://default:password@host:port/")` |
//!
//! A `rediss://` URL whose server certificate does not check out (an unknown CA, a wrong host
//! name, an expired certificate) fails at start-up with the TLS error; the store never falls
//! back to plain TCP, and never skips the check.
//!
//! Every script of the store touches one key, so on a cluster each operation runs on the
//! primary that owns that key's slot, and two receivers' keys spread over all primaries.
//!
//! # Failovers
//!
//! When a primary dies (Sentinel, Redis Cluster, or a managed service's failover), the
//! deliveries whose keys it held get 503 (`store_unavailable`) until a replica has taken over
//! and the store has found it: the Sentinels are asked again, the cluster's slot map is
//! reloaded, a DNS endpoint reconnects. Nothing restarts; the senders retry.
//!
//! Claims in flight when the primary dies:
//!
//! - Replication is asynchronous: a claim that reached the replica before the primary died
//!   still holds its key on the new primary; copies are told "in flight" (409) until it is
//!   committed or released.
//! - The commit of a delivery whose handler ran during the failover fails (the handler's answer
//!   still goes to the sender). The store sends it again in the background until it lands
//!   (for at most the [`lease`](RedisStore::lease), and 60 s), then copies are duplicates.
//!   One that never lands lets the claim lapse after its lease; a copy after that is processed
//!   again.
//! - A write the dying primary acknowledged but had not passed to its replica is lost: a
//!   claim so lost lets a copy through while the first handler runs. On loopback and in one
//!   data centre that window is well under a millisecond; `min-replicas-to-write 1` on the
//!   primary narrows what a partitioned primary can accept.
//!
//! # Running Redis
//!
//! Give the store a Redis that does not evict keys: `maxmemory-policy noeviction` (the default),
//! or a Redis of its own. An evicted claim would let a replay through. Persistence is optional:
//! a Redis restarted empty forgets the deliveries of the last TTL, which then pass again.
//!
//! The store needs a Tokio runtime with its time driver (`#[tokio::main]`, actix-web's runtime).
//!
//! [`maxmemory`]: https://redis.io/docs/latest/operate/oss_and_stack/management/config/
//! [`StoreErrorKind::Timeout`]: hookwarden::replay::StoreErrorKind::Timeout
//! [`StoreErrorKind::Unavailable`]: hookwarden::replay::StoreErrorKind::Unavailable
//! [`StoreErrorKind::Full`]: hookwarden::replay::StoreErrorKind::Full

#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hookwarden::replay::{StoreErrorKind, StoreFuture};
use hookwarden::{ClaimOutcome, ClaimToken, ReplayKey, ReplayStore, StoreError};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::cluster_async::ClusterConnection;
use redis::{ErrorKind, IntoConnectionInfo, RedisError, RedisResult};

mod backend;
mod builder;
mod sentinel;

use backend::Backend;
pub use builder::RedisStoreBuilder;

/// The `redis` crate this store is built on, for [`RedisStore::new`] and its configuration.
pub use redis;

/// The value of a key whose delivery was processed. Tokens are 32 hex digits, never this.
macro_rules! processed {
    () => {
        "processed"
    };
}

/// Claims `KEYS[1]` with token `ARGV[1]` for `ARGV[2]` ms; 0 fresh, 1 duplicate, 2 in flight.
/// A key already holding this very token is this claim, sent again after a broken connection.
const CLAIM_LUA: &str = concat!(
    "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then\n",
    "  return 0\n",
    "end\n",
    "local held = redis.call('GET', KEYS[1])\n",
    "if held == ARGV[1] then\n",
    "  return 0\n",
    "end\n",
    "if held == '",
    processed!(),
    "' then\n",
    "  return 1\n",
    "end\n",
    "return 2\n",
);

/// Marks `KEYS[1]` processed for `ARGV[2]` ms if it holds token `ARGV[1]` or is gone.
const COMMIT_LUA: &str = concat!(
    "local held = redis.call('GET', KEYS[1])\n",
    "if held == false or held == ARGV[1] then\n",
    "  redis.call('SET', KEYS[1], '",
    processed!(),
    "', 'PX', ARGV[2])\n",
    "  return 1\n",
    "end\n",
    "return 0\n",
);

/// Deletes `KEYS[1]` if it holds token `ARGV[1]`.
const RELEASE_LUA: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Reads `KEYS[1]` and answers 1 whatever it holds: a round trip through the script engine of
/// the key's primary, for [`RedisStore::ping`].
const PING_LUA: &str = "redis.call('EXISTS', KEYS[1])\nreturn 1\n";

/// How long a release spawned in the background may take: nobody waits for it, and giving
/// up early could leave a claim in Redis that nobody holds.
const DETACHED_TIMEOUT: Duration = Duration::from_secs(2);

/// How long a failed commit is sent again in the background at most (and never past the
/// claim's lease), and how often.
const COMMIT_RETRY_FOR: Duration = Duration::from_secs(60);
const COMMIT_RETRY_EVERY: Duration = Duration::from_millis(100);

/// The token a fail-open claim answers with: commit and release treat it as a no-op.
/// Real tokens never have a zero low half (their counter starts at 1).
const FAIL_OPEN_TOKEN: u128 = 0;

/// The longest TTL sent to Redis, in milliseconds (Redis refuses expiries past `i64::MAX` ms).
const MAX_TTL_MS: u64 = 1 << 60;

/// A [`ReplayStore`] on Redis, shared by every instance of a receiver.
///
/// Cloning is cheap: clones share the connection and hand out distinct tokens. Build it with
/// [`connect`](Self::connect) or [`connect_lazy`](Self::connect_lazy) (one server, `redis://`
/// or `rediss://`), [`builder`](Self::builder) (TLS settings of your own),
/// [`cluster`](Self::cluster), [`sentinel`](Self::sentinel), or [`new`](Self::new) on a
/// [`ConnectionManager`] of your own (a tuned configuration).
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use hookwarden::{ClaimOutcome, ReplayKey, ReplayStore};
/// use hookwarden_redis::RedisStore;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = RedisStore::connect("redis://127.0.0.1:6379/").await?;
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
pub struct RedisStore {
    backend: Backend,
    prefix: Arc<str>,
    timeout: Duration,
    fail_open: bool,
    lease: Duration,
    tokens: Arc<Tokens>,
}

impl RedisStore {
    /// The default key prefix.
    pub const DEFAULT_PREFIX: &'static str = "hookwarden:";

    /// The default [`timeout`](Self::timeout).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);

    /// The default [`lease`](Self::lease): 5 minutes.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(5 * 60);

    /// Connects to the Redis at `info` (a URL such as `redis://127.0.0.1:6379/`, see
    /// [`redis::Client::open`]) with [`connection_config`](Self::connection_config).
    ///
    /// # Errors
    ///
    /// The URL is invalid, or Redis cannot be reached now. Use
    /// [`connect_lazy`](Self::connect_lazy) to start while Redis is down.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::connect("redis://127.0.0.1:6379/").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(info: impl IntoConnectionInfo) -> RedisResult<Self> {
        RedisStoreBuilder::single(info).connect().await
    }

    /// Connects to one server, with TLS settings of its own: a private CA, a client
    /// certificate ([`RedisStoreBuilder::ca_bundle`], [`RedisStoreBuilder::client_certificate`]).
    /// A plain `rediss://` URL needs none of them: [`connect`](Self::connect) checks the server
    /// against the platform's trusted roots.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let store = hookwarden_redis::RedisStore::builder("rediss://redis.internal:6380/")
    ///     .ca_bundle(std::fs::read("/etc/ssl/redis-ca.pem")?)
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(info: impl IntoConnectionInfo) -> RedisStoreBuilder {
        RedisStoreBuilder::single(info)
    }

    /// Connects to a Redis Cluster through some of its nodes (`redis://` or `rediss://` URLs;
    /// the others are found from them).
    ///
    /// Each of the store's operations is one script on one key, so it runs on the primary that
    /// owns that key's slot; the connection follows `MOVED` and `ASK` redirections and reloads
    /// the slot map after a failover. While a slot has no primary (its primary died and its
    /// replica has not taken over yet) the deliveries on it get 503 and are retried by their
    /// senders; the others are not disturbed.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::cluster(["redis://10.0.0.1:6379/", "redis://10.0.0.2:6379/"])
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn cluster<I: IntoConnectionInfo>(nodes: impl IntoIterator<Item = I>) -> RedisStoreBuilder {
        RedisStoreBuilder::cluster(nodes)
    }

    /// Connects to the primary of `service` (the name in `sentinel monitor`), as the Sentinels
    /// at `sentinels` name it, and follows it: once a call finds the connection broken, or the
    /// server it reaches no longer the primary (`READONLY`), the store asks the Sentinels
    /// again. During a failover deliveries get 503; after it they are processed again, with no
    /// restart.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::sentinel(
    ///     ["redis://10.0.0.1:26379/", "redis://10.0.0.2:26379/", "redis://10.0.0.3:26379/"],
    ///     "webhooks",
    /// )
    /// .connect()
    /// .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn sentinel<I: IntoConnectionInfo>(
        sentinels: impl IntoIterator<Item = I>,
        service: impl Into<String>,
    ) -> RedisStoreBuilder {
        RedisStoreBuilder::sentinel(sentinels, service)
    }

    /// Like [`connect`](Self::connect), but connects on the first claim: a receiver started
    /// while Redis is down answers 503 until Redis is up.
    ///
    /// # Errors
    ///
    /// The URL is invalid, or this is called outside a Tokio runtime.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::connect_lazy("redis://127.0.0.1:6379/")?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn connect_lazy(info: impl IntoConnectionInfo) -> RedisResult<Self> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(RedisError::from((
                ErrorKind::Client,
                "RedisStore::connect_lazy must be called inside a Tokio runtime",
            )));
        }
        builder::install_crypto_provider();
        let client = redis::Client::open(info)?;
        let connection = ConnectionManager::new_lazy_with_config(client, Self::connection_config())?;
        Ok(Self::new(connection))
    }

    /// A store on `connection`, with the default prefix and timeout, failing closed.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use hookwarden_redis::{RedisStore, redis};
    ///
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let client = redis::Client::open("rediss://user:password@redis.internal:6380/2")?;
    /// let config = RedisStore::connection_config().set_number_of_retries(3);
    /// let connection = redis::aio::ConnectionManager::new_with_config(client, config).await?;
    /// let store = RedisStore::new(connection);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(connection: ConnectionManager) -> Self {
        Self::with_backend(Backend::Single(connection))
    }

    /// A store on a Redis Cluster connection of your own (see [`cluster`](Self::cluster) for
    /// the usual way), with the default prefix and timeout, failing closed.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use hookwarden_redis::{RedisStore, redis};
    ///
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let client = redis::cluster::ClusterClient::builder(["redis://10.0.0.1:6379/"]).retries(1).build()?;
    /// let store = RedisStore::from_cluster(client.get_async_connection().await?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_cluster(connection: ClusterConnection) -> Self {
        Self::with_backend(Backend::Cluster(connection))
    }

    fn with_backend(backend: Backend) -> Self {
        Self {
            backend,
            prefix: Arc::from(Self::DEFAULT_PREFIX),
            timeout: Self::DEFAULT_TIMEOUT,
            fail_open: false,
            lease: Self::DEFAULT_LEASE,
            tokens: Arc::new(Tokens::new()),
        }
    }

    /// The configuration [`connect`](Self::connect) uses: the `redis` crate's defaults, except
    ///
    /// - one connection attempt per reconnection, without retries: while Redis is down, calls
    ///   fail at once ([`StoreErrorKind::Unavailable`], a quick 503) instead of waiting out a
    ///   backoff, and each call starts a new attempt, so the first call after Redis is back
    ///   reconnects;
    /// - a 1 s connection timeout, and a 2 s response timeout after which the connection is
    ///   replaced (a Redis host that vanished without closing the connection).
    ///
    /// # Example
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let config = hookwarden_redis::RedisStore::connection_config();
    /// assert_eq!(config.number_of_retries(), 0);
    /// assert_eq!(config.connection_timeout(), Some(Duration::from_secs(1)));
    /// ```
    pub fn connection_config() -> ConnectionManagerConfig {
        ConnectionManagerConfig::new()
            .set_number_of_retries(0)
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(2)))
    }

    /// Namespaces every key: a delivery is stored under `prefix + key` (default
    /// [`DEFAULT_PREFIX`](Self::DEFAULT_PREFIX)). Give receivers that must not see each
    /// other's deliveries different prefixes.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::connect("redis://127.0.0.1:6379/")
    ///     .await?
    ///     .prefix("billing:webhooks:");
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Arc::from(prefix.into());
        self
    }

    /// How long a call may take, waiting for a reconnection included, before the store answers
    /// [`StoreErrorKind::Timeout`] (default [`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT)).
    /// Keep it well below the sender's own timeout: it is added to every delivery's latency
    /// while Redis is slow.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::connect("redis://127.0.0.1:6379/")
    ///     .await?
    ///     .timeout(Duration::from_millis(100));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether deliveries are processed *without replay protection* when Redis cannot answer
    /// (default `false`: the claim fails and the adapters answer 503).
    ///
    /// With fail-open, a claim that fails answers [`ClaimOutcome::Fresh`] with a token that
    /// commit and release ignore, and logs a `tracing` warning each time: copies of a delivery
    /// that arrive while Redis is down are all processed. Choose it only when a missed delivery
    /// costs more than a delivery processed twice. Commit and release of claims made while Redis
    /// answered still report their errors.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// // Processing twice is harmless here (idempotent handlers); dropping a delivery is not.
    /// let store = hookwarden_redis::RedisStore::connect("redis://127.0.0.1:6379/")
    ///     .await?
    ///     .fail_open(true);
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
    /// delivery for the full TTL.
    ///
    /// The replay TTL is long (a day by default) because it must outlast the sender's retries.
    /// An instance that dies while handling a delivery cannot release its claim, and the
    /// claim outlives it in Redis: without a lease, every retry of that delivery would be
    /// answered "in flight" until the TTL ran out. Keep the lease above your handlers' longest
    /// run; a copy arriving after the lease is processed again.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// # async fn run() -> Result<(), redis::RedisError> {
    /// let store = hookwarden_redis::RedisStore::connect("redis://127.0.0.1:6379/")
    ///     .await?
    ///     .lease(Duration::from_secs(60));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The connection of a store on one server, for other commands; `None` for a cluster or
    /// a Sentinel-monitored primary (use [`ping`](Self::ping) for health checks).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(store: hookwarden_redis::RedisStore) -> Result<(), redis::RedisError> {
    /// if let Some(connection) = store.connection() {
    ///     let _: String = redis::cmd("INFO").arg("memory").query_async(&mut connection.clone()).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn connection(&self) -> Option<&ConnectionManager> {
        match &self.backend {
            Backend::Single(connection) => Some(connection),
            Backend::Cluster(_) | Backend::Sentinel(_) => None,
        }
    }

    /// Checks that the store can answer now, within its [`timeout`](Self::timeout), for a
    /// readiness probe: a script round trip to the server, the primary, or (on a cluster) the
    /// primary of one slot.
    ///
    /// # Errors
    ///
    /// The [`StoreError`] a claim would get now.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn run(store: hookwarden_redis::RedisStore) {
    /// let ready = store.ping().await.is_ok();
    /// # }
    /// ```
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(PING_LUA).arg(1).arg(self.redis_key(&ReplayKey::new("ping")));
        match tokio::time::timeout(self.timeout, self.backend.query(&cmd)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => Err(store_error(err)),
            Err(_elapsed) => Err(StoreError::new(StoreErrorKind::Timeout)),
        }
    }

    fn redis_key(&self, key: &ReplayKey) -> String {
        let mut redis_key = String::with_capacity(self.prefix.len() + key.as_str().len());
        redis_key.push_str(&self.prefix);
        redis_key.push_str(key.as_str());
        redis_key
    }

    /// Runs the Lua `script` on one key, giving up after `timeout`.
    ///
    /// `EVAL` rather than `EVALSHA`: one command, whatever Redis has cached (it caches the
    /// script by its hash, so this costs a few hundred bytes more per call, not a compilation;
    /// and a replica promoted by a failover needs no script loaded first). One key per script,
    /// named in `KEYS`, so that on a cluster the call goes to the slot's primary. A call
    /// dropped at its timeout is not sent if it is still queued; once sent, it runs. A call
    /// that meets a broken connection is sent once more (see `Backend::query`).
    async fn eval(
        &self,
        script: &'static str,
        key: &ReplayKey,
        token: ClaimToken,
        ttl: Option<Duration>,
        timeout: Duration,
    ) -> Result<i64, StoreError> {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(script).arg(1).arg(self.redis_key(key)).arg(format!("{:032x}", token.get()));
        if let Some(ttl) = ttl {
            cmd.arg(ttl_millis(ttl));
        }
        match tokio::time::timeout(timeout, self.backend.query(&cmd)).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(err)) => Err(store_error(err)),
            Err(_elapsed) => Err(StoreError::new(StoreErrorKind::Timeout)),
        }
    }

    async fn claim_inner(&self, key: &ReplayKey, ttl: Duration) -> Result<ClaimOutcome, StoreError> {
        let token = self.tokens.next();
        let result = self.eval(CLAIM_LUA, key, token, Some(ttl.min(self.lease)), self.timeout).await;
        if result.as_ref().is_err_and(|err| err.kind() == StoreErrorKind::Timeout) {
            // The claim may still reach Redis after we gave up on it, and would then hold the
            // key with a token nobody has. Release it: on the same connection, the release
            // runs after the claim, and it deletes only a key holding this token.
            self.release_detached(key.clone(), token);
        }
        match result {
            Ok(0) => Ok(ClaimOutcome::Fresh(token)),
            Ok(1) => Ok(ClaimOutcome::Duplicate),
            Ok(2) => Ok(ClaimOutcome::InFlight),
            Ok(_) => Err(StoreError::unavailable("unexpected reply to the claim script")),
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
        match self.eval(COMMIT_LUA, key, token, Some(ttl), self.timeout).await {
            Ok(0) => {
                tracing::debug!(key = %key, "claim lapsed and another claim holds the key: commit left it alone");
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(err) => {
                if err.kind() != StoreErrorKind::Full {
                    self.commit_detached(key.clone(), token, ttl);
                }
                Err(err)
            }
        }
    }

    /// Keeps sending a commit that failed (Redis unreachable, a failover under way) in the
    /// background, until it lands or the claim's lease is over.
    ///
    /// The handler already ran: if the commit were dropped, the claim would answer "in
    /// flight" until its lease lapsed and the next copy would then be processed again. Sent
    /// again once the new primary (or the restarted server) answers, it marks the delivery
    /// processed: the key still holds this claim's token (the claim had reached the replica),
    /// or is gone (it had not). If the lease lapsed and another claim took the key meanwhile,
    /// the commit leaves it alone, as any late commit does.
    fn commit_detached(&self, key: ReplayKey, token: ClaimToken, ttl: Duration) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let store = self.clone();
        runtime.spawn(async move {
            let give_up = tokio::time::Instant::now() + store.lease.min(ttl).min(COMMIT_RETRY_FOR);
            let timeout = store.timeout.max(DETACHED_TIMEOUT);
            loop {
                tokio::time::sleep(COMMIT_RETRY_EVERY).await;
                match store.eval(COMMIT_LUA, &key, token, Some(ttl), timeout).await {
                    Ok(_) => {
                        tracing::info!(key = %key, "a commit that had failed was sent again and landed");
                        return;
                    }
                    Err(err) if tokio::time::Instant::now() >= give_up => {
                        tracing::warn!(
                            key = %key,
                            error = %err,
                            "could not commit a processed delivery: its claim lapses after its lease, \
                             and a copy arriving later is processed again"
                        );
                        return;
                    }
                    Err(_) => {}
                }
            }
        });
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
        self.eval(RELEASE_LUA, key, token, None, timeout).await?;
        Ok(())
    }
}

impl ReplayStore for RedisStore {
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
    /// nothing: the claim then lapses after its TTL, and until then copies answer "in flight".
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
                            "could not release an abandoned claim: it lapses after its TTL"
                        );
                    }
                });
            }
            Err(_) => tracing::warn!(
                key = %key,
                "no Tokio runtime to release an abandoned claim on: it lapses after its TTL"
            ),
        }
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("deployment", &self.backend.kind())
            .field("prefix", &self.prefix)
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

/// The TTL in whole milliseconds, rounded up so a key never lives shorter than asked, and at
/// least 1 (Redis refuses `PX 0`).
fn ttl_millis(ttl: Duration) -> u64 {
    let millis = ttl.as_millis() + u128::from(!ttl.subsec_nanos().is_multiple_of(1_000_000));
    u64::try_from(millis).unwrap_or(MAX_TTL_MS).clamp(1, MAX_TTL_MS)
}

fn store_error(err: RedisError) -> StoreError {
    if err.is_timeout() {
        StoreError::new(StoreErrorKind::Timeout)
    } else if err.code() == Some("OOM") {
        StoreError::new(StoreErrorKind::Full)
    } else {
        StoreError::unavailable(err)
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
        let b = tokens.next();
        assert_ne!(a, b);
        assert_ne!(a.get(), FAIL_OPEN_TOKEN);
        assert_ne!(a.get() & u128::from(u64::MAX), 0);
        assert_ne!(Tokens::new().instance, tokens.instance);
    }

    #[test]
    fn tokens_never_look_like_the_processed_marker() {
        let token = format!("{:032x}", Tokens::new().next().get());
        assert_eq!(token.len(), 32);
        assert_ne!(token, processed!());
    }

    #[test]
    fn the_scripts_use_the_processed_marker() {
        assert!(CLAIM_LUA.contains("== 'processed' then"));
        assert!(COMMIT_LUA.contains("'processed', 'PX'"));
    }

    #[test]
    fn redis_errors_map_to_store_error_kinds() {
        let timeout = RedisError::from(std::io::Error::from(std::io::ErrorKind::TimedOut));
        assert_eq!(store_error(timeout).kind(), StoreErrorKind::Timeout);
        let refused = RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(store_error(refused).kind(), StoreErrorKind::Unavailable);
    }
}
