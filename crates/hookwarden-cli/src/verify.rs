//! `hookwarden verify`: verify one delivery, explain each step and, on failure, the likely causes.

use std::fmt::Display;

use hookwarden::{Clock, FixedClock, SystemClock, Verifier, VerifyError};

use crate::cli::VerifyArgs;
use crate::diagnose;
use crate::exit::{Code, Failure};
use crate::input::{self, Delivery};
use crate::json;
use crate::out::{self, BAD, DIM, GOOD, LABEL, WARN, paint};
use crate::presets::{self, Req, Scheme, Window};

pub(crate) fn run(args: &VerifyArgs) -> Result<Code, Failure> {
    let scheme = Scheme::from_args(&args.scheme).map_err(|e| Failure::config(&e))?;
    let secrets = input::secrets(&args.secrets)?;
    let delivery = match &args.request {
        Some(path) => input::read_capture(path)?,
        None => {
            let body = match &args.body {
                Some(spec) => input::read_body(spec)?.bytes,
                None => Vec::new(),
            };
            input::from_flags(&args.header, body, "--header and --body")?
        }
    };
    let (now, now_source) = match args.now {
        Some(now) => (now, "--now"),
        None => (SystemClock.now_unix(), "this machine's clock"),
    };
    let window = args.tolerance.map_or(Window::Default, Window::Seconds);
    let (method, target) = match delivery.request_line.as_deref().and_then(|line| line.split_once(' ')) {
        Some((method, target)) => (method.to_owned(), Some(target.to_owned())),
        None => ("POST".to_owned(), None),
    };
    let (url, url_source) = match (&args.url, target) {
        (Some(url), _) => (Some(url.clone()), "--url"),
        (None, Some(target)) if target.starts_with("http://") || target.starts_with("https://") => {
            (Some(target), "the request line")
        }
        (None, Some(target)) => match delivery.header("host") {
            Some(host) => (
                Some(format!("https://{}{target}", String::from_utf8_lossy(host))),
                "guessed from the Host header and the request line: give --url for the URL the provider called",
            ),
            None => (None, ""),
        },
        (None, None) => (None, ""),
    };
    let check = Check {
        scheme,
        secrets,
        delivery,
        now,
        now_source,
        window,
        quiet: args.quiet,
        method,
        url,
        url_source,
        captured: None,
    };
    Ok(check.run())
}

/// The step-by-step explanation `verify` prints, as plain lines, for a delivery `serve`
/// received: the headers and body as they arrived, checked as of `now` against the URL the
/// provider called (for presets that sign it).
pub(crate) fn explain(
    scheme: Scheme,
    secrets: Vec<(String, Vec<u8>)>,
    delivery: Delivery,
    now: i64,
    window: Window,
    method: String,
    url: Option<String>,
) -> Vec<String> {
    let check = Check {
        scheme,
        secrets,
        delivery,
        now,
        now_source: "the time it was received",
        window,
        quiet: false,
        method,
        url,
        url_source: "this server's public origin",
        captured: Some(std::cell::RefCell::new(Vec::new())),
    };
    check.run();
    check.captured.map(std::cell::RefCell::into_inner).unwrap_or_default()
}

/// One verification and everything needed to explain it.
struct Check {
    scheme: Scheme,
    secrets: Vec<(String, Vec<u8>)>,
    delivery: Delivery,
    now: i64,
    now_source: &'static str,
    window: Window,
    quiet: bool,
    /// The method, from the request line (default `POST`).
    method: String,
    /// The URL the provider called, for schemes that sign it.
    url: Option<String>,
    url_source: &'static str,
    /// Where the lines go instead of the terminal, without colours (for `serve`'s inspector).
    captured: Option<std::cell::RefCell<Vec<String>>>,
}

impl Check {
    /// Prints one line, or keeps it without its colours.
    fn emit(&self, line: String) {
        match &self.captured {
            Some(lines) => lines.borrow_mut().push(anstream::adapter::strip_str(&line).to_string()),
            None => anstream::println!("{line}"),
        }
    }

    fn step(&self, label: &str, text: impl Display) {
        if !self.quiet {
            self.emit(format!("  {} {text}", paint(LABEL, format_args!("{label:<10}"))));
        }
    }

    fn note(&self, style: anstyle::Style, text: impl Display) {
        if !self.quiet {
            self.emit(format!("  {:<10} {}", "", paint(style, text)));
        }
    }

