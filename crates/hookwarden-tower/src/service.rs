//! The service: verifies one delivery, then calls the inner service.

use std::future::Future;
use std::mem;
use std::task::{Context, Poll};

use hookwarden::Endpoint;
use http::{Request, Response};
use http_body::Body;
use http_body_util::{Either, Full};
use tower_layer::Layer as _;
use tower_service::Service;

use crate::accept::{Accepted, BoxError, accept};
use crate::body::{ResponseBody, VerifiedBody};
use crate::future::ResponseFuture;
use crate::layer::WebhookVerifyLayer;

/// Verifies webhook deliveries, then calls the inner service with the verified request.
///
/// Usually built with [`WebhookVerifyLayer`]. The inner service receives a
/// `Request<`[`VerifiedBody`]`>`, with the body's bytes exactly as received and a
/// [`hookwarden::Verified`] in the request's extensions. Rejections are `Ok` responses
/// ([`type Error = S::Error`](Service::Error)), so axum's `Router::layer` and
/// `Router::route_layer` accept it as it is.
///
/// # Example
///
/// ```
/// use bytes::Bytes;
/// use hookwarden::{Message, Verified, Verifier, preset::StandardWebhooks};
/// use hookwarden_tower::{VerifiedBody, WebhookVerify};
/// use http::{Request, Response, StatusCode};
/// use std::convert::Infallible;
/// use tower::{ServiceExt, service_fn};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Verifier::builder(StandardWebhooks)
///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
///     .build()?;
///
/// // A bare tower service: no framework needed.
/// let handler = service_fn(|request: Request<VerifiedBody>| async move {
///     let id = request.extensions().get::<Verified>().and_then(|v| v.id()).unwrap_or_default().to_owned();
///     Ok::<_, Infallible>(Response::new(id))
/// });
/// let service = WebhookVerify::new(handler, verifier.clone());
///
/// let body = br#"{"type":"ping"}"#;
/// let mut request = Request::post("/webhooks").body(http_body_util::Full::new(Bytes::from_static(body)))?;
/// *request.headers_mut() = verifier.sign(&Message::new(body).id("msg_1"))?.to_header_map();
///
/// let response = service.oneshot(request).await?;
/// assert_eq!(response.status(), StatusCode::OK);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct WebhookVerify<S> {
    inner: S,
    endpoint: Endpoint,
}

impl<S> WebhookVerify<S> {
    /// Wraps `inner`, driving `endpoint` (a [`Verifier`](hookwarden::Verifier) is an endpoint
    /// with the default settings).
    pub fn new(inner: S, endpoint: impl Into<Endpoint>) -> Self {
        Self::layer(endpoint).layer(inner)
    }

    /// A layer for this service: [`WebhookVerifyLayer::new`].
    pub fn layer(endpoint: impl Into<Endpoint>) -> WebhookVerifyLayer {
        WebhookVerifyLayer::new(endpoint)
    }

