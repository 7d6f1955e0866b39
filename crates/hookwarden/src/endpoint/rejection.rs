//! A refused delivery: the status to answer, and why.

use std::error::Error;
use std::fmt;

use crate::error::VerifyError;

/// How long a copy of a delivery still being processed is told to wait, in seconds.
const RETRY_AFTER_SECONDS: u32 = 5;

/// What an [`Endpoint`](crate::Endpoint) answers a delivery it refuses: the status (the error's
/// own, or the configured one for duplicates), a `Retry-After` for copies in flight, and the
/// body, in the endpoint's [shape](crate::Endpoint::rejection_body). Adapters turn it into
/// their framework's response.
///
/// ```
/// use hookwarden::VerifyError;
/// use hookwarden::endpoint::Rejection;
///
/// let rejection = Rejection::new(VerifyError::InFlight);
/// assert_eq!((rejection.status(), rejection.retry_after()), (409, Some(5)));
/// assert_eq!(rejection.body().bytes(), br#"{"reason":"in_flight"}"#);
/// assert_eq!(rejection.body().content_type(), Some("application/json"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    error: VerifyError,
    status: u16,
    body: RejectionBody,
}

impl Rejection {
    /// The rejection for `error`, with its own status and the default body,
    /// [`RejectionBody::json`].
    pub fn new(error: VerifyError) -> Self {
        let status = error.status();
        let body = RejectionBody::json(error.reason());
        Self { error, status, body }
    }

    /// The rejection for `error`, answered with `status`, with no body yet: for the endpoint's
    /// own [shape](crate::Endpoint::rejection_body).
    pub(crate) fn unshaped(error: VerifyError, status: u16) -> Self {
        Self { error, status, body: RejectionBody::empty() }
    }

    /// The same, answered with `status` instead.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The HTTP status to answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The stable reason code, such as `no_matching_signature`.
    pub fn reason(&self) -> &'static str {
        self.error.reason()
    }

    /// The error, with its details for the logs.
    pub fn error(&self) -> &VerifyError {
        &self.error
    }

    /// The error, by value.
    pub fn into_error(self) -> VerifyError {
        self.error
    }

    /// Seconds for a `Retry-After` header: for a copy of a delivery still being processed.
    pub fn retry_after(&self) -> Option<u32> {
        (self.error == VerifyError::InFlight).then_some(RETRY_AFTER_SECONDS)
    }

    /// The same, answered with `body` instead.
    #[must_use]
    pub fn with_body(mut self, body: RejectionBody) -> Self {
        self.body = body;
        self
    }

    /// The body to answer.
    pub fn body(&self) -> &RejectionBody {
        &self.body
    }

    /// The response to send, as an `http` response: the status, the body with its
    /// `Content-Type`, `Retry-After` for a copy in flight, and the error in the extensions for
    /// outer layers.
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn into_response(self) -> http::Response<Vec<u8>> {
        use http::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
        let status =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = http::Response::new(Vec::new());
        *response.status_mut() = status;
        let headers = response.headers_mut();
        if let Some(content_type) = self.body.content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        if let Some(seconds) = self.retry_after() {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        *response.body_mut() = self.body.bytes;
        response.extensions_mut().insert(self.error);
        response
    }
}

/// The body of a refused delivery, and its content type: `{"reason":"<code>"}` unless the
/// endpoint [shapes it otherwise](crate::Endpoint::rejection_body).
///
/// Never put a secret, a MAC or the request body in it: a [`VerifyError`]'s `Display` is for
/// logs, its [`reason`](VerifyError::reason) is safe to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectionBody {
    content_type: Option<&'static str>,
    bytes: Vec<u8>,
}

impl RejectionBody {
    /// `bytes`, sent as `content_type`.
    pub fn new(content_type: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        Self { content_type: Some(content_type), bytes: bytes.into() }
    }

    /// No body, and no `Content-Type`.
    pub fn empty() -> Self {
        Self { content_type: None, bytes: Vec::new() }
    }

    /// `{"reason":"<reason>"}`, as `application/json`: the default.
    pub fn json(reason: &str) -> Self {
        let mut bytes = Vec::with_capacity(reason.len() + 13);
        bytes.extend_from_slice(br#"{"reason":""#);
        bytes.extend_from_slice(reason.as_bytes());
        bytes.extend_from_slice(br#""}"#);
        Self::new("application/json", bytes)
    }

    /// The `Content-Type` to send, if any.
    pub fn content_type(&self) -> Option<&'static str> {
        self.content_type
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body's bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl From<VerifyError> for Rejection {
    fn from(error: VerifyError) -> Self {
        Self::new(error)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl Error for Rejection {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

#[cfg(all(test, feature = "http"))]
mod tests {
    use super::*;

    #[test]
    fn the_http_response_carries_status_body_retry_after_and_the_error() {
        let response = Rejection::new(VerifyError::InFlight).into_response();
        assert_eq!(response.status(), 409);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["retry-after"], "5");
        assert_eq!(response.body(), br#"{"reason":"in_flight"}"#);
        assert_eq!(response.extensions().get::<VerifyError>(), Some(&VerifyError::InFlight));
    }

    #[test]
    fn an_empty_body_sends_no_content_type() {
        let response =
            Rejection::new(VerifyError::Duplicate).with_body(RejectionBody::empty()).into_response();
        assert_eq!(response.status(), 200);
        assert!(response.headers().get("content-type").is_none());
        assert!(response.body().is_empty());
    }
}