    fn headers(&self) -> &[(String, Vec<u8>)] {
        &self.delivery.headers
    }

    fn req(&self) -> Req<'_> {
        Req { headers: &self.delivery.headers, method: &self.method, url: self.url.as_deref() }
    }

    fn run(&self) -> Code {
        let scheme = &self.scheme;
        let name = scheme.name();
        if !self.quiet {
            self.emit(format!(
                "{} {}",
                paint(LABEL, "hookwarden verify"),
                paint(DIM, format_args!("· preset {name}"))
            ));
        }

        // The scheme and the secrets.
        let sends = scheme.header_names();
        self.step(
            "preset",
            if scheme.is_token() {
                format!(
                    "{name}: the secret itself, sent as a token (nothing is signed); sends {}",
                    sends.join(", ")
                )
            } else {
                format!(
                    "{name}: {}, key = {}; sends {}",
                    presets::describe_algorithm(scheme.algorithm()),
                    presets::describe_key_format(scheme.key_format()),
                    sends.join(", ")
                )
            },
        );
        let shapes: Vec<String> =
            self.secrets.iter().map(|(id, s)| format!("{id} ({})", out::secret_shape(s))).collect();
        self.step("secrets", format_args!("{}: {}", self.secrets.len(), shapes.join(", ")));
        let lints: Vec<String> =
            self.secrets.iter().flat_map(|(id, s)| diagnose::secret_lints(scheme, id, s)).collect();
        for lint in &lints {
            self.note(WARN, format_args!("⚠ {lint}"));
        }
        let verifier = scheme.verifier(&self.secrets, FixedClock::at(self.now), self.window);

        // The request as the scheme reads it.
        let delivery = &self.delivery;
        let mut request = format!(
            "{} from {}, {} header{}",
            delivery.request_line.as_deref().unwrap_or("(no request line)"),
            delivery.source,
            delivery.headers.len(),
            plural(delivery.headers.len())
        );
        if delivery.crlf {
            request.push_str(", CRLF line endings");
        }
        if delivery.dechunked {
            request.push_str(", chunked body decoded");
        }
        self.step("request", request);
        self.show_headers(&sends);
        if scheme.signs_url() {
            match &self.url {
                Some(url) => self.step("url", format_args!("{url} ({})", self.url_source)),
                None => self.step(
                    "url",
                    paint(WARN, "unknown: this preset signs the URL the provider called; give it with --url"),
                ),
            }
        }
        let inspection = scheme.inspect(self.req(), &delivery.body);
        match &inspection.parsed {
            Ok(count) => {
                let count = count.map_or_else(|| "at least 1".to_owned(), |n| n.to_string());
                self.step(
                    "signatures",
                    format_args!(
                        "{count} in the request, tried against {} key{}",
                        self.secrets.len(),
                        plural(self.secrets.len())
                    ),
                );
            }
            Err(Some(error)) => self.step("signatures", paint(BAD, format_args!("cannot be read: {error}"))),
            Err(None) => {}
        }
        let tolerance = match (&verifier, self.window) {
            (Ok(verifier), _) => verifier.tolerance(),
            (Err(_), Window::Seconds(secs)) => {
                hookwarden::Tolerance::symmetric(std::time::Duration::from_secs(secs)).ok()
            }
            (Err(_), _) => scheme.tolerance(),
        };
        self.show_timestamp(inspection.timestamp, tolerance);
        self.show_body();

        // The verdict, and what probably went wrong.
        let verifier = match verifier {
            Ok(verifier) => verifier,
            Err(error) => {
                self.verdict(false, format_args!("CANNOT VERIFY ({}): {error}", error.reason()));
                let mut causes = self.other_presets(true);
                causes.likely.extend(lints);
                self.causes(&causes);
                return Code::Config;
            }
        };
        let error = match self.req().verify(&verifier, &delivery.body) {
            Ok(verified) => {
                let id = verified.id().map(|id| format!(", id {id}")).unwrap_or_default();
                self.verdict(true, format_args!("VERIFIED with key `{}`{id}", verified.key_id()));
                return Code::Ok;
            }
            Err(error) => error,
        };
        self.verdict(false, format_args!("REJECTED ({}): {error}", error.reason()));
        let causes = match &error {
            VerifyError::TimestampTooOld { .. } | VerifyError::TimestampTooNew { .. } => {
                self.stale_causes(&error, inspection.timestamp, &lints)
            }
            VerifyError::NoMatchingSignature { .. } => self.mismatch_causes(&lints),
            _ => self.header_causes(&error),
        };
        self.causes(&causes);
        Code::of(&error)
    }

    fn verdict(&self, ok: bool, text: impl Display) {
        let style = if ok { GOOD } else { BAD };
        self.emit(format!("  {} {}", paint(LABEL, format_args!("{:<10}", "verdict")), paint(style, text)));
    }

    fn causes(&self, causes: &Causes) {
        if self.quiet {
            return;
        }
        // A confirmed cause makes the guesses noise.
        let (heading, list) = if causes.found.is_empty() {
            ("likely causes, most likely first:", &causes.likely)
        } else {
            ("found:", &causes.found)
        };
        if list.is_empty() {
            return;
        }
        self.emit(paint(LABEL, heading));
        for (i, cause) in list.iter().enumerate() {
            self.emit(format!("  {}. {cause}", i + 1));
        }
    }

    /// The request's headers that any scheme reads, with their values as received.
    fn show_headers(&self, sends: &[String]) {
        let known: Vec<String> = presets::all()
            .flat_map(|scheme| scheme.header_names())
            .chain(sends.iter().cloned())
            .chain(presets::FOREIGN_HEADERS.iter().map(|(name, _)| (*name).to_owned()))
            .map(|name| name.to_ascii_lowercase())
            .collect();
        let secret_headers = self.scheme.token_headers();
        let mut shown = 0;
        for (name, value) in self.headers() {
            let lower = name.to_ascii_lowercase();
            if known.contains(&lower) {
                let label = if shown == 0 { "headers" } else { "" };
                if self.captured.is_some() && out::is_sensitive_header(&lower, &secret_headers) {
                    self.step(label, format_args!("{name}: {}", paint(DIM, "(redacted)")));
                } else if secret_headers.contains(&lower) {
                    self.step(
                        label,
                        format_args!("{name}: {}", paint(DIM, "(the shared secret: not shown)")),
                    );
                } else {
                    self.step(label, format_args!("{name}: {}", out::preview(value, 90)));
                }
                shown += 1;
            }
        }
        let missing: Vec<&str> =
            sends.iter().filter(|name| self.delivery.header(name).is_none()).map(String::as_str).collect();
        if shown == 0 {
            self.step("headers", paint(WARN, "none of the headers a webhook provider signs with"));
        } else if !missing.is_empty() {
            self.note(DIM, format_args!("not present: {}", missing.join(", ")));
        }
    }

    fn show_timestamp(&self, timestamp: Option<i64>, tolerance: Option<hookwarden::Tolerance>) {
        let name = self.scheme.name();
        if self.scheme.tolerance().is_none() {
            self.step(
                "timestamp",
                format_args!("none: {name} signs no timestamp, so only a replay store stops a captured delivery from being replayed"),
            );
            return;
        }
        let Some(ts) = timestamp else { return };
        let age = i128::from(self.now) - i128::from(ts);
        let when = match age {
            0 => "the same second as now".to_owned(),
            1.. => format!("{} before now", out::human_secs(u64::try_from(age).unwrap_or(u64::MAX))),
            _ => format!("{} AFTER now", out::human_secs(u64::try_from(-age).unwrap_or(u64::MAX))),
        };
        let window = match tolerance {
            Some(t) => {
                let inside =
                    age <= i128::from(t.past().as_secs()) && -age <= i128::from(t.future().as_secs());
                let text = format!("window {}s back, {}s ahead", t.past().as_secs(), t.future().as_secs());
                if inside {
                    format!("inside the {text}")
                } else {
                    paint(BAD, format_args!("OUTSIDE the {text}"))
                }
            }
            None => String::new(),
        };
        self.step(
            "timestamp",
            format_args!(
                "{ts} ({}), {when} ({} = {}); {window}",
                out::rfc3339(ts),
                self.now_source,
                self.now
            ),
        );
    }

    fn show_body(&self) {
        let body = &self.delivery.body;
        let kind = if body.is_empty() {
            "empty"
        } else if json::parse(body).is_some() {
            "JSON"
        } else if std::str::from_utf8(body).is_ok() {
            "text, not JSON"
        } else {
            "binary (not UTF-8)"
        };
        let mut text =
            format!("{} byte{}, sha256 {}, {kind}", body.len(), plural(body.len()), out::sha256_hex(body));
        if !body.is_empty() {
            text.push_str(if body.ends_with(b"\n") {
                ", ends with a newline"
            } else {
                ", no trailing newline"
            });
        }
        if body.windows(2).any(|w| w == b"\r\n") {
            text.push_str(", CRLF line breaks");
        }
        self.step("body", text);
        if let Some(len) = self.delivery.content_length().filter(|&len| len != body.len()) {
            self.note(WARN, format_args!("⚠ Content-Length says {len} bytes"));
        }
        if u64::try_from(body.len()).unwrap_or(u64::MAX) > hookwarden::DEFAULT_BODY_LIMIT {
            self.note(
                WARN,
                "⚠ larger than the adapters' default 1 MiB body limit: raise body_limit on this route",
            );
        }
    }

    /// A verifier that only compares signatures, for trying changed bodies and secrets.
    fn mac_only(&self, scheme: &Scheme, secrets: &[(String, Vec<u8>)]) -> Option<Verifier> {
        scheme.verifier(secrets, FixedClock::at(self.now), Window::Skip).ok()
    }

    /// Other presets this request belongs to. With `parsed_ok` false (the chosen scheme could
    /// not read the request), a preset whose headers are present is worth naming; otherwise
    /// only one that verifies is.
    fn other_presets(&self, mention_lookalikes: bool) -> Causes {
        let mut causes = Causes::default();
        for other in presets::all().filter(|other| other.name() != self.scheme.name()) {
            if other.inspect(self.req(), &self.delivery.body).parsed.is_err() {
                continue;
            }
            let name = other.name();
            let found: Vec<String> =
                other.header_names().into_iter().filter(|h| self.delivery.header(h).is_some()).collect();
            if self
                .mac_only(&other, &self.secrets)
                .is_some_and(|v| self.req().verify(&v, &self.delivery.body).is_ok())
            {
                causes.found.push(format!(
                    "this is a {name} delivery, and it verifies with `--preset {name}` and this secret"
                ));
            } else if mention_lookalikes {
                causes.likely.push(format!(
                    "this looks like a {name} delivery (it has {}): try `--preset {name}` with its secret",
                    found.join(", ")
                ));
            }
        }
        causes
    }

    /// Another spelling of the URL that verifies, for schemes that sign it.
    fn matching_url(&self, mac_only: &Verifier) -> Option<String> {
        if !self.scheme.signs_url() {
            return None;
        }
        let url = self.url.as_deref()?;
        diagnose::url_variants(url, &self.delivery).into_iter().find(|candidate| {
            Req { url: Some(candidate), ..self.req() }.verify(mac_only, &self.delivery.body).is_ok()
        })
    }

    fn header_causes(&self, error: &VerifyError) -> Causes {
        let mut causes = self.other_presets(true);
        for (header, what) in presets::FOREIGN_HEADERS {
            if self.delivery.header(header).is_some() {
                causes.likely.push(format!("the request has `{header}`: {what}"));
            }
        }
        let name = self.scheme.name();
        match error {
            VerifyError::UrlUnknown => causes.likely.push(format!(
                "{name} signs the URL the provider called: give it with --url (the public URL, as \
                 configured at the provider)"
            )),
            VerifyError::MissingHeader { header } => causes.likely.push(format!(
                "`{header}` is not in the request. If the delivery passed through a proxy, a load \
                 balancer or a framework, check that it forwards the {name} headers unchanged"
            )),
            VerifyError::DuplicateHeader { header } => causes.likely.push(format!(
                "`{header}` appears more than once: a proxy may have added a copy, or two captures were merged"
            )),
            VerifyError::MalformedHeader { header, problem } => causes.likely.push(format!(
                "`{header}` is there but malformed ({problem}): was the value copied whole, without \
                 quotes, line breaks or a prefix cut off?"
            )),
            _ => {}
        }
        causes
    }

    fn stale_causes(&self, error: &VerifyError, timestamp: Option<i64>, lints: &[String]) -> Causes {
        let mut causes = Causes::default();
        let signed_at =
            timestamp.map(|ts| format!(" (signed at {ts}, {})", out::rfc3339(ts))).unwrap_or_default();
        let signature_ok = self
            .mac_only(&self.scheme, &self.secrets)
            .is_some_and(|v| self.req().verify(&v, &self.delivery.body).is_ok());
        let too_new = matches!(error, VerifyError::TimestampTooNew { .. });
        if signature_ok {
            let replay = timestamp
                .map(|ts| format!("`--now {ts}`"))
                .unwrap_or_else(|| "`--now <unix time>`".to_owned());
            causes.found.push(format!(
                "the signature itself is valid (the secret and the body are right): only the time is \
                 outside the window{signed_at}. To check a captured delivery, verify it as of when it \
                 was received with {replay}"
            ));
        }
        let clock = if too_new {
            "a timestamp in the future means this machine's clock is behind the sender's (or \
                 --now is too early): check NTP"
        } else {
            "for live traffic: check this machine's clock (NTP), and whether the delivery was \
                 queued, retried or replayed long after it was signed"
        };
        if signature_ok {
            causes.found.push(clock.to_owned());
        } else {
            // The signature is wrong too: its causes come first, then the clock's.
            let stale = format!(
                "the timestamp is outside the window{signed_at}, and the signature would not match \
                 even at that time; for the signature:"
            );
            let mismatch = self.mismatch_causes(lints);
            if !mismatch.found.is_empty() {
                causes.found.push(stale.clone());
                causes.found.extend(mismatch.found);
            }
            causes.likely.push(stale);
            causes.likely.extend(mismatch.likely);
            causes.likely.push(clock.to_owned());
        }
        causes
    }

    fn mismatch_causes(&self, lints: &[String]) -> Causes {
        let mut causes = Causes::default();
        let body = &self.delivery.body;
        let content_length = self.delivery.content_length();
        let Some(mac_only) = self.mac_only(&self.scheme, &self.secrets) else { return causes };
        if self.scheme.is_token() {
            causes.likely.push(format!(
                "{} sends the secret itself, and the request's does not match any configured one: \
                 check that it is this hook's current secret, without whitespace",
                self.scheme.name()
            ));
            causes.likely.extend(lints.iter().cloned());
            return causes;
        }

        if let Some(url) = self.matching_url(&mac_only) {
            causes.found.push(format!(
                "the signature matches the URL {url}: the provider called that URL, not {}. Behind a \
                 proxy, load balancer or tunnel your server sees another URL than the provider called: \
                 configure the public one (WebhookVerifyLayer::public_origin, serve --public-origin)",
                self.url.as_deref().unwrap_or_default()
            ));
            return causes;
        }
        let (variant, tried) = diagnose::matching_variant(&mac_only, self.req(), body, content_length);
        if let Some(variant) = &variant {
            causes
                .found
                .push(format!("the signature matches the body {}: {}", variant.label, variant.meaning));
        }
        if body.is_empty() && content_length.is_some_and(|len| len > 0) {
            causes.likely.push(
                "the body is empty but Content-Length is not: the body was read (consumed) by \
                 something else before verification"
                    .to_owned(),
            );
        }
        let cleaned: Vec<(String, Vec<u8>)> = self
            .secrets
            .iter()
            .map(|(id, s)| {
                let trimmed = s.trim_ascii();
                let unquoted = trimmed
                    .strip_prefix(b"\"")
                    .and_then(|s| s.strip_suffix(b"\""))
                    .or_else(|| trimmed.strip_prefix(b"'").and_then(|s| s.strip_suffix(b"'")))
                    .unwrap_or(trimmed);
                (id.clone(), unquoted.to_vec())
            })
            .collect();
        if cleaned != self.secrets
            && self.mac_only(&self.scheme, &cleaned).is_some_and(|v| self.req().verify(&v, body).is_ok())
        {
            causes.found.push(
                "the signature matches once the secret's surrounding whitespace and quotes are removed"
                    .to_owned(),
            );
        }
        causes.extend(self.other_presets(false));
        causes.likely.extend(lints.iter().cloned());
        if variant.is_none() && !body.is_empty() {
            let json = if json::parse(body).is_some() {
                " and JSON re-serialisations (compact, pretty, sorted keys, Python and PHP styles)"
            } else {
                ""
            };
            causes.likely.push(format!(
                "none of the {tried} usual changes to a body (trailing newline, line endings, \
                 whitespace{json}) verify either: if the body is exactly as received, suspect the secret"
            ));
        }
        causes
            .likely
            .extend(presets::mismatch_hints(self.scheme.name()).iter().map(|hint| (*hint).to_owned()));
        causes.likely.push(
            "the secret may belong to another endpoint or environment (test/live, staging), or have \
             been rotated: give the previous one too with a second --secret"
                .to_owned(),
        );
        causes
    }
}

