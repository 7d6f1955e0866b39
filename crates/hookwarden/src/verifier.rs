//! The verifier: built once from a scheme and its keys, then shared by every request.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::error::{ConfigError, SignError, VerifyError};
use crate::headers::{HeaderName, Headers};
use crate::key::{KeyState, PreparedKey};
use crate::mac::{Algorithm, Tag};
#[cfg(any(feature = "ed25519", feature = "p256"))]
use crate::public_key;
use crate::replay::json_field;
use crate::replay::{Claim, Identity, IdentityParts, IdentitySource, ReplayStore};
use crate::scheme::{EventId, Request, Scheme, Signed};
use crate::sign::{Message, SignedHeaders};
use crate::timestamp::Timestamp;
use crate::tolerance::Tolerance;
use crate::verified::{DeliveryId, Verified};

/// The most keys one verifier holds. Every signature is tried against every key, so this and
/// [`MAX_SIGNATURES`](crate::scheme::MAX_SIGNATURES) bound the work of one request.
pub const MAX_KEYS: usize = 8;

/// How long a processed event's replay key is kept, unless the scheme knows its provider's
/// retry schedule ([`Scheme::retries_for`]) or the builder says otherwise: a day, which covers
/// the retry schedules of most senders (Slack's minutes, Shopify's four hours, Svix's a day).
pub const DEFAULT_REPLAY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// How long a claim holds a delivery while its handler runs, unless told otherwise: five
/// minutes. Senders give up on an answer long before (GitHub after 10 s, Stripe after 20 s),
/// so a handler still running then has a retry coming anyway. When a commit fails, copies are
/// answered "in flight" for this long, and the next copy after it is processed again.
pub const DEFAULT_CLAIM_LEASE: Duration = Duration::from_secs(5 * 60);

/// A function that picks a delivery's identity; see [`VerifierBuilder::identity`].
type IdentityFn = dyn Fn(&IdentityParts<'_>) -> Option<String> + Send + Sync;

/// The body size adapters accept unless told otherwise: 1 MiB, above what Stripe, Slack, Shopify
/// and Standard Webhooks senders send. GitHub sends up to 25 MB; raise the limit on its route.
pub const DEFAULT_BODY_LIMIT: u64 = 1024 * 1024;

/// How long adapters let a body take to arrive unless told otherwise, counted from when they
/// begin reading it: 30 seconds.
///
/// Senders give up on a delivery within seconds (GitHub after 10 s; Slack, Discord, Zoom and
/// Okta after 3 s) and retry it later, so a body still arriving after 30 s belongs to a
/// delivery its sender has already abandoned: refusing it loses nothing. 30 s still leaves a
/// large body on a slow link (GitHub's 25 MB at 1 MB/s) time to arrive. What it bounds is how
/// long a stranger who sends headers and then trickles or withholds the body holds a
/// connection and a buffer of up to the body limit: 30 s, instead of until they hang up.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Decides whether a delivery is authentic and fresh.
///
/// Built once with [`Verifier::builder`]: secrets are decoded and HMAC key schedules computed
/// then, so [`verify`](Self::verify) only clones a precomputed state and allocates nothing.
/// Immutable, `Send + Sync`, and cheap to clone (one reference count).
///
/// # Example
///
/// ```
/// use hookwarden::{Verifier, preset::GitHub};
///
/// let verifier = Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?;
/// let headers = [(
///     "X-Hub-Signature-256",
///     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
/// )];
/// let verified = verifier.verify(&headers[..], b"Hello, World!")?;
/// assert_eq!(verified.key_id(), "default");
/// assert_eq!(
///     verifier.verify(&headers[..], b"Hello, World?").unwrap_err().reason(),
///     "no_matching_signature"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    scheme: Box<dyn Scheme>,
    /// Whether the scheme's algorithm is an HMAC (the other kinds need a digest for replay keys).
    is_mac: bool,
    keys: Vec<PreparedKey>,
    tolerance: Option<Tolerance>,
    /// The tolerance's length, both edges included: how long a signed timestamp lets a copy in.
    window: Option<Duration>,
    clock: Arc<dyn Clock>,
    scope: Arc<str>,
    replay_ttl: Duration,
    claim_lease: Duration,
    identity: Option<Arc<IdentityFn>>,
    /// The scheme's name and delivery-id header, read once: every delivery needs them.
    name: &'static str,
    delivery_header: Option<&'static HeaderName>,
}

