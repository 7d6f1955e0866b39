//! Reading the body under a limit, and verifying what was read.

use actix_web::HttpRequest;
use actix_web::dev::Payload;
use actix_web::http::uri::PathAndQuery;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use hookwarden::endpoint::Head;
use hookwarden::{Claim, Verified, VerifyError};
use tracing::Span;

use crate::headers::ActixHeaders;
use crate::middleware::WebhookVerify;
use crate::rejection::Rejection;

/// The most a read reserves up front, whatever `Content-Length` claims: a sender that declares
/// a large body and sends a few bytes must not make the receiver allocate the limit.
const MAX_RESERVE: u64 = 64 * 1024;

/// Reads the whole body, refusing it as soon as it runs over `limit`.
///
/// A body that arrives in one chunk (the usual case for small deliveries) is passed on without
/// a copy; otherwise the chunks are copied once into one buffer.
pub(crate) async fn read_capped(
    payload: &mut Payload,
    limit: u64,
    declared: Option<u64>,
) -> Result<Bytes, VerifyError> {
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut len: u64 = 0;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| VerifyError::BodyUnreadable)?;
        if chunk.is_empty() {
            continue;
        }
        len = len.saturating_add(chunk.len() as u64);
        if len > limit {
            Span::current().record("body_len", len);
            return Err(VerifyError::BodyTooLarge { limit });
        }
        match (&mut first, &mut joined) {
            (None, None) => first = Some(chunk),
            (Some(head), None) => {
                let reserve = declared.unwrap_or(len).min(MAX_RESERVE).max(len);
                let mut buffer = BytesMut::with_capacity(usize::try_from(reserve).unwrap_or(0));
                buffer.extend_from_slice(head);
                buffer.extend_from_slice(&chunk);
                first = None;
                joined = Some(buffer);
            }
            (_, Some(buffer)) => buffer.extend_from_slice(&chunk),
        }
    }
    Ok(match (first, joined) {
        (_, Some(buffer)) => buffer.freeze(),
        (Some(only), None) => only,
        (None, None) => Bytes::new(),
    })
}

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

/// The endpoint's steps up to the handler: admit, read the body under the limit and within the
/// deadline, verify (or answer an endpoint check), claim.
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
    let read = read_capped(payload, endpoint.max_body_len(), admission.declared_len());
    let body = match endpoint.body_deadline() {
        Some(deadline) => actix_web::rt::time::timeout(deadline, read)
            .await
            .unwrap_or(Err(VerifyError::BodyTimeout { after: deadline })),
        None => read.await,
    };
    let body = body.map_err(|error| endpoint.reject(error))?;
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
