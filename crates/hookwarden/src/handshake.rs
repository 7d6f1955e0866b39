//! Answers to the providers' endpoint checks, for adapters to send instead of calling the
//! handler. Feature `json`.
//!
//! Some providers call an endpoint to prove it is theirs before (or while) sending events:
//!
//! | preset | request | answer |
//! |---|---|---|
//! | `slack` | body `{"type":"url_verification","challenge":C}` | `C`, `text/plain` |
//! | `discord` | body `{"type":1}` (PING) | `{"type":1}`, `application/json` |
//! | `twitch` | header `Twitch-Eventsub-Message-Type: webhook_callback_verification`, body `{"challenge":C}` | `C`, `text/plain` |
//! | `zoom` | body `{"event":"endpoint.url_validation","payload":{"plainToken":P}}` | `{"plainToken":P,"encryptedToken":hex(HMAC-SHA256(secret, P))}` |
//! | `okta` | header `X-Okta-Verification-Challenge: C` (a `GET`) | `{"verification":C}` |
//!
//! Every one of these requests is authenticated like any delivery, so an adapter calls
//! [`Verifier::handshake`] only **after** [`Verifier::verify_request`] succeeded, and answers
//! 200 with the returned body when there is one. Answering is opt-in in the adapters: a
//! handler that wants to see these requests simply does not ask.
//!
//! ## Checks a verifier does not answer
//!
//! Other providers check an endpoint with a request that carries **no signature**, so it never
//! reaches this point (it fails verification with `missing_header`), and answering it before
//! verifying would answer anyone:
//!
//! | preset | check | why it is left to the receiver's router |
//! |---|---|---|
//! | `meta` | `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C`, answered `C` | authenticated by a verify token, a second secret that is not the app secret this preset holds |
//! | `x` | `GET ?crc_token=T`, answered `{"response_token":"sha256=<base64 HMAC(secret, T)>"}` | unsigned: answering it for anyone would MAC any text an attacker sends with the key that signs deliveries (a signing oracle), so only a router that knows the request is X's should answer |
//! | `dropbox` | `GET ?challenge=C`, answered `C` | unsigned; echoing needs no secret |
//! | `asana` | `POST` with `X-Hook-Secret: S`, answered with the same header | unsigned; it delivers the very secret the verifier is built with |
//! | `notion` | `POST` body `{"verification_token":T}` | unsigned; it delivers the very secret the verifier is built with |
//! | `trello` | `HEAD`, answered 200 | unsigned; needs no secret |

use serde_json::Value;

use crate::headers::{HeaderName, Lookup};
use crate::key::KeyState;
use crate::scheme::{self, Request};
use crate::verified::Verified;
use crate::verifier::Verifier;

static TWITCH_TYPE: HeaderName = HeaderName::from_static("twitch-eventsub-message-type");
static OKTA_CHALLENGE: HeaderName = HeaderName::from_static("x-okta-verification-challenge");

/// The response an adapter sends to a provider's endpoint check: status 200, this content type
/// and body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Handshake {
    /// `text/plain` or `application/json`.
    pub content_type: &'static str,
    /// The response body.
    pub body: Vec<u8>,
}

impl Handshake {
    fn text(body: &str) -> Self {
        Self { content_type: "text/plain", body: body.as_bytes().to_vec() }
    }

    fn json(body: &Value) -> Self {
        Self { content_type: "application/json", body: body.to_string().into_bytes() }
    }
}

