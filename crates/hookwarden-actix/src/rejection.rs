//! How a rejected delivery is answered.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use hookwarden::VerifyError;
use hookwarden::endpoint::Rejection;

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
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/json")))
            .body(Rejection::new(error.clone()).json_body())
    }
}

/// The response to `rejection`, shaped by `hook`, with `Retry-After` for copies in flight and
/// the error in the extensions, for outer middleware.
pub(crate) fn respond(hook: &dyn RejectionResponse, rejection: &Rejection) -> HttpResponse {
    let status = StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = hook.rejection_response(rejection.error(), status);
    if let Some(seconds) = rejection.retry_after()
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
        let response = respond(&hook, &Rejection::new(VerifyError::InFlight));
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
        assert_eq!(response.extensions().get::<VerifyError>(), Some(&VerifyError::InFlight));
    }

    #[test]
    fn the_body_names_only_the_reason() {
        let rejection = Rejection::new(VerifyError::NoMatchingSignature { keys_tried: 2, signatures: 3 });
        let response = respond(&JsonReason, &rejection);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body = actix_web::body::MessageBody::try_into_bytes(response.into_body()).unwrap();
        assert_eq!(body, r#"{"reason":"no_matching_signature"}"#);
    }
}