impl Verifier {
    /// Starts building a verifier for `scheme`, a [preset](crate::preset) or a
    /// [custom scheme](crate::scheme::Custom).
    pub fn builder(scheme: impl Scheme) -> VerifierBuilder {
        VerifierBuilder {
            scheme: Box::new(scheme),
            keys: Vec::new(),
            past: None,
            future: None,
            skip_timestamp_check: false,
            clock: Arc::new(SystemClock),
            scope: None,
            replay_ttl: None,
            claim_lease: DEFAULT_CLAIM_LEASE,
            identity: None,
        }
    }

    /// Verifies a delivery: its headers and its body exactly as received.
    ///
    /// Headers can be an `http::HeaderMap`, name/value pairs (`[(&str, &str)]`,
    /// `Vec<(String, String)>`), or a `HashMap<String, String>` as a Lambda event gives them;
    /// the body anything byte-like (`&[u8]`, `Vec<u8>`, `String`, `Bytes`).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use hookwarden::{Message, Verifier, preset::Stripe};
    ///
    /// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
    /// let body = String::from(r#"{"id":"evt_1","object":"event"}"#);
    /// let headers: HashMap<String, String> =
    ///     verifier.sign(&Message::new(body.as_bytes()))?.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    /// assert!(verifier.verify(&headers, &body).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A missing, repeated or malformed header; a timestamp outside the tolerance (checked
    /// before any MAC work); or no signature matching any key.
    pub fn verify(
        &self,
        headers: &(impl Headers + ?Sized),
        body: impl AsRef<[u8]>,
    ) -> Result<Verified, VerifyError> {
        self.verify_request(&Request::new(&headers, body.as_ref()))
    }

    /// [`verify`](Self::verify), for schemes that also sign the method or the URL.
    ///
    /// # Errors
    ///
    /// As for [`verify`](Self::verify).
    pub fn verify_request(&self, request: &Request<'_>) -> Result<Verified, VerifyError> {
        let inner = &*self.inner;
        let body = request.body;
        let mut signed = Signed::new();
        inner.scheme.parse(request, &mut signed)?;
        if let (Some(tolerance), Some(timestamp)) = (inner.tolerance, signed.timestamp()) {
            tolerance.check(timestamp.unix(), inner.clock.now_unix())?;
        }

        let mut content_digest = [0; 16];
        for variant in 0..signed.variants() {
            signed.select_variant(variant);
            let signed = &signed;
            let content = |feed: &mut dyn FnMut(&[u8])| inner.scheme.signed_content(signed, body, feed);
            // Schemes without an HMAC get a SHA-256 of the signed content: ECDSA verifies it,
            // and it is the content identity where nothing else is signed. HMAC schemes use the
            // first key's MAC instead, which costs nothing more.
            let digest = (!inner.is_mac).then(|| sha256(content));
            if let (0, Some(digest)) = (variant, &digest) {
                content_digest.copy_from_slice(&digest[..16]);
            }
            for (index, key) in inner.keys.iter().enumerate() {
                let matched = match &key.state {
                    KeyState::Mac(mac) => {
                        let tag = mac.tag(content);
                        if index == 0 && variant == 0 {
                            // A digest of the signed content that depends only on signed bytes,
                            // whichever signature in the request happened to match.
                            content_digest.copy_from_slice(&tag.as_bytes()[..16]);
                        }
                        let matched = signed.signatures().fold(Choice::from(0), |m, sig| m | sig.ct_eq(&tag));
                        bool::from(matched)
                    }
                    // `ct_eq` on slices of different lengths is false without comparing: the
                    // length may leak, the contents do not.
                    KeyState::Token(token) => signed.token().is_some_and(|t| bool::from(t.ct_eq(token))),
                    #[cfg(feature = "ed25519")]
                    KeyState::Ed25519(public) => signed
                        .signatures()
                        .any(|sig| public_key::ed25519_verify(public, sig.as_bytes(), content)),
                    #[cfg(feature = "p256")]
                    KeyState::P256(public) => digest.as_ref().is_some_and(|digest| {
                        signed.signatures().any(|sig| public_key::p256_verify(public, digest, sig.as_bytes()))
                    }),
                };
                if matched {
                    let mut verified = Verified {
                        scheme: inner.name,
                        id: None,
                        timestamp: signed.timestamp().map(|t| t.unix()),
                        key_id: Arc::clone(&key.id),
                        scope: Arc::clone(&inner.scope),
                        content_digest,
                        content_is_identity: signed.timestamp().is_none()
                            && signed.url().is_none()
                            && signed.variants() == 1,
                        window: inner.window.filter(|_| signed.timestamp().is_some()),
                        identity: None,
                        delivery_id: DeliveryId::EMPTY,
                    };
                    // A signed id is never empty: `EventId::check` refuses it.
                    let id = signed.id_bytes();
                    if !id.is_empty() {
                        verified.id.insert(EventId::EMPTY).fill(id);
                    }
                    return Ok(verified);
                }
            }
        }
        Err(VerifyError::NoMatchingSignature {
            keys_tried: inner.keys.len(),
            signatures: signed.signature_count(),
        })
    }

