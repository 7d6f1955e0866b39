//! Exactly once per event, through both adapters and the standalone API: for each of sixteen
//! providers, a retry of a processed event made the way the provider makes it is answered
//! `200 {"reason":"duplicate"}` without running the handler, another event runs it, and a
//! retry after the handler answered 415, 429 or 503 runs it again.
//!
//! Each retry is made the way its provider makes it: signed again later (a new timestamp),
//! with the provider's unsigned retry headers, and with the body changes the provider makes
//! (Stripe's `pending_webhooks`, Mux's `attempts`, Coinbase's `attempt_number`, Intercom's
//! `delivery_attempts`, Linear's `webhookTimestamp`, Twilio's parameter order). A replay key
//! that included the timestamp or one of those changes would run the handler twice; a claim
//! committed on a 415 or a 429 would lose the event.
//!
//! One table of providers drives three paths to the same counting handler, so the adapters are
//! held to what the standalone API proves:
//!
//! - the standalone API: `Verifier::verify_request`, `Verifier::claim` and `Claim::settle`
//!   with [`OnSuccess`], called by hand;
//! - axum, with `hookwarden_tower::WebhookVerifyLayer` on the route, driven in-process;
//! - actix-web, with `hookwarden_actix::WebhookVerify` on the resource, driven in-process.
//!
//! Schemes that sign the URL (HubSpot, Twilio, Square) are signed for the public URL the
//! adapters rebuild from their `public_origin` and the request's path and query.

use std::rc::Rc;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::test::TestRequest;
use futures_util::future::LocalBoxFuture;

use hookwarden::Endpoint;
use hookwarden::preset::{
    Calendly, Coinbase, GitHub, HubSpot, Intercom, Linear, Mux, Paddle, Slack, Square, StandardWebhooks,
    Stripe, Svix, Twilio, Twitch, Zoom,
};
use hookwarden::replay::{IdentitySource, OnSuccess};
use hookwarden::scheme::Request;
use hookwarden::{FixedClock, MemoryStore, Message, Scheme, Verified, Verifier, VerifyError};

const START: i64 = 1_700_000_000;
/// How long after the first attempt the provider retries: longer than Paddle's five-second
/// window, within everyone else's.
const RETRY_AFTER: i64 = 4;
/// The origin the adapters are told the provider calls.
const ORIGIN: &str = "https://hooks.example.com";
/// The path and query the provider calls.
const TARGET: &str = "/webhooks?tenant=7";
/// [`ORIGIN`] followed by [`TARGET`]: the URL the provider signs, where it signs one.
const URL: &str = "https://hooks.example.com/webhooks?tenant=7";
/// What the handler answers with, whatever its status.
const HANDLED: &str = "handled";
const DUPLICATE: &str = r#"{"reason":"duplicate"}"#;

/// One attempt at a delivery: what the sender signs, and the unsigned headers it adds.
struct Attempt {
    body: Vec<u8>,
    id: Option<&'static str>,
    retry_headers: &'static [(&'static str, &'static str)],
}

fn attempt(body: impl Into<Vec<u8>>) -> Attempt {
    Attempt { body: body.into(), id: None, retry_headers: &[] }
}

/// How a sender makes one attempt at time `t`.
type Send = fn(i64) -> Attempt;

/// A provider: its verifier, how an event is first sent and retried, and another event.
struct Provider {
    name: &'static str,
    /// A verifier on the shared clock, for the sender and for the endpoint alike.
    scheme: Box<dyn Fn() -> Verifier>,
    /// The first attempt, sent at `t`.
    first: Send,
    /// The provider's retry of the same event, sent at `t`.
    retry: Send,
    /// Another event, sent at `t`.
    other: Send,
    /// Where the event's replay identity must come from.
    identity: IdentitySource,
    content_type: &'static str,
}

impl Provider {
    /// Sends its bodies as a form rather than JSON.
    fn form(self) -> Self {
        Self { content_type: "application/x-www-form-urlencoded", ..self }
    }
}