    pub(crate) fn from_endpoint(inner: S, endpoint: Endpoint) -> Self {
        Self { inner, endpoint }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for WebhookVerify<S>
where
    S: Service<Request<VerifiedBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ReqBody: Body + Send + 'static,
    ReqBody::Data: Send,
    ReqBody::Error: Into<BoxError>,
    ResBody: Send + 'static,
{
    type Response = Response<ResponseBody<ResBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // The ready service goes into the future; a clone stays behind for the next call.
        // https://docs.rs/tower/latest/tower/trait.Service.html#be-careful-when-cloning-inner-services
        let clone = self.inner.clone();
        let inner = mem::replace(&mut self.inner, clone);
        let endpoint = self.endpoint.clone();
        // Taken apart here: a `request` argument would stay in the future's state, dead, beside
        // its parts.
        let (parts, body) = request.into_parts();
        ResponseFuture::new(Box::pin(deliver(endpoint, inner, parts, body)), Endpoint::span())
    }
}

/// One delivery, through the endpoint's steps (see [`hookwarden::endpoint`]); a rejection from
/// any of them is the response. An `async` block rather than an `async fn`, which would keep a
/// second copy of its arguments in the future every request allocates.
#[allow(clippy::manual_async_fn)]
fn deliver<S, ReqBody, ResBody>(
    endpoint: Endpoint,
    mut inner: S,
    mut parts: http::request::Parts,
    body: ReqBody,
) -> impl Future<Output = Result<Response<ResponseBody<ResBody>>, S::Error>>
where
    S: Service<Request<VerifiedBody>, Response = Response<ResBody>>,
    ReqBody: Body,
    ReqBody::Error: Into<BoxError>,
{
    async move {
        let (bytes, verified, claim) = match accept(&endpoint, &parts, body).await {
            Ok(Accepted::Event(bytes, verified, claim)) => (bytes, verified, claim),
            #[cfg(feature = "handshakes")]
            Ok(Accepted::Handshake(answer)) => {
                return Ok(answer.map(|body| Either::Right(Full::new(body.into()))));
            }
            Err(refused) => {
                return Ok(refused.into_response().map(|body| Either::Right(Full::new(body.into()))));
            }
        };
        // From here on, a panic or a dropped future drops `claim`, which releases it.
        parts.extensions.insert(verified);
        let result = inner.call(Request::from_parts(parts, VerifiedBody::new(bytes))).await;
        endpoint.settle(claim, result.as_ref().ok().map(|response| response.status().as_u16())).await;
        result.map(|response| response.map(Either::Left))
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::future::Future;
    use std::pin::{Pin, pin};
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use bytes::Bytes;
    use hookwarden::{
        DEFAULT_BODY_TIMEOUT, MemoryStore, Message, Verifier, VerifyError, preset::StandardWebhooks,
    };
    use http::header::RETRY_AFTER;
    use http::{Request, Response, StatusCode};
    use http_body::{Body, Frame, SizeHint};
    use http_body_util::{BodyExt, Full};
    use tower::{Layer, ServiceBuilder, ServiceExt, service_fn};

    use super::*;

    fn verifier() -> Verifier {
        Verifier::builder(StandardWebhooks).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build().unwrap()
    }

    async fn echo(request: Request<VerifiedBody>) -> Result<Response<Full<Bytes>>, Infallible> {
        Ok(Response::new(Full::new(request.into_body().into_bytes())))
    }

    fn signed<B>(body: B, raw: &[u8], id: &str) -> Request<B> {
        let mut request = Request::post("/").body(body).unwrap();
        *request.headers_mut() = verifier().sign(&Message::new(raw).id(id)).unwrap().to_header_map();
        request
    }

    async fn body_of<B: Body<Data = Bytes>>(response: Response<B>) -> Bytes
    where
        B::Error: std::fmt::Debug,
    {
        response.into_body().collect().await.unwrap().to_bytes()
    }

    #[tokio::test]
    async fn rejection_carries_the_error_in_its_extensions() {
        let service = ServiceBuilder::new().layer(WebhookVerifyLayer::new(verifier())).service_fn(echo);
        let response = service.oneshot(signed(Full::new(Bytes::from_static(b"b")), b"a", "m")).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.extensions().get::<VerifyError>().map(VerifyError::reason),
            Some("no_matching_signature")
        );
    }

    #[tokio::test]
    async fn verified_body_is_echoed() {
        let service = WebhookVerify::new(service_fn(echo), verifier());
        let response =
            service.oneshot(signed(Full::new(Bytes::from_static(b"hi")), b"hi", "m")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_of(response).await.as_ref(), b"hi");
    }

    /// A body that claims a size, or fails, without any socket.
    struct Odd {
        hint: SizeHint,
        fail: bool,
    }

    impl Body for Odd {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            if self.fail {
                Poll::Ready(Some(Err(std::io::Error::other("connection reset"))))
            } else {
                Poll::Ready(None)
            }
        }

        fn size_hint(&self) -> SizeHint {
            self.hint
        }
    }

