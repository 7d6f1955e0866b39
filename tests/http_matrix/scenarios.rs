//! The HTTP scenarios every adapter must answer identically, as data.
//!
//! Each [`Row`] is run against a fresh server (fresh replay store, fresh handler count) with a
//! verifier whose clock stands at [`NOW`] (Standard Webhooks unless the row's [`Setup`] says
//! otherwise), configured as the row's [`Setup`] says. Requests come from `127.0.0.1` (`::1`
//! for rows that listen on IPv6): rows about access controls choose IP ranges around it, and
//! the forwarding headers a proxy would send. Its [`Step`]s are sent in order;
//! each step sends one delivery (`copies` of it, concurrently), and every answer must be one of
//! the step's expected answers; no answer may carry a piece of the signature that was sent. At
//! the end, the handler must have been called `handler_calls` times. `main.rs` runs the table
//! against axum with `hookwarden_tower::WebhookVerifyLayer` and actix-web with
//! `hookwarden_actix::WebhookVerify`.

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
/// The challenge in [`Body::TwitchChallenge`].
const TWITCH_CHALLENGE: &str = "pogchamp-kappa-360noscope-vohiyo";

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
    /// Form parameters, as Twilio posts them.
    Form,
    /// Discord's `PING` interaction.
    DiscordPing,
    /// A Discord application command (interaction `124`).
    DiscordCommand,
    /// Twitch's EventSub callback verification, with [`TWITCH_CHALLENGE`].
    TwitchChallenge,
    /// A Twitch EventSub notification.
    TwitchEvent,
    /// Zoom's `endpoint.url_validation` check.
    ZoomValidation,
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
            Self::Form => b"CallSid=CA1234567890ABCDE&From=%2B14158675309".to_vec(),
            Self::DiscordPing => br#"{"type":1,"id":"123","application_id":"456"}"#.to_vec(),
            Self::DiscordCommand => br#"{"type":2,"id":"124"}"#.to_vec(),
            Self::TwitchChallenge => {
                format!(r#"{{"challenge":"{TWITCH_CHALLENGE}","subscription":{{"type":"channel.follow"}}}}"#)
                    .into_bytes()
            }
            Self::TwitchEvent => br#"{"subscription":{"type":"channel.follow"},"event":{}}"#.to_vec(),
            Self::ZoomValidation => br#"{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}"#.to_vec(),
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
    /// `Content-Length` of the body, and not a byte of it: the answer must come anyway.
    Withheld,
    /// Chunked like [`Transfer::Chunked`], then the stream stays open: the answer must come
    /// before the body ends.
    ChunkedOpen,
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
    /// The public URL it is signed for, by the schemes that sign one.
    pub(crate) url: &'static str,
    /// Where it is sent: the path, and a query.
    pub(crate) target: &'static str,
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
    url: PUBLIC_URL,
    target: "/webhook",
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
    /// The same, in `application/json`: a body equal, as JSON, to this one.
    HandshakeJson(&'static str),
}

/// The handler's usual answer.
pub(crate) const HANDLED: Answer = Answer::Handler(200, "handled");
/// A copy of a processed event: acknowledged, the handler not called.
const DUPLICATE: Answer = Answer::Rejected(200, "duplicate");
/// A copy of an event whose claim is held: try again later (with `Retry-After: 5`).
const IN_FLIGHT: Answer = Answer::Rejected(409, "in_flight");
const NO_MATCH: Answer = Answer::Rejected(401, "no_matching_signature");
const TOO_LARGE: Answer = Answer::Rejected(413, "body_too_large");
const URL_UNKNOWN: Answer = Answer::Rejected(500, "url_unknown");

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
    /// GitHub: signs the body alone, no id and no timestamp: replays are known by the signed
    /// content's digest.
    GitHub,
    /// Twilio: signs the public URL and the form parameters.
    Twilio,
    /// HubSpot (v3): signs the method, the public URL, the body and a timestamp.
    HubSpot,
    /// Discord: Ed25519 over the timestamp and the body; has an endpoint check (`PING`).
    Discord,
    /// Twitch EventSub: signs the message id, a timestamp and the body; has an endpoint check.
    Twitch,
    /// Zoom: signs a timestamp and the body; has an endpoint check.
    Zoom,
}

