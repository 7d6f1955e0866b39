//! Claim + commit (what one accepted delivery costs the replay store), on `MemoryStore` and on
//! `RedisStore` against each local Redis deployment, side by side in one run: one server over
//! plain TCP (`redis://`), one over TLS (`rediss://`, with a client certificate), a Redis
//! Cluster (three primaries), and a Sentinel-monitored primary.
//!
//! ```sh
//! source .ci/redis.sh                # HOOKWARDEN_REDIS_URL
//! source .ci/redis-deployments.sh    # the TLS server, the cluster, the Sentinel
//! cargo bench -p hookwarden-redis --bench claim_commit
//! ```
//!
//! Criterion measures the mean time of one sequential claim + commit. Then a latency report
//! times each claim + commit on its own, sequentially and from 64 concurrent tasks (on one
//! connection, which pipelines them; on the cluster, one per primary), and prints operations
//! per second and p50/p99 latency. A deployment whose variables are not set is left out.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::Criterion;
use hookwarden::{ClaimOutcome, FixedClock, MemoryStore, ReplayKey, ReplayStore};
use hookwarden_redis::{RedisStore, RedisStoreBuilder};

const TTL: Duration = Duration::from_secs(10);
/// Claims + commits timed one by one in the latency report.
const SEQUENTIAL: usize = 20_000;
/// Concurrent tasks, and claims + commits each, in the latency report.
const TASKS: usize = 64;
const PER_TASK: usize = 1_000;

/// One accepted delivery: claim, then commit.
async fn claim_commit<S: ReplayStore>(store: &S, key: &ReplayKey) {
    match store.claim(key, TTL).await {
        Ok(ClaimOutcome::Fresh(token)) => store.commit(key, token, TTL).await.expect("commit"),
        other => panic!("expected a fresh claim of {key}, got {other:?}"),
    }
}

/// A `MemoryStore` at its default capacity whose clock moves on as claims are made, so that
/// entries expire and the store runs at a steady state, as a receiver's would.
struct Memory {
    store: MemoryStore,
    clock: FixedClock,
    keys: Vec<ReplayKey>,
}

impl Memory {
    /// Keys are reused after this many claims; the clock moves past the TTL 4 times per cycle.
    const CYCLE: usize = 200_000;

    fn new() -> Self {
        let clock = FixedClock::at(1_700_000_000);
        let keys = (0..Self::CYCLE).map(|i| ReplayKey::new(format!("bench:{i}"))).collect();
        Self { store: MemoryStore::new().clock(clock.clone()), clock, keys }
    }

    fn key(&self, n: usize) -> &ReplayKey {
        if n.is_multiple_of(Self::CYCLE / 4) {
            self.clock.advance(TTL + Duration::from_secs(1));
        }
        &self.keys[n % Self::CYCLE]
    }
}

/// Unique keys for the Redis runs, under a prefix of their own.
fn redis_key(n: usize) -> ReplayKey {
    ReplayKey::new(format!("bench:{n}"))
}

/// A Redis deployment to measure: its name, and how to connect to it.
struct Deployment {
    name: &'static str,
    builder: fn() -> RedisStoreBuilder,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn file(variable: &str) -> Vec<u8> {
    let path = var(variable).unwrap_or_else(|| panic!("{variable} is not set"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {variable}={path}: {e}"))
}

/// The deployments whose variables are set.
fn deployments() -> Vec<Deployment> {
    let mut deployments = Vec::new();
    if var("HOOKWARDEN_REDIS_URL").is_some() {
        deployments.push(Deployment {
            name: "redis://",
            builder: || RedisStore::builder(var("HOOKWARDEN_REDIS_URL").unwrap()),
        });
    }
    if var("HOOKWARDEN_REDIS_TLS_URL").is_some() {
        deployments.push(Deployment {
            name: "rediss:// (TLS)",
            builder: || {
                RedisStore::builder(var("HOOKWARDEN_REDIS_TLS_URL").unwrap())
                    .ca_bundle(file("HOOKWARDEN_REDIS_TLS_CA"))
                    .client_certificate(file("HOOKWARDEN_REDIS_TLS_CERT"), file("HOOKWARDEN_REDIS_TLS_KEY"))
            },
        });
    }
    if var("HOOKWARDEN_REDIS_CLUSTER_URLS").is_some() {
        deployments.push(Deployment {
            name: "cluster",
            builder: || RedisStore::cluster(var("HOOKWARDEN_REDIS_CLUSTER_URLS").unwrap().split(',')),
        });
    }
    if var("HOOKWARDEN_REDIS_SENTINEL_URLS").is_some() {
        deployments.push(Deployment {
            name: "sentinel",
            builder: || {
                RedisStore::sentinel(
                    var("HOOKWARDEN_REDIS_SENTINEL_URLS").unwrap().split(','),
                    var("HOOKWARDEN_REDIS_SENTINEL_SERVICE").unwrap_or_else(|| "hookwarden".into()),
                )
            },
        });
    }
    deployments
}

/// A store on `deployment`, made on `runtime` (its connection's task lives there).
fn connect(runtime: &tokio::runtime::Runtime, deployment: &Deployment, prefix: &str) -> RedisStore {
    runtime
        .block_on((deployment.builder)().connect())
        .unwrap_or_else(|e| panic!("connect to {}: {e}", deployment.name))
        .prefix(prefix)
}

/// Each store in `redis` runs on `runtime`, the runtime it was made on.
fn criterion_benches(
    criterion: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    redis: &[(&str, RedisStore)],
) {
    let mut group = criterion.benchmark_group("claim+commit");

    let memory = Memory::new();
    let mut n = 0;
    group.bench_function("MemoryStore", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..iters {
                    n += 1;
                    claim_commit(&memory.store, black_box(memory.key(n))).await;
                }
                started.elapsed()
            })
        });
    });

    for (name, redis) in redis {
        let mut n = 0;
        group.bench_function(format!("RedisStore {name}"), |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let keys: Vec<_> = (0..iters).map(|_| redis_key(next(&mut n))).collect();
                    let started = Instant::now();
                    for key in &keys {
                        claim_commit(redis, key).await;
                    }
                    started.elapsed()
                })
            });
        });
    }
    group.finish();
}

