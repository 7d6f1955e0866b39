//! `hookwarden sign`: the headers a provider would send, as text, JSON, a curl command, or sent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hookwarden::{Clock, Message, SignError, SignedHeaders, SystemClock};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::cli::SignArgs;
use crate::client::{self, HttpClient};
use crate::exit::{Code, Failure};
use crate::input::{self, Body};
use crate::json;
use crate::out::{self, BAD, DIM, GOOD, LABEL, WARN, paint};
use crate::presets::{Scheme, Window};

/// The most characters of an answer's body shown.
const ANSWER_PREVIEW: usize = 2000;

pub(crate) fn run(args: &SignArgs) -> Result<Code, Failure> {
    let scheme = Scheme::from_args(&args.scheme).map_err(|e| Failure::config(&e))?;
    let secrets = input::secrets(&args.secrets)?;
    let body = input::read_body(&args.body)?;
    let verifier =
        scheme.verifier(&secrets, SystemClock, Window::Default).map_err(|e| Failure::config(&e))?;
    let id = args.id.clone().unwrap_or_else(random_id);
    let timestamp = args.timestamp.unwrap_or_else(|| SystemClock.now_unix());
    // Time zero is refused too: no provider sends it, so it is a mistake in the flag.
    if timestamp < 1 {
        return Err(Failure::new(Code::Usage, "--timestamp must be a Unix time after 1970-01-01T00:00:00Z"));
    }
    // A scheme that signs the URL signs the one the delivery goes to.
    let url = args.url.as_deref().or(args.send.as_deref()).or(args.curl.as_deref());
    let mut message = Message::new(&body.bytes).id(&id).timestamp(timestamp).method("POST");
    if let Some(url) = url {
        message = message.url(url);
    }
    let headers = verifier.sign(&message).map_err(|e| match e {
        SignError::MissingUrl => Failure::new(
            Code::Usage,
            format!(
                "{} signs the URL the delivery is sent to: give --url (or --send / --curl)",
                scheme.name()
            ),
        ),
        e => Failure::new(Code::Usage, format!("cannot sign: {e}")),
    })?;
    if scheme.is_token() {
        anstream::eprintln!(
            "{} {} sends the secret itself as a token (nothing is signed): this output contains it",
            paint(WARN, "note:"),
            scheme.name()
        );
    }
    let secret_headers = scheme.token_headers();
    let content_type =
        args.content_type.clone().unwrap_or_else(|| default_content_type(&body.bytes).to_owned());

    if let Some(url) = &args.curl {
        println!("{}", curl(url, &content_type, &headers, &body)?);
        return Ok(Code::Ok);
    }
    if let Some(url) = &args.send {
        return send(url, &content_type, &headers, &secret_headers, body.bytes);
    }
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> =
            headers.iter().map(|(name, value)| (name.to_owned(), value.into())).collect();
        println!("{}", serde_json::Value::Object(map));
    } else {
        for (name, value) in headers.iter() {
            println!("{name}: {value}");
        }
    }
    Ok(Code::Ok)
}

/// `application/json` for a JSON body, else a generic type.
fn default_content_type(body: &[u8]) -> &'static str {
    if json::parse(body).is_some() { "application/json" } else { "application/octet-stream" }
}

/// A random-enough delivery id, `msg_` and 24 hex digits.
fn random_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed = format!("{nanos}:{}:{count}", std::process::id());
    format!("msg_{}", &out::sha256_hex(seed.as_bytes())[..24])
}

/// Quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn curl(url: &str, content_type: &str, headers: &SignedHeaders, body: &Body) -> Result<String, Failure> {
    let mut lines = vec![format!("curl -sS -X POST {}", shell_quote(url))];
    lines.push(format!("  -H {}", shell_quote(&format!("Content-Type: {content_type}"))));
    for (name, value) in headers.iter() {
        lines.push(format!("  -H {}", shell_quote(&format!("{name}: {value}"))));
    }
    let data = match (&body.file, std::str::from_utf8(&body.bytes)) {
        (Some(file), _) => format!("@{}", shell_quote(file)),
        (None, Ok(text)) if !text.contains('\0') => shell_quote(text),
        (None, _) => {
            return Err(Failure::new(
                Code::Usage,
                "the body is not text a shell argument can hold: give it as --body @FILE for --curl",
            ));
        }
    };
    lines.push(format!("  --data-binary {data}"));
    Ok(lines.join(" \\\n"))
}

fn send(
    url: &str,
    content_type: &str,
    signed: &SignedHeaders,
    secret_headers: &[String],
    body: Vec<u8>,
) -> Result<Code, Failure> {
    let uri = client::parse_url(url).map_err(|e| Failure::new(Code::Usage, e))?;
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(content_type)
        .map_err(|_| Failure::new(Code::Usage, format!("`{content_type}` is not a valid Content-Type")))?;
    headers.insert(CONTENT_TYPE, value);
    for (name, value) in signed.iter() {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value))
        {
            headers.append(name, value);
        }
    }
    anstream::println!("{} POST {url} ({} bytes)", paint(LABEL, "→"), body.len());
    for (name, value) in signed.iter() {
        let value = if secret_headers.contains(&name.to_ascii_lowercase()) { "(the secret)" } else { value };
        anstream::println!("  {}", paint(DIM, format_args!("{name}: {value}")));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::io(format!("cannot start the async runtime: {e}")))?;
    let answer = runtime
        .block_on(HttpClient::new().send(Method::POST, uri, headers, Bytes::from(body)))
        .map_err(|e| Failure::io(format!("could not send to {url}: {e}")))?;
    let ok = answer.status.is_success();
    let status = format!("{} {}", answer.status.as_u16(), answer.status.canonical_reason().unwrap_or(""));
    anstream::println!("{} {}", paint(LABEL, "←"), paint(if ok { GOOD } else { BAD }, status.trim_end()));
    if !answer.body.is_empty() {
        let text = String::from_utf8_lossy(&answer.body);
        let shown: String = text.chars().take(ANSWER_PREVIEW).collect();
        let cut = if shown.len() < text.len() { "…" } else { "" };
        anstream::println!("  {shown}{cut}");
    }
    Ok(if ok { Code::Ok } else { Code::Rejected })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_single_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn ids_are_random_and_well_formed() {
        let (a, b) = (random_id(), random_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 28);
        assert!(a.starts_with("msg_"));
    }
}
