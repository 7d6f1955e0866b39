//! Twilio.

use super::form;
use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::{HeaderName, Lookup};
use crate::key::KeyFormat;
use crate::mac::{Algorithm, Tag};
use crate::scheme::{self, Encoding, Request, Scheme, Signed};
use crate::sign::SignedHeaders;
use crate::tolerance::Tolerance;

static SIGNATURE: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-twilio-signature"),
    display: "X-Twilio-Signature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha1,
};

static SIGNATURE_SHA256: SignatureHeader = SignatureHeader {
    name: HeaderName::from_static("x-twilio-signature"),
    display: "X-Twilio-Signature",
    prefix: "",
    encoding: Encoding::Base64,
    algorithm: Algorithm::HmacSha256,
};

/// The header with which Twilio announces a SharedKey signature, such as
/// `key=webhooks_sharedkey_...,algorithm=HMAC_SHA256`.
static SETTINGS: HeaderName = HeaderName::from_static("x-twilio-webhooks-signature-settings");

/// The settings header's spelling, for signing.
const SETTINGS_DISPLAY: &str = "X-Twilio-Webhooks-Signature-Settings";

/// [Twilio](https://www.twilio.com/docs/usage/webhooks/webhooks-security) (Voice, Messaging
/// and other webhooks): HMAC-SHA1 over the URL Twilio called and the form parameters.
///
/// - Header: `X-Twilio-Signature: <base64>`.
/// - Signed content: the full public URL as configured at Twilio (scheme, host, port, path,
///   query), then every POSTed form parameter sorted by name (then value), each as
///   `name` + `value`, decoded, without separators. Repeated identical pairs count once.
/// - JSON bodies: Twilio adds `bodySHA256=<hex SHA-256 of the body>` to the URL's query and
///   signs the URL alone; the body must then hash to that value.
/// - Like Twilio's SDKs, the URL is tried as received and with its port toggled (`:443` or
///   `:80` added when absent, an explicit port removed), because Twilio is inconsistent there.
/// - Secret: the account's Auth Token, used as it is.
/// - The URL must be the **public** one: give it through
///   [`Request::url`](crate::scheme::Request::url) (the adapters take it from their configuration);
///   without it verification fails with [`VerifyError::UrlUnknown`] (500).
/// - Twilio signs **no timestamp and no id**: only a replay store stops a captured request from
///   being replayed. Replay identity: a digest of the URL without its port and the sorted
///   parameters (or the body's hash), so that both port spellings give the same key.
/// - Deliveries signed with a SharedKey carry `X-Twilio-Webhooks-Signature-Settings`; they are
///   refused here (`malformed_header`, naming [`TwilioSharedKey`]), since the Auth Token did
///   not sign them.
///
/// # Example: the vector from Twilio's Python SDK tests
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{Message, Verifier, preset::Twilio};
///
/// let verifier = Verifier::builder(Twilio).secret("12345-auth-token-67890").build()?;
/// let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
/// let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
/// let headers = verifier.sign(&Message::new(body).url(url))?;
/// assert!(verifier.verify_request(&Request::new(&headers, body).url(url)).is_ok());
/// assert_eq!(verifier.verify(&headers, body).unwrap_err().reason(), "url_unknown");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Twilio;

impl Scheme for Twilio {
    fn name(&self) -> &'static str {
        "twilio"
    }

    fn algorithm(&self) -> Algorithm {
        SIGNATURE.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        // A SharedKey delivery is signed with another secret (and maybe another algorithm):
        // the Auth Token cannot verify it, and saying so beats a signature "of the wrong length".
        if !matches!(request.headers.lookup(&SETTINGS), Lookup::Missing) {
            return Err(scheme::malformed(
                &SETTINGS,
                "the delivery is signed with a SharedKey: verify it with the `twilio-shared-key` preset \
                 (TwilioSharedKey) and the SharedKey secret, not the Auth Token",
            ));
        }
        parse_signed(&SIGNATURE, request, signed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        signed_content(signed, body, feed);
    }

    fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        identity_content(signed, body, feed);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        signed.url().ok_or(SignError::MissingUrl)?;
        SIGNATURE.write(tag, out);
        Ok(())
    }
}

