//! `hookwarden serve`: a local receiver that verifies every delivery with
//! `hookwarden_tower::WebhookVerifyLayer` and an in-memory replay store, with its metrics on
//! `/metrics` (Prometheus text format) and an inspector page on `/_hookwarden/`.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use hookwarden::replay::IdentitySource;
use hookwarden::{Clock, Endpoint, MemoryStore, SystemClock, Verified, VerifyError};
use hookwarden_tower::WebhookVerifyLayer;
use http::{HeaderMap, HeaderValue, StatusCode, Uri};
use http_body_util::BodyExt as _;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::client::{self, HttpClient};
use crate::exit::{Code, Failure};
use crate::input;
use crate::inspector::{self, Recent, Record};
use crate::json::{self, Json};
use crate::out::{self, BAD, DIM, GOOD, LABEL, WARN, paint};
use crate::presets::{Scheme, Window};
use crate::verify;

/// The inspector page: one static file, served as it is.
const PAGE: &str = include_str!("inspector.html");

/// Histogram buckets for `/metrics`, in seconds: from a verify (tens of microseconds) to a slow
/// handler.
const BUCKETS: &[f64] =
    &[0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0];

/// What every request shares.
#[derive(Debug)]
struct App {
    forward: Option<Uri>,
    client: HttpClient,
    log: Option<(PathBuf, Mutex<File>)>,
    scheme: &'static str,
    /// For the explanation of a refused delivery: what `verify` would be given.
    explainer: Explainer,
    recent: Recent,
    prometheus: Option<PrometheusHandle>,
    /// When bound to loopback: the inspector and `/metrics` answer only requests addressed to
    /// a loopback name (a page elsewhere cannot reach them through DNS rebinding).
    loopback_only: bool,
}

/// What `hookwarden verify` needs to explain a delivery `serve` refused.
struct Explainer {
    scheme: Scheme,
    secrets: Vec<(String, Vec<u8>)>,
    window: Window,
    /// The origin schemes that sign the URL are checked against.
    origin: Option<String>,
    token_headers: Vec<String>,
}

impl std::fmt::Debug for Explainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secrets.
        f.debug_struct("Explainer").field("scheme", &self.scheme).finish_non_exhaustive()
    }
}

/// What the handler did with a verified delivery, for the log line.
#[derive(Debug, Clone)]
struct Delivered {
    verified: Verified,
    /// The `id` at the top of a JSON body: signed too, since the body is.
    event_id: Option<String>,
    body_len: usize,
    body_sha256: String,
    /// The app's status, or why forwarding failed.
    forwarded: Option<Result<StatusCode, String>>,
    /// How long the app took to answer, in milliseconds.
    forward_ms: Option<f64>,
    body: Bytes,
}

