//! What the API Gateway plumbing takes from an event, and the configuration.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use aws_lambda::Webhooks;
use aws_lambda::api_gateway::{connection_info, event_path, from_api_gateway};
use common::{Event, Format, stripe_body, stripe_signed};
use hookwarden::MemoryStore;

fn event(format: Format) -> Event {
    let body = stripe_body("evt_plumbing");
    Event::new(format, &body, &stripe_signed(&body, None))
}

#[test]
fn the_peer_is_the_source_ip_over_tls() {
    for format in Format::ALL {
        let info = connection_info(&event(format).request()).expect("a source IP");
        let expected: SocketAddr = format!("{}:0", format.source_ip()).parse().expect("an address");
        assert_eq!(info.peer_addr(), expected, "{format:?}");
        assert!(info.is_tls(), "{format:?}");
    }
}

#[test]
fn an_unparsable_source_ip_is_no_peer() {
    // The SAM CLI and AWS's own HTTP API example event write "IP" there.
    let request = event(Format::HttpV2).source_ip("IP").request();
    assert_eq!(connection_info(&request), None);
}

/// The path (and query) the router and the layer see.
fn seen(event: &Event) -> String {
    let request = from_api_gateway(event.request());
    request.uri().path_and_query().map(ToString::to_string).unwrap_or_default()
}

#[test]
fn lambda_http_puts_the_rest_stage_in_front_and_the_plumbing_takes_it_off() {
    let event = event(Format::RestV1);
    if std::env::var_os("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH").is_none() {
        assert_eq!(event.request().uri().path(), "/testStage/webhooks/stripe");
        assert_eq!(
            event_path(&event.request()).map(|path| path.to_string()),
            Some("/webhooks/stripe".into())
        );
    } else {
        // lambda_http added nothing: nothing to take off.
        assert_eq!(event_path(&event.request()), None);
    }
    assert_eq!(seen(&event), "/webhooks/stripe");
}

#[test]
fn an_event_path_that_starts_with_the_stage_is_kept() {
    // lambda_http does not add the stage then, so nothing is taken off.
    let event = event(Format::RestV1).path("/testStage/webhooks/stripe");
    assert_eq!(event_path(&event.request()), None);
    assert_eq!(seen(&event), "/testStage/webhooks/stripe");
    // A path that only starts with the stage's letters is another path.
    let event = event.path("/testStageX/webhooks");
    assert_eq!(seen(&event), "/testStageX/webhooks");
    // The path that is exactly the stage: lambda_http makes /testStage/testStage of it.
    let event = event.path("/testStage");
    assert_eq!(seen(&event), "/testStage");
}

#[test]
fn the_query_lambda_http_rebuilt_is_kept() {
    let event = event(Format::RestV1)
        .set("/queryStringParameters", serde_json::json!({ "tenant": "7" }))
        .set("/multiValueQueryStringParameters", serde_json::json!({ "tenant": ["7"] }));
    assert_eq!(seen(&event), "/webhooks/stripe?tenant=7");
    let event = self::event(Format::FunctionUrl).set("/rawQueryString", "tenant=7&b=%2F".into());
    assert_eq!(seen(&event), "/webhooks/stripe?tenant=7&b=%2F");
}

#[test]
fn default_stages_and_function_urls_are_left_alone() {
    for format in [Format::HttpV2, Format::FunctionUrl] {
        let event = event(format);
        assert_eq!(event_path(&event.request()), None, "{format:?}");
        assert_eq!(seen(&event), "/webhooks/stripe", "{format:?}");
    }
    // An HTTP API's named stage is part of rawPath, as it is of the URL.
    let event = event(Format::HttpV2).stage("prod").path("/prod/webhooks/stripe");
    assert_eq!(seen(&event), "/prod/webhooks/stripe");
}

fn lookup(vars: &[(&str, &str)]) -> Result<Webhooks, String> {
    let vars: HashMap<String, String> =
        vars.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
    Webhooks::from_lookup(Arc::new(MemoryStore::new()), |name| vars.get(name).cloned())
}

#[test]
fn configuration() {
    let both = lookup(&[
        ("STRIPE_WEBHOOK_SECRET", common::STRIPE_SECRET),
        ("STRIPE_ALLOWED_IPS", "3.18.12.63, 3.130.192.231/32"),
        ("SQUARE_SIGNATURE_KEY", common::SQUARE_KEY),
        ("PUBLIC_ORIGIN", "https://hooks.example.com"),
    ])
    .expect("configured");
    assert!(both.stripe.is_some() && both.square.is_some());

    let stripe_only = lookup(&[("STRIPE_WEBHOOK_SECRET", common::STRIPE_SECRET)]).expect("configured");
    assert!(stripe_only.stripe.is_some() && stripe_only.square.is_none());

    let error = lookup(&[]).unwrap_err();
    assert!(error.contains("no webhook configured"), "{error}");
    let error = lookup(&[("SQUARE_SIGNATURE_KEY", common::SQUARE_KEY)]).unwrap_err();
    assert!(error.starts_with("PUBLIC_ORIGIN is not set"), "{error}");
    let error = lookup(&[("STRIPE_WEBHOOK_SECRET", "short")]).unwrap_err();
    assert!(error.starts_with("STRIPE_WEBHOOK_SECRET is unusable"), "{error}");
    let error =
        lookup(&[("STRIPE_WEBHOOK_SECRET", common::STRIPE_SECRET), ("STRIPE_ALLOWED_IPS", "3.18.12.63/8")])
            .unwrap_err();
    assert!(error.starts_with("STRIPE_ALLOWED_IPS is unusable"), "{error}");
}
