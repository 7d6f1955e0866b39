//! A claimed delivery, resolved by commit or release.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::VerifyError;
use crate::metrics::{self, Stopwatch};
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
    /// When the claim was acquired: the handler runs from then (for its duration metric).
    claimed: Stopwatch,
    /// The preset of a claim an [`Endpoint`](crate::Endpoint) took: resolving it records the
    /// delivery's outcome and the handler's duration, whichever way it is resolved (the
    /// layer's settle, an extractor's commit, a drop).
    preset: Option<&'static str>,
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
        Self::acquire_from(store, key, lease, ttl, Stopwatch::start(), None).await
    }

    /// [`acquire`](Self::acquire), timing the store's answer from `watch` (the end of the
    /// verification, read once for both), for a delivery of `preset` whose outcome the claim
    /// records.
    pub(crate) async fn acquire_from(
        store: Arc<S>,
        key: ReplayKey,
        lease: Duration,
        ttl: Duration,
        watch: Stopwatch,
        preset: Option<&'static str>,
    ) -> Result<Self, VerifyError> {
        let outcome = store.claim(&key, lease).await;
        let result = match &outcome {
            Ok(ClaimOutcome::Fresh(_)) => "fresh",
            Ok(ClaimOutcome::Duplicate) => "duplicate",
            Ok(ClaimOutcome::InFlight) => "in_flight",
            Err(_) => "error",
        };
        // The claim's answer is also when the handler starts.
        let claimed = Stopwatch::start();
        let error = outcome.as_ref().err().map(metrics::store_error_kind);
        metrics::store_call("claim", result, error, watch, claimed);
        match outcome? {
            ClaimOutcome::Fresh(token) => {
                metrics::claims_in_flight(1.0);
                Ok(Self { store, key, token, ttl, resolved: false, claimed, preset })
            }
            ClaimOutcome::Duplicate => Err(VerifyError::Duplicate),
            ClaimOutcome::InFlight => Err(VerifyError::InFlight),
        }
    }

    /// Marks the claim resolved before the store call is awaited (a cancelled commit or
    /// release must not release again on drop, nor count the claim twice), and records the
    /// delivery as processed or not, the handler having answered at `answered`.
    fn resolve(&mut self, processed: bool, answered: Stopwatch) {
        self.resolved = true;
        metrics::claims_in_flight(-1.0);
        if let Some(preset) = self.preset {
            let outcome = if processed { "processed" } else { "failed" };
            metrics::delivery(preset, outcome, "none");
            metrics::handler(preset, outcome, self.claimed, answered);
        }
    }

    /// Commits or releases, timing the store call from `start` (the handler's answer, read
    /// once for both).
    pub(crate) async fn resolve_from(mut self, commit: bool, start: Stopwatch) -> Result<(), StoreError> {
        self.resolve(commit, start);
        let (operation, result) = if commit {
            ("commit", self.store.commit(&self.key, self.token, self.ttl).await)
        } else {
            ("release", self.store.release(&self.key, self.token).await)
        };
        record_resolution(operation, start, &result);
        result
    }

    /// Marks the delivery processed, so copies of it are answered as duplicates.
    ///
    /// # Errors
    ///
    /// The store could not answer. The claim is then kept, not released: the delivery was
    /// processed, and copies get "in flight" until the claim's lease lapses.
    pub async fn commit(self) -> Result<(), StoreError> {
        // Resolved whatever the outcome: a failed commit must not release on drop.
        self.resolve_from(true, Stopwatch::start()).await
    }

    /// Forgets the claim, so the sender's retry is processed.
    ///
    /// # Errors
    ///
    /// The store could not answer; the claim then lapses after its lease.
    pub async fn release(self) -> Result<(), StoreError> {
        self.resolve_from(false, Stopwatch::start()).await
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

    /// Resolves the claim without a call to the store, for a caller that committed the
    /// delivery itself (a store whose commit rides in the handler's own database transaction):
    /// it counts as processed, and nothing is released when it is dropped. Returns the key,
    /// token and TTL.
    pub fn into_resolved(mut self) -> (ReplayKey, ClaimToken, Duration) {
        self.resolve(true, Stopwatch::start());
        (self.key.clone(), self.token, self.ttl)
    }
}

/// Records a commit's or a release's store call.
fn record_resolution(operation: &'static str, start: Stopwatch, result: &Result<(), StoreError>) {
    let error = result.as_ref().err().map(metrics::store_error_kind);
    metrics::store_call(
        operation,
        if error.is_some() { "error" } else { "ok" },
        error,
        start,
        Stopwatch::start(),
    );
}

impl<S: ReplayStore + ?Sized> Drop for Claim<S> {
    fn drop(&mut self) {
        if !self.resolved {
            self.resolve(false, Stopwatch::start());
            metrics::store_result("release_detached", "ok", None);
            self.store.release_detached(self.key.clone(), self.token);
        }
    }
}

impl<S: ReplayStore + ?Sized> fmt::Debug for Claim<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim").field("key", &self.key).field("ttl", &self.ttl).finish_non_exhaustive()
    }
}