pub(crate) fn run(args: &ServeArgs) -> Result<Code, Failure> {
    let loopback_only = check_bind(&args.host, args.allow_remote.as_deref())?;
    let scheme = Scheme::from_args(&args.scheme).map_err(|e| Failure::config(&e))?;
    let secrets = input::secrets(&args.secrets)?;
    let window = args.tolerance.map_or(Window::Default, Window::Seconds);
    let verifier = scheme.verifier(&secrets, SystemClock, window).map_err(|e| Failure::config(&e))?;
    let forward = args
        .forward
        .as_deref()
        .map(client::parse_url)
        .transpose()
        .map_err(|e| Failure::new(Code::Usage, format!("--forward {e}")))?;
    let log = match &args.log {
        Some(path) => {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| Failure::io(format!("cannot open the log `{}`: {e}", path.display())))?;
            Some((path.clone(), Mutex::new(file)))
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| Failure::io(format!("cannot listen on {}:{}: {e}", args.host, args.port)))?;
        let address =
            listener.local_addr().map_err(|e| Failure::io(format!("cannot read the bound address: {e}")))?;
        // Before saying it listens: a signal sent from then on stops it gracefully.
        let stop = shutdown_signal().map_err(|e| Failure::io(format!("cannot handle signals: {e}")))?;
        anstream::println!(
            "{} listening on http://{address} {}",
            paint(LABEL, "hookwarden serve:"),
            paint(DIM, format_args!("· preset {} · every path · Ctrl-C or SIGTERM stops", scheme.name()))
        );
        anstream::println!(
            "  inspector http://{address}/_hookwarden/ · metrics http://{address}/metrics"
        );
        if let Some(why) = &args.allow_remote {
            anstream::println!(
                "  {} listening beyond this machine ({why}): anyone who reaches {address} can read the \
                 deliveries' bodies in the inspector",
                paint(WARN, "warning:")
            );
        }
        if let Some(forward) = &forward {
            anstream::println!("  forwarding verified deliveries to {forward}");
        }
        if let Some((path, _)) = &log {
            anstream::println!("  appending verified deliveries to {}", path.display());
        }
        let prometheus = install_prometheus();
        // Providers check an endpoint before they deliver to it (Slack, Discord, Twitch, Zoom,
        // Okta): answered here, so that `serve` can be registered with them as it is.
        let mut endpoint = Endpoint::new(verifier)
            .answer_handshakes(true)
            .replay_store(MemoryStore::new())
            .body_limit(args.body_limit)
            .body_timeout(Duration::from_secs(args.body_timeout));
        if let Some(origin) = &args.public_origin {
            endpoint = endpoint.public_origin(origin.trim_end_matches('/'));
        } else if scheme.signs_url() {
            let origin = format!("http://{address}");
            anstream::println!(
                "  {} signs the URL: checking against {origin}; behind a tunnel or proxy give --public-origin",
                scheme.name()
            );
            endpoint = endpoint.public_origin(origin);
        }
        let origin = args.public_origin.clone().map(|o| o.trim_end_matches('/').to_owned());
        let explainer = Explainer {
            token_headers: scheme.token_headers(),
            origin: origin.or_else(|| scheme.signs_url().then(|| format!("http://{address}"))),
            scheme: scheme.clone(),
            secrets,
            window,
        };
        let app = Arc::new(App {
            forward,
            client: HttpClient::new(),
            log,
            scheme: scheme.name(),
            explainer,
            recent: Recent::default(),
            prometheus,
            loopback_only,
        });
        let layer = WebhookVerifyLayer::new(endpoint);
        let deliveries = Router::new()
            .fallback(deliver)
            .layer(layer)
            .layer(middleware::from_fn_with_state(Arc::clone(&app), record))
            .with_state(Arc::clone(&app));
        // `serve`'s own pages: GET /metrics and everything under /_hookwarden/. Every other
        // request is a delivery.
        let own = Router::new()
            .route("/metrics", get(metrics))
            .route("/_hookwarden", get(page))
            .route("/_hookwarden/", get(page))
            .route("/_hookwarden/api/deliveries", get(list))
            .route("/_hookwarden/api/deliveries/{seq}", get(detail))
            .route("/_hookwarden/api/deliveries/{seq}/body", get(body))
            .route("/_hookwarden/api/deliveries/{seq}/explanation", get(explanation))
            .route("/_hookwarden/api/deliveries/{seq}/resend", post(resend))
            .route("/_hookwarden/api/chart", get(chart))
            .route_layer(middleware::from_fn_with_state(Arc::clone(&app), local_only))
            .with_state(app);
        let router = own.fallback_service(deliveries);
        // On a signal it stops accepting connections, lets the deliveries in flight finish
        // (their handlers run, their claims are committed or released), then returns.
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let signal = stop.await;
                anstream::println!(
                    "{} {signal}: stopping once the deliveries in flight are answered",
                    paint(LABEL, "hookwarden serve:")
                );
            })
            .await
            .map_err(|e| Failure::io(format!("the server stopped: {e}")))
    })?;
    Ok(Code::Ok)
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM, which `kill`, systemd, Docker and Kubernetes send, and
/// names it. The handlers are installed by this call, not when the future first runs, so that
/// no signal is missed once the server says it listens.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = &'static str>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        }
    })
}

/// Waits for Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

