//! Lambda events for the tests: the JSON shapes AWS documents, from `tests/fixtures/`, with the
//! delivery (body, signature headers) filled in, converted by `lambda_http` itself.

#![allow(dead_code, unreachable_pub)] // each test file uses its own part of the harness

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lambda::{App, Webhooks};
use axum::http::StatusCode;
use hookwarden::preset::{Square, Stripe};
use hookwarden::{Endpoint, MemoryStore, Message, SignedHeaders, Verifier};
use serde_json::Value;
use tower::{Service, ServiceExt};

/// Test secrets: Stripe's is made up; Square's is the key of Square's own SDK test vector.
pub const STRIPE_SECRET: &str = "whsec_test_secret_0123456789";
pub const SQUARE_KEY: &str = "Ibxx_5AKakO-3qeNVR61Dw";

/// The event formats a Lambda behind API Gateway or a Function URL receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// REST API, Lambda proxy integration (payload format 1.0), stage `testStage`.
    RestV1,
    /// HTTP API (payload format 2.0), stage `$default`.
    HttpV2,
    /// Function URL (payload format 2.0).
    FunctionUrl,
}

impl Format {
    pub const ALL: [Self; 3] = [Self::RestV1, Self::HttpV2, Self::FunctionUrl];

    fn fixture(self) -> &'static str {
        match self {
            Self::RestV1 => include_str!("../fixtures/apigw-rest-v1.json"),
            Self::HttpV2 => include_str!("../fixtures/apigw-http-v2.json"),
            Self::FunctionUrl => include_str!("../fixtures/function-url.json"),
        }
    }

    /// The source IP the fixture's request context carries.
    pub fn source_ip(self) -> &'static str {
        match self {
            Self::RestV1 => "192.168.196.186",
            Self::HttpV2 => "198.51.100.7",
            Self::FunctionUrl => "123.123.123.123",
        }
    }

    /// What a provider is configured with: the URL before the path the layer sees.
    pub fn public_origin(self) -> &'static str {
        match self {
            Self::RestV1 => "https://gy415nuibc.execute-api.us-east-1.amazonaws.com/testStage",
            Self::HttpV2 => "https://r3pmxmplak.execute-api.us-east-1.amazonaws.com",
            Self::FunctionUrl => "https://abcdefg.lambda-url.us-west-2.on.aws",
        }
    }
}

/// One event, built from a fixture.
#[derive(Debug, Clone)]
pub struct Event {
    format: Format,
    json: Value,
}

impl Event {
    /// The fixture of `format` carrying `body` and the `signed` headers.
    pub fn new(format: Format, body: &str, signed: &SignedHeaders) -> Self {
        let mut json: Value = serde_json::from_str(format.fixture()).expect("fixture is JSON");
        assert_eq!(fill(&mut json, "{{body}}", body), 1, "the fixture has one body placeholder");
        fill(&mut json, "{{content-length}}", &body.len().to_string());
        let mut event = Self { format, json };
        for (name, value) in signed.iter() {
            event = event.header(name, value);
        }
        event
    }

    /// Adds (or replaces) a header, where the format keeps headers (names are lowercased in
    /// payload 2.0; REST events repeat every header in `multiValueHeaders`).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = if self.format == Format::RestV1 { name.to_owned() } else { name.to_ascii_lowercase() };
        self.json["headers"][&name] = value.into();
        if self.json.get("multiValueHeaders").is_some() {
            self.json["multiValueHeaders"][&name] = vec![value].into();
        }
        self
    }

    /// The request for `path` instead of the fixture's `/webhooks/stripe`, in every field
    /// API Gateway writes it.
    pub fn path(mut self, path: &str) -> Self {
        match self.format {
            Format::RestV1 => {
                let stage = self.json["requestContext"]["stage"].as_str().unwrap_or_default().to_owned();
                self.json["path"] = path.into();
                self.json["pathParameters"]["proxy"] = path.trim_start_matches('/').into();
                self.json["requestContext"]["path"] = format!("/{stage}{path}").into();
            }
            Format::HttpV2 | Format::FunctionUrl => {
                self.json["rawPath"] = path.into();
                self.json["requestContext"]["http"]["path"] = path.into();
            }
        }
        self
    }

    /// The request context's stage, as API Gateway names it.
    pub fn stage(mut self, stage: &str) -> Self {
        self.json["requestContext"]["stage"] = stage.into();
        self
    }

    /// The source IP in the request context.
    pub fn source_ip(mut self, ip: &str) -> Self {
        match self.format {
            Format::RestV1 => self.json["requestContext"]["identity"]["sourceIp"] = ip.into(),
            Format::HttpV2 | Format::FunctionUrl => {
                self.json["requestContext"]["http"]["sourceIp"] = ip.into();
            }
        }
        self
    }

    /// Any other field, by its JSON pointer.
    pub fn set(mut self, pointer: &str, value: Value) -> Self {
        *self.json.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer} in the fixture")) = value;
        self
    }

    /// The event as Lambda delivers it.
    pub fn to_json(&self) -> String {
        self.json.to_string()
    }

    /// The `http::Request` `lambda_http::run` would hand to the service: `lambda_http`'s own
    /// conversion of the event.
    pub fn request(&self) -> lambda_http::Request {
        lambda_http::request::from_str(&self.to_json()).expect("lambda_http accepts the event")
    }
}