impl Verifier {
    /// The answer to a provider's endpoint check, or `None` when `request` is an ordinary
    /// delivery (or the scheme has no such check). See the [module](crate::handshake) docs.
    ///
    /// `verified` must be this verifier's verdict on `request`: the answer is computed from
    /// authenticated data only (Zoom's answer with the key that matched).
    ///
    /// # Example: Slack's URL verification
    ///
    /// ```
    /// use hookwarden::scheme::Request;
    /// use hookwarden::{FixedClock, Message, Verifier, preset::Slack};
    ///
    /// let verifier = Verifier::builder(Slack).secret("8f742231b10e8888abcd99yyyzzz85a5").build()?;
    /// let body = br#"{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
    /// let headers = verifier.sign(&Message::new(body))?;
    /// let request = Request::new(&headers, body);
    /// let verified = verifier.verify_request(&request)?;
    /// let answer = verifier.handshake(&request, &verified).unwrap();
    /// assert_eq!(answer.body, b"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handshake(&self, request: &Request<'_>, verified: &Verified) -> Option<Handshake> {
        let json = || serde_json::from_slice::<Value>(request.body).ok();
        match verified.scheme() {
            "slack" => {
                let body = json()?;
                if body.get("type")? != "url_verification" {
                    return None;
                }
                Some(Handshake::text(body.get("challenge")?.as_str()?))
            }
            "discord" => {
                (json()?.get("type")? == 1).then(|| Handshake::json(&serde_json::json!({ "type": 1 })))
            }
            "twitch" => match request.headers.lookup(&TWITCH_TYPE) {
                Lookup::One(b"webhook_callback_verification") => {
                    Some(Handshake::text(json()?.get("challenge")?.as_str()?))
                }
                _ => None,
            },
            "zoom" => {
                let body = json()?;
                if body.get("event")? != "endpoint.url_validation" {
                    return None;
                }
                let plain = body.get("payload")?.get("plainToken")?.as_str()?;
                let key = self.key(verified.key_id())?;
                let KeyState::Mac(mac) = &key.state else { return None };
                let encrypted = scheme::hex(&mac.tag(|feed| feed(plain.as_bytes())));
                Some(Handshake::json(
                    &serde_json::json!({ "plainToken": plain, "encryptedToken": encrypted }),
                ))
            }
            "okta" => match request.headers.lookup(&OKTA_CHALLENGE) {
                Lookup::One(challenge) => {
                    let challenge = std::str::from_utf8(challenge).ok()?;
                    Some(Handshake::json(&serde_json::json!({ "verification": challenge })))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preset::{Okta, Twitch, Zoom};
    use crate::{FixedClock, Message};

    #[test]
    fn zoom_answers_with_the_hmac_of_the_plain_token() {
        let verifier = Verifier::builder(Zoom).secret("zoom-secret-token-0123456789").build().unwrap();
        let body = br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#;
        let headers = verifier.sign(&Message::new(body)).unwrap();
        let request = Request::new(&headers, body);
        let answer = verifier.handshake(&request, &verifier.verify_request(&request).unwrap()).unwrap();
        let answer: Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(answer["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
        // Computed independently with Python's `hmac`.
        assert_eq!(
            answer["encryptedToken"],
            "fa52ecf98b4919aaa696f04cdc156ea40b1eba020707f76b8c9e455168295b87"
        );
        let event = br#"{"event":"meeting.started"}"#;
        let headers = verifier.sign(&Message::new(event)).unwrap();
        let request = Request::new(&headers, event);
        assert_eq!(verifier.handshake(&request, &verifier.verify_request(&request).unwrap()), None);
    }

    #[test]
    fn twitch_and_okta_answer_from_their_headers() {
        let twitch = Verifier::builder(Twitch)
            .secret("twitch-eventsub-secret-01")
            .clock(FixedClock::at(1_700_000_000))
            .build()
            .unwrap();
        let body = br#"{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{}}"#;
        let mut headers = twitch.sign(&Message::new(body).id("m-1").timestamp(1_700_000_000)).unwrap();
        headers.push("Twitch-Eventsub-Message-Type", "webhook_callback_verification");
        let request = Request::new(&headers, body);
        let answer = twitch.handshake(&request, &twitch.verify_request(&request).unwrap()).unwrap();
        assert_eq!(
            (answer.content_type, answer.body.as_slice()),
            ("text/plain", &b"pogchamp-kappa-360noscope-vohiyo"[..])
        );

        let okta = Verifier::builder(Okta::default()).secret("okta-hook-secret-0123456789").build().unwrap();
        let mut headers = okta.sign(&Message::new(b"")).unwrap();
        headers.push("X-Okta-Verification-Challenge", "2fQAJiG6k2nX8dMzwO-CTDz_E0TqkZ6yq2KFTsuqfhs");
        let request = Request::new(&headers, b"");
        let answer = okta.handshake(&request, &okta.verify_request(&request).unwrap()).unwrap();
        assert_eq!(answer.body, br#"{"verification":"2fQAJiG6k2nX8dMzwO-CTDz_E0TqkZ6yq2KFTsuqfhs"}"#);
    }
}