/// The handler behind the verification layer: only verified, first-time deliveries get here.
async fn deliver(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(verified) = parts.extensions.get::<Verified>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // The layer has already read the body into memory; this only takes it back.
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let event_id = match json::parse(&body) {
        Some(Json::Object(members)) => members.into_iter().find_map(|(key, value)| match value {
            Json::String(id) if key == "id" => Some(out::preview(id.as_bytes(), 80)),
            _ => None,
        }),
        _ => None,
    };
    let mut delivered = Delivered {
        verified,
        event_id,
        body_len: body.len(),
        body_sha256: out::sha256_hex(&body),
        forwarded: None,
        forward_ms: None,
        body: body.clone(),
    };
    let mut response = match &app.forward {
        None => (StatusCode::OK, "verified\n").into_response(),
        Some(base) => {
            let target = forward_target(base, &parts.uri);
            let mut headers = HeaderMap::new();
            for (name, value) in &parts.headers {
                if !client::is_hop_by_hop(name) {
                    headers.append(name.clone(), value.clone());
                }
            }
            let started = Instant::now();
            let sent = app.client.send(parts.method.clone(), target, headers, body).await;
            delivered.forward_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
            match sent {
                Ok(answer) => {
                    delivered.forwarded = Some(Ok(answer.status));
                    let mut response = Response::new(Body::from(answer.body));
                    *response.status_mut() = answer.status;
                    for (name, value) in &answer.headers {
                        if !client::is_hop_by_hop(name) {
                            response.headers_mut().append(name.clone(), value.clone());
                        }
                    }
                    response
                }
                Err(error) => {
                    delivered.forwarded = Some(Err(error));
                    // A 5xx releases the replay claim, so the sender's retry is processed.
                    (StatusCode::BAD_GATEWAY, "the local app could not be reached\n").into_response()
                }
            }
        }
    };
    response.extensions_mut().insert(delivered);
    response
}

/// The forward URL, keeping the delivery's path and query when the URL has no path of its own.
fn forward_target(base: &Uri, original: &Uri) -> Uri {
    let has_path = base.path_and_query().is_some_and(|pq| pq.as_str() != "/");
    if has_path {
        return base.clone();
    }
    let mut parts = base.clone().into_parts();
    parts.path_and_query = original.path_and_query().cloned();
    Uri::from_parts(parts).unwrap_or_else(|_| base.clone())
}

