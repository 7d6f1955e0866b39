//! How a rejected delivery is answered.

use bytes::Bytes;
use hookwarden::VerifyError;
use hookwarden::endpoint::Rejection;
use http::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use http::{Response, StatusCode};

/// Shapes the response to a rejected delivery.
///
/// The layer calls it with the error and the status it decided on
/// ([`VerifyError::status`], or the layer's
/// [`duplicate_status`](hookwarden::Endpoint::duplicate_status) for duplicates). Whatever
/// it returns, the layer then inserts the [`VerifyError`] into the response's extensions and,
/// for [`VerifyError::InFlight`], adds `Retry-After: 5` unless the response has one.
///
/// Implemented for closures `Fn(&VerifyError, StatusCode) -> Response<Bytes>`; the default is
/// [`JsonReason`]. Never put a secret, a MAC or the request body in a response: the
/// error's `Display` is for logs, its [`reason`](VerifyError::reason) is safe to send.
///
/// # Example
///
/// ```
/// use bytes::Bytes;
/// use hookwarden::{Verifier, VerifyError, preset::GitHub};
/// use hookwarden_tower::WebhookVerifyLayer;
/// use http::{Response, StatusCode};
///
/// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
/// // Plain-text, empty-bodied rejections instead of JSON.
/// let layer = WebhookVerifyLayer::new(verifier).rejection_response(
///     |_error: &VerifyError, status: StatusCode| {
///         let mut response = Response::new(Bytes::new());
///         *response.status_mut() = status;
///         response
///     },
/// );
/// # let _ = layer;
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
pub trait RejectionResponse: Send + Sync + 'static {
    /// The response for a delivery rejected with `error`, answered with `status`.
    fn rejection_response(&self, error: &VerifyError, status: StatusCode) -> Response<Bytes>;
}

impl<F> RejectionResponse for F
where
    F: Fn(&VerifyError, StatusCode) -> Response<Bytes> + Send + Sync + 'static,
{
    fn rejection_response(&self, error: &VerifyError, status: StatusCode) -> Response<Bytes> {
        self(error, status)
    }
}

/// The default rejection: `status` with the body `{"reason":"<code>"}` and
/// `content-type: application/json`.
///
/// The code is [`VerifyError::reason`], a stable lowercase identifier such as
/// `"no_matching_signature"` or `"timestamp_too_old"`; the details (which header, the observed
/// skew) stay in the logs.
///
/// # Example
///
/// ```
/// use hookwarden::VerifyError;
/// use hookwarden_tower::{JsonReason, RejectionResponse};
/// use http::StatusCode;
///
/// let response = JsonReason.rejection_response(&VerifyError::InFlight, StatusCode::CONFLICT);
/// assert_eq!(response.status(), StatusCode::CONFLICT);
/// assert_eq!(response.headers()["content-type"], "application/json");
/// assert_eq!(response.body().as_ref(), br#"{"reason":"in_flight"}"#);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonReason;

impl RejectionResponse for JsonReason {
    fn rejection_response(&self, error: &VerifyError, status: StatusCode) -> Response<Bytes> {
        let mut response = Response::new(Bytes::from(Rejection::new(error.clone()).json_body()));
        *response.status_mut() = status;
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

/// The response to `rejection`, shaped by `hook`, with `Retry-After` for copies in flight and
/// the error in the extensions, for outer layers.
pub(crate) fn respond<R: RejectionResponse>(hook: &R, rejection: Rejection) -> Response<Bytes> {
    if *rejection.error() == VerifyError::PeerUnknown {
        tracing::error!(
            "hookwarden-tower needs the peer address for its access controls: serve axum apps with \
             `into_make_service_with_connect_info::<SocketAddr>()` (feature `axum`), or insert a \
             `hookwarden_tower::ConnectionInfo` into each request's extensions"
        );
    }
    let mut response = hook.rejection_response(rejection.error(), status_of(&rejection));
    if let Some(seconds) = rejection.retry_after()
        && !response.headers().contains_key(RETRY_AFTER)
    {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response.extensions_mut().insert(rejection.into_error());
    response
}

/// The `http` status for a rejection's code (every code the core answers is a valid one).
pub(crate) fn status_of(rejection: &Rejection) -> StatusCode {
    StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_body_names_only_the_reason() {
        let error = VerifyError::NoMatchingSignature { keys_tried: 1, signatures: 1 };
        let response = JsonReason.rejection_response(&error, status_of(&Rejection::new(error.clone())));
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.body().as_ref(), br#"{"reason":"no_matching_signature"}"#);
    }

    #[test]
    fn closures_are_rejection_responses() {
        let hook = |error: &VerifyError, status: StatusCode| JsonReason.rejection_response(error, status);
        let response = hook.rejection_response(&VerifyError::Duplicate, StatusCode::ACCEPTED);
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
}