/// Twilio webhooks signed with a **SharedKey** instead of the Auth Token: the scheme of
/// [`Twilio`], announced by `X-Twilio-Webhooks-Signature-Settings`, whose `algorithm=` may name
/// HMAC-SHA256.
///
/// - Headers: `X-Twilio-Signature: <base64>` and
///   `X-Twilio-Webhooks-Signature-Settings: key=<SharedKey sid>,algorithm=HMAC_SHA256`. As in
///   Twilio's SDK (npm `twilio` 6.3 `getSignatureAlgorithm`), the settings are `,`-separated
///   `name=value` pairs, trimmed; no `algorithm=` (or an empty one) means HMAC_SHA1, and the
///   name is compared without regard to case.
/// - The settings header is required: without it Twilio signed with the Auth Token ([`Twilio`]).
/// - One verifier verifies one algorithm: [`TwilioSharedKey::default`] takes HMAC-SHA256,
///   [`TwilioSharedKey::sha1`] HMAC-SHA1. A delivery announcing the other one, or an algorithm
///   Twilio's SDK does not know, is refused as `malformed_header` (400), never tried.
/// - Signed content, URL rules, replay identity: as [`Twilio`].
/// - Secret: the SharedKey secret, used as it is.
///
/// # Example
///
/// ```
/// use hookwarden::scheme::Request;
/// use hookwarden::{Message, Verifier, preset::TwilioSharedKey};
///
/// let verifier = Verifier::builder(TwilioSharedKey::default()).secret("twilio-shared-key-secret").build()?;
/// let url = "https://example.com/sms";
/// let body = b"MessageSid=SM123&Body=hello";
/// let headers = verifier.sign(&Message::new(body).url(url))?;
/// assert_eq!(headers.get("X-Twilio-Webhooks-Signature-Settings"), Some("algorithm=HMAC_SHA256"));
/// assert!(verifier.verify_request(&Request::new(&headers, body).url(url)).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TwilioSharedKey {
    signature: &'static SignatureHeader,
}

impl Default for TwilioSharedKey {
    /// HMAC-SHA256, the algorithm SharedKeys are made for.
    fn default() -> Self {
        Self { signature: &SIGNATURE_SHA256 }
    }
}

impl TwilioSharedKey {
    /// SharedKey deliveries whose settings announce HMAC_SHA1 (or no algorithm).
    pub fn sha1() -> Self {
        Self { signature: &SIGNATURE }
    }

    /// The algorithm's name as Twilio writes it.
    fn announced(self) -> &'static str {
        match self.signature.algorithm {
            Algorithm::HmacSha1 => "HMAC_SHA1",
            _ => "HMAC_SHA256",
        }
    }
}

impl Scheme for TwilioSharedKey {
    fn name(&self) -> &'static str {
        "twilio-shared-key"
    }

    fn algorithm(&self) -> Algorithm {
        self.signature.algorithm
    }

    fn key_format(&self) -> KeyFormat {
        KeyFormat::Raw
    }

    fn tolerance(&self) -> Option<Tolerance> {
        None
    }

    fn parse<'r>(&self, request: &Request<'r>, signed: &mut Signed<'r>) -> Result<(), VerifyError> {
        let settings = scheme::required(request, &SETTINGS)?;
        let announced = announced_algorithm(settings);
        if !announced.eq_ignore_ascii_case(self.announced().as_bytes()) {
            let problem = match (self.signature.algorithm, announced.to_ascii_uppercase().as_slice()) {
                (Algorithm::HmacSha1, b"HMAC_SHA256") => {
                    "announces HMAC_SHA256; this verifier takes HMAC_SHA1 (TwilioSharedKey::default takes HMAC_SHA256)"
                }
                (_, b"HMAC_SHA1") => {
                    "announces HMAC_SHA1; this verifier takes HMAC_SHA256 (TwilioSharedKey::sha1 takes HMAC_SHA1)"
                }
                _ => "names an algorithm other than HMAC_SHA1 or HMAC_SHA256",
            };
            return Err(scheme::malformed(&SETTINGS, problem));
        }
        parse_signed(self.signature, request, signed)
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        signed_content(signed, body, feed);
    }

    fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
        identity_content(signed, body, feed);
    }

    fn write_headers(
        &self,
        signed: &Signed<'_>,
        tag: &Tag,
        out: &mut SignedHeaders,
    ) -> Result<(), SignError> {
        signed.url().ok_or(SignError::MissingUrl)?;
        self.signature.write(tag, out);
        // Twilio also names the SharedKey (`key=...`); the signer does not know it.
        out.push(SETTINGS_DISPLAY, format!("algorithm={}", self.announced()));
        Ok(())
    }
}

