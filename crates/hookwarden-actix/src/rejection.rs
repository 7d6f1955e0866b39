//! Rejections: the error a refused delivery becomes, and the hook that shapes its response.

use std::error::Error;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use hookwarden::VerifyError;
use hookwarden::endpoint;

/// A delivery that was not passed to the handler, and the status it is answered with.
///
/// The [`WebhookVerify`](crate::WebhookVerify) middleware and the [`Webhook`](crate::Webhook)
/// extractor turn every refusal into one of these. It implements [`ResponseError`]: the
/// default response is [`status`](Self::status) with the JSON body `{"reason":"<reason>"}`
/// (and `Retry-After: 5` on 409), which names the stable [`reason`](Self::reason) code and
/// nothing else: never a secret, a MAC, a header value or the body. The middleware and the
/// extractor answer through the configured [`RejectionResponse`] hook instead, which defaults
/// to the same response.
///
/// # Example
///
/// ```
/// use actix_web::{ResponseError, body::MessageBody, http::StatusCode};
/// use hookwarden_actix::Rejection;
///
/// let rejection = Rejection::new(hookwarden::VerifyError::InFlight);
/// assert_eq!(rejection.status(), StatusCode::CONFLICT);
/// assert_eq!(rejection.reason(), "in_flight");
///
/// let response = rejection.error_response();
/// assert_eq!(response.headers().get("retry-after").unwrap(), "5");
/// assert_eq!(response.headers().get("content-type").unwrap(), "application/json");
/// let body = response.into_body().try_into_bytes().unwrap();
/// assert_eq!(body, r#"{"reason":"in_flight"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection(endpoint::Rejection);

impl Rejection {
    /// The rejection of `error`, answered with [`VerifyError::status`].
    pub fn new(error: VerifyError) -> Self {
        Self(endpoint::Rejection::new(error))
    }

    /// The status the delivery is answered with: [`VerifyError::status`], or the configured
    /// [`duplicate_status`](hookwarden::Endpoint::duplicate_status) for duplicates.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The stable, lowercase reason code, [`VerifyError::reason`].
    pub fn reason(&self) -> &'static str {
        self.0.reason()
    }

    /// Why the delivery was refused.
    pub fn error(&self) -> &VerifyError {
        self.0.error()
    }

    /// Whether this is a copy of a delivery that was already processed: an acknowledgement
    /// rather than a refusal, so the sender stops retrying.
    pub fn is_duplicate(&self) -> bool {
        *self.0.error() == VerifyError::Duplicate
    }
}

impl From<VerifyError> for Rejection {
    fn from(error: VerifyError) -> Self {
        Self::new(error)
    }
}

impl From<endpoint::Rejection> for Rejection {
    fn from(rejection: endpoint::Rejection) -> Self {
        Self(rejection)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Error for Rejection {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.0.error())
    }
}

impl ResponseError for Rejection {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// `{"reason":"<reason>"}` as `application/json`, plus `Retry-After: 5` for a delivery in
    /// flight. The `Display` text (which names headers and skews) is for logs only.
    fn error_response(&self) -> HttpResponse {
        finish(json_reason(self.reason(), self.status()), self)
    }
}