    #[tokio::test]
    async fn a_body_known_to_be_too_large_is_refused_unread() {
        let service = WebhookVerify::new(service_fn(echo), verifier());
        let mut hint = SizeHint::new();
        hint.set_lower(hookwarden::DEFAULT_BODY_LIMIT + 1);
        let response = service.oneshot(signed(Odd { hint, fail: true }, b"", "m")).await.unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body_of(response).await.as_ref(), br#"{"reason":"body_too_large"}"#);
    }

    #[tokio::test]
    async fn a_broken_body_stream_is_a_400() {
        let service = WebhookVerify::new(service_fn(echo), verifier());
        let response =
            service.oneshot(signed(Odd { hint: SizeHint::new(), fail: true }, b"", "m")).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body_of(response).await.as_ref(), br#"{"reason":"body_unreadable"}"#);
    }

    /// A body sent one byte every `every` on Tokio's clock (paused in these tests, so nothing
    /// sleeps for real); after `stall_after` bytes, nothing more, ever.
    struct Slow {
        body: &'static [u8],
        sent: usize,
        stall_after: usize,
        every: Duration,
        next: Pin<Box<tokio::time::Sleep>>,
    }

    impl Slow {
        fn new(body: &'static [u8], every: Duration, stall_after: usize) -> Self {
            Self { body, sent: 0, stall_after, every, next: Box::pin(tokio::time::sleep(every)) }
        }
    }

