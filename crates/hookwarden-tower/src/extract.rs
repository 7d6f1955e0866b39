//! An axum extractor that verifies a delivery without the layer.

use std::error::Error;
use std::fmt;

use axum::body::{Body, Bytes};
use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use hookwarden::endpoint::{Extracted, Rejection};
use hookwarden::{Endpoint, Verified, VerifyError};
use http::StatusCode;
use tracing::Instrument as _;

use crate::accept::{Accepted, accept};

/// A verified delivery, extracted: an [`Extracted`] with what was verified, the body extracted
/// as `T` (`Bytes` by default; `String`, `Json<U>`, `Form<U>`, ...) and the claim. Take it apart
/// like axum's own extractors: `Webhook(delivery): Webhook<Json<Event>>`.
///
/// For routes that prefer an extractor to [`WebhookVerifyLayer`](crate::WebhookVerifyLayer).
/// The [`Endpoint`] comes from the router's state (`Endpoint: FromRef<S>`, for example a
/// `#[derive(FromRef)]` state with an `Endpoint` field): the extractor takes the delivery through
/// the same steps as the layer, with the same statuses and reasons, before `T` is extracted from
/// the same bytes. On a route that already has the layer, it takes the layer's result and does
/// not verify twice.
///
/// With a replay store on the endpoint, the extractor claims the delivery, as the actix-web
/// extractor does, and the handler settles the claim: call [`commit`](Extracted::commit) once
/// the delivery is processed (dropped unsettled, it is released). The layer does this for you,
/// from the handler's status, which is why it is the recommended way.
///
/// # Example
///
/// ```
/// use axum::{Json, Router, http::StatusCode, routing::post};
/// use hookwarden::{Endpoint, MemoryStore, Verifier, preset::Stripe};
/// use hookwarden_tower::Webhook;
///
/// async fn stripe_event(Webhook(mut webhook): Webhook<Json<serde_json::Value>>) -> StatusCode {
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
pub struct Webhook<T = Bytes>(pub Extracted<T>);

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
            return Ok(Self(Extracted::new(verified, payload, None)));
        }
        let endpoint = Endpoint::from_ref(state);
        let (mut parts, body) = request.into_parts();
        let (bytes, verified, claim) =
            match accept(&endpoint, &parts, body).instrument(Endpoint::span()).await {
                Ok(Accepted::Event(bytes, verified, claim)) => (bytes, verified, claim),
                #[cfg(feature = "handshakes")]
                Ok(Accepted::Handshake(answer)) => return Err(WebhookRejection::Handshake(answer)),
                Err(rejection) => return Err(WebhookRejection::Verify(rejection)),
            };
        parts.extensions.insert(verified.clone());
        let request = Request::from_parts(parts, Body::from(bytes));
        let payload = T::from_request(request, state).await.map_err(WebhookRejection::Payload)?;
        Ok(Self(Extracted::new(verified, payload, claim)))
    }
}

/// Why [`Webhook`] rejected a request, in axum's rejection style.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection<R> {
    /// The endpoint refused the delivery: answered like the layer answers.
    Verify(Rejection),
    /// The verified body could not be extracted as the payload type (bad JSON, say).
    Payload(R),
    /// Not a rejection: a provider's endpoint check, with
    /// [`answer_handshakes`](Endpoint::answer_handshakes), and the answer it expects (`200`).
    /// The handler is not called.
    #[cfg(feature = "handshakes")]
    Handshake(http::Response<Vec<u8>>),
}

impl<R> WebhookRejection<R> {
    /// Why the endpoint refused the delivery, when it did.
    pub fn error(&self) -> Option<&VerifyError> {
        match self {
            Self::Verify(rejection) => Some(rejection.error()),
            _ => None,
        }
    }
}

impl<R: PayloadRejection> WebhookRejection<R> {
    /// The status it answers, as axum's own rejections say theirs.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Verify(rejection) => {
                StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            Self::Payload(rejection) => rejection.status(),
            #[cfg(feature = "handshakes")]
            Self::Handshake(answer) => answer.status(),
        }
    }

    /// The body it answers: the endpoint's [rejection body](Endpoint::rejection_body) for a
    /// refused delivery, the payload rejection's own text otherwise.
    pub fn body_text(&self) -> String {
        match self {
            Self::Verify(rejection) => String::from_utf8_lossy(rejection.body().bytes()).into_owned(),
            Self::Payload(rejection) => rejection.body_text(),
            #[cfg(feature = "handshakes")]
            Self::Handshake(answer) => String::from_utf8_lossy(answer.body()).into_owned(),
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
            Self::Verify(rejection) => rejection.into_response().map(Body::from),
            Self::Payload(rejection) => rejection.into_response(),
            #[cfg(feature = "handshakes")]
            Self::Handshake(answer) => answer.map(Body::from),
        }
    }
}

impl<R: fmt::Display> fmt::Display for WebhookRejection<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Verify(rejection) => write!(f, "webhook rejected: {rejection}"),
            Self::Payload(rejection) => write!(f, "webhook payload could not be extracted: {rejection}"),
            #[cfg(feature = "handshakes")]
            Self::Handshake(_) => f.write_str("endpoint check answered"),
        }
    }
}

impl<R: Error + 'static> Error for WebhookRejection<R> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Verify(rejection) => Some(rejection),
            Self::Payload(rejection) => Some(rejection),
            #[cfg(feature = "handshakes")]
            Self::Handshake(_) => None,
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

    #[tokio::test]
    async fn endpoint_checks_are_answered_and_never_reach_the_handler() {
        let verifier = hookwarden::Verifier::builder(hookwarden::preset::Slack)
            .secret("8f742231b10e8888abcd99yyyzzz85a5")
            .build()
            .unwrap();
        let endpoint = Endpoint::new(verifier.clone()).answer_handshakes(true);
        let body = br#"{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
        let mut request = Request::post("/slack").body(Body::from(&body[..])).unwrap();
        *request.headers_mut() = verifier.sign(&hookwarden::Message::new(body)).unwrap().to_header_map();

        let Err(answer) = Webhook::<Bytes>::from_request(request, &endpoint).await else {
            panic!("the endpoint check reached the handler");
        };
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(answer.body_text(), "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assert_eq!(answer.error(), None);
    }
}
