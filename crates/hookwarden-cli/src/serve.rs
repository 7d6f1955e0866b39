//! `hookwarden serve`: a local receiver that verifies every delivery with
//! `hookwarden_tower::WebhookVerifyLayer` and an in-memory replay store.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hookwarden::replay::IdentitySource;
use hookwarden::{Clock, Endpoint, MemoryStore, SystemClock, Verified, VerifyError};
use hookwarden_tower::WebhookVerifyLayer;
use http::{HeaderMap, StatusCode, Uri};
use tokio::net::TcpListener;

use crate::cli::ServeArgs;
use crate::client::{self, HttpClient};
use crate::exit::{Code, Failure};
use crate::input;
use crate::json::{self, Json};
use crate::out::{self, BAD, DIM, GOOD, LABEL, WARN, paint};
use crate::presets::{Scheme, Window};

/// What every request shares.
#[derive(Debug)]
struct App {
    forward: Option<Uri>,
    client: HttpClient,
    log: Option<(PathBuf, Mutex<File>)>,
    scheme: &'static str,
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
}

pub(crate) fn run(args: &ServeArgs) -> Result<Code, Failure> {
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
        if let Some(forward) = &forward {
            anstream::println!("  forwarding verified deliveries to {forward}");
        }
        if let Some((path, _)) = &log {
            anstream::println!("  appending verified deliveries to {}", path.display());
        }
        let app = Arc::new(App { forward, client: HttpClient::new(), log, scheme: scheme.name() });
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
        let layer = WebhookVerifyLayer::new(endpoint);
        let router = Router::new()
            .fallback(deliver)
            .layer(layer)
            .layer(middleware::from_fn_with_state(Arc::clone(&app), record))
            .with_state(app);
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
            match app.client.send(parts.method.clone(), target, headers, body).await {
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

/// Prints one line per delivery and appends verified ones to the log.
async fn record(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let now = SystemClock.now_unix();
    let time = out::rfc3339(now);
    let target = format!("{method} {}", out::preview(path.as_bytes(), 100));
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
            "{time} {} {:<22} id={id} key={}{event} {target} {} B{forward}",
            paint(GOOD, format_args!("{:<9}", "verified")),
            "-",
            verified.key_id(),
            delivered.body_len,
        );
        append_log(&app, now, &time, &method, &path, response.status(), delivered);
    } else if let Some(error) = response.extensions().get::<VerifyError>() {
        // A copy of a delivery is not an error: say why it gets the answer it gets.
        let status = response.status().as_u16();
        let (style, outcome, id, why) = match error {
            VerifyError::Duplicate => (
                WARN,
                "duplicate",
                "",
                format!(
                    "answered {status}: the event was already processed, and a 2xx stops the sender's retries"
                ),
            ),
            VerifyError::InFlight => (
                WARN,
                "duplicate",
                "",
                format!(
                    "answered {status}: a copy is being processed; the sender retries, and finds it done"
                ),
            ),
            _ => (BAD, "rejected", "id=- ", error.to_string()),
        };
        anstream::println!(
            "{time} {} {:<22} {id}{target} {}",
            paint(style, format_args!("{outcome:<9}")),
            error.reason(),
            paint(DIM, format_args!("({why})")),
        );
    } else {
        anstream::println!(
            "{time} {} {:<22} id=- {target} {}",
            paint(BAD, format_args!("{:<9}", "rejected")),
            format!("http_{}", response.status().as_u16()),
            paint(DIM, "(the body could not be read)"),
        );
    }
    response
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
