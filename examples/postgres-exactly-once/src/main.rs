//! An axum receiver for Stripe webhooks that inserts one order row per event, in the same
//! PostgreSQL transaction as the record that the event was processed: exactly once, even when
//! the handler fails after writing, the process crashes, or Stripe sends copies at once.
//!
//! Run it against a local PostgreSQL with one command:
//!
//! ```text
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo run -p postgres-exactly-once
//! ```
//!
//! (No PostgreSQL at hand? On Debian or Ubuntu, as root, `source .ci/postgres.sh` installs the
//! `postgresql` package, starts a throwaway server on a free loopback port and sets
//! `HOOKWARDEN_POSTGRES_URL`, which the example uses when `DATABASE_URL` is not set:
//! `source .ci/postgres.sh && cargo run -p postgres-exactly-once`.)
//!
//! It creates its tables (the replay store's, through `PostgresStore::migrate`, and
//! `postgres_exactly_once_orders`), starts the receiver on `127.0.0.1:3000`, and plays Stripe:
//!
//! 1. ten copies of one `invoice.paid` event at once: one is processed and inserts its order;
//!    the others are answered `409 in_flight` (while it runs) or `200 duplicate` (after);
//! 2. an event whose handler fails *after* inserting its order (a pretend outage of a payment
//!    API, once): the transaction is rolled back, no order is left, and Stripe's retry inserts
//!    it once.
//!
//! Then it prints the orders table and exits. `cargo run -p postgres-exactly-once -- serve`
//! keeps the receiver running and prints a `curl` command for a freshly signed event; with a
//! real Stripe account, set `STRIPE_WEBHOOK_SECRET` and run `stripe listen --forward-to
//! localhost:3000/webhooks/stripe`. Ctrl-C or SIGTERM stops it once the deliveries in flight
//! are answered.
//!
//! Environment: `DATABASE_URL`, `STRIPE_WEBHOOK_SECRET` (default: a demo secret), `BIND`.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hookwarden::{Endpoint, Message, Verifier, preset::Stripe};
use hookwarden_postgres::{CommitError, PostgresStore, WebhookTx};
use serde::Deserialize;

type Error = Box<dyn std::error::Error + Send + Sync>;

const DEMO_SECRET: &str = "whsec_postgres_exactly_once_demo_secret";
const ORDERS: &str = "postgres_exactly_once_orders";

/// The part of a Stripe event the handler needs.
#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    r#type: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: serde_json::Value,
}

/// What the handlers get from the router: the endpoint (verification and claims), the store
/// (whose pool the delivery's transaction is on), and the demo's pretend outage.
#[derive(Clone, FromRef)]
struct AppState {
    endpoint: Endpoint,
    store: PostgresStore,
    outage: Outage,
}

/// Events whose first run fails after writing (the demo's second part).
#[derive(Clone, Default)]
struct Outage(Arc<Mutex<HashSet<String>>>);

impl Outage {
    /// Whether this run of `event` fails: the first run of a `demo.fails_once` event does.
    fn strikes(&self, event: &Event) -> bool {
        event.r#type == "demo.fails_once" && self.0.lock().is_ok_and(|mut seen| seen.insert(event.id.clone()))
    }
}

/// Why the handler did not finish; every answer but 2xx leaves the event unprocessed.
#[derive(Debug)]
enum Failure {
    Database(sqlx::Error),
    Upstream,
    Commit(CommitError),
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Self::Database(error) => {
                tracing::error!(%error, "could not write the order");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
            Self::Upstream => (StatusCode::BAD_GATEWAY, "payment API unavailable").into_response(),
            Self::Commit(error) => error.into_response(),
        }
    }
}

/// Only authentic, fresh, first-time deliveries get here. The order row and the mark that the
/// event was processed are committed together, or not at all.
/// (`WebhookTx` reads the body, so it comes last, as axum wants.)
async fn paid(State(outage): State<Outage>, mut tx: WebhookTx<Json<Event>>) -> Result<StatusCode, Failure> {
    let Json(event) = &tx.payload;
    let (id, kind) = (event.id.clone(), event.r#type.clone());
    let amount = event.data.object["amount_paid"].as_i64().unwrap_or_default();
    let strikes = outage.strikes(event);
    sqlx::query(&format!("INSERT INTO {ORDERS} (stripe_event, kind, amount) VALUES ($1, $2, $3)"))
        .bind(&id)
        .bind(&kind)
        .bind(amount)
        .execute(&mut *tx)
        .await
        .map_err(Failure::Database)?;
    if strikes {
        // Dropping `tx` rolls the order back and releases the claim: Stripe's retry runs this again.
        tracing::warn!(event = %id, "order written, then the payment API failed: rolling back");
        return Err(Failure::Upstream);
    }
    tx.commit().await.map_err(Failure::Commit)?;
    tracing::info!(event = %id, kind, amount, "order recorded");
    Ok(StatusCode::OK)
}

struct Config {
    database_url: String,
    secret: String,
    bind: SocketAddr,
}

impl Config {
    fn from_env() -> Result<Self, Error> {
        let database_url = std::env::var("DATABASE_URL")
            .or_else(|_| std::env::var("HOOKWARDEN_POSTGRES_URL"))
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let secret = std::env::var("STRIPE_WEBHOOK_SECRET").unwrap_or_else(|_| DEMO_SECRET.to_owned());
        let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned()).parse()?;
        Ok(Self { database_url, secret, bind })
    }

    fn verifier(&self) -> Result<Verifier, Error> {
        Ok(Verifier::builder(Stripe).secret(&self.secret).build()?)
    }
}

