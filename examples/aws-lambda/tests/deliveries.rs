//! Deliveries through the whole function: a REST API (payload 1.0), HTTP API (2.0) or Function
//! URL event as AWS documents it, converted by `lambda_http`, through the API Gateway plumbing,
//! the router and the verification layer, to the handler.

mod common;

use std::sync::Arc;

use aws_lambda::{App, Webhooks};
use axum::http::StatusCode;
use common::{
    Event, Format, app, app_with, now, send, square_body, square_signed, stripe_body, stripe_signed,
};
use hookwarden::access::IpRanges;
use hookwarden::{Endpoint, MemoryStore};

#[tokio::test]
async fn a_valid_delivery_reaches_the_handler_in_every_format() {
    for format in Format::ALL {
        let body = stripe_body("evt_valid");
        let event = Event::new(format, &body, &stripe_signed(&body, None));
        let answer = send(app(format.public_origin()), &event).await;
        assert_eq!(answer, (StatusCode::OK, r#"{"processed":"evt_valid"}"#.into()), "{format:?}");
    }
}

#[tokio::test]
async fn a_tampered_body_is_401() {
    for format in Format::ALL {
        let body = stripe_body("evt_tampered");
        let signed = stripe_signed(&body, None);
        let event = Event::new(format, &body.replace("2000", "1"), &signed);
        let answer = send(app(format.public_origin()), &event).await;
        assert_eq!(answer, (StatusCode::UNAUTHORIZED, r#"{"reason":"no_matching_signature"}"#.into()));
    }
}

#[tokio::test]
async fn a_stale_timestamp_is_401() {
    for format in Format::ALL {
        let body = stripe_body("evt_stale");
        // Stripe's window is five minutes: this was signed ten minutes ago.
        let event = Event::new(format, &body, &stripe_signed(&body, Some(now() - 600)));
        let answer = send(app(format.public_origin()), &event).await;
        assert_eq!(answer, (StatusCode::UNAUTHORIZED, r#"{"reason":"timestamp_too_old"}"#.into()));
    }
}

#[tokio::test]
async fn a_copy_reaching_another_instance_is_a_duplicate_with_a_shared_store() {
    // Two execution environments of the function, one store (what Redis is in production).
    let store = Arc::new(MemoryStore::new());
    let first = app_with(&store, |endpoint| endpoint, "https://unused.example");
    let second = app_with(&store, |endpoint| endpoint, "https://unused.example");

    let body = stripe_body("evt_replayed");
    let event = Event::new(Format::HttpV2, &body, &stripe_signed(&body, None));
    assert_eq!(send(first, &event).await, (StatusCode::OK, r#"{"processed":"evt_replayed"}"#.into()));
    // The copy, re-signed as Stripe does for a retry, arrives at the other environment.
    let retry = Event::new(Format::FunctionUrl, &body, &stripe_signed(&body, Some(now() - 1)));
    assert_eq!(send(second, &retry).await, (StatusCode::OK, r#"{"reason":"duplicate"}"#.into()));
}

#[tokio::test]
async fn a_memory_store_per_environment_processes_a_copy_again() {
    // What `MemoryStore` alone gives on Lambda: each environment remembers only its own.
    let body = stripe_body("evt_twice");
    let event = Event::new(Format::HttpV2, &body, &stripe_signed(&body, None));
    let processed = (StatusCode::OK, r#"{"processed":"evt_twice"}"#.into());
    let (one, other) = (app("https://unused.example"), app("https://unused.example"));
    assert_eq!(send(one.clone(), &event).await, processed);
    assert_eq!(send(other, &event).await, processed);
    // Within one warm environment, it does recognise the copy.
    assert_eq!(send(one, &event).await, (StatusCode::OK, r#"{"reason":"duplicate"}"#.into()));
}

/// An app whose Stripe endpoint lets only `ranges` deliver.
fn allowing(ranges: &str) -> App {
    let ranges: IpRanges = ranges.parse().expect("valid ranges");
    app_with(
        &Arc::new(MemoryStore::new()),
        |endpoint| endpoint.ip_allowlist(ranges),
        "https://unused.example",
    )
}

#[tokio::test]
async fn the_ip_allowlist_reads_the_source_ip_of_the_request_context() {
    for format in Format::ALL {
        let body = stripe_body("evt_allowlist");
        let event = Event::new(format, &body, &stripe_signed(&body, None));
        let admitted = allowing(&format!("{}, 2001:db8::/32", format.source_ip()));
        assert_eq!(
            send(admitted, &event).await,
            (StatusCode::OK, r#"{"processed":"evt_allowlist"}"#.into()),
            "{format:?}"
        );
        // TEST-NET-3 and 2001:db8::/32 only: the fixture's source IP is in neither.
        let refused = allowing("203.0.113.0/24, 2001:db8::/32");
        assert_eq!(
            send(refused, &event).await,
            (StatusCode::FORBIDDEN, r#"{"reason":"ip_not_allowed"}"#.into()),
            "{format:?}"
        );
    }
}

#[tokio::test]
async fn an_ipv6_source_is_matched_too() {
    let body = stripe_body("evt_ipv6");
    let event = Event::new(Format::FunctionUrl, &body, &stripe_signed(&body, None))
        .source_ip("2001:db8:4006:812::200e");
    let answer = send(allowing("2001:db8::/32"), &event).await;
    assert_eq!(answer, (StatusCode::OK, r#"{"processed":"evt_ipv6"}"#.into()));
}

#[tokio::test]
async fn x_forwarded_for_is_not_believed() {
    // The client writes the first entries of X-Forwarded-For; only the request context counts.
    let body = stripe_body("evt_forged_ip");
    let event = Event::new(Format::RestV1, &body, &stripe_signed(&body, None))
        .header("X-Forwarded-For", "203.0.113.9, 54.182.214.83");
    let answer = send(allowing("203.0.113.0/24"), &event).await;
    assert_eq!(answer, (StatusCode::FORBIDDEN, r#"{"reason":"ip_not_allowed"}"#.into()));
}

#[tokio::test]
async fn without_the_plumbing() {
    // The router alone, as `lambda_http::run(router)` would run it.
    let ranges: IpRanges = "198.51.100.0/24".parse().expect("a valid range");
    let endpoint = Endpoint::new(common::stripe_verifier()).ip_allowlist(ranges);
    let router = || aws_lambda::router(Webhooks { stripe: Some(endpoint.clone()), square: None });
    let body = stripe_body("evt_no_plumbing");

    // No peer: the allowlist answers 500 (and the sender retries until the function is fixed)
    // rather than letting everyone in.
    let event = Event::new(Format::HttpV2, &body, &stripe_signed(&body, None));
    let answer = send(router(), &event).await;
    assert_eq!(answer, (StatusCode::INTERNAL_SERVER_ERROR, r#"{"reason":"peer_unknown"}"#.into()));

    // A REST API's stage in front of the path (unless AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH is
    // set): no route matches.
    if std::env::var_os("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH").is_none() {
        let event = Event::new(Format::RestV1, &body, &stripe_signed(&body, None));
        assert_eq!(send(router(), &event).await.0, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn api_gateway_and_function_urls_count_as_https() {
    for format in Format::ALL {
        let body = stripe_body("evt_https");
        let event = Event::new(format, &body, &stripe_signed(&body, None));
        let app = app_with(
            &Arc::new(MemoryStore::new()),
            |endpoint| endpoint.require_https(true),
            "https://unused.example",
        );
        assert_eq!(send(app, &event).await, (StatusCode::OK, r#"{"processed":"evt_https"}"#.into()));
    }
}

#[tokio::test]
async fn square_through_a_rest_api_stage() {
    // Registered at Square: the stage's invoke URL and the route. lambda_http makes the path
    // /testStage/webhooks/square; the plumbing gives the event's /webhooks/square back, and
    // PUBLIC_ORIGIN carries the stage.
    let url = "https://gy415nuibc.execute-api.us-east-1.amazonaws.com/testStage/webhooks/square";
    let body = square_body("ac3ac95b-f97d-458c-a6e6-18981597e05f");
    let event = Event::new(Format::RestV1, &body, &square_signed(&body, url)).path("/webhooks/square");
    let origin = "https://gy415nuibc.execute-api.us-east-1.amazonaws.com/testStage";

    let processed = (StatusCode::OK, r#"{"processed":"ac3ac95b-f97d-458c-a6e6-18981597e05f"}"#.into());
    let service = app(origin);
    assert_eq!(send(service.clone(), &event).await, processed);
    // Square signs no timestamp: the replay store on event_id is what stops a copy.
    assert_eq!(send(service, &event).await, (StatusCode::OK, r#"{"reason":"duplicate"}"#.into()));

    // An origin without the stage is not the URL Square signed.
    let answer = send(app("https://gy415nuibc.execute-api.us-east-1.amazonaws.com"), &event).await;
    assert_eq!(answer, (StatusCode::UNAUTHORIZED, r#"{"reason":"no_matching_signature"}"#.into()));
}

#[tokio::test]
async fn square_through_a_custom_domain() {
    // A REST API stage mapped to the root of hooks.example.com: the event's path has no stage,
    // but the request context still names it, and lambda_http still puts it in front.
    let url = "https://hooks.example.com/webhooks/square";
    let body = square_body("evt-custom-domain");
    let event = Event::new(Format::RestV1, &body, &square_signed(&body, url))
        .path("/webhooks/square")
        .header("Host", "hooks.example.com")
        .set("/requestContext/domainName", "hooks.example.com".into())
        .set("/requestContext/path", "/webhooks/square".into());
    let answer = send(app("https://hooks.example.com"), &event).await;
    assert_eq!(answer, (StatusCode::OK, r#"{"processed":"evt-custom-domain"}"#.into()));
}

#[tokio::test]
async fn square_through_an_http_api_and_a_function_url() {
    for format in [Format::HttpV2, Format::FunctionUrl] {
        let url = format!("{}/webhooks/square", format.public_origin());
        let body = square_body("evt-v2");
        let event = Event::new(format, &body, &square_signed(&body, &url)).path("/webhooks/square");
        let answer = send(app(format.public_origin()), &event).await;
        assert_eq!(answer, (StatusCode::OK, r#"{"processed":"evt-v2"}"#.into()), "{format:?}");
    }
}

#[tokio::test]
async fn a_base64_encoded_body_is_verified_as_its_bytes() {
    // API Gateway and Function URLs base64-encode bodies they take for binary; lambda_http
    // decodes them, and the signature is over the decoded bytes.
    use base64::Engine as _;
    let body = stripe_body("evt_base64");
    let encoded = base64::engine::general_purpose::STANDARD.encode(&body);
    let event = Event::new(Format::FunctionUrl, &body, &stripe_signed(&body, None))
        .set("/body", encoded.into())
        .set("/isBase64Encoded", true.into());
    let answer = send(app("https://unused.example"), &event).await;
    assert_eq!(answer, (StatusCode::OK, r#"{"processed":"evt_base64"}"#.into()));
}

#[tokio::test]
async fn an_unknown_path_stays_a_404() {
    let body = stripe_body("evt_404");
    let event = Event::new(Format::HttpV2, &body, &stripe_signed(&body, None)).path("/webhooks/unknown");
    assert_eq!(send(app("https://unused.example"), &event).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn what_api_gateway_gets_back() {
    // The response conversion lambda_http::run applies to every invocation (its `Adapter`, which
    // it does not document), for a rejection and a processed delivery.
    use lambda_http::lambda_runtime::{Context, LambdaEvent};
    use lambda_http::request::LambdaRequest;
    use tower::ServiceExt as _;

    for format in Format::ALL {
        let body = stripe_body("evt_response");
        let forged = Event::new(format, &body, &stripe_signed(&body, None)).set("/body", "{}".into());
        let valid = Event::new(format, &body, &stripe_signed(&body, None));
        let service = lambda_http::Adapter::from(app("https://unused.example"));
        for (event, status, answer) in [
            (forged, 401, r#"{"reason":"no_matching_signature"}"#),
            (valid, 200, r#"{"processed":"evt_response"}"#),
        ] {
            let payload: LambdaRequest = serde_json::from_str(&event.to_json()).expect("a Lambda event");
            let response = service
                .clone()
                .oneshot(LambdaEvent::new(payload, Context::default()))
                .await
                .expect("answered");
            let response = serde_json::to_value(response).expect("serialisable");
            assert_eq!(response["statusCode"], status, "{format:?}: {response}");
            assert_eq!(response["body"], answer, "{format:?}: {response}");
            assert_eq!(response["isBase64Encoded"], false, "{format:?}: {response}");
            let content_type = if format == Format::RestV1 {
                &response["multiValueHeaders"]["content-type"][0]
            } else {
                &response["headers"]["content-type"]
            };
            assert_eq!(content_type, "application/json", "{format:?}: {response}");
        }
    }
}
