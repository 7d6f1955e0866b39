//! A scheme configured without code, for providers that have no preset.

use std::time::Duration;

use crate::error::{ConfigError, SignError, VerifyError};
use crate::headers::HeaderName;
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;

/// How a custom scheme writes its signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// Lowercase hex.
    Hex,
    /// Standard, padded base64.
    Base64,
}

/// An HMAC scheme described by configuration: header names, signature prefix and encoding,
/// algorithm, and the layout of the signed content as a template.
///
/// The template names the signed pieces: `{body}` (required, once), `{timestamp}`, `{id}`, and
/// literal text between them (`{{` and `}}` for braces). A timestamp or id header must appear
/// in the template: a value that is not signed is never trusted.
///
/// # Example: a provider that sends `X-Signature: sha256=<hex>` over `{timestamp}.{body}`
///
/// ```
/// use hookwarden::scheme::{Custom, Encoding};
/// use hookwarden::{Algorithm, Message, Verifier};
///
/// let scheme = Custom::builder("x-signature")
///     .prefix("sha256=")
///     .encoding(Encoding::Hex)
///     .algorithm(Algorithm::HmacSha256)
///     .timestamp_header("x-timestamp")
///     .content("{timestamp}.{body}")
///     .build()?;
/// let verifier = Verifier::builder(scheme).secret("a-long-enough-secret").build()?;
///
/// let headers = verifier.sign(&Message::new(b"{}"))?;
/// assert!(headers.get("x-signature").unwrap().starts_with("sha256="));
/// assert!(verifier.verify(&headers, b"{}").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Custom {
    signature: HeaderName,
    prefix: Box<[u8]>,
    separator: Option<u8>,
    encoding: Encoding,
    algorithm: Algorithm,
    timestamp: Option<HeaderName>,
    id: Option<HeaderName>,
    content: Box<[Piece]>,
    key_format: KeyFormat,
    tolerance: Tolerance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(Box<[u8]>),
    Id,
    Timestamp,
    Body,
}

impl Custom {
    /// Starts a scheme whose signature is in `signature_header`.
    pub fn builder(signature_header: impl Into<String>) -> CustomBuilder {
        CustomBuilder {
            signature: signature_header.into(),
            prefix: String::new(),
            separator: None,
            encoding: Encoding::Hex,
            algorithm: Algorithm::HmacSha256,
            timestamp: None,
            id: None,
            content: "{body}".to_owned(),
            key_format: KeyFormat::Raw,
            tolerance: Tolerance::FIVE_MINUTES,
        }
    }

    fn decode(&self, encoded: &[u8]) -> Result<Tag, &'static str> {
        match self.encoding {
            Encoding::Hex => Tag::from_hex(encoded, self.algorithm),
            Encoding::Base64 => Tag::from_base64(encoded, self.algorithm),
        }
    }

    fn encode(&self, tag: &Tag) -> String {
        match self.encoding {
            Encoding::Hex => scheme::hex(tag),
            Encoding::Base64 => scheme::base64(tag),
        }
    }
}

impl Scheme for Custom {
    fn name(&self) -> &'static str {
        "custom"
    }

    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        self.key_format
    }

    fn tolerance(&self) -> Option<Tolerance> {
        self.timestamp.as_ref().map(|_| self.tolerance)
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        if let Some(name) = &self.id {
            let raw = scheme::required(request, name)?;
            signed.set_id(raw).map_err(|problem| scheme::malformed(name, problem))?;
        }
        if let Some(name) = &self.timestamp {
            let raw = scheme::required(request, name)?;
            signed.set_timestamp(
                Timestamp::parse_seconds(raw).map_err(|problem| scheme::malformed(name, problem))?,
            );
        }
        let malformed = |problem| scheme::malformed(&self.signature, problem);
        let value = scheme::required(request, &self.signature)?;
        let mut push = |entry: &[u8]| {
            let encoded =
                entry.strip_prefix(&*self.prefix).ok_or_else(|| malformed("signature lacks its prefix"))?;
            signed.push_signature(self.decode(encoded).map_err(malformed)?).map_err(malformed)
        };
        match self.separator {
            Some(separator) => scheme::split(value, separator).try_for_each(&mut push),
            None => push(value),
        }
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        for piece in &self.content {
            match piece {
                Piece::Literal(bytes) => feed(bytes),
                Piece::Id => feed(signed.id_bytes()),
                Piece::Timestamp => feed(signed.timestamp_bytes()),
                Piece::Body => feed(body),
            }
        }
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        if let Some(name) = &self.id {
            out.push(name.as_str(), signed.id().ok_or(SignError::MissingId)?);
        }
        if let Some(name) = &self.timestamp {
            out.push(name.as_str(), String::from_utf8_lossy(signed.timestamp_bytes()));
        }
        let prefix = String::from_utf8_lossy(&self.prefix);
        out.push(self.signature.as_str(), format!("{prefix}{}", self.encode(tag)));
        Ok(())
    }
}

