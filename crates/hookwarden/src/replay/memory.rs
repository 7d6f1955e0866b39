//! An in-process replay store.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::error::ConfigError;
use crate::replay::{
    ClaimOutcome, ClaimToken, ReplayKey, ReplayStore, StoreError, StoreErrorKind, StoreFuture,
};

/// Shards, so concurrent claims rarely wait on the same lock.
const SHARDS: usize = 16;

/// A replay store in this process's memory: sharded, with entries that expire after their TTL.
///
/// It is bounded. When full, it first drops expired entries. If none are left to drop, it
/// evicts processed entries, those nearest to expiry first, among the ones it may forget:
///
/// - entries of providers that sign no timestamp (GitHub, Shopify, ...), whose replay
///   protection is only as long as the store remembers anyway;
/// - entries of providers that sign one (Stripe, Standard Webhooks, ...) once their timestamp
///   window has passed: a copy is refused by its stale timestamp by then, and forgetting the
///   entry only shortens how long the provider's late retries are recognized.
///
/// A warning in the logs says by how much it forgot early (one line per batch of evictions,
/// not per delivery). Entries in flight, and entries still inside their timestamp window, are
/// never evicted: a store full of them refuses new claims (the adapters answer 503, the sender
/// retries later), because evicting one would let a captured copy through.
///
/// Size it for what it must never forget: deliveries per second times the timestamp window
/// (at 10 Stripe deliveries a second and a ±5 minute window, 6,000 entries). To recognize late
/// retries for the whole replay TTL too, deliveries per second times the TTL: the default of
/// 100,000 covers 1.2 deliveries a second for a day. Each entry takes about 100 bytes plus its
/// key.
///
/// It serves one process only; receivers on several instances need a shared store.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use hookwarden::{ClaimOutcome, MemoryStore, ReplayKey, ReplayStore};
///
/// # futures_executor::block_on(async {
/// let store = MemoryStore::with_capacity(10_000)?;
/// let key = ReplayKey::new("stripe:id:evt_1");
/// let ClaimOutcome::Fresh(token) = store.claim(&key, Duration::from_secs(600)).await? else {
///     unreachable!()
/// };
/// assert_eq!(store.claim(&key, Duration::from_secs(600)).await?, ClaimOutcome::InFlight);
/// store.commit(&key, token, Duration::from_secs(600)).await?;
/// assert_eq!(store.claim(&key, Duration::from_secs(600)).await?, ClaimOutcome::Duplicate);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MemoryStore {
    shards: Box<[Mutex<Shard>]>,
    per_shard: usize,
    hasher: RandomState,
    next_token: AtomicU64,
    clock: Arc<dyn Clock>,
}

type Shard = HashMap<Box<str>, Entry>;

#[derive(Debug, Clone, Copy)]
struct Entry {
    state: State,
    /// Unix seconds at which the entry is gone.
    expires_at: i64,
    /// Unix seconds from which a full store may forget it early: the end of its timestamp
    /// window once processed, never while in flight.
    evictable_from: i64,
}

impl Entry {
    fn processed(now: i64, expires_at: i64, key: &ReplayKey) -> Self {
        let window = key.window().map_or(0, seconds);
        Self { state: State::Processed, expires_at, evictable_from: now.saturating_add(window) }
    }
}

