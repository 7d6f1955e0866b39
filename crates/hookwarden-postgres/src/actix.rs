//! [`WebhookTx`]: the actix-web extractor of the transactional mode.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{Error, FromRequest, HttpRequest, HttpResponse, ResponseError};
use hookwarden::{Verified, VerifyError};
use hookwarden_actix::{Webhook, WebhookVerify};
use sqlx::{PgConnection, Postgres, Transaction};

use crate::{ClaimTx, CommitError, PostgresStore};

/// A verified, claimed delivery and a PostgreSQL transaction to handle it in, for actix-web:
/// the handler writes its effects in the transaction and calls [`commit`](Self::commit), which
/// marks the delivery processed in the same transaction.
///
/// It needs, in the app data, the [`WebhookVerify`](hookwarden_actix::WebhookVerify)
/// configuration whose endpoint's replay store is the [`PostgresStore`], and that store
/// (`App::app_data(store.clone())`). It verifies and claims the delivery as
/// [`hookwarden_actix::Webhook`] does, then begins a transaction on the store's pool
/// (`503 store_unavailable` when it cannot). Dropping it without [`commit`](Self::commit) (an
/// error, a panic) rolls back and releases the claim: the sender's retry is processed. Use it
/// on routes without the middleware; there, or without a store, it answers
/// `500 {"reason":"not_claimed"}`.
///
/// # Example
///
/// ```no_run
/// use actix_web::{App, HttpResponse, HttpServer, web};
/// use hookwarden::{Endpoint, Verifier, preset::Stripe};
/// use hookwarden_actix::WebhookVerify;
/// use hookwarden_postgres::{CommitError, PostgresStore, actix::WebhookTx};
///
/// async fn paid(mut tx: WebhookTx<web::Json<serde_json::Value>>) -> Result<HttpResponse, CommitError> {
///     let event_id = tx.payload["id"].as_str().unwrap_or_default().to_owned();
///     sqlx::query("INSERT INTO orders (stripe_event) VALUES ($1)")
///         .bind(&event_id)
///         .execute(&mut *tx)
///         .await
///         .map_err(CommitError::Database)?;
///     tx.commit().await?;
///     Ok(HttpResponse::NoContent().finish())
/// }
///
/// #[actix_web::main]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let store = PostgresStore::connect("postgres://localhost/app").await?;
///     store.migrate().await?;
///     let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
///     let verify = WebhookVerify::new(Endpoint::new(verifier).replay_store(store.clone()));
///     HttpServer::new(move || {
///         App::new().app_data(verify.clone()).app_data(store.clone()).route("/webhooks/stripe", web::post().to(paid))
///     })
///     .bind(("127.0.0.1", 8080))?
///     .run()
///     .await?;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct WebhookTx<T> {
    /// What the signature proved: the delivery id, timestamp, key and identity.
    pub verified: Verified,
    /// The body, extracted as `T`.
    pub payload: T,
    tx: ClaimTx,
}

impl<T> WebhookTx<T> {
    /// Marks the delivery processed in the transaction and commits it: see [`ClaimTx::commit`].
    ///
    /// # Errors
    ///
    /// As for [`ClaimTx::commit`]; the error answers as a response (409 or 503).
    pub async fn commit(self) -> Result<(), CommitError> {
        self.tx.commit().await
    }

    /// Rolls back and releases the claim: see [`ClaimTx::rollback`].
    ///
    /// # Errors
    ///
    /// As for [`ClaimTx::rollback`].
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }

    /// The transaction, for code that takes a sqlx [`Transaction`].
    pub fn transaction(&mut self) -> &mut Transaction<'static, Postgres> {
        self.tx.transaction()
    }

    /// The verification, the payload, and the claim with its transaction.
    pub fn into_parts(self) -> (T, Verified, ClaimTx) {
        (self.payload, self.verified, self.tx)
    }
}

impl<T> Deref for WebhookTx<T> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl<T> DerefMut for WebhookTx<T> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

impl<T: FromRequest + 'static> FromRequest for WebhookTx<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let webhook = Webhook::<T>::from_request(req, payload);
        let store = req.app_data::<PostgresStore>().cloned();
        let verify = req.app_data::<WebhookVerify>().cloned();
        Box::pin(async move {
            let (payload, verified, claim) = webhook.await?.0.into_parts();
            let (Some(claim), Some(store), Some(verify)) = (claim, store, verify) else {
                tracing::error!(
                    "WebhookTx found no claim or no PostgresStore in the app data: give the endpoint the store, add the store with App::app_data, and do not wrap this route in the middleware"
                );
                return Err(NotClaimed.into());
            };
            match store.begin(claim).await {
                Ok(tx) => Ok(Self { verified, payload, tx }),
                Err(error) => {
                    tracing::warn!(error = %error, "could not begin the delivery's transaction");
                    Err(verify.reject(VerifyError::StoreUnavailable))
                }
            }
        })
    }
}

/// The delivery was verified but not claimed: `500 {"reason":"not_claimed"}`.
#[derive(Debug)]
struct NotClaimed;

impl std::fmt::Display for NotClaimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the delivery was not claimed: no replay store, or the middleware settles it")
    }
}

impl ResponseError for NotClaimed {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }

    fn error_response(&self) -> HttpResponse {
        reason_response(self.status_code(), "not_claimed")
    }
}

/// Answers a [`CommitError`] with its status and `{"reason":"<code>"}` (409 with
/// `Retry-After: 5`, like `in_flight`).
impl ResponseError for CommitError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
    }

    fn error_response(&self) -> HttpResponse {
        tracing::warn!(error = %self, "the delivery's transaction did not commit");
        let mut response = reason_response(self.status_code(), self.reason());
        if self.status_code() == StatusCode::CONFLICT {
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("5"),
            );
        }
        response
    }
}

fn reason_response(status: StatusCode, reason: &'static str) -> HttpResponse {
    HttpResponse::build(status).content_type("application/json").body(format!(r#"{{"reason":"{reason}"}}"#))
}
