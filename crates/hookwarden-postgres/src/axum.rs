//! [`WebhookTx`]: the axum extractor of the transactional mode.

use std::fmt;
use std::ops::{Deref, DerefMut};

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http;
use axum::response::{IntoResponse, Response};
use hookwarden::{Endpoint, Verified, VerifyError};
use hookwarden_tower::{Webhook, WebhookRejection};
use sqlx::{PgConnection, Postgres, Transaction};

use crate::{ClaimTx, CommitError, PostgresStore};

/// A verified, claimed delivery and a PostgreSQL transaction to handle it in: the handler
/// writes its effects in the transaction and calls [`commit`](Self::commit), which marks the
/// delivery processed in the same transaction.
///
/// The [`Endpoint`] and the [`PostgresStore`] come from the router's state (`FromRef`), and the
/// endpoint's replay store must be that store (`Endpoint::replay_store(store.clone())`): the
/// extractor verifies and claims the delivery as
/// [`hookwarden_tower::Webhook`] does, with the same statuses and reasons, then begins a
/// transaction on the store's pool (`503 store_unavailable` when it cannot). A handler that
/// returns without committing, fails, or panics drops the transaction, which rolls back, and
/// the claim is released: the sender's retry is processed.
///
/// Use it on routes *without* the layer (which settles claims from the status, outside the
/// transaction); there, and on an endpoint without a store, it answers
/// `500 {"reason":"not_claimed"}`.
///
/// # Example
///
/// ```no_run
/// use axum::{Json, Router, extract::FromRef, http::StatusCode, routing::post};
/// use hookwarden::{Endpoint, Verifier, preset::Stripe};
/// use hookwarden_postgres::{CommitError, PostgresStore, WebhookTx};
///
/// #[derive(Clone, FromRef)]
/// struct State {
///     endpoint: Endpoint,
///     store: PostgresStore,
/// }
///
/// async fn paid(mut tx: WebhookTx<Json<serde_json::Value>>) -> Result<StatusCode, CommitError> {
///     let event_id = tx.payload["id"].as_str().unwrap_or_default().to_owned();
///     sqlx::query("INSERT INTO orders (stripe_event) VALUES ($1)")
///         .bind(&event_id)
///         .execute(&mut *tx)
///         .await
///         .map_err(CommitError::Database)?;
///     tx.commit().await?;
///     Ok(StatusCode::NO_CONTENT)
/// }
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = PostgresStore::connect("postgres://localhost/app").await?;
/// store.migrate().await?;
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
/// let endpoint = Endpoint::new(verifier).replay_store(store.clone());
/// let app: Router = Router::new().route("/webhooks/stripe", post(paid)).with_state(State { endpoint, store });
/// # let _ = app;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct WebhookTx<T = Bytes> {
    /// What was verified: the delivery id, timestamp, the key that matched, the identity.
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

impl<S, T> FromRequest<S> for WebhookTx<T>
where
    S: Send + Sync,
    T: FromRequest<S> + Send,
    Endpoint: FromRef<S>,
    PostgresStore: FromRef<S>,
{
    type Rejection = WebhookTxRejection<T::Rejection>;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let webhook =
            Webhook::<T>::from_request(request, state).await.map_err(WebhookTxRejection::Webhook)?;
        let (payload, verified, claim) = webhook.0.into_parts();
        let Some(claim) = claim else {
            tracing::error!(
                "WebhookTx found no claim: give the endpoint the PostgresStore as its replay store, and do not put the layer on this route"
            );
            return Err(WebhookTxRejection::NotClaimed);
        };
        let store = PostgresStore::from_ref(state);
        match store.begin(claim).await {
            Ok(tx) => Ok(Self { verified, payload, tx }),
            Err(error) => {
                tracing::warn!(error = %error, "could not begin the delivery's transaction");
                let rejection = Endpoint::from_ref(state).reject(VerifyError::StoreUnavailable);
                Err(WebhookTxRejection::Webhook(WebhookRejection::Verify(rejection)))
            }
        }
    }
}

/// Why [`WebhookTx`] rejected a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookTxRejection<R> {
    /// The delivery was refused (or its payload not extracted), as
    /// [`hookwarden_tower::Webhook`] refuses it; also a transaction that could not begin
    /// (`503 store_unavailable`).
    Webhook(WebhookRejection<R>),
    /// The delivery was verified but not claimed: the endpoint has no replay store, or the
    /// layer is on the route. `500 {"reason":"not_claimed"}`.
    NotClaimed,
}

impl<R: IntoResponse> IntoResponse for WebhookTxRejection<R> {
    fn into_response(self) -> Response {
        match self {
            Self::Webhook(rejection) => rejection.into_response(),
            Self::NotClaimed => reason_response(http::StatusCode::INTERNAL_SERVER_ERROR, "not_claimed"),
        }
    }
}

impl<R: fmt::Display> fmt::Display for WebhookTxRejection<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Webhook(rejection) => rejection.fmt(f),
            Self::NotClaimed => {
                f.write_str("the delivery was not claimed: no replay store, or the layer settles it")
            }
        }
    }
}

/// Answers a [`CommitError`] with its status and `{"reason":"<code>"}`, as the adapters answer
/// refused deliveries (409 with `Retry-After: 5`, like `in_flight`).
impl IntoResponse for CommitError {
    fn into_response(self) -> Response {
        tracing::warn!(error = %self, "the delivery's transaction did not commit");
        let status =
            http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::SERVICE_UNAVAILABLE);
        let mut response = reason_response(status, self.reason());
        if status == http::StatusCode::CONFLICT {
            response.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("5"));
        }
        response
    }
}

fn reason_response(status: http::StatusCode, reason: &'static str) -> Response {
    let body = format!(r#"{{"reason":"{reason}"}}"#);
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    response
}
