//! Deployments of a fault test's own, whose primaries it kills: a Redis Cluster of three
//! primaries with a replica each, and a primary/replica pair watched by one Sentinel. Built
//! from `redis-server` (and `redis-cli --cluster create`), all on loopback, killed on drop.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::{RedisServer, free_port, redis_server_binary};

/// How long a cluster node or the Sentinel waits before it calls a silent primary down.
pub(crate) const NODE_TIMEOUT_MS: u64 = 1_000;

/// A synchronous connection for setting up and watching a deployment.
fn admin(port: u16) -> redis::Connection {
    redis::Client::open(format!("redis://127.0.0.1:{port}/"))
        .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(1)))
        .unwrap_or_else(|e| panic!("connect to 127.0.0.1:{port}: {e}"))
}

fn info(port: u16, section: &str) -> String {
    redis::cmd("INFO").arg(section).query(&mut admin(port)).unwrap_or_default()
}

/// Waits up to 20 s for `ready`.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `redis-cli`, next to the redis-server binary or on the `PATH`.
fn redis_cli(test: &str) -> PathBuf {
    let beside = redis_server_binary(test).with_file_name("redis-cli");
    if beside.is_file() { beside } else { PathBuf::from("redis-cli") }
}

/// A file name in the temporary folder no other test or run uses.
fn scratch_file(name: &str) -> PathBuf {
    use std::hash::{BuildHasher, RandomState};
    let nonce = RandomState::new().hash_one((std::process::id(), Instant::now()));
    std::env::temp_dir().join(format!("hookwarden-{name}-{nonce:016x}.conf"))
}

/// Three primaries, each with a replica that takes over when it dies.
#[derive(Debug)]
pub(crate) struct Cluster {
    nodes: Vec<RedisServer>,
    config_files: Vec<PathBuf>,
    /// The port of the replica of the primary killed last.
    successor: Option<u16>,
}

impl Cluster {
    pub(crate) fn start(test: &str) -> Self {
        let mut config_files = Vec::new();
        let nodes: Vec<_> = (0..6)
            .map(|_| {
                let port = free_port();
                let config = scratch_file(&format!("cluster-{port}"));
                config_files.push(config.clone());
                RedisServer::start_with(
                    test,
                    port,
                    vec![
                        "--cluster-enabled".into(),
                        "yes".into(),
                        "--cluster-config-file".into(),
                        config.display().to_string(),
                        "--cluster-node-timeout".into(),
                        NODE_TIMEOUT_MS.to_string(),
                    ],
                )
            })
            .collect();
        let cluster = Self { nodes, config_files, successor: None };
        let created = Command::new(redis_cli(test))
            .args(["--cluster", "create"])
            .args(cluster.nodes.iter().map(|node| format!("127.0.0.1:{}", node.port())))
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .expect("run redis-cli --cluster create");
        assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stdout));
        for node in &cluster.nodes {
            wait_for("cluster_state:ok", || {
                let state: String =
                    redis::cmd("CLUSTER").arg("INFO").query(&mut admin(node.port())).unwrap_or_default();
                state.contains("cluster_state:ok")
            });
            // Every replica holds its primary's data, so that it may take over.
            if info(node.port(), "replication").contains("role:slave") {
                wait_for("replica sync", || {
                    info(node.port(), "replication").contains("master_link_status:up")
                });
            }
        }
        cluster
    }

    pub(crate) fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(RedisServer::url).collect()
    }

    /// Kills (SIGKILL) one of the primaries; returns its port.
    pub(crate) fn kill_a_primary(&mut self) -> u16 {
        let primary = self
            .nodes
            .iter()
            .find(|node| node.is_running() && info(node.port(), "replication").contains("role:master"))
            .expect("a primary")
            .port();
        let replica_of = format!("master_port:{primary}\r\n");
        self.successor = self
            .nodes
            .iter()
            .find(|node| node.is_running() && info(node.port(), "replication").contains(&replica_of))
            .map(RedisServer::port);
        assert!(self.successor.is_some(), "the primary on {primary} has no replica");
        self.nodes.iter_mut().find(|node| node.port() == primary).expect("the primary").kill();
        primary
    }

    /// Waits until every slot has a primary again: the killed primary's replica took over,
    /// and every node still running agrees the cluster is whole.
    pub(crate) fn wait_until_whole(&self) {
        if let Some(successor) = self.successor {
            wait_for("the replica to take over", || info(successor, "replication").contains("role:master"));
        }
        for node in self.nodes.iter().filter(|node| node.is_running()) {
            wait_for("the cluster to fail over", || {
                let state: String =
                    redis::cmd("CLUSTER").arg("INFO").query(&mut admin(node.port())).unwrap_or_default();
                state.contains("cluster_state:ok")
            });
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.nodes.clear();
        for file in &self.config_files {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// A primary and its replica, watched by one Sentinel as `SERVICE`.
#[derive(Debug)]
pub(crate) struct Sentinel {
    primary: RedisServer,
    replica: RedisServer,
    sentinel: RedisServer,
    config_file: PathBuf,
}

impl Sentinel {
    pub(crate) const SERVICE: &'static str = "hookwarden-failover";

    pub(crate) fn start(test: &str) -> Self {
        let primary = RedisServer::start(test);
        let replica = RedisServer::start_with(
            test,
            free_port(),
            vec!["--replicaof".into(), "127.0.0.1".into(), primary.port().to_string()],
        );
        wait_for("replica sync", || info(replica.port(), "replication").contains("master_link_status:up"));
        let config_file = scratch_file("sentinel");
        let service = Self::SERVICE;
        std::fs::write(
            &config_file,
            format!(
                "sentinel monitor {service} 127.0.0.1 {} 1\n\
                 sentinel down-after-milliseconds {service} {NODE_TIMEOUT_MS}\n\
                 sentinel failover-timeout {service} 5000\n",
                primary.port()
            ),
        )
        .expect("write the Sentinel's configuration");
        let sentinel = RedisServer::start_with(
            test,
            free_port(),
            vec![config_file.display().to_string(), "--sentinel".into()],
        );
        // The Sentinel knows the replica (it asks the primary at once) before anything fails.
        wait_for("the Sentinel to see the replica", || {
            let replicas: Vec<redis::Value> = redis::cmd("SENTINEL")
                .arg("REPLICAS")
                .arg(service)
                .query(&mut admin(sentinel.port()))
                .unwrap_or_default();
            !replicas.is_empty()
        });
        Self { primary, replica, sentinel, config_file }
    }

    pub(crate) fn url(&self) -> String {
        self.sentinel.url()
    }

    /// Kills (SIGKILL) the primary.
    pub(crate) fn kill_primary(&mut self) {
        self.primary.kill();
    }

    /// Waits until the replica is the primary.
    pub(crate) fn wait_until_promoted(&self) {
        wait_for("the Sentinel to fail over", || {
            info(self.replica.port(), "replication").contains("role:master")
        });
    }
}

impl Drop for Sentinel {
    fn drop(&mut self) {
        self.sentinel.kill();
        let _ = std::fs::remove_file(&self.config_file);
    }
}
