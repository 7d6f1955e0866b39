//! Two instances of one webhook receiver sharing one Redis: a replay sent to the other instance
//! is still caught.
//!
//! Run with a Redis on `127.0.0.1:6379` (or set `REDIS_URL`):
//!
//! ```text
//! redis-server --port 6379 --save '' &
//! cargo run -p redis-multi-instance
//! ```
//!
//! It starts the two instances of a Standard Webhooks receiver behind a pretend load balancer:
//! an axum one (hookwarden-tower) on `127.0.0.1:3001` and an actix-web one (hookwarden-actix) on
//! `127.0.0.1:3002`, each with its own connection to Redis. Then it plays the sender: it sends
//! ten copies of one delivery at once, split between them, and one more copy to each afterwards,
//! and prints what each instance answered. The handler runs once; the other copies are answered
//! `409 in_flight` (while it runs) or `200 duplicate` (after), whichever instance gets them.
//!
//! `cargo run -p redis-multi-instance -- serve` keeps both instances running and prints `curl`
//! commands for a freshly signed delivery: send it to either port, then the other. Stop Redis
//! meanwhile and they answer `503 store_unavailable`; start it again and they recover by
//! themselves. Ctrl-C or SIGTERM stops both instances, each once its deliveries in flight are
//! answered.
//!
//! Environment: `REDIS_URL` (default `redis://127.0.0.1:6379/`), `WEBHOOK_SECRET` (default: the
//! Standard Webhooks documentation's example secret), `AXUM_ADDR` and `ACTIX_ADDR`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::routing::post;
use hookwarden::Endpoint;
use hookwarden::{Message, SignedHeaders, Verified, Verifier, preset::StandardWebhooks};
use hookwarden_redis::RedisStore;
use tokio::sync::watch;

type Error = Box<dyn std::error::Error + Send + Sync>;

const DEMO_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// Both instances use the same prefix: they are one receiver.
const PREFIX: &str = "redis-multi-instance:";
const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"invoice":"in_42","amount":4200}}"#;

/// What both instances are configured with, as two processes would read it from the environment.
#[derive(Debug, Clone)]
struct Config {
    redis_url: String,
    secret: String,
    axum: SocketAddr,
    actix: SocketAddr,
}

impl Config {
    fn from_env() -> Result<Self, Error> {
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        Ok(Self {
            redis_url: var("REDIS_URL", "redis://127.0.0.1:6379/"),
            secret: var("WEBHOOK_SECRET", DEMO_SECRET),
            axum: var("AXUM_ADDR", "127.0.0.1:3001").parse()?,
            actix: var("ACTIX_ADDR", "127.0.0.1:3002").parse()?,
        })
    }

    fn verifier(&self) -> Result<Verifier, Error> {
        Ok(Verifier::builder(StandardWebhooks).secret(&self.secret).build()?)
    }

    /// Each instance connects on its own.
    async fn store(&self) -> Result<RedisStore, Error> {
        let store = RedisStore::connect(self.redis_url.as_str()).await.map_err(|e| {
            format!("cannot reach Redis at {} ({e}): start one, or set REDIS_URL", self.redis_url)
        })?;
        Ok(store.prefix(PREFIX))
    }
}

/// The handler's work, the same on both instances; `processed` counts the runs of both.
async fn process(instance: &str, verified: &Verified, processed: &AtomicUsize) {
    processed.fetch_add(1, Ordering::SeqCst);
    println!("    [{instance}] handling delivery {}", verified.id().unwrap_or("?"));
    tokio::time::sleep(Duration::from_millis(200)).await;
}

async fn axum_webhook(
    State(processed): State<Arc<AtomicUsize>>,
    Extension(verified): Extension<Verified>,
) -> (StatusCode, &'static str) {
    process("axum", &verified, &processed).await;
    (StatusCode::ACCEPTED, "processed by axum")
}

async fn actix_webhook(
    processed: actix_web::web::Data<AtomicUsize>,
    verified: actix_web::web::ReqData<Verified>,
) -> actix_web::HttpResponse {
    process("actix", &verified, &processed).await;
    actix_web::HttpResponse::Accepted().body("processed by actix")
}

/// Instance 1: axum with hookwarden-tower, on this runtime, until `stop` resolves. Returns where
/// it listens and the task that serves.
async fn start_axum(
    config: &Config,
    processed: Arc<AtomicUsize>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(SocketAddr, tokio::task::JoinHandle<()>), Error> {
    let layer = hookwarden_tower::WebhookVerifyLayer::new(
        Endpoint::new(config.verifier()?).replay_store(config.store().await?),
    );
    let app =
        axum::Router::new().route("/webhook", post(axum_webhook)).route_layer(layer).with_state(processed);
    let listener = tokio::net::TcpListener::bind(config.axum).await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        // On `stop` it stops accepting, answers the deliveries in flight, then returns.
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(stop).await {
            eprintln!("axum instance stopped: {e}");
        }
    });
    Ok((addr, server))
}

