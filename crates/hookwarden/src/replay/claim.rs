//! A claimed delivery, resolved by commit or release.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::VerifyError;
use crate::replay::{ClaimOutcome, ClaimToken, ReplayKey, ReplayStore, StoreError};

/// A delivery claimed in a replay store: the caller is the one processing it.
///
/// Resolve it with [`commit`](Self::commit) once the delivery is handled, or
/// [`release`](Self::release) when handling failed. A claim dropped unresolved (a panic, a
/// cancelled future) is released through [`ReplayStore::release_detached`], so the sender's
/// retry is processed.
#[must_use = "commit the claim once the delivery is handled, or release it"]
pub struct Claim<S: ReplayStore + ?Sized = dyn ReplayStore> {
    store: Arc<S>,
    key: ReplayKey,
    token: ClaimToken,
    ttl: Duration,
    resolved: bool,
}

impl<S: ReplayStore + ?Sized> Claim<S> {
    /// Claims `key` for `ttl` in `store`.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Duplicate`], [`VerifyError::InFlight`] or
    /// [`VerifyError::StoreUnavailable`].
    pub async fn acquire(store: Arc<S>, key: ReplayKey, ttl: Duration) -> Result<Self, VerifyError> {
        match store.claim(&key, ttl).await? {
            ClaimOutcome::Fresh(token) => Ok(Self { store, key, token, ttl, resolved: false }),
            ClaimOutcome::Duplicate => Err(VerifyError::Duplicate),
            ClaimOutcome::InFlight => Err(VerifyError::InFlight),
        }
    }

    /// Marks the delivery processed, so copies of it are answered as duplicates.
    ///
    /// # Errors
    ///
    /// The store could not answer; the claim then lapses after its TTL.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.store.commit(&self.key, self.token, self.ttl).await?;
        self.resolved = true;
        Ok(())
    }

    /// Forgets the claim, so the sender's retry is processed.
    ///
    /// # Errors
    ///
    /// The store could not answer; the claim then lapses after its TTL.
    pub async fn release(mut self) -> Result<(), StoreError> {
        self.store.release(&self.key, self.token).await?;
        self.resolved = true;
        Ok(())
    }

    /// The claimed key.
    pub fn key(&self) -> &ReplayKey {
        &self.key
    }
}

impl<S: ReplayStore + ?Sized> Drop for Claim<S> {
    fn drop(&mut self) {
        if !self.resolved {
            self.store.release_detached(self.key.clone(), self.token);
        }
    }
}

impl<S: ReplayStore + ?Sized> fmt::Debug for Claim<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim").field("key", &self.key).field("ttl", &self.ttl).finish_non_exhaustive()
    }
}