/// The replay store, fresh for each row and framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Store {
    /// A `MemoryStore`.
    Memory,
    /// A `MemoryStore` whose commits fail (claims and releases work), as a store that goes
    /// away between the claim and the commit.
    CommitFails,
    /// A store whose claims fail, as one that cannot be reached.
    Down,
    /// No replay store.
    None,
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
    /// `duplicate_status`.
    pub(crate) duplicate_status: u16,
    /// Listens on `[::1]` rather than `127.0.0.1`.
    pub(crate) ipv6: bool,
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
    duplicate_status: 200,
    ipv6: false,
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

/// 64 bytes of zeros in hex: a well-formed Ed25519 signature that verifies nothing.
const ED25519_ZEROS: &str = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// Discord's `PING`, signed now.
const DISCORD_PING: Delivery = Delivery { signed: Body::DiscordPing, sent: Body::DiscordPing, ..VALID };
/// A Discord application command, signed now.
const DISCORD_COMMAND: Delivery =
    Delivery { signed: Body::DiscordCommand, sent: Body::DiscordCommand, ..VALID };
/// Twitch's callback verification: the challenge, and the message type that says what it is.
const TWITCH_VERIFICATION: Delivery = Delivery {
    signed: Body::TwitchChallenge,
    sent: Body::TwitchChallenge,
    extra: &[("twitch-eventsub-message-type", "webhook_callback_verification")],
    ..VALID
};
/// Zoom's URL validation.
const ZOOM_VALIDATION: Delivery =
    Delivery { signed: Body::ZoomValidation, sent: Body::ZoomValidation, ..VALID };
/// Zoom's expected answer: the plain token, and its HMAC-SHA256 with the secret in hex
/// (computed independently, with Python's `hmac`).
const ZOOM_ANSWER: &str = r#"{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"fa52ecf98b4919aaa696f04cdc156ea40b1eba020707f76b8c9e455168295b87"}"#;

/// Form parameters signed for the public URL with a query, sent to that path and query.
const TENANT_7: Delivery = Delivery {
    signed: Body::Form,
    sent: Body::Form,
    url: "https://hooks.example.com/webhook?tenant=7",
    target: "/webhook?tenant=7",
    ..VALID
};
/// [`TENANT_7`] through a proxy that sends these headers.
const fn proxied(extra: &'static [(&'static str, &'static str)]) -> Delivery {
    Delivery { extra, ..TENANT_7 }
}
/// What a proxy in front of `https://hooks.example.com` sends.
const PROXY: &[(&str, &str)] = &[("x-forwarded-proto", "https"), ("x-forwarded-host", "hooks.example.com")];

/// From a trusted proxy, the URL is its scheme and host, then the request's path and query.
const URL_FROM_A_PROXY: &[Step] = &[
    one(proxied(PROXY), &[HANDLED]),
    // RFC 7239, and a port the proxy reports as the default one.
    one(
        proxied(&[
            ("forwarded", "for=192.0.2.1;proto=https;host=hooks.example.com"),
            ("x-forwarded-port", "443"),
        ]),
        &[HANDLED],
    ),
    // A proxy that passes the Host on and forwards only the protocol.
    one(proxied(&[("x-forwarded-proto", "https"), ("host", "hooks.example.com")]), &[HANDLED]),
    // Another query than the one signed.
    one(Delivery { target: "/webhook?tenant=8", ..proxied(PROXY) }, &[NO_MATCH]),
    // Without the protocol the URL is unknown: a 500, never a guess.
    one(proxied(&[("x-forwarded-host", "hooks.example.com")]), &[URL_UNKNOWN]),
];

/// A URL-signing `preset` behind a trusted proxy, without a replay store (the same delivery is
/// handled through each of the proxy's spellings).
const fn url_from_a_proxy(name: &'static str, preset: Preset) -> Row {
    configured(
        name,
        Setup { preset, trusted_proxies: LOOPBACK, store: Store::None, ..PLAIN },
        URL_FROM_A_PROXY,
        3,
    )
}

/// The proxy's headers from a peer that is not a trusted proxy are ignored: the URL is unknown.
const URL_FROM_A_PEER_NOT_TRUSTED: &[Step] = &[one(proxied(PROXY), &[URL_UNKNOWN])];

