//! A claimed delivery, resolved by commit or release.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::VerifyError;
use crate::replay::{ClaimOutcome, ClaimToken, CommitRule, ReplayKey, ReplayStore, StoreError};

/// A delivery claimed in a replay store: the caller is the one processing it.
///
/// Resolve it with [`commit`](Self::commit) once the delivery is processed, or
/// [`release`](Self::release) when processing failed; [`settle`](Self::settle) picks one from
/// the handler's status. A claim dropped unresolved (a panic, a cancelled future) is released
/// through [`ReplayStore::release_detached`], so the sender's retry is processed. A commit
/// that fails keeps the claim: copies are answered "in flight" until its lease lapses, never
/// processed a second time meanwhile.
#[must_use = "commit the claim once the delivery is handled, or release it"]
pub struct Claim<S: ReplayStore + ?Sized = dyn ReplayStore> {
    store: Arc<S>,
    key: ReplayKey,
    token: ClaimToken,
    ttl: Duration,
    resolved: bool,
}

impl<S: ReplayStore + ?Sized> Claim<S> {
    /// Claims `key` in `store` for `lease`; a commit then keeps it for `ttl`.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Duplicate`], [`VerifyError::InFlight`] or
    /// [`VerifyError::StoreUnavailable`].
    pub async fn acquire(
        store: Arc<S>,
        key: ReplayKey,
        lease: Duration,
        ttl: Duration,
    ) -> Result<Self, VerifyError> {
        match store.claim(&key, lease).await? {
            ClaimOutcome::Fresh(token) => Ok(Self { store, key, token, ttl, resolved: false }),
            ClaimOutcome::Duplicate => Err(VerifyError::Duplicate),
            ClaimOutcome::InFlight => Err(VerifyError::InFlight),
        }
    }

    /// Marks the delivery processed, so copies of it are answered as duplicates.
    ///
    /// # Errors
    ///
    /// The store could not answer. The claim is then kept, not released: the delivery was
    /// processed, and copies get "in flight" until the claim's lease lapses.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        // Resolved whatever the outcome: a failed commit must not release on drop.
        self.resolved = true;
        self.store.commit(&self.key, self.token, self.ttl).await
    }

    /// Forgets the claim, so the sender's retry is processed.
    ///
    /// # Errors
    ///
    /// The store could not answer; the claim then lapses after its lease.
    pub async fn release(mut self) -> Result<(), StoreError> {
        self.resolved = true;
        self.store.release(&self.key, self.token).await
    }

    /// Commits when `rule` says a handler that answered `status` processed the delivery, and
    /// releases otherwise. Returns whether it committed.
    ///
    /// # Errors
    ///
    /// As for [`commit`](Self::commit) and [`release`](Self::release).
    pub async fn settle(self, status: u16, rule: &(impl CommitRule + ?Sized)) -> Result<bool, StoreError> {
        if rule.processed(status) {
            self.commit().await.map(|()| true)
        } else {
            self.release().await.map(|()| false)
        }
    }

    /// Commits the claim `held` still holds, if any, and leaves it empty: for extractors, whose
    /// handler settles the claim itself (dropping it unsettled releases it).
    ///
    /// # Errors
    ///
    /// As for [`commit`](Self::commit).
    pub async fn commit_held(held: &mut Option<Self>) -> Result<(), StoreError> {
        match held.take() {
            Some(claim) => claim.commit().await,
            None => Ok(()),
        }
    }

    /// The claimed key.
    pub fn key(&self) -> &ReplayKey {
        &self.key
    }

    /// The token that holds the key: what a store's commit and release are given.
    pub fn token(&self) -> ClaimToken {
        self.token
    }

    /// How long a commit remembers the delivery.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Resolves the claim without a call to the store, for a caller that recorded the outcome
    /// itself (a store whose commit rides in the handler's own database transaction): nothing
    /// is released when it is dropped. Returns the key, token and TTL.
    pub fn into_resolved(mut self) -> (ReplayKey, ClaimToken, Duration) {
        self.resolved = true;
        (self.key.clone(), self.token, self.ttl)
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
