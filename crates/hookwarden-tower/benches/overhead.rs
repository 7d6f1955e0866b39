//! What the layer adds to verification, in process: a tower `oneshot` through
//! `WebhookVerify` against calling `Verifier::verify` directly, for 1 KiB deliveries.
//!
//! Run with `cargo bench -p hookwarden-tower --bench overhead`. With `--features metrics`, the
//! `*_prometheus` rows run the same deliveries with a Prometheus recorder installed (every
//! series of `hookwarden::metrics` recorded), beside the rows without one.

#![allow(missing_docs)]

use std::convert::Infallible;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use hookwarden::Endpoint;
use hookwarden::{MemoryStore, Message, Verifier, preset::StandardWebhooks};
use hookwarden_tower::{VerifiedBody, WebhookVerify, WebhookVerifyLayer};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use tower::{Layer, ServiceExt, service_fn};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Every future here completes on its first poll (no I/O): poll it once, no runtime needed.
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

fn bench(c: &mut Criterion) {
    let verifier = Verifier::builder(StandardWebhooks).secret(SECRET).build().unwrap();
    let body = Bytes::from((0..1024).map(|i| b'a' + (i % 26) as u8).collect::<Vec<u8>>());
    let headers = verifier.sign(&Message::new(&body).id("msg_bench")).unwrap().to_header_map();

    let handler = |status: StatusCode| {
        service_fn(move |request: Request<VerifiedBody>| async move {
            black_box(request.into_body().as_bytes().len());
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = status;
            Ok::<_, Infallible>(response)
        })
    };
    let bare = service_fn(|request: Request<Full<Bytes>>| async move {
        black_box(request);
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
    });
    let layered = WebhookVerify::new(handler(StatusCode::OK), verifier.clone());
    // The handler answers 500, so every claim is released and the next request is fresh:
    // each iteration pays for a claim and a release in the store.
    let with_store =
        WebhookVerifyLayer::new(Endpoint::new(verifier.clone()).replay_store(Arc::new(MemoryStore::new())))
            .layer(handler(StatusCode::INTERNAL_SERVER_ERROR));

    let mut group = c.benchmark_group("1KiB");
    group.bench_function("verify_direct", |b| {
        b.iter(|| verifier.verify(black_box(&headers), black_box(&body)).unwrap())
    });
    group.bench_function("oneshot_without_layer", |b| {
        b.iter(|| ready(bare.oneshot(request(&headers, &body))).unwrap())
    });
    group.bench_function("oneshot_with_layer", |b| {
        b.iter(|| {
            let response = ready(layered.clone().oneshot(request(&headers, &body))).unwrap();
            assert_eq!(response.status(), StatusCode::OK);
        })
    });
    group.bench_function("oneshot_with_layer_and_store", |b| {
        b.iter(|| {
            let response = ready(with_store.clone().oneshot(request(&headers, &body))).unwrap();
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        })
    });
    // The same, recording into a Prometheus recorder. The futures complete on their first
    // poll, on this thread, so a thread-local recorder sees every series; setting it for each
    // iteration costs a little, which counts against the metrics.
    #[cfg(feature = "metrics")]
    {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        group.bench_function("oneshot_with_layer_prometheus", |b| {
            b.iter(|| {
                metrics::with_local_recorder(&recorder, || {
                    let response = ready(layered.clone().oneshot(request(&headers, &body))).unwrap();
                    assert_eq!(response.status(), StatusCode::OK);
                })
            })
        });
        group.bench_function("oneshot_with_layer_and_store_prometheus", |b| {
            b.iter(|| {
                metrics::with_local_recorder(&recorder, || {
                    let response = ready(with_store.clone().oneshot(request(&headers, &body))).unwrap();
                    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
                })
            })
        });
        // The deliveries were recorded (unless a filter left these rows out).
        let rendered = recorder.handle().render();
        assert!(rendered.is_empty() || rendered.contains("hookwarden_deliveries_total"), "{rendered}");
    }
    group.finish();

    // The same axum app with and without the layer, in process (no sockets).
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
    let mut group = c.benchmark_group("1KiB_axum");
    for (name, router) in [("router_without_layer", app(false)), ("router_with_layer", app(true))] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut request = request(&headers, &body).map(axum::body::Body::new);
                *request.uri_mut() = "/webhooks".parse().unwrap();
                let response = ready(router.clone().oneshot(request)).unwrap();
                assert_eq!(response.status(), StatusCode::OK);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
