//! The middleware: [`WebhookVerify`] (the `Transform`) and [`WebhookVerifyMiddleware`].

use std::cell::OnceCell;
use std::fmt;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{
    Extensions, Payload, Service, ServiceRequest, ServiceResponse, Transform, forward_ready,
};
use actix_web::error::InternalError;
use actix_web::web::{self, FormConfig, JsonConfig, PayloadConfig};
use actix_web::{Error, HttpMessage as _, HttpRequest};
use hookwarden::endpoint::Rejection;
use hookwarden::{Endpoint, Verifier, VerifyError};
use tracing::Instrument as _;

use crate::accept::{Accepted, read_and_verify};

use crate::rejection::respond;

/// A boxed, `!Send` future, as actix-web services return.
type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T> + 'static>>;

/// Verifies webhook deliveries before they reach the handler: actix-web middleware
/// (a [`Transform`]) for [`App::wrap`](actix_web::App::wrap),
/// [`Scope::wrap`](actix_web::Scope::wrap) and [`Resource::wrap`](actix_web::Resource::wrap).
///
/// Plumbing around a [`hookwarden::Endpoint`], which holds the settings and decides every step
/// of a delivery (see [`hookwarden::endpoint`] for the path of one request): this middleware
/// reads the body and maps types. The handler gets [`Verified`](hookwarden::Verified) in the
/// request extensions and the same bytes put back as the payload, so `web::Json<T>`,
/// `web::Bytes`, `String`, `web::Form<T>` and `web::ReqData<Verified>` extractors work (where
/// the app sets no `PayloadConfig`, `JsonConfig` or `FormConfig` of its own, their limits are
/// raised to the endpoint's body limit, so they accept every body it accepted).
///
/// Every rejection answers its status with `{"reason":"<code>"}` unless the endpoint
/// [shapes it otherwise](hookwarden::Endpoint::rejection_body). Each delivery runs in the
/// endpoint's [`span`](hookwarden::Endpoint::span). actix-web's `connection_info()` is never
/// used: it believes forwarding headers from any peer. Where actix knows no peer (a Unix
/// socket), an IP allowlist answers `500 peer_unknown`. actix-web's own
/// `client_request_timeout` covers only the request head: the endpoint's body deadline covers
/// the body.
///
/// # Build it once, outside `HttpServer::new`
///
/// `HttpServer::new` calls its closure once per worker thread. Build the verifier, the replay
/// store and this middleware *before* it and clone the middleware into the closure: every clone
/// shares the same verifier and store. A store created inside the closure would be one store
/// per worker, and a replay landing on another worker would be processed again.
///
/// The [crate docs](crate) show a whole server.
///
/// Wrap the webhook resource or scope, not the whole `App`: every request the middleware sees
/// must be a signed delivery.
#[derive(Clone)]
#[must_use]
pub struct WebhookVerify {
    pub(crate) endpoint: Endpoint,
}

impl WebhookVerify {
    /// Middleware driving `endpoint` (a [`Verifier`] is an endpoint with the default
    /// settings).
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::{Endpoint, Verifier, preset::GitHub};
    /// use hookwarden_actix::WebhookVerify;
    ///
    /// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
    /// // GitHub sends up to 25 MB.
    /// let verify = WebhookVerify::new(Endpoint::new(verifier).body_limit(25 * 1024 * 1024));
    /// # Ok::<(), hookwarden::ConfigError>(())
    /// ```
    pub fn new(endpoint: impl Into<Endpoint>) -> Self {
        Self { endpoint: endpoint.into() }
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        self.endpoint.verifier()
    }

    /// The endpoint: the settings and the steps.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The error that refuses a delivery for `error` as this middleware would: the endpoint's
    /// status and body, `Retry-After` where it applies. For extractors that refuse after
    /// [`Webhook`](crate::Webhook) accepted (`hookwarden-postgres`, when the delivery's
    /// transaction cannot begin).
    pub fn reject(&self, error: VerifyError) -> Error {
        self.refuse(self.endpoint.reject(error))
    }