/// Whole seconds, rounded up (an entry is never forgotten sooner than asked), saturating:
/// `Duration::MAX` ("keep forever") must not wrap.
fn seconds(duration: Duration) -> i64 {
    let secs = duration.as_secs().saturating_add(u64::from(duration.subsec_nanos() > 0));
    i64::try_from(secs).unwrap_or(i64::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InFlight(ClaimToken),
    Processed,
}

impl MemoryStore {
    /// The default capacity: 100 000 deliveries, a few megabytes.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store with [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY).
    pub fn new() -> Self {
        Self::build(Self::DEFAULT_CAPACITY)
    }

    /// A store that holds about `capacity` deliveries (each shard holds an equal part).
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidStore`] when `capacity` is zero.
    pub fn with_capacity(capacity: usize) -> Result<Self, ConfigError> {
        if capacity == 0 {
            return Err(ConfigError::InvalidStore { problem: "capacity must be at least 1" });
        }
        Ok(Self::build(capacity))
    }

    fn build(capacity: usize) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard: capacity.div_ceil(SHARDS),
            hasher: RandomState::new(),
            next_token: AtomicU64::new(1),
            clock: Arc::new(SystemClock),
        }
    }

    /// The clock entries expire by (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How many live and expired entries the store holds right now.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|shard| lock(shard).len()).sum()
    }

    /// Whether the store holds no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn shard(&self, key: &ReplayKey) -> MutexGuard<'_, Shard> {
        let index = self.hasher.hash_one(key.as_str()) as usize % SHARDS;
        lock(&self.shards[index])
    }

    fn expiry(&self, now: i64, ttl: Duration) -> i64 {
        now.saturating_add(seconds(ttl))
    }

    fn claim_now(&self, key: &ReplayKey, ttl: Duration) -> Result<ClaimOutcome, StoreError> {
        let now = self.clock.now_unix();
        let mut shard = self.shard(key);
        if let Some(entry) = shard.get(key.as_str()).filter(|entry| entry.expires_at > now) {
            return Ok(match entry.state {
                State::Processed => ClaimOutcome::Duplicate,
                State::InFlight(_) => ClaimOutcome::InFlight,
            });
        }
        if shard.len() >= self.per_shard && !shard.contains_key(key.as_str()) {
            shard.retain(|_, entry| entry.expires_at > now);
            if shard.len() >= self.per_shard {
                evict_nearest_expiry(&mut shard, now)?;
            }
        }
        let token = ClaimToken::new(u128::from(self.next_token.fetch_add(1, Ordering::Relaxed)));
        let entry = Entry {
            state: State::InFlight(token),
            expires_at: self.expiry(now, ttl),
            evictable_from: i64::MAX,
        };
        shard.insert(key.as_str().into(), entry);
        Ok(ClaimOutcome::Fresh(token))
    }

    fn commit_now(&self, key: &ReplayKey, token: ClaimToken, ttl: Duration) {
        let now = self.clock.now_unix();
        let mut shard = self.shard(key);
        let expires_at = self.expiry(now, ttl);
        match shard.get_mut(key.as_str()) {
            Some(entry) if entry.state == State::InFlight(token) => {
                *entry = Entry::processed(now, expires_at, key)
            }
            // The claim lapsed and nobody took the key since: still remember the delivery.
            Some(entry) if entry.expires_at <= now => *entry = Entry::processed(now, expires_at, key),
            Some(_) => {}
            None => {
                if shard.len() < self.per_shard {
                    shard.insert(key.as_str().into(), Entry::processed(now, expires_at, key));
                }
            }
        }
    }

    fn release_now(&self, key: &ReplayKey, token: ClaimToken) {
        let mut shard = self.shard(key);
        if shard.get(key.as_str()).is_some_and(|entry| entry.state == State::InFlight(token)) {
            shard.remove(key.as_str());
        }
    }
}

/// Makes room in a full shard by forgetting the evictable processed entries nearest to expiry:
/// a sixteenth of them at a time, so that a store that stays full sorts rarely, and says in the
/// logs by how much it forgot early.
///
/// # Errors
///
/// [`StoreErrorKind::Full`] when every entry is in flight or inside its timestamp window.
fn evict_nearest_expiry(shard: &mut Shard, now: i64) -> Result<(), StoreError> {
    let evictable = |entry: &Entry| entry.state == State::Processed && entry.evictable_from <= now;
    let mut expiries: Vec<i64> =
        shard.values().filter(|entry| evictable(entry)).map(|entry| entry.expires_at).collect();
    if expiries.is_empty() {
        return Err(StoreError::new(StoreErrorKind::Full));
    }
    let last = expiries.len() / 16;
    let (_, &mut threshold, _) = expiries.select_nth_unstable(last);
    let before = shard.len();
    shard.retain(|_, entry| !(evictable(entry) && entry.expires_at <= threshold));
    tracing::warn!(
        evicted = before - shard.len(),
        forgotten_early_by_secs = threshold - now,
        "replay store is full: processed deliveries are forgotten before their TTL (copies of \
         those without a signed timestamp, and late retries, are no longer recognized); raise \
         its capacity"
    );
    Ok(())
}

/// A poisoned shard only means another thread panicked while holding it; every update leaves
/// the map consistent, so the data is still good.
fn lock(shard: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl ReplayStore for MemoryStore {
    fn claim<'a>(&'a self, key: &'a ReplayKey, ttl: Duration) -> StoreFuture<'a, ClaimOutcome> {
        let outcome = self.claim_now(key, ttl);
        Box::pin(std::future::ready(outcome))
    }

    fn commit<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken, ttl: Duration) -> StoreFuture<'a, ()> {
        self.commit_now(key, token, ttl);
        Box::pin(std::future::ready(Ok(())))
    }

    fn release<'a>(&'a self, key: &'a ReplayKey, token: ClaimToken) -> StoreFuture<'a, ()> {
        self.release_now(key, token);
        Box::pin(std::future::ready(Ok(())))
    }

    fn release_detached(&self, key: ReplayKey, token: ClaimToken) {
        self.release_now(&key, token);
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("capacity", &(self.per_shard * SHARDS))
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use futures_executor::block_on;

    use super::*;
    use crate::FixedClock;

    const TTL: Duration = Duration::from_secs(300);

    fn fresh(store: &MemoryStore, key: &ReplayKey) -> ClaimToken {
        match block_on(store.claim(key, TTL)).unwrap() {
            ClaimOutcome::Fresh(token) => token,
            other => panic!("expected a fresh claim, got {other:?}"),
        }
    }

    #[test]
    fn claim_commit_duplicate_then_expiry() {
        let clock = FixedClock::at(1_000);
        let store = MemoryStore::new().clock(clock.clone());
        let key = ReplayKey::new("k");
        let token = fresh(&store, &key);
        assert_eq!(block_on(store.claim(&key, TTL)).unwrap(), ClaimOutcome::InFlight);
        block_on(store.commit(&key, token, TTL)).unwrap();
        assert_eq!(block_on(store.claim(&key, TTL)).unwrap(), ClaimOutcome::Duplicate);
        clock.advance(TTL);
        fresh(&store, &key);
    }

    #[test]
    fn release_frees_only_its_own_claim() {
        let clock = FixedClock::at(1_000);
        let store = MemoryStore::new().clock(clock.clone());
        let key = ReplayKey::new("k");
        let first = fresh(&store, &key);
        clock.advance(TTL);
        let second = fresh(&store, &key);
        block_on(store.release(&key, first)).unwrap();
        assert_eq!(block_on(store.claim(&key, TTL)).unwrap(), ClaimOutcome::InFlight);
        block_on(store.release(&key, second)).unwrap();
        fresh(&store, &key);
    }

    #[test]
    fn a_full_store_refuses_instead_of_evicting_live_entries() {
        let clock = FixedClock::at(1_000);
        let store = MemoryStore::with_capacity(SHARDS).unwrap().clock(clock.clone());
        let mut refused = 0;
        for i in 0..SHARDS * 4 {
            match block_on(store.claim(&ReplayKey::new(format!("k{i}")), TTL)) {
                Ok(ClaimOutcome::Fresh(_)) => {}
                Err(e) => {
                    assert_eq!(e.kind(), StoreErrorKind::Full);
                    refused += 1;
                }
                Ok(other) => panic!("unexpected {other:?}"),
            }
        }
        assert!(refused >= SHARDS * 3, "only {refused} refused");
        assert!(store.len() <= SHARDS);
        // Once the entries expire, their room is reused.
        clock.advance(TTL);
        fresh(&store, &ReplayKey::new("after-expiry"));
    }

    /// Claims and commits `key` for `ttl`.
    fn process(store: &MemoryStore, key: &ReplayKey, ttl: Duration) -> Result<(), StoreError> {
        match block_on(store.claim(key, ttl))? {
            ClaimOutcome::Fresh(token) => block_on(store.commit(key, token, ttl)),
            other => panic!("expected a fresh claim, got {other:?}"),
        }
    }

    #[test]
    fn a_full_store_evicts_the_unbounded_keys_nearest_to_expiry() {
        // GitHub-like keys, no signed timestamp: a full store forgets the oldest ones rather
        // than refuse every new delivery.
        let clock = FixedClock::at(1_000);
        let store = MemoryStore::with_capacity(SHARDS * 16).unwrap().clock(clock.clone());
        let keys: Vec<ReplayKey> =
            (0..1_000).map(|i| ReplayKey::new(format!("github:content:{i}"))).collect();
        for (i, key) in keys.iter().enumerate() {
            process(&store, key, TTL + Duration::from_secs(i as u64)).expect("room is made");
        }
        assert!(store.len() <= SHARDS * 16);
        // The newest keys of every shard stay: the last sixteen committed are among them.
        for key in &keys[keys.len() - 16..] {
            assert_eq!(block_on(store.claim(key, TTL)).unwrap(), ClaimOutcome::Duplicate, "{key}");
        }
        // The first key's shard took dozens after it: it was forgotten early.
        assert!(matches!(block_on(store.claim(&keys[0], TTL)).unwrap(), ClaimOutcome::Fresh(_)));
    }

    #[test]
    fn a_full_store_never_evicts_inside_the_timestamp_window_nor_claims_in_flight() {
        // Stripe-like keys: kept for a day (late retries), but a copy is refused by its stale
        // timestamp after the five-minute window. Inside the window the store refuses new
        // claims rather than forget; after it, it may forget.
        const DAY: Duration = Duration::from_secs(24 * 60 * 60);
        let clock = FixedClock::at(1_000);
        let store = MemoryStore::with_capacity(SHARDS * 4).unwrap().clock(clock.clone());
        let key = |i: usize| ReplayKey::new(format!("stripe:event:evt_{i}")).replay_window(TTL);
        let mut kept = Vec::new();
        for i in 0..SHARDS * 16 {
            match process(&store, &key(i), DAY) {
                Ok(()) => kept.push(key(i)),
                Err(error) => assert_eq!(error.kind(), StoreErrorKind::Full),
            }
        }
        assert!(kept.len() <= SHARDS * 4, "{} kept", kept.len());
        for key in &kept {
            assert_eq!(
                block_on(store.claim(key, TTL)).unwrap(),
                ClaimOutcome::Duplicate,
                "{key} was evicted"
            );
        }
        // Past the window, room is made again, long before the day is over (four new keys:
        // a shard holds four, so they fit wherever they land).
        clock.advance(TTL);
        for i in SHARDS * 16..SHARDS * 16 + 4 {
            process(&store, &key(i), DAY).expect("entries past their window make room");
        }
        // Unbounded keys that are still in flight are not evicted either.
        let busy = MemoryStore::with_capacity(SHARDS).unwrap().clock(clock);
        let refused = (0..SHARDS * 4)
            .filter(|i| block_on(busy.claim(&ReplayKey::new(format!("github:content:{i}")), TTL)).is_err())
            .count();
        assert!(refused >= SHARDS * 3, "only {refused} refused");
    }

    #[test]
    fn a_ttl_of_duration_max_keeps_the_entry() {
        // Found by fuzz/memory_store: rounding `Duration::MAX` up overflowed (a panic in debug
        // builds; in release the entry expired at once and a replay was processed again).
        let clock = FixedClock::at(1_000);
        let store = MemoryStore::new().clock(clock.clone());
        let key = ReplayKey::new("k");
        let ClaimOutcome::Fresh(token) = block_on(store.claim(&key, Duration::MAX)).unwrap() else {
            panic!("expected a fresh claim")
        };
        assert_eq!(block_on(store.claim(&key, TTL)).unwrap(), ClaimOutcome::InFlight);
        block_on(store.commit(&key, token, Duration::MAX)).unwrap();
        clock.advance(Duration::from_secs(10 * 365 * 24 * 60 * 60));
        assert_eq!(block_on(store.claim(&key, TTL)).unwrap(), ClaimOutcome::Duplicate);
    }

    #[test]
    fn zero_capacity_is_a_configuration_error() {
        assert_eq!(MemoryStore::with_capacity(0).unwrap_err().reason(), "invalid_store");
    }
}