/// Prints one line per delivery, appends verified ones to the log, and keeps every one for the
/// inspector: the body is copied as the verification layer reads it (up to
/// [`inspector::BODY_KEEP`] bytes), so the layer's limit and deadline still apply.
async fn record(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let path_and_query =
        request.uri().path_and_query().map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    let headers = request.headers().clone();
    let seen = Arc::new(Mutex::new((Vec::new(), 0_usize)));
    let request = {
        let seen = Arc::clone(&seen);
        request.map(move |body| {
            Body::new(body.map_frame(move |frame| {
                if let Some(data) = frame.data_ref() {
                    let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
                    let room = inspector::BODY_KEEP.saturating_sub(seen.0.len());
                    seen.0.extend_from_slice(&data[..data.len().min(room)]);
                    seen.1 += data.len();
                }
                frame
            }))
        })
    };
    let response = next.run(request).await;
    let total_ms = started.elapsed().as_secs_f64() * 1000.0;
    let now = SystemClock.now_unix();
    let time = out::rfc3339(now);
    let target = format!("{method} {}", out::preview(path.as_bytes(), 100));
    let status = response.status().as_u16();
    let header_delivery_id = app
        .explainer
        .scheme
        .delivery_id_header()
        .and_then(|name| headers.get(name.as_str()))
        .map(|value| out::preview(value.as_bytes(), 64));
    let delivery_label = |id: Option<&str>| id.map(|id| format!("delivery={id} ")).unwrap_or_default();
    let (seen_body, seen_len) = std::mem::take(&mut *seen.lock().unwrap_or_else(PoisonError::into_inner));
    let mut record = Record {
        seq: app.recent.next_seq(),
        unix: now,
        method: method.clone(),
        path_and_query,
        outcome: "rejected",
        reason: None,
        detail: None,
        status,
        delivery_id: header_delivery_id.clone(),
        identity: None,
        key_id: None,
        total_ms,
        forward_ms: None,
        forwarded: None,
        headers,
        body: Bytes::from(seen_body),
        body_len: seen_len,
        resends: Mutex::default(),
    };
    if let Some(delivered) = response.extensions().get::<Delivered>() {
        let verified = &delivered.verified;
        let id = identity_label(verified);
        // The body's `id`, unless it is the identity already (Stripe's `evt_...`).
        let event = match (&delivered.event_id, verified.identity()) {
            (Some(event), Some(identity)) if *event == identity.to_string() => String::new(),
            (Some(event), _) => format!(" event={event}"),
            (None, _) => String::new(),
        };
        let forward = match &delivered.forwarded {
            None => String::new(),
            Some(Ok(status)) => format!(" → app {}", status.as_u16()),
            Some(Err(error)) => paint(BAD, format_args!(" → app unreachable: {error}")),
        };
        anstream::println!(
            "{time} {} {:<22} {}id={id} key={}{event} {target} {} B{forward}",
            paint(GOOD, format_args!("{:<9}", "verified")),
            "-",
            delivery_label(verified.delivery_id()),
            verified.key_id(),
            delivered.body_len,
        );
        append_log(&app, now, &time, &method, &path, response.status(), delivered);
        record.outcome = "verified";
        record.delivery_id = verified.delivery_id().map(str::to_owned);
        record.identity = Some(id);
        record.key_id = Some(verified.key_id().to_owned());
        record.forward_ms = delivered.forward_ms;
        record.forwarded =
            delivered.forwarded.as_ref().map(|f| f.as_ref().map(|s| s.as_u16()).map_err(Clone::clone));
        record.body_len = delivered.body_len;
        record.body = delivered.body.slice(..delivered.body.len().min(inspector::BODY_KEEP));
    } else if let Some(error) = response.extensions().get::<VerifyError>() {
        // A copy of a delivery is not an error: say why it gets the answer it gets.
        let (style, outcome, why) = match error {
            VerifyError::Duplicate => (
                WARN,
                "duplicate",
                format!(
                    "answered {status}: the event was already processed, and a 2xx stops the sender's retries"
                ),
            ),
            VerifyError::InFlight => (
                WARN,
                "duplicate",
                format!(
                    "answered {status}: a copy is being processed; the sender retries, and finds it done"
                ),
            ),
            _ => (BAD, "rejected", error.to_string()),
        };
        anstream::println!(
            "{time} {} {:<22} {}{target} {}",
            paint(style, format_args!("{outcome:<9}")),
            error.reason(),
            delivery_label(header_delivery_id.as_deref()),
            paint(DIM, format_args!("({why})")),
        );
        record.outcome = outcome;
        record.reason = Some(error.reason());
        record.detail = Some(error.to_string());
    } else if let Some(verified) = response.extensions().get::<Verified>() {
        anstream::println!(
            "{time} {} {:<22} {}{target} {}",
            paint(GOOD, format_args!("{:<9}", "handshake")),
            "-",
            delivery_label(verified.delivery_id()),
            paint(DIM, "(a provider's endpoint check, answered)"),
        );
        record.outcome = "handshake";
        record.key_id = Some(verified.key_id().to_owned());
    } else {
        anstream::println!(
            "{time} {} {:<22} {}{target} {}",
            paint(BAD, format_args!("{:<9}", "rejected")),
            format!("http_{status}"),
            delivery_label(header_delivery_id.as_deref()),
            paint(DIM, "(the body could not be read)"),
        );
        record.detail = Some("the body could not be read".to_owned());
    }
    app.recent.push(record);
    response
}

/// Installs the Prometheus recorder for `/metrics`. `None` (said once) when another recorder
/// is installed already.
fn install_prometheus() -> Option<PrometheusHandle> {
    let installed =
        PrometheusBuilder::new().set_buckets(BUCKETS).and_then(PrometheusBuilder::install_recorder);
    match installed {
        Ok(handle) => {
            hookwarden::metrics::describe();
            Some(handle)
        }
        Err(error) => {
            anstream::eprintln!("warning: /metrics is unavailable: {error}");
            None
        }
    }
}

/// Refuses to listen beyond this machine unless `--allow-remote` says why. Returns whether
/// the address is loopback.
fn check_bind(host: &str, allow_remote: Option<&str>) -> Result<bool, Failure> {
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match (loopback, allow_remote) {
        (true, _) => Ok(true),
        (false, Some(why)) if !why.trim().is_empty() => Ok(false),
        (false, _) => Err(Failure::new(
            Code::Usage,
            format!(
                "--host {host} is reachable from other machines, and the inspector shows every \
                 delivery's headers and body: to listen there anyway, say why with \
                 --allow-remote \"<reason>\" (say, \"a container; the port is published to \
                 this machine only\")"
            ),
        )),
    }
}

