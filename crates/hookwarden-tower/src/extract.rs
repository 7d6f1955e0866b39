//! An axum extractor that verifies a delivery without the layer.

use std::error::Error;
use std::fmt;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use hookwarden::{DEFAULT_BODY_TIMEOUT, Verified, Verifier, VerifyError};

use crate::rejection::{JsonReason, RejectionResponse, status_of};
use crate::service::within;

/// A verified delivery, extracted: what was verified, and the body extracted as `T`
/// (`Bytes` by default; `String`, `Json<U>`, `Form<U>`, ...).
///
/// For routes that prefer an extractor to [`WebhookVerifyLayer`](crate::WebhookVerifyLayer).
/// The [`Verifier`] comes from the router's state (`Verifier: FromRef<S>`, for example a
/// `#[derive(FromRef)]` state with a `Verifier` field). The body is read within axum's
/// `DefaultBodyLimit` (2 MiB unless changed) and within [`DEFAULT_BODY_TIMEOUT`] (30 s, then
/// `408 body_timeout`), verified, and handed to `T` as the same bytes.
/// On a route that already has the layer, the extractor takes the layer's result and does
/// not verify twice.
///
/// An extractor cannot see the handler's answer, so it does **no replay protection**: for
/// that, use the layer with a [replay store](crate::WebhookVerifyLayer::replay_store).
///
/// Rejections answer like the layer does (`401 {"reason":"no_matching_signature"}`, ...); see
/// [`WebhookRejection`].
///
/// # Example
///
/// ```
/// use axum::{Json, Router, routing::post};
/// use hookwarden::{Verifier, preset::Stripe};
/// use hookwarden_tower::Webhook;
///
/// async fn stripe_event(Webhook { verified, payload: Json(event) }: Webhook<Json<serde_json::Value>>) {
///     println!("{} (key {})", event["type"], verified.key_id());
/// }
///
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
/// let app: Router = Router::new().route("/webhooks/stripe", post(stripe_event)).with_state(verifier);
/// # let _ = app;
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Webhook<T = Bytes> {
    /// What was verified: the delivery id, timestamp, and the key that matched.
    pub verified: Verified,
    /// The body, extracted as `T`.
    pub payload: T,
}

impl<S, T> FromRequest<S> for Webhook<T>
where
    S: Send + Sync,
    T: FromRequest<S>,
    Verifier: FromRef<S>,
{
    type Rejection = WebhookRejection<T::Rejection>;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Verified by the layer already: nothing to do twice.
        if let Some(verified) = request.extensions().get::<Verified>().cloned() {
            let payload = T::from_request(request, state).await.map_err(WebhookRejection::Payload)?;
            return Ok(Self { verified, payload });
        }

        let (mut parts, body) = request.into_parts();
        // `Bytes` honours `DefaultBodyLimit`, which lives in the request's extensions.
        let buffered = Request::from_parts(parts.clone(), body);
        let bytes = within(DEFAULT_BODY_TIMEOUT, Bytes::from_request(buffered, state))
            .await
            .ok_or(WebhookRejection::Verify(VerifyError::BodyTimeout { after: DEFAULT_BODY_TIMEOUT }))?
            .map_err(WebhookRejection::Body)?;
        let verified = Verifier::from_ref(state).verify(&parts.headers, &bytes).map_err(|error| {
            tracing::debug!(error = %error, "delivery rejected");
            WebhookRejection::Verify(error)
        })?;
        parts.extensions.insert(verified.clone());
        let request = Request::from_parts(parts, Body::from(bytes));
        let payload = T::from_request(request, state).await.map_err(WebhookRejection::Payload)?;
        Ok(Self { verified, payload })
    }
}

/// Why [`Webhook`] rejected a request, in axum's rejection style.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection<R> {
    /// The delivery is not authentic or not fresh: answered like the layer answers.
    Verify(VerifyError),
    /// The body could not be read: too large (`413`), or the stream failed (`400`).
    Body(BytesRejection),
    /// The verified body could not be extracted as the payload type (bad JSON, say).
    Payload(R),
}

impl<R: IntoResponse> IntoResponse for WebhookRejection<R> {
    fn into_response(self) -> Response {
        match self {
            Self::Verify(error) => {
                let mut response = JsonReason.rejection_response(&error, status_of(&error));
                response.extensions_mut().insert(error);
                response.map(Body::from)
            }
            Self::Body(rejection) => rejection.into_response(),
            Self::Payload(rejection) => rejection.into_response(),
        }
    }
}

impl<R: fmt::Display> fmt::Display for WebhookRejection<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verify(error) => write!(f, "webhook rejected: {error}"),
            Self::Body(rejection) => write!(f, "webhook body could not be read: {rejection}"),
            Self::Payload(rejection) => write!(f, "webhook payload could not be extracted: {rejection}"),
        }
    }
}

impl<R: Error + 'static> Error for WebhookRejection<R> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Verify(error) => Some(error),
            Self::Body(rejection) => Some(rejection),
            Self::Payload(rejection) => Some(rejection),
        }
    }
}
