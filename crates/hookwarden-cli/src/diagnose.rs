//! Likely causes of a failed verification, found by trying what usually went wrong.
//!
//! Nothing here computes or prints a MAC: every check asks a [`Verifier`] whether a changed
//! body or secret *would* verify, and reports only yes or no.

use hookwarden::Verifier;

use crate::input::Delivery;
use crate::json::{self, Escape, Style};
use crate::presets::{self, Req, Scheme};

/// A body the signature might match instead of the one given.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    /// What was changed, completing "the signature matches the body ...".
    pub(crate) label: String,
    /// What this means for the user.
    pub(crate) meaning: &'static str,
    pub(crate) body: Vec<u8>,
}

const EDITED: &str = "the bytes you verified differ from the ones the sender signed only in this \
                      whitespace: verify the raw body exactly as received (a capture saved with an \
                      editor, `echo` or a heredoc often gains or loses a final newline)";
const RESERIALISED: &str = "the body was parsed and written out again before verification, so its \
                            bytes changed: verify the raw body as received, before any JSON parser \
                            (express.json(), a framework's Json extractor, a logger that pretty-prints)";

/// Bodies that differ from `body` the way bodies usually get changed on their way to a verifier:
/// a trailing newline, line endings, and JSON re-serialised by common libraries.
pub(crate) fn body_variants(body: &[u8], content_length: Option<usize>) -> Vec<Variant> {
    let mut variants: Vec<Variant> = Vec::new();
    let mut add = |label: String, meaning: &'static str, candidate: Vec<u8>| {
        if candidate != body && !variants.iter().any(|v| v.body == candidate) {
            variants.push(Variant { label, meaning, body: candidate });
        }
    };

    if let Some(len) = content_length.filter(|&len| len < body.len()) {
        add(format!("cut to its Content-Length of {len} bytes"), EDITED, body[..len].to_vec());
    }
    if let Some(stripped) = body.strip_suffix(b"\r\n").or_else(|| body.strip_suffix(b"\n")) {
        add("without its trailing newline".to_owned(), EDITED, stripped.to_vec());
    } else {
        add("with a trailing newline".to_owned(), EDITED, [body, b"\n"].concat());
    }
    add("with surrounding whitespace trimmed".to_owned(), EDITED, body.trim_ascii().to_vec());
    if body.windows(2).any(|w| w == b"\r\n") {
        let lf = replace(body, b"\r\n", b"\n");
        add("with CRLF line endings turned into LF".to_owned(), EDITED, lf.clone());
        if let Some(stripped) = lf.strip_suffix(b"\n") {
            add("with LF line endings and no trailing newline".to_owned(), EDITED, stripped.to_vec());
        }
    } else if body.contains(&b'\n') {
        add("with LF line endings turned into CRLF".to_owned(), EDITED, replace(body, b"\n", b"\r\n"));
    }

    if let Some(value) = json::parse(body) {
        let compact = Style::COMPACT;
        let python = Style { item_separator: ", ", key_separator: ": ", escape: Escape::Ascii, ..compact };
        let styles: [(&str, Style); 9] = [
            ("as compact JSON (JSON.stringify, serde_json::to_string)", compact),
            ("as compact JSON with non-ASCII escaped as \\uXXXX", Style { escape: Escape::Ascii, ..compact }),
            ("as JSON with `, ` and `: ` separators (Python json.dumps)", python),
            (
                "as JSON with `, ` and `: ` separators and non-ASCII kept (Python ensure_ascii=False)",
                Style { escape: Escape::Minimal, ..python },
            ),
            (
                "as compact JSON with sorted keys (a map that reorders keys)",
                Style { sort_keys: true, ..compact },
            ),
            ("as Python json.dumps(sort_keys=True) output", Style { sort_keys: true, ..python }),
            (
                "as JSON with escaped slashes and \\uXXXX (PHP json_encode)",
                Style { escape: Escape::Php, ..compact },
            ),
            (
                "as pretty-printed JSON, 2-space indent (JSON.stringify(body, null, 2), serde_json::to_string_pretty)",
                Style { indent: Some(2), key_separator: ": ", ..compact },
            ),
            (
                "as pretty-printed JSON, 4-space indent (Python json.dumps(indent=4))",
                Style { indent: Some(4), key_separator: ": ", escape: Escape::Ascii, ..compact },
            ),
        ];
        for (label, style) in styles {
            let written = json::write(&value, &style).into_bytes();
            add(label.to_owned(), RESERIALISED, written.clone());
            if style.indent.is_some() {
                add(
                    format!("{label}, with a trailing newline"),
                    RESERIALISED,
                    [&written[..], b"\n"].concat(),
                );
            }
        }
        let pretty4 = Style { indent: Some(4), key_separator: ": ", ..compact };
        add(
            "as pretty-printed JSON, 4-space indent, non-ASCII kept".to_owned(),
            RESERIALISED,
            json::write(&value, &pretty4).into_bytes(),
        );
    }
    variants
}

