//! Two receivers of one database: an axum one and an actix-web one, each with its own
//! `PostgresStore` and pool, whose handlers take a `WebhookTx` and insert one effect row per
//! event in it. Driven by a real HTTP client over loopback.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use hookwarden::{Endpoint, FixedClock, Message, SignedHeaders, Verifier, preset::Stripe};
use hookwarden_postgres::{CommitError, PostgresStore, Table};

pub(crate) const SECRET: &str = "whsec_test_secret_0123456789abcdef";
pub(crate) const NOW: i64 = 1_700_000_000;
/// How long a claim stays in flight: a claim whose release could not reach the database (it
/// was down) holds its delivery that long.
pub(crate) const LEASE: Duration = Duration::from_secs(2);
/// What the handlers answer, so that processed deliveries stand out from the 200 duplicate ack.
pub(crate) const HANDLED: u16 = 202;

/// Each receiver builds its own verifier from the shared secret, as separate processes would.
pub(crate) fn verifier() -> Verifier {
    Verifier::builder(Stripe).secret(SECRET).clock(FixedClock::at(NOW)).build().unwrap()
}

/// A Stripe event's body.
pub(crate) fn body(event: &str) -> Vec<u8> {
    format!(r#"{{"id":"{event}","type":"invoice.paid","data":{{"object":{{"amount_paid":4200}}}}}}"#)
        .into_bytes()
}

pub(crate) fn sign(event: &str) -> SignedHeaders {
    verifier().sign(&Message::new(&body(event))).unwrap()
}

/// What the handlers share: how often they ran, and how many of the next runs panic after
/// writing their effects.
#[derive(Debug, Default)]
pub(crate) struct Handlers {
    pub(crate) calls: AtomicUsize,
    pub(crate) panics: AtomicUsize,
}

impl Handlers {
    fn should_panic(&self) -> bool {
        self.panics.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(1)).is_ok()
    }
}

/// The handlers' work, in the delivery's transaction: one effect row, then a pause so that
/// copies arrive while it runs; a panic there when asked, before the commit.
async fn work(
    handlers: &Handlers,
    connection: &mut sqlx::PgConnection,
    effects: &str,
    body: &[u8],
    by: &str,
) -> Result<(), CommitError> {
    handlers.calls.fetch_add(1, Ordering::SeqCst);
    let event: serde_json::Value = serde_json::from_slice(body).unwrap();
    sqlx::query(&format!("INSERT INTO {effects} (event_id, handled_by) VALUES ($1, $2)"))
        .bind(event["id"].as_str().unwrap())
        .bind(by)
        .execute(&mut *connection)
        .await
        .map_err(CommitError::Database)?;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!handlers.should_panic(), "the handler crashed after writing its effects, before its commit");
    Ok(())
}

/// The two receivers.
pub(crate) struct Receivers {
    pub(crate) axum: SocketAddr,
    pub(crate) actix: SocketAddr,
    pub(crate) handlers: Arc<Handlers>,
    pub(crate) client: reqwest::Client,
    /// The effects table.
    pub(crate) effects: String,
    /// A pool on the database, to count rows.
    pub(crate) pool: sqlx::PgPool,
}

impl Receivers {
    /// Starts both on the database at `url`, with the replay rows in `table` and the effects in
    /// `effects` (both created here).
    pub(crate) async fn start(url: &str, table: &str, effects: &str) -> Self {
        let handlers = Arc::new(Handlers::default());
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::raw_sql(&format!("CREATE TABLE {effects} (event_id text NOT NULL, handled_by text NOT NULL)"))
            .execute(&pool)
            .await
            .unwrap();
        let store = |store: PostgresStore| {
            store.table(Table::new(table).unwrap()).timeout(Duration::from_millis(500)).lease(LEASE)
        };
        store(PostgresStore::new(pool.clone())).migrate().await.unwrap();

        // Receiver 1: axum, on this test's Tokio runtime.
        let axum_store = store(PostgresStore::connect_lazy(url).unwrap());
        let state =
            State { endpoint: Endpoint::new(verifier()).replay_store(axum_store.clone()), store: axum_store };
        let app = axum::Router::new()
            .route(
                "/webhook",
                axum::routing::post({
                    let (handlers, effects) = (handlers.clone(), effects.to_owned());
                    move |mut tx: hookwarden_postgres::WebhookTx<Bytes>| async move {
                        let body = tx.payload.clone();
                        work(&handlers, &mut tx, &effects, &body, "axum").await?;
                        tx.commit().await?;
                        Ok::<_, CommitError>((
                            axum::http::StatusCode::from_u16(HANDLED).unwrap(),
                            "handled by axum",
                        ))
                    }
                }),
            )
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let axum = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        // Receiver 2: actix-web, on its own system (thread and runtime), with its own store.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let actix = listener.local_addr().unwrap();
        let (url, handlers_actix, effects_actix) = (url.to_owned(), handlers.clone(), effects.to_owned());
        let table = table.to_owned();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let store = PostgresStore::connect_lazy(&url)
                    .unwrap()
                    .table(Table::new(&table).unwrap())
                    .timeout(Duration::from_millis(500))
                    .lease(LEASE);
                let verify = hookwarden_actix::WebhookVerify::new(
                    Endpoint::new(verifier()).replay_store(store.clone()),
                );
                actix_web::HttpServer::new(move || {
                    let (handlers, effects) = (handlers_actix.clone(), effects_actix.clone());
                    actix_web::App::new().app_data(verify.clone()).app_data(store.clone()).route(
                        "/webhook",
                        actix_web::web::post().to(
                            move |mut tx: hookwarden_postgres::WebhookTx<actix_web::web::Bytes>| {
                                let (handlers, effects) = (handlers.clone(), effects.clone());
                                async move {
                                    let body = tx.payload.clone();
                                    work(&handlers, &mut tx, &effects, &body, "actix").await?;
                                    tx.commit().await?;
                                    Ok::<_, CommitError>(
                                        actix_web::HttpResponse::build(
                                            actix_web::http::StatusCode::from_u16(HANDLED).unwrap(),
                                        )
                                        .body("handled by actix"),
                                    )
                                }
                            },
                        ),
                    )
                })
                .workers(2)
                .listen(listener)
                .unwrap()
                .run()
                .await
                .unwrap();
            });
        });

        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let receivers = Self { axum, actix, handlers, client, effects: effects.to_owned(), pool };
        receivers.wait_until_up().await;
        receivers
    }

    async fn wait_until_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        for addr in [self.axum, self.actix] {
            while self.client.get(format!("http://{addr}/")).send().await.is_err() {
                assert!(Instant::now() < deadline, "receiver {addr} did not start");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    /// Sends a copy of event `event` to `addr`: the status and the body, or `None` when the
    /// connection failed (a handler that panicked closes it).
    pub(crate) async fn send(
        &self,
        addr: SocketAddr,
        event: &str,
        headers: &SignedHeaders,
    ) -> Option<(u16, String)> {
        let mut request = self.client.post(format!("http://{addr}/webhook")).body(body(event));
        for (name, value) in headers.iter() {
            request = request.header(name, value);
        }
        let response = request.send().await.ok()?;
        Some((response.status().as_u16(), response.text().await.ok()?))
    }

    pub(crate) fn calls(&self) -> usize {
        self.handlers.calls.load(Ordering::SeqCst)
    }

    /// The effect rows of `event`.
    pub(crate) async fn effects_of(&self, event: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT count(*) FROM {} WHERE event_id = $1", self.effects))
            .bind(event)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

#[derive(Clone, axum::extract::FromRef)]
struct State {
    endpoint: Endpoint,
    store: PostgresStore,
}