    impl Body for Slow {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            if self.sent == self.body.len() {
                return Poll::Ready(None);
            }
            if self.sent == self.stall_after {
                return Poll::Pending; // never woken: only the layer's timer can end this
            }
            std::task::ready!(self.next.as_mut().poll(cx));
            let next = tokio::time::Instant::now() + self.every;
            self.next.as_mut().reset(next);
            self.sent += 1;
            Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&self.body[self.sent - 1..self.sent])))))
        }
    }

    const EVENT: &[u8] = br#"{"type":"invoice.paid"}"#;
    const MS: Duration = Duration::from_millis(1);

    /// The answer, how long it took on Tokio's clock, how often the handler ran, the store.
    type Answer = (Response<ResponseBody<Full<Bytes>>>, Duration, usize, Arc<MemoryStore>);

    /// Sends `body` through a layer configured by `layer`, with a store and a handler that
    /// counts its calls.
    async fn slow_delivery(endpoint: impl FnOnce(Endpoint) -> Endpoint, body: Slow) -> Answer {
        let store = Arc::new(MemoryStore::new());
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = calls.clone();
        let handler = service_fn(move |request| {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            echo(request)
        });
        let endpoint = endpoint(Endpoint::new(verifier()).replay_store(store.clone()));
        let service = WebhookVerifyLayer::new(endpoint).layer(handler);
        let started = tokio::time::Instant::now();
        let response = service.oneshot(signed(body, EVENT, "msg_slow")).await.unwrap();
        (response, started.elapsed(), calls.load(std::sync::atomic::Ordering::SeqCst), store)
    }

    /// The answer is the 408 for `deadline`, given as soon as it passed.
    async fn assert_body_timeout((response, elapsed, calls, store): Answer, deadline: Duration) {
        assert!(elapsed >= deadline && elapsed < deadline + 5 * MS, "answered after {elapsed:?}");
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(
            response.extensions().get::<VerifyError>(),
            Some(&VerifyError::BodyTimeout { after: deadline })
        );
        assert_eq!(body_of(response).await.as_ref(), br#"{"reason":"body_timeout"}"#);
        assert_eq!(calls, 0, "the handler ran");
        assert!(store.is_empty(), "a claim was taken");
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stalls_midway_is_a_408_at_the_deadline() {
        let deadline = 200 * MS;
        let answer = slow_delivery(|endpoint| endpoint.body_timeout(deadline), Slow::new(EVENT, MS, 5)).await;
        assert_body_timeout(answer, deadline).await;
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_is_for_the_whole_body_not_each_read() {
        // A byte every 10 ms keeps every read short; the body would take 230 ms.
        let deadline = 200 * MS;
        let answer =
            slow_delivery(|endpoint| endpoint.body_timeout(deadline), Slow::new(EVENT, 10 * MS, usize::MAX))
                .await;
        assert_body_timeout(answer, deadline).await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_body_that_arrives_in_time_is_handled() {
        let (response, elapsed, calls, _) =
            slow_delivery(|endpoint| endpoint.body_timeout(300 * MS), Slow::new(EVENT, 10 * MS, usize::MAX))
                .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_of(response).await.as_ref(), EVENT);
        assert!(elapsed >= 230 * MS, "{elapsed:?}");
        assert_eq!(calls, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn the_default_deadline_is_30_seconds() {
        let answer = slow_delivery(|endpoint| endpoint, Slow::new(EVENT, MS, 5)).await;
        assert_eq!(DEFAULT_BODY_TIMEOUT, Duration::from_secs(30));
        assert_body_timeout(answer, DEFAULT_BODY_TIMEOUT).await;
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_deadline_a_stalled_body_is_waited_for() {
        let waited = tokio::time::timeout(
            Duration::from_secs(24 * 3600),
            slow_delivery(Endpoint::no_body_timeout, Slow::new(EVENT, MS, 5)),
        )
        .await;
        assert!(waited.is_err(), "answered a body that never arrived");
    }

    #[test]
    fn a_complete_body_needs_no_timer_and_no_runtime() {
        // Outside any runtime: creating a Tokio timer here would panic.
        let service = WebhookVerify::new(service_fn(echo), verifier());
        let future = service.oneshot(signed(Full::new(Bytes::from_static(b"hi")), b"hi", "m"));
        let Poll::Ready(response) = pin!(future).poll(&mut Context::from_waker(std::task::Waker::noop()))
        else {
            panic!("a complete body was not verified on the first poll");
        };
        assert_eq!(response.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn in_flight_answers_409_with_retry_after() {
        let store = Arc::new(MemoryStore::new());
        let headers = verifier().sign(&Message::new(b"x").id("busy")).unwrap();
        let request = hookwarden::scheme::Request::new(&headers, b"x");
        let mut verified = verifier().verify_request(&request).unwrap();
        let _claim = verifier().claim(&store, &request, &mut verified).await.unwrap();
        let service =
            WebhookVerifyLayer::new(Endpoint::new(verifier()).replay_store(store)).layer(service_fn(echo));
        let response =
            service.oneshot(signed(Full::new(Bytes::from_static(b"x")), b"x", "busy")).await.unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers()[RETRY_AFTER], "5");
        assert_eq!(response.extensions().get::<VerifyError>(), Some(&VerifyError::InFlight));
    }

    #[tokio::test]
    async fn inner_errors_release_the_claim_and_pass_through() {
        let store = Arc::new(MemoryStore::new());
        let failing =
            service_fn(|_: Request<VerifiedBody>| async { Err::<Response<Full<Bytes>>, _>("down") });
        let service =
            WebhookVerifyLayer::new(Endpoint::new(verifier()).replay_store(store.clone())).layer(failing);
        let result = service.oneshot(signed(Full::new(Bytes::from_static(b"x")), b"x", "err")).await;
        assert_eq!(result.unwrap_err(), "down");
        assert!(store.is_empty());
    }

    #[test]
    fn debug_never_prints_secrets() {
        let layer = WebhookVerifyLayer::new(verifier());
        let text = format!("{layer:?} {:?}", WebhookVerify::new((), verifier()));
        assert!(!text.contains("MfKQ9r8"), "{text}");
    }
}