/// Configures a [`Custom`] scheme; [`build`](Self::build) checks it.
#[derive(Debug, Clone)]
#[must_use]
pub struct CustomBuilder {
    signature: String,
    prefix: String,
    separator: Option<char>,
    encoding: Encoding,
    algorithm: Algorithm,
    timestamp: Option<String>,
    id: Option<String>,
    content: String,
    key_format: KeyFormat,
    tolerance: Tolerance,
}

impl CustomBuilder {
    /// Text before each signature, such as `sha256=` (default: none).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The ASCII character between several signatures in one header (default: one signature).
    /// It may not occur in the prefix or in the encoding (hex digits; base64 letters, digits,
    /// `+`, `/`, `=`).
    pub fn separator(mut self, separator: char) -> Self {
        self.separator = Some(separator);
        self
    }

    /// Hex or base64 (default: hex).
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The HMAC (default: HMAC-SHA256).
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The header holding the signed timestamp, in Unix seconds.
    pub fn timestamp_header(mut self, name: impl Into<String>) -> Self {
        self.timestamp = Some(name.into());
        self
    }

    /// The header holding the signed delivery id.
    pub fn id_header(mut self, name: impl Into<String>) -> Self {
        self.id = Some(name.into());
        self
    }

    /// The signed content as a template (default: `{body}`).
    pub fn content(mut self, template: impl Into<String>) -> Self {
        self.content = template.into();
        self
    }

    /// How secrets are decoded (default: [`KeyFormat::Raw`]).
    pub fn key_format(mut self, format: KeyFormat) -> Self {
        self.key_format = format;
        self
    }

    /// The default timestamp window, which a verifier may still override (default: five
    /// minutes either way).
    ///
    /// # Errors
    ///
    /// [`ConfigError::ZeroTolerance`] when either side is zero.
    pub fn tolerance(mut self, past: Duration, future: Duration) -> Result<Self, ConfigError> {
        self.tolerance = Tolerance::new(past, future)?;
        Ok(self)
    }

    /// Checks the configuration.
    ///
    /// # Errors
    ///
    /// An invalid header name, one header named for two roles, a template that is malformed,
    /// lacks `{body}`, or leaves a configured timestamp or id header unsigned (or uses one that
    /// is not configured).
    pub fn build(self) -> Result<Custom, ConfigError> {
        let invalid = |problem: &str| ConfigError::InvalidScheme { problem: problem.to_owned() };
        let content = parse_template(&self.content).map_err(invalid)?;
        let count = |piece: &Piece| content.iter().filter(|p| *p == piece).count();
        if count(&Piece::Body) != 1 {
            return Err(invalid("the content template must contain `{body}` exactly once"));
        }
        for (piece, header, name) in
            [(Piece::Timestamp, &self.timestamp, "timestamp"), (Piece::Id, &self.id, "id")]
        {
            match (count(&piece), header) {
                (0, Some(_)) => {
                    return Err(invalid(&format!(
                        "the {name} header is not in the content template, so it is not signed"
                    )));
                }
                (1.., None) => {
                    return Err(invalid(&format!("`{{{name}}}` is used but no {name} header is set")));
                }
                _ => {}
            }
        }
        if self.algorithm == Algorithm::Token {
            return Err(invalid("a token is not a signature: custom schemes verify a MAC or a signature"));
        }
        // A separator that can occur inside an encoded signature would split it.
        let encodes = |c: char| match self.encoding {
            Encoding::Hex => c.is_ascii_hexdigit(),
            Encoding::Base64 => c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='),
        };
        let separator = match self.separator {
            Some(c) if c.is_ascii() && !self.prefix.contains(c) && !encodes(c) => Some(c as u8),
            Some(_) => {
                return Err(invalid(
                    "the separator must be ASCII, and part of neither the prefix nor the signature's encoding",
                ));
            }
            None => None,
        };
        let signature = HeaderName::new(&self.signature)?;
        let timestamp = self.timestamp.as_deref().map(HeaderName::new).transpose()?;
        let id = self.id.as_deref().map(HeaderName::new).transpose()?;
        // One header in two roles would be sent twice, and a repeated header is refused.
        let names = [Some(&signature), timestamp.as_ref(), id.as_ref()];
        if names.iter().enumerate().any(|(i, a)| a.is_some() && names[i + 1..].contains(a)) {
            return Err(invalid("the signature, timestamp and id headers must be three different headers"));
        }
        Ok(Custom {
            signature,
            prefix: self.prefix.into_bytes().into(),
            separator,
            encoding: self.encoding,
            algorithm: self.algorithm,
            timestamp,
            id,
            content: content.into(),
            key_format: self.key_format,
            tolerance: self.tolerance,
        })
    }
}

