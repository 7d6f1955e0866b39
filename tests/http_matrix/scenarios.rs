//! The HTTP scenarios every adapter must answer identically, as data.
//!
//! Each [`Row`] is run against a fresh server (fresh replay store, fresh handler count) with a
//! verifier whose clock stands at [`NOW`] (Standard Webhooks unless the row's [`Setup`] says
//! otherwise), configured as the row's [`Setup`] says. Requests come from `127.0.0.1`: rows
//! about access controls choose IP ranges around it, and the forwarding headers a proxy would
//! send. Its [`Step`]s are sent in order;
//! each step sends one delivery (`copies` of it, concurrently), and every answer must be one of
//! the step's expected answers. At the end, the handler must have been called
//! `handler_calls` times. `main.rs` runs the table against axum with
//! `hookwarden_tower::WebhookVerifyLayer` and actix-web with `hookwarden_actix::WebhookVerify`.

/// The time the verifiers' clocks stand at.
pub(crate) const NOW: i64 = 1_700_000_000;
/// The endpoint's secret.
pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A secret the endpoint does not know.
pub(crate) const OTHER_SECRET: &str = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
/// The public URL of the endpoint, for the schemes that sign it.
pub(crate) const PUBLIC_URL: &str = "https://hooks.example.com/webhook";
/// The challenge in [`Body::SlackChallenge`].
pub(crate) const CHALLENGE: &str = "c0ffee-3eZbrw1aBm2rZgRNFdxV";
/// The body limit of rows that do not set one.
pub(crate) const LIMIT: u64 = 1024;

/// What the handler does; it answers `200 handled` unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    /// Always `200 handled`.
    Ok,
    /// `500 failed` on its first call, then `200 handled`.
    FailFirst,
    /// This status and body (`text/plain`) on its first call, then `200 handled`: a refusal
    /// that is not an error, such as `415 unsupported` (an extractor that did not like the
    /// content type), `429 busy`, `409 conflict`, or a `303 elsewhere` with no `Location`.
    /// Senders retry anything but 2xx, so none of these may commit the claim.
    AnswersFirst(u16, &'static str),
    /// Panics on its first call, then `200 handled`.
    PanicFirst,
    /// Waits 300 ms before each `200 handled`, so copies arrive while it is in flight.
    Slow,
}

/// Which key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// The endpoint's secret.
    Right,
    /// Another secret.
    Wrong,
}