    /// The error answering `rejection`.
    pub(crate) fn refuse(&self, rejection: Rejection) -> Error {
        let response = respond(&rejection);
        InternalError::from_response(rejection, response).into()
    }
}

impl fmt::Debug for WebhookVerify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerify").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

impl<S, B> Transform<S, ServiceRequest> for WebhookVerify
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = WebhookVerifyMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(WebhookVerifyMiddleware {
            service: Rc::new(service),
            config: Rc::new(self.clone()),
            extractor_limits: OnceCell::new(),
        }))
    }
}

/// The service [`WebhookVerify`] wraps around a route: one per worker thread.
pub struct WebhookVerifyMiddleware<S> {
    service: Rc<S>,
    config: Rc<WebhookVerify>,
    /// Extractor configurations for the handler, decided on the first request (the app data a
    /// middleware instance sees is the same for every request).
    extractor_limits: OnceCell<Option<Rc<Extensions>>>,
}

impl<S> fmt::Debug for WebhookVerifyMiddleware<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifyMiddleware").field("config", &self.config).finish_non_exhaustive()
    }
}

impl<S, B> Service<ServiceRequest> for WebhookVerifyMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let config = Rc::clone(&self.config);
        let limits = self
            .extractor_limits
            .get_or_init(|| extractor_limits(req.request(), config.endpoint.max_body_len()));
        Box::pin(deliver(service, config, limits.clone(), req).instrument(Endpoint::span()))
    }
}

/// Body-size configurations for the handler's extractors, where the app has none: the limit
/// the middleware already enforced.
///
/// Without them, `web::Bytes` and `String` would refuse bodies over 256 KiB, `web::Form` over
/// 16 KiB and `web::Json` over 2 MiB (actix's defaults) that the middleware accepted, verified
/// and claimed: the handler would refuse, with a 413, a genuine delivery it should process.
/// Configurations the app sets itself are left alone.
fn extractor_limits(req: &HttpRequest, body_limit: u64) -> Option<Rc<Extensions>> {
    fn unset<T: 'static>(req: &HttpRequest) -> bool {
        req.app_data::<T>().is_none() && req.app_data::<web::Data<T>>().is_none()
    }
    let limit = usize::try_from(body_limit).unwrap_or(usize::MAX);
    let mut limits = Extensions::new();
    let mut any = false;
    if unset::<PayloadConfig>(req) {
        any = limits.insert(PayloadConfig::new(limit)).is_none();
    }
    if unset::<JsonConfig>(req) {
        any = limits.insert(JsonConfig::default().limit(limit)).is_none();
    }
    if unset::<FormConfig>(req) {
        any = limits.insert(FormConfig::default().limit(limit)).is_none();
    }
    any.then(|| Rc::new(limits))
}

