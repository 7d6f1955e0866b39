//! The endpoint's steps up to the handler: admit, read the body, verify, claim.

use actix_web::HttpRequest;
use actix_web::dev::Payload;
use actix_web::http::uri::PathAndQuery;
use bytes::Bytes;
use futures_util::StreamExt as _;
use hookwarden::endpoint::{Admission, Head};
use hookwarden::{Claim, Endpoint, Verified, VerifyError};

use crate::headers::ActixHeaders;
use crate::middleware::WebhookVerify;
use hookwarden::endpoint::Rejection;

/// What a verified request turned out to be.
#[allow(clippy::large_enum_variant)] // one per request, moved once: boxing would allocate each time
pub(crate) enum Accepted {
    /// A delivery for the handler: the body as received, what was verified, and its claim
    /// when a replay store is configured.
    Event { body: Bytes, verified: Verified, claim: Option<Claim> },
    /// A provider's endpoint check, and the answer to send it instead of calling the handler.
    #[cfg(feature = "handshakes")]
    Handshake(actix_web::HttpResponse),
}

/// Reads the body chunk by chunk into the endpoint's buffer.
async fn read_body(
    endpoint: &Endpoint,
    admission: &Admission,
    payload: &mut Payload,
) -> Result<Bytes, VerifyError> {
    let mut buffer = endpoint.body_buffer(admission);
    while let Some(chunk) = payload.next().await {
        buffer.push(chunk.map_err(|_| VerifyError::BodyUnreadable)?)?;
    }
    Ok(buffer.finish())
}

/// Takes a request through the steps up to the handler (see [`hookwarden::endpoint`]).
pub(crate) async fn read_and_verify(
    config: &WebhookVerify,
    req: &HttpRequest,
    payload: &mut Payload,
) -> Result<Accepted, Rejection> {
    let endpoint = &config.endpoint;
    let headers = ActixHeaders(req.headers());
    let path = req.uri().path_and_query().map_or("/", PathAndQuery::as_str);
    let head = Head::new(req.method().as_str(), path, &headers)
        .authority(req.uri().authority().map(|authority| authority.as_str()))
        // Never `connection_info()`: it believes forwarding headers from any peer.
        .peer(req.peer_addr().map(|peer| peer.ip()))
        .tls(req.app_config().secure());
    let admission = endpoint.admit(&head).inspect_err(|rejection| {
        if *rejection.error() == VerifyError::PeerUnknown {
            tracing::error!(
                "hookwarden-actix needs the peer address for its access controls, and actix-web \
                 knows none for this connection (a Unix socket?)"
            );
        }
    })?;
    // The timer is made only when the body is not complete at once, and boxed: the common case
    // does not carry its size in every request's future.
    let sleep = |deadline| Box::pin(actix_web::rt::time::sleep(deadline));
    let body = endpoint.read_within(read_body(endpoint, &admission, payload), sleep).await?;
    let delivery = endpoint.verify(&head, &admission, &body)?;
    #[cfg(feature = "handshakes")]
    if let Some(answer) = delivery.handshake() {
        let mut response = actix_web::HttpResponse::Ok()
            .insert_header((actix_web::http::header::CONTENT_TYPE, answer.content_type))
            .body(answer.body.clone());
        response.extensions_mut().insert(delivery.into_verified());
        return Ok(Accepted::Handshake(response));
    }
    let claim = endpoint.claim(&delivery).await?;
    Ok(Accepted::Event { body, verified: delivery.into_verified(), claim })
}