fn provider(
    name: &'static str,
    build: impl Fn(&FixedClock) -> Verifier + 'static,
    clock: &FixedClock,
    (first, retry, other): (Send, Send, Send),
    identity: IdentitySource,
) -> Provider {
    let clock = clock.clone();
    Provider {
        name,
        scheme: Box::new(move || build(&clock)),
        first,
        retry,
        other,
        identity,
        content_type: "application/json",
    }
}

fn with<S: Scheme + Copy>(scheme: S, secret: &str) -> impl Fn(&FixedClock) -> Verifier + 'static {
    let secret = secret.to_owned();
    move |clock| Verifier::builder(scheme).secret(&secret).clock(clock.clone()).build().unwrap()
}

fn providers(clock: &FixedClock) -> Vec<Provider> {
    fn stripe(pending: u32, id: &str) -> Attempt {
        attempt(format!(
            r#"{{"id":"{id}","object":"event","type":"invoice.paid","pending_webhooks":{pending}}}"#
        ))
    }
    fn slack(event_id: &str) -> String {
        format!(
            r#"{{"token":"t","team_id":"T1","event":{{"type":"message","text":"hi","ts":"1.2"}},"type":"event_callback","event_id":"{event_id}","event_time":1700000000}}"#
        )
    }
    fn linear(id: &str, t: i64) -> Attempt {
        attempt(format!(
            r#"{{"action":"create","type":"Issue","data":{{"id":"{id}"}},"webhookTimestamp":{}}}"#,
            t * 1000
        ))
    }
    fn coinbase(attempt_number: u32, id: &str) -> Attempt {
        attempt(format!(
            r#"{{"id":81,"attempt_number":{attempt_number},"event":{{"id":"{id}","type":"charge:confirmed"}}}}"#
        ))
    }
    use IdentitySource::{BodyField, Content, SignedId};
    vec![
        provider(
            "standard-webhooks",
            with(StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            clock,
            (
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_2"), ..attempt("{}") },
            ),
            SignedId,
        ),
        provider(
            "svix",
            with(Svix, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            clock,
            (
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_1"), ..attempt("{}") },
                |_| Attempt { id: Some("msg_2"), ..attempt("{}") },
            ),
            SignedId,
        ),
        provider(
            "twitch",
            with(Twitch, "twitch-eventsub-secret-0123"),
            clock,
            (
                |_| Attempt { id: Some("e1"), ..attempt("{}") },
                |_| Attempt {
                    id: Some("e1"),
                    retry_headers: &[("Twitch-Eventsub-Message-Retry", "1")],
                    ..attempt("{}")
                },
                |_| Attempt { id: Some("e2"), ..attempt("{}") },
            ),
            SignedId,
        ),
        provider(
            "stripe",
            with(Stripe, "whsec_test_secret_0123456789"),
            clock,
            (|_| stripe(2, "evt_1"), |_| stripe(1, "evt_1"), |_| stripe(2, "evt_2")),
            BodyField("id"),
        ),
        provider(
            "slack",
            with(Slack, "8f742231b10e8888abcd99yyyzzz85a5"),
            clock,
            (
                |_| attempt(slack("Ev1")),
                |_| Attempt {
                    retry_headers: &[("X-Slack-Retry-Num", "1"), ("X-Slack-Retry-Reason", "http_timeout")],
                    ..attempt(slack("Ev1"))
                },
                |_| attempt(slack("Ev2")),
            ),
            BodyField("event_id"),
        ),
        provider(
            "paddle",
            with(Paddle, "pdl_ntfset_01_secret_0123456789"),
            clock,
            (
                |_| {
                    attempt(
                        r#"{"event_id":"evt_1","notification_id":"ntf_1","event_type":"transaction.paid"}"#,
                    )
                },
                |_| {
                    attempt(
                        r#"{"event_id":"evt_1","notification_id":"ntf_1","event_type":"transaction.paid"}"#,
                    )
                },
                |_| {
                    attempt(
                        r#"{"event_id":"evt_1","notification_id":"ntf_2","event_type":"transaction.paid"}"#,
                    )
                },
            ),
            BodyField("notification_id"),
        ),
        provider(
            "mux",
            with(Mux, "mux-webhook-secret-0123456789"),
            clock,
            (
                |_| attempt(r#"{"type":"video.asset.ready","id":"3a56ac3d","attempts":[]}"#),
                |_| attempt(r#"{"type":"video.asset.ready","id":"3a56ac3d","attempts":[{"id":"a1"}]}"#),
                |_| attempt(r#"{"type":"video.asset.ready","id":"9b11ee02","attempts":[]}"#),
            ),
            BodyField("id"),
        ),
        provider(
            "zoom",
            with(Zoom, "zoom-secret-token-0123"),
            clock,
            (
                |_| attempt(r#"{"event":"meeting.started","event_ts":1626230691572,"payload":{"id":"1"}}"#),
                |_| attempt(r#"{"event":"meeting.started","event_ts":1626230691572,"payload":{"id":"1"}}"#),
                |_| attempt(r#"{"event":"meeting.started","event_ts":1626230691999,"payload":{"id":"2"}}"#),
            ),
            Content,
        ),
        provider(
            "calendly",
            with(Calendly, "calendly-signing-key-0123"),
            clock,
            (
                |_| {
                    attempt(r#"{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/i/1"}}"#)
                },
                |_| {
                    attempt(r#"{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/i/1"}}"#)
                },
                |_| {
                    attempt(r#"{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/i/2"}}"#)
                },
            ),
            Content,
        ),
        provider(
            "hubspot",
            with(HubSpot, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"),
            clock,
            (
                |_| attempt(r#"[{"eventId":1,"subscriptionType":"contact.creation"}]"#),
                |_| attempt(r#"[{"eventId":1,"subscriptionType":"contact.creation"}]"#),
                |_| attempt(r#"[{"eventId":2,"subscriptionType":"contact.creation"}]"#),
            ),
            Content,
        ),
        provider(
            "linear",
            with(Linear, "lin_wh_signing_secret_0123456789"),
            clock,
            (|t| linear("i1", t), |t| linear("i1", t), |t| linear("i2", t)),
            Content,
        ),
        provider(
            "github",
            with(GitHub, "It's a Secret to Everybody"),
            clock,
            (
                |_| attempt(r#"{"action":"opened","number":1}"#),
                |_| attempt(r#"{"action":"opened","number":1}"#),
                |_| attempt(r#"{"action":"opened","number":2}"#),
            ),
            Content,
        ),
        provider(
            "twilio",
            with(Twilio, "twilio-auth-token-0123456789"),
            clock,
            (
                |_| attempt("MessageSid=SM1&MessageStatus=delivered"),
                |_| attempt("MessageStatus=delivered&MessageSid=SM1"),
                |_| attempt("MessageSid=SM2&MessageStatus=delivered"),
            ),
            Content,
        )
        .form(),
        provider(
            "square",
            with(Square, "square-signature-key-0123"),
            clock,
            (
                |_| attempt(r#"{"merchant_id":"M1","type":"payment.updated","event_id":"e-1","data":{}}"#),
                |_| attempt(r#"{"merchant_id":"M1","type":"payment.updated","event_id":"e-1","data":{}}"#),
                |_| attempt(r#"{"merchant_id":"M1","type":"payment.updated","event_id":"e-2","data":{}}"#),
            ),
            BodyField("event_id"),
        ),
        provider(
            "coinbase",
            with(Coinbase, "coinbase-shared-secret-0123"),
            clock,
            (|_| coinbase(1, "ev-1"), |_| coinbase(2, "ev-1"), |_| coinbase(1, "ev-2")),
            BodyField("event.id"),
        ),
        provider(
            "intercom",
            with(Intercom, "intercom-client-secret-0123"),
            clock,
            (
                |_| attempt(r#"{"type":"notification_event","id":"notif_1","delivery_attempts":1}"#),
                |_| attempt(r#"{"type":"notification_event","id":"notif_1","delivery_attempts":2}"#),
                |_| attempt(r#"{"type":"notification_event","id":"notif_2","delivery_attempts":1}"#),
            ),
            BodyField("id"),
        ),
    ]
}

/// A request as it travels: the headers (signed, the sender's unsigned ones, the content
/// type) and the body.
#[derive(Debug)]
struct Delivery {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Signs `attempt` at `t` as `provider` would, for `POST` to [`URL`].
fn delivery(provider: &Provider, attempt: &Attempt, t: i64) -> Delivery {
    let mut message = Message::new(&attempt.body).timestamp(t).url(URL).method("POST");
    if let Some(id) = attempt.id {
        message = message.id(id);
    }
    let signed = (provider.scheme)().sign(&message).expect("signable");
    let headers = signed
        .iter()
        .chain(attempt.retry_headers.iter().copied())
        .chain([("Content-Type", provider.content_type)])
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    Delivery { headers, body: attempt.body.clone() }
}

/// The handler behind every path: counts its calls, notes the identity of the event it runs
/// for, and answers the status it is told to.
#[derive(Debug)]
struct Handler {
    calls: AtomicUsize,
    status: AtomicU16,
    identity: Mutex<Option<IdentitySource>>,
}

impl Handler {
    fn new() -> Arc<Self> {
        Arc::new(Self { calls: AtomicUsize::new(0), status: AtomicU16::new(200), identity: Mutex::new(None) })
    }

    /// Makes the next calls answer `status`.
    fn answers(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// One call for the delivery `verified`: the status to answer.
    fn call(&self, verified: Option<&Verified>) -> u16 {
        self.calls.fetch_add(1, Ordering::SeqCst);
        *self.identity.lock().unwrap() =
            verified.and_then(Verified::identity).map(|identity| identity.source());
        self.status.load(Ordering::SeqCst)
    }
}

/// What a sender and the handler saw after one delivery.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    status: u16,
    body: String,
    /// The handler's calls so far.
    calls: usize,
    /// The identity of the event the handler last ran for.
    identity: Option<IdentitySource>,
}

impl Seen {
    /// The handler ran (its `calls`-th call) for an event identified by `identity`, and
    /// answered `status`.
    fn handled(status: u16, calls: usize, identity: IdentitySource) -> Self {
        Self { status, body: HANDLED.to_owned(), calls, identity: Some(identity) }
    }

    /// Acknowledged as a duplicate without running the handler, still at `calls` calls (the
    /// last for an event identified by `identity`).
    fn duplicate(calls: usize, identity: IdentitySource) -> Self {
        Self { status: 200, body: DUPLICATE.to_owned(), calls, identity: Some(identity) }
    }
}

/// A receiver on one of the three paths, with a fresh store, in front of a [`Handler`].
trait Receiver {
    /// Delivers to `POST` [`TARGET`]: the status and body answered.
    async fn deliver(&self, delivery: &Delivery) -> (u16, String);
}

/// The standalone API, called the way the adapters call it.
struct Standalone {
    verifier: Verifier,
    store: Arc<MemoryStore>,
    handler: Arc<Handler>,
}

/// The standalone path to `handler`.
async fn standalone(verifier: Verifier, store: Arc<MemoryStore>, handler: Arc<Handler>) -> Standalone {
    Standalone { verifier, store, handler }
}

impl Receiver for Standalone {
    async fn deliver(&self, delivery: &Delivery) -> (u16, String) {
        // What the adapters answer for a rejection.
        let refused = |error: VerifyError| (error.status(), format!(r#"{{"reason":"{}"}}"#, error.reason()));
        let request = Request::new(&delivery.headers, &delivery.body).url(URL).method("POST");
        let mut verified = match self.verifier.verify_request(&request) {
            Ok(verified) => verified,
            Err(error) => return refused(error),
        };
        let claim = match self.verifier.claim(&self.store, &request, &mut verified).await {
            Ok(claim) => claim,
            Err(error) => return refused(error),
        };
        let status = self.handler.call(Some(&verified));
        claim.settle(status, &OnSuccess).await.expect("memory store answers");
        (status, HANDLED.to_owned())
    }
}

/// An axum router with `WebhookVerifyLayer` on the route, called in-process.
struct Axum(axum::Router);

/// The axum path to `handler`: the layer with `store` and the public origin.
async fn axum(verifier: Verifier, store: Arc<MemoryStore>, handler: Arc<Handler>) -> Axum {
    use axum::http::StatusCode;
    use axum::{Extension, routing::post};
    let layer = hookwarden_tower::WebhookVerifyLayer::new(
        Endpoint::new(verifier).replay_store(store).public_origin(ORIGIN),
    );
    let route = post(move |Extension(verified): Extension<Verified>| async move {
        (StatusCode::from_u16(handler.call(Some(&verified))).unwrap(), HANDLED)
    });
    Axum(axum::Router::new().route("/webhooks", route).route_layer(layer))
}

impl Receiver for Axum {
    async fn deliver(&self, delivery: &Delivery) -> (u16, String) {
        use tower::ServiceExt as _;
        let mut request = axum::http::Request::post(TARGET);
        for (name, value) in &delivery.headers {
            request = request.header(name, value);
        }
        let request = request.body(axum::body::Body::from(delivery.body.clone())).unwrap();
        let response = self.0.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}

/// An actix-web app with `WebhookVerify` on the resource, called in-process. (Through a
/// closure: the type of the requests the app takes cannot be named here.)
struct Actix(Box<dyn Fn(TestRequest) -> LocalBoxFuture<'static, (u16, String)>>);

/// The actix-web path to `handler`: the middleware with `store` and the public origin.
async fn actix(verifier: Verifier, store: Arc<MemoryStore>, handler: Arc<Handler>) -> Actix {
    use actix_web::http::StatusCode;
    use actix_web::{App, HttpMessage as _, HttpRequest, HttpResponse, test, web};
    let verify = hookwarden_actix::WebhookVerify::new(
        Endpoint::new(verifier).replay_store(store).public_origin(ORIGIN),
    );
    let route = web::post().to(move |request: HttpRequest| {
        let status = handler.call(request.extensions().get::<Verified>());
        async move { HttpResponse::build(StatusCode::from_u16(status).unwrap()).body(HANDLED) }
    });
    let app = App::new().service(web::resource("/webhooks").wrap(verify).route(route));
    let service = Rc::new(test::init_service(app).await);
    Actix(Box::new(move |request| {
        let service = Rc::clone(&service);
        Box::pin(async move {
            let response = test::call_service(&*service, request.to_request()).await;
            let status = response.status().as_u16();
            let body = test::read_body(response).await;
            (status, String::from_utf8_lossy(&body).into_owned())
        })
    }))
}

impl Receiver for Actix {
    async fn deliver(&self, delivery: &Delivery) -> (u16, String) {
        let mut request = TestRequest::post().uri(TARGET);
        for (name, value) in &delivery.headers {
            request = request.append_header((name.as_str(), value.as_str()));
        }
        (self.0)(request.set_payload(delivery.body.clone())).await
    }
}

/// Sends `delivery` to `endpoint`: what the sender and `handler` saw.
async fn send(endpoint: &impl Receiver, handler: &Handler, delivery: &Delivery) -> Seen {
    let (status, body) = endpoint.deliver(delivery).await;
    let identity = *handler.identity.lock().unwrap();
    Seen { status, body, calls: handler.calls.load(Ordering::SeqCst), identity }
}

/// Adds a problem to `problems` unless `seen` is what was `expected`.
fn expect(problems: &mut Vec<String>, provider: &str, step: &str, seen: Seen, expected: Seen) {
    if seen != expected {
        problems.push(format!("{provider}: {step}: got {seen:?}, expected {expected:?}"));
    }
}

/// For every provider, through an endpoint `build` makes: the first attempt runs the handler,
/// the re-signed retry is acknowledged as a duplicate without running it, and another event
/// runs it. The problems found, one per provider and step.
async fn retries_of_processed_events<E: Receiver>(
    build: impl AsyncFn(Verifier, Arc<MemoryStore>, Arc<Handler>) -> E,
) -> Vec<String> {
    let clock = FixedClock::at(START);
    let mut problems = Vec::new();
    for provider in providers(&clock) {
        let (name, identity) = (provider.name, provider.identity);
        clock.set(START);
        let handler = Handler::new();
        let store = Arc::new(MemoryStore::new().clock(clock.clone()));
        let endpoint = build((provider.scheme)(), store, Arc::clone(&handler)).await;

        let first = delivery(&provider, &(provider.first)(START), START);
        let seen = send(&endpoint, &handler, &first).await;
        expect(&mut problems, name, "first attempt", seen, Seen::handled(200, 1, identity));

        clock.set(START + RETRY_AFTER);
        let retry = delivery(&provider, &(provider.retry)(START + RETRY_AFTER), START + RETRY_AFTER);
        let seen = send(&endpoint, &handler, &retry).await;
        expect(&mut problems, name, "re-signed retry", seen, Seen::duplicate(1, identity));

        let other = delivery(&provider, &(provider.other)(START + RETRY_AFTER), START + RETRY_AFTER);
        let seen = send(&endpoint, &handler, &other).await;
        expect(&mut problems, name, "another event", seen, Seen::handled(200, 2, identity));
    }
    problems
}

/// For every provider, through an endpoint `build` makes: the handler answers the first attempt
/// 415 (an extractor's), 429 (a busy handler's) and 503 in turn, each releasing the claim, so
/// every copy runs the handler, and so does the provider's re-signed retry. The problems found.
async fn retries_after_failed_attempts<E: Receiver>(
    build: impl AsyncFn(Verifier, Arc<MemoryStore>, Arc<Handler>) -> E,
) -> Vec<String> {
    let clock = FixedClock::at(START);
    let mut problems = Vec::new();
    for provider in providers(&clock) {
        let (name, identity) = (provider.name, provider.identity);
        clock.set(START);
        let handler = Handler::new();
        let store = Arc::new(MemoryStore::new().clock(clock.clone()));
        let endpoint = build((provider.scheme)(), store, Arc::clone(&handler)).await;

        let first = delivery(&provider, &(provider.first)(START), START);
        for (calls, status) in [415, 429, 503].into_iter().enumerate() {
            handler.answers(status);
            let seen = send(&endpoint, &handler, &first).await;
            let step = format!("attempt answered {status}");
            expect(&mut problems, name, &step, seen, Seen::handled(status, calls + 1, identity));
        }

        clock.set(START + RETRY_AFTER);
        handler.answers(204);
        let retry = delivery(&provider, &(provider.retry)(START + RETRY_AFTER), START + RETRY_AFTER);
        let seen = send(&endpoint, &handler, &retry).await;
        expect(&mut problems, name, "retry", seen, Seen::handled(204, 4, identity));
    }
    problems
}

/// Fails with every problem found, if any.
fn assert_none(problems: Vec<String>) {
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

mod through_the_standalone_api {
    use super::*;

    #[tokio::test]
    async fn a_re_signed_retry_is_a_duplicate_and_another_event_is_fresh() {
        assert_none(retries_of_processed_events(standalone).await);
    }

    #[tokio::test]
    async fn a_retry_after_a_failed_attempt_is_processed() {
        assert_none(retries_after_failed_attempts(standalone).await);
    }
}

mod through_axum {
    use super::*;

    #[tokio::test]
    async fn a_re_signed_retry_is_a_duplicate_and_another_event_is_fresh() {
        assert_none(retries_of_processed_events(axum).await);
    }

    #[tokio::test]
    async fn a_retry_after_a_failed_attempt_is_processed() {
        assert_none(retries_after_failed_attempts(axum).await);
    }
}

mod through_actix {
    use super::*;

    #[test]
    fn a_re_signed_retry_is_a_duplicate_and_another_event_is_fresh() {
        assert_none(actix_web::rt::System::new().block_on(retries_of_processed_events(actix)));
    }

    #[test]
    fn a_retry_after_a_failed_attempt_is_processed() {
        assert_none(actix_web::rt::System::new().block_on(retries_after_failed_attempts(actix)));
    }
}