/// The `algorithm=` of a settings header, trimmed; `HMAC_SHA1` when absent or empty, as in
/// Twilio's SDK.
fn announced_algorithm(settings: &[u8]) -> &[u8] {
    scheme::split(settings, b',')
        .filter_map(|part| {
            let eq = part.iter().position(|&b| b == b'=')?;
            (part[..eq].trim_ascii() == b"algorithm").then(|| part[eq + 1..].trim_ascii())
        })
        .find(|value| !value.is_empty())
        .unwrap_or(b"HMAC_SHA1")
}

/// What both Twilio schemes read: the signature, the URL, and the form or the body's hash.
fn parse_signed<'r>(
    signature: &SignatureHeader,
    request: &Request<'r>,
    signed: &mut Signed<'r>,
) -> Result<(), VerifyError> {
    signature.parse(request, signed)?;
    let url = scheme::url(request)?;
    signed.set_url(url);
    if split_port(url).is_some() {
        signed.set_variants(2).map_err(|problem| VerifyError::MalformedBody { problem })?;
    }
    match body_sha256(url) {
        // The body is bound to the signature through its hash in the signed URL.
        Some(expected) if !expected.eq_ignore_ascii_case(&hex_sha256(request.body)) => {
            Err(VerifyError::NoMatchingSignature { keys_tried: 0, signatures: signed.signature_count() })
        }
        Some(_) => Ok(()),
        None => {
            form::params(request.body).map(|_| ()).map_err(|problem| VerifyError::MalformedBody { problem })
        }
    }
}

/// The URL (in the variant being tried), then the parameters.
fn signed_content(signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
    let url = signed.url().unwrap_or_default();
    match (signed.variant(), split_port(url)) {
        (1, Some((head, "", tail, https))) => {
            feed(head.as_bytes());
            feed(if https { b":443" } else { b":80" });
            feed(tail.as_bytes());
        }
        (1, Some((head, _, tail, _))) => {
            feed(head.as_bytes());
            feed(tail.as_bytes());
        }
        _ => feed(url.as_bytes()),
    }
    feed_params(url, body, feed);
}

/// The signed content with the URL's port left out.
fn identity_content(signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
    // Without its port: the spelling both accepted variants share.
    let url = signed.url().unwrap_or_default();
    match split_port(url) {
        Some((head, _, tail, _)) => {
            feed(head.as_bytes());
            feed(tail.as_bytes());
        }
        None => feed(url.as_bytes()),
    }
    feed_params(url, body, feed);
}

/// What Twilio signs after the URL: the sorted form parameters, unless the URL carries the
/// body's hash.
fn feed_params(url: &str, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
    if body_sha256(url).is_some() {
        return;
    }
    // `parse` checked the form; when signing, a body that is not a form signs no parameters.
    let Ok((mut params, count)) = form::params(body) else { return };
    let params = &mut params[..count];
    params.sort_unstable_by(form::compare);
    let mut previous: Option<&form::Param<'_>> = None;
    for param in params.iter() {
        if previous.is_some_and(|p| form::compare(p, param).is_eq()) {
            continue;
        }
        form::feed_decoded(param.0, feed);
        form::feed_decoded(param.1, feed);
        previous = Some(param);
    }
}

/// `url` split around its port: `https://host`, `:8443` (empty when absent), the rest, and
/// whether it is `https`. `None` when it has no `scheme://`.
fn split_port(url: &str) -> Option<(&str, &str, &str, bool)> {
    let authority_start = url.find("://")? + 3;
    let authority_len = url[authority_start..].find(['/', '?', '#']).unwrap_or(url.len() - authority_start);
    let authority_end = authority_start + authority_len;
    let authority = &url[authority_start..authority_end];
    // A port is the digits after the last `:`, when that `:` is not inside an IPv6 `[...]`.
    let port_len = match authority.rfind(':') {
        Some(colon)
            if !authority[colon..].contains(']')
                && authority[colon + 1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            authority.len() - colon
        }
        _ => 0,
    };
    let port_start = authority_end - port_len;
    let https = url[..authority_start].eq_ignore_ascii_case("https://");
    Some((&url[..port_start], &url[port_start..authority_end], &url[authority_end..], https))
}

/// The `bodySHA256` query parameter Twilio adds to the URL of a JSON request.
fn body_sha256(url: &str) -> Option<&str> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(query, _)| query);
    query.split('&').find_map(|pair| pair.strip_prefix("bodySHA256="))
}

