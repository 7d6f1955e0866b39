//! The `overhead` comparison, made steady on a busy machine: each variant runs in batches,
//! the variants take turns, and the fastest batch of each counts (noise only ever adds time).
//!
//! Run with `cargo bench -p hookwarden-tower --bench interleaved`. With `--features metrics`,
//! the layer (with and without a replay store) also runs with a Prometheus recorder installed.

#![allow(missing_docs)]

use std::convert::Infallible;
use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use bytes::Bytes;
use hookwarden::{Endpoint, MemoryStore, Message, Verifier, preset::StandardWebhooks};
use hookwarden_tower::{VerifiedBody, WebhookVerify, WebhookVerifyLayer};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use tower::ServiceExt;

/// One way of delivering, run in batches.
type Variant<'a> = Box<dyn Fn() + 'a>;

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

    // The handler answers 500, so every claim is released and the next request is fresh.
    let failing = tower::service_fn(|request: Request<VerifiedBody>| async move {
        black_box(request.into_body().as_bytes().len());
        let mut response = Response::new(Full::new(Bytes::new()));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        Ok::<_, Infallible>(response)
    });
    let with_store = tower::Layer::layer(
        &WebhookVerifyLayer::new(Endpoint::new(verifier.clone()).replay_store(MemoryStore::new())),
        failing,
    );
    #[cfg(feature = "metrics")]
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();

    let variants: Vec<(&str, Variant<'_>)> = vec![
        (
            "verify_direct",
            Box::new(|| {
                verifier.verify(black_box(&headers), black_box(&body)).unwrap();
            }),
        ),
        (
            "oneshot_without_layer",
            Box::new(|| {
                ready(bare.oneshot(request(&headers, &body))).unwrap();
            }),
        ),
        (
            "oneshot_with_layer",
            Box::new(|| {
                ready(layered.clone().oneshot(request(&headers, &body))).unwrap();
            }),
        ),
        (
            "router_without_layer",
            Box::new(|| {
                ready(router.clone().oneshot(request(&headers, &body).map(axum::body::Body::new))).unwrap();
            }),
        ),
        (
            "router_with_layer",
            Box::new(|| {
                ready(layered_router.clone().oneshot(request(&headers, &body).map(axum::body::Body::new)))
                    .unwrap();
            }),
        ),
        (
            "oneshot_with_layer_and_store",
            Box::new(|| {
                ready(with_store.clone().oneshot(request(&headers, &body))).unwrap();
            }),
        ),
    ];
    // Each variant, then the two layers again with a Prometheus recorder.
    #[cfg_attr(not(feature = "metrics"), allow(unused_mut))]
    let mut rows: Vec<(&str, usize, bool)> =
        variants.iter().enumerate().map(|(i, v)| (v.0, i, false)).collect();
    #[cfg(feature = "metrics")]
    rows.extend([
        ("oneshot_with_layer_prometheus", 2, true),
        ("oneshot_with_layer_and_store_prometheus", 5, true),
    ]);
    let mut best = vec![f64::MAX; rows.len()];
    for _ in 0..TURNS {
        for (&(_, run, metered), best) in rows.iter().zip(&mut best) {
            let batch = || {
                let start = Instant::now();
                for _ in 0..BATCH {
                    (variants[run].1)();
                }
                start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
            };
            let took = match metered {
                #[cfg(feature = "metrics")]
                true => scraped(&recorder, batch),
                _ => batch(),
            };
            *best = best.min(took);
        }
    }
    println!("1 KiB deliveries, fastest of {TURNS} interleaved batches of {BATCH}:");
    for ((name, _, _), best) in rows.iter().zip(&best) {
        println!("  {name:<24} {best:>7.0} ns");
    }
    println!("layer overhead over verify_direct:            {:>5.0} ns", best[2] - best[0]);
    println!("  of which not the bare oneshot:              {:>5.0} ns", best[2] - best[0] - best[1]);
    println!(
        "axum router with layer minus without:         {:>5.0} ns (verification included)",
        best[4] - best[3]
    );
    if best.len() == 8 {
        println!(
            "metrics (Prometheus) over the layer:          {:>+5.1} %",
            (best[6] / best[2] - 1.0) * 100.0
        );
        println!(
            "metrics (Prometheus) over the layer + store:  {:>+5.1} %",
            (best[7] / best[5] - 1.0) * 100.0
        );
    }
}

/// A batch with `recorder` in force (a thread-local recorder, set once per batch: the futures
/// complete on this thread), then a scrape outside the timing, as a server's exporter makes:
/// it drains the histograms' samples, which would otherwise pile up for the whole run.
#[cfg(feature = "metrics")]
fn scraped(recorder: &metrics_exporter_prometheus::PrometheusRecorder, batch: impl FnOnce() -> f64) -> f64 {
    let took = metrics::with_local_recorder(recorder, batch);
    black_box(recorder.handle().render());
    took
}
