//! Shared pieces of the fuzz targets: the request format the header and verify targets read,
//! the presets they pick from, and what every rejection must look like.

pub mod presets;
pub mod request;

use hookwarden::VerifyError;
use request::FuzzRequest;

/// Checks a rejection from `Verifier::verify_request` of `request`: a client error with a
/// reason that verification can give, or a 500 only where the receiver did not say the URL or
/// method (its own misconfiguration).
///
/// # Panics
///
/// When the rejection breaks one of these rules: that is the finding.
pub fn check_rejection(error: &VerifyError, request: &FuzzRequest) {
    let reason = error.reason();
    match (error.status(), reason) {
        (400 | 401, _) => {}
        (500, "url_unknown") => assert!(request.url.is_none(), "url_unknown with a URL: {error:?}"),
        (500, "method_unknown") => {
            assert!(request.method.is_none(), "method_unknown with a method: {error:?}")
        }
        (status, _) => panic!("verification answered {status} ({reason}): {error:?}"),
    }
    // Replay, size and store outcomes belong to the adapters and stores, never to `verify`.
    assert!(
        !matches!(reason, "duplicate" | "in_flight" | "store_unavailable" | "body_too_large"),
        "{error:?}"
    );
}
