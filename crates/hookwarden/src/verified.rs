//! What a successful verification tells the handler.

use std::sync::Arc;

use crate::replay::ReplayKey;
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
    /// The first 16 bytes of the first key's MAC over the signed content.
    pub(crate) replay_digest: [u8; 16],
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

    /// The key under which a replay store remembers this delivery: the verifier's scope and
    /// the signed id, or, where the scheme signs no id, a digest of the signed content.
    pub fn replay_key(&self) -> ReplayKey {
        match &self.id {
            Some(id) => ReplayKey::new(format!("{}:id:{}", self.scope, id)),
            None => ReplayKey::new(format!(
                "{}:mac:{}",
                self.scope,
                base16ct::lower::encode_string(&self.replay_digest)
            )),
        }
    }
}
