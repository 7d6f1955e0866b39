//! The contract every [`ReplayStore`] keeps, as a generic async suite: claim, commit, release,
//! release from a destructor, leases that lapse, processed keys that expire, tokens that only
//! their owner can use.
//!
//! Each case is an async fn over any store and a [`Time`] that lets time pass as that store
//! sees it: [`MemoryStore`](hookwarden::MemoryStore) runs on a
//! [`FixedClock`](hookwarden::FixedClock) moved forward ([`Frozen`]), a networked store against
//! its real server, whose expiries need real time ([`Real`]; TTLs of a few seconds). The
//! [`store_contract!`] macro makes one `#[tokio::test]` per case, each with a store of its own,
//! so a store crate runs the whole contract with one line:
//!
//! ```no_run
//! hookwarden_store_contract::store_contract!(memory, |_test: &'static str| async {
//!     let clock = hookwarden::FixedClock::at(1_700_000_000);
//!     (hookwarden::MemoryStore::new().clock(clock.clone()), hookwarden_store_contract::Frozen(clock))
//! });
//! ```
//!
//! Cases use keys under `contract:`; stores shared between tests should be given a namespace
//! (a prefix) per test, which the factory receives as the test's name.

#![allow(clippy::missing_panics_doc)] // every case panics when the store breaks the contract

use std::future::Future;
use std::time::{Duration, Instant};

use hookwarden::{ClaimOutcome, ClaimToken, FixedClock, ReplayKey, ReplayStore};

/// The TTL of most cases: whole seconds, as `MemoryStore` rounds TTLs up to whole seconds.
pub const TTL: Duration = Duration::from_secs(2);
/// Enough to be sure a [`TTL`] ran out.
pub const PAST_TTL: Duration = Duration::from_millis(2_300);
/// A token no store hands out.
const FOREIGN: u128 = u128::MAX - 7;

/// Lets time pass as the store under test sees it.
pub trait Time {
    /// Lets `by` pass.
    fn pass(&self, by: Duration) -> impl Future<Output = ()>;
}

/// Time for a store on a [`FixedClock`]: the clock is moved forward, by whole seconds rounded
/// up (as `MemoryStore` counts).
#[derive(Debug, Clone)]
pub struct Frozen(pub FixedClock);

impl Time for Frozen {
    async fn pass(&self, by: Duration) {
        let secs = by.as_secs() + u64::from(by.subsec_nanos() > 0);
        self.0.advance(Duration::from_secs(secs));
    }
}

/// Time for a store on a real server: the real one.
#[derive(Debug, Clone, Copy)]
pub struct Real;

impl Time for Real {
    async fn pass(&self, by: Duration) {
        tokio::time::sleep(by).await;
    }
}

fn key(name: &str) -> ReplayKey {
    ReplayKey::new(format!("contract:{name}"))
}

async fn fresh<S: ReplayStore>(store: &S, key: &ReplayKey, ttl: Duration) -> ClaimToken {
    match store.claim(key, ttl).await.expect("claim") {
        ClaimOutcome::Fresh(token) => token,
        other => panic!("expected a fresh claim of {key}, got {other:?}"),
    }
}

async fn outcome<S: ReplayStore>(store: &S, key: &ReplayKey) -> ClaimOutcome {
    store.claim(key, TTL).await.expect("claim")
}

/// The cases of the contract, each generic over the store.
pub mod cases {
    use super::*;

    /// A free key is claimed; a second claim finds it in flight; other keys are unaffected.
    pub async fn claim_then_in_flight<S: ReplayStore>(store: &S, _: &impl Time) {
        let k = key("claim");
        fresh(store, &k, TTL).await;
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        fresh(store, &key("claim-other"), TTL).await;
    }

    /// After commit, every copy is a duplicate.
    pub async fn commit_then_duplicate<S: ReplayStore>(store: &S, _: &impl Time) {
        let k = key("commit");
        let token = fresh(store, &k, TTL).await;
        store.commit(&k, token, TTL).await.expect("commit");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
    }

    /// After release, the sender's retry is claimed afresh, with another token.
    pub async fn release_then_fresh<S: ReplayStore>(store: &S, _: &impl Time) {
        let k = key("release");
        let first = fresh(store, &k, TTL).await;
        store.release(&k, first).await.expect("release");
        let second = fresh(store, &k, TTL).await;
        assert_ne!(first, second);
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
    }

    /// An unfinished claim lapses after its TTL.
    pub async fn in_flight_expires_after_ttl<S: ReplayStore>(store: &S, time: &impl Time) {
        let k = key("in-flight-expiry");
        fresh(store, &k, TTL).await;
        time.pass(Duration::from_secs(1)).await;
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        time.pass(PAST_TTL).await;
        fresh(store, &k, TTL).await;
    }

