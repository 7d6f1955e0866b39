//! The primary of a Sentinel-monitored service, followed across failovers.
//!
//! The `redis` crate's `SentinelClient` answers "which server is the primary now" (asking the
//! Sentinels, then checking with `ROLE` that the server agrees); it does not keep a connection
//! to it. [`SentinelPrimary`] keeps one, and asks again whenever the one it has stops being the
//! primary: the connection breaks (the primary died), or a write is refused with `READONLY`
//! (the old primary came back as a replica of the new one).

use std::sync::{Arc, PoisonError, RwLock};

use redis::aio::MultiplexedConnection;
use redis::sentinel::SentinelClient;
use redis::{AsyncConnectionConfig, Cmd, RedisError, RedisResult};

/// A connection to the current primary; clones share it.
#[derive(Clone)]
pub(crate) struct SentinelPrimary {
    inner: Arc<Inner>,
}

struct Inner {
    /// Held while the primary is looked up and connected to, so that one lookup serves every
    /// call that found the connection stale at the same time.
    lookup: tokio::sync::Mutex<Lookup>,
    current: RwLock<Option<Current>>,
    config: AsyncConnectionConfig,
}

struct Lookup {
    sentinel: SentinelClient,
    /// Connections made so far.
    generation: u64,
}

#[derive(Clone)]
struct Current {
    /// Counts the connections made, so that a call replaces only the one it saw fail.
    generation: u64,
    connection: MultiplexedConnection,
}

impl SentinelPrimary {
    /// Looks up the primary now and connects to it.
    pub(crate) async fn connect(
        sentinel: SentinelClient,
        config: AsyncConnectionConfig,
    ) -> RedisResult<Self> {
        let primary = Self {
            inner: Arc::new(Inner {
                lookup: tokio::sync::Mutex::new(Lookup { sentinel, generation: 0 }),
                current: RwLock::new(None),
                config,
            }),
        };
        primary.reconnect(None).await?;
        Ok(primary)
    }

    /// Sends `cmd` to the primary; on a connection that broke or no longer leads to the
    /// primary, looks the primary up again and sends it once more.
    pub(crate) async fn query(&self, cmd: &Cmd) -> RedisResult<i64> {
        let mut current = match self.current() {
            Some(current) => current,
            None => self.reconnect(None).await?,
        };
        match cmd.query_async::<i64>(&mut current.connection).await {
            Err(err) if not_the_primary(&err) => {
                let mut current = self.reconnect(Some(current.generation)).await?;
                cmd.query_async::<i64>(&mut current.connection).await
            }
            result => result,
        }
    }

    fn current(&self) -> Option<Current> {
        self.inner.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the connection of generation `stale` (or a missing one) with a connection to
    /// the primary the Sentinels name now. A call that finds another call already replaced
    /// it uses the new one.
    async fn reconnect(&self, stale: Option<u64>) -> RedisResult<Current> {
        let mut lookup = self.inner.lookup.lock().await;
        if let Some(current) = self.current()
            && Some(current.generation) != stale
        {
            return Ok(current);
        }
        // Forget the stale connection first: while the primary cannot be reached, each call
        // tries again instead of failing on the dead connection.
        *self.inner.current.write().unwrap_or_else(PoisonError::into_inner) = None;
        let client = lookup.sentinel.async_get_client().await?;
        let connection = client.get_multiplexed_async_connection_with_config(&self.inner.config).await?;
        lookup.generation += 1;
        let current = Current { generation: lookup.generation, connection };
        *self.inner.current.write().unwrap_or_else(PoisonError::into_inner) = Some(current.clone());
        Ok(current)
    }
}

/// Whether `err` means the connection no longer leads to a primary that accepts writes.
fn not_the_primary(err: &RedisError) -> bool {
    err.is_io_error()
        || err.is_unrecoverable_error()
        || err.is_connection_dropped()
        || matches!(err.code(), Some("READONLY" | "MASTERDOWN" | "LOADING"))
}
