//! An axum extractor that verifies a delivery without the layer.

use std::error::Error;
use std::fmt;

use axum::body::{Body, Bytes};
use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use hookwarden::endpoint::Rejection;
use hookwarden::{Claim, Endpoint, StoreError, Verified, VerifyError};
use http::StatusCode;
use http_body::Body as _;
use tracing::Instrument as _;

use crate::rejection::{JsonReason, RejectionResponse, status_of};
use crate::service::{head, read_within};

/// A verified delivery, extracted: what was verified, and the body extracted as `T`
/// (`Bytes` by default; `String`, `Json<U>`, `Form<U>`, ...).
///
/// For routes that prefer an extractor to [`WebhookVerifyLayer`](crate::WebhookVerifyLayer).
/// The [`Endpoint`] comes from the router's state (`Endpoint: FromRef<S>`, for example a
/// `#[derive(FromRef)]` state with an `Endpoint` field): the extractor takes the delivery through
/// the same steps as the layer, with the same statuses and reasons, before `T` is extracted from
/// the same bytes. On a route that already has the layer, it takes the layer's result and does
/// not verify twice.
///
/// With a replay store on the endpoint, the extractor claims the delivery, as the actix-web
/// extractor does. It cannot see the handler's answer, so the handler settles the claim: call
/// [`commit`](Self::commit) once the delivery is processed. A claim not committed is released
/// when the `Webhook` is dropped (the handler failed, panicked or returned early), so the
/// sender's retry is processed. The layer does this for you, from the handler's status, which
/// is why it is the recommended way. Endpoint checks are answered only by the layer.
///
/// # Example
///
/// ```
/// use axum::{Json, Router, http::StatusCode, routing::post};
/// use hookwarden::{Endpoint, MemoryStore, Verifier, preset::Stripe};
/// use hookwarden_tower::Webhook;
///
/// async fn stripe_event(mut webhook: Webhook<Json<serde_json::Value>>) -> StatusCode {
///     println!("{} (key {})", webhook.payload["type"], webhook.verified.key_id());
///     match webhook.commit().await {
///         Ok(()) => StatusCode::NO_CONTENT,
///         Err(_) => StatusCode::SERVICE_UNAVAILABLE,
///     }
/// }
///
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
/// let endpoint = Endpoint::new(verifier).replay_store(MemoryStore::new());
/// let app: Router = Router::new().route("/webhooks/stripe", post(stripe_event)).with_state(endpoint);
/// # let _ = app;
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
#[derive(Debug)]
pub struct Webhook<T = Bytes> {
    /// What was verified: the delivery id, timestamp, the key that matched, the identity.
    pub verified: Verified,
    /// The body, extracted as `T`.
    pub payload: T,
    claim: Option<Claim>,
}

impl<T> Webhook<T> {
    /// Marks the delivery processed, so copies are acknowledged as duplicates. Does nothing
    /// when the layer verified the delivery (it settles the claim itself) or no store is
    /// configured. A `Webhook` dropped without it releases the claim, so the sender's retry is
    /// processed.
    ///
    /// # Errors
    ///
    /// The store could not answer; the claim is then kept until its lease lapses.
    pub async fn commit(&mut self) -> Result<(), StoreError> {
        Claim::commit_held(&mut self.claim).await
    }

    /// The extracted value, the verification, and the unresolved claim, if any: for an
    /// extractor that settles the claim another way (`hookwarden-postgres` commits it in the
    /// handler's own transaction). A claim dropped unresolved is released.
    pub fn into_parts(self) -> (T, Verified, Option<Claim>) {
        (self.payload, self.verified, self.claim)
    }
}

impl<S, T> FromRequest<S> for Webhook<T>
where
    S: Send + Sync,
    T: FromRequest<S>,
    Endpoint: FromRef<S>,
{
    type Rejection = WebhookRejection<T::Rejection>;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Verified by the layer already: nothing to do twice.
        if let Some(verified) = request.extensions().get::<Verified>().cloned() {
            let payload = T::from_request(request, state).await.map_err(WebhookRejection::Payload)?;
            return Ok(Self { verified, payload, claim: None });
        }
        let endpoint = Endpoint::from_ref(state);
        let (mut parts, body) = request.into_parts();
        let (bytes, verified, claim) = accept(&endpoint, &parts, body)
            .instrument(Endpoint::span())
            .await
            .map_err(WebhookRejection::Verify)?;
        parts.extensions.insert(verified.clone());
        let request = Request::from_parts(parts, Body::from(bytes));
        let payload = T::from_request(request, state).await.map_err(WebhookRejection::Payload)?;
        Ok(Self { verified, payload, claim })
    }
}