fn replace(body: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            rest = &rest[from.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

/// The first variant of `body` that verifies with `verifier` (which should skip the timestamp
/// check, so only the signature is compared).
pub(crate) fn matching_variant(
    verifier: &Verifier,
    req: Req<'_>,
    body: &[u8],
    content_length: Option<usize>,
) -> (Option<Variant>, usize) {
    let variants = body_variants(body, content_length);
    let tried = variants.len();
    (variants.into_iter().find(|v| req.verify(verifier, &v.body).is_ok()), tried)
}

/// Other spellings of `url` that a provider may have called while the receiver saw `url`: the
/// other scheme, with or without the port, the host a proxy forwarded, a trailing slash, no query.
pub(crate) fn url_variants(url: &str, delivery: &Delivery) -> Vec<String> {
    let Some((_, rest)) = url.split_once("://") else { return Vec::new() };
    let (authority, path_query) = rest.find('/').map_or((rest, "/"), |at| rest.split_at(at));
    let (path, query) = path_query.split_once('?').map_or((path_query, None), |(p, q)| (p, Some(q)));
    let host_only = authority.rsplit_once(':').map_or(authority, |(host, _)| host);

    let forwarded = |name: &str| {
        delivery
            .header(name)
            .map(|v| String::from_utf8_lossy(v).split(',').next().unwrap_or_default().trim().to_owned())
    };
    let mut schemes = vec!["https".to_owned(), "http".to_owned()];
    if let Some(proto) = forwarded("x-forwarded-proto") {
        schemes.insert(0, proto);
    }
    let mut hosts = vec![authority.to_owned(), host_only.to_owned()];
    if let Some(host) = forwarded("x-forwarded-host") {
        hosts.insert(0, host);
    }
    if let Some(host) = delivery.header("host") {
        hosts.push(String::from_utf8_lossy(host).into_owned());
    }
    let toggled = path.strip_suffix('/').map_or_else(|| format!("{path}/"), str::to_owned);
    let paths = [path.to_owned(), toggled];
    let queries: Vec<String> = match query {
        Some(query) => vec![format!("?{query}"), String::new()],
        None => vec![String::new()],
    };

    let mut variants: Vec<String> = Vec::new();
    for scheme_name in &schemes {
        let default_port = if scheme_name == "https" { ":443" } else { ":80" };
        for host in &hosts {
            let host_only = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h);
            for host in [host.clone(), format!("{host_only}{default_port}")] {
                for path in &paths {
                    for query in &queries {
                        let candidate = format!("{scheme_name}://{host}{path}{query}");
                        if candidate != url && !variants.contains(&candidate) {
                            variants.push(candidate);
                        }
                    }
                }
            }
        }
    }
    variants
}

/// Mistakes visible in a secret itself, for the key `id`. Never quotes the secret.
pub(crate) fn secret_lints(scheme: &Scheme, id: &str, secret: &[u8]) -> Vec<String> {
    let mut lints = Vec::new();
    let name = scheme.name();
    if secret.first().is_some_and(u8::is_ascii_whitespace)
        || secret.last().is_some_and(u8::is_ascii_whitespace)
    {
        lints.push(format!(
            "secret `{id}` starts or ends with whitespace or a newline (copied with it, or read from a file?)"
        ));
    } else if secret.iter().any(u8::is_ascii_whitespace) {
        lints.push(format!("secret `{id}` contains whitespace: was it copied whole?"));
    }
    if secret.len() >= 2
        && (secret.starts_with(b"\"") && secret.ends_with(b"\"")
            || secret.starts_with(b"'") && secret.ends_with(b"'"))
    {
        lints.push(format!("secret `{id}` is wrapped in quotes, which become part of the secret"));
    }
    let trimmed = secret.trim_ascii();
    if let Some((_, what)) =
        presets::CREDENTIAL_PREFIXES.iter().find(|(p, _)| trimmed.starts_with(p.as_bytes()))
    {
        lints.push(format!(
            "secret `{id}` looks like {what}, not a webhook signing secret: use the signing secret of \
             the webhook endpoint"
        ));
    }
    let whsec = trimmed.starts_with(b"whsec_");
    match scheme.key_format() {
        hookwarden::KeyFormat::WhsecBase64 if !whsec => lints.push(format!(
            "secret `{id}` has no `whsec_` prefix, so it is read as base64; {name} secrets look like \
             `whsec_` + base64. If it is a raw secret from another provider, use that provider's preset"
        )),
        hookwarden::KeyFormat::Raw if whsec && !scheme.wants_raw_whsec() => lints.push(format!(
            "secret `{id}` is a `whsec_` secret (the Standard Webhooks, Svix or Stripe format), but \
             {name} uses its secret as it is: is it this provider's secret?"
        )),
        _ => {}
    }
    lints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_cover_newlines_and_json_styles() {
        let body = b"{\"a\": 1, \"b\": [1, 2]}\n";
        let labels: Vec<String> = body_variants(body, None).into_iter().map(|v| v.label).collect();
        assert!(labels.iter().any(|l| l.contains("without its trailing newline")));
        assert!(labels.iter().any(|l| l.starts_with("as compact JSON")));
        assert!(labels.iter().any(|l| l.contains("2-space indent")));
        let compact = body_variants(b"{\"a\":1}", None);
        assert!(compact.iter().all(|v| v.body != b"{\"a\":1}"));
        assert!(compact.iter().any(|v| v.body == b"{\"a\": 1}"));
    }

    #[test]
    fn url_variants_cover_proxies_and_ports() {
        let mut delivery = Delivery::default();
        delivery.headers.push(("X-Forwarded-Proto".into(), b"https".to_vec()));
        delivery.headers.push(("X-Forwarded-Host".into(), b"hooks.example.com".to_vec()));
        let variants = url_variants("http://localhost:3000/twilio?x=1", &delivery);
        for expected in [
            "https://hooks.example.com/twilio?x=1",
            "https://hooks.example.com:443/twilio?x=1",
            "https://localhost:3000/twilio?x=1",
            "http://localhost/twilio?x=1",
            "http://localhost:3000/twilio/?x=1",
            "http://localhost:3000/twilio",
        ] {
            assert!(variants.iter().any(|v| v == expected), "{expected} missing from {variants:#?}");
        }
        assert!(!variants.iter().any(|v| v == "http://localhost:3000/twilio?x=1"));
        assert!(url_variants("not a url", &delivery).is_empty());
    }

    #[test]
    fn content_length_cuts_are_tried() {
        let variants = body_variants(b"abcdef", Some(3));
        assert_eq!(variants[0].body, b"abc");
    }

    #[test]
    fn lints_name_the_key_but_never_quote_the_secret() {
        let stripe = presets::all().find(|s| s.name() == "stripe").unwrap();
        let github = presets::all().find(|s| s.name() == "github").unwrap();
        let standard = presets::all().find(|s| s.name() == "standard-webhooks").unwrap();
        let lints = secret_lints(&github, "default", b"whsec_c2VjcmV0c2VjcmV0c2VjcmV0\n");
        assert_eq!(lints.len(), 2, "{lints:?}");
        assert!(lints.iter().all(|l| !l.contains("c2Vj")));
        assert!(secret_lints(&stripe, "default", b"whsec_abc").is_empty());
        assert_eq!(secret_lints(&standard, "k", b"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").len(), 1);
        assert!(secret_lints(&stripe, "k", b"sk_test_123")[0].contains("Stripe secret API key"));
    }
}
