//! The replay-store contract (hookwarden-store-contract) against `PostgresStore`, on a real
//! PostgreSQL whose expiries need real time (TTLs of a few seconds; the cases run in parallel,
//! each under a namespace of its own).

mod common;

use hookwarden_store_contract::{Real, store_contract};

store_contract!(
    #[cfg_attr(not(postgres_server), ignore = "needs a PostgreSQL: source .ci/postgres.sh")]
    postgres,
    |test: &'static str| async move { (common::shared_store(test).await, Real) }
);
