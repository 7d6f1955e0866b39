//! [`WebhookTx`] as an axum extractor.

use std::fmt;

use axum::extract::{FromRef, FromRequest, Request};
use axum::http;
use axum::response::{IntoResponse, Response};
use hookwarden::{Endpoint, VerifyError};
use hookwarden_tower::{Webhook, WebhookRejection};

use crate::{CommitError, PostgresStore, WebhookTx};

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