/// The endpoint's steps up to the handler: admit, read, verify, claim.
async fn accept(
    endpoint: &Endpoint,
    parts: &http::request::Parts,
    body: Body,
) -> Result<(Bytes, Verified, Option<Claim>), Rejection> {
    let admission = endpoint.admit(&head(parts).body_len_at_least(body.size_hint().lower()))?;
    let bytes = read_within(endpoint, body).await.map_err(|error| endpoint.reject(error))?;
    let delivery = endpoint.verify(&head(parts), &admission, &bytes)?;
    let claim = endpoint.claim(&delivery).await?;
    Ok((bytes, delivery.into_verified(), claim))
}

/// Why [`Webhook`] rejected a request, in axum's rejection style.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection<R> {
    /// The endpoint refused the delivery: answered like the layer answers.
    Verify(Rejection),
    /// The verified body could not be extracted as the payload type (bad JSON, say).
    Payload(R),
}

impl<R> WebhookRejection<R> {
    /// Why the endpoint refused the delivery, when it did.
    pub fn error(&self) -> Option<&VerifyError> {
        match self {
            Self::Verify(rejection) => Some(rejection.error()),
            Self::Payload(_) => None,
        }
    }
}

impl<R: PayloadRejection> WebhookRejection<R> {
    /// The status it answers, as axum's own rejections say theirs.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Verify(rejection) => status_of(rejection),
            Self::Payload(rejection) => rejection.status(),
        }
    }

    /// The body it answers: `{"reason":"<code>"}` for a refused delivery, the payload
    /// rejection's own text otherwise.
    pub fn body_text(&self) -> String {
        match self {
            Self::Verify(rejection) => String::from_utf8_lossy(&rejection.json_body()).into_owned(),
            Self::Payload(rejection) => rejection.body_text(),
        }
    }
}

/// The rejection of an extractor a payload is read with, which can say its status and body
/// before it becomes a response, as axum's rejections do ([`WebhookRejection::status`]).
/// Implemented for the rejections of `Bytes`, `String`, `Json` and `Form`; `Bytes` and
/// `String` never reject a body the endpoint already read, hence `Infallible` too.
pub trait PayloadRejection {
    /// The status the rejection answers.
    fn status(&self) -> StatusCode;
    /// The body the rejection answers.
    fn body_text(&self) -> String;
}

macro_rules! payload_rejection {
    ($($rejection:ty),*) => {$(
        impl PayloadRejection for $rejection {
            fn status(&self) -> StatusCode {
                <$rejection>::status(self)
            }
            fn body_text(&self) -> String {
                <$rejection>::body_text(self)
            }
        }
    )*};
}

payload_rejection!(
    axum::extract::rejection::BytesRejection,
    axum::extract::rejection::StringRejection,
    axum::extract::rejection::JsonRejection,
    axum::extract::rejection::FormRejection
);

impl PayloadRejection for std::convert::Infallible {
    fn status(&self) -> StatusCode {
        match *self {}
    }
    fn body_text(&self) -> String {
        match *self {}
    }
}

impl<R: IntoResponse> IntoResponse for WebhookRejection<R> {
    fn into_response(self) -> Response {
        match self {
            Self::Verify(rejection) => {
                let mut response = JsonReason.rejection_response(rejection.error(), status_of(&rejection));
                if let Some(seconds) = rejection.retry_after() {
                    response.headers_mut().insert(http::header::RETRY_AFTER, seconds.into());
                }
                response.extensions_mut().insert(rejection.into_error());
                response.map(Body::from)
            }
            Self::Payload(rejection) => rejection.into_response(),
        }
    }
}

impl<R: fmt::Display> fmt::Display for WebhookRejection<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verify(rejection) => write!(f, "webhook rejected: {rejection}"),
            Self::Payload(rejection) => write!(f, "webhook payload could not be extracted: {rejection}"),
        }
    }
}

impl<R: Error + 'static> Error for WebhookRejection<R> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Verify(rejection) => Some(rejection),
            Self::Payload(rejection) => Some(rejection),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::extract::rejection::JsonRejection;

    use super::*;

    #[test]
    fn rejections_say_their_status_and_body_like_axums() {
        let refused: WebhookRejection<JsonRejection> =
            WebhookRejection::Verify(Rejection::new(VerifyError::InFlight));
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert_eq!(refused.body_text(), r#"{"reason":"in_flight"}"#);
        assert_eq!(refused.error(), Some(&VerifyError::InFlight));
        let response = refused.into_response();
        assert_eq!(response.headers()[http::header::RETRY_AFTER], "5");

        let duplicate = Rejection::new(VerifyError::Duplicate).with_status(202);
        let acknowledged: WebhookRejection<std::convert::Infallible> = WebhookRejection::Verify(duplicate);
        assert_eq!(acknowledged.status(), StatusCode::ACCEPTED);
    }
}
