//! Helpers shared by the tests: where Redis is, unique key prefixes, throwaway servers.
//!
//! Tests that need Redis read its URL from `HOOKWARDEN_REDIS_URL`. They carry
//! `#[cfg_attr(not(redis_server), ignore = ...)]`: without the variable (and outside CI) the
//! test runner reports them as ignored; under `CI=true` they run, and a missing Redis fails
//! them. `source .ci/redis.sh` starts one and sets the variable.
//!
//! The fault tests start redis-servers of their own (so that stopping one disturbs no other
//! test): the binary is `HOOKWARDEN_REDIS_SERVER`, or `redis-server` on the `PATH`.

#![allow(dead_code)] // each test binary uses a part

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hookwarden_redis::RedisStore;

/// The shared test Redis's URL.
///
/// # Panics
///
/// Without `HOOKWARDEN_REDIS_URL`: the tests that call this run only where it is set, or under
/// `CI=true`, where a missing Redis must fail them (see the crate's build script).
pub(crate) fn redis_url(test: &str) -> String {
    match std::env::var("HOOKWARDEN_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{test}: HOOKWARDEN_REDIS_URL is not set: the Redis tests need a redis-server \
             (source .ci/redis.sh to start one)"
        ),
    }
}

/// A key prefix no other test, and no earlier run, uses.
pub(crate) fn unique_prefix(test: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    let nonce = RandomState::new().hash_one((std::process::id(), Instant::now()));
    format!("hookwarden-test:{test}:{nonce:016x}:")
}

/// A store on the shared test Redis with a prefix of its own.
pub(crate) async fn shared_store(test: &str) -> RedisStore {
    let url = redis_url(test);
    let store = RedisStore::connect(url.as_str())
        .await
        .unwrap_or_else(|e| panic!("{test}: cannot connect to HOOKWARDEN_REDIS_URL={url}: {e}"));
    store.prefix(unique_prefix(test))
}

/// The value of `variable`, set by `.ci/redis-deployments.sh`.
///
/// # Panics
///
/// When it is not set: the tests that call this run only where it is, or under `CI=true`.
pub(crate) fn deployment_var(test: &str, variable: &str) -> String {
    match std::env::var(variable) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!(
            "{test}: {variable} is not set: this test needs the Redis deployments \
             (source .ci/redis.sh, then source .ci/redis-deployments.sh)"
        ),
    }
}

/// The contents of the file named by `variable`.
pub(crate) fn deployment_file(test: &str, variable: &str) -> Vec<u8> {
    let path = deployment_var(test, variable);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{test}: cannot read {variable}={path}: {e}"))
}

/// The TLS redis-server's builder, with its CA and the client certificate it asks for.
pub(crate) fn tls_builder(test: &str) -> hookwarden_redis::RedisStoreBuilder {
    RedisStore::builder(deployment_var(test, "HOOKWARDEN_REDIS_TLS_URL"))
        .ca_bundle(deployment_file(test, "HOOKWARDEN_REDIS_TLS_CA"))
        .client_certificate(
            deployment_file(test, "HOOKWARDEN_REDIS_TLS_CERT"),
            deployment_file(test, "HOOKWARDEN_REDIS_TLS_KEY"),
        )
}

/// A store on the TLS redis-server with a prefix of its own.
pub(crate) async fn tls_store(test: &str) -> RedisStore {
    let store = tls_builder(test).connect().await.unwrap_or_else(|e| panic!("{test}: TLS connect: {e}"));
    store.prefix(unique_prefix(test))
}

/// The cluster's node URLs.
pub(crate) fn cluster_urls(test: &str) -> Vec<String> {
    deployment_var(test, "HOOKWARDEN_REDIS_CLUSTER_URLS").split(',').map(str::to_owned).collect()
}

/// A store on the Redis Cluster with a prefix of its own.
pub(crate) async fn cluster_store(test: &str) -> RedisStore {
    let store = RedisStore::cluster(cluster_urls(test))
        .connect()
        .await
        .unwrap_or_else(|e| panic!("{test}: cluster connect: {e}"));
    store.prefix(unique_prefix(test))
}

/// A store on the Sentinel-monitored primary with a prefix of its own.
pub(crate) async fn sentinel_store(test: &str) -> RedisStore {
    let sentinels: Vec<String> =
        deployment_var(test, "HOOKWARDEN_REDIS_SENTINEL_URLS").split(',').map(str::to_owned).collect();
    let service = deployment_var(test, "HOOKWARDEN_REDIS_SENTINEL_SERVICE");
    let store = RedisStore::sentinel(sentinels, service)
        .connect()
        .await
        .unwrap_or_else(|e| panic!("{test}: sentinel connect: {e}"));
    store.prefix(unique_prefix(test))
}

/// The redis-server binary for tests that start their own servers: `HOOKWARDEN_REDIS_SERVER`,
/// or `redis-server` on the `PATH`.
///
/// # Panics
///
/// When there is none.
pub(crate) fn redis_server_binary(test: &str) -> PathBuf {
    let candidate = std::env::var_os("HOOKWARDEN_REDIS_SERVER").map(PathBuf::from).or_else(|| {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path).map(|dir| dir.join("redis-server")).find(|p| p.is_file())
        })
    });
    match candidate {
        Some(binary) if binary.is_file() => binary,
        _ => panic!("{test}: no redis-server binary (HOOKWARDEN_REDIS_SERVER or PATH)"),
    }
}

/// A loopback port nothing listens on right now.
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

/// A redis-server of this test's own, on a loopback port, without persistence. Killed on drop.
#[derive(Debug)]
pub(crate) struct RedisServer {
    binary: PathBuf,
    port: u16,
    args: Vec<String>,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts one on a free port.
    pub(crate) fn start(test: &str) -> Self {
        Self::start_with(test, free_port(), Vec::new())
    }

    /// Starts one on `port` with more arguments (`--cluster-enabled yes`, `--replicaof ..`,
    /// or, first, a Sentinel's configuration file then `--sentinel`).
    pub(crate) fn start_with(test: &str, port: u16, args: Vec<String>) -> Self {
        let mut server = Self { binary: redis_server_binary(test), port, args, child: None };
        server.restart();
        server
    }

    /// Whether it still runs (not killed by the test).
    pub(crate) fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// The URL to connect to.
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The port it listens on.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Kills it (SIGKILL: Redis just vanishes, as in a crash) and waits for it to be gone.
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, and waits until it accepts connections.
    pub(crate) fn restart(&mut self) {
        self.kill();
        let child = Command::new(&self.binary)
            .args(&self.args)
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--repl-diskless-sync-delay", "0"])
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start on port {}", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

pub(crate) mod failover;
