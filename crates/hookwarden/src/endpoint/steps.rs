//! The steps of one delivery, in the order an adapter drives them.

use std::sync::Arc;

use tracing::Span;
use tracing::field::{Empty, display};

use super::throttle::{THROTTLE, Trouble};
use super::{Endpoint, Head, Rejection};
use crate::access::Connection;
use crate::clock::{Clock, SystemClock};
use crate::error::VerifyError;
use crate::metrics::{self, Stopwatch};
use crate::replay::Claim;
use crate::scheme::Request;
use crate::verified::Verified;

/// A request the endpoint let in, before its body is read: what the body read needs to know.
#[derive(Debug, Clone)]
pub struct Admission {
    /// The public origin a trusted proxy reported, when none is configured.
    forwarded_origin: Option<String>,
    declared_len: Option<u64>,
}

impl Admission {
    /// The body's declared length, to size the read buffer (never trust it further: the read
    /// still stops at the limit).
    pub fn declared_len(&self) -> Option<u64> {
        self.declared_len
    }
}

/// A verified delivery: for the handler, identified when a replay store is configured so that
/// [`Endpoint::claim`] knows its key; or a provider's endpoint check the endpoint answers.
#[derive(Debug, Clone)]
pub struct Delivery {
    verified: Verified,
    /// When the verification ended: the claim's store call is timed from then.
    verified_at: Stopwatch,
    #[cfg(feature = "json")]
    handshake: Option<crate::handshake::Handshake>,
}

impl Delivery {
    /// What was verified.
    pub fn verified(&self) -> &Verified {
        &self.verified
    }

    /// What was verified, for the handler.
    pub fn into_verified(self) -> Verified {
        self.verified
    }

    /// The answer to a provider's endpoint check, when this delivery is one and the endpoint
    /// [answers them](Endpoint::answer_handshakes): send it (`200`, with its body and content
    /// type) instead of calling the handler. Nothing is claimed for it: a provider may repeat
    /// its check.
    #[cfg(feature = "json")]
    pub fn handshake(&self) -> Option<&crate::handshake::Handshake> {
        self.handshake.as_ref()
    }
}

impl Endpoint {
    /// The `tracing` span (INFO, named `webhook`) a delivery runs in. Its fields are filled by
    /// the steps: `outcome` (`processed`, `failed`, `rejected` or `handshake`), `reason`,
    /// `key_id`, `id` (once verified), `delivery_id` (the provider's own, signed or not: see
    /// [`Verified::delivery_id`], for correlation only), `identity` and `identity_source`
    /// (with a replay store), `skew` (in seconds, for stale or future timestamps) and
    /// `body_len`. Nothing secret, and never the body.
    ///
    /// # Log levels
    ///
    /// Every rejection is logged at DEBUG. Those an operator must hear about are logged at
    /// WARN (no signature matched: a forgery, or a secret rotated at the provider and not
    /// here; a timestamp outside the window: a replay, or a clock that is off) or ERROR (the
    /// replay store is down; the endpoint is misconfigured), at most one line per kind of
    /// trouble every 10 seconds in the whole process: the next line says how many were not
    /// logged (`suppressed`). A burst of forged requests is one line, and a count in the
    /// metrics.
    pub fn span() -> Span {
        tracing::info_span!(
            "webhook",
            outcome = Empty,
            reason = Empty,
            key_id = Empty,
            id = Empty,
            delivery_id = Empty,
            identity = Empty,
            identity_source = Empty,
            skew = Empty,
            body_len = Empty,
        )
    }

    /// Step 1, before a byte of the body is read: the access controls (IP allowlist, HTTPS)
    /// and the declared length.
    ///
    /// # Errors
    ///
    /// `403 ip_not_allowed` or `https_required`, `500 peer_unknown` when an access control
    /// needs the peer address and the adapter has none, `413 body_too_large`.
    pub fn admit(&self, head: &Head<'_>) -> Result<Admission, Rejection> {
        let declared_len = head.declared_len();
        let forwarded_origin = self.access(head).map_err(|error| self.reject(error))?;
        if let Some(len) = declared_len.filter(|len| *len > self.settings.body_limit) {
            Span::current().record("body_len", len);
            return Err(self.reject(VerifyError::BodyTooLarge { limit: self.settings.body_limit }));
        }
        Ok(Admission { forwarded_origin, declared_len })
    }