/// One delivery, from the raw request to the committed or released claim.
async fn deliver<S, B>(
    service: Rc<S>,
    config: Rc<WebhookVerify>,
    extractor_limits: Option<Rc<Extensions>>,
    mut req: ServiceRequest,
) -> Result<ServiceResponse<EitherBody<B>>, Error>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    let (http, payload) = req.parts_mut();
    let mut payload = payload.take();
    let (body, verified, claim) = match read_and_verify(&config, http, &mut payload).await {
        Ok(Accepted::Event { body, verified, claim }) => (body, verified, claim),
        #[cfg(feature = "handshakes")]
        Ok(Accepted::Handshake(answer)) => return Ok(req.into_response(answer).map_into_right_body()),
        Err(rejection) => {
            return Ok(req.into_response(respond(&rejection)).map_into_right_body());
        }
    };
    drop(payload);

    req.extensions_mut().insert(verified);
    req.set_payload(Payload::from(body));
    if let Some(limits) = extractor_limits {
        req.add_data_container(limits);
    }
    // From here on, a panic or a dropped future drops `claim`, which releases it.
    let result = service.call(req).await;
    config.endpoint.settle(claim, result.as_ref().ok().map(|response| response.status().as_u16())).await;
    result.map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use actix_web::body::BoxBody;
    use actix_web::error::PayloadError;
    use actix_web::test::{self, TestRequest};
    use bytes::Bytes;
    use hookwarden::{
        DEFAULT_BODY_TIMEOUT, FixedClock, MemoryStore, Message, Verified, VerifyError,
        preset::StandardWebhooks,
    };

    use super::*;
    use actix_web::HttpResponse;
    use actix_web::http::StatusCode;

    const NOW: i64 = 1_700_000_000;

    fn endpoint() -> Endpoint {
        let verifier = Verifier::builder(StandardWebhooks)
            .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .clock(FixedClock::at(NOW))
            .build()
            .unwrap();
        Endpoint::new(verifier)
    }

    fn verify() -> WebhookVerify {
        WebhookVerify::new(endpoint())
    }

    fn signed(verify: &WebhookVerify, body: &[u8]) -> TestRequest {
        let headers = verify.verifier().sign(&Message::new(body).id("msg_unit").timestamp(NOW)).unwrap();
        headers.iter().fold(TestRequest::post(), |req, (name, value)| {
            req.insert_header((name.to_owned(), value.to_owned()))
        })
    }

    async fn body_of<B: MessageBody>(response: ServiceResponse<B>) -> Bytes {
        response.into_body().try_into_bytes().unwrap_or_else(|_| panic!("streaming body"))
    }

    #[actix_web::test]
    async fn the_service_gets_verified_and_the_same_bytes() {
        let config = verify();
        let inner = actix_web::dev::fn_service(|mut req: ServiceRequest| async move {
            let id = req.extensions().get::<Verified>().and_then(|v| v.id().map(str::to_owned));
            assert_eq!(id.as_deref(), Some("msg_unit"));
            let body = futures_util::StreamExt::next(&mut req.take_payload()).await.unwrap().unwrap();
            assert_eq!(body, &b"{\"a\":1}"[..]);
            Ok::<_, Error>(req.into_response(HttpResponse::Accepted().finish()))
        });
        let middleware = config.new_transform(inner).await.unwrap();
        let req = signed(&config, b"{\"a\":1}").set_payload(&b"{\"a\":1}"[..]).to_srv_request();
        assert_eq!(middleware.call(req).await.unwrap().status(), StatusCode::ACCEPTED);
    }

    #[actix_web::test]
    async fn a_broken_body_stream_is_400_body_unreadable() {
        let config = verify();
        let middleware = config.new_transform(test::ok_service()).await.unwrap();
        let mut req = signed(&config, b"never complete").to_srv_request();
        let chunks: Vec<Result<Bytes, PayloadError>> =
            vec![Ok(Bytes::from_static(b"never")), Err(PayloadError::Incomplete(None))];
        req.set_payload(Payload::Stream { payload: Box::pin(futures_util::stream::iter(chunks)) });
        let response = middleware.call(req).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body_of(response).await, r#"{"reason":"body_unreadable"}"#);
    }

    const EVENT: &[u8] = br#"{"type":"invoice.paid"}"#;
    const MS: Duration = Duration::from_millis(1);

    /// The answer, how long it took on Tokio's clock, how often the service ran, the store.
    type Slow = (ServiceResponse<EitherBody<BoxBody>>, Duration, usize, Arc<MemoryStore>);

    /// Sends `payload` as the body of a signed `EVENT` through `endpoint` (given a store), to a
    /// service that counts its calls.
    async fn slow_delivery<P>(endpoint: Endpoint, payload: P) -> Slow
    where
        P: futures_util::Stream<Item = Result<Bytes, PayloadError>> + 'static,
    {
        let store = Arc::new(MemoryStore::new());
        let config = WebhookVerify::new(endpoint.replay_store(Arc::clone(&store)));
        let calls = Rc::new(std::cell::Cell::new(0));
        let counted = Rc::clone(&calls);
        let inner = actix_web::dev::fn_service(move |req: ServiceRequest| {
            counted.set(counted.get() + 1);
            async move { Ok::<_, Error>(req.into_response(HttpResponse::Ok().finish())) }
        });
        let middleware = config.new_transform(inner).await.unwrap();
        let mut req = signed(&config, EVENT).to_srv_request();
        req.set_payload(Payload::Stream { payload: Box::pin(payload) });
        let started = tokio::time::Instant::now();
        let response = middleware.call(req).await.unwrap();
        (response, started.elapsed(), calls.get(), store)
    }

    /// The first bytes of `EVENT`, then nothing, ever.
    fn stalled() -> impl futures_util::Stream<Item = Result<Bytes, PayloadError>> {
        use futures_util::StreamExt as _;
        futures_util::stream::iter([Ok(Bytes::from_static(&EVENT[..5]))])
            .chain(futures_util::stream::pending())
    }

    /// `EVENT` one byte every `every`, on Tokio's clock.
    fn trickle(every: Duration) -> impl futures_util::Stream<Item = Result<Bytes, PayloadError>> {
        futures_util::stream::unfold(0, move |sent| async move {
            (sent < EVENT.len()).then_some(())?;
            tokio::time::sleep(every).await;
            Some((Ok(Bytes::from_static(&EVENT[sent..=sent])), sent + 1))
        })
    }

    /// The answer is the 408 for `deadline`, given as soon as it passed.
    async fn assert_body_timeout((response, elapsed, calls, store): Slow, deadline: Duration) {
        assert!(elapsed >= deadline && elapsed < deadline + 5 * MS, "answered after {elapsed:?}");
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(
            response.response().extensions().get::<VerifyError>(),
            Some(&VerifyError::BodyTimeout { after: deadline })
        );
        assert_eq!(body_of(response).await, r#"{"reason":"body_timeout"}"#);
        assert_eq!(calls, 0, "the handler ran");
        assert!(store.is_empty(), "a claim was taken");
    }

    #[actix_web::test]
    async fn a_body_that_stalls_midway_is_a_408_at_the_deadline() {
        tokio::time::pause();
        let deadline = 200 * MS;
        assert_body_timeout(slow_delivery(endpoint().body_timeout(deadline), stalled()).await, deadline)
            .await;
    }

    #[actix_web::test]
    async fn the_deadline_is_for_the_whole_body_not_each_read() {
        tokio::time::pause();
        // A byte every 10 ms keeps every read short; the body would take 230 ms.
        let deadline = 200 * MS;
        let answer = slow_delivery(endpoint().body_timeout(deadline), trickle(10 * MS)).await;
        assert_body_timeout(answer, deadline).await;
    }

    #[actix_web::test]
    async fn a_slow_body_that_arrives_in_time_is_handled() {
        tokio::time::pause();
        let (response, elapsed, calls, store) =
            slow_delivery(endpoint().body_timeout(300 * MS), trickle(10 * MS)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(elapsed >= 230 * MS, "{elapsed:?}");
        assert_eq!(calls, 1);
        assert_eq!(store.len(), 1, "the handled delivery is remembered");
    }

    #[actix_web::test]
    async fn the_default_deadline_is_30_seconds() {
        tokio::time::pause();
        assert_eq!(DEFAULT_BODY_TIMEOUT, Duration::from_secs(30));
        assert_body_timeout(slow_delivery(endpoint(), stalled()).await, DEFAULT_BODY_TIMEOUT).await;
    }

    #[actix_web::test]
    async fn without_a_deadline_a_stalled_body_is_waited_for() {
        tokio::time::pause();
        let waited = tokio::time::timeout(
            Duration::from_secs(24 * 3600),
            slow_delivery(endpoint().no_body_timeout(), stalled()),
        )
        .await;
        assert!(waited.is_err(), "answered a body that never arrived");
    }

    #[actix_web::test]
    async fn an_unsigned_request_never_reaches_the_service() {
        let config = verify();
        let middleware = config.new_transform(test::ok_service()).await.unwrap();
        let response = middleware.call(TestRequest::post().set_payload("{}").to_srv_request()).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.response().extensions().get::<VerifyError>().map(VerifyError::reason),
            Some("missing_header")
        );
        assert_eq!(body_of(response).await, r#"{"reason":"missing_header"}"#);
    }
}
