//! What a successful verification tells the handler.

use std::sync::Arc;
use std::time::Duration;

use crate::headers::{HeaderName, Headers, Lookup};
use crate::replay::{Identity, IdentitySource, ReplayKey};
use crate::scheme::EventId;

/// An authentic, fresh delivery: what was signed and which key signed it.
///
/// Adapters put it in the request's extensions for the handler. It holds no secret and no MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub(crate) scheme: &'static str,
    pub(crate) id: Option<EventId>,
    pub(crate) timestamp: Option<i64>,
    pub(crate) key_id: Arc<str>,
    pub(crate) scope: Arc<str>,
    /// The first 16 bytes of the first key's MAC (or, for other algorithms, of a SHA-256) over
    /// the signed content.
    pub(crate) content_digest: [u8; 16],
    /// Whether the signed content holds no timestamp and no URL, so that `content_digest` is
    /// already the content identity.
    pub(crate) content_is_identity: bool,
    /// The tolerance window (both edges included) a signed timestamp was checked against.
    pub(crate) window: Option<Duration>,
    pub(crate) identity: Option<Identity>,
    /// The provider's own delivery id, signed or not (see [`Verified::delivery_id`]).
    pub(crate) delivery_id: DeliveryId,
}

impl Verified {
    /// The scheme's name, such as `"stripe"`.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// The delivery id, when the scheme signs one. Unsigned id headers (GitHub's
    /// `X-GitHub-Delivery`, say) are never reported here: they cannot be trusted.
    pub fn id(&self) -> Option<&str> {
        self.id.as_ref().map(EventId::as_str)
    }

    /// The provider's own name for this delivery, for **correlation only**: to find it in the
    /// provider's dashboard, in its support tickets and in your logs.
    ///
    /// It is the header in which the provider names the delivery
    /// ([`Scheme::delivery_id_header`](crate::Scheme::delivery_id_header): `X-GitHub-Delivery`,
    /// `X-Shopify-Webhook-Id`, `Linear-Delivery`, `X-Gitlab-Webhook-UUID`), which is **not
    /// signed** and which anyone can set, as the [`Endpoint`](crate::Endpoint)'s verify step
    /// read it (the tower and actix adapters, and code that drives the steps by hand;
    /// [`Verifier::verify`](crate::Verifier::verify) alone reads no unsigned header); else the
    /// [signed id](Self::id) (Standard Webhooks' `webhook-id`); else, once the
    /// [identity](Self::identity) was worked out from the provider's event id in the body
    /// (Stripe's `evt_...`), that id. A header value longer than 64 bytes or not visible ASCII
    /// is left out.
    ///
    /// Never use it to recognise a replay: hookwarden's replay keys come from signed data only
    /// (see [`replay`](crate::replay)), and so must yours.
    ///
    /// ```
    /// use hookwarden::endpoint::{Endpoint, Head};
    /// use hookwarden::{Verifier, preset::GitHub};
    ///
    /// let endpoint = Endpoint::new(Verifier::builder(GitHub).secret("It's a Secret to Everybody").build()?);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert(
    ///     "x-hub-signature-256",
    ///     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17".parse()?,
    /// );
    /// headers.insert("x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958".parse()?);
    /// let head = Head::new("POST", "/webhooks", &headers);
    /// let admission = endpoint.admit(&head)?;
    /// let delivery = endpoint.verify(&head, &admission, b"Hello, World!")?;
    /// assert_eq!(delivery.verified().delivery_id(), Some("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
    /// assert_eq!(delivery.verified().id(), None); // nothing GitHub signs names the delivery
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delivery_id(&self) -> Option<&str> {
        self.delivery_id.as_str().or_else(|| self.id()).or_else(|| match &self.identity {
            Some(identity) if matches!(identity.source(), IdentitySource::BodyField(_)) => {
                identity.as_event_id()
            }
            _ => None,
        })
    }

    /// The signed timestamp in Unix seconds, when the scheme signs one.
    pub fn timestamp(&self) -> Option<i64> {
        self.timestamp
    }

    /// The id of the key whose MAC matched.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// What identifies the delivery's event across its sender's retries, once it was worked
    /// out by [`Verifier::identify`](crate::Verifier::identify) (the adapters do when a replay
    /// store is configured); `None` before.
    pub fn identity(&self) -> Option<Identity> {
        self.identity
    }

    /// The key under which a replay store remembers this delivery: the verifier's scope and
    /// the [`identity`](Self::identity); `None` before the identity was worked out.
    pub fn replay_key(&self) -> Option<ReplayKey> {
        self.identity.map(|identity| identity.replay_key(&self.scope, self.window))
    }
}

/// The most bytes of a delivery-id header kept (a UUID takes 36).
const DELIVERY_ID_MAX: usize = 64;

/// A provider's delivery id, kept inline so that verifying allocates nothing; empty when there
/// is none.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeliveryId {
    bytes: [u8; DELIVERY_ID_MAX],
    len: u8,
}

impl DeliveryId {
    pub(crate) const EMPTY: Self = Self { bytes: [0; DELIVERY_ID_MAX], len: 0 };

    /// The value of the header `name`, when it appears once and is 1 to 64 visible ASCII bytes.
    pub(crate) fn read(headers: &dyn Headers, name: &HeaderName) -> Self {
        let mut id = Self::EMPTY;
        if let Lookup::One(raw) = headers.lookup(name)
            && !raw.is_empty()
            && raw.len() <= DELIVERY_ID_MAX
            && raw.iter().all(u8::is_ascii_graphic)
        {
            id.bytes[..raw.len()].copy_from_slice(raw);
            // Fits: at most DELIVERY_ID_MAX (64) bytes.
            id.len = raw.len() as u8;
        }
        id
    }

    /// The id, if there is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        // Only visible ASCII is stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).ok().filter(|id| !id.is_empty())
    }
}

impl std::fmt::Debug for DeliveryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.as_str(), f)
    }
}