    /// A processed delivery is remembered for the TTL, then forgotten.
    pub async fn duplicate_expires_after_ttl<S: ReplayStore>(store: &S, time: &impl Time) {
        let k = key("duplicate-expiry");
        let token = fresh(store, &k, TTL).await;
        store.commit(&k, token, TTL).await.expect("commit");
        time.pass(Duration::from_secs(1)).await;
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
        time.pass(PAST_TTL).await;
        fresh(store, &k, TTL).await;
    }

    /// Commit remembers the delivery for the full TTL from the commit, not from the claim.
    pub async fn commit_restarts_the_ttl<S: ReplayStore>(store: &S, time: &impl Time) {
        let ttl = Duration::from_secs(3);
        let k = key("commit-ttl");
        let token = fresh(store, &k, ttl).await;
        time.pass(Duration::from_secs(2)).await;
        store.commit(&k, token, ttl).await.expect("commit");
        time.pass(Duration::from_secs(2)).await; // 4 s after the claim, 2 s after the commit
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
    }

    /// A claim that lapsed and was taken by another: its late release and late commit leave
    /// the new claim alone.
    pub async fn release_after_expiry<S: ReplayStore>(store: &S, time: &impl Time) {
        let k = key("late-release");
        let old = fresh(store, &k, TTL).await;
        time.pass(PAST_TTL).await;
        let new = fresh(store, &k, TTL).await;
        store.release(&k, old).await.expect("late release");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        store.commit(&k, old, TTL).await.expect("late commit");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        store.commit(&k, new, TTL).await.expect("commit");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
    }

    /// A claim that lapsed while nobody took the key: its commit still remembers the delivery.
    pub async fn commit_after_expiry<S: ReplayStore>(store: &S, time: &impl Time) {
        let k = key("late-commit");
        let token = fresh(store, &k, TTL).await;
        time.pass(PAST_TTL).await;
        store.commit(&k, token, TTL).await.expect("late commit");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
    }

    /// Commit and release with a token that does not hold the key change nothing.
    pub async fn token_mismatch<S: ReplayStore>(store: &S, _: &impl Time) {
        let k = key("mismatch");
        let token = fresh(store, &k, TTL).await;
        store.commit(&k, ClaimToken::new(FOREIGN), TTL).await.expect("foreign commit");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        store.release(&k, ClaimToken::new(FOREIGN)).await.expect("foreign release");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::InFlight);
        // Nor can a foreign token free a processed delivery.
        store.commit(&k, token, TTL).await.expect("commit");
        store.release(&k, ClaimToken::new(FOREIGN)).await.expect("foreign release");
        store.release(&k, token).await.expect("release after commit");
        assert_eq!(outcome(store, &k).await, ClaimOutcome::Duplicate);
    }

    /// A claim dropped from a destructor is released without being awaited.
    pub async fn release_detached<S: ReplayStore>(store: &S, _: &impl Time) {
        let k = key("detached");
        let token = fresh(store, &k, TTL).await;
        store.release_detached(k.clone(), token);
        // A networked store releases in the background: give it a moment.
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match outcome(store, &k).await {
                ClaimOutcome::Fresh(_) => break,
                ClaimOutcome::InFlight if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                other => panic!("the detached release did not free the key: {other:?}"),
            }
        }
    }
}

/// Makes one `#[tokio::test]` per case of the contract, in a module named `$store`.
///
/// `$subject` is a closure from the test's name (`"store::case"`, for a namespace of its own)
/// to a future of `(store, time)`; the attributes (such as `ignore` where no server runs) go on
/// every case. The calling crate needs `tokio` with `macros` and `rt-multi-thread`.
#[macro_export]
macro_rules! store_contract {
    ($(#[$attr:meta])* $store:ident, $subject:expr) => {
        mod $store {
            #[allow(unused_imports)]
            use super::*;

            $crate::store_contract!(@cases [$(#[$attr])*] $store, $subject;
                claim_then_in_flight, commit_then_duplicate, release_then_fresh,
                in_flight_expires_after_ttl, duplicate_expires_after_ttl, commit_restarts_the_ttl,
                release_after_expiry, commit_after_expiry, token_mismatch, release_detached);
        }
    };
    // One case at a time, so that the attributes go on each.
    (@cases [$(#[$attr:meta])*] $store:ident, $subject:expr; $case:ident $(, $rest:ident)*) => {
        #[::tokio::test]
        $(#[$attr])*
        async fn $case() {
            let (store, time) = ($subject)(concat!(stringify!($store), "::", stringify!($case))).await;
            $crate::cases::$case(&store, &time).await;
        }
        $crate::store_contract!(@cases [$(#[$attr])*] $store, $subject; $($rest),*);
    };
    (@cases [$(#[$attr:meta])*] $store:ident, $subject:expr;) => {};
}
