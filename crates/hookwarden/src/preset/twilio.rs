//! Twilio.

use super::form;
use super::signature_header::SignatureHeader;
use crate::error::{SignError, VerifyError};
use crate::headers::HeaderName;
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
        SIGNATURE.parse(request, signed)?;
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
            None => form::params(request.body)
                .map(|_| ())
                .map_err(|problem| VerifyError::MalformedBody { problem }),
        }
    }

    fn signed_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
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

    fn identity_content(&self, signed: &Signed<'_>, body: &[u8], feed: &mut dyn FnMut(&[u8])) {
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
}