/// A body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    /// A small JSON event.
    Json,
    /// The JSON event with one digit changed.
    JsonTampered,
    /// Bytes that are not UTF-8.
    Binary,
    /// Nothing.
    Empty,
    /// `n` bytes of `a`.
    Filler(usize),
    /// Slack's `url_verification` check, with [`CHALLENGE`].
    SlackChallenge,
    /// A Stripe event with this `id` and `pending_webhooks` count. Stripe re-signs a retry with
    /// a new `t=`, and `pending_webhooks` changes between attempts: only the `id` stays.
    StripeEvent(&'static str, u8),
    /// A Slack Events API callback with this `event_id`. Slack re-signs a retry with a new
    /// timestamp (and adds unsigned `X-Slack-Retry-*` headers); the body stays the same.
    SlackEvent(&'static str),
}

impl Body {
    /// The bytes.
    pub(crate) fn bytes(self) -> Vec<u8> {
        match self {
            Self::Json => br#"{"type":"invoice.paid","data":{"amount":4200}}"#.to_vec(),
            Self::JsonTampered => br#"{"type":"invoice.paid","data":{"amount":9200}}"#.to_vec(),
            Self::Binary => b"\xff\xfe\x00binary\x80".to_vec(),
            Self::Empty => Vec::new(),
            Self::Filler(n) => vec![b'a'; n],
            Self::SlackChallenge => {
                format!(r#"{{"token":"t","challenge":"{CHALLENGE}","type":"url_verification"}}"#).into_bytes()
            }
            Self::StripeEvent(id, pending) => {
                format!(r#"{{"id":"{id}","object":"event","pending_webhooks":{pending}}}"#).into_bytes()
            }
            Self::SlackEvent(event_id) => format!(
                r#"{{"token":"t","team_id":"T1","event":{{"type":"message","text":"hi"}},"type":"event_callback","event_id":"{event_id}","event_time":1700000000}}"#
            )
            .into_bytes(),
        }
    }
}

/// How the body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transfer {
    /// With `Content-Length`.
    Length,
    /// Chunked, without `Content-Length`, in 256-byte chunks.
    Chunked,
}

/// A change to the signed headers before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Send them as signed.
    None,
    /// Leave this header out.
    Remove(&'static str),
    /// Replace this header's value.
    Replace(&'static str, &'static str),
    /// Send this header twice.
    Repeat(&'static str),
}

/// One delivery, as the sender signs and sends it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Delivery {
    /// The `webhook-id` (Standard Webhooks; the other presets here sign no id).
    pub(crate) id: &'static str,
    /// The key that signs.
    pub(crate) key: Key,
    /// Seconds before [`NOW`] the delivery was signed (negative: in the future).
    pub(crate) age: i64,
    /// The body that is signed.
    pub(crate) signed: Body,
    /// The body that is sent.
    pub(crate) sent: Body,
    /// How it is sent.
    pub(crate) transfer: Transfer,
    /// A change to the headers.
    pub(crate) edit: Edit,
    /// Headers added as they are (not signed), such as a proxy's `X-Forwarded-For`.
    pub(crate) extra: &'static [(&'static str, &'static str)],
}

/// A well-formed delivery of the JSON event, signed now with the right key.
pub(crate) const VALID: Delivery = Delivery {
    id: "msg_1",
    key: Key::Right,
    age: 0,
    signed: Body::Json,
    sent: Body::Json,
    transfer: Transfer::Length,
    edit: Edit::None,
    extra: &[],
};

/// An answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The handler's `status` and body: `handled`, `failed`, or what
    /// [`Handler::AnswersFirst`] says.
    Handler(u16, &'static str),
    /// A rejection: `status` with `{"reason":"<reason>"}`.
    Rejected(u16, &'static str),
    /// No response: the connection closed (the handler panicked).
    Closed,
    /// The adapter's answer to an endpoint check: `200`, `text/plain`, this body; the handler
    /// is not called.
    Handshake(&'static str),
}

/// The handler's usual answer.
pub(crate) const HANDLED: Answer = Answer::Handler(200, "handled");
/// A copy of a processed event: acknowledged, the handler not called.
const DUPLICATE: Answer = Answer::Rejected(200, "duplicate");
/// A copy of an event whose claim is held: try again later (with `Retry-After: 5`).
const IN_FLIGHT: Answer = Answer::Rejected(409, "in_flight");

/// One step: a delivery, how many concurrent copies, the answers each copy may get.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    /// What is sent.
    pub(crate) delivery: Delivery,
    /// How many copies are sent at once.
    pub(crate) copies: usize,
    /// Each copy's answer must be one of these.
    pub(crate) expect: &'static [Answer],
}

/// Which provider's scheme the endpoint verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Preset {
    /// Standard Webhooks.
    Standard,
    /// Slack: signs a timestamp and the body; has an endpoint check.
    Slack,
    /// Square: signs the public URL and the body.
    Square,
    /// Stripe: `Stripe-Signature: t=<ts>,v1=<hex>` over `{t}.{body}`; the body's `id` is the
    /// event's identity.
    Stripe,
}

/// The replay store, fresh for each row and framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Store {
    /// A `MemoryStore`.
    Memory,
    /// A `MemoryStore` whose commits fail (claims and releases work), as a store that goes
    /// away between the claim and the commit.
    CommitFails,
}

/// How the adapter is configured, beyond the body limit every row has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setup {
    /// The scheme.
    pub(crate) preset: Preset,
    /// `ip_allowlist`, when set.
    pub(crate) allow: Option<&'static [&'static str]>,
    /// `trusted_proxies`.
    pub(crate) trusted_proxies: &'static [&'static str],
    /// `require_https`.
    pub(crate) require_https: bool,
    /// `answer_handshakes`.
    pub(crate) answer_handshakes: bool,
    /// `public_origin`, when set.
    pub(crate) public_origin: Option<&'static str>,
    /// The replay store.
    pub(crate) store: Store,
}