fn hex_sha256(body: &[u8]) -> String {
    use sha2::Digest as _;
    base16ct::lower::encode_string(&sha2::Sha256::digest(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Verifier};

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const BODY: &[u8] =
        b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";

    /// Twilio's test token is 5 bytes, under hookwarden's 16-byte floor; the published
    /// signatures are checked through the signed content instead of a verifier.
    fn mac(url: &str, body: &[u8], variant: usize) -> String {
        let mut signed = Signed::new();
        signed.set_url(url);
        signed.set_variants(2).unwrap();
        signed.select_variant(variant);
        let key = Algorithm::HmacSha1.mac_key(TOKEN.as_bytes()).unwrap();
        scheme::base64(&key.tag(|feed| Twilio.signed_content(&signed, body, feed)))
    }

    #[test]
    fn the_sdk_test_vectors() {
        // twilio-python tests/unit/test_request_validator.py (providers.md §4.4).
        assert_eq!(mac(URL, BODY, 0), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert_eq!(mac(URL, BODY, 1), "kvajT1Ptam85bY51eRf/AJRuM3w=");
        assert_eq!(
            mac("https://mycompany.com:443/myapp.php?foo=1&bar=2", BODY, 0),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        );
        assert_eq!(
            mac("https://mycompany.com:443/myapp.php?foo=1&bar=2", BODY, 1),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert_eq!(
            mac("http://mycompany.com:80/myapp.php?foo=1&bar=2", BODY, 0),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        );
        assert_eq!(
            mac("http://mycompany.com:1234/myapp.php?foo=1&bar=2", BODY, 0),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        );
        let duplicates = b"Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Sid=CA123";
        assert_eq!(mac(URL, duplicates, 0), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
        let json_url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        assert_eq!(
            mac(json_url, br#"{"property": "value", "boolean": true}"#, 0),
            "a9nBmqA0ju/hNViExpshrM61xv4="
        );
    }

    fn verifier() -> Verifier {
        Verifier::builder(Twilio).secret("twilio-auth-token-0123456789").build().unwrap()
    }

    fn verify(headers: &SignedHeaders, url: &str, body: &[u8]) -> Result<crate::Verified, VerifyError> {
        verifier().verify_request(&Request::new(headers, body).url(url))
    }

    #[test]
    fn the_port_may_differ_but_nothing_else() {
        let headers = verifier().sign(&Message::new(BODY).url(URL)).unwrap();
        assert!(verify(&headers, URL, BODY).is_ok());
        assert!(verify(&headers, "https://mycompany.com:443/myapp.php?foo=1&bar=2", BODY).is_ok());
        for other in
            ["https://mycompany.com/myapp.php?foo=1&bar=3", "http://mycompany.com/myapp.php?foo=1&bar=2"]
        {
            assert_eq!(
                verify(&headers, other, BODY).unwrap_err().reason(),
                "no_matching_signature",
                "{other}"
            );
        }
        // Parameter order and encoding do not matter, values do.
        let reordered = b"To=%2B18005551212&From=%2b14158675309&Digits=1234&Caller=%2B14158675309&CallSid=CA1234567890ABCDE";
        assert!(verify(&headers, URL, reordered).is_ok());
        assert_eq!(verify(&headers, URL, b"CallSid=CA1").unwrap_err().reason(), "no_matching_signature");
        assert_eq!(verify(&headers, URL, b"CallSid=%zz").unwrap_err().reason(), "malformed_body");
    }

    #[test]
    fn json_bodies_are_bound_by_their_hash() {
        let body = br#"{"property": "value", "boolean": true}"#;
        let url = format!("{URL}&bodySHA256={}", hex_sha256(body));
        let headers = verifier().sign(&Message::new(body).url(&url)).unwrap();
        assert!(verify(&headers, &url, body).is_ok());
        let tampered = br#"{"property": "value", "boolean": false}"#;
        assert_eq!(verify(&headers, &url, tampered).unwrap_err().reason(), "no_matching_signature");
    }

    #[test]
    fn the_url_is_required() {
        assert_eq!(verifier().sign(&Message::new(BODY)).unwrap_err(), SignError::MissingUrl);
        let headers = verifier().sign(&Message::new(BODY).url(URL)).unwrap();
        let err = verifier().verify(&headers, BODY).unwrap_err();
        assert_eq!((err.reason(), err.status()), ("url_unknown", 500));
    }

    #[test]
    fn ports_are_found_only_in_the_authority() {
        assert_eq!(split_port("https://a.b/x:1"), Some(("https://a.b", "", "/x:1", true)));
        assert_eq!(split_port("http://a.b:8080?q"), Some(("http://a.b", ":8080", "?q", false)));
        assert_eq!(split_port("https://[::1]/x"), Some(("https://[::1]", "", "/x", true)));
        assert_eq!(split_port("https://[::1]:8443"), Some(("https://[::1]", ":8443", "", true)));
        assert_eq!(split_port("mycompany.com/x"), None);
    }

    fn shared(scheme: TwilioSharedKey) -> Verifier {
        Verifier::builder(scheme).secret("twilio-shared-key-secret-0123").build().unwrap()
    }

    fn with_settings(headers: &SignedHeaders, settings: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = headers
            .iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case(SETTINGS_DISPLAY))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        out.push((SETTINGS_DISPLAY.to_owned(), settings.to_owned()));
        out
    }

    #[test]
    fn shared_keys_sign_with_the_announced_algorithm() {
        for (scheme, settings) in [
            (TwilioSharedKey::default(), "key=webhooks_sharedkey_0123, algorithm = hmac_sha256"),
            (TwilioSharedKey::sha1(), "key=webhooks_sharedkey_0123,algorithm=HMAC_SHA1"),
            (TwilioSharedKey::sha1(), "key=webhooks_sharedkey_0123"),
            (TwilioSharedKey::sha1(), "algorithm=,key=k"),
        ] {
            let verifier = shared(scheme);
            let headers = verifier.sign(&Message::new(BODY).url(URL)).unwrap();
            let headers = with_settings(&headers, settings);
            let request = Request::new(&headers, BODY).url(URL);
            assert!(verifier.verify_request(&request).is_ok(), "{settings}");
            let reordered = b"To=%2B18005551212&From=%2b14158675309&Digits=1234&Caller=%2B14158675309&CallSid=CA1234567890ABCDE";
            assert!(verifier.verify_request(&Request::new(&headers, reordered).url(URL)).is_ok());
            let other = Request::new(&headers, BODY).url("https://mycompany.com/other");
            assert_eq!(verifier.verify_request(&other).unwrap_err().reason(), "no_matching_signature");
        }
    }

    #[test]
    fn the_settings_header_decides_who_verifies() {
        let sha256 = shared(TwilioSharedKey::default()).sign(&Message::new(BODY).url(URL)).unwrap();
        // Without the settings header, the Auth Token signed: not a SharedKey delivery.
        let bare: Vec<(&str, &str)> = vec![("X-Twilio-Signature", sha256.get("X-Twilio-Signature").unwrap())];
        let err = shared(TwilioSharedKey::default()).verify_request(&Request::new(&bare, BODY).url(URL));
        assert_eq!(err.unwrap_err().reason(), "missing_header");
        // The Auth Token preset names the right one instead of calling the signature malformed.
        let err = verify(&sha256, URL, BODY).unwrap_err();
        assert_eq!(err.reason(), "malformed_header");
        assert!(err.to_string().contains("twilio-shared-key"), "{err}");
        // One verifier, one algorithm: the other one is refused before any MAC.
        for (scheme, settings) in [
            (TwilioSharedKey::default(), "algorithm=HMAC_SHA1"),
            (TwilioSharedKey::default(), "key=k"),
            (TwilioSharedKey::sha1(), "algorithm=HMAC_SHA256"),
            (TwilioSharedKey::default(), "algorithm=HMAC_SHA512"),
        ] {
            let headers = with_settings(&sha256, settings);
            let err = shared(scheme).verify_request(&Request::new(&headers, BODY).url(URL)).unwrap_err();
            assert_eq!((err.reason(), err.status()), ("malformed_header", 400), "{settings}");
        }
    }

    #[test]
    fn settings_are_read_as_the_sdk_reads_them() {
        assert_eq!(announced_algorithm(b"key=a,algorithm=HMAC_SHA256"), b"HMAC_SHA256");
        assert_eq!(announced_algorithm(b" algorithm = x ,algorithm=y"), b"x");
        assert_eq!(announced_algorithm(b"algorithm=,algorithm=y"), b"y");
        assert_eq!(announced_algorithm(b"algorithms=HMAC_SHA256"), b"HMAC_SHA1");
        assert_eq!(announced_algorithm(b""), b"HMAC_SHA1");
    }
}
