//! When a handler's answer means the delivery was processed.

/// Decides, from the status the handler answered, whether the delivery was processed: its
/// claim is then committed, and copies are acknowledged without running the handler again.
/// Otherwise the claim is released, so the sender's retry is processed.
///
/// The default, [`OnSuccess`], commits on 2xx only. Senders retry every answer that is not
/// 2xx (Stripe for three days, Standard Webhooks senders for a day or more), so any other
/// status means the sender will try again, and committing would turn that retry into an
/// unprocessed `200 duplicate`: the event would be lost. That includes 4xx from an extractor
/// (`415` for a wrong `Content-Type`, `400`/`422` for a body the handler's `Json<T>` refuses)
/// and a handler's own `409` or `429`. A closure `Fn(u16) -> bool` is a rule too.
///
/// ```
/// use hookwarden::replay::{CommitRule, OnSuccess};
///
/// assert!(OnSuccess.processed(204));
/// assert!(!OnSuccess.processed(415));
/// assert!(!OnSuccess.processed(503));
/// // A receiver that answers 422 to events it has recorded as invalid, and wants no retries:
/// let rule = |status: u16| (200..300).contains(&status) || status == 422;
/// assert!(rule.processed(422));
/// ```
pub trait CommitRule: Send + Sync + 'static {
    /// Whether a handler that answered `status` processed the delivery.
    fn processed(&self, status: u16) -> bool;
}

/// Commits when the handler answered 2xx, and only then.
#[derive(Debug, Clone, Copy, Default)]
pub struct OnSuccess;

impl CommitRule for OnSuccess {
    fn processed(&self, status: u16) -> bool {
        (200..300).contains(&status)
    }
}

impl<F: Fn(u16) -> bool + Send + Sync + 'static> CommitRule for F {
    fn processed(&self, status: u16) -> bool {
        self(status)
    }
}
