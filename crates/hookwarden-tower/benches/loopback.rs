//! The layer under load over loopback, and its glue: what `WebhookVerifyLayer` costs the server
//! per request beyond the core's own work.
//!
//! Run with `cargo bench -p hookwarden-tower --bench loopback`. The runs, what they count and
//! the settings are the harness's (`crates/hookwarden-loopback`); here are the servers: an axum
//! endpoint on one tokio worker, bare, behind `WebhookVerifyLayer` (`layer+store`), and with the
//! endpoint's steps called in its handler.

#![allow(missing_docs)]

use std::hint::black_box;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::routing::post;
use hookwarden::Endpoint;
use hookwarden::endpoint::Head;
use hookwarden_loopback::{Adapter, ROLE, answer_cpu_queries, endpoint};
use hookwarden_tower::WebhookVerifyLayer;

static LAYER: Adapter = Adapter { mode: "layer", name: "layer+store", workers: "one tokio worker", serve };

fn main() {
    hookwarden_loopback::run(&LAYER);
}

/// The handler of every endpoint: takes the body, answers 200.
async fn handler(body: Bytes) -> StatusCode {
    black_box(body.len());
    StatusCode::OK
}

/// The endpoint's steps, called by hand in the handler: what the layer does, without the layer.
async fn steps(endpoint: Endpoint, request: Request) -> StatusCode {
    let (parts, body) = request.into_parts();
    let admission = endpoint.admit(&head(&parts)).unwrap();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let delivery = endpoint.verify(&head(&parts), &admission, &bytes).unwrap();
    let claim = endpoint.claim(&delivery).await.unwrap();
    black_box((bytes.len(), delivery.into_verified()));
    assert!(endpoint.settle(claim, Some(200)).await);
    StatusCode::OK
}

/// What the endpoint reads of a request before its body. The head borrows `dyn` headers, which
/// must not live across an await: made per step, as the layer does.
fn head(parts: &http::request::Parts) -> Head<'_> {
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    Head::new(parts.method.as_str(), path, &parts.headers)
}

/// A server process: prints its address, then serves `/webhooks` on one tokio worker. Each
/// line on its stdin asks for its CPU time so far (nanoseconds); the end of its stdin ends it.
fn serve(mode: &str) {
    let app = match mode {
        "bare" => Router::new().route("/webhooks", post(handler)),
        "layer" => {
            Router::new().route("/webhooks", post(handler)).route_layer(WebhookVerifyLayer::new(endpoint()))
        }
        "steps" => {
            // Cloned for each request, as the layer's service clones it: one reference count.
            let endpoint = endpoint();
            Router::new().route("/webhooks", post(move |request: Request| steps(endpoint.clone(), request)))
        }
        // Not in the bench's rounds; for profiling: what `route_layer` costs with a layer that
        // does nothing (axum boxes the wrapped service and clones it for every request).
        "noop-layer" => {
            Router::new().route("/webhooks", post(handler)).route_layer(tower::layer::layer_fn(|inner| inner))
        }
        _ => panic!("unknown {ROLE}: {mode}"),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    println!("{}", listener.local_addr().unwrap());
    std::thread::spawn(answer_cpu_queries);
    runtime.block_on(async move { axum::serve(listener, app).await.unwrap() });
}