/// Replaces every string `placeholder` in `value` with `with`; returns how many it replaced.
fn fill(value: &mut Value, placeholder: &str, with: &str) -> usize {
    match value {
        Value::String(text) if text == placeholder => {
            *text = with.to_owned();
            1
        }
        Value::Array(items) => items.iter_mut().map(|item| fill(item, placeholder, with)).sum(),
        Value::Object(fields) => fields.values_mut().map(|field| fill(field, placeholder, with)).sum(),
        _ => 0,
    }
}

pub fn stripe_verifier() -> Verifier {
    Verifier::builder(Stripe).secret(STRIPE_SECRET).build().expect("a valid Stripe secret")
}

pub fn square_verifier() -> Verifier {
    Verifier::builder(Square).secret(SQUARE_KEY).build().expect("a valid Square key")
}

/// A Stripe event with this id, as Stripe sends it.
pub fn stripe_body(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","object":"event","api_version":"2024-06-20","created":1700000000,"type":"invoice.paid","data":{{"object":{{"id":"in_1","object":"invoice","amount_paid":2000}}}}}}"#
    )
}

/// Stripe's headers for `body`, signed now (or at `timestamp`).
pub fn stripe_signed(body: &str, timestamp: Option<i64>) -> SignedHeaders {
    let message = Message::new(body.as_bytes());
    let message = match timestamp {
        Some(timestamp) => message.timestamp(timestamp),
        None => message,
    };
    stripe_verifier().sign(&message).expect("Stripe signs")
}

/// A Square event with this id.
pub fn square_body(event_id: &str) -> String {
    format!(
        r#"{{"merchant_id":"MLEFBHHSJGVHD","type":"payment.updated","event_id":"{event_id}","created_at":"2024-07-13T20:30:59Z","data":{{"type":"payment","id":"KkAkhdMsgzn59SM8A89WgKwekxLZY"}}}}"#
    )
}

/// Square's header for `body`, signed over `url` as Square does: the notification URL exactly
/// as registered, then the body.
pub fn square_signed(body: &str, url: &str) -> SignedHeaders {
    square_verifier().sign(&Message::new(body.as_bytes()).url(url)).expect("Square signs")
}

/// Unix seconds now.
pub fn now() -> i64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).expect("the clock is after 1970");
    i64::try_from(elapsed.as_secs()).expect("seconds fit")
}

/// An app with a Stripe endpoint on `store` (changed by `configure`) and a Square endpoint for
/// `square_origin`.
pub fn app_with(
    store: &Arc<MemoryStore>,
    configure: impl FnOnce(Endpoint) -> Endpoint,
    square_origin: &str,
) -> App {
    let stripe = configure(Endpoint::new(stripe_verifier()).replay_store(Arc::clone(store)));
    let square =
        Endpoint::new(square_verifier()).replay_store(Arc::clone(store)).public_origin(square_origin);
    aws_lambda::app(Webhooks { stripe: Some(stripe), square: Some(square) })
}

/// An app with default Stripe and Square endpoints on a store of its own.
pub fn app(square_origin: &str) -> App {
    app_with(&Arc::new(MemoryStore::new()), |endpoint| endpoint, square_origin)
}

/// What the service answers to `event`: the status and the body.
pub async fn send<S>(service: S, event: &Event) -> (StatusCode, String)
where
    S: Service<lambda_http::Request, Response = axum::response::Response, Error = Infallible>,
{
    let response = service.oneshot(event.request()).await.unwrap_or_else(|never| match never {});
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the body is readable");
    (status, String::from_utf8(body.to_vec()).expect("the body is UTF-8"))
}
