//! Reading the body under a limit, and verifying what was read.

use actix_web::HttpRequest;
use actix_web::dev::Payload;
use actix_web::http::header::{CONTENT_LENGTH, HOST, HeaderMap};
use actix_web::http::uri::{PathAndQuery, Uri};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use hookwarden::access::Connection;
use hookwarden::{Claim, Request, Verified, VerifyError};
use tracing::Span;

use crate::headers::ActixHeaders;
use crate::middleware::WebhookVerify;
use crate::rejection::Rejection;

/// The most a read reserves up front, whatever `Content-Length` claims: a sender that declares
/// a large body and sends a few bytes must not make the receiver allocate the limit.
const MAX_RESERVE: u64 = 64 * 1024;

/// The declared `Content-Length`, when there is one that parses.
pub(crate) fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// Reads the whole body, refusing it as soon as it runs over `limit`.
///
/// A body that arrives in one chunk (the usual case for small deliveries) is passed on without
/// a copy; otherwise the chunks are copied once into one buffer.
pub(crate) async fn read_capped(
    payload: &mut Payload,
    limit: u64,
    declared: Option<u64>,
) -> Result<Bytes, Rejection> {
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut len: u64 = 0;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Rejection::new(VerifyError::BodyUnreadable))?;
        if chunk.is_empty() {
            continue;
        }
        len = len.saturating_add(chunk.len() as u64);
        if len > limit {
            Span::current().record("body_len", len);
            return Err(Rejection::new(VerifyError::BodyTooLarge { limit }));
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
///
/// `Event` is kept inline although it is the largest variant: it is what nearly every request
/// turns out to be, and a box would add an allocation per delivery to shrink the rare
/// endpoint check.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Delivery {
    /// A delivery for the handler: the body as received, what was verified, and its claim
    /// when a replay store is configured.
    Event { body: Bytes, verified: Verified, claim: Option<Claim> },
    /// A provider's endpoint check, and the answer to send it instead of calling the handler.
    #[cfg(feature = "handshakes")]
    Handshake(actix_web::HttpResponse),
}

/// Steps 0 to 4 of a delivery: the access controls, the declared length, the capped read
/// within the deadline, the signature (over the headers, the body, the method and the public
/// URL, configured or reported by a trusted proxy), when asked to, the answer to an endpoint
/// check, and the claim in the replay store.
///
/// Records `body_len`, `key_id`, `id` and `identity` on the current span.
pub(crate) async fn read_and_verify(
    config: &WebhookVerify,
    req: &HttpRequest,
    payload: &mut Payload,
) -> Result<Delivery, Rejection> {
    let span = Span::current();
    let forwarded_origin = access(config, req)?;
    let headers = req.headers();
    let declared = content_length(headers);
    if let Some(declared) = declared
        && declared > config.body_limit
    {
        span.record("body_len", declared);
        return Err(Rejection::new(VerifyError::BodyTooLarge { limit: config.body_limit }));
    }
    // Within the deadline, so a client that trickles or withholds the body does not hold the
    // connection and the buffer until it hangs up. Nothing is claimed yet.
    let read = read_capped(payload, config.body_limit, declared);
    let body = match config.body_timeout {
        Some(deadline) => actix_web::rt::time::timeout(deadline, read)
            .await
            .map_err(|_| Rejection::new(VerifyError::BodyTimeout { after: deadline }))??,
        None => read.await?,
    };
    span.record("body_len", body.len());
    let headers = ActixHeaders(headers);
    let origin = config.public_origin.as_deref().or(forwarded_origin.as_deref());
    let url = origin.map(|origin| public_url(origin, req.uri()));
    let mut request = Request::new(&headers, &body).method(req.method().as_str());
    if let Some(url) = &url {
        request = request.url(url);
    }
    let mut verified = config.verifier.verify_request(&request)?;
    span.record("key_id", verified.key_id());
    if let Some(id) = verified.id() {
        span.record("id", id);
    }
    #[cfg(feature = "handshakes")]
    if config.answer_handshakes
        && let Some(answer) = config.verifier.handshake(&request, &verified)
    {
        span.record("outcome", "handshake");
        tracing::debug!("endpoint check answered");
        let mut response = actix_web::HttpResponse::Ok()
            .insert_header((actix_web::http::header::CONTENT_TYPE, answer.content_type))
            .body(answer.body);
        response.extensions_mut().insert(verified);
        return Ok(Delivery::Handshake(response));
    }
    let claim = match &config.store {
        Some(store) => {
            let claiming = config.verifier.claim(store, &request, &mut verified);
            if let Some(identity) = verified.identity() {
                span.record("identity", tracing::field::display(identity));
                span.record("identity_source", identity.source().as_str());
            }
            Some(claiming.await.map_err(|error| config.rejection_for(error))?)
        }
        None => None,
    };
    Ok(Delivery::Event { body, verified, claim })
}

/// Applies the access policy to the socket peer, the listener's TLS and the forwarding headers.
/// Returns the public origin a trusted proxy reported, when no origin is configured.
fn access(config: &WebhookVerify, req: &HttpRequest) -> Result<Option<String>, Rejection> {
    let policy = &config.access;
    let forwarded_origin = config.public_origin.is_none() && !policy.proxies().is_empty();
    if policy.is_open() && !forwarded_origin {
        return Ok(None);
    }
    let headers = ActixHeaders(req.headers());
    // Never `connection_info()`: it believes forwarding headers from any peer.
    let connection =
        Connection::new(req.peer_addr().map(|peer| peer.ip()), &headers).tls(req.app_config().secure());
    let client = policy.check(&connection).map_err(|error| {
        if error == VerifyError::PeerUnknown {
            tracing::error!(
                "hookwarden-actix needs the peer address for its access controls, and actix-web \
                 knows none for this connection (a Unix socket?)"
            );
        }
        Rejection::new(error)
    })?;
    if !forwarded_origin {
        return Ok(None);
    }
    let host = req.uri().authority().map(|authority| authority.as_str());
    let host = host.or_else(|| req.headers().get(HOST).and_then(|host| host.to_str().ok()));
    Ok(client.origin(host))
}

/// The URL the provider called: the configured public origin, then the path and query (actix
/// keeps the full path inside scopes).
fn public_url(origin: &str, uri: &Uri) -> String {
    let path = uri.path_and_query().map_or("/", PathAndQuery::as_str);
    let mut url = String::with_capacity(origin.len() + path.len());
    url.push_str(origin.trim_end_matches('/'));
    url.push_str(path);
    url
}
