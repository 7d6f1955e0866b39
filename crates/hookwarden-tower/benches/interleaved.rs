//! The `overhead` comparison, made steady on a busy machine: each variant runs in batches,
//! the variants take turns, and the fastest batch of each counts (noise only ever adds time).
//!
//! Run with `cargo bench -p hookwarden-tower --bench interleaved`.

#![allow(missing_docs)]

use std::convert::Infallible;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use bytes::Bytes;
use hookwarden::{Message, Verifier, preset::StandardWebhooks};
use hookwarden_tower::{VerifiedBody, WebhookVerify, WebhookVerifyLayer};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use tower::ServiceExt;

const BATCH: u32 = 2_000;
const TURNS: u32 = 300;

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the benchmarked futures never wait"),
    }
}

fn request(headers: &HeaderMap, body: &Bytes) -> Request<Full<Bytes>> {
    let mut request = Request::post("/webhooks").body(Full::new(body.clone())).unwrap();
    *request.headers_mut() = headers.clone();
    request
}

fn main() {
    let verifier =
        Verifier::builder(StandardWebhooks).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").build().unwrap();
    let body = Bytes::from((0..1024).map(|i| b'a' + (i % 26) as u8).collect::<Vec<u8>>());
    let headers = verifier.sign(&Message::new(&body).id("msg_bench")).unwrap().to_header_map();

    let bare = tower::service_fn(|request: Request<Full<Bytes>>| async move {
        black_box(request);
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    });
    let handler = tower::service_fn(|request: Request<VerifiedBody>| async move {
        black_box(request.into_body().as_bytes().len());
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    });
    let layered = WebhookVerify::new(handler, verifier.clone());
    let app = |layered: bool| {
        let router = axum::Router::new().route(
            "/webhooks",
            axum::routing::post(|body: Bytes| async move {
                black_box(body.len());
                StatusCode::OK
            }),
        );
        if layered { router.route_layer(WebhookVerifyLayer::new(verifier.clone())) } else { router }
    };
    let (router, layered_router) = (app(false), app(true));

    let variants: [(&str, &dyn Fn()); 5] = [
        ("verify_direct", &|| {
            verifier.verify(black_box(&headers), black_box(&body)).unwrap();
        }),
        ("oneshot_without_layer", &|| {
            ready(bare.oneshot(request(&headers, &body))).unwrap();
        }),
        ("oneshot_with_layer", &|| {
            ready(layered.clone().oneshot(request(&headers, &body))).unwrap();
        }),
        ("router_without_layer", &|| {
            ready(router.clone().oneshot(request(&headers, &body).map(axum::body::Body::new))).unwrap();
        }),
        ("router_with_layer", &|| {
            ready(layered_router.clone().oneshot(request(&headers, &body).map(axum::body::Body::new)))
                .unwrap();
        }),
    ];
    let mut best = [f64::MAX; 5];
    for _ in 0..TURNS {
        for ((_, run), best) in variants.iter().zip(&mut best) {
            let start = Instant::now();
            for _ in 0..BATCH {
                run();
            }
            *best = best.min(start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH));
        }
    }
    println!("1 KiB deliveries, fastest of {TURNS} interleaved batches of {BATCH}:");
    for ((name, _), best) in variants.iter().zip(best) {
        println!("  {name:<24} {best:>7.0} ns");
    }
    println!("layer overhead over verify_direct:            {:>5.0} ns", best[2] - best[0]);
    println!("  of which not the bare oneshot:              {:>5.0} ns", best[2] - best[0] - best[1]);
    println!(
        "axum router with layer minus without:         {:>5.0} ns (verification included)",
        best[4] - best[3]
    );
}
