//! `hookwarden sign`: the headers a provider would send, as text, JSON, a curl command, or sent.

use std::io::{IsTerminal as _, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use hookwarden::{Clock, Message, SignError, SystemClock};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::cli::SignArgs;
use crate::client::{self, HttpClient};
use crate::exit::{Code, Failure};
use crate::input::{self, Body};
use crate::json;
use crate::out::{self, BAD, DIM, GOOD, LABEL, WARN, paint};
use crate::presets::{self, Scheme, Signing, Window};
use crate::private_key::{self, PrivateKey};

/// The most characters of an answer's body shown.
const ANSWER_PREVIEW: usize = 2000;

pub(crate) fn run(args: &SignArgs) -> Result<Code, Failure> {
    let scheme = Scheme::from_args(&args.scheme).map_err(|e| Failure::config(&e))?;
    let signing = scheme.signing();
    if signing == Signing::Body && args.json {
        return Err(Failure::new(
            Code::Usage,
            format!(
                "{} carries its signature inside the body: without --json, sign prints the signed body",
                scheme.name()
            ),
        ));
    }
    let body = input::read_body(&args.body)?;
    if signing != Signing::PublicKey && (args.private_key.is_some() || args.private_key_file.is_some()) {
        return Err(Failure::new(
            Code::Usage,
            format!("{} signs with a shared secret (--secret), not a private key", scheme.name()),
        ));
    }
    // The public-key presets sign here, with a private key; the others through a verifier.
    let signer = match signing {
        Signing::PublicKey => Signer::PrivateKey(Box::new(private_key(args, scheme.name())?)),
        _ => {
            let secrets = input::secrets(&args.secrets)?;
            Signer::Verifier(
                scheme.verifier(&secrets, SystemClock, Window::Default).map_err(|e| Failure::config(&e))?,
            )
        }
    };
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
    let cannot_sign = |e| match e {
        SignError::MissingUrl => Failure::new(
            Code::Usage,
            format!(
                "{} signs the URL the delivery is sent to: give --url (or --send / --curl)",
                scheme.name()
            ),
        ),
        SignError::UnsignableBody { problem } => {
            Failure::new(Code::Usage, format!("{} cannot sign this body: {problem}", scheme.name()))
        }
        e => Failure::new(Code::Usage, format!("cannot sign: {e}")),
    };
    // Schemes that sign inside the body (Mailgun) send the body with the signature written in.
    let (signed, body) = match (signing, &signer) {
        (_, Signer::PrivateKey(key)) => {
            let signed = key
                .sign(scheme.name(), &id, timestamp, &body.bytes)
                .map_err(|problem| Failure::new(Code::Usage, problem))?;
            anstream::eprintln!(
                "{} verify with the public key: --secret {}",
                paint(DIM, "note:"),
                key.public_key(scheme.name())
            );
            (signed, body)
        }
        (Signing::Body, Signer::Verifier(verifier)) => {
            let bytes = verifier.sign_body(&message).map_err(cannot_sign)?;
            (Vec::new(), Body { bytes, file: None })
        }
        (_, Signer::Verifier(verifier)) => {
            let signed = verifier.sign(&message).map_err(cannot_sign)?;
            (signed.iter().map(|(name, value)| (name.to_owned(), value.to_owned())).collect(), body)
        }
    };
    if scheme.is_token() {
        anstream::eprintln!(
            "{} {} sends the secret itself as a token (nothing is signed): this output contains it",
            paint(WARN, "note:"),
            scheme.name()
        );
    }
    let secret_headers = scheme.token_headers();
    let unsigned = unsigned_headers(args, &scheme, &signed)?;
    let content_type = match (&args.content_type, &unsigned.content_type) {
        (Some(_), Some(_)) => {
            return Err(Failure::new(Code::Usage, "give the Content-Type once: --content-type or --header"));
        }
        (Some(content_type), None) | (None, Some(content_type)) => content_type.clone(),
        (None, None) => default_content_type(&body.bytes, signing).to_owned(),
    };
    let headers: Vec<(String, String)> = signed.into_iter().chain(unsigned.headers).collect();

    if let Some(url) = &args.curl {
        println!("{}", curl(url, &content_type, &headers, &body)?);
        return Ok(Code::Ok);
    }
    if let Some(url) = &args.send {
        return send(url, &content_type, &headers, &secret_headers, body.bytes);
    }
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> =
            headers.into_iter().map(|(name, value)| (name, value.into())).collect();
        println!("{}", serde_json::Value::Object(map));
        return Ok(Code::Ok);
    }
    for (name, value) in &headers {
        println!("{name}: {value}");
    }
    if signing == Signing::Body {
        print_body(!headers.is_empty(), &body.bytes)?;
    }
    Ok(Code::Ok)
}

/// What signs the delivery.
enum Signer {
    /// The provider's key, for the public-key presets.
    PrivateKey(Box<PrivateKey>),
    /// A verifier holding the shared secret.
    Verifier(hookwarden::Verifier),
}

/// The private key of a public-key preset, from --private-key or --private-key-file.
fn private_key(args: &SignArgs, preset: &str) -> Result<PrivateKey, Failure> {
    let Some(formats) = private_key::formats(preset) else {
        return Err(Failure::new(
            Code::Usage,
            format!("{preset} signs with the provider's private key, and sign does not know its format yet"),
        ));
    };
    let text = match (&args.private_key, &args.private_key_file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => std::fs::read_to_string(path).map_err(|e| {
            Failure::io(format!("cannot read the private key from `{}`: {e}", path.display()))
        })?,
        (None, None) => {
            return Err(Failure::new(
                Code::Usage,
                format!(
                    "{preset} signs with a private key, which only the provider holds: give a test one with \
                     --private-key or --private-key-file ({formats}), and verify with its public key"
                ),
            ));
        }
    };
    PrivateKey::parse(preset, &text).map_err(|problem| Failure::new(Code::Usage, problem))
}

