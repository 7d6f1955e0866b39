//! Hostile requests, as data: what a stranger on the internet can send to a webhook endpoint,
//! and the answer each must get. `main.rs` sends every row over a raw socket to an axum
//! receiver (`hookwarden-tower`) and an actix-web receiver (`hookwarden-actix`).
//!
//! Each row starts from a delivery signed correctly for its route at [`NOW`], with a body and
//! delivery id unique to the row, then applies its [`Edit`]s and sends it with its
//! [`Framing`]. Every route has a body limit of [`LIMIT`] bytes, a body deadline of
//! [`BODY_TIMEOUT_MS`] and a replay store.

/// The time the verifiers' clocks stand at.
pub(crate) const NOW: i64 = 1_700_000_000;
/// The body limit of every route.
pub(crate) const LIMIT: usize = 1024;
/// The body deadline of every route, in milliseconds: short, so that the rows that run into it
/// are quick, and long enough that the slow row meant to beat it (a JSON body a byte per
/// 5 ms, about 0.2 s) does so even on a loaded machine.
pub(crate) const BODY_TIMEOUT_MS: u64 = 1500;

/// The receiving route, each behind its own verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// `/standard`: Standard Webhooks (`webhook-id`, `webhook-timestamp`,
    /// `webhook-signature: v1,<base64>`).
    Standard,
    /// `/stripe`: `Stripe-Signature: t=<ts>,v1=<hex>`.
    Stripe,
    /// `/github`: `X-Hub-Signature-256: sha256=<hex>`, no timestamp.
    GitHub,
}

/// What is signed (and, unless an edit says otherwise, sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    /// A small JSON event naming the row.
    Json,
    /// `n` bytes: the row's number, then filler.
    Filler(usize),
}