    /// Works out what identifies the delivery's event across its sender's retries, and records
    /// it on `verified` (see [`replay`](crate::replay) for what each preset uses). `request` is
    /// the one `verified` came from.
    ///
    /// [`claim`](Self::claim) does this itself; verifying alone never pays for it.
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::replay::IdentitySource;
    /// use hookwarden::scheme::Request;
    /// use hookwarden::{Message, Verifier, preset::Stripe};
    ///
    /// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
    /// let body = br#"{"id":"evt_1","object":"event","pending_webhooks":1}"#;
    /// let headers = verifier.sign(&Message::new(body))?;
    /// let request = Request::new(&headers, body);
    /// let mut verified = verifier.verify_request(&request)?;
    /// verifier.identify(&request, &mut verified);
    /// let identity = verified.identity().unwrap();
    /// assert_eq!(identity.source(), IdentitySource::BodyField("id"));
    /// assert_eq!(verified.replay_key().unwrap().as_str(), "stripe:event:evt_1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn identify(&self, request: &Request<'_>, verified: &mut Verified) {
        verified.identity = Some(self.identity_of(request, verified));
    }

    fn identity_of(&self, request: &Request<'_>, verified: &Verified) -> Identity {
        let inner = &*self.inner;
        let body = request.body;
        if let Some(pick) = &inner.identity {
            let parts = IdentityParts::new(verified, inner.scheme.signs_whole_body().then_some(body));
            if let Some(value) = pick(&parts) {
                return match EventId::parse(value.as_bytes()) {
                    Ok(id) => Identity::id(IdentitySource::Custom, id),
                    // Too long, or not visible ASCII: its digest, so any text works as a key.
                    Err(_) => Identity::digest(
                        IdentitySource::Custom,
                        self.keyed_digest(|feed| feed(value.as_bytes())),
                    ),
                };
            }
        }
        if let Some(path) = inner.scheme.event_id_field()
            && let Some(id) = json_field::field(body, path).and_then(|raw| EventId::parse(raw).ok())
        {
            return Identity::id(IdentitySource::BodyField(path), id);
        }
        if let Some(id) = verified.id {
            return Identity::id(IdentitySource::SignedId, id);
        }
        if verified.content_is_identity {
            return Identity::digest(IdentitySource::Content, verified.content_digest);
        }
        // `request` verified, so it parses again: the scheme's view of it, minus the timestamp.
        let mut signed = Signed::new();
        let _ = inner.scheme.parse(request, &mut signed);
        let digest = self.keyed_digest(|feed| inner.scheme.identity_content(&signed, body, feed));
        Identity::digest(IdentitySource::Content, digest)
    }

    /// The first 16 bytes of the first key's MAC over `content`, or of its SHA-256 for keys
    /// that are not HMAC keys.
    fn keyed_digest(&self, content: impl Fn(&mut dyn FnMut(&[u8]))) -> [u8; 16] {
        let mut digest = [0; 16];
        match &self.inner.keys[0].state {
            KeyState::Mac(mac) => digest.copy_from_slice(&mac.tag(&content).as_bytes()[..16]),
            _ => digest.copy_from_slice(&sha256(content)[..16]),
        }
        digest
    }

    /// Claims a verified delivery in a replay store, before handling it: works out its
    /// [identity](Self::identify) (recorded on `verified`), then claims it for the
    /// [lease](VerifierBuilder::claim_lease).
    ///
    /// Settle the returned [`Claim`] once the delivery is handled: commit it when it was
    /// processed, release it otherwise so the sender's retry is processed. A claim dropped
    /// unresolved is released.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Duplicate`] when the event was already processed,
    /// [`VerifyError::InFlight`] while it is being processed, and
    /// [`VerifyError::StoreUnavailable`] when the store cannot answer.
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hookwarden::scheme::Request;
    /// use hookwarden::{MemoryStore, Message, Verifier, preset::StandardWebhooks};
    ///
    /// # futures_executor::block_on(async {
    /// let verifier = Verifier::builder(StandardWebhooks)
    ///     .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    ///     .build()?;
    /// let store = Arc::new(MemoryStore::new());
    /// let body = br#"{"type":"invoice.paid"}"#;
    /// let headers = verifier.sign(&Message::new(body).id("msg_1"))?;
    ///
    /// let request = Request::new(&headers, body);
    /// let mut verified = verifier.verify_request(&request)?;
    /// let claim = verifier.claim(&store, &request, &mut verified).await?;
    /// // ... handle the delivery; on failure call `claim.release().await` instead ...
    /// claim.commit().await?;
    ///
    /// // The sender's retry: re-signed a second later, the same id.
    /// let retry = verifier.sign(&Message::new(body).id("msg_1").timestamp(verified.timestamp().unwrap() + 1))?;
    /// let request = Request::new(&retry, body);
    /// let mut again = verifier.verify_request(&request)?;
    /// let answer = verifier.claim(&store, &request, &mut again).await;
    /// assert_eq!(answer.unwrap_err().reason(), "duplicate");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn claim<S: ReplayStore + ?Sized>(
        &self,
        store: &Arc<S>,
        request: &Request<'_>,
        verified: &mut Verified,
    ) -> impl Future<Output = Result<Claim<S>, VerifyError>> + Send + use<S> {
        let identity = self.identity_of(request, verified);
        verified.identity = Some(identity);
        let key = identity.replay_key(&verified.scope, verified.window);
        let inner = &*self.inner;
        Claim::acquire(Arc::clone(store), key, inner.claim_lease.min(inner.replay_ttl), inner.replay_ttl)
    }

    /// Signs `message` with the first key, producing the headers the provider would send.
    ///
    /// Schemes that carry a shared token write the first key's token.
    ///
    /// # Errors
    ///
    /// [`SignError::MissingId`] when the scheme signs an id and the message has none,
    /// [`SignError::MissingUrl`] or [`SignError::MissingMethod`] when it signs the URL or the
    /// method and the message has none, [`SignError::NoPrivateKey`] for asymmetric schemes,
    /// and [`SignError::SignatureInBody`] for schemes whose signature travels in the body
    /// (use [`sign_body`](Self::sign_body)).
    pub fn sign(&self, message: &Message<'_>) -> Result<SignedHeaders, SignError> {
        self.signed(message, |scheme, signed, tag| {
            let mut headers = SignedHeaders::default();
            scheme.write_headers(signed, tag, &mut headers)?;
            Ok(headers)
        })
    }

    /// Signs `message` with the first key for schemes whose signature travels **inside the
    /// body** (Mailgun, Adyen's classic notifications): the body the provider would send,
    /// with the signature fields written into the message's body.
    ///
    /// The message's body is the delivery without its signature; each such preset documents
    /// what it expects and what it writes (Mailgun's token is the message's
    /// [`id`](Message::id)). The bytes of the given body are kept as they are: the signature
    /// is inserted, nothing is re-serialised.
    ///
    /// # Errors
    ///
    /// [`SignError::SignatureInHeaders`] for the schemes that sign with headers (use
    /// [`sign`](Self::sign)), [`SignError::UnsignableBody`] for a body the scheme cannot write
    /// its signature into, and the errors of [`sign`](Self::sign).
    ///
    /// # Example
    ///
    /// ```
    /// # #[cfg(feature = "json")] {
    /// use hookwarden::{FixedClock, Message, SignError, Verifier, preset::Mailgun};
    ///
    /// let verifier = Verifier::builder(Mailgun)
    ///     .secret("mailgun-webhook-signing-key-0123")
    /// #   .clock(FixedClock::at(1700000000))
    ///     .build()?;
    /// let token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
    /// let message = Message::new(br#"{"event-data":{"event":"delivered"}}"#).id(token).timestamp(1700000000);
    /// let body = verifier.sign_body(&message)?;
    /// assert!(body.starts_with(br#"{"signature":{"token":"a8ce0edb"#));
    /// assert_eq!(verifier.verify(&[] as &[(&str, &str)], &body)?.id(), Some(token));
    /// assert_eq!(verifier.sign(&message).unwrap_err(), SignError::SignatureInBody);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_body(&self, message: &Message<'_>) -> Result<Vec<u8>, SignError> {
        self.signed(message, |scheme, signed, tag| scheme.write_body(signed, tag, message.body))
    }

    /// Computes the first key's signature over `message` and hands it to `write`.
    fn signed<T>(
        &self,
        message: &Message<'_>,
        write: impl FnOnce(&dyn Scheme, &Signed<'_>, &Tag) -> Result<T, SignError>,
    ) -> Result<T, SignError> {
        let inner = &*self.inner;
        let id = message
            .id
            .map(|id| EventId::check(id.as_bytes()).map_err(|_| SignError::InvalidId))
            .transpose()?;
        let format = inner.scheme.timestamp_format();
        let unix = message.timestamp.unwrap_or_else(|| inner.clock.now_unix());
        let text = format.render(unix);
        let timestamp = Timestamp::parse(format, text.as_bytes()).map_err(|_| SignError::InvalidTimestamp)?;
        let mut signed = Signed::for_signing(id, timestamp);
        if let Some(url) = message.url {
            signed.set_url(url);
        }
        if let Some(method) = message.method {
            signed.set_method(method);
        }
        // `build` refuses a verifier without keys, so there is always a first one.
        let key = &inner.keys[0];
        let tag = match &key.state {
            KeyState::Mac(mac) => mac.tag(|feed| inner.scheme.signed_content(&signed, message.body, feed)),
            KeyState::Token(token) => {
                signed.set_token(token.as_slice());
                Tag::EMPTY
            }
            #[cfg(feature = "ed25519")]
            KeyState::Ed25519(_) => return Err(SignError::NoPrivateKey),
            #[cfg(feature = "p256")]
            KeyState::P256(_) => return Err(SignError::NoPrivateKey),
        };
        write(&*inner.scheme, &signed, &tag)
    }

    /// The scheme's name.
    pub fn scheme(&self) -> &'static str {
        self.inner.name
    }

    /// The provider's own delivery id in `headers`, where the scheme names a header for it
    /// ([`Scheme::delivery_id_header`]): for logs, even of deliveries that did not verify.
    pub(crate) fn delivery_id(&self, headers: &dyn Headers) -> Option<DeliveryId> {
        let id = DeliveryId::read(headers, self.inner.delivery_header?);
        id.as_str().map(|_| id)
    }

    /// The timestamp window, or `None` when the scheme signs no timestamp or the check was
    /// skipped.
    pub fn tolerance(&self) -> Option<Tolerance> {
        self.inner.tolerance
    }

    /// How long a processed delivery's replay key is kept.
    pub fn replay_ttl(&self) -> Duration {
        self.inner.replay_ttl
    }

    /// How long a claim holds a delivery while its handler runs.
    pub fn claim_lease(&self) -> Duration {
        self.inner.claim_lease.min(self.inner.replay_ttl)
    }

    /// The key called `id`, for answers computed with the key that matched (handshakes).
    #[cfg_attr(not(feature = "json"), allow(dead_code))]
    pub(crate) fn key(&self, id: &str) -> Option<&PreparedKey> {
        self.inner.keys.iter().find(|key| &*key.id == id)
    }

    /// The ids of the keys, in the order they are tried.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.inner.keys.iter().map(|key| &*key.id)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Verifier")
            .field("scheme", &inner.scheme.name())
            .field("keys", &inner.keys)
            .field("tolerance", &inner.tolerance)
            .field("scope", &inner.scope)
            .field("replay_ttl", &inner.replay_ttl)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Verifier`]; [`build`](Self::build) checks everything at once.
#[must_use]
pub struct VerifierBuilder {
    scheme: Box<dyn Scheme>,
    keys: Vec<(String, Zeroizing<Vec<u8>>)>,
    past: Option<Duration>,
    future: Option<Duration>,
    skip_timestamp_check: bool,
    clock: Arc<dyn Clock>,
    scope: Option<String>,
    replay_ttl: Option<Duration>,
    claim_lease: Duration,
    identity: Option<Arc<IdentityFn>>,
}

impl VerifierBuilder {
    /// Adds a secret with the id `"default"`, in the provider's format (see
    /// [`KeyFormat`](crate::KeyFormat)).
    pub fn secret(self, secret: impl AsRef<[u8]>) -> Self {
        self.key("default", secret)
    }

    /// Adds a secret with an id, for rotation: every signature is tried against every key, in
    /// the order they were added, and [`Verified::key_id`] reports which one matched.
    ///
    /// Add a new key after the current one: the first key also derives replay keys for
    /// schemes that sign no id.
    pub fn key(mut self, id: impl Into<String>, secret: impl AsRef<[u8]>) -> Self {
        self.keys.push((id.into(), Zeroizing::new(secret.as_ref().to_vec())));
        self
    }

    /// The same tolerance on both sides of now (default: the provider's documented window).
    pub fn tolerance(self, window: Duration) -> Self {
        self.tolerance_past(window).tolerance_future(window)
    }

    /// How old a signed timestamp may be.
    pub fn tolerance_past(mut self, window: Duration) -> Self {
        self.past = Some(window);
        self
    }

    /// How far in the future a signed timestamp may be.
    pub fn tolerance_future(mut self, window: Duration) -> Self {
        self.future = Some(window);
        self
    }

    /// Accepts signed timestamps however old or new they are.
    ///
    /// Without the check, a captured delivery can be replayed for as long as the replay store
    /// keeps its key ([`replay_ttl`](Self::replay_ttl)); choose this only when something else
    /// bounds replays.
    pub fn skip_timestamp_check(mut self) -> Self {
        self.skip_timestamp_check = true;
        self
    }

    /// The clock timestamps are checked against (default: [`SystemClock`]).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Scopes replay keys, so two verifiers sharing a store never collide (default: the
    /// scheme's name).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// How long a processed event's replay key is kept (default: as long as the provider
    /// retries, [`Scheme::retries_for`], else [`DEFAULT_REPLAY_TTL`]).
    ///
    /// A provider retries an event whose delivery it did not see answered 2xx, even when the
    /// receiver processed it (the answer was lost, or came after the sender's timeout), and the
    /// retry carries the same identity: while the key is kept it is acknowledged as a
    /// duplicate, after it runs the handler again. Never shorter than the timestamp window and
    /// one second: both of its edges are inside it (a ±5 min window holds 601 distinct
    /// seconds), and a key kept one second less would let a delivery first seen at the future
    /// edge through again at the past edge. For schemes without a signed timestamp this is the
    /// whole replay protection: a captured delivery is refused for as long as its key is kept.
    pub fn replay_ttl(mut self, ttl: Duration) -> Self {
        self.replay_ttl = Some(ttl);
        self
    }

    /// How long a claim holds a delivery while its handler runs (default:
    /// [`DEFAULT_CLAIM_LEASE`], never more than the replay TTL). Copies that arrive meanwhile
    /// are answered "in flight" (409); when the handler outlives its lease, a copy may be
    /// processed beside it. A commit that fails keeps the claim until its lease lapses.
    pub fn claim_lease(mut self, lease: Duration) -> Self {
        self.claim_lease = lease;
        self
    }

    /// Picks what identifies an event, from the verified parts of its delivery (say, an id in
    /// a typed payload). When it returns `None`, the preset's identity is used (see
    /// [`replay`](crate::replay)). A value of 1 to 128 visible ASCII characters is the key
    /// as it is; anything else is replaced by its keyed digest.
    ///
    /// The function sees only signed data: [`IdentityParts::body`] is `None` for the schemes
    /// that sign only some fields of the body. It runs only when a delivery is claimed.
    ///
    /// # Example
    ///
    /// ```
    /// use hookwarden::replay::IdentitySource;
    /// use hookwarden::scheme::Request;
    /// use hookwarden::{Message, Verifier, preset::GitHub};
    ///
    /// // GitHub signs no id: use the commit SHA of a push as the event's identity.
    /// let verifier = Verifier::builder(GitHub)
    ///     .secret("It's a Secret to Everybody")
    ///     .identity(|parts| {
    ///         let push: serde_json::Value = serde_json::from_slice(parts.body()?).ok()?;
    ///         Some(push["after"].as_str()?.to_owned())
    ///     })
    ///     .build()?;
    /// let body = br#"{"ref":"refs/heads/main","after":"9f2e1c"}"#;
    /// let headers = verifier.sign(&Message::new(body))?;
    /// let request = Request::new(&headers, body);
    /// let mut verified = verifier.verify_request(&request)?;
    /// verifier.identify(&request, &mut verified);
    /// assert_eq!(verified.identity().unwrap().source(), IdentitySource::Custom);
    /// assert_eq!(verified.replay_key().unwrap().as_str(), "github:custom:9f2e1c");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn identity(
        mut self,
        pick: impl Fn(&IdentityParts<'_>) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.identity = Some(Arc::new(pick));
        self
    }

    /// Decodes the secrets, builds the key schedules and checks the configuration.
    ///
    /// # Errors
    ///
    /// No keys or too many, duplicate key ids, an empty, short or malformed secret, or a zero
    /// tolerance.
    pub fn build(self) -> Result<Verifier, ConfigError> {
        let scheme = self.scheme;
        if self.keys.is_empty() {
            return Err(ConfigError::NoKeys);
        }
        if self.keys.len() > MAX_KEYS {
            return Err(ConfigError::TooManyKeys { max: MAX_KEYS });
        }
        let mut keys: Vec<PreparedKey> = Vec::with_capacity(self.keys.len());
        for (id, secret) in &self.keys {
            if keys.iter().any(|key| *key.id == **id) {
                return Err(ConfigError::DuplicateKeyId { key_id: id.clone() });
            }
            if !secret.is_empty() {
                scheme
                    .check_secret(secret)
                    .map_err(|problem| ConfigError::SecretFormat { key_id: id.clone(), problem })?;
            }
            let decoded = scheme.key_format().decode(id, secret)?;
            keys.push(PreparedKey::new(id, &decoded, scheme.algorithm())?);
        }

        let tolerance = match scheme.tolerance() {
            Some(_) if self.skip_timestamp_check => None,
            Some(default) => Some(Tolerance::new(
                self.past.unwrap_or(default.past()),
                self.future.unwrap_or(default.future()),
            )?),
            None => None,
        };
        // Both edges of the window are inside it: one second more than its length.
        let window = tolerance.map(|t| t.window().saturating_add(Duration::from_secs(1)));
        // Processed events are remembered for as long as their sender retries: an identity
        // outlives re-signing, so a retry of an event processed hours ago is still a duplicate.
        let ttl = self.replay_ttl.or(scheme.retries_for()).unwrap_or(DEFAULT_REPLAY_TTL);
        let replay_ttl = ttl.max(window.unwrap_or_default());
        let scope = self.scope.unwrap_or_else(|| scheme.name().to_owned());
        let is_mac =
            matches!(scheme.algorithm(), Algorithm::HmacSha1 | Algorithm::HmacSha256 | Algorithm::HmacSha512);
        Ok(Verifier {
            inner: Arc::new(Inner {
                name: scheme.name(),
                delivery_header: scheme.delivery_id_header(),
                scheme,
                is_mac,
                keys,
                tolerance,
                window,
                clock: self.clock,
                scope: scope.into(),
                replay_ttl,
                claim_lease: self.claim_lease,
                identity: self.identity,
            }),
        })
    }
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key_ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("VerifierBuilder")
            .field("scheme", &self.scheme.name())
            .field("keys", &key_ids)
            .field("past", &self.past)
            .field("future", &self.future)
            .field("skip_timestamp_check", &self.skip_timestamp_check)
            .finish_non_exhaustive()
    }
}