/// A Standard Webhooks endpoint without access controls.
pub(crate) const PLAIN: Setup = Setup {
    preset: Preset::Standard,
    allow: None,
    trusted_proxies: &[],
    require_https: false,
    answer_handshakes: false,
    public_origin: None,
    store: Store::Memory,
};

/// The client's address in rows about forwarding headers (TEST-NET-3), and its range.
const CLIENT_RANGE: &[&str] = &["203.0.113.0/24"];
/// The peer every request comes from, as a trusted proxy.
const LOOPBACK: &[&str] = &["127.0.0.1"];

/// One scenario.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// What it checks.
    pub(crate) name: &'static str,
    /// How the adapter is configured.
    pub(crate) setup: Setup,
    /// The body limit.
    pub(crate) body_limit: u64,
    /// What the handler does.
    pub(crate) handler: Handler,
    /// What is sent, in order.
    pub(crate) steps: &'static [Step],
    /// How many times the handler runs in all.
    pub(crate) handler_calls: usize,
}

const fn one(delivery: Delivery, expect: &'static [Answer]) -> Step {
    Step { delivery, copies: 1, expect }
}

const fn row(name: &'static str, steps: &'static [Step], handler_calls: usize) -> Row {
    configured(name, PLAIN, steps, handler_calls)
}

const fn configured(name: &'static str, setup: Setup, steps: &'static [Step], handler_calls: usize) -> Row {
    Row { name, setup, body_limit: LIMIT, handler: Handler::Ok, steps, handler_calls }
}

/// A valid delivery with these headers added.
const fn with(extra: &'static [(&'static str, &'static str)]) -> Delivery {
    Delivery { extra, ..VALID }
}

/// A Stripe endpoint.
const STRIPE: Setup = Setup { preset: Preset::Stripe, ..PLAIN };
/// A Slack endpoint.
const SLACK: Setup = Setup { preset: Preset::Slack, ..PLAIN };

/// Stripe's first attempt at `evt_1`, signed a minute ago (inside the five-minute window).
const STRIPE_FIRST: Delivery =
    Delivery { age: 60, signed: Body::StripeEvent("evt_1", 2), sent: Body::StripeEvent("evt_1", 2), ..VALID };
/// Stripe's retry of `evt_1`: re-signed now with a new `t=`, and `pending_webhooks` down to 1,
/// so neither the signature header nor the body bytes are those of the first attempt.
const STRIPE_RETRY: Delivery =
    Delivery { age: 0, signed: Body::StripeEvent("evt_1", 1), sent: Body::StripeEvent("evt_1", 1), ..VALID };
/// Another Stripe event, `evt_2`, signed now.
const STRIPE_OTHER: Delivery =
    Delivery { signed: Body::StripeEvent("evt_2", 1), sent: Body::StripeEvent("evt_2", 1), ..VALID };
/// Slack's first attempt at `Ev1`, signed a minute ago.
const SLACK_FIRST: Delivery =
    Delivery { age: 60, signed: Body::SlackEvent("Ev1"), sent: Body::SlackEvent("Ev1"), ..VALID };
