//! [`WebhookTx`]: the extractor of the transactional mode, for axum and actix-web.

use std::ops::{Deref, DerefMut};

use hookwarden::Verified;
use sqlx::{PgConnection, Postgres, Transaction};

use crate::{ClaimTx, CommitError};

/// A verified, claimed delivery and a PostgreSQL transaction to handle it in: the handler
/// writes its effects in the transaction and calls [`commit`](Self::commit), which marks the
/// delivery processed in the same transaction.
///
/// An extractor for axum (feature `axum`) and actix-web (feature `actix`). It verifies and
/// claims the delivery as the adapter's `Webhook` extractor does, with the same statuses and
/// reasons, then begins a transaction on the store's pool (`503 store_unavailable` when it
/// cannot). A handler that returns without committing, fails, or panics drops the
/// transaction, which rolls back, and the claim is released: the sender's retry is processed.
///
/// Use it on routes *without* the layer or middleware (which settle claims from the status,
/// outside the transaction); there, and on an endpoint without a store, it answers
/// `500 {"reason":"not_claimed"}`.
///
/// # With axum
///
/// The [`Endpoint`](hookwarden::Endpoint), whose replay store is the [`PostgresStore`](crate::PostgresStore), and
/// the store come from the router's state (`FromRef`).
///
/// ```no_run
/// # #[cfg(feature = "axum")] mod example {
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
/// # }
/// ```
///
/// # With actix-web
///
/// The [`WebhookVerify`](hookwarden_actix::WebhookVerify) configuration, whose endpoint's
/// replay store is the [`PostgresStore`](crate::PostgresStore), and that store are app data.
///
/// ```no_run
/// # #[cfg(feature = "actix")] mod example {
/// use actix_web::{App, HttpResponse, HttpServer, web};
/// use hookwarden::{Endpoint, Verifier, preset::Stripe};
/// use hookwarden_actix::WebhookVerify;
/// use hookwarden_postgres::{CommitError, PostgresStore, WebhookTx};
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
/// async fn run() -> Result<(), Box<dyn std::error::Error>> {
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
/// # }
/// ```
#[derive(Debug)]
pub struct WebhookTx<T = bytes::Bytes> {
    /// What was verified: the delivery id, timestamp, the key that matched, the identity.
    pub verified: Verified,
    /// The body, extracted as `T`.
    pub payload: T,
    pub(crate) tx: ClaimTx,
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
