//! Rejections: the error a refused delivery becomes, and the hook that shapes its response.

use std::error::Error;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use hookwarden::VerifyError;

/// How long a sender is asked to wait before retrying a delivery that is being processed.
const RETRY_AFTER_SECONDS: HeaderValue = HeaderValue::from_static("5");

/// A delivery that was not passed to the handler, and the status it is answered with.
///
/// The [`WebhookVerify`](crate::WebhookVerify) middleware and the [`Webhook`](crate::Webhook)
/// extractor turn every refusal into one of these. It implements [`ResponseError`]: the
/// default response is [`status`](Self::status) with the JSON body `{"reason":"<reason>"}`
/// (and `Retry-After: 5` on 409), which names the stable [`reason`](Self::reason) code and
/// nothing else: never a secret, a MAC, a header value or the body. Shape it differently with a
/// [`RejectionResponse`] hook.
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
pub struct Rejection {
    kind: Kind,
    status: StatusCode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Verify(VerifyError),
    /// The request body stream failed before it was complete (the client went away, or sent a
    /// malformed chunked encoding). The core has no reason for this; it never reaches a
    /// verifier.
    BodyRead,
}

impl Rejection {
    /// The rejection of `error`, answered with [`VerifyError::status`].
    pub fn new(error: VerifyError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self { kind: Kind::Verify(error), status }
    }

    /// A body stream that failed before it was complete: 400, reason `body_read_failed`.
    pub(crate) fn body_read() -> Self {
        Self { kind: Kind::BodyRead, status: StatusCode::BAD_REQUEST }
    }

    /// The same rejection, answered with `status` instead.
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The status the delivery is answered with: [`VerifyError::status`], or the configured
    /// [`duplicate_status`](crate::WebhookVerify::duplicate_status) for duplicates.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable, lowercase reason code: [`VerifyError::reason`], or `body_read_failed` when
    /// the body stream broke off.
    pub fn reason(&self) -> &'static str {
        match &self.kind {
            Kind::Verify(error) => error.reason(),
            Kind::BodyRead => "body_read_failed",
        }
    }

    /// The verification error, unless the body could not be read at all.
    pub fn verify_error(&self) -> Option<&VerifyError> {
        match &self.kind {
            Kind::Verify(error) => Some(error),
            Kind::BodyRead => None,
        }
    }

    /// Whether this is a copy of a delivery that was already processed: an acknowledgement
    /// rather than a refusal, so the sender stops retrying.
    pub fn is_duplicate(&self) -> bool {
        matches!(self.kind, Kind::Verify(VerifyError::Duplicate))
    }
}

impl From<VerifyError> for Rejection {
    fn from(error: VerifyError) -> Self {
        Self::new(error)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Verify(error) => fmt::Display::fmt(error, f),
            Kind::BodyRead => f.write_str("the request body could not be read"),
        }
    }
}

impl Error for Rejection {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.verify_error().map(|error| error as &(dyn Error + 'static))
    }
}

impl ResponseError for Rejection {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    /// `{"reason":"<reason>"}` as `application/json`, plus `Retry-After: 5` for a delivery in
    /// flight. The `Display` text (which names headers and skews) is for logs only.
    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/json")));
        if matches!(self.kind, Kind::Verify(VerifyError::InFlight)) {
            response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS));
        }
        // Reasons are static lowercase identifiers: nothing to escape.
        response.body(format!(r#"{{"reason":"{}"}}"#, self.reason()))
    }
}

/// Turns a [`Rejection`] into the response the sender gets.
///
/// Implemented for closures `Fn(&Rejection) -> HttpResponse`, and by
/// [`DefaultRejectionResponse`], which answers with [`Rejection::error_response`]. The
/// [`VerifyError`] is added to the extensions of whatever response the hook returns, so outer
/// middleware can read it.
///
/// # Example: plain-text bodies
///
/// ```
/// use actix_web::{HttpResponse, ResponseError};
/// use hookwarden_actix::{Rejection, WebhookVerify};
/// # let verifier = hookwarden::Verifier::builder(hookwarden::preset::Stripe)
/// #     .secret("whsec_test_secret_0123456789").build().unwrap();
///
/// let verify = WebhookVerify::new(verifier).rejection_response(|rejection: &Rejection| {
///     if rejection.is_duplicate() {
///         return rejection.error_response();
///     }
///     HttpResponse::build(rejection.status()).body(format!("rejected: {}", rejection.reason()))
/// });
/// ```
pub trait RejectionResponse: Send + Sync + 'static {
    /// The response for `rejection`. Never put a secret, a MAC or the request body in it.
    fn response(&self, rejection: &Rejection) -> HttpResponse;
}

impl<F> RejectionResponse for F
where
    F: Fn(&Rejection) -> HttpResponse + Send + Sync + 'static,
{
    fn response(&self, rejection: &Rejection) -> HttpResponse {
        self(rejection)
    }
}

/// The default [`RejectionResponse`]: [`Rejection::error_response`], a JSON body with the
/// reason code.
///
/// # Example
///
/// ```
/// use hookwarden_actix::{DefaultRejectionResponse, Rejection, RejectionResponse};
///
/// let response = DefaultRejectionResponse.response(&Rejection::new(hookwarden::VerifyError::Duplicate));
/// assert_eq!(response.status(), 200);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultRejectionResponse;

impl RejectionResponse for DefaultRejectionResponse {
    fn response(&self, rejection: &Rejection) -> HttpResponse {
        rejection.error_response()
    }
}