/// Splits a template such as `v0:{timestamp}:{body}` into pieces.
fn parse_template(template: &str) -> Result<Vec<Piece>, &'static str> {
    let mut pieces = Vec::new();
    let mut literal = Vec::new();
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            literal.push(b'{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            literal.push(b'}');
            rest = after;
        } else if c == '{' {
            let end = rest.find('}').ok_or("`{` without a closing `}`")?;
            let piece = match &rest[1..end] {
                "body" => Piece::Body,
                "timestamp" => Piece::Timestamp,
                "id" => Piece::Id,
                _ => return Err("unknown placeholder: use {body}, {timestamp} or {id}"),
            };
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal).into()));
            }
            pieces.push(piece);
            rest = &rest[end + 1..];
        } else if c == '}' {
            return Err("`}` without an opening `{`");
        } else {
            let mut buf = [0; 4];
            literal.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            rest = &rest[c.len_utf8()..];
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal.into()));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FixedClock, Message, Verifier};

    #[test]
    fn templates_parse_into_pieces() {
        assert_eq!(
            parse_template("v0:{timestamp}:{body}").unwrap(),
            vec![
                Piece::Literal((*b"v0:").into()),
                Piece::Timestamp,
                Piece::Literal((*b":").into()),
                Piece::Body
            ]
        );
        assert_eq!(
            parse_template("{{{body}}}").unwrap(),
            vec![Piece::Literal((*b"{").into()), Piece::Body, Piece::Literal((*b"}").into())]
        );
        for bad in ["{body", "body}", "{nope}", "{}"] {
            assert!(parse_template(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unsafe_configurations_are_refused() {
        let refused = |builder: CustomBuilder| builder.build().unwrap_err().reason();
        assert_eq!(refused(Custom::builder("x-sig").content("{timestamp}")), "invalid_scheme");
        assert_eq!(refused(Custom::builder("x-sig").content("{body}{body}")), "invalid_scheme");
        assert_eq!(refused(Custom::builder("x-sig").timestamp_header("x-ts")), "invalid_scheme");
        assert_eq!(refused(Custom::builder("x-sig").content("{id}.{body}")), "invalid_scheme");
        assert_eq!(refused(Custom::builder("x sig")), "invalid_header_name");
        assert_eq!(refused(Custom::builder("x-sig").prefix("a,").separator(',')), "invalid_scheme");
        // Found by fuzz/custom_config: one header in two roles is sent twice, then refused as
        // repeated, so nothing the scheme signed verified.
        let with_id = |name| Custom::builder("x-sig").id_header(name).content("{id}.{body}");
        assert_eq!(refused(with_id("X-Sig")), "invalid_scheme");
        assert_eq!(
            refused(with_id("x-ts").timestamp_header("x-ts").content("{id}.{timestamp}.{body}")),
            "invalid_scheme"
        );
        // Found by fuzz/custom_config: a separator from the encoding's alphabet split the
        // scheme's own signatures, so nothing it signed ever verified.
        assert_eq!(refused(Custom::builder("x-sig").separator('1')), "invalid_scheme");
        assert_eq!(
            refused(Custom::builder("x-sig").encoding(Encoding::Base64).separator('=')),
            "invalid_scheme"
        );
    }

    #[test]
    fn reproduces_slack_from_configuration() {
        let slack = Custom::builder("X-Slack-Signature")
            .prefix("v0=")
            .timestamp_header("X-Slack-Request-Timestamp")
            .content("v0:{timestamp}:{body}")
            .build()
            .unwrap();
        let verifier = Verifier::builder(slack)
            .secret("8f742231b10e8888abcd99yyyzzz85a5")
            .clock(FixedClock::at(1531420618))
            .build()
            .unwrap();
        let headers = verifier.sign(&Message::new(b"a=b").timestamp(1531420618)).unwrap();
        let preset = Verifier::builder(crate::preset::Slack)
            .secret("8f742231b10e8888abcd99yyyzzz85a5")
            .clock(FixedClock::at(1531420618))
            .build()
            .unwrap();
        assert!(preset.verify(&headers, b"a=b").is_ok());
    }

    #[test]
    fn several_signatures_with_ids_and_sha512() {
        let scheme = Custom::builder("x-sig")
            .separator(' ')
            .encoding(Encoding::Base64)
            .algorithm(Algorithm::HmacSha512)
            .id_header("x-id")
            .content("{id}|{body}")
            .build()
            .unwrap();
        let verifier = Verifier::builder(scheme).secret("a-long-enough-secret").build().unwrap();
        let signed = verifier.sign(&Message::new(b"\xff\x00").id("evt_9")).unwrap();
        let decoy = format!("{}==", "A".repeat(86));
        let list = format!("{decoy} {}", signed.get("x-sig").unwrap());
        let headers = [("x-id", "evt_9"), ("x-sig", list.as_str())];
        assert_eq!(verifier.verify(&headers[..], b"\xff\x00").unwrap().id(), Some("evt_9"));
    }
}
