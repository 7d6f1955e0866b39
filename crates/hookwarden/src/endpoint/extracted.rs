//! What an adapter's extractor hands the handler.

use crate::replay::{Claim, StoreError};
use crate::verified::Verified;

/// A verified delivery as an extractor hands it to the handler: what was verified, the body
/// extracted as `T`, and the delivery's claim, which the handler settles.
///
/// An extractor cannot see the handler's answer, so the handler calls
/// [`commit`](Self::commit) once the delivery is processed. A claim not committed is released
/// when this is dropped (the handler failed, panicked or returned early), so the sender's retry
/// is processed. The adapters' `Webhook<T>` extractors hold one.
#[derive(Debug)]
pub struct Extracted<T> {
    /// What was verified: the delivery id, timestamp, the key that matched, the identity.
    pub verified: Verified,
    /// The body, extracted as `T`.
    pub payload: T,
    claim: Option<Claim>,
}

impl<T> Extracted<T> {
    /// A delivery for the handler; `claim` is `None` where there is no replay store, or where a
    /// middleware holds the claim and settles it from the handler's answer.
    pub fn new(verified: Verified, payload: T, claim: Option<Claim>) -> Self {
        Self { verified, payload, claim }
    }

    /// Marks the delivery processed, so copies are acknowledged as duplicates. Does nothing
    /// when there is no claim to settle here.
    ///
    /// # Errors
    ///
    /// The store could not answer; the claim is then kept until its lease lapses.
    pub async fn commit(&mut self) -> Result<(), StoreError> {
        Claim::commit_held(&mut self.claim).await
    }

    /// The payload, what was verified, and the claim not yet settled, if any.
    pub fn into_parts(self) -> (T, Verified, Option<Claim>) {
        (self.payload, self.verified, self.claim)
    }
}
