//! Replay protection: remembering which events were already processed.
//!
//! A verified delivery is *claimed* in a [`ReplayStore`] before its handler runs. The store
//! answers atomically: fresh (this caller processes it), duplicate (already processed) or in
//! flight (someone is processing it now). When the handler answers 2xx the claim is committed;
//! on anything else (3xx, 4xx, 5xx, an error, a panic, a client that went away) it is released,
//! so the sender's retry is processed. The [`CommitRule`] says which answers count.
//!
//! # Exactly once, and where it ends
//!
//! A receiver behind hookwarden runs its handler once per event, and loses none, as long as:
//!
//! - **the store answers.** A store that cannot answer makes the adapters refuse the delivery
//!   (`503 store_unavailable`), and the sender retries it later; nothing runs unrecorded.
//! - **the commit lands.** When the handler succeeded but the commit fails, the claim is kept
//!   (never released): copies get `409 in_flight` until its lease lapses
//!   ([`VerifierBuilder::claim_lease`](crate::VerifierBuilder::claim_lease), five minutes by
//!   default), and a copy after that runs the handler again.
//! - **the handler finishes within the lease.** A handler still running when its lease lapses
//!   can meet a retry running beside it.
//! - **a handler that fails has not done its work halfway.** A handler that writes its effects
//!   and then answers 500 is released and runs again on the retry: effects that must happen
//!   once belong in one transaction with the record that the event was processed.
//!
//! # What identifies an event
//!
//! Providers re-sign their retries (a new timestamp, sometimes new retry headers), so a key
//! that includes the timestamp would let every retry through. An event's [`Identity`] comes
//! only from signed data that stays the same across its provider's retries, the first found of:
//!
//! 1. the function given to [`VerifierBuilder::identity`](crate::VerifierBuilder::identity);
//! 2. the provider's event id in the signed JSON body
//!    ([`Scheme::event_id_field`](crate::Scheme::event_id_field));
//! 3. the id the scheme signs;
//! 4. a digest of the signed content **without** the timestamp, with a URL in one canonical
//!    spelling ([`Scheme::identity_content`](crate::Scheme::identity_content)), keyed with the
//!    first key so that a shared store learns nothing about the bodies.
//!
//! Processed events are remembered for as long as their provider retries
//! ([`Scheme::retries_for`](crate::Scheme::retries_for): three days for Stripe, 28 hours for
//! Svix, else [`DEFAULT_REPLAY_TTL`](crate::DEFAULT_REPLAY_TTL), a day), not only for the
//! timestamp window: a provider retries an event whose answer it did not see (lost, or too
//! late), and that retry must still be a duplicate.
//!
//! A body that lacks the expected field, or is not JSON, still verifies and falls back to the
//! next; [`Verified::identity`](crate::Verified::identity) says which was used. Unsigned
//! headers (`X-GitHub-Delivery`, `Linear-Delivery`, ...) are never used: anyone can change them.
//! The identity is worked out only when a delivery is claimed: verifying alone costs nothing more.
//!
//! | preset | identity | why |
//! |---|---|---|
//! | Standard Webhooks, Svix, Clerk, Resend, GitLab signing, OpenAI, Replicate, Polar | `webhook-id` / `svix-id` | signed, and kept across retries (the specification) |
//! | Twitch | `Twitch-Eventsub-Message-Id` | signed; Twitch resends a message with the same id |
//! | Mailgun | `signature.token` | the only signed unique value (`event-data.id` is not signed) |
//! | Stripe | body `id` (`evt_...`) | retries are re-signed with a new `t=` and the body's `pending_webhooks` changes; Stripe's docs say to dedupe on the event id |
//! | Slack | body `event_id` (Events API) | retries carry a new timestamp and `X-Slack-Retry-Num`; slash commands and interactivity carry no id and use the content |
//! | Paddle | body `notification_id` | one per delivery of an event to a destination, kept across its retries |
//! | Mux, Discord, Intercom | body `id` | the event's (interaction's, notification's) id |
//! | Heroku, Notion, Microsoft Teams, CircleCI, Lob, WorkOS, Recurly, Box | body `id` | the event's (activity's) id |
//! | Segment | body `messageId` | kept across Segment's retries |
//! | MailerSend, Telnyx | body `data.id` | the activity's (event's) id |
//! | Customer.io | body `event_id` | the event's id |
//! | Trello | body `action.id` | the action's id |
//! | Square, Typeform | body `event_id` | the event's id, kept across retries |
//! | Coinbase | body `event.id` | the top-level `attempt_number` changes on every retry |
//! | HubSpot | content: method, URL with HubSpot's escapes decoded, body | a batch of events has no one id; both URL spellings that verify give one key |
//! | SendGrid | content: body | a batch of events (`sg_event_id` each), resent as the same bytes |
//! | Linear | content: body without its `webhookTimestamp` value | the signed timestamp inside the body changes on a retry; `Linear-Delivery` is not signed |
//! | Twilio | content: URL without its port, sorted form parameters | Twilio is inconsistent about the port, so both spellings verify |
//! | Zoom, Calendly, Zendesk, Webflow, Frame.io, TikTok, Buildkite | content: body | no event id in the body; the body is resent unchanged with a new signed timestamp |
//! | every other preset | content: what is signed | no signed timestamp: the signed content is what the sender resends |
//!
//! Claims happen only after the signature verified, so forged traffic cannot fill a store.
//! [`MemoryStore`] serves one process; receivers running on several instances need a shared
//! store such as Redis.

mod claim;
mod commit_rule;
mod identity;
pub(crate) mod json_field;
mod memory;

pub use claim::Claim;
pub use commit_rule::{CommitRule, OnSuccess};
pub use identity::{Identity, IdentityParts, IdentitySource};
pub use memory::MemoryStore;

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

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

/// The key a delivery is remembered under: the verifier's scope and the event's [`Identity`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplayKey {
    text: String,
    window: Option<Duration>,
}

impl ReplayKey {
    /// A key from its text.
    pub fn new(key: impl Into<String>) -> Self {
        Self { text: key.into(), window: None }
    }

    /// Marks a key whose copies a signed timestamp refuses once `window` has passed (the
    /// tolerance, both edges included). Forgetting it sooner would let a captured copy through
    /// inside the window, so a full store refuses new claims rather than evict it then; after
    /// the window, forgetting it only shortens how long the provider's late retries are
    /// recognized. Keys without a window (providers that sign no timestamp) are only as safe as
    /// the store's memory anyway: a full [`MemoryStore`] may evict them at any time.
    #[must_use]
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.window = Some(window);
        self
    }

    /// The window a signed timestamp bounds copies to, if any.
    pub fn window(&self) -> Option<Duration> {
        self.window
    }

    /// The key's text (printable ASCII for the keys a verifier derives).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for ReplayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
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