    /// Applies the access policy to the connection and its forwarding headers. Returns the
    /// public origin a trusted proxy reported, when no origin is configured.
    fn access(&self, head: &Head<'_>) -> Result<Option<String>, VerifyError> {
        let policy = &self.settings.access;
        let wants_origin = self.settings.public_origin.is_none() && !policy.proxies().is_empty();
        if policy.is_open() && !wants_origin {
            return Ok(None);
        }
        let connection = Connection::new(head.peer_addr(), head.headers()).tls(head.is_tls());
        let client = policy.check(&connection)?;
        Ok(if wants_origin { client.origin(head.authority_or_host()) } else { None })
    }

    /// Step 3, once the whole body is read: the signature and the timestamp, then, when asked
    /// to, the answer to a provider's endpoint check. With a replay store, the delivery's
    /// identity is worked out here, while the request is at hand.
    ///
    /// Schemes that sign the URL see the [configured](Self::public_origin) origin, or the one a
    /// trusted proxy reported, followed by the request's path and query.
    ///
    /// # Errors
    ///
    /// The verification's: a missing or malformed header (400, 401), a stale timestamp (401),
    /// no matching signature (401), an unknown URL (500).
    pub fn verify(&self, head: &Head<'_>, admission: &Admission, body: &[u8]) -> Result<Delivery, Rejection> {
        let span = Span::current();
        let watch = Stopwatch::start();
        let preset = self.settings.verifier.scheme();
        span.record("body_len", body.len());
        let origin = self.settings.public_origin.as_deref().or(admission.forwarded_origin.as_deref());
        let url = origin.map(|origin| public_url(origin, head.path_and_query()));
        let mut request = Request::new(head.headers(), body).method(head.method());
        if let Some(url) = &url {
            request = request.url(url);
        }
        let mut verified = match self.settings.verifier.verify_request(&request) {
            Ok(verified) => verified,
            Err(error) => {
                // The provider's delivery id, so that the refusal can be found in its dashboard.
                if let Some(id) = self.settings.verifier.delivery_id(head.headers())
                    && let Some(id) = id.as_str()
                {
                    span.record("delivery_id", id);
                }
                metrics::verification(preset, "rejected", watch);
                return Err(self.reject(error));
            }
        };
        if let Some(id) = self.settings.verifier.delivery_id(head.headers()) {
            verified.delivery_id = id;
        }
        span.record("key_id", verified.key_id());
        if let Some(id) = verified.id() {
            span.record("id", id);
        }
        if let Some(id) = verified.delivery_id() {
            span.record("delivery_id", id);
        }
        #[cfg(feature = "json")]
        if self.settings.answer_handshakes
            && let Some(answer) = self.settings.verifier.handshake(&request, &verified)
        {
            span.record("outcome", "handshake");
            let verified_at = metrics::verification(preset, "verified", watch);
            metrics::delivery(preset, "handshake", "none");
            tracing::debug!("endpoint check answered");
            return Ok(Delivery { verified, verified_at, handshake: Some(answer) });
        }
        if self.settings.store.is_some() {
            self.settings.verifier.identify(&request, &mut verified);
            if let Some(identity) = verified.identity() {
                span.record("identity", display(identity))
                    .record("identity_source", identity.source().as_str());
            }
        }
        let verified_at = metrics::verification(preset, "verified", watch);
        Ok(Delivery {
            verified,
            verified_at,
            #[cfg(feature = "json")]
            handshake: None,
        })
    }

    /// Step 4: claims the delivery in the replay store, before the handler runs. `None`
    /// without a store, and for an answered endpoint check. The claim is released by its destructor if the future that holds it
    /// is dropped (the client went away) or the handler panics.
    ///
    /// # Errors
    ///
    /// `duplicate` (with the [duplicate status](Self::duplicate_status)), `409 in_flight`,
    /// `503 store_unavailable`.
    pub async fn claim(&self, delivery: &Delivery) -> Result<Option<Claim>, Rejection> {
        let (Some(store), Some(key)) = (&self.settings.store, delivery.verified.replay_key()) else {
            return Ok(None);
        };
        let verifier = &self.settings.verifier;
        let (lease, ttl) = (verifier.claim_lease(), verifier.replay_ttl());
        let preset = Some(verifier.scheme());
        let claim =
            Claim::acquire_from(Arc::clone(store), key, lease, ttl, delivery.verified_at, preset).await;
        claim.map(Some).map_err(|error| self.reject(error))
    }

