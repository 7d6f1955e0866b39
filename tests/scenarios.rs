//! The HTTP scenarios every adapter must answer identically, as data.
//!
//! Each [`Row`] is run against a fresh server (fresh replay store, fresh handler count) with a
//! Standard Webhooks verifier whose clock stands at [`NOW`]. Its [`Step`]s are sent in order;
//! each step sends one delivery (`copies` of it, concurrently), and every answer must be one of
//! the step's expected answers. At the end, the handler must have been called
//! `handler_calls` times. `http_matrix.rs` runs the table against axum with
//! `hookwarden_tower::WebhookVerifyLayer` and actix-web with `hookwarden_actix::WebhookVerify`.

/// The time the verifiers' clocks stand at.
pub(crate) const NOW: i64 = 1_700_000_000;
/// The endpoint's secret.
pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// A secret the endpoint does not know.
pub(crate) const OTHER_SECRET: &str = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
/// The body limit of rows that do not set one.
pub(crate) const LIMIT: u64 = 1024;

/// What the handler does; it answers `200 handled` unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    /// Always `200 handled`.
    Ok,
    /// `500 failed` on its first call, then `200 handled`.
    FailFirst,
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
    /// The `webhook-id`.
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
};

/// An answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The handler's `status` and body (`handled` or `failed`).
    Handler(u16, &'static str),
    /// A rejection: `status` with `{"reason":"<reason>"}`.
    Rejected(u16, &'static str),
    /// No response: the connection closed (the handler panicked).
    Closed,
}

/// The handler's usual answer.
pub(crate) const HANDLED: Answer = Answer::Handler(200, "handled");

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

/// One scenario.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// What it checks.
    pub(crate) name: &'static str,
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
    Row { name, body_limit: LIMIT, handler: Handler::Ok, steps, handler_calls }
}

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
        body_limit: LIMIT,
        handler: Handler::PanicFirst,
        steps: &[one(VALID, &[Answer::Closed, Answer::Handler(500, "")]), one(VALID, &[HANDLED])],
        handler_calls: 2,
    },
];
