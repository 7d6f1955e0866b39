//! Replay protection: remembering which deliveries were already processed.
//!
//! A verified delivery is *claimed* in a [`ReplayStore`] before its handler runs. The store
//! answers atomically: fresh (this caller processes it), duplicate (already processed) or in
//! flight (someone is processing it now). When the handler succeeds the claim is committed;
//! when it fails the claim is released, so the sender's retry is processed: nothing is lost.
//!
//! Keys come only from signed data (see [`Verified::replay_key`](crate::Verified::replay_key)),
//! and claims happen only after the signature verified, so forged traffic cannot fill a store.
//! [`MemoryStore`] serves one process; receivers running on several instances need a shared
//! store such as Redis.

mod claim;
mod memory;

pub use claim::Claim;
pub use memory::MemoryStore;

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Whether a handler's answer means the delivery was processed, so its claim is committed.
///
/// Below 500 it was, except 413: after the adapter's own body limit passed, a 413 can only come
/// from a lower limit further in (an extractor's), so the handler never saw the delivery.
/// Everything else (500 and above) releases the claim, so the sender's retry is processed.
///
/// ```
/// assert!(hookwarden::replay::handled(204));
/// assert!(hookwarden::replay::handled(422));
/// assert!(!hookwarden::replay::handled(413));
/// assert!(!hookwarden::replay::handled(503));
/// ```
pub fn handled(status: u16) -> bool {
    status < 500 && status != 413
}

/// The future a [`ReplayStore`] method returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A store that remembers processed deliveries, shared by every request (and, for shared
/// stores, every instance) of a receiver.
pub trait ReplayStore: fmt::Debug + Send + Sync + 'static {
    /// Atomically claims `key` for `ttl`, unless it is already claimed or processed.
    fn claim<'a>(&'a self, key: &'a ReplayKey, ttl: Duration) -> StoreFuture<'a, ClaimOutcome>;

    /// Marks a claimed key processed for `ttl` from now. A key that is now held by another
    /// claim is left alone.
    fn commit<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken, ttl: Duration) -> StoreFuture<'a, ()>;

    /// Forgets a claimed key, so the delivery can be processed again, but only if `token`
    /// still holds it: a late release never frees someone else's claim.
    fn release<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken) -> StoreFuture<'a, ()>;

    /// Releases a claim from a destructor, where nothing can be awaited (a handler panicked,
    /// or the client went away). It must not block; a networked store spawns the release.
    fn release_detached(&self, key: ReplayKey, token: ClaimToken);
}

/// A shared store is a store: `Arc<dyn ReplayStore>` can go wherever a store is expected.
impl<S: ReplayStore + ?Sized> ReplayStore for std::sync::Arc<S> {
    fn claim<'a>(&'a self, key: &'a ReplayKey, ttl: Duration) -> StoreFuture<'a, ClaimOutcome> {
        (**self).claim(key, ttl)
    }

    fn commit<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken, ttl: Duration) -> StoreFuture<'a, ()> {
        (**self).commit(key, token, ttl)
    }

    fn release<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken) -> StoreFuture<'a, ()> {
        (**self).release(key, token)
    }

    fn release_detached(&self, key: ReplayKey, token: ClaimToken) {
        (**self).release_detached(key, token);
    }
}

/// What a store answered to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// The key was free and is now claimed by this token.
    Fresh(ClaimToken),
    /// The delivery was already processed.
    Duplicate,
    /// Another claim holds the key and has not finished.
    InFlight,
}

/// Identifies one claim, so only its owner can commit or release it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClaimToken(u128);

impl ClaimToken {
    /// A token; stores choose values that their other claims never reuse.
    pub fn new(value: u128) -> Self {
        Self(value)
    }

    /// The token's value.
    pub fn get(self) -> u128 {
        self.0
    }
}

/// The key a delivery is remembered under: the verifier's scope and signed data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplayKey(String);

impl ReplayKey {
    /// A key from its text.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key's text (printable ASCII for the keys a verifier derives).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReplayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A store could not answer.
#[derive(Debug)]
pub struct StoreError {
    kind: StoreErrorKind,
    source: Option<Box<dyn Error + Send + Sync>>,
}

/// Why a store could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// The store is at capacity and refuses new claims rather than forget live ones.
    Full,
    /// The store did not answer in time.
    Timeout,
    /// The store is unreachable or failed.
    Unavailable,
}

impl StoreError {
    /// An error of `kind`.
    pub fn new(kind: StoreErrorKind) -> Self {
        Self { kind, source: None }
    }

    /// An unavailable store, with the underlying error.
    pub fn unavailable(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self { kind: StoreErrorKind::Unavailable, source: Some(source.into()) }
    }

    /// Why the store could not answer.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            StoreErrorKind::Full => f.write_str("replay store is full"),
            StoreErrorKind::Timeout => f.write_str("replay store did not answer in time"),
            StoreErrorKind::Unavailable => f.write_str("replay store is unavailable"),
        }
    }
}

impl Error for StoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

impl From<StoreError> for crate::VerifyError {
    fn from(_: StoreError) -> Self {
        Self::StoreUnavailable
    }
}
