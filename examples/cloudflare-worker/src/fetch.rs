//! The Worker's entry (`wasm32` only): the `fetch` handler the Workers runtime calls, and the
//! plumbing between `worker` types and the plain-Rust delivery path of the crate root.

use std::cell::OnceCell;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use futures_util::StreamExt;
use hookwarden::{Endpoint, VerifyError};
use worker::js_sys::{self, Function, Promise, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{ByteStream, Context, Env, Request, Response, event};

use crate::{Answer, PREVIOUS_SECRET, Parts, SECRET, deliver, misrouted};

thread_local! {
    /// The isolate's endpoint: built by the first request, reused by every later one (the
    /// secret decoded and the HMAC key schedule computed once, one replay store). Workers
    /// run one thread per isolate; a new secret comes with a new deployment, hence new
    /// isolates.
    static ENDPOINT: OnceCell<Endpoint> = const { OnceCell::new() };
}

#[event(fetch)]
async fn main(request: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let endpoint = match endpoint(&env) {
        Ok(endpoint) => endpoint,
        Err(message) => {
            worker::console_error!("{message}");
            return respond(Answer::json(500, &br#"{"reason":"misconfigured"}"#[..]));
        }
    };
    serve(&endpoint, request).await
}

/// The isolate's endpoint, built from the Worker's secrets the first time.
fn endpoint(env: &Env) -> Result<Endpoint, String> {
    if let Some(endpoint) = ENDPOINT.with(|cell| cell.get().cloned()) {
        return Ok(endpoint);
    }
    let secret = env.secret(SECRET).map_err(|_| {
        format!(
            "the Worker has no secret {SECRET}: set it to the Stripe endpoint's signing secret \
             (whsec_...) with `npx wrangler secret put {SECRET}`"
        )
    })?;
    let previous = env.secret(PREVIOUS_SECRET).ok().map(|secret| secret.to_string());
    let endpoint = crate::stripe_endpoint(&secret.to_string(), previous.as_deref())?;
    Ok(ENDPOINT.with(|cell| cell.get_or_init(|| endpoint).clone()))
}

/// One request to the Worker: routed, then taken through the endpoint's steps with its body
/// read from the request's stream, under the endpoint's limit and deadline.
///
/// # Errors
///
/// When the request's headers cannot be read, or the response cannot be built: the runtime
/// answers 500.
pub async fn serve(endpoint: &Endpoint, mut request: Request) -> worker::Result<Response> {
    let url = request.inner().url();
    let (scheme, path_and_query) = split_url(&url);
    let method = request.method().to_string();
    let path = path_and_query.split('?').next().unwrap_or(path_and_query);
    if let Some(answer) = misrouted(&method, path) {
        return respond(answer);
    }
    let headers = request.headers();
    // Cloudflare writes the client's address there, replacing what the client sent.
    let peer = headers.get("cf-connecting-ip")?.and_then(|ip| ip.parse().ok());
    let parts = Parts {
        method,
        path_and_query: path_and_query.to_owned(),
        headers: headers.entries().collect(),
        peer,
        tls: scheme.eq_ignore_ascii_case("https"),
    };
    let deadline = endpoint.body_deadline();
    // The stream is taken once the request is admitted; none: a request without a body.
    let answer = deliver(endpoint, &parts, |limit| read_body(request.stream().ok(), limit, deadline)).await;
    respond(answer)
}

/// The scheme, and the path and query, of a request's URL as the runtime serialises it
/// (`https://host/path?query`, the path always starting with `/`); a fragment, which no
/// client sends, is dropped. Split by hand rather than parsed with `worker::Request::url`,
/// whose `url` crate (with its IDNA and Unicode tables) would add about 230 kB, 30 %, to the
/// module.
fn split_url(url: &str) -> (&str, &str) {
    let Some((scheme, rest)) = url.split_once("://") else { return ("", url) };
    let path_and_query = rest.find('/').map_or("/", |start| &rest[start..]);
    (scheme, path_and_query.split('#').next().unwrap_or(path_and_query))
}

/// The `worker::Response` for an answer.
fn respond(answer: Answer) -> worker::Result<Response> {
    let headers = worker::Headers::new();
    for (name, value) in &answer.headers {
        headers.append(name, value)?;
    }
    let response =
        if answer.body.is_empty() { Response::empty()? } else { Response::from_bytes(answer.body)? };
    Ok(response.with_status(answer.status).with_headers(headers))
}

/// Reads the whole body: at most `limit` bytes, within `deadline`.
async fn read_body(
    stream: Option<ByteStream>,
    limit: u64,
    deadline: Option<Duration>,
) -> Result<Vec<u8>, VerifyError> {
    let read = read_limited(stream, limit);
    match deadline {
        Some(after) => within(after, read).await.unwrap_or(Err(VerifyError::BodyTimeout { after })),
        None => read.await,
    }
}

/// Reads the stream to its end, refusing it as soon as it runs over `limit`.
async fn read_limited(stream: Option<ByteStream>, limit: u64) -> Result<Vec<u8>, VerifyError> {
    let Some(mut stream) = stream else { return Ok(Vec::new()) };
    let limit_len = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        // The client's stream failed (it went away, or sent a broken encoding).
        let chunk = chunk.map_err(|_| VerifyError::BodyUnreadable)?;
        if chunk.len() > limit_len - body.len() {
            return Err(VerifyError::BodyTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Runs `future` for at most `deadline`; `None` when time ran out. The timer is set only if
/// the future is still pending after its first poll, and cleared when it is dropped.
async fn within<F: Future>(deadline: Duration, future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut timer: Option<Timeout> = None;
    poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        if timer.is_none() {
            timer = Timeout::after(deadline);
        }
        match &mut timer {
            Some(timer) => Pin::new(&mut timer.fired).poll(cx).map(|_| None),
            // No timer could be set: no deadline, rather than none at all.
            None => Poll::Pending,
        }
    })
    .await
}

/// A `setTimeout`, as a future, cleared when dropped (the body arrived in time), so that no
/// timer outlives the request.
///
/// Not `worker::Delay`, which reads the timer's id as a number: Node, where the tests run,
/// answers an object.
struct Timeout {
    fired: JsFuture,
    id: JsValue,
}

impl Timeout {
    fn after(deadline: Duration) -> Option<Self> {
        let global = js_sys::global();
        let set_timeout: Function = Reflect::get(&global, &"setTimeout".into()).ok()?.dyn_into().ok()?;
        let millis = JsValue::from_f64(deadline.as_millis() as f64);
        let mut id = None;
        let fired = Promise::new(&mut |resolve, _| id = set_timeout.call2(&global, &resolve, &millis).ok());
        Some(Self { fired: JsFuture::from(fired), id: id? })
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Some(clear) =
            Reflect::get(&global, &"clearTimeout".into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = clear.call1(&global, &self.id);
        }
    }
}