/// A URL-signing `preset` whose trusted proxies do not include the peer.
const fn url_from_a_peer_not_trusted(name: &'static str, preset: Preset) -> Row {
    configured(
        name,
        Setup { preset, trusted_proxies: &["10.0.0.0/8"], ..PLAIN },
        URL_FROM_A_PEER_NOT_TRUSTED,
        0,
    )
}

/// A configured origin wins over what any proxy says.
const URL_FROM_THE_ORIGIN: &[Step] =
    &[one(proxied(&[("x-forwarded-proto", "http"), ("x-forwarded-host", "elsewhere.example")]), &[HANDLED])];

/// A URL-signing `preset` with a configured origin, behind a trusted proxy that lies.
const fn url_from_the_origin(name: &'static str, preset: Preset) -> Row {
    let origin = Some("https://hooks.example.com");
    configured(
        name,
        Setup { preset, trusted_proxies: LOOPBACK, public_origin: origin, ..PLAIN },
        URL_FROM_THE_ORIGIN,
        1,
    )
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
        "Content-Length one byte over the limit, body never sent",
        &[one(
            Delivery {
                signed: Body::Filler(1025),
                sent: Body::Filler(1025),
                transfer: Transfer::Withheld,
                ..VALID
            },
            &[TOO_LARGE],
        )],
        0,
    ),
    row(
        "chunked body over the limit, the stream left open",
        &[one(
            Delivery {
                signed: Body::Filler(4096),
                sent: Body::Filler(4096),
                transfer: Transfer::ChunkedOpen,
                ..VALID
            },
            &[TOO_LARGE],
        )],
        0,
    ),
    row(
        "replay of a processed delivery",
        &[
            one(VALID, &[HANDLED]),
            one(VALID, &[Answer::Rejected(200, "duplicate")]),
            one(Delivery { id: "msg_2", ..VALID }, &[HANDLED]),
        ],
        2,
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
    configured(
        "GitHub (no signed id): a replay is known by the signed content",
        Setup { preset: Preset::GitHub, ..PLAIN },
        &[
            one(VALID, &[HANDLED]),
            one(VALID, &[DUPLICATE]),
            one(Delivery { signed: Body::Binary, sent: Body::Binary, ..VALID }, &[HANDLED]),
        ],
        2,
    ),
    configured(
        "duplicate_status 409",
        Setup { duplicate_status: 409, ..PLAIN },
        &[one(VALID, &[HANDLED]), one(VALID, &[Answer::Rejected(409, "duplicate")])],
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
        // Neither framework catches the panic: the connection closes without an answer.
        steps: &[one(VALID, &[Answer::Closed]), one(VALID, &[HANDLED])],
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
    configured(
        "replay store unreachable",
        Setup { store: Store::Down, ..PLAIN },
        &[one(VALID, &[Answer::Rejected(503, "store_unavailable")])],
        0,
    ),
    configured(
        "without a replay store, every authentic copy is handled",
        Setup { store: Store::None, ..PLAIN },
        &[one(VALID, &[HANDLED]), one(VALID, &[HANDLED])],
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
        "allowlist: refused before the body is read",
        Setup { allow: Some(&["203.0.113.0/24", "2001:db8::/32"]), ..PLAIN },
        &[one(Delivery { transfer: Transfer::Withheld, ..VALID }, &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: refused before the size check",
        Setup { allow: Some(CLIENT_RANGE), ..PLAIN },
        &[one(Delivery { signed: Body::Filler(4096), sent: Body::Filler(4096), ..VALID }, &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: an IPv6 peer in an IPv6 range",
        Setup { allow: Some(&["::1/128"]), ipv6: true, ..PLAIN },
        &[one(VALID, &[HANDLED])],
        1,
    ),
    configured(
        "allowlist: an IPv6 peer outside the ranges",
        Setup { allow: Some(&["127.0.0.1", "2001:db8::/32"]), ipv6: true, ..PLAIN },
        &[one(VALID, &[IP_NOT_ALLOWED])],
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
        "allowlist: trusted hops are skipped from the right",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(with(&[("x-forwarded-for", "198.51.100.9, 203.0.113.7, 127.0.0.1")]), &[HANDLED])],
        1,
    ),
    configured(
        "allowlist: X-Forwarded-For unknown",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(with(&[("x-forwarded-for", "unknown")]), &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: a trusted proxy that forwards no address",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        // The proxy itself is the client.
        &[one(VALID, &[IP_NOT_ALLOWED])],
        0,
    ),
    configured(
        "allowlist: Forwarded for= from a trusted proxy",
        Setup { allow: Some(CLIENT_RANGE), trusted_proxies: LOOPBACK, ..PLAIN },
        &[
            one(with(&[("forwarded", r#"for="203.0.113.7:4711";proto=https"#)]), &[HANDLED]),
            one(
                Delivery { id: "msg_2", extra: &[("forwarded", "for=203.0.113.7;proto=https")], ..VALID },
                &[HANDLED],
            ),
        ],
        2,
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
    configured(
        "HTTPS required, a trusted proxy that does not say",
        Setup { require_https: true, trusted_proxies: LOOPBACK, ..PLAIN },
        &[one(VALID, &[HTTPS_REQUIRED])],
        0,
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
    configured(
        "Discord PING, answer_handshakes",
        Setup { preset: Preset::Discord, answer_handshakes: true, ..PLAIN },
        // The PING is answered every time and never claimed; the command is.
        &[
            one(DISCORD_PING, &[Answer::HandshakeJson(r#"{"type":1}"#)]),
            one(DISCORD_PING, &[Answer::HandshakeJson(r#"{"type":1}"#)]),
            one(DISCORD_COMMAND, &[HANDLED]),
            // Discord's probe: a PING with a well-formed signature that does not verify.
            one(
                Delivery { edit: Edit::Replace("x-signature-ed25519", ED25519_ZEROS), ..DISCORD_PING },
                &[NO_MATCH],
            ),
            one(DISCORD_COMMAND, &[DUPLICATE]),
        ],
        1,
    ),
    configured(
        "Twitch callback verification, answer_handshakes",
        Setup { preset: Preset::Twitch, answer_handshakes: true, ..PLAIN },
        &[
            one(TWITCH_VERIFICATION, &[Answer::Handshake(TWITCH_CHALLENGE)]),
            one(TWITCH_VERIFICATION, &[Answer::Handshake(TWITCH_CHALLENGE)]),
            one(
                Delivery {
                    id: "msg_2",
                    signed: Body::TwitchEvent,
                    sent: Body::TwitchEvent,
                    extra: &[("twitch-eventsub-message-type", "notification")],
                    ..VALID
                },
                &[HANDLED],
            ),
        ],
        1,
    ),
    configured(
        "Zoom endpoint.url_validation, answer_handshakes",
        Setup { preset: Preset::Zoom, answer_handshakes: true, ..PLAIN },
        // Answered every time: no claim, so never a duplicate.
        &[
            one(ZOOM_VALIDATION, &[Answer::HandshakeJson(ZOOM_ANSWER)]),
            one(ZOOM_VALIDATION, &[Answer::HandshakeJson(ZOOM_ANSWER)]),
        ],
        0,
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
    url_from_a_proxy("Square: the path and query from a trusted proxy", Preset::Square),
    url_from_a_peer_not_trusted("Square: a peer that is not a trusted proxy", Preset::Square),
    url_from_the_origin("Square: the configured origin over a lying proxy", Preset::Square),
    url_from_a_proxy("Twilio: the path and query from a trusted proxy", Preset::Twilio),
    url_from_a_peer_not_trusted("Twilio: a peer that is not a trusted proxy", Preset::Twilio),
    url_from_the_origin("Twilio: the configured origin over a lying proxy", Preset::Twilio),
    url_from_a_proxy("HubSpot: the path and query from a trusted proxy", Preset::HubSpot),
    url_from_a_peer_not_trusted("HubSpot: a peer that is not a trusted proxy", Preset::HubSpot),
    url_from_the_origin("HubSpot: the configured origin over a lying proxy", Preset::HubSpot),
    configured(
        "Square: an origin with a trailing slash, then the path and query",
        Setup { preset: Preset::Square, public_origin: Some("https://hooks.example.com/"), ..PLAIN },
        &[one(TENANT_7, &[HANDLED]), one(Delivery { target: "/webhook?tenant=8", ..TENANT_7 }, &[NO_MATCH])],
        1,
    ),
    configured(
        "Square: no origin and no proxy",
        Setup { preset: Preset::Square, ..PLAIN },
        // The receiver cannot know its public URL: a misconfiguration, so 500.
        &[one(VALID, &[URL_UNKNOWN])],
        0,
    ),
];