/// Instance 2: actix-web with hookwarden-actix, on its own thread and runtime, as actix runs,
/// until `stop` resolves. Returns where it listens and the thread that serves.
async fn start_actix(
    config: &Config,
    processed: Arc<AtomicUsize>,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<(SocketAddr, std::thread::JoinHandle<()>), Error> {
    let (ready, started) = tokio::sync::oneshot::channel::<Result<SocketAddr, String>>();
    let config = config.clone();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let setup = async {
                let verify = hookwarden_actix::WebhookVerify::new(
                    Endpoint::new(config.verifier()?).replay_store(config.store().await?),
                );
                let processed = actix_web::web::Data::from(processed);
                let server = actix_web::HttpServer::new(move || {
                    actix_web::App::new().app_data(processed.clone()).service(
                        actix_web::web::resource("/webhook")
                            .wrap(verify.clone())
                            .route(actix_web::web::post().to(actix_webhook)),
                    )
                })
                .workers(2)
                // Instead of actix's own signal handlers, which would stop this instance only:
                // on `stop` it stops accepting, answers the deliveries in flight, then returns.
                .shutdown_signal(stop)
                .bind(config.actix)?;
                let addr = *server.addrs().first().ok_or("actix bound no address")?;
                Ok::<_, Error>((server.run(), addr))
            };
            match setup.await {
                Ok((server, addr)) => {
                    let _ = ready.send(Ok(addr));
                    if let Err(e) = server.await {
                        eprintln!("actix instance stopped: {e}");
                    }
                }
                Err(e) => {
                    let _ = ready.send(Err(e.to_string()));
                }
            }
        });
    });
    let addr = started.await?.map_err(Error::from)?;
    Ok((addr, thread))
}

/// Where the two instances listen.
#[derive(Debug, Clone, Copy)]
struct Instances {
    axum: SocketAddr,
    actix: SocketAddr,
}

/// Signs a new delivery, as the sender would.
fn sign(config: &Config) -> Result<SignedHeaders, Error> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let id = format!("msg_{}", now.as_nanos());
    Ok(config.verifier()?.sign(&Message::new(BODY).id(&id))?)
}

async fn send(client: &reqwest::Client, addr: SocketAddr, headers: &SignedHeaders) -> Result<String, Error> {
    let mut request = client.post(format!("http://{addr}/webhook")).body(BODY);
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    let response = request.send().await?;
    let status = response.status();
    Ok(format!("{} {}", status.as_u16(), response.text().await?))
}

/// Plays the sender: ten concurrent copies of one delivery, split between the instances, then
/// a late copy to each.
async fn demo(config: &Config, instances: Instances, processed: &AtomicUsize) -> Result<(), Error> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let headers = Arc::new(sign(config)?);
    println!(
        "sending 10 copies of delivery {} at once, split between the instances:",
        headers.get("webhook-id").unwrap_or("?")
    );
    let copies: Vec<_> = (0..10)
        .map(|i| {
            let (client, headers) = (client.clone(), headers.clone());
            let (name, addr) =
                if i % 2 == 0 { ("axum ", instances.axum) } else { ("actix", instances.actix) };
            tokio::spawn(async move { (name, send(&client, addr, &headers).await) })
        })
        .collect();
    for (i, copy) in copies.into_iter().enumerate() {
        let (name, answer) = copy.await?;
        println!("  copy {:>2} -> {name}: {}", i + 1, answer?);
    }
    println!("a late copy to each instance:");
    for (name, addr) in [("axum ", instances.axum), ("actix", instances.actix)] {
        println!("  copy    -> {name}: {}", send(&client, addr, &headers).await?);
    }
    let runs = processed.load(Ordering::SeqCst);
    println!("the handler ran {runs} time{} for 12 copies", if runs == 1 { "" } else { "s" });
    Ok(())
}

/// Prints `curl` commands that send one freshly signed delivery to each instance.
fn print_curl(config: &Config, instances: Instances) -> Result<(), Error> {
    let headers = sign(config)?;
    let flags: String = headers.iter().map(|(name, value)| format!(" -H '{name}: {value}'")).collect();
    let body = String::from_utf8_lossy(BODY);
    println!("send one delivery (valid for 5 minutes) to either instance, then to the other:");
    for addr in [instances.axum, instances.actix] {
        println!("  curl -i{flags} -d '{body}' http://{addr}/webhook");
    }
    Ok(())
}

async fn run() -> Result<(), Error> {
    // Shows the store's warnings (Redis unreachable, fail-open) on the terminal.
    tracing_subscriber::fmt().with_max_level(tracing::Level::WARN).init();
    let config = Config::from_env()?;
    let processed = Arc::new(AtomicUsize::new(0));

    // One signal handler for the process stops both instances, through `stop`.
    let signal = shutdown_signal()?;
    let (stop, stopping) = watch::channel(());
    let stopped = |mut stopping: watch::Receiver<()>| async move {
        let _ = stopping.changed().await;
    };
    let (axum, axum_server) = start_axum(&config, processed.clone(), stopped(stopping.clone())).await?;
    let (actix, actix_server) = start_actix(&config, processed.clone(), stopped(stopping)).await?;
    let instances = Instances { axum, actix };
    println!(
        "one receiver, two instances sharing {}: axum on http://{}/webhook, actix-web on http://{}/webhook",
        config.redis_url, instances.axum, instances.actix
    );

    let outcome = if std::env::args().nth(1).as_deref() == Some("serve") {
        print_curl(&config, instances)?;
        println!("serving; Ctrl-C or SIGTERM stops both instances");
        signal.await;
        Ok(())
    } else {
        tokio::select! {
            outcome = demo(&config, instances, &processed) => outcome,
            () = signal => Ok(()),
        }
    };
    // Both stop accepting, answer the deliveries in flight, and return.
    let _ = stop.send(());
    let _ = axum_server.await;
    let _ = tokio::task::spawn_blocking(move || actix_server.join()).await;
    outcome
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM, which `kill`, systemd, Docker and Kubernetes send.
/// The handlers are installed by this call, before the instances say they listen, so that no
/// signal is missed from then on.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        let name = tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        };
        println!("{name}: stopping both instances once the deliveries in flight are answered");
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
