//! The endpoint's steps up to the handler: admit, read the body, verify, claim.

use std::future::Future;
use std::pin::pin;

use bytes::{Buf, Bytes};
use hookwarden::endpoint::{Admission, Head, Rejection};
use hookwarden::{Claim, Endpoint, Verified, VerifyError};
use http_body::Body;
use http_body_util::BodyExt;

use crate::connection::ConnectionInfo;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A delivery the steps accepted.
#[allow(clippy::large_enum_variant)] // one per request, moved once: boxing would allocate each time
pub(crate) enum Accepted {
    /// For the handler: the body as received, what was verified, and the claim (with a store).
    Event(Bytes, Verified, Option<Claim>),
    /// A provider's endpoint check: the answer to send instead of calling the handler, with
    /// what was verified in its extensions, for outer layers.
    #[cfg(feature = "handshakes")]
    Handshake(http::Response<Vec<u8>>),
}

/// Takes a request through the steps up to the handler (see [`hookwarden::endpoint`]).
pub(crate) async fn accept<B>(
    endpoint: &Endpoint,
    parts: &http::request::Parts,
    body: B,
) -> Result<Accepted, Rejection>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    let connection = ConnectionInfo::of(&parts.extensions);
    // In a block: the admission is not kept in the future while the claim is awaited.
    let (bytes, delivery) = {
        // The head borrows `dyn` headers, which must not live across an await: made per step.
        let admission = admit(endpoint, head(parts, connection), body.size_hint().lower())?;
        let bytes = read_body(endpoint, &admission, body).await?;
        let delivery = endpoint.verify(&head(parts, connection), &admission, &bytes)?;
        (bytes, delivery)
    };
    #[cfg(feature = "handshakes")]
    if let Some(answer) = delivery.handshake() {
        let mut response = http::Response::new(answer.body.clone());
        let content_type = http::HeaderValue::from_static(answer.content_type);
        response.headers_mut().insert(http::header::CONTENT_TYPE, content_type);
        response.extensions_mut().insert(delivery.into_verified());
        return Ok(Accepted::Handshake(response));
    }
    let claim = endpoint.claim(&delivery).await?;
    Ok(Accepted::Event(bytes, delivery.into_verified(), claim))
}

/// Step 1, with a hint for the operator when the access controls need a peer nobody gave.
fn admit(endpoint: &Endpoint, head: Head<'_>, body_len: u64) -> Result<Admission, Rejection> {
    endpoint.admit(&head.body_len_at_least(body_len)).inspect_err(|rejection| {
        if *rejection.error() == VerifyError::PeerUnknown {
            tracing::error!(
                "hookwarden-tower needs the peer address for its access controls: serve axum apps \
                 with `into_make_service_with_connect_info::<SocketAddr>()` (feature `axum`), or \
                 insert a `hookwarden_tower::ConnectionInfo` into each request's extensions"
            );
        }
    })
}

/// The request's head, as the endpoint reads it.
fn head(parts: &http::request::Parts, connection: Option<ConnectionInfo>) -> Head<'_> {
    Head::new(parts.method.as_str(), parts.uri.path_and_query().map_or("/", |p| p.as_str()), &parts.headers)
        .authority(parts.uri.authority().map(http::uri::Authority::as_str))
        .peer(connection.map(|info| info.peer_addr().ip()))
        .tls(connection.is_some_and(|info| info.is_tls()))
}

/// Step 2: the body, frame by frame into the endpoint's buffer, within its deadline on Tokio's
/// timer (made only when the body is not complete at once, and boxed: the common case does not
/// carry its size in every request's future).
fn read_body<'a, B>(
    endpoint: &'a Endpoint,
    admission: &'a Admission,
    body: B,
) -> impl Future<Output = Result<Bytes, Rejection>> + 'a
where
    B: Body + 'a,
    B::Error: Into<BoxError>,
{
    let read = async move {
        let mut body = pin!(body);
        let mut buffer = endpoint.body_buffer(admission);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|error| {
                // The client's stream failed (it went away, or sent a broken encoding).
                tracing::debug!(error = %error.into(), "request body could not be read");
                VerifyError::BodyUnreadable
            })?;
            // Trailers are skipped: nothing is signed there.
            if let Ok(mut data) = frame.into_data() {
                buffer.push(data.copy_to_bytes(data.remaining()))?;
            }
        }
        Ok(buffer.finish())
    };
    endpoint.read_within(read, |deadline| Box::pin(tokio::time::sleep(deadline)))
}
