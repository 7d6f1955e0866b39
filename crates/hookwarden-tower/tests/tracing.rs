//! The `webhook` span records the outcome, and never a secret or a MAC.
//!
//! A test binary of its own: tracing caches per callsite whether anyone listens, and a test on
//! another thread could cache "no one" before this test's subscriber exists (it did, now and
//! then, while this test lived among the unit tests). Here no other test runs.

use std::convert::Infallible;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use hookwarden::preset::StandardWebhooks;
use hookwarden::{FixedClock, Message, Verifier};
use hookwarden_tower::{VerifiedBody, WebhookVerify};
use http::{Request, Response};
use http_body_util::Full;
use tower::{ServiceExt, service_fn};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn verifier() -> Verifier {
    Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap()
}

async fn echo(request: Request<VerifiedBody>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(request.into_body().into_bytes())))
}

fn signed(verifier: &Verifier, body: &'static [u8], id: &str) -> Request<Full<Bytes>> {
    let mut request = Request::post("/").body(Full::new(Bytes::from_static(body))).unwrap();
    *request.headers_mut() = verifier.sign(&Message::new(body).id(id)).unwrap().to_header_map();
    request
}

/// A subscriber that keeps every field recorded on a span, and knows which span is entered
/// (the endpoint records on the current span).
#[derive(Default, Clone)]
struct Fields(Arc<Mutex<Vec<(String, String)>>>, Arc<Mutex<Option<&'static tracing::Metadata<'static>>>>);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0.lock().unwrap().push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl tracing::Subscriber for Fields {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut self.clone());
        *self.1.lock().unwrap() = Some(span.metadata());
        tracing::span::Id::from_u64(1)
    }
    fn current_span(&self) -> tracing_core::span::Current {
        match *self.1.lock().unwrap() {
            Some(metadata) => tracing_core::span::Current::new(tracing::span::Id::from_u64(1), metadata),
            None => tracing_core::span::Current::none(),
        }
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

impl Fields {
    fn get(&self, name: &str) -> Option<String> {
        self.0.lock().unwrap().iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn span_records_the_outcome_without_secrets() {
    let fields = Fields::default();
    let _guard = tracing::subscriber::set_default(fields.clone());
    let service = WebhookVerify::new(service_fn(echo), verifier());
    let request = signed(&verifier(), b"12345", "msg_traced");
    let signature = request.headers()["webhook-signature"].to_str().unwrap().to_owned();
    service.clone().oneshot(request).await.unwrap();
    assert_eq!(fields.get("outcome").as_deref(), Some("\"processed\""));
    assert_eq!(fields.get("id").as_deref(), Some("\"msg_traced\""));
    assert_eq!(fields.get("key_id").as_deref(), Some("\"default\""));
    assert_eq!(fields.get("body_len").as_deref(), Some("5"));

    let stale = Verifier::builder(StandardWebhooks).secret(SECRET).clock(FixedClock::at(0)).build().unwrap();
    fields.0.lock().unwrap().clear();
    service.oneshot(signed(&stale, b"x", "msg_old")).await.unwrap();
    assert_eq!(fields.get("outcome").as_deref(), Some("\"rejected\""));
    assert_eq!(fields.get("reason").as_deref(), Some("\"timestamp_too_old\""));
    assert!(fields.get("skew").is_some());
    assert_eq!(fields.get("id"), None, "the id is recorded only once verified");
    let all = format!("{:?}", fields.0.lock().unwrap());
    assert!(!all.contains(&signature[3..]) && !all.contains("MfKQ9r8"), "{all}");
}
