//! The connection a store sends its scripts on: one server, a Redis Cluster, or the primary a
//! Sentinel names.

use redis::aio::ConnectionManager;
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, RedisResult};

use crate::sentinel::SentinelPrimary;

/// Where the store's commands go.
#[derive(Clone)]
pub(crate) enum Backend {
    /// One server (`redis://`, `rediss://`), through a connection manager that reconnects.
    Single(ConnectionManager),
    /// A Redis Cluster: each command goes to the primary that owns its key's slot; the
    /// connection follows `MOVED`/`ASK` redirections and refreshes its slot map itself.
    Cluster(ClusterConnection),
    /// The current primary of a Sentinel-monitored service, asked again after a failover.
    Sentinel(SentinelPrimary),
}

impl Backend {
    /// Sends `cmd` (a one-key script) and reads its integer reply.
    ///
    /// A command that fails on a broken connection is sent once more: the failure made the
    /// connection manager start a new connection (or the Sentinel backend ask for the
    /// primary again), which the retry waits for. So the first call after Redis came back
    /// succeeds, and a call that met a dropped connection is not lost. The store's scripts can
    /// safely run twice with the same token.
    pub(crate) async fn query(&self, cmd: &Cmd) -> RedisResult<i64> {
        match self {
            Self::Single(connection) => {
                let mut connection = connection.clone();
                match cmd.query_async::<i64>(&mut connection).await {
                    Err(err) if err.is_io_error() || err.is_unrecoverable_error() => {
                        cmd.query_async::<i64>(&mut connection).await
                    }
                    result => result,
                }
            }
            // The cluster connection retries by itself (redirections, a refreshed slot map
            // after a failover), within the retries it was built with.
            Self::Cluster(connection) => cmd.query_async::<i64>(&mut connection.clone()).await,
            Self::Sentinel(primary) => primary.query(cmd).await,
        }
    }

    /// The deployment's name, for `Debug`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Single(_) => "single",
            Self::Cluster(_) => "cluster",
            Self::Sentinel(_) => "sentinel",
        }
    }
}