/// Writes a signed body exactly (a blank line first when headers precede it), with a final
/// newline only on a terminal.
fn print_body(after_headers: bool, body: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    let written = (|| {
        if after_headers {
            stdout.write_all(b"\n")?;
        }
        stdout.write_all(body)?;
        if stdout.is_terminal() && !body.ends_with(b"\n") {
            stdout.write_all(b"\n")?;
        }
        stdout.flush()
    })();
    written.map_err(|e| Failure::io(format!("cannot write the body: {e}")))
}

/// The headers sent with the signed ones without being signed: the provider's event header
/// (`--event`, or its default) and every `--header`, except a Content-Type.
#[derive(Debug, Default)]
struct Unsigned {
    headers: Vec<(String, String)>,
    /// A `Content-Type` given with `--header`.
    content_type: Option<String>,
}

fn unsigned_headers(
    args: &SignArgs,
    scheme: &Scheme,
    signed: &[(String, String)],
) -> Result<Unsigned, Failure> {
    let name = scheme.name();
    let mut unsigned = Unsigned::default();
    let mut given = Vec::new();
    for header in &args.header {
        let (field, value) = header
            .split_once(':')
            .map(|(field, value)| (field.trim(), value.trim()))
            .filter(|(field, value)| {
                HeaderName::from_bytes(field.as_bytes()).is_ok() && HeaderValue::from_str(value).is_ok()
            })
            .ok_or_else(|| Failure::new(Code::Usage, format!("--header `{header}` is not `Name: value`")))?;
        if signed.iter().any(|(signed, _)| signed.eq_ignore_ascii_case(field)) {
            return Err(Failure::new(
                Code::Usage,
                format!("--header `{field}`: {name} signs with that header, and sign writes it"),
            ));
        }
        if field.eq_ignore_ascii_case(CONTENT_TYPE.as_str()) {
            if unsigned.content_type.replace(value.to_owned()).is_some() {
                return Err(Failure::new(Code::Usage, "give the Content-Type once"));
            }
            continue;
        }
        given.push((field.to_owned(), value.to_owned()));
    }
    let event = presets::event_header(name);
    match (event, &args.event) {
        (None, Some(_)) => {
            return Err(Failure::new(
                Code::Usage,
                format!(
                    "--event: {name} has no event header hookwarden knows; give it with --header 'Name: value'"
                ),
            ));
        }
        (Some(event), _) if given.iter().any(|(field, _)| field.eq_ignore_ascii_case(event.name)) => {
            if args.event.is_some() {
                return Err(Failure::new(
                    Code::Usage,
                    format!("give {} once: --event or --header", event.name),
                ));
            }
        }
        (Some(event), Some(value)) => {
            if HeaderValue::from_str(value).is_err() {
                return Err(Failure::new(Code::Usage, format!("--event `{value}` is not a header value")));
            }
            unsigned.headers.push((event.name.to_owned(), value.clone()));
        }
        (Some(event), None) => match event.default {
            Some(default) => {
                unsigned.headers.push((event.name.to_owned(), default.to_owned()));
                anstream::eprintln!(
                    "{} {}: {default}, the default (give --event for another, such as --event {})",
                    paint(DIM, "note:"),
                    event.name,
                    event.example
                );
            }
            None => anstream::eprintln!(
                "{} {name} deliveries also carry {} (such as `{}`): add it with --event",
                paint(WARN, "note:"),
                event.name,
                event.example
            ),
        },
        (None, None) => {}
    }
    unsigned.headers.extend(given);
    Ok(unsigned)
}

/// `application/json` for a JSON body, else a generic type.
fn default_content_type(body: &[u8], signing: Signing) -> &'static str {
    match (json::parse(body).is_some(), signing) {
        (true, _) => "application/json",
        // A body signed inside that is not JSON is a form (Mailgun's form-encoded posts).
        (false, Signing::Body) => "application/x-www-form-urlencoded",
        (false, _) => "application/octet-stream",
    }
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

fn curl(url: &str, content_type: &str, headers: &[(String, String)], body: &Body) -> Result<String, Failure> {
    let mut lines = vec![format!("curl -sS -X POST {}", shell_quote(url))];
    lines.push(format!("  -H {}", shell_quote(&format!("Content-Type: {content_type}"))));
    for (name, value) in headers {
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
    sent: &[(String, String)],
    secret_headers: &[String],
    body: Vec<u8>,
) -> Result<Code, Failure> {
    let uri = client::parse_url(url).map_err(|e| Failure::new(Code::Usage, e))?;
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(content_type)
        .map_err(|_| Failure::new(Code::Usage, format!("`{content_type}` is not a valid Content-Type")))?;
    headers.insert(CONTENT_TYPE, value);
    for (name, value) in sent {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value))
        {
            headers.append(name, value);
        }
    }
    anstream::println!("{} POST {url} ({} bytes)", paint(LABEL, "→"), body.len());
    for (name, value) in sent {
        let value =
            if secret_headers.contains(&name.to_ascii_lowercase()) { "(the secret)" } else { value.as_str() };
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