fn next(n: &mut usize) -> usize {
    *n += 1;
    *n
}

/// Latencies, sorted.
struct Report {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Report {
    fn print(mut self, name: &str) {
        self.latencies.sort_unstable();
        let at = |q: f64| {
            self.latencies[((self.latencies.len() as f64 * q) as usize).min(self.latencies.len() - 1)]
        };
        println!(
            "{name:<34} {:>10.0} ops/s   p50 {:>9.1?}   p99 {:>9.1?}   ({} ops)",
            self.latencies.len() as f64 / self.wall.as_secs_f64(),
            at(0.50),
            at(0.99),
            self.latencies.len(),
        );
    }
}

async fn sequential<'k, S: ReplayStore>(
    store: &S,
    ops: usize,
    key: impl Fn(usize) -> &'k ReplayKey,
) -> Report {
    let mut latencies = Vec::with_capacity(ops);
    let started = Instant::now();
    for n in 0..ops {
        let key = key(n);
        let op = Instant::now();
        claim_commit(store, key).await;
        latencies.push(op.elapsed());
    }
    Report { latencies, wall: started.elapsed() }
}

async fn concurrent<S: ReplayStore>(store: Arc<S>, keys: Vec<ReplayKey>) -> Report {
    let keys = Arc::new(keys);
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (store, keys) = (store.clone(), keys.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(PER_TASK);
                for key in &keys[task * PER_TASK..(task + 1) * PER_TASK] {
                    let op = Instant::now();
                    claim_commit(&*store, key).await;
                    latencies.push(op.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(TASKS * PER_TASK);
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    Report { latencies, wall: started.elapsed() }
}

fn latency_report(deployments: &[Deployment]) {
    println!("\nclaim + commit, each timed on its own:");
    let current = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let multi = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    let memory = Memory::new();
    current
        .block_on(sequential(&memory.store, SEQUENTIAL * 10, |n| memory.key(n + 1)))
        .print("MemoryStore, sequential");
    let memory = Arc::new(MemoryStore::new());
    let keys = (0..TASKS * PER_TASK).map(redis_key).collect();
    multi.block_on(concurrent(memory, keys)).print(&format!("MemoryStore, {TASKS} tasks"));

    let prefix = format!("hookwarden-bench:{}:", std::process::id());
    for deployment in deployments {
        let name = deployment.name;
        let redis = connect(&current, deployment, &prefix);
        let keys: Vec<_> = (0..SEQUENTIAL).map(|n| redis_key(1_000_000_000 + n)).collect();
        current
            .block_on(sequential(&redis, SEQUENTIAL, |n| &keys[n]))
            .print(&format!("RedisStore {name}, sequential"));

        // A store made on the runtime it runs on (its connection's task lives there).
        let redis = connect(&multi, deployment, &prefix);
        let keys = (0..TASKS * PER_TASK).map(|n| redis_key(2_000_000_000 + n)).collect();
        multi.block_on(concurrent(Arc::new(redis), keys)).print(&format!("RedisStore {name}, {TASKS} tasks"));
    }
}

fn main() {
    let deployments = deployments();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let prefix = format!("hookwarden-bench:{}:criterion:", std::process::id());
    let redis: Vec<_> = deployments
        .iter()
        .map(|deployment| (deployment.name, connect(&runtime, deployment, &prefix)))
        .collect();
    if redis.is_empty() {
        println!("no HOOKWARDEN_REDIS_* variable is set: measuring MemoryStore only");
    }

    let mut criterion = Criterion::default().configure_from_args();
    criterion_benches(&mut criterion, &runtime, &redis);
    criterion.final_summary();

    // `cargo test --benches` runs this with `--test` (and `--list` lists): the report is for
    // real runs only.
    if !std::env::args().any(|arg| arg == "--test" || arg == "--list") {
        latency_report(&deployments);
    }
}
