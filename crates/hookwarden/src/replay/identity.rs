//! What identifies an event across its sender's retries.

use std::fmt;
use std::time::Duration;

use crate::replay::ReplayKey;
use crate::scheme::EventId;

/// Where a delivery's [`Identity`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentitySource {
    /// The id the scheme signs, such as Standard Webhooks' `webhook-id`.
    SignedId,
    /// The provider's event id in the signed JSON body, at this path (such as Stripe's `id`).
    BodyField(&'static str),
    /// A digest of the signed content without its timestamp, with a URL in one canonical
    /// spelling: where the provider signs no id, or the body lacks it.
    Content,
    /// The function given to [`VerifierBuilder::identity`](crate::VerifierBuilder::identity).
    Custom,
}

impl IdentitySource {
    /// A short, stable name for logs and metrics: `signed_id`, `body_field`, `content` or
    /// `custom`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedId => "signed_id",
            Self::BodyField(_) => "body_field",
            Self::Content => "content",
            Self::Custom => "custom",
        }
    }

    /// The tag that separates the sources inside a replay key, so that an id never collides
    /// with a digest.
    fn tag(self) -> &'static str {
        match self {
            Self::SignedId => "id",
            Self::BodyField(_) => "event",
            Self::Content => "content",
            Self::Custom => "custom",
        }
    }
}

/// What identifies a delivery's event: the same for every retry of that event, different for
/// every other event. It comes only from signed data; see the [module docs](crate::replay)
/// for what each preset uses.
///
/// Held inline (an id of up to 128 bytes, or a 16-byte digest): working it out allocates
/// nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identity {
    source: IdentitySource,
    value: Value,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Value {
    Id(EventId),
    Digest([u8; 16]),
}

impl Identity {
    pub(crate) fn id(source: IdentitySource, id: EventId) -> Self {
        Self { source, value: Value::Id(id) }
    }

    pub(crate) fn digest(source: IdentitySource, digest: [u8; 16]) -> Self {
        Self { source, value: Value::Digest(digest) }
    }

    /// The id, when it is one (not a digest).
    pub(crate) fn as_event_id(&self) -> Option<&str> {
        match &self.value {
            Value::Id(id) => Some(id.as_str()),
            Value::Digest(_) => None,
        }
    }

    /// Where it came from.
    pub fn source(&self) -> IdentitySource {
        self.source
    }

    /// The key a replay store remembers it under: `{scope}:{source}:{value}`, where the value
    /// is the id as sent or the digest in hex.
    pub(crate) fn replay_key(&self, scope: &str, window: Option<Duration>) -> ReplayKey {
        let key = ReplayKey::new(format!("{scope}:{}:{self}", self.source.tag()));
        match window {
            Some(window) => key.replay_window(window),
            None => key,
        }
    }
}

impl fmt::Display for Identity {
    /// The id as sent, or the digest in lowercase hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Value::Id(id) => f.write_str(id.as_str()),
            Value::Digest(digest) => digest.iter().try_for_each(|byte| write!(f, "{byte:02x}")),
        }
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("source", &self.source)
            .field("value", &format_args!("{self}"))
            .finish()
    }
}

/// What a function given to [`VerifierBuilder::identity`](crate::VerifierBuilder::identity)
/// may read: only what the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct IdentityParts<'a> {
    verified: &'a crate::Verified,
    body: Option<&'a [u8]>,
}

impl<'a> IdentityParts<'a> {
    pub(crate) fn new(verified: &'a crate::Verified, body: Option<&'a [u8]>) -> Self {
        Self { verified, body }
    }

    /// The verified delivery: its signed id and timestamp, the key that matched.
    pub fn verified(&self) -> &'a crate::Verified {
        self.verified
    }

    /// The body, when the scheme signs all of it; `None` for schemes that sign only some of
    /// its fields (Mailgun, Adyen's classic notifications), whose other bytes anyone may change.
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
    }
}
