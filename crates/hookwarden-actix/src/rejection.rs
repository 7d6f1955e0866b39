//! How a rejected delivery is answered.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use hookwarden::endpoint::Rejection;

/// The response to `rejection`: its status and body (in the endpoint's
/// [shape](hookwarden::Endpoint::rejection_body)), `Retry-After` for copies in flight, and the
/// error in the extensions, for outer middleware.
pub(crate) fn respond(rejection: &Rejection) -> HttpResponse {
    let status = StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    if let Some(content_type) = rejection.body().content_type() {
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(content_type)));
    }
    if let Some(seconds) = rejection.retry_after() {
        response.insert_header((header::RETRY_AFTER, HeaderValue::from(seconds)));
    }
    let mut response = response.body(rejection.body().bytes().to_vec());
    response.extensions_mut().insert(rejection.error().clone());
    response
}

#[cfg(test)]
mod tests {
    use hookwarden::VerifyError;

    use super::*;

    #[test]
    fn in_flight_gets_retry_after_and_the_error() {
        let response = respond(&Rejection::new(VerifyError::InFlight));
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
        assert_eq!(response.extensions().get::<VerifyError>(), Some(&VerifyError::InFlight));
    }

    #[test]
    fn the_body_names_only_the_reason() {
        let rejection = Rejection::new(VerifyError::NoMatchingSignature { keys_tried: 2, signatures: 3 });
        let response = respond(&rejection);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers().get(header::CONTENT_TYPE).unwrap(), "application/json");
        let body = actix_web::body::MessageBody::try_into_bytes(response.into_body()).unwrap();
        assert_eq!(body, r#"{"reason":"no_matching_signature"}"#);
    }
}