/// Lets requests for the inspector and `/metrics` through only when addressed to a loopback
/// name, unless `serve` listens beyond this machine on purpose. A page on another site cannot
/// read them (no CORS), and this stops it reaching them through a name it resolves to
/// 127.0.0.1 (DNS rebinding).
async fn local_only(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if app.loopback_only {
        let host = request.headers().get(http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        };
        let loopback = name.eq_ignore_ascii_case("localhost")
            || name.trim_matches(['[', ']']).parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return (StatusCode::FORBIDDEN, "the inspector answers only requests addressed to localhost\n")
                .into_response();
        }
    }
    next.run(request).await
}

async fn page() -> Response {
    let mut response = PAGE.into_response();
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // Everything the page needs is in it: no script, style or image from anywhere else.
    response.headers_mut().insert(
        http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        ),
    );
    response
}

fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn not_kept(seq: u64) -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &serde_json::json!({ "error": format!("delivery {seq} is not kept (only the last {})", inspector::KEEP) }),
    )
}

/// `GET /metrics`: the Prometheus text format, from the exporter.
async fn metrics(State(app): State<Arc<App>>) -> Response {
    match &app.prometheus {
        Some(handle) => {
            handle.run_upkeep();
            let mut response = handle.render().into_response();
            response
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
            response
        }
        None => (StatusCode::SERVICE_UNAVAILABLE, "another metrics recorder is installed\n").into_response(),
    }
}

async fn list(State(app): State<Arc<App>>) -> Response {
    let deliveries: Vec<serde_json::Value> = app.recent.list().iter().map(|r| r.summary()).collect();
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "preset": app.scheme,
            "forward": app.forward.as_ref().map(ToString::to_string),
            "keep": inspector::KEEP,
            "deliveries": deliveries,
        }),
    )
}

async fn detail(State(app): State<Arc<App>>, Path(seq): Path<u64>) -> Response {
    match app.recent.get(seq) {
        Some(record) => json_response(StatusCode::OK, &record.detail(&app.explainer.token_headers)),
        None => not_kept(seq),
    }
}

