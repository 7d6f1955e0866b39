//! Helpers shared by the tests: where PostgreSQL is, namespaces of their own, throwaway servers.
//!
//! Tests that need PostgreSQL read its URL from `HOOKWARDEN_POSTGRES_URL`. They carry
//! `#[cfg_attr(not(postgres_server), ignore = ...)]`: without the variable (and outside CI) the
//! test runner reports them as ignored; under `CI=true` they run, and a missing server fails
//! them. `source .ci/postgres.sh` starts one and sets the variable.
//!
//! The fault tests start a PostgreSQL of their own (so that stopping it disturbs no other
//! test), from the binaries in `HOOKWARDEN_POSTGRES_BIN` (which `.ci/postgres.sh` sets), or the
//! newest `/usr/lib/postgresql/*/bin`. As root they run it as the `postgres` user.

#![allow(dead_code)] // each test binary uses a part

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[cfg(all(feature = "axum", feature = "actix"))]
pub(crate) mod receivers;

use hookwarden_postgres::PostgresStore;
use sqlx::PgPool;

/// The shared test database's URL.
///
/// # Panics
///
/// Without `HOOKWARDEN_POSTGRES_URL`: the tests that call this run only where it is set, or
/// under `CI=true`, where a missing PostgreSQL must fail them (see the crate's build script).
pub(crate) fn postgres_url(test: &str) -> String {
    match std::env::var("HOOKWARDEN_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{test}: HOOKWARDEN_POSTGRES_URL is not set: the PostgreSQL tests need a server \
             (source .ci/postgres.sh to start one)"
        ),
    }
}

/// A namespace (or name suffix) no other test, and no earlier run, uses.
pub(crate) fn unique(test: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    let nonce = RandomState::new().hash_one((std::process::id(), Instant::now()));
    format!("{test}:{nonce:016x}")
}

/// A store on the shared test database, migrated, with a namespace of its own.
pub(crate) async fn shared_store(test: &str) -> PostgresStore {
    let url = postgres_url(test);
    let store = PostgresStore::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{test}: cannot connect to HOOKWARDEN_POSTGRES_URL={url}: {e}"));
    store.migrate().await.expect("migrate");
    store.namespace(unique(test))
}

/// A table name no other test uses (for tests that count rows).
pub(crate) fn unique_table(test: &str) -> String {
    let name: String =
        unique(test).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("t_{}", name.to_ascii_lowercase())
}

/// The folder of `initdb` and `pg_ctl`.
pub(crate) fn postgres_bin(test: &str) -> PathBuf {
    if let Some(bin) = std::env::var_os("HOOKWARDEN_POSTGRES_BIN").map(PathBuf::from) {
        return bin;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("pg_ctl").is_file())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| panic!("{test}: no PostgreSQL binaries (HOOKWARDEN_POSTGRES_BIN)"))
}

/// A loopback port nothing listens on right now.
pub(crate) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// A PostgreSQL of this test's own, on a loopback port, in a temporary folder. Stopped and
/// removed on drop.
#[derive(Debug)]
pub(crate) struct PostgresServer {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    running: bool,
}

impl PostgresServer {
    /// Creates a cluster and starts it on a free port.
    pub(crate) fn start(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("hookwarden-pg-{}", unique_table(test)));
        std::fs::create_dir_all(&dir).expect("create the cluster's folder");
        let mut server = Self { bin: postgres_bin(test), dir, port: free_port(), running: false };
        if is_root() {
            let status = Command::new("chown").arg("postgres:").arg(&server.dir).status().expect("chown");
            assert!(status.success(), "chown the cluster's folder to postgres");
        }
        let status = server
            .command("initdb")
            .arg("-D")
            .arg(server.data())
            .args(["-U", "postgres", "--auth=trust", "--no-sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run initdb");
        assert!(status.success(), "{test}: initdb failed");
        server.restart();
        server
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn command(&self, program: &str) -> Command {
        let binary = self.bin.join(program);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(binary);
            command
        } else {
            Command::new(binary)
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> bool {
        self.command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// The URL to connect to.
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops it (`immediate`: the server goes away as in a crash, connections are cut).
    pub(crate) fn stop(&mut self) {
        if self.running {
            self.pg_ctl(&["-m", "immediate", "-w", "stop"]);
            self.running = false;
        }
    }

    /// Starts it again on the same port, and waits until it accepts connections.
    pub(crate) fn restart(&mut self) {
        self.stop();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -c unix_socket_directories= -c fsync=off -c max_connections=300",
            self.port
        );
        let log = self.dir.join("server.log");
        assert!(
            self.pg_ctl(&[
                "-l",
                log.to_str().expect("utf-8 path"),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start"
            ]),
            "PostgreSQL did not start on port {}: {}",
            self.port,
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        self.running = true;
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "PostgreSQL did not listen on port {}", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}

/// Rows in `table`.
pub(crate) async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(pool).await.expect("count rows")
}
