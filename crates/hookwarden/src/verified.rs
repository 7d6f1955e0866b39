//! What a successful verification tells the handler.

use std::sync::Arc;
use std::time::Duration;

use crate::replay::{Identity, ReplayKey};
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