/// What probably went wrong: `found` holds causes a check confirmed (a changed body or another
/// preset that verifies), `likely` the ones worth checking.
#[derive(Debug, Default)]
struct Causes {
    found: Vec<String>,
    likely: Vec<String>,
}

impl Causes {
    fn extend(&mut self, other: Causes) {
        self.found.extend(other.found);
        self.likely.extend(other.likely);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use hookwarden::headers::HeaderName;
    use hookwarden::scheme::Request;
    use hookwarden::scheme::{self, Signed};
    use hookwarden::{Algorithm, KeyFormat, Message, SignError, SignedHeaders, Tag, Tolerance};

    use super::*;

    const SIGNATURE: HeaderName = HeaderName::from_static("x-url-signature");

    /// A provider that signs `{url}{body}`, as Square does.
    #[derive(Debug, Clone)]
    struct SignsUrl;

    impl hookwarden::Scheme for SignsUrl {
        fn name(&self) -> &'static str {
            "signs-url"
        }
        fn algorithm(&self) -> Algorithm {
            Algorithm::HmacSha256
        }
        fn key_format(&self) -> KeyFormat {
            KeyFormat::Raw
        }
        fn tolerance(&self) -> Option<Tolerance> {
            None
        }
        fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
            let hex = scheme::required(request, &SIGNATURE)?;
            let tag =
                Tag::from_hex(hex, Algorithm::HmacSha256).map_err(|p| scheme::malformed(&SIGNATURE, p))?;
            signed.push_signature(tag).map_err(|p| scheme::malformed(&SIGNATURE, p))?;
            signed.set_url(scheme::url(request)?);
            Ok(())
        }
        fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
            feed(signed.url().unwrap_or_default().as_bytes());
            feed(body);
        }
        fn write_headers(
            &self,
            signed: &Signed<'_>,
            tag: &Tag,
            out: &mut SignedHeaders,
        ) -> Result<(), SignError> {
            signed.url().ok_or(SignError::MissingUrl)?;
            out.push(SIGNATURE.as_str(), scheme::hex(tag));
            Ok(())
        }
    }

    fn check(url: Option<&str>, extra: &[(&str, &str)]) -> Check {
        let secret = b"a-long-enough-secret".to_vec();
        let scheme = Scheme::from_scheme(SignsUrl);
        let signer =
            scheme.verifier(&[("default".into(), secret.clone())], SystemClock, Window::Default).unwrap();
        let signed =
            signer.sign(&Message::new(b"{}").method("POST").url("https://hooks.example.com/square")).unwrap();
        let mut delivery = Delivery { body: b"{}".to_vec(), ..Delivery::default() };
        for (name, value) in signed.iter().chain(extra.iter().copied()) {
            delivery.headers.push((name.to_owned(), value.as_bytes().to_vec()));
        }
        Check {
            scheme,
            secrets: vec![("default".into(), secret)],
            delivery,
            now: 0,
            now_source: "--now",
            window: Window::Default,
            quiet: true,
            method: "POST".into(),
            url: url.map(str::to_owned),
            url_source: "--url",
            captured: None,
        }
    }

    #[test]
    fn url_signing_schemes_are_recognised() {
        assert!(Scheme::from_scheme(SignsUrl).signs_url());
        assert!(!presets::all().any(|scheme| scheme.name() == "stripe" && scheme.signs_url()));
    }

    #[test]
    fn the_url_the_provider_called_is_found_behind_a_proxy() {
        assert_eq!(check(Some("https://hooks.example.com/square"), &[]).run(), Code::Ok);
        let behind =
            check(Some("http://localhost:3000/square"), &[("X-Forwarded-Host", "hooks.example.com")]);
        assert_eq!(behind.run(), Code::Mismatch);
        let causes = behind.mismatch_causes(&[]);
        assert_eq!(causes.found.len(), 1, "{causes:?}");
        assert!(causes.found[0].contains("matches the URL https://hooks.example.com/square"), "{causes:?}");
        assert_eq!(check(None, &[]).run(), Code::Usage);
    }
}