/// Slack's retry of `Ev1`: the same body re-signed now with a new `X-Slack-Request-Timestamp`,
/// and the unsigned retry headers Slack adds.
const SLACK_RETRY: Delivery = Delivery {
    age: 0,
    signed: Body::SlackEvent("Ev1"),
    sent: Body::SlackEvent("Ev1"),
    extra: &[("x-slack-retry-num", "1"), ("x-slack-retry-reason", "http_timeout")],
    ..VALID
};
/// Another Slack event, `Ev2`, signed now.
const SLACK_OTHER: Delivery =
    Delivery { signed: Body::SlackEvent("Ev2"), sent: Body::SlackEvent("Ev2"), ..VALID };

const IP_NOT_ALLOWED: Answer = Answer::Rejected(403, "ip_not_allowed");
const HTTPS_REQUIRED: Answer = Answer::Rejected(403, "https_required");

/// The table.
pub(crate) const ROWS: &[Row] = &[
    row("valid delivery", &[one(VALID, &[HANDLED])], 1),
    row(
        "non-UTF-8 body",
        &[one(Delivery { signed: Body::Binary, sent: Body::Binary, ..VALID }, &[HANDLED])],
        1,
    ),
    row("empty body", &[one(Delivery { signed: Body::Empty, sent: Body::Empty, ..VALID }, &[HANDLED])], 1),
    row(
        "tampered body",
        &[one(
            Delivery { sent: Body::JsonTampered, ..VALID },
            &[Answer::Rejected(401, "no_matching_signature")],
        )],
        0,
    ),
    row(
        "signed with another key",
        &[one(Delivery { key: Key::Wrong, ..VALID }, &[Answer::Rejected(401, "no_matching_signature")])],
        0,
    ),
    row(
        "timestamp 10 minutes old",
        &[one(Delivery { age: 600, ..VALID }, &[Answer::Rejected(401, "timestamp_too_old")])],
        0,
    ),
    row(
        "timestamp 10 minutes ahead",
        &[one(Delivery { age: -600, ..VALID }, &[Answer::Rejected(401, "timestamp_too_new")])],
        0,
    ),
    row("timestamp 4 minutes old (inside the window)", &[one(Delivery { age: 240, ..VALID }, &[HANDLED])], 1),
    row(
        "signature header missing",
        &[one(
            Delivery { edit: Edit::Remove("webhook-signature"), ..VALID },
            &[Answer::Rejected(401, "missing_header")],
        )],
        0,
    ),
    row(
        "timestamp header missing",
        &[one(
            Delivery { edit: Edit::Remove("webhook-timestamp"), ..VALID },
            &[Answer::Rejected(401, "missing_header")],
        )],
        0,
    ),
    row(
        "id header missing",
        &[one(
            Delivery { edit: Edit::Remove("webhook-id"), ..VALID },
            &[Answer::Rejected(401, "missing_header")],
        )],
        0,
    ),
    row(
        "timestamp not a number",
        &[one(
            Delivery { edit: Edit::Replace("webhook-timestamp", "yesterday"), ..VALID },
            &[Answer::Rejected(400, "malformed_header")],
        )],
        0,
    ),
    row(
        "signature header repeated",
        &[one(
            Delivery { edit: Edit::Repeat("webhook-signature"), ..VALID },
            &[Answer::Rejected(400, "duplicate_header")],
        )],
        0,
    ),
    row(
        "Content-Length over the limit",
        &[one(
            Delivery { signed: Body::Filler(4096), sent: Body::Filler(4096), ..VALID },
            &[Answer::Rejected(413, "body_too_large")],
        )],
        0,
    ),
    row(
        "chunked body over the limit",
        &[one(
            Delivery {
                signed: Body::Filler(4096),
                sent: Body::Filler(4096),
                transfer: Transfer::Chunked,
                ..VALID
            },
            &[Answer::Rejected(413, "body_too_large")],
        )],
        0,
    ),
    row(
        "chunked body under the limit",
        &[one(
            Delivery {
                signed: Body::Filler(1000),
                sent: Body::Filler(1000),
                transfer: Transfer::Chunked,
                ..VALID
            },
            &[HANDLED],
        )],
        1,
    ),
    row(
        "body exactly at the limit",
        &[one(Delivery { signed: Body::Filler(1024), sent: Body::Filler(1024), ..VALID }, &[HANDLED])],
        1,
    ),
    row(
        "one byte over the limit, chunked",
        &[one(
            Delivery {
                signed: Body::Filler(1025),
                sent: Body::Filler(1025),
                transfer: Transfer::Chunked,
                ..VALID
            },
            &[Answer::Rejected(413, "body_too_large")],
        )],
        0,
    ),
    row(
        "replay of a processed delivery",
        &[one(VALID, &[HANDLED]), one(VALID, &[Answer::Rejected(200, "duplicate")])],
        1,
    ),
    row(
        "same id, another body (the id is the replay key)",
        &[
            one(VALID, &[HANDLED]),
            one(
                Delivery { signed: Body::Binary, sent: Body::Binary, ..VALID },
                &[Answer::Rejected(200, "duplicate")],
            ),
        ],
        1,
    ),
    row(
        "two distinct deliveries",
        &[one(VALID, &[HANDLED]), one(Delivery { id: "msg_2", ..VALID }, &[HANDLED])],
        2,
    ),
    row(
        "a rejected delivery does not burn its id",
        &[
            one(
                Delivery { sent: Body::JsonTampered, ..VALID },
                &[Answer::Rejected(401, "no_matching_signature")],
            ),
            one(VALID, &[HANDLED]),
        ],
        1,
    ),
    Row {
        name: "64 concurrent copies",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::Slow,
        steps: &[Step {
            delivery: VALID,
            copies: 64,
            expect: &[HANDLED, Answer::Rejected(409, "in_flight"), Answer::Rejected(200, "duplicate")],
        }],
        handler_calls: 1,
    },
    Row {
        name: "a copy while in flight, then after",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::Slow,
        steps: &[
            Step { delivery: VALID, copies: 2, expect: &[HANDLED, Answer::Rejected(409, "in_flight")] },
            one(VALID, &[Answer::Rejected(200, "duplicate")]),
        ],
        handler_calls: 1,
    },
    Row {
        name: "handler 500 releases the claim",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::FailFirst,
        steps: &[
            one(VALID, &[Answer::Handler(500, "failed")]),
            one(VALID, &[HANDLED]),
            one(VALID, &[Answer::Rejected(200, "duplicate")]),
        ],
        handler_calls: 2,
    },
    Row {
        name: "handler panic releases the claim",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::PanicFirst,
        steps: &[one(VALID, &[Answer::Closed, Answer::Handler(500, "")]), one(VALID, &[HANDLED])],
        handler_calls: 2,
    },
    // Only a 2xx commits: a 3xx or 4xx from the handler (or an extractor) is "not processed",
    // and the sender retries it, so the same signed bytes must reach the handler again.
    Row {
        name: "handler 415 releases the claim",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::AnswersFirst(415, "unsupported"),
        steps: &[
            one(VALID, &[Answer::Handler(415, "unsupported")]),
            one(VALID, &[HANDLED]),
            one(VALID, &[DUPLICATE]),
        ],
        handler_calls: 2,
    },
    Row {
        name: "handler 429 releases the claim",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::AnswersFirst(429, "busy"),
        steps: &[
            one(VALID, &[Answer::Handler(429, "busy")]),
            one(VALID, &[HANDLED]),
            one(VALID, &[DUPLICATE]),
        ],
        handler_calls: 2,
    },
    Row {
        // The handler's own 409 (text/plain) is not the adapter's `409 in_flight` (JSON).
        name: "handler 409 releases the claim",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::AnswersFirst(409, "conflict"),
        steps: &[
            one(VALID, &[Answer::Handler(409, "conflict")]),
            one(VALID, &[HANDLED]),
            one(VALID, &[DUPLICATE]),
        ],
        handler_calls: 2,
    },
    Row {
        name: "handler 303 releases the claim",
        setup: PLAIN,
        body_limit: LIMIT,
        handler: Handler::AnswersFirst(303, "elsewhere"),
        steps: &[
            one(VALID, &[Answer::Handler(303, "elsewhere")]),
            one(VALID, &[HANDLED]),
            one(VALID, &[DUPLICATE]),
        ],
        handler_calls: 2,
    },
    // A commit that fails keeps the claim (never released, so never processed twice): copies
    // are in flight until the lease lapses, five minutes away. Other events still go through.
    configured(
        "a failed commit keeps the claim",
        Setup { store: Store::CommitFails, ..PLAIN },
        &[
            one(VALID, &[HANDLED]),
            one(VALID, &[IN_FLIGHT]),
            one(Delivery { id: "msg_2", ..VALID }, &[HANDLED]),
        ],
        2,
    ),
    // Re-signed retries: providers sign each attempt anew (a new timestamp, a changed body
    // field, added retry headers); the identity is the event's id, so a retry of a processed
    // event is a duplicate, and a retry of a failed one is processed.
    configured(
        "Stripe: a re-signed retry is a duplicate",
        STRIPE,
        &[one(STRIPE_FIRST, &[HANDLED]), one(STRIPE_RETRY, &[DUPLICATE]), one(STRIPE_OTHER, &[HANDLED])],
        2,
    ),
    Row {
        name: "Stripe: a re-signed retry after a 500",
        setup: STRIPE,
        body_limit: LIMIT,
        handler: Handler::FailFirst,
        steps: &[
            one(STRIPE_FIRST, &[Answer::Handler(500, "failed")]),
            one(STRIPE_RETRY, &[HANDLED]),
            one(STRIPE_RETRY, &[DUPLICATE]),
        ],
        handler_calls: 2,
    },
    configured(
        "Slack: a re-signed retry is a duplicate",
        SLACK,
        &[one(SLACK_FIRST, &[HANDLED]), one(SLACK_RETRY, &[DUPLICATE]), one(SLACK_OTHER, &[HANDLED])],
        2,
    ),
    Row {
        name: "Slack: a re-signed retry after a 500",
        setup: SLACK,
        body_limit: LIMIT,
        handler: Handler::FailFirst,
        steps: &[
            one(SLACK_FIRST, &[Answer::Handler(500, "failed")]),
            one(SLACK_RETRY, &[HANDLED]),
            one(SLACK_RETRY, &[DUPLICATE]),
        ],
        handler_calls: 2,
    },
    // Access controls: the peer is always 127.0.0.1.
    configured(
        "allowlist: the peer is in it",
        Setup { allow: Some(&["10.0.0.0/8", "127.0.0.0/8", "::1"]), ..PLAIN },
        &[one(VALID, &[HANDLED])],
        1,
    ),
    configured(
        "allowlist: the peer is not in it",
        Setup { allow: Some(&["203.0.113.0/24", "2001:db8::/32"]), ..PLAIN },
        &[one(VALID, &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: refused before the size check",
        Setup { allow: Some(CLIENT_RANGE), ..PLAIN },
        &[one(Delivery { signed: Body::Filler(4096), sent: Body::Filler(4096), ..VALID }, &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: X-Forwarded-For, peer not trusted",
        Setup { allow: Some(CLIENT_RANGE), ..PLAIN },
        &[one(with(&[("x-forwarded-for", "203.0.113.7")]), &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: X-Forwarded-For from a trusted proxy",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(with(&[("x-forwarded-for", "203.0.113.7")]), &[HANDLED])],
        1,
    ),
    configured(
        "allowlist: a spoofed left-most X-Forwarded-For",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(with(&[("x-forwarded-for", "203.0.113.7, 198.51.100.9")]), &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: Forwarded for= from a trusted proxy",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(with(&[("forwarded", r#"for="203.0.113.7:4711";proto=https"#)]), &[HANDLED])],
        1,
    ),
    configured(
        "allowlist: Forwarded and X-Forwarded-For disagree",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(
            with(&[("forwarded", "for=203.0.113.7"), ("x-forwarded-for", "198.51.100.9")]),
            &[IP_NOT_ALLOWED],
        )],
        0,
    ),
    configured(
        "HTTPS required, plain HTTP",
        Setup { require_https: true, ..PLAIN },
        &[one(VALID, &[HTTPS_REQUIRED])],
        0,
    ),
    configured(
        "HTTPS required, X-Forwarded-Proto, peer not trusted",
        Setup { require_https: true, ..PLAIN },
        &[one(with(&[("x-forwarded-proto", "https")]), &[HTTPS_REQUIRED])],
        0,
    ),
    configured(
        "HTTPS required, X-Forwarded-Proto from a proxy",
        Setup { require_https: true, trusted_proxies: LOOPBACK, ..PLAIN },
        &[
            one(with(&[("x-forwarded-proto", "https")]), &[HANDLED]),
            one(with(&[("x-forwarded-proto", "http")]), &[HTTPS_REQUIRED]),
        ],
        1,
    ),
    configured(
        "HTTPS required, Forwarded proto= from a proxy",
        Setup { require_https: true, trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(with(&[("forwarded", "for=192.0.2.1;proto=https")]), &[HANDLED])],
        1,
    ),
    // Endpoint checks.
    configured(
        "Slack url_verification, answer_handshakes",
        Setup { preset: Preset::Slack, answer_handshakes: true, ..PLAIN },
        // Answered every time: no claim, so never a duplicate.
        &[
            one(
                Delivery { signed: Body::SlackChallenge, sent: Body::SlackChallenge, ..VALID },
                &[Answer::Handshake(CHALLENGE)],
            ),
            one(
                Delivery { signed: Body::SlackChallenge, sent: Body::SlackChallenge, ..VALID },
                &[Answer::Handshake(CHALLENGE)],
            ),
            one(VALID, &[HANDLED]),
        ],
        1,
    ),
    configured(
        "Slack url_verification, forged",
        Setup { preset: Preset::Slack, answer_handshakes: true, ..PLAIN },
        &[one(
            Delivery { signed: Body::SlackChallenge, sent: Body::SlackChallenge, key: Key::Wrong, ..VALID },
            &[Answer::Rejected(401, "no_matching_signature")],
        )],
        0,
    ),
    configured(
        "Slack url_verification, not answered",
        Setup { preset: Preset::Slack, ..PLAIN },
        &[one(Delivery { signed: Body::SlackChallenge, sent: Body::SlackChallenge, ..VALID }, &[HANDLED])],
        1,
    ),
    // The public URL of a scheme that signs it.
    configured(
        "Square: the URL from a trusted proxy",
        Setup { preset: Preset::Square, trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(
            with(&[("x-forwarded-proto", "https"), ("x-forwarded-host", "hooks.example.com")]),
            &[HANDLED],
        )],
        1,
    ),
    configured(
        "Square: the URL from an untrusted peer",
        Setup { preset: Preset::Square, ..PLAIN },
        &[one(
            with(&[("x-forwarded-proto", "https"), ("x-forwarded-host", "hooks.example.com")]),
            &[Answer::Rejected(500, "url_unknown")],
        )],
        0,
    ),
    configured(
        "Square: the configured origin wins",
        Setup {
            preset: Preset::Square,
            trusted_proxies: LOOPBACK,
            public_origin: Some("https://hooks.example.com"),
            ..PLAIN
        },
        &[one(
            with(&[("x-forwarded-proto", "https"), ("x-forwarded-host", "elsewhere.example")]),
            &[HANDLED],
        )],
        1,
    ),
];
