//! [`ClaimTx`]: a claim whose commit rides in the handler's own transaction.

use std::error::Error;
use std::fmt;
use std::ops::{Deref, DerefMut};

use hookwarden::{Claim, ReplayStore, StoreError};
use sqlx::{PgConnection, Postgres, Transaction};

use crate::PostgresStore;

/// A claimed delivery and the transaction its handler writes its effects in: [`commit`]
/// marks the delivery processed *in that transaction* and commits it, so the effects and the
/// mark are kept or lost together.
///
/// Run your queries on it as on a sqlx [`Transaction`]: it dereferences to the transaction's
/// [`PgConnection`] (`.execute(&mut *tx)`), and [`transaction`](Self::transaction) lends the
/// [`Transaction`] itself. Dropping it without [`commit`] (an error, a panic, a client that
/// went away) rolls the transaction back and releases the claim, so the sender's retry is
/// processed; [`rollback`](Self::rollback) does the same and waits for it.
///
/// [`commit`]: Self::commit
///
/// # Example
///
/// ```no_run
/// use hookwarden::scheme::Request;
/// use hookwarden::{Message, Verifier, preset::Stripe};
/// use hookwarden_postgres::PostgresStore;
/// use std::sync::Arc;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = Arc::new(PostgresStore::connect("postgres://localhost/app").await?);
/// store.migrate().await?;
/// let verifier = Verifier::builder(Stripe).secret("whsec_test_secret_0123456789").build()?;
///
/// // Per delivery:
/// # let body = br#"{"id":"evt_1","type":"invoice.paid"}"#;
/// # let headers = verifier.sign(&Message::new(body))?.to_header_map();
/// let request = Request::new(&headers, body);
/// let mut verified = verifier.verify_request(&request)?;
/// let claim = verifier.claim(&store, &request, &mut verified).await?; // duplicate, in flight, or 503
/// let mut tx = store.begin(claim).await?;
/// sqlx::query("INSERT INTO orders (event_id) VALUES ($1)").bind("evt_1").execute(&mut *tx).await?;
/// tx.commit().await?; // the order row and the "processed" mark, in one transaction
/// # Ok(())
/// # }
/// ```
#[must_use = "commit the transaction once the delivery is handled; dropping it rolls back"]
pub struct ClaimTx<S: ReplayStore + ?Sized = dyn ReplayStore> {
    // Declared first, so dropped first: the transaction is rolled back before the claim is
    // released, and a retry never meets a row the dead transaction still locks.
    tx: Transaction<'static, Postgres>,
    claim: Claim<S>,
    store: PostgresStore,
}

impl PostgresStore {
    /// Begins a transaction on the store's pool for `claim`, a claim made in this store (by
    /// the endpoint, the verifier, or [`ReplayStore::claim`] through [`Claim::acquire`]).
    ///
    /// # Errors
    ///
    /// The database could not begin a transaction; `claim` is then released.
    pub async fn begin<S: ReplayStore + ?Sized>(&self, claim: Claim<S>) -> Result<ClaimTx<S>, StoreError> {
        match self.pool().begin().await {
            Ok(tx) => Ok(self.within(tx, claim)),
            Err(err) => {
                let _ = claim.release().await;
                Err(StoreError::unavailable(err))
            }
        }
    }

    /// Joins `claim` to a transaction you began (on a pool of the same database).
    pub fn within<S: ReplayStore + ?Sized>(
        &self,
        tx: Transaction<'static, Postgres>,
        claim: Claim<S>,
    ) -> ClaimTx<S> {
        ClaimTx { tx, claim, store: self.clone() }
    }
}

impl<S: ReplayStore + ?Sized> ClaimTx<S> {
    /// The transaction, for code that takes a sqlx [`Transaction`].
    pub fn transaction(&mut self) -> &mut Transaction<'static, Postgres> {
        &mut self.tx
    }

    /// The claim.
    pub fn claim(&self) -> &Claim<S> {
        &self.claim
    }

    /// Marks the delivery processed in the transaction (one statement) and commits it.
    ///
    /// # Errors
    ///
    /// - [`CommitError::ClaimLost`]: the claim's lease lapsed and another claim took the
    ///   delivery (or processed it); nothing was committed, since the other claim does the work.
    /// - [`CommitError::Database`]: the mark or the commit failed. When the commit itself failed
    ///   the outcome may be unknown to the client (a connection lost during `COMMIT`), but the
    ///   effects and the mark still went together: either both are in, and copies are
    ///   duplicates, or neither, and the retry is processed.
    pub async fn commit(mut self) -> Result<(), CommitError> {
        let (key, token, ttl) = (self.claim.key().clone(), self.claim.token(), self.claim.ttl());
        match self.store.mark_processed(&mut self.tx, &key, token, ttl).await {
            Ok(true) => {}
            Ok(false) => {
                let _ = self.tx.rollback().await;
                return Err(CommitError::ClaimLost);
            }
            // The transaction is rolled back as it drops, and the claim released.
            Err(err) => return Err(CommitError::Database(err)),
        }
        // On failure the claim drops unresolved and is released, but only if it still holds
        // the key: after a commit that did land, the key is processed and stays so.
        self.tx.commit().await.map_err(CommitError::Database)?;
        let _ = self.claim.into_resolved();
        Ok(())
    }

    /// Rolls the transaction back and releases the claim, so the sender's retry is processed.
    ///
    /// # Errors
    ///
    /// The rollback failed (the connection is gone, which rolls back too); the claim is
    /// released all the same.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        let Self { tx, claim, .. } = self;
        let rolled_back = tx.rollback().await;
        let _ = claim.release().await;
        rolled_back
    }
}

impl<S: ReplayStore + ?Sized> Deref for ClaimTx<S> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl<S: ReplayStore + ?Sized> DerefMut for ClaimTx<S> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

impl<S: ReplayStore + ?Sized> fmt::Debug for ClaimTx<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimTx").field("claim", &self.claim).finish_non_exhaustive()
    }
}

/// Why [`ClaimTx::commit`] did not commit.
#[derive(Debug)]
#[non_exhaustive]
pub enum CommitError {
    /// The claim's lease lapsed and another claim took the delivery: the transaction was
    /// rolled back, the other claim processes it.
    ClaimLost,
    /// The database failed to mark or to commit.
    Database(sqlx::Error),
}

impl CommitError {
    /// A stable, lowercase reason code: `claim_lost` or `store_unavailable`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::ClaimLost => "claim_lost",
            Self::Database(_) => "store_unavailable",
        }
    }

    /// The status a handler answers with it: 409 (a claim in flight elsewhere), or 503.
    pub fn status(&self) -> u16 {
        match self {
            Self::ClaimLost => 409,
            Self::Database(_) => 503,
        }
    }
}

impl fmt::Display for CommitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ClaimLost => {
                f.write_str("the claim lapsed and another claim holds the delivery: rolled back")
            }
            Self::Database(err) => write!(f, "could not commit the delivery's transaction: {err}"),
        }
    }
}

impl Error for CommitError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::ClaimLost => None,
            Self::Database(err) => Some(err),
        }
    }
}
