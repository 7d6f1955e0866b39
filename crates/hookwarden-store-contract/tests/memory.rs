//! The contract against `MemoryStore`, on a fixed clock moved forward.

use hookwarden::{FixedClock, MemoryStore};
use hookwarden_store_contract::{Frozen, store_contract};

store_contract!(memory, |_test: &'static str| async {
    let clock = FixedClock::at(1_700_000_000);
    (MemoryStore::new().clock(clock.clone()), Frozen(clock))
});