/// `GET .../{seq}/body`: the body as received (as far as kept), for the user who asks.
async fn body(State(app): State<Arc<App>>, Path(seq): Path<u64>) -> Response {
    let Some(record) = app.recent.get(seq) else { return not_kept(seq) };
    let mut response = record.body.clone().into_response();
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response.headers_mut().insert(http::header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET .../{seq}/explanation`: what `hookwarden verify` says of the delivery, as of when it
/// was received.
async fn explanation(State(app): State<Arc<App>>, Path(seq): Path<u64>) -> Response {
    let Some(record) = app.recent.get(seq) else { return not_kept(seq) };
    let explainer = &app.explainer;
    let delivery = input::Delivery {
        request_line: Some(format!("{} {}", record.method, record.path_and_query)),
        headers: record
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect(),
        body: record.body.to_vec(),
        source: format!("delivery #{seq}"),
        ..input::Delivery::default()
    };
    let url = explainer.origin.as_ref().map(|origin| format!("{origin}{}", record.path_and_query));
    let (scheme, secrets, window) = (explainer.scheme.clone(), explainer.secrets.clone(), explainer.window);
    let (unix, method) = (record.unix, record.method.to_string());
    // The explanation tries variants of the body: off the async workers.
    let lines = tokio::task::spawn_blocking(move || {
        verify::explain(scheme, secrets, delivery, unix, window, method, url)
    })
    .await
    .unwrap_or_default();
    json_response(StatusCode::OK, &serde_json::json!({ "lines": lines }))
}

/// `POST .../{seq}/resend`: sends the delivery again, headers and body as received, to the
/// forward target, and says what it answered.
async fn resend(State(app): State<Arc<App>>, Path(seq): Path<u64>, headers: HeaderMap) -> Response {
    // Only the page sends this header; a form on another site cannot (CORS preflight).
    if !headers.contains_key("x-hookwarden-inspector") {
        return json_response(
            StatusCode::FORBIDDEN,
            &serde_json::json!({ "error": "not from the inspector" }),
        );
    }
    let Some(record) = app.recent.get(seq) else { return not_kept(seq) };
    let Some(base) = &app.forward else {
        return json_response(
            StatusCode::CONFLICT,
            &serde_json::json!({ "error": "serve was started without --forward: there is nowhere to resend to" }),
        );
    };
    if record.body.len() < record.body_len {
        return json_response(
            StatusCode::CONFLICT,
            &serde_json::json!({ "error": "the body was too large to keep whole: it cannot be resent" }),
        );
    }
    let original: Uri = record.path_and_query.parse().unwrap_or_else(|_| Uri::from_static("/"));
    let mut forward_headers = HeaderMap::new();
    for (name, value) in &record.headers {
        if !client::is_hop_by_hop(name) {
            forward_headers.append(name.clone(), value.clone());
        }
    }
    let target = forward_target(base, &original);
    let answer = app.client.send(record.method.clone(), target, forward_headers, record.body.clone()).await;
    let result = match answer {
        Ok(answer) => serde_json::json!({ "status": answer.status.as_u16() }),
        Err(error) => serde_json::json!({ "error": error }),
    };
    anstream::println!(
        "{} {} delivery #{seq} to the forward target: {result}",
        out::rfc3339(SystemClock.now_unix()),
        paint(LABEL, format_args!("{:<9}", "resent")),
    );
    record.resends.lock().unwrap_or_else(PoisonError::into_inner).push(result.clone());
    json_response(StatusCode::OK, &result)
}

async fn chart(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &app.recent.chart(SystemClock.now_unix()))
}

/// What identifies the delivery's event for the replay store, for the log line: a signed id as
/// it is (`msg_1`), anything else after where it came from (`body_field:evt_1`, or
/// `content:` and a digest of what was signed, for presets that sign no id).
fn identity_label(verified: &Verified) -> String {
    match verified.identity() {
        Some(identity) if identity.source() == IdentitySource::SignedId => identity.to_string(),
        Some(identity) => format!("{}:{identity}", identity.source().as_str()),
        None => verified.id().unwrap_or("-").to_owned(),
    }
}

/// One JSON line of verified metadata: never the body, a signature or a secret.
fn append_log(
    app: &App,
    now: i64,
    time: &str,
    method: &http::Method,
    path: &str,
    status: StatusCode,
    delivered: &Delivered,
) {
    let Some((path_on_disk, file)) = &app.log else { return };
    let verified = &delivered.verified;
    let mut line = serde_json::json!({
        "time": time,
        "unix": now,
        "outcome": "verified",
        "scheme": app.scheme,
        "id": verified.id(),
        "delivery_id": verified.delivery_id(),
        "identity": verified.identity().map(|identity| identity.to_string()),
        "identity_source": verified.identity().map(|identity| identity.source().as_str()),
        "timestamp": verified.timestamp(),
        "key_id": verified.key_id(),
        "method": method.as_str(),
        "path": path,
        "body_bytes": delivered.body_len,
        "body_sha256": delivered.body_sha256,
        "status": status.as_u16(),
    });
    match &delivered.forwarded {
        Some(Ok(status)) => line["forward_status"] = status.as_u16().into(),
        Some(Err(error)) => line["forward_error"] = error.as_str().into(),
        None => {}
    }
    let mut file = file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Err(error) = writeln!(file, "{line}").and_then(|()| file.flush()) {
        anstream::eprintln!("warning: cannot append to {}: {error}", path_on_disk.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_urls_without_a_path_keep_the_deliverys_path() {
        let original: Uri = "/webhooks/stripe?x=1".parse().unwrap();
        let base: Uri = "http://localhost:3000".parse().unwrap();
        assert_eq!(forward_target(&base, &original), "http://localhost:3000/webhooks/stripe?x=1");
        let slash: Uri = "http://localhost:3000/".parse().unwrap();
        assert_eq!(forward_target(&slash, &original), "http://localhost:3000/webhooks/stripe?x=1");
        let fixed: Uri = "http://localhost:3000/in".parse().unwrap();
        assert_eq!(forward_target(&fixed, &original), "http://localhost:3000/in");
    }
}
