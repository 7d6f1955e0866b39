//! `MemoryStore` under arbitrary sequences of claim, commit, release and clock moves, checked
//! against a model of what it must answer: never two fresh claims for one live key, and a
//! release (or commit) with someone else's token changes nothing.

#![no_main]

use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use arbitrary::Arbitrary;
use hookwarden::{ClaimOutcome, ClaimToken, FixedClock, MemoryStore, ReplayKey, ReplayStore};
use libfuzzer_sys::fuzz_target;

/// At most this many distinct keys, so operations collide often.
const KEYS: u8 = 8;
/// Large enough that the store is never full in these runs, so every answer is predictable.
const CAPACITY: usize = 16 * 1024;

#[derive(Debug, Arbitrary)]
enum Op {
    Claim { key: u8, ttl: Ttl },
    Commit { key: u8, token: Token, ttl: Ttl },
    Release { key: u8, token: Token },
    Advance(u16),
}

#[derive(Debug, Arbitrary)]
enum Ttl {
    Secs(u16),
    /// Seconds and nanoseconds, including `Duration::MAX`-like values.
    Exact(u64, u32),
}

impl Ttl {
    fn duration(&self) -> Duration {
        match *self {
            Self::Secs(secs) => Duration::from_secs(u64::from(secs)),
            Self::Exact(secs, nanos) => Duration::new(secs, nanos % 1_000_000_000),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Token {
    /// One of the tokens handed out so far (any key's), by index.
    Issued(u8),
    /// A made-up value.
    Forged(u128),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InFlight(ClaimToken),
    Processed,
}

/// What the store must hold: per key, its state and when it lapses (Unix seconds).
#[derive(Debug, Default)]
struct Model {
    entries: HashMap<u8, (State, i64)>,
}

impl Model {
    /// An entry lives while `now` is before its expiry; the TTL is rounded up to whole seconds.
    fn expiry(now: i64, ttl: Duration) -> i64 {
        let secs = ttl.as_secs().saturating_add(u64::from(ttl.subsec_nanos() > 0));
        now.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX))
    }

    fn live(&self, key: u8, now: i64) -> Option<State> {
        self.entries.get(&key).filter(|(_, expires)| *expires > now).map(|(state, _)| *state)
    }
}

/// The store's futures are ready at once; anything else is a finding too.
fn now_or_never<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("MemoryStore returned a pending future"),
    }
}

fuzz_target!(|ops: Vec<Op>| {
    let clock = FixedClock::at(1_700_000_000);
    let store = MemoryStore::with_capacity(CAPACITY).unwrap().clock(clock.clone());
    let mut model = Model::default();
    let mut issued: Vec<ClaimToken> = Vec::new();
    let key_of = |key: u8| ReplayKey::new(format!("scope:id:{}", key % KEYS));

    for op in &ops {
        let now = hookwarden::Clock::now_unix(&clock);
        match op {
            Op::Claim { key, ttl } => {
                let k = key % KEYS;
                let outcome = now_or_never(store.claim(&key_of(k), ttl.duration())).expect("store refused");
                match (model.live(k, now), outcome) {
                    (None, ClaimOutcome::Fresh(token)) => {
                        assert!(!issued.contains(&token), "token {token:?} handed out twice");
                        issued.push(token);
                        model.entries.insert(k, (State::InFlight(token), Model::expiry(now, ttl.duration())));
                    }
                    (Some(State::InFlight(_)), ClaimOutcome::InFlight)
                    | (Some(State::Processed), ClaimOutcome::Duplicate) => {}
                    (expected, got) => panic!("key {k} at {now}: model {expected:?}, store {got:?}"),
                }
            }
            Op::Commit { key, token, ttl } => {
                let k = key % KEYS;
                let token = resolve(token, &issued);
                now_or_never(store.commit(&key_of(k), token, ttl.duration())).unwrap();
                let expires = Model::expiry(now, ttl.duration());
                match model.entries.get(&k).copied() {
                    // Its own claim, or a lapsed entry, or none (room is guaranteed): processed.
                    Some((State::InFlight(held), _)) if held == token => {
                        model.entries.insert(k, (State::Processed, expires));
                    }
                    Some((_, lapses)) if lapses <= now => {
                        model.entries.insert(k, (State::Processed, expires));
                    }
                    None => {
                        model.entries.insert(k, (State::Processed, expires));
                    }
                    // Someone else's live entry: untouched.
                    Some(_) => {}
                }
            }
            Op::Release { key, token } => {
                let k = key % KEYS;
                let token = resolve(token, &issued);
                now_or_never(store.release(&key_of(k), token)).unwrap();
                if model.entries.get(&k).is_some_and(|(state, _)| *state == State::InFlight(token)) {
                    model.entries.remove(&k);
                }
            }
            Op::Advance(secs) => clock.advance(Duration::from_secs(u64::from(*secs))),
        }
    }
});

fn resolve(token: &Token, issued: &[ClaimToken]) -> ClaimToken {
    match *token {
        Token::Issued(index) if !issued.is_empty() => issued[usize::from(index) % issued.len()],
        Token::Issued(index) => ClaimToken::new(u128::from(index)),
        Token::Forged(value) => ClaimToken::new(value),
    }
}