/// A change to the signed request. Values are templates: `{mac}` is the right MAC as the
/// route encodes it (base64 or hex), `{MAC}` the same uppercased, `{mac-unpadded}` without
/// base64 padding, `{ts}` the signed timestamp, `{id}` the signed id, `{sig}` the whole
/// signed signature header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Replaces the header's value, or adds the header.
    Set(&'static str, &'static str),
    /// Replaces the header's value with raw bytes (not a template).
    SetBytes(&'static str, &'static [u8]),
    /// Leaves the header out.
    Remove(&'static str),
    /// Sends another line with this header.
    Add(&'static str, &'static str),
    /// Sends `count` more lines with this header and value.
    Lines(&'static str, &'static str, usize),
    /// The header's value: `head`, then `item` `count` times separated by `sep`, then `tail`.
    Repeat {
        header: &'static str,
        head: &'static str,
        item: &'static str,
        sep: &'static str,
        count: usize,
        tail: &'static str,
    },
    /// Signs at `NOW + offset` instead of `NOW`.
    SignedAt(i64),
    /// Sends other bytes than were signed.
    SendBytes(&'static [u8]),
    /// Sends the signed body with one more byte.
    AppendByte,
}

/// How the body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// A correct `Content-Length`.
    Length,
    /// This literal `Content-Length` value, and the whole body.
    Declared(&'static str),
    /// `Content-Length` `n` bytes longer than the body; the body, then the write side closes.
    LongerThanSent(usize),
    /// `Transfer-Encoding: chunked`, in chunks of this size.
    Chunked(usize),
    /// `Transfer-Encoding: chunked` with this literal encoding instead of the body's; the write
    /// side stays open for the answer, as a client's does.
    RawChunked(&'static [u8]),
    /// Like [`Framing::RawChunked`], for an encoding cut short: then the write side closes.
    RawChunkedThenEof(&'static [u8]),
    /// Chunked: one chunk declaring 1 MiB, then this many bytes of it.
    HugeChunk(usize),
    /// Chunked, without the last chunk; then the write side closes.
    Unterminated,
    /// Chunked, with this trailer section after the last chunk.
    Trailer(&'static str),
    /// This literal `Transfer-Encoding`, with the body chunked.
    TransferEncoding(&'static str),
    /// Both `Content-Length` (correct) and `Transfer-Encoding: chunked`, chunked.
    LengthAndChunked,
    /// The body one byte at a time, this many milliseconds apart.
    Trickle(u64),
    /// Half the body, then nothing for this many milliseconds, then the write side closes.
    Stall(u64),
}

/// The answer a row must get. The handler runs only for [`Expect::Handled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// The adapter's rejection: this status and `{"reason":"<reason>"}`.
    Rejected(u16, &'static str),
    /// The HTTP server refuses the request before the adapter sees it: any 4xx.
    Refused,
    /// A control row: the handler's `200 handled`.
    Handled,
    /// Any 4xx, from the HTTP server or the adapter: where HTTP lets a server choose (framing
    /// it may refuse or read), the body is tampered so that either way it is rejected.
    ClientError,
    /// Any of these (where the two servers' HTTP layers differ, such as their header limits).
    OneOf(&'static [Expect]),
}

/// One hostile request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub(crate) name: &'static str,
    pub(crate) route: Route,
    pub(crate) body: Body,
    pub(crate) edits: &'static [Edit],
    pub(crate) framing: Framing,
    pub(crate) expect: Expect,
}

const fn row(name: &'static str, route: Route, edits: &'static [Edit], expect: Expect) -> Row {
    Row { name, route, body: Body::Json, edits, framing: Framing::Length, expect }
}

const fn std(name: &'static str, edits: &'static [Edit], expect: Expect) -> Row {
    row(name, Route::Standard, edits, expect)
}

const fn stripe(name: &'static str, edits: &'static [Edit], expect: Expect) -> Row {
    row(name, Route::Stripe, edits, expect)
}

const fn github(name: &'static str, edits: &'static [Edit], expect: Expect) -> Row {
    row(name, Route::GitHub, edits, expect)
}

const fn framed(
    name: &'static str,
    body: Body,
    edits: &'static [Edit],
    framing: Framing,
    expect: Expect,
) -> Row {
    Row { name, route: Route::Standard, body, edits, framing, expect }
}

use Edit::{Add, AppendByte, Lines, Remove, Repeat, SendBytes, Set, SetBytes, SignedAt};
use Expect::{ClientError, Handled, OneOf, Refused, Rejected};

const MISSING: Expect = Rejected(401, "missing_header");
const MALFORMED: Expect = Rejected(400, "malformed_header");
const DUPLICATE: Expect = Rejected(400, "duplicate_header");
const NO_MATCH: Expect = Rejected(401, "no_matching_signature");
const TOO_OLD: Expect = Rejected(401, "timestamp_too_old");
const TOO_NEW: Expect = Rejected(401, "timestamp_too_new");
const TOO_LARGE: Expect = Rejected(413, "body_too_large");
const UNREADABLE: Expect = Rejected(400, "body_unreadable");
const TIMED_OUT: Expect = Rejected(408, "body_timeout");

const ID: &str = "webhook-id";
const TS: &str = "webhook-timestamp";
const SIG: &str = "webhook-signature";
const STRIPE: &str = "stripe-signature";
const HUB: &str = "x-hub-signature-256";

/// A well-formed signature entry that matches nothing.
const ZEROS: &str = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
/// The body is read as far as it goes, then its framing breaks.
const BROKEN_BODY: Expect = OneOf(&[UNREADABLE, Refused]);

/// The table.
pub(crate) const ROWS: &[Row] = &[
    // Controls: the harness delivers what is right.
    std("control: valid Standard Webhooks delivery", &[], Handled),
    stripe("control: valid Stripe delivery", &[], Handled),
    github("control: valid GitHub delivery", &[], Handled),
    // Missing headers.
    std("signature header missing", &[Remove(SIG)], MISSING),
    std("timestamp header missing", &[Remove(TS)], MISSING),
    std("id header missing", &[Remove(ID)], MISSING),
    std("every webhook header missing", &[Remove(SIG), Remove(TS), Remove(ID)], MISSING),
    stripe("Stripe-Signature missing", &[Remove(STRIPE)], MISSING),
    github("X-Hub-Signature-256 missing", &[Remove(HUB)], MISSING),
    github(
        "only the SHA-1 X-Hub-Signature",
        &[Remove(HUB), Set("x-hub-signature", "sha1=0000000000000000000000000000000000000000")],
        MISSING,
    ),
    // Empty headers.
    std("signature header empty", &[Set(SIG, "")], NO_MATCH),
    std("timestamp header empty", &[Set(TS, "")], MALFORMED),
    std("id header empty", &[Set(ID, "")], MALFORMED),
    stripe("Stripe-Signature empty", &[Set(STRIPE, "")], MALFORMED),
    github("X-Hub-Signature-256 empty", &[Set(HUB, "")], MALFORMED),
    std("signature only spaces (stripped to empty by HTTP)", &[Set(SIG, "   ")], NO_MATCH),
    // Duplicated headers.
    std("signature header twice", &[Add(SIG, "{sig}")], DUPLICATE),
    std("timestamp header twice", &[Add(TS, "{ts}")], DUPLICATE),
    std("id header twice", &[Add(ID, "{id}")], DUPLICATE),
    std("id header twice, different ids", &[Add(ID, "msg_other")], DUPLICATE),
    std("signature header twice in other case", &[Add("Webhook-Signature", "{sig}")], DUPLICATE),
    std("signature header 50 times", &[Lines(SIG, "v1,{mac}", 50)], DUPLICATE),
    stripe("Stripe-Signature twice", &[Add(STRIPE, "{sig}")], DUPLICATE),
    github("X-Hub-Signature-256 twice", &[Add(HUB, "{sig}")], DUPLICATE),
    // Oversized headers.
    std(
        "id of 129 characters",
        &[Set(
            ID,
            "msg_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        )],
        MALFORMED,
    ),
    std("timestamp of 40 digits", &[Set(TS, "1700000000170000000017000000001700000000")], MALFORMED),
    std(
        "signature of 8 KiB of base64",
        &[Repeat { header: SIG, head: "v1,", item: "AAAA", sep: "", count: 2048, tail: "" }],
        MALFORMED,
    ),
    stripe(
        "v1 of 8 KiB of hex",
        &[Repeat { header: STRIPE, head: "t={ts},v1=", item: "00", sep: "", count: 4096, tail: "" }],
        MALFORMED,
    ),
    github(
        "signature of 8 KiB of hex",
        &[Repeat { header: HUB, head: "sha256=", item: "00", sep: "", count: 4096, tail: "" }],
        MALFORMED,
    ),
    std(
        "an unrelated 16 KiB header",
        &[Repeat { header: "x-padding", head: "", item: "x", sep: "", count: 16384, tail: "" }],
        Handled,
    ),
    std(
        "a 512 KiB header",
        &[Repeat {
            header: "x-padding",
            head: "",
            item: "0123456789abcdef",
            sep: "",
            count: 32768,
            tail: "",
        }],
        Refused,
    ),
    std("200 header lines", &[Lines("x-many", "1", 200)], Refused),
    // Thousands of signatures: at most 8 are read; more is malformed, whatever follows.
    std(
        "9 signatures (one over the limit)",
        &[Repeat { header: SIG, head: "", item: ZEROS, sep: " ", count: 9, tail: "" }],
        MALFORMED,
    ),
    std(
        "8 wrong signatures",
        &[Repeat { header: SIG, head: "", item: ZEROS, sep: " ", count: 8, tail: "" }],
        NO_MATCH,
    ),
    std(
        "7 wrong signatures and the right one",
        &[Repeat { header: SIG, head: "v1,{mac} ", item: ZEROS, sep: " ", count: 7, tail: "" }],
        Handled,
    ),
    std(
        "600 wrong signatures, then the right one",
        &[Repeat { header: SIG, head: "", item: ZEROS, sep: " ", count: 600, tail: " v1,{mac}" }],
        MALFORMED,
    ),
    std(
        "3000 signatures (141 KB)",
        &[Repeat { header: SIG, head: "", item: ZEROS, sep: " ", count: 3000, tail: "" }],
        OneOf(&[MALFORMED, Refused]),
    ),
    std(
        "2000 ignored v2 entries and the right one",
        &[Repeat { header: SIG, head: "v1,{mac} ", item: "v2,AAAA", sep: " ", count: 2000, tail: "" }],
        Handled,
    ),
    stripe(
        "1000 v1 signatures",
        &[Repeat {
            header: STRIPE,
            head: "t={ts}",
            item: ",v1=0000000000000000000000000000000000000000000000000000000000000000",
            sep: "",
            count: 1000,
            tail: "",
        }],
        MALFORMED,
    ),
    stripe(
        "5000 ignored v0 items",
        &[Repeat { header: STRIPE, head: "t={ts},v1={mac}", item: ",v0=0", sep: "", count: 5000, tail: "" }],
        Handled,
    ),
    // Non-ASCII and control bytes.
    std("signature with UTF-8", &[Set(SIG, "v1,é{mac}")], MALFORMED),
    std("timestamp in Arabic-Indic digits", &[Set(TS, "١٧٠٠٠٠٠٠٠٠")], MALFORMED),
    std("id with UTF-8", &[Set(ID, "msg_é")], MALFORMED),
    std("id with a space", &[Set(ID, "msg 1")], MALFORMED),
    std("id with a tab inside", &[SetBytes(ID, b"msg\t1")], MALFORMED),
    std(
        "signature with Latin-1 bytes",
        &[SetBytes(SIG, b"v1,\xe9\xe9\xe9\xe9AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")],
        MALFORMED,
    ),
    stripe("Stripe-Signature with a 0xFF byte", &[SetBytes(STRIPE, b"t=1700000000,v1=\xff")], MALFORMED),
    std(
        "NUL byte in the signature",
        &[SetBytes(SIG, b"v1,\0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")],
        Refused,
    ),
    std("bare CR in a header value", &[SetBytes(SIG, b"v1,AAAA\rAAAA")], Refused),
    std("header name with a space", &[Add("webhook signature", "v1,{mac}")], Refused),
    std("header name with UTF-8", &[Add("webhook-sïgnature", "v1,{mac}")], Refused),
    std("obsolete line folding", &[SetBytes(SIG, b"v1,AAAA\r\n AAAA")], Refused),
    // Garbage base64 (Standard Webhooks).
    std("base64 of punctuation", &[Set(SIG, "v1,!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")], MALFORMED),
    std("base64 of 31 bytes", &[Set(SIG, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")], MALFORMED),
    std("base64 of 33 bytes", &[Set(SIG, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")], MALFORMED),
    std("base64 of the right MAC, unpadded", &[Set(SIG, "v1,{mac-unpadded}")], MALFORMED),
    std("URL-safe base64", &[Set(SIG, "v1,____________________________________________")], MALFORMED),
    std(
        "base64 with a space inside",
        &[Set(SIG, "v1,AAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAAA=")],
        MALFORMED,
    ),
    std("base64 with an inner =", &[Set(SIG, "v1,AAAAAAAAAAAAAAAAAAAA=AAAAAAAAAAAAAAAAAAAAAAA")], MALFORMED),
    std("empty signature after the comma", &[Set(SIG, "v1,")], MALFORMED),
    std("version without comma", &[Set(SIG, "v1{mac}")], MALFORMED),
    std("only an unknown version", &[Set(SIG, "v2,{mac}")], NO_MATCH),
    std("right MAC under the Ed25519 label", &[Set(SIG, "v1a,{mac}")], NO_MATCH),
    std("base64 of zeros", &[Set(SIG, ZEROS)], NO_MATCH),
    std("right MAC, body tampered", &[AppendByte], NO_MATCH),
    std(
        "right MAC, other body",
        &[SendBytes(br#"{"type":"invoice.paid","data":{"amount":999999}}"#)],
        NO_MATCH,
    ),
    // Garbage hex (Stripe, GitHub).
    stripe(
        "v1 not hex",
        &[Set(STRIPE, "t={ts},v1=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")],
        MALFORMED,
    ),
    stripe(
        "v1 of 63 hex digits",
        &[Set(STRIPE, "t={ts},v1=000000000000000000000000000000000000000000000000000000000000000")],
        MALFORMED,
    ),
    stripe(
        "v1 of 65 hex digits",
        &[Set(STRIPE, "t={ts},v1=00000000000000000000000000000000000000000000000000000000000000000")],
        MALFORMED,
    ),
    stripe(
        "v1 of 62 hex digits",
        &[Set(STRIPE, "t={ts},v1=00000000000000000000000000000000000000000000000000000000000000")],
        MALFORMED,
    ),
    stripe("v1 the right MAC in uppercase", &[Set(STRIPE, "t={ts},v1={MAC}")], MALFORMED),
    stripe("v1 with 0x", &[Set(STRIPE, "t={ts},v1=0x{mac}")], MALFORMED),
    stripe("v1 empty", &[Set(STRIPE, "t={ts},v1=")], MALFORMED),
    stripe("only a v0", &[Set(STRIPE, "t={ts},v0={mac}")], NO_MATCH),
    stripe("no t", &[Set(STRIPE, "v1={mac}")], MALFORMED),
    stripe("t twice", &[Set(STRIPE, "t={ts},t={ts},v1={mac}")], MALFORMED),
    stripe("an item without =", &[Set(STRIPE, "t={ts},v1={mac},junk")], MALFORMED),
    stripe("spaces after commas", &[Set(STRIPE, "t={ts}, v1={mac}")], NO_MATCH),
    stripe(
        "v1 of zeros",
        &[Set(STRIPE, "t={ts},v1=0000000000000000000000000000000000000000000000000000000000000000")],
        NO_MATCH,
    ),
    github(
        "sha256= not hex",
        &[Set(HUB, "sha256=gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")],
        MALFORMED,
    ),
    github(
        "sha256= of 63 hex digits",
        &[Set(HUB, "sha256=000000000000000000000000000000000000000000000000000000000000000")],
        MALFORMED,
    ),
    github("sha256= the right MAC in uppercase", &[Set(HUB, "sha256={MAC}")], MALFORMED),
    github("SHA256= prefix in uppercase", &[Set(HUB, "SHA256={mac}")], MALFORMED),
    github("sha1= prefix", &[Set(HUB, "sha1={mac}")], MALFORMED),
    github("no prefix", &[Set(HUB, "{mac}")], MALFORMED),
    github(
        "zeros",
        &[Set(HUB, "sha256=0000000000000000000000000000000000000000000000000000000000000000")],
        NO_MATCH,
    ),
    github("right MAC, body tampered", &[AppendByte], NO_MATCH),
    // Timestamps (Standard Webhooks; the signature is checked after the timestamp).
    std("timestamp negative", &[Set(TS, "-1700000000")], MALFORMED),
    std("timestamp -1", &[Set(TS, "-1")], MALFORMED),
    std("timestamp i64::MIN", &[Set(TS, "-9223372036854775808")], MALFORMED),
    std("timestamp i64::MAX", &[Set(TS, "9223372036854775807")], TOO_NEW),
    std("timestamp i64::MAX + 1", &[Set(TS, "9223372036854775808")], MALFORMED),
    std("timestamp u64::MAX", &[Set(TS, "18446744073709551615")], MALFORMED),
    std("timestamp 0", &[Set(TS, "0")], TOO_OLD),
    std("timestamp fractional", &[Set(TS, "1700000000.5")], MALFORMED),
    std("timestamp with .0", &[Set(TS, "1700000000.0")], MALFORMED),
    std("timestamp in exponent form", &[Set(TS, "1.7e9")], MALFORMED),
    std("timestamp in hex", &[Set(TS, "0x6553F100")], MALFORMED),
    std("timestamp with a leading zero", &[Set(TS, "01700000000")], MALFORMED),
    std("timestamp with a plus sign", &[Set(TS, "+1700000000")], MALFORMED),
    std("timestamp followed by junk", &[Set(TS, "1700000000abc")], MALFORMED),
    std("timestamp with a space inside", &[Set(TS, "1700 000000")], MALFORMED),
    std("timestamp as a list", &[Set(TS, "1700000000,1700000000")], MALFORMED),
    std("timestamp as RFC 3339", &[Set(TS, "2023-11-14T22:13:20Z")], MALFORMED),
    std("timestamp in milliseconds", &[Set(TS, "1700000000000")], TOO_NEW),
    // HTTP strips optional whitespace around a value: these arrive as the signed timestamp.
    std("timestamp padded with spaces (stripped by HTTP)", &[Set(TS, "  {ts}  ")], Handled),
    std("timestamp padded with a tab (stripped by HTTP)", &[SetBytes(TS, b"\t1700000000")], Handled),
    std("signed 301 s ago", &[SignedAt(-301)], TOO_OLD),
    std("signed 301 s ahead", &[SignedAt(301)], TOO_NEW),
    std("signed 300 s ago (the edge)", &[SignedAt(-300)], Handled),
    std("signed a year ago", &[SignedAt(-31_536_000)], TOO_OLD),
    std("right MAC, timestamp changed by one", &[Set(TS, "1700000001")], NO_MATCH),
    stripe("t negative", &[Set(STRIPE, "t=-1,v1={mac}")], MALFORMED),
    stripe("t i64::MIN", &[Set(STRIPE, "t=-9223372036854775808,v1={mac}")], MALFORMED),
    stripe("t i64::MAX", &[Set(STRIPE, "t=9223372036854775807,v1={mac}")], TOO_NEW),
    stripe("t fractional", &[Set(STRIPE, "t=1700000000.25,v1={mac}")], MALFORMED),
    stripe("t padded with a zero", &[Set(STRIPE, "t=0{ts},v1={mac}")], MALFORMED),
    stripe("t padded with a space", &[Set(STRIPE, "t= {ts},v1={mac}")], MALFORMED),
    stripe("t followed by junk", &[Set(STRIPE, "t={ts}s,v1={mac}")], MALFORMED),
    stripe("t empty", &[Set(STRIPE, "t=,v1={mac}")], MALFORMED),
    stripe("signed 301 s ago", &[SignedAt(-301)], TOO_OLD),
    // Body-limit edges (LIMIT bytes).
    framed("body exactly at the limit", Body::Filler(LIMIT), &[], Framing::Length, Handled),
    framed("body one byte over the limit", Body::Filler(LIMIT + 1), &[], Framing::Length, TOO_LARGE),
    framed("chunked body exactly at the limit", Body::Filler(LIMIT), &[], Framing::Chunked(100), Handled),
    framed(
        "chunked body one byte over the limit",
        Body::Filler(LIMIT + 1),
        &[],
        Framing::Chunked(100),
        TOO_LARGE,
    ),
    framed(
        "chunked body far over the limit",
        Body::Filler(64 * LIMIT),
        &[],
        Framing::Chunked(4096),
        TOO_LARGE,
    ),
    framed(
        "one chunk one byte over the limit",
        Body::Filler(LIMIT + 1),
        &[],
        Framing::Chunked(LIMIT + 1),
        TOO_LARGE,
    ),
    framed("1-byte chunks up to the limit", Body::Filler(LIMIT), &[], Framing::Chunked(1), Handled),
    framed("empty body, signed", Body::Filler(0), &[], Framing::Length, Handled),
    // Content-Length that lies.
    framed(
        "Content-Length over the limit, small body",
        Body::Json,
        &[],
        Framing::Declared("2048"),
        TOO_LARGE,
    ),
    // hyper cannot represent this length and answers 431 itself; actix hands it to the adapter.
    framed(
        "Content-Length u64::MAX",
        Body::Json,
        &[],
        Framing::Declared("18446744073709551615"),
        OneOf(&[TOO_LARGE, Refused]),
    ),
    framed("Content-Length beyond u64", Body::Json, &[], Framing::Declared("18446744073709551616"), Refused),
    framed("Content-Length negative", Body::Json, &[], Framing::Declared("-1"), Refused),
    framed("Content-Length not a number", Body::Json, &[], Framing::Declared("ten"), Refused),
    framed("Content-Length as a list of two values", Body::Json, &[], Framing::Declared("10, 20"), Refused),
    framed("Content-Length 0, body sent anyway", Body::Json, &[], Framing::Declared("0"), NO_MATCH),
    framed("Content-Length shorter than the body", Body::Json, &[], Framing::Declared("10"), NO_MATCH),
    framed(
        "Content-Length longer than the body, then EOF",
        Body::Json,
        &[],
        Framing::LongerThanSent(20),
        UNREADABLE,
    ),
    framed(
        "Content-Length at the limit, 1 byte sent, then EOF",
        Body::Filler(1),
        &[],
        Framing::LongerThanSent(LIMIT - 1),
        UNREADABLE,
    ),
    // Chunked framing.
    framed(
        "chunked with chunk extensions",
        Body::Json,
        &[],
        Framing::RawChunked(b"5;ext=1\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n"),
        NO_MATCH,
    ),
    framed(
        "chunk size not hex",
        Body::Json,
        &[],
        Framing::RawChunked(b"zz\r\n{\"a\":1}\r\n0\r\n\r\n"),
        BROKEN_BODY,
    ),
    framed(
        "chunk size overflowing u64",
        Body::Json,
        &[],
        Framing::RawChunked(b"fffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
        BROKEN_BODY,
    ),
    framed(
        "chunk longer than it said",
        Body::Json,
        &[],
        Framing::RawChunked(b"2\r\nabcdef\r\n0\r\n\r\n"),
        BROKEN_BODY,
    ),
    framed(
        "chunk declaring 1 MiB, 3 bytes, then EOF",
        Body::Json,
        &[],
        Framing::RawChunkedThenEof(b"100000\r\nabc"),
        BROKEN_BODY,
    ),
    framed("chunk declaring 1 MiB, 2 KiB sent", Body::Json, &[], Framing::HugeChunk(2 * LIMIT), TOO_LARGE),
    framed("chunked without the last chunk, then EOF", Body::Json, &[], Framing::Unterminated, UNREADABLE),
    framed(
        "signature smuggled in a trailer",
        Body::Json,
        &[Remove(SIG)],
        Framing::Trailer("webhook-signature: v1,{mac}\r\n"),
        MISSING,
    ),
    framed(
        "chunked with an unknown coding",
        Body::Json,
        &[AppendByte],
        Framing::TransferEncoding("gzip, chunked"),
        ClientError,
    ),
    framed(
        "chunked twice",
        Body::Json,
        &[AppendByte],
        Framing::TransferEncoding("chunked, chunked"),
        ClientError,
    ),
    framed(
        "Transfer-Encoding identity",
        Body::Json,
        &[AppendByte],
        Framing::TransferEncoding("identity"),
        ClientError,
    ),
    framed(
        "Content-Length and chunked together",
        Body::Json,
        &[AppendByte],
        Framing::LengthAndChunked,
        ClientError,
    ),
    // Slow bodies, against the body deadline (BODY_TIMEOUT_MS): the whole body must have
    // arrived by then, however steadily it trickles.
    framed(
        "body trickling in, one byte per 5 ms (within the deadline)",
        Body::Json,
        &[AppendByte],
        Framing::Trickle(5),
        NO_MATCH,
    ),
    framed(
        "body trickling in, one byte per 100 ms (past the deadline)",
        Body::Json,
        &[],
        Framing::Trickle(100),
        TIMED_OUT,
    ),
    framed("body stalling mid-way for 200 ms, then EOF", Body::Json, &[], Framing::Stall(200), UNREADABLE),
    framed(
        "body stalling mid-way for 3 s (past the deadline)",
        Body::Json,
        &[],
        Framing::Stall(3000),
        TIMED_OUT,
    ),
];