    /// Step 6, once the handler answered `status` (`None`: it failed without an answer):
    /// commits the claim when the [commit rule](Self::commit_rule) says the delivery was
    /// processed, and releases it otherwise, so the sender's retry is processed. Returns
    /// whether it was processed.
    ///
    /// A store that cannot record the outcome is logged, and the handler's answer stands: a
    /// failed commit keeps the claim until its lease lapses (copies get 409), a failed release
    /// lets it lapse.
    pub async fn settle(&self, claim: Option<Claim>, status: Option<u16>) -> bool {
        let processed = status.is_some_and(|status| self.settings.commit_rule.processed(status));
        let outcome = if processed { "processed" } else { "failed" };
        Span::current().record("outcome", outcome);
        match claim {
            // The claim records the outcome as it is resolved, whoever resolves it.
            None => metrics::delivery(self.settings.verifier.scheme(), outcome, "none"),
            Some(claim) => {
                if let Err(error) = claim.resolve_from(processed, Stopwatch::start()).await {
                    match THROTTLE.admit(Trouble::StoreWrite, SystemClock.now_unix()) {
                        Some(suppressed) => tracing::warn!(
                            error = %error,
                            processed,
                            suppressed,
                            "replay store could not record the outcome: a processed delivery's copies get 409 until its lease lapses"
                        ),
                        None => tracing::debug!(error = %error, "replay store could not record the outcome"),
                    }
                }
            }
        }
        match status {
            Some(status) => tracing::debug!(status, "delivery handled"),
            None => tracing::debug!("handler failed"),
        }
        processed
    }

    /// The rejection for `error`, from any step (the body read's included), with the
    /// configured [duplicate status](Self::duplicate_status) and
    /// [body](Self::rejection_body). Records it on the current span
    /// and logs it at DEBUG.
    pub fn reject(&self, error: VerifyError) -> Rejection {
        let span = Span::current();
        span.record("outcome", "rejected").record("reason", error.reason());
        if let Some(skew) = error.skew() {
            span.record("skew", skew.as_secs());
        }
        let preset = self.settings.verifier.scheme();
        let (outcome, reason) = metrics::refusal_labels(error.reason());
        metrics::delivery(preset, outcome, reason);
        log_rejection(preset, &error);
        let status =
            if error == VerifyError::Duplicate { self.settings.duplicate_status } else { error.status() };
        match &self.settings.rejection_body {
            // Shaped from a rejection without a body: the default one is not made to be replaced.
            Some(shape) => {
                let rejection = Rejection::unshaped(error, status);
                let body = shape(&rejection);
                rejection.with_body(body)
            }
            None => Rejection::new(error).with_status(status),
        }
    }
}

/// Logs a rejection: at WARN or ERROR, [throttled](super::throttle), when it means trouble an
/// operator must hear about; at DEBUG otherwise.
fn log_rejection(preset: &'static str, error: &VerifyError) {
    let trouble = match error {
        VerifyError::NoMatchingSignature { .. } => Trouble::Signature,
        VerifyError::TimestampTooOld { .. } | VerifyError::TimestampTooNew { .. } => Trouble::Clock,
        VerifyError::StoreUnavailable => Trouble::Store,
        VerifyError::UrlUnknown | VerifyError::MethodUnknown | VerifyError::PeerUnknown => Trouble::Config,
        _ => {
            tracing::debug!(error = %error, "delivery rejected");
            return;
        }
    };
    let Some(suppressed) = THROTTLE.admit(trouble, SystemClock.now_unix()) else {
        tracing::debug!(error = %error, "delivery rejected");
        return;
    };
    let reason = error.reason();
    match trouble {
        Trouble::Signature => tracing::warn!(
            preset,
            reason,
            suppressed,
            "delivery rejected: no signature matched any key; forged, or signed with a secret this endpoint does not hold (rotated at the provider?)"
        ),
        Trouble::Clock => tracing::warn!(
            preset,
            reason,
            error = %error,
            suppressed,
            "delivery rejected: its signed timestamp is outside the window; a replayed capture, or a clock (this one or the sender's) is off"
        ),
        Trouble::Store => tracing::error!(
            preset,
            reason,
            suppressed,
            "replay store unavailable: deliveries are answered 503 until it answers again"
        ),
        Trouble::Config | Trouble::StoreWrite => tracing::error!(
            preset,
            reason,
            error = %error,
            suppressed,
            "delivery rejected: the endpoint cannot verify it as configured"
        ),
    }
}

/// The URL the provider called: the public origin, then the path and query.
fn public_url(origin: &str, path_and_query: &str) -> String {
    let path = if path_and_query.is_empty() { "/" } else { path_and_query };
    let origin = origin.trim_end_matches('/');
    let mut url = String::with_capacity(origin.len() + path.len());
    url.push_str(origin);
    url.push_str(path);
    url
}

#[cfg(test)]
mod tests {
    use super::public_url;

    #[test]
    fn public_url_joins_origin_and_path() {
        assert_eq!(
            public_url("https://example.com/", "/hooks/twilio?a=1"),
            "https://example.com/hooks/twilio?a=1"
        );
        assert_eq!(public_url("https://example.com", ""), "https://example.com/");
    }
}