/// Shapes the response to a rejected delivery.
///
/// The middleware (and the extractor) call it with the error and the status decided on:
/// [`VerifyError::status`], or the configured
/// [`duplicate_status`](hookwarden::Endpoint::duplicate_status) for duplicates. Whatever it
/// returns, they then add `Retry-After: 5` to a [`VerifyError::InFlight`] answer that has none,
/// and insert the [`VerifyError`] into the response's extensions for outer middleware.
///
/// Implemented for closures `Fn(&VerifyError, StatusCode) -> HttpResponse`; the default is
/// [`JsonReason`]. The same hook, with the same arguments, shapes the tower adapter's
/// rejections. Never put a secret, a MAC or the request body in a response: the error's
/// `Display` is for logs, its [`reason`](VerifyError::reason) is safe to send.
///
/// # Example: empty bodies
///
/// ```
/// use actix_web::{HttpResponse, http::StatusCode};
/// use hookwarden::{Verifier, VerifyError, preset::Stripe};
/// use hookwarden_actix::WebhookVerify;
///
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
/// let verify = WebhookVerify::new(verifier)
///     .rejection_response(|_error: &VerifyError, status: StatusCode| HttpResponse::build(status).finish());
/// # Ok::<(), hookwarden::ConfigError>(())
/// ```
pub trait RejectionResponse: Send + Sync + 'static {
    /// The response for a delivery rejected with `error`, answered with `status`.
    fn rejection_response(&self, error: &VerifyError, status: StatusCode) -> HttpResponse;
}

impl<F> RejectionResponse for F
where
    F: Fn(&VerifyError, StatusCode) -> HttpResponse + Send + Sync + 'static,
{
    fn rejection_response(&self, error: &VerifyError, status: StatusCode) -> HttpResponse {
        self(error, status)
    }
}

/// The default rejection: `status` with the body `{"reason":"<code>"}` and
/// `content-type: application/json`.
///
/// The code is [`VerifyError::reason`], a stable lowercase identifier such as
/// `"no_matching_signature"`; the details (which header, the observed skew) stay in the logs.
///
/// # Example
///
/// ```
/// use actix_web::{body::MessageBody as _, http::StatusCode};
/// use hookwarden::VerifyError;
/// use hookwarden_actix::{JsonReason, RejectionResponse};
///
/// let response = JsonReason.rejection_response(&VerifyError::Duplicate, StatusCode::OK);
/// assert_eq!(response.status(), StatusCode::OK);
/// assert_eq!(response.into_body().try_into_bytes().unwrap(), r#"{"reason":"duplicate"}"#);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonReason;

impl RejectionResponse for JsonReason {
    fn rejection_response(&self, error: &VerifyError, status: StatusCode) -> HttpResponse {
        json_reason(error.reason(), status)
    }
}

/// `{"reason":"<reason>"}` with `status`. Reasons are lowercase ASCII codes: nothing to escape.
pub(crate) fn json_reason(reason: &str, status: StatusCode) -> HttpResponse {
    let mut body = Vec::with_capacity(reason.len() + 13);
    body.extend_from_slice(br#"{"reason":""#);
    body.extend_from_slice(reason.as_bytes());
    body.extend_from_slice(br#""}"#);
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/json")))
        .body(body)
}

/// Adds what every rejection carries whatever the hook returned: `Retry-After` on 409 in
/// flight, and the error in the extensions.
pub(crate) fn finish(mut response: HttpResponse, rejection: &Rejection) -> HttpResponse {
    if let Some(seconds) = rejection.0.retry_after()
        && !response.headers().contains_key(header::RETRY_AFTER)
    {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response.extensions_mut().insert(rejection.error().clone());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hook_response_to_in_flight_still_gets_retry_after_and_the_error() {
        let hook = |_: &VerifyError, status: StatusCode| HttpResponse::build(status).finish();
        let response = finish(
            hook.rejection_response(&VerifyError::InFlight, StatusCode::CONFLICT),
            &Rejection::new(VerifyError::InFlight),
        );
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
        assert_eq!(response.extensions().get::<VerifyError>(), Some(&VerifyError::InFlight));
    }

    #[test]
    fn the_body_names_only_the_reason() {
        let rejection = Rejection::new(VerifyError::NoMatchingSignature { keys_tried: 2, signatures: 3 });
        let body =
            actix_web::body::MessageBody::try_into_bytes(rejection.error_response().into_body()).unwrap();
        assert_eq!(body, r#"{"reason":"no_matching_signature"}"#);
        assert_eq!(Rejection::new(VerifyError::BodyUnreadable).status(), StatusCode::BAD_REQUEST);
    }
}