/// The SHA-256 of the content that `write` feeds, piece by piece.
fn sha256(write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> [u8; 32] {
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    write(&mut |piece| hash.update(piece));
    hash.finalize().into()
}

#[cfg(test)]
impl Verifier {
    /// The replay key of a delivery that verifies.
    pub(crate) fn replay_key_of(&self, headers: &(impl Headers + ?Sized), body: &[u8]) -> crate::ReplayKey {
        let request = Request::new(&headers, body);
        let mut verified = self.verify_request(&request).expect("the delivery verifies");
        self.identify(&request, &mut verified);
        verified.replay_key().expect("identified")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FixedClock;
    use crate::preset::{GitHub, StandardWebhooks, Stripe};

    const NOW: i64 = 1_700_000_000;
    const OLD: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const NEW: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

    fn standard(keys: &[(&str, &str)]) -> VerifierBuilder {
        keys.iter()
            .fold(Verifier::builder(StandardWebhooks), |builder, (id, secret)| builder.key(*id, secret))
            .clock(FixedClock::at(NOW))
    }

    #[test]
    fn rotation_reports_the_key_that_matched() {
        let old = standard(&[("old", OLD)]).build().unwrap();
        let both = standard(&[("new", NEW), ("old", OLD)]).build().unwrap();
        let headers = old.sign(&Message::new(b"{}").id("msg_1")).unwrap();
        assert_eq!(both.verify(&headers, b"{}").unwrap().key_id(), "old");
        assert_eq!(both.key_ids().collect::<Vec<_>>(), ["new", "old"]);
    }

    #[test]
    fn replay_keys_do_not_depend_on_which_signature_matched() {
        // A delivery signed with both keys, then stripped of one signature, is still the same
        // delivery; for a scheme without a signed id the key comes from the first key's MAC.
        let verifier = Verifier::builder(Stripe)
            .key("new", "whsec_new_secret_0123456789")
            .key("old", "whsec_old_secret_0123456789")
            .clock(FixedClock::at(NOW))
            .build()
            .unwrap();
        let by_old = Verifier::builder(Stripe).secret("whsec_old_secret_0123456789").build().unwrap();
        let by_new = Verifier::builder(Stripe).secret("whsec_new_secret_0123456789").build().unwrap();
        let message = Message::new(b"{}").timestamp(NOW);
        let (by_new, by_old) = (by_new.sign(&message).unwrap(), by_old.sign(&message).unwrap());
        let first = verifier.verify(&by_new, b"{}").unwrap();
        let second = verifier.verify(&by_old, b"{}").unwrap();
        assert_ne!(first.key_id(), second.key_id());
        let key = verifier.replay_key_of(&by_new, b"{}");
        assert_eq!(key, verifier.replay_key_of(&by_old, b"{}"));
        assert!(key.as_str().starts_with("stripe:content:"));
    }

    #[test]
    fn key_configuration_mistakes_are_refused() {
        assert_eq!(Verifier::builder(GitHub).build().unwrap_err(), ConfigError::NoKeys);
        let dup = Verifier::builder(GitHub).key("a", "0123456789abcdef").key("a", "fedcba9876543210");
        assert_eq!(dup.build().unwrap_err().reason(), "duplicate_key_id");
        let many =
            (0..=MAX_KEYS).fold(Verifier::builder(GitHub), |b, i| b.key(i.to_string(), "0123456789abcdef"));
        assert_eq!(many.build().unwrap_err(), ConfigError::TooManyKeys { max: MAX_KEYS });
        assert_eq!(Verifier::builder(GitHub).secret("").build().unwrap_err().reason(), "empty_secret");
        assert_eq!(Verifier::builder(Stripe).secret("").build().unwrap_err().reason(), "empty_secret");
    }

    #[test]
    fn tolerance_defaults_to_the_scheme_and_can_be_narrowed_or_skipped() {
        let default = standard(&[("k", OLD)]).build().unwrap();
        assert_eq!(default.tolerance(), Some(Tolerance::FIVE_MINUTES));
        assert_eq!(default.replay_ttl(), DEFAULT_REPLAY_TTL, "as long as senders retry, not just the window");

        let narrow = standard(&[("k", OLD)]).tolerance_future(Duration::from_secs(5)).build().unwrap();
        let ahead = narrow.sign(&Message::new(b"{}").id("m").timestamp(NOW + 6)).unwrap();
        assert_eq!(narrow.verify(&ahead, b"{}").unwrap_err().reason(), "timestamp_too_new");

        let skipped = standard(&[("k", OLD)]).skip_timestamp_check().build().unwrap();
        let ancient = skipped.sign(&Message::new(b"{}").id("m").timestamp(1)).unwrap();
        assert!(skipped.verify(&ancient, b"{}").is_ok());
        assert_eq!(skipped.replay_ttl(), DEFAULT_REPLAY_TTL);

        let zero = standard(&[("k", OLD)]).tolerance(Duration::ZERO).build();
        assert_eq!(zero.unwrap_err(), ConfigError::ZeroTolerance);
    }

    #[test]
    fn replay_ttl_never_undercuts_the_window() {
        let short = standard(&[("k", OLD)]).replay_ttl(Duration::from_secs(1)).build().unwrap();
        assert_eq!(short.replay_ttl(), Duration::from_secs(601));
        let untimed = Verifier::builder(GitHub).secret("0123456789abcdef").build().unwrap();
        assert_eq!(untimed.replay_ttl(), DEFAULT_REPLAY_TTL);
    }

    #[test]
    fn duplicated_signature_headers_are_refused() {
        let verifier = standard(&[("k", OLD)]).build().unwrap();
        let signed = verifier.sign(&Message::new(b"{}").id("m")).unwrap();
        let mut headers: Vec<(&str, &str)> = signed.iter().collect();
        headers.push(("Webhook-Signature", signed.get("webhook-signature").unwrap()));
        assert_eq!(verifier.verify(&headers, b"{}").unwrap_err().reason(), "duplicate_header");
    }

    #[test]
    fn stale_timestamps_are_refused_before_any_mac_work_with_the_skew() {
        let verifier = standard(&[("k", OLD)]).build().unwrap();
        // A garbage signature would be a mismatch; the stale timestamp is reported first.
        let headers = [
            ("webhook-id", "m"),
            ("webhook-timestamp", "1699999000"),
            ("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        ];
        let err = verifier.verify(&headers, b"{}").unwrap_err();
        assert_eq!(err, VerifyError::TimestampTooOld { skew: Duration::from_secs(1000) });
        assert_eq!(err.status(), 401);
    }

    #[test]
    fn unwritable_timestamps_are_a_sign_error_not_a_panic() {
        let verifier = standard(&[("k", OLD)]).build().unwrap();
        let before_1970 = verifier.sign(&Message::new(b"{}").id("m").timestamp(-1));
        assert_eq!(before_1970.unwrap_err(), SignError::InvalidTimestamp);
        assert!(verifier.sign(&Message::new(b"{}").id("m").timestamp(0)).is_ok());
    }

    #[test]
    fn debug_output_never_contains_secrets() {
        let builder = standard(&[("k", OLD)]);
        assert!(!format!("{builder:?}").contains("MfKQ9r8"));
        let verifier = builder.build().unwrap();
        let shown = format!("{verifier:?}");
        assert!(shown.contains("\"k\"") && !shown.contains("MfKQ9r8"), "{shown}");
    }
}
