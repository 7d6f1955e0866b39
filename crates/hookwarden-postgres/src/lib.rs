//! A hookwarden [`ReplayStore`] on PostgreSQL, whose commit can ride in the webhook handler's
//! own transaction.
//!
//! # Why a transaction
//!
//! A replay store in Redis or in memory leaves one gap open: the handler writes its effects (an
//! order marked paid) to the database, then the commit to the store is lost (a crash, a
//! timeout), and the sender's retry does the work again. The only exactly-once answer is to
//! record "this event was processed" in the **same transaction** as the effects. That is the
//! transactional mode of this crate:
//!
//! - the delivery is claimed in the store, as with any store: copies arriving meanwhile are
//!   answered `409 in_flight`, copies after the commit `200` (duplicates);
//! - the handler gets a transaction ([`ClaimTx`], or the extractor `WebhookTx` for axum and
//!   actix-web, features `axum` and `actix`) and writes its effects in it;
//! - [`commit`](ClaimTx::commit) marks the delivery processed *in that transaction*, with one
//!   statement, and commits it: effects and mark are kept or lost together;
//! - a rollback, an error, a panic, or a client that went away drops the transaction (rolled
//!   back) and releases the claim: the sender's retry processes the event.
//!
//! ```no_run
//! # #[cfg(feature = "axum")] mod example {
//! use axum::{Json, http::StatusCode};
//! use hookwarden_postgres::{CommitError, WebhookTx};
//!
//! async fn paid(mut tx: WebhookTx<Json<serde_json::Value>>) -> Result<StatusCode, CommitError> {
//!     let order = tx.payload["data"]["object"]["metadata"]["order"].as_str().map(str::to_owned);
//!     sqlx::query("UPDATE orders SET paid = true WHERE id = $1")
//!         .bind(order)
//!         .execute(&mut *tx)
//!         .await
//!         .map_err(CommitError::Database)?;
//!     tx.commit().await?;
//!     Ok(StatusCode::NO_CONTENT)
//! }
//! # }
//! ```
//!
//! Used as a plain store (`Endpoint::replay_store`, the tower layer or actix middleware), it
//! behaves like the Redis store: claim, commit after a 2xx, release otherwise.
//!
//! # The driver: sqlx
//!
//! The store is built on [`sqlx`] (0.8, default features off: `postgres` and `runtime-tokio`
//! only). The transactional extractors must hand the handler the transaction type it would use
//! anyway: sqlx's [`Transaction<'static, Postgres>`](sqlx::Transaction) owns its pooled
//! connection, so it can live in an extractor and be moved into the handler, and it rolls back
//! when dropped. `tokio-postgres`' transaction borrows its client (`Transaction<'a>`), which an
//! extractor cannot hand over without a self-referential type, and rolling back a pooled one on
//! drop is left to the pool. sqlx is also the most used PostgreSQL driver among axum and
//! actix-web services. (0.8 rather than 0.9: 0.9 needs Rust 1.94, the workspace supports 1.88.)
//!
//! # How it works
//!
//! One row per delivery in one table ([`migration_sql`], created by
//! [`PostgresStore::migrate`]): `(namespace, key)` its primary key, `token` the claim's token
//! while in flight and `NULL` once processed, `expires_at` when the claim lapses or the
//! delivery is forgotten. Each operation is one statement, so one round trip:
//!
//! - **claim**: `INSERT ... ON CONFLICT DO UPDATE` that takes the row when it is absent,
//!   expired, or already this claim's; the row it returns says fresh, duplicate or in flight.
//!   It holds the key for the shorter of the TTL and the [lease](PostgresStore::lease).
//! - **commit**: sets `token = NULL` and the full TTL, if the row still holds this claim's token
//!   or is free. In the transactional mode the same statement runs in the handler's
//!   transaction; when it finds another claim holding the key (this one's lease lapsed), it
//!   returns no row and the transaction is rolled back instead of committed.
//! - **release**: deletes the row, only if it still holds this claim's token.
//!
//! Time is the database's (`clock_timestamp()`), so every instance agrees on expiries. Expired
//! rows are deleted a few at a time by each claim (at most four, oldest first, through the
//! `expires_at` index, skipping rows other sessions lock): the hot path never scans the table,
//! and the table does not grow past the live rows.
//! [`purge_expired`](PostgresStore::purge_expired) empties it sooner from a periodic job.
//!
//! # Faults
//!
//! Every call answers within the store's [timeout](PostgresStore::timeout) (500 ms by
//! default); a database that cannot answer gives a [`StoreError`], which the adapters answer
//! `503 store_unavailable`: the sender retries later, nothing is processed twice. A call that
//! meets a connection broken by a restart is sent again on another one, so the store recovers
//! by itself once PostgreSQL is back. Processing deliveries without replay protection while the
//! database is down is an explicit opt-in: [`fail_open`](PostgresStore::fail_open).
//!
//! The store needs a Tokio runtime (`#[tokio::main]`, actix-web's runtime).
//!
//! [`ReplayStore`]: hookwarden::ReplayStore
//! [`StoreError`]: hookwarden::StoreError

#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

#[cfg(feature = "actix")]
mod actix;
#[cfg(feature = "axum")]
mod axum;
mod migration;
mod statements;
mod store;
mod table;
mod transaction;
#[cfg(any(feature = "axum", feature = "actix"))]
mod webhook_tx;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use crate::axum::WebhookTxRejection;
pub use migration::migration_sql;
pub use store::PostgresStore;
pub use table::{InvalidTable, Table};
pub use transaction::{ClaimTx, CommitError};
#[cfg(any(feature = "axum", feature = "actix"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "axum", feature = "actix"))))]
pub use webhook_tx::WebhookTx;

/// The `sqlx` crate this store is built on: its [`Transaction`](sqlx::Transaction) is what
/// handlers get.
pub use sqlx;