/// Connects, creates the tables, and builds the router.
async fn app(config: &Config) -> Result<(axum::Router, PostgresStore), Error> {
    let store = PostgresStore::connect(&config.database_url).await.map_err(|e| {
        format!("cannot reach PostgreSQL at {} ({e}): start one, or set DATABASE_URL", config.database_url)
    })?;
    store.migrate().await?;
    sqlx::raw_sql(&format!(
        "SET LOCAL client_min_messages = warning; CREATE TABLE IF NOT EXISTS {ORDERS} (\
             id bigserial PRIMARY KEY, stripe_event text NOT NULL, kind text NOT NULL, \
             amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
    ))
    .execute(store.pool())
    .await?;
    let state = AppState {
        endpoint: Endpoint::new(config.verifier()?).replay_store(store.clone()),
        store: store.clone(),
        outage: Outage::default(),
    };
    Ok((axum::Router::new().route("/webhooks/stripe", post(paid)).with_state(state), store))
}

fn event(id: &str, kind: &str, amount: i64) -> String {
    format!(
        r#"{{"id":"{id}","object":"event","type":"{kind}","data":{{"object":{{"amount_paid":{amount}}}}}}}"#
    )
}

/// The demo: plays Stripe against the receiver, then prints the orders table.
async fn demo(config: &Config, store: &PostgresStore) -> Result<(), Error> {
    let verifier = config.verifier()?;
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let url = format!("http://{}/webhooks/stripe", config.bind);
    let send = |body: String| {
        let (client, url) = (client.clone(), url.clone());
        let headers = verifier.sign(&Message::new(body.as_bytes())).map(|h| h.to_header_map());
        async move {
            let response = client
                .post(url)
                .headers(headers?)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await?;
            Ok::<_, Error>(format!("{} {}", response.status().as_u16(), response.text().await?))
        }
    };
    let run = std::process::id();

    let paid = event(&format!("evt_paid_{run}"), "invoice.paid", 4200);
    println!("1. Ten copies of one invoice.paid event, at once:");
    let copies: Vec<_> = (0..10).map(|_| tokio::spawn(send(paid.clone()))).collect();
    for (i, copy) in copies.into_iter().enumerate() {
        println!("   copy {i}: {}", copy.await??);
    }

    let fails = event(&format!("evt_fails_{run}"), "demo.fails_once", 990);
    println!("2. An event whose handler fails after writing its order, then Stripe's retry:");
    println!("   first delivery: {}", send(fails.clone()).await?);
    // Stripe retries until it gets a 2xx (the released claim may take a moment to reach the
    // database: until then a retry is answered 409 in_flight).
    for attempt in 1..=20 {
        let answer = send(fails.clone()).await?;
        println!("   retry {attempt}:        {answer}");
        if answer.starts_with('2') {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("   another copy:   {}", send(fails).await?);

    let rows: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT stripe_event, kind, amount FROM {ORDERS} WHERE stripe_event LIKE $1 ORDER BY id"
    ))
    .bind(format!("evt_%_{run}"))
    .fetch_all(store.pool())
    .await?;
    println!("Orders written by this run ({} rows, one per event):", rows.len());
    for (event, kind, amount) in rows {
        println!("   {event}  {kind}  {amount}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match run(std::env::args().nth(1).as_deref()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(mode: Option<&str>) -> Result<(), Error> {
    let config = Config::from_env()?;
    let (app, store) = app(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    tracing::info!("receiving Stripe events on POST http://{}/webhooks/stripe", listener.local_addr()?);
    match mode {
        Some("serve") => {
            print_curl(&config)?;
            let stop = shutdown_signal()?;
            axum::serve(listener, app).with_graceful_shutdown(stop).await?;
        }
        None | Some("demo") => {
            let server = tokio::spawn(async move { axum::serve(listener, app).await });
            let result = demo(&config, &store).await;
            server.abort();
            result?;
        }
        Some(other) => return Err(format!("unknown mode {other:?}: run without one, or with `serve`").into()),
    }
    Ok(())
}

/// Prints a `curl` command that sends a freshly signed sample event.
fn print_curl(config: &Config) -> Result<(), Error> {
    let body = event(&format!("evt_curl_{}", std::process::id()), "invoice.paid", 1500);
    let headers = config.verifier()?.sign(&Message::new(body.as_bytes()))?;
    let mut command =
        format!("curl -i http://{}/webhooks/stripe -H 'content-type: application/json'", config.bind);
    for (name, value) in headers.iter() {
        command.push_str(&format!(" -H '{name}: {value}'"));
    }
    command.push_str(&format!(" --data '{body}'"));
    println!("Send a signed event (twice: the copy is a duplicate):\n{command}");
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
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
        tracing::info!("{name}: stopping once the deliveries in flight are answered");
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
