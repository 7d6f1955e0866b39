#!/usr/bin/env python3
"""Generate hookwarden's conformance vectors from the providers' OFFICIAL SDKs.

Writes tests/conformance/vectors/<preset>.json for standard-webhooks, svix, stripe, github,
slack and shopify (built here) and every other preset with vectors (built in
generate_providers.py). Each vector is a signed request (secret, headers, raw body, verification
time `now`), every official SDK's verdict on it, and hookwarden's expected verdict. Then runs
check_ours.py (vectors from hookwarden's own signer, if any).

CI does NOT run this script; it only reads the committed JSON. To regenerate (Python 3.11,
Node 20), from the repository root:

    pip install standardwebhooks==1.1.0 svix==2.9.1 stripe==16.1.0 slack-sdk==3.47.0
    npm ci --prefix tests/conformance      # versions pinned in tests/conformance/package.json
    python3 tests/conformance/generate.py  # add -v to print each SDK's reason for rejecting

Output is deterministic: secrets and ids come from seeded RNGs and `now` is fixed, so a rerun
with the same SDK versions produces identical files. Newer SDK versions may change verdicts;
that is the point of recording them.

Who signs (the SDKs' own signing helpers wherever one exists):
  standard-webhooks  python standardwebhooks Webhook.sign
  svix               python svix Webhook.sign
  stripe             python stripe WebhookSignature.generate_signature_header
                     (cross-checked against npm stripe webhooks.generateTestHeaderString)
  github             npm @octokit/webhooks-methods sign
  slack              python slack-sdk SignatureVerifier.generate_signature
  shopify            npm @shopify/shopify-api test-helpers getHmac
When a signer can only take text (a non-UTF-8 body) or refuses the input (octokit and an empty
body), the MAC is computed here with hmac exactly as that SDK's verifier computes it, and the
vector's note says so.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import random
import re
import string
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oracles  # noqa: E402  (sibling module)

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "vectors"
GENERATED_BY = "tests/conformance/generate.py"

NOW = 1_700_000_000  # fixed verification time for every generated (non-published) vector
WINDOW = 300  # hookwarden's window for timestamped presets, both directions

UNICODE_BODY = json.dumps(
    {"customer": "Zoë Ålvarez", "note": "Grüße aus Köln — 東京 🚀", "amount": 4200},
    ensure_ascii=False,
    separators=(",", ":"),
).encode("utf-8")
NON_UTF8_BODY = bytes([0xFF, 0xFE, 0x00, 0x80])
EMPTY_BODY = b""
MAX_SIGNATURES = 8  # hookwarden rejects headers with more candidate signatures than this
EXPECTED_CODES = {
    "accept", "missing_header", "duplicate_header", "malformed_header",
    "timestamp_too_old", "timestamp_too_new", "no_matching_signature",
    "url_unknown", "method_unknown", "missing_body_field", "malformed_body",
}


# ---------------------------------------------------------------------------
# Generic helpers


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def compact_json(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def tamper(body: bytes) -> bytes:
    """Change exactly one byte (in the middle), keeping ASCII bodies ASCII."""
    i = len(body) // 2
    return body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :]


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


class Seeded:
    """Deterministic "random" material, one stream per preset, so reruns give the same files."""

    def __init__(self, label: str):
        self.rng = random.Random(f"hookwarden-conformance/{label}")

    def bytes(self, n: int) -> bytes:
        return self.rng.randbytes(n)

    def alnum(self, n: int) -> str:
        return "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(n))

    def hex(self, n_bytes: int) -> str:
        return self.bytes(n_bytes).hex()

    def uuid(self) -> str:
        h = self.hex(16)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class VectorList:
    """Collects vectors for one preset; enforces unique names."""

    def __init__(self, preset: str):
        self.preset = preset
        self.items: list[dict] = []

    def add(self, name, *, secret, headers, body, expected, note, now=NOW):
        assert name not in {v["name"] for v in self.items}, f"duplicate vector name {name}"
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", name), f"not snake_case: {name}"
        assert expected in EXPECTED_CODES, f"{name}: unknown expected verdict {expected}"
        # hookwarden refuses secrets shorter than 16 bytes at construction time.
        key = sw_key(secret) if self.preset in ("standard-webhooks", "svix", "clerk", "resend") else secret.encode()
        assert len(key) >= 16, f"{name}: secret shorter than 16 bytes"
        self.items.append(
            {
                "name": name,
                "secret": secret,
                "now": now,
                "headers": [list(pair) for pair in headers],
                "body_base64": b64(body),
                "expected": expected,
                "note": note,
            }
        )


def with_header(headers, name, value):
    """Copy of headers with NAME's value replaced (case-insensitive match)."""
    return [[n, value if n.lower() == name.lower() else v] for n, v in headers]


def without_header(headers, name):
    return [[n, v] for n, v in headers if n.lower() != name.lower()]


def duplicated_header(headers, name, extra_value):
    """Copy of headers with a second NAME header right after the first."""
    out = []
    for n, v in headers:
        out.append([n, v])
        if n.lower() == name.lower():
            out.append([n, extra_value])
    return out


# Notes reused across presets.
NOTE_NON_UTF8 = (
    "Signed over the raw bytes ff fe 00 80. hookwarden MACs raw bytes, so it accepts. The SDKs "
    "work on text: python SDKs raise UnicodeDecodeError, npm SDKs decode lossily to U+FFFD and "
    "the MAC no longer matches, string-only npm APIs cannot be given these bytes (n/a). Providers "
    "send UTF-8 JSON, so this only matters for correctness, not interop."
)
NOTE_UNICODE = "UTF-8 JSON with non-ASCII text (Latin-1 range, CJK, an emoji); MAC over the UTF-8 bytes."
NOTE_DUPLICATE_NODE = (
    "Python SDKs take a dict, so a repeated header cannot be passed (n/a). npm SDKs are given "
    "Node's req.headers, where repeated custom headers arrive joined with ', '. hookwarden "
    "rejects any repeated signature/timestamp/id header rather than guess which one counts."
)


# ---------------------------------------------------------------------------
# Standard Webhooks and Svix (same scheme, different header names)


def sw_key(secret: str) -> bytes:
    """The HMAC key: the base64 after `whsec_`, decoded."""
    return base64.b64decode(secret.removeprefix("whsec_"))


def sw_signer(preset: str):
    """Return sign(secret, msg_id, ts, body) -> 'v1,<b64>' using the preset's Python SDK."""
    if preset == "svix":
        from svix.webhooks import Webhook
    else:
        from standardwebhooks.webhooks import Webhook

    def sign(secret: str, msg_id: str, ts: int, body: bytes) -> str:
        if oracles.is_utf8(body):
            when = datetime.fromtimestamp(ts, tz=timezone.utc)
            return Webhook(secret).sign(msg_id, when, body.decode("utf-8"))
        # The SDK's sign() takes str only: same recipe, over bytes.
        content = f"{msg_id}.{ts}.".encode() + body
        return "v1," + b64(hmac_sha256(sw_key(secret), content))

    return sign


def sw_family(preset: str, prefix: str, key_bytes: int) -> VectorList:
    seed = Seeded(preset)
    sign = sw_signer(preset)
    h_id, h_ts, h_sig = f"{prefix}-id", f"{prefix}-timestamp", f"{prefix}-signature"
    secret = "whsec_" + b64(seed.bytes(key_bytes))
    other_secret = "whsec_" + b64(seed.bytes(key_bytes))
    msg_id = "msg_" + seed.alnum(27)
    body = compact_json(
        {"type": "invoice.paid", "timestamp": "2023-11-14T22:13:20Z", "data": {"id": "inv_" + seed.alnum(14), "amount": 4200}}
    )
    vectors = VectorList(preset)

    def headers(ts_text, sig, mid=msg_id):
        return [[h_id, mid], [h_ts, ts_text], [h_sig, sig]]

    def decoy():
        return "v1," + b64(seed.bytes(32))

    good = sign(secret, msg_id, NOW, body)
    base = headers(str(NOW), good)

    vectors.add("valid", secret=secret, headers=base, body=body, expected="accept",
                note=f"Signed by python {'svix' if preset == 'svix' else 'standardwebhooks'} Webhook.sign(); "
                     f"{key_bytes}-byte key.")
    vectors.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
                note="One body byte changed after signing.")
    vectors.add("wrong_secret", secret=secret, headers=headers(str(NOW), sign(other_secret, msg_id, NOW, body)),
                body=body, expected="no_matching_signature", note="Signed with a different whsec_ secret.")
    undecoded = "v1," + b64(hmac_sha256(secret.encode(), f"{msg_id}.{NOW}.".encode() + body))
    vectors.add("signed_with_undecoded_secret", secret=secret, headers=headers(str(NOW), undecoded), body=body,
                expected="no_matching_signature",
                note="MAC keyed with the whole 'whsec_...' string as UTF-8 (the Stripe convention) instead of the "
                     "base64-decoded bytes; computed with hmac. Must not verify.")

    add_timestamp_window(vectors, lambda ts: headers(str(ts), sign(secret, msg_id, ts, body)), secret, body)

    ed25519_decoy = "v1a," + b64(seed.bytes(64))
    last_matches = " ".join([decoy(), decoy(), ed25519_decoy, good])
    vectors.add("multiple_signatures_last_matches", secret=secret, headers=headers(str(NOW), last_matches), body=body,
                expected="accept",
                note="Space-separated list: two well-formed v1 decoys, a v1a (Ed25519) entry that is skipped, then "
                     "the matching v1 last (key rotation).")
    eight = " ".join([decoy() for _ in range(MAX_SIGNATURES - 1)] + [good])
    vectors.add("eight_signatures_last_matches", secret=secret, headers=headers(str(NOW), eight), body=body,
                expected="accept", note="Exactly 8 candidates (hookwarden's maximum); the last matches.")
    nine = " ".join([decoy() for _ in range(MAX_SIGNATURES)] + [good])
    vectors.add("nine_signatures_last_matches", secret=secret, headers=headers(str(NOW), nine), body=body,
                expected="malformed_header",
                note="9 candidates, the last matches. The SDKs accept (no limit); hookwarden caps candidates at 8 "
                     "to bound the work an attacker can cause per request.")
    vectors.add("only_v1a_signature", secret=secret, headers=headers(str(NOW), ed25519_decoy), body=body,
                expected="no_matching_signature",
                note="Only an asymmetric v1a entry; HMAC verifiers skip non-v1 versions, so nothing can match.")

    vectors.add("signature_garbage_base64", secret=secret, headers=headers(str(NOW), "v1,!!not*base64~~"), body=body,
                expected="malformed_header", note="Signature is not base64.")
    vectors.add("signature_empty", secret=secret, headers=headers(str(NOW), "v1,"), body=body,
                expected="malformed_header", note="'v1,' with nothing after the comma: decodes to 0 bytes, not 32.")
    vectors.add("signature_truncated", secret=secret, headers=headers(str(NOW), good[:24]), body=body,
                expected="malformed_header",
                note="First 21 base64 characters of the valid signature: not a valid 32-byte base64 value.")
    vectors.add("signature_without_version", secret=secret, headers=headers(str(NOW), good.removeprefix("v1,")),
                body=body, expected="malformed_header",
                note="The bare base64 MAC without the 'v1,' prefix. The python SDK raises on the missing comma.")

    add_bad_timestamps(vectors, secret, body,
                       lambda ts_text: headers(ts_text, good),
                       signed_as="the SDKs parse the timestamp to a number and sign that number, so the MAC is over "
                                 f"the canonical '{NOW}'")
    vectors.add("timestamp_trailing_garbage", secret=secret, headers=headers(f"{NOW}abc", good), body=body,
                expected="malformed_header",
                note=f"Timestamp '{NOW}abc'. npm parseInt() stops at the first non-digit and accepts; python "
                     "float() raises. hookwarden requires a canonical decimal.")

    vectors.add("missing_id_header", secret=secret, headers=without_header(base, h_id), body=body,
                expected="missing_header", note=f"No {h_id}.")
    vectors.add("missing_timestamp_header", secret=secret, headers=without_header(base, h_ts), body=body,
                expected="missing_header", note=f"No {h_ts}.")
    vectors.add("missing_signature_header", secret=secret, headers=without_header(base, h_sig), body=body,
                expected="missing_header", note=f"No {h_sig}.")
    vectors.add("duplicate_signature_header", secret=secret, headers=duplicated_header(base, h_sig, decoy()),
                body=body, expected="duplicate_header",
                note=f"Two {h_sig} headers, the first valid. " + NOTE_DUPLICATE_NODE
                + " Joined, the npm SDK still finds the valid entry and accepts.")
    vectors.add("duplicate_timestamp_header", secret=secret, headers=duplicated_header(base, h_ts, str(NOW)),
                body=body, expected="duplicate_header",
                note=f"Two identical {h_ts} headers. " + NOTE_DUPLICATE_NODE
                + f" Joined as '{NOW}, {NOW}', npm parseInt() reads the first number and accepts.")
    vectors.add("duplicate_id_header", secret=secret, headers=duplicated_header(base, h_id, msg_id), body=body,
                expected="duplicate_header",
                note=f"Two identical {h_id} headers. " + NOTE_DUPLICATE_NODE
                + " Joined, the id no longer matches what was signed.")
    mixed_case = [[h_id.title(), msg_id], [h_ts.upper(), str(NOW)], [h_sig.title(), good]]
    vectors.add("mixed_case_header_names", secret=secret, headers=mixed_case, body=body, expected="accept",
                note="Header names are case-insensitive.")

    empty_note = ("npm svix 1.x JSON-parses the body after the MAC matches and throws on ''; python svix and "
                  "svix 2.x (jsonParse:false) accept." if preset == "svix" else "")
    add_body_variants(vectors, secret, lambda b: headers(str(NOW), sign(secret, msg_id, NOW, b)),
                      non_utf8_how="SDK sign() takes str only, so computed with hmac over "
                                   "'{id}.{ts}.' + raw bytes, as the SDKs' verify() does for text.",
                      empty_note=empty_note)
    return vectors


def add_timestamp_window(vectors: VectorList, headers_at, secret: str, body: bytes, *, stripe_sdks: bool = False):
    """now-299/300/301 and now+299/300/301, each correctly signed for its timestamp."""
    for offset in (-299, -300, -301, 299, 300, 301):
        ts = NOW + offset
        direction = "past" if offset < 0 else "future"
        name = f"timestamp_{'minus' if offset < 0 else 'plus'}_{abs(offset)}"
        if abs(offset) <= WINDOW:
            expected = "accept"
            note = f"{abs(offset)} s in the {direction}: inside the ±{WINDOW} s window (the edge is inclusive)."
        else:
            expected = "timestamp_too_old" if offset < 0 else "timestamp_too_new"
            note = f"{abs(offset)} s in the {direction}: one second outside the ±{WINDOW} s window."
            if stripe_sdks and offset > 0:
                note += (" The Stripe SDKs only reject OLD timestamps and accept any future one; hookwarden "
                         "also rejects timestamps more than 300 s ahead (clock-skew bound, limits pre-signed replays).")
        vectors.add(name, secret=secret, headers=headers_at(ts), body=body, expected=expected, note=note)


def add_bad_timestamps(vectors: VectorList, secret: str, body: bytes, headers_for, *, signed_as: str):
    """Non-canonical timestamps, each otherwise validly signed (see `signed_as`)."""
    cases = [
        ("timestamp_non_numeric", "yesterday", "not a number"),
        ("timestamp_plus_sign", f"+{NOW}", "has a '+' sign"),
        ("timestamp_leading_zero", f"0{NOW}", "has a leading zero"),
        ("timestamp_fraction", f"{NOW}.0", "has a fractional part"),
    ]
    for name, text, what in cases:
        note = (f"Timestamp '{text}' {what}; hookwarden accepts only canonical unsigned decimals, so the header "
                f"is malformed. Signature: {signed_as}. Where an SDK accepts, hookwarden is deliberately stricter: "
                "the SDKs do not even agree with each other on which spellings parse (float() vs int() vs "
                "parseInt()), and one canonical spelling keeps the window check unambiguous.")
        vectors.add(name, secret=secret, headers=headers_for(text), body=body, expected="malformed_header", note=note)


def add_body_variants(vectors: VectorList, secret: str, headers_for, *, non_utf8_how: str, empty_note: str = ""):
    """Empty, non-UTF-8 and unicode bodies, each correctly signed."""
    vectors.add("empty_body", secret=secret, headers=headers_for(EMPTY_BODY), body=EMPTY_BODY, expected="accept",
                note=("Zero-length body, correctly signed. " + empty_note).strip())
    vectors.add("non_utf8_body", secret=secret, headers=headers_for(NON_UTF8_BODY), body=NON_UTF8_BODY,
                expected="accept", note=NOTE_NON_UTF8 + " Signature: " + non_utf8_how)
    vectors.add("unicode_json_body", secret=secret, headers=headers_for(UNICODE_BODY), body=UNICODE_BODY,
                expected="accept", note=NOTE_UNICODE)


def add_sw_published(vectors: VectorList, prefix: str, preset: str):
    """providers.md §4.1: vectors from the svix and standard-webhooks test suites."""
    sign = sw_signer(preset)
    h = (f"{prefix}-id", f"{prefix}-timestamp", f"{prefix}-signature")
    published = [
        ("published_svix_js_sign_test", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
         1614265330, b'{"test": 2432232314}', "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
         "svix javascript/src/webhook.test.ts 'sign function works'"),
        ("published_svix_rust_sign_test", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
         1649367553, b'{"email":"test@example.com","username":"test_user"}',
         "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=", "svix rust/src/webhooks.rs test_sign"),
    ]
    for name, secret, msg_id, ts, body, expected_sig, source in published:
        # The SDK must reproduce the published value, or the vector (or the SDK) is wrong.
        assert sign(secret, msg_id, ts, body) == expected_sig, f"{name}: SDK disagrees with published vector"
        vectors.add(name, secret=secret, now=ts, headers=[[h[0], msg_id], [h[1], str(ts)], [h[2], expected_sig]],
                    body=body, expected="accept",
                    note=f"Published vector ({source}); `now` is its timestamp. 24-byte key.")
    # The svix JS test pairs that first vector with a non-matching decoy in a multi-signature header.
    name, secret, msg_id, ts, body, expected_sig, _ = published[0]
    decoy = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
    vectors.add("published_svix_js_with_decoy", secret=secret, now=ts,
                headers=[[h[0], msg_id], [h[1], str(ts)], [h[2], f"{decoy} {expected_sig}"]], body=body,
                expected="accept",
                note="Published vector with the non-matching decoy signature used alongside it in the svix JS tests.")


def standard_webhooks_vectors() -> VectorList:
    vectors = sw_family("standard-webhooks", "webhook", key_bytes=32)
    add_sw_published(vectors, "webhook", "standard-webhooks")
    return vectors


def svix_vectors() -> VectorList:
    vectors = sw_family("svix", "svix", key_bytes=24)
    add_sw_published(vectors, "svix", "svix")
    # The svix SDKs fall back to the unbranded webhook-* names when svix-* are absent.
    seed = Seeded("svix/fallback")
    secret = "whsec_" + b64(seed.bytes(24))
    msg_id = "msg_" + seed.alnum(27)
    body = compact_json({"type": "user.created", "data": {"id": "user_" + seed.alnum(20)}})
    sig = sw_signer("svix")(secret, msg_id, NOW, body)
    vectors.add("webhook_header_names_fallback", secret=secret,
                headers=[["webhook-id", msg_id], ["webhook-timestamp", str(NOW)], ["webhook-signature", sig]],
                body=body, expected="accept",
                note="Unbranded webhook-* headers instead of svix-*; the svix SDKs fall back to them, so the svix "
                     "preset accepts them too.")
    return vectors


# ---------------------------------------------------------------------------
# Stripe


def stripe_v1(secret: str, ts: int, body: bytes) -> str:
    """Hex v1 signature for (ts, body): stripe-python's signer, or its recipe over raw bytes."""
    import stripe

    if oracles.is_utf8(body):
        header = stripe.WebhookSignature.generate_signature_header(body.decode("utf-8"), secret, timestamp=ts)
        return header.split(",v1=", 1)[1]
    return hmac_sha256(secret.encode("utf-8"), f"{ts}.".encode() + body).hex()


def stripe_vectors() -> VectorList:
    seed = Seeded("stripe")
    secret = "whsec_" + seed.alnum(32)
    other_secret = "whsec_" + seed.alnum(32)
    event_id = "evt_" + seed.alnum(24)
    body = json.dumps(
        {"id": event_id, "object": "event", "api_version": "2023-10-16", "created": NOW,
         "data": {"object": {"id": "pi_" + seed.alnum(24), "object": "payment_intent", "amount": 4200,
                             "currency": "eur"}},
         "livemode": False, "type": "payment_intent.succeeded"},
        indent=2,  # Stripe pretty-prints its bodies; the MAC is over these exact bytes
    ).encode()
    vectors = VectorList("stripe")
    name = "Stripe-Signature"

    def hdr(value):
        return [["Content-Type", "application/json; charset=utf-8"], [name, value]]

    def decoy():
        return seed.hex(32)

    good = stripe_v1(secret, NOW, body)
    # Cross-check the Python signer against the npm SDK's test-header helper.
    npm_header = oracles.node_sign("npm stripe", secret, body, NOW)
    assert npm_header == f"t={NOW},v1={good}", "python and npm stripe signers disagree"
    base = hdr(f"t={NOW},v1={good}")

    vectors.add("valid", secret=secret, headers=base, body=body, expected="accept",
                note="Signed by stripe-python generate_signature_header (identical to npm generateTestHeaderString). "
                     "The key is the whole whsec_ string as UTF-8.")
    vectors.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
                note="One body byte changed after signing.")
    vectors.add("wrong_secret", secret=secret, headers=hdr(f"t={NOW},v1={stripe_v1(other_secret, NOW, body)}"),
                body=body, expected="no_matching_signature", note="Signed with a different whsec_ secret.")
    decoded_key = base64.b64decode(secret.removeprefix("whsec_"))
    decoded_sig = hmac_sha256(decoded_key, f"{NOW}.".encode() + body).hex()
    vectors.add("signed_with_base64_decoded_secret", secret=secret, headers=hdr(f"t={NOW},v1={decoded_sig}"),
                body=body, expected="no_matching_signature",
                note="MAC keyed with base64-decode(secret minus 'whsec_') (the Standard Webhooks convention); computed "
                     "with hmac. Stripe uses the string itself, so this must not verify.")

    add_timestamp_window(vectors, lambda ts: hdr(f"t={ts},v1={stripe_v1(secret, ts, body)}"), secret, body,
                         stripe_sdks=True)

    v0 = decoy()
    vectors.add("multiple_v1_and_v0_last_matches", secret=secret,
                headers=hdr(f"t={NOW},v1={decoy()},v1={decoy()},v0={v0},v1={good}"), body=body, expected="accept",
                note="Two non-matching v1 decoys, a v0 entry (ignored scheme), then the matching v1 last.")
    vectors.add("test_mode_v0_decoy", secret=secret, headers=hdr(f"t={NOW},v1={good},v0={decoy()}"), body=body,
                expected="accept", note="Test-mode shape: matching v1 followed by a v0 that must be ignored.")
    vectors.add("only_v0_signature", secret=secret, headers=hdr(f"t={NOW},v0={good}"), body=body,
                expected="no_matching_signature",
                note="The correct MAC but under scheme v0 only: ignoring non-v1 schemes prevents downgrades.")
    eight = ",".join(f"v1={decoy()}" for _ in range(MAX_SIGNATURES - 1))
    vectors.add("eight_v1_last_matches", secret=secret, headers=hdr(f"t={NOW},{eight},v1={good}"), body=body,
                expected="accept", note="Exactly 8 v1 candidates (hookwarden's maximum); the last matches.")
    nine = ",".join(f"v1={decoy()}" for _ in range(MAX_SIGNATURES))
    vectors.add("nine_v1_last_matches", secret=secret, headers=hdr(f"t={NOW},{nine},v1={good}"), body=body,
                expected="malformed_header",
                note="9 v1 candidates, the last matches. The SDKs accept (no limit); hookwarden caps candidates at 8.")

    vectors.add("v1_garbage_hex", secret=secret, headers=hdr(f"t={NOW},v1={'zq' * 32}"), body=body,
                expected="malformed_header", note="v1 value is 64 characters but not hex.")
    vectors.add("v1_empty", secret=secret, headers=hdr(f"t={NOW},v1="), body=body, expected="malformed_header",
                note="'v1=' with an empty value.")
    vectors.add("v1_truncated", secret=secret, headers=hdr(f"t={NOW},v1={good[:40]}"), body=body,
                expected="malformed_header", note="First 40 hex digits of the valid MAC (20 bytes, not 32).")
    vectors.add("v1_uppercase_hex", secret=secret, headers=hdr(f"t={NOW},v1={good.upper()}"), body=body,
                expected="malformed_header",
                note="The valid MAC in uppercase hex. The SDKs compare strings and reject; hookwarden treats "
                     "uppercase hex as malformed.")
    vectors.add("missing_t", secret=secret, headers=hdr(f"v1={good}"), body=body, expected="malformed_header",
                note="No t= element.")
    old = NOW - 1000
    vectors.add("two_t_elements", secret=secret, headers=hdr(f"t={NOW},t={old},v1={good}"), body=body,
                expected="malformed_header",
                note=f"Two t= elements; the MAC is over t={NOW}. stripe-python uses the FIRST t= and accepts; "
                     "stripe-node uses the LAST, recomputes the MAC over it and rejects. hookwarden refuses to "
                     "choose.")
    add_bad_timestamps(vectors, secret, body, lambda ts_text: hdr(f"t={ts_text},v1={good}"),
                       signed_as="both SDKs parse t= to an integer and sign that integer, so the MAC is over the "
                                 f"canonical '{NOW}' (stripe-python int() rejects '{NOW}.0'; stripe-node parseInt() "
                                 "accepts it)")
    vectors.add("missing_signature_header", secret=secret, headers=base[:1], body=body, expected="missing_header",
                note="No Stripe-Signature header.")
    vectors.add("duplicate_signature_header", secret=secret,
                headers=duplicated_header(base, name, f"t={NOW},v1={decoy()}"), body=body,
                expected="duplicate_header", note="Two Stripe-Signature headers, the first valid. " + NOTE_DUPLICATE_NODE
                + f" Joined, the value becomes 't={NOW},v1=<good>, t={NOW},v1=<decoy>': ' t' is not 't', so the "
                  "npm SDK still finds the valid v1 and accepts.")
    vectors.add("lowercase_header_name", secret=secret, headers=[["stripe-signature", f"t={NOW},v1={good}"]],
                body=body, expected="accept", note="Header names are case-insensitive.")

    add_body_variants(vectors, secret, lambda b: hdr(f"t={NOW},v1={stripe_v1(secret, NOW, b)}"),
                      non_utf8_how="the SDK signers take str only, so computed with hmac over "
                                   "'{t}.' + raw bytes with the whsec_ string as key.")
    return vectors


# ---------------------------------------------------------------------------
# GitHub


def github_vectors() -> VectorList:
    seed = Seeded("github")
    # GitHub's docs suggest a random high-entropy string, e.g. 20 random bytes as hex.
    secret = seed.hex(20)
    other_secret = seed.hex(20)
    body = compact_json(
        {"ref": "refs/heads/main", "before": seed.hex(20), "after": seed.hex(20),
         "repository": {"id": 123456789, "full_name": "octo-org/hello-world"}, "sender": {"login": "octocat"}}
    )
    vectors = VectorList("github")

    def sign(key: str, data: bytes) -> str:
        if oracles.is_utf8(data) and data:
            return oracles.node_sign("npm @octokit/webhooks-methods", key, data)
        # octokit sign() refuses non-string and empty payloads: same recipe with hmac.
        return "sha256=" + hmac_sha256(key.encode(), data).hex()

    def delivery(sig256: str, data: bytes, key: str = secret, delivery_id: str | None = None):
        # X-Hub-Signature (HMAC-SHA1) is what GitHub still sends alongside; no SDK signs it, hashlib does.
        sha1 = "sha1=" + hmac.new(key.encode(), data, hashlib.sha1).hexdigest()
        return [
            ["User-Agent", "GitHub-Hookshot/" + seed.hex(4)[:7]],
            ["X-GitHub-Event", "push"],
            ["X-GitHub-Delivery", delivery_id or seed.uuid()],
            ["X-GitHub-Hook-ID", "412345678"],
            ["X-Hub-Signature", sha1],
            ["X-Hub-Signature-256", sig256],
            ["Content-Type", "application/json"],
        ]

    good = sign(secret, body)
    base = delivery(good, body)
    sig_name = "X-Hub-Signature-256"
    vectors.add("valid", secret=secret, headers=base, body=body, expected="accept",
                note="Signed by @octokit/webhooks-methods sign(). X-Hub-Signature (SHA-1, legacy) is present as in "
                     "real deliveries and is ignored.")
    docs_secret, docs_body = "It's a Secret to Everybody", b"Hello, World!"
    docs_sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert sign(docs_secret, docs_body) == docs_sig, "octokit disagrees with the docs vector"
    vectors.add("published_github_docs", secret=docs_secret,
                headers=[["X-GitHub-Event", "ping"], ["X-GitHub-Delivery", seed.uuid()], [sig_name, docs_sig]],
                body=docs_body, expected="accept",
                note="Published example from GitHub's 'Validating webhook deliveries' docs (providers.md §4.2). The "
                     "octokit test vector (secret 'mysecret') is omitted: hookwarden rejects secrets under 16 bytes.")
    vectors.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
                note="One body byte changed after signing.")
    vectors.add("wrong_secret", secret=secret, headers=delivery(sign(other_secret, body), body, other_secret),
                body=body, expected="no_matching_signature", note="Signed with a different secret.")

    vectors.add("signature_garbage_hex", secret=secret, headers=with_header(base, sig_name, "sha256=" + "xy" * 32),
                body=body, expected="malformed_header", note="64 characters after sha256= but not hex.")
    vectors.add("signature_empty", secret=secret, headers=with_header(base, sig_name, "sha256="), body=body,
                expected="malformed_header", note="'sha256=' with nothing after it.")
    vectors.add("signature_truncated", secret=secret, headers=with_header(base, sig_name, good[:47]), body=body,
                expected="malformed_header", note="First 40 hex digits of the valid MAC (20 bytes, not 32).")
    vectors.add("signature_uppercase_hex", secret=secret,
                headers=with_header(base, sig_name, "sha256=" + good.removeprefix("sha256=").upper()), body=body,
                expected="malformed_header",
                note="The valid MAC in uppercase hex. octokit compares strings and rejects; hookwarden treats "
                     "uppercase hex as malformed.")
    vectors.add("signature_without_prefix", secret=secret,
                headers=with_header(base, sig_name, good.removeprefix("sha256=")), body=body,
                expected="malformed_header", note="The bare hex MAC without 'sha256='.")
    vectors.add("missing_signature_header", secret=secret, headers=without_header(base, sig_name), body=body,
                expected="missing_header",
                note="Only the legacy SHA-1 X-Hub-Signature is present; hookwarden requires X-Hub-Signature-256 "
                     "(SHA-1 is not accepted as a fallback).")
    vectors.add("missing_delivery_header", secret=secret, headers=without_header(base, "X-GitHub-Delivery"), body=body,
                expected="accept",
                note="No X-GitHub-Delivery. GitHub does not sign the delivery id, so hookwarden neither requires "
                     "nor trusts it (anyone could add or change it); its replay key derives from the MAC instead. "
                     "octokit verify() likewise looks only at the body and signature.")
    vectors.add("duplicate_signature_header", secret=secret,
                headers=duplicated_header(base, sig_name, sign(other_secret, body)), body=body,
                expected="duplicate_header", note="Two X-Hub-Signature-256 headers, the first valid. " + NOTE_DUPLICATE_NODE)
    vectors.add("duplicate_delivery_header", secret=secret,
                headers=duplicated_header(base, "X-GitHub-Delivery", seed.uuid()), body=body,
                expected="accept",
                note="Two X-GitHub-Delivery headers. The delivery id is unsigned and ignored (see "
                     "missing_delivery_header), so repeating it changes nothing; octokit agrees.")

    add_body_variants(vectors, secret, lambda b: delivery(sign(secret, b), b),
                      non_utf8_how="octokit sign() takes strings only, so computed with hmac over the raw bytes.",
                      empty_note="octokit sign() and verify() throw on an empty payload, so the MAC is computed "
                                 "with hmac and octokit's verdict is a reject; hookwarden accepts a valid MAC over "
                                 "an empty body.")
    return vectors


# ---------------------------------------------------------------------------
# Slack


def slack_sign(secret: str, ts_text: str, body: bytes) -> str:
    """'v0=<hex>' from slack-sdk's generate_signature, or its recipe over raw bytes."""
    from slack_sdk.signature import SignatureVerifier

    if oracles.is_utf8(body):
        return SignatureVerifier(secret).generate_signature(timestamp=ts_text, body=body)
    return "v0=" + hmac_sha256(secret.encode(), f"v0:{ts_text}:".encode() + body).hex()


def slack_vectors() -> VectorList:
    seed = Seeded("slack")
    secret = seed.hex(16)  # Slack signing secrets are 32 hex-looking characters, used as UTF-8
    other_secret = seed.hex(16)
    body = compact_json(
        {"token": seed.alnum(24), "team_id": "T" + seed.alnum(8).upper(), "api_app_id": "A" + seed.alnum(8).upper(),
         "event": {"type": "app_mention", "user": "U" + seed.alnum(8).upper(), "text": "<@U0LAN0Z89> is it everything?",
                   "ts": "1699999999.000200", "channel": "C" + seed.alnum(8).upper()},
         "type": "event_callback", "event_id": "Ev" + seed.alnum(9).upper(), "event_time": NOW - 1}
    )
    vectors = VectorList("slack")
    h_ts, h_sig = "X-Slack-Request-Timestamp", "X-Slack-Signature"

    def hdr(ts_text, sig):
        return [["Content-Type", "application/json"], [h_ts, ts_text], [h_sig, sig]]

    good = slack_sign(secret, str(NOW), body)
    base = hdr(str(NOW), good)
    vectors.add("valid", secret=secret, headers=base, body=body, expected="accept",
                note="Events API JSON body, signed by slack-sdk SignatureVerifier.generate_signature.")

    docs_secret, docs_ts = "8f742231b10e8888abcd99yyyzzz85a5", 1531420618
    docs_body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    docs_sig = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert slack_sign(docs_secret, str(docs_ts), docs_body) == docs_sig, "slack-sdk disagrees with the docs vector"
    vectors.add("published_slack_docs", secret=docs_secret, now=docs_ts,
                headers=[["Content-Type", "application/x-www-form-urlencoded"], [h_ts, str(docs_ts)], [h_sig, docs_sig]],
                body=docs_body, expected="accept",
                note="Slash-command example from Slack's 'Verifying requests' docs (providers.md §4.3); `now` is its "
                     "timestamp.")
    vectors.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
                note="One body byte changed after signing.")
    vectors.add("wrong_secret", secret=secret, headers=hdr(str(NOW), slack_sign(other_secret, str(NOW), body)),
                body=body, expected="no_matching_signature", note="Signed with a different signing secret.")

    add_timestamp_window(vectors, lambda ts: hdr(str(ts), slack_sign(secret, str(ts), body)), secret, body)

    vectors.add("signature_garbage_hex", secret=secret, headers=hdr(str(NOW), "v0=" + "gh" * 32), body=body,
                expected="malformed_header", note="64 characters after v0= but not hex.")
    vectors.add("signature_empty", secret=secret, headers=hdr(str(NOW), "v0="), body=body,
                expected="malformed_header", note="'v0=' with nothing after it.")
    vectors.add("signature_truncated", secret=secret, headers=hdr(str(NOW), good[:43]), body=body,
                expected="malformed_header", note="First 40 hex digits of the valid MAC (20 bytes, not 32).")
    vectors.add("signature_uppercase_hex", secret=secret, headers=hdr(str(NOW), "v0=" + good[3:].upper()), body=body,
                expected="malformed_header",
                note="The valid MAC in uppercase hex. slack-sdk compares strings and rejects; hookwarden treats "
                     "uppercase hex as malformed.")
    vectors.add("signature_without_version", secret=secret, headers=hdr(str(NOW), good[3:]), body=body,
                expected="malformed_header", note="The bare hex MAC without 'v0='.")

    add_bad_timestamps(vectors, secret, body, lambda ts_text: hdr(ts_text, slack_sign(secret, ts_text, body)),
                       signed_as="slack-sdk puts the header text verbatim into 'v0:{ts}:{body}', so the MAC is over "
                                 "that exact text (int() accepts '+' and leading zeros, so the SDK accepts those; it "
                                 "rejects the fraction and the word)")
    vectors.add("missing_signature_header", secret=secret, headers=without_header(base, h_sig), body=body,
                expected="missing_header", note="No X-Slack-Signature.")
    vectors.add("missing_timestamp_header", secret=secret, headers=without_header(base, h_ts), body=body,
                expected="missing_header", note="No X-Slack-Request-Timestamp.")
    vectors.add("duplicate_signature_header", secret=secret,
                headers=duplicated_header(base, h_sig, slack_sign(other_secret, str(NOW), body)), body=body,
                expected="duplicate_header", note="Two X-Slack-Signature headers, the first valid. " + NOTE_DUPLICATE_NODE)
    vectors.add("duplicate_timestamp_header", secret=secret, headers=duplicated_header(base, h_ts, str(NOW)),
                body=body, expected="duplicate_header", note="Two identical X-Slack-Request-Timestamp headers. "
                + NOTE_DUPLICATE_NODE)

    add_body_variants(vectors, secret, lambda b: hdr(str(NOW), slack_sign(secret, str(NOW), b)),
                      non_utf8_how="slack-sdk generate_signature decodes bytes as UTF-8 and raises, so computed "
                                   "with hmac over 'v0:{ts}:' + raw bytes.")
    return vectors


# ---------------------------------------------------------------------------
# Shopify


def shopify_vectors() -> VectorList:
    seed = Seeded("shopify")
    secret = "shpss_" + seed.hex(16)  # app client secret, used as UTF-8
    other_secret = "shpss_" + seed.hex(16)
    body = compact_json(
        {"id": 820982911946154508, "email": "jon@example.com", "created_at": "2023-11-14T17:13:20-05:00",
         "total_price": "42.00", "currency": "EUR", "line_items": [{"title": "Hookwarden mug", "quantity": 1}]}
    )
    vectors = VectorList("shopify")
    h_hmac, h_id = "X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id"

    def sign(key: str, data: bytes) -> str:
        return oracles.node_sign("npm @shopify/shopify-api", key, data)

    def delivery(hmac_value: str):
        return [
            ["Content-Type", "application/json"],
            ["X-Shopify-Topic", "orders/create"],
            [h_hmac, hmac_value],
            ["X-Shopify-Shop-Domain", "hookwarden-test.myshopify.com"],
            ["X-Shopify-API-Version", "2025-10"],
            [h_id, seed.uuid()],
            ["X-Shopify-Event-Id", seed.uuid()],
            ["X-Shopify-Triggered-At", "2023-11-14T22:13:20.000000000Z"],
        ]

    good = sign(secret, body)
    base = delivery(good)
    vectors.add("valid", secret=secret, headers=base, body=body, expected="accept",
                note="orders/create delivery with the usual X-Shopify-* headers, signed by the SDK's "
                     "test-helpers getHmac (base64 HMAC-SHA256 over the raw body).")
    vectors.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
                note="One body byte changed after signing.")
    vectors.add("wrong_secret", secret=secret, headers=delivery(sign(other_secret, body)), body=body,
                expected="no_matching_signature", note="Signed with a different client secret.")
    vectors.add("hmac_garbage_base64", secret=secret, headers=with_header(base, h_hmac, "%%not-base64%%"), body=body,
                expected="malformed_header", note="HMAC header is not base64.")
    vectors.add("hmac_empty", secret=secret, headers=with_header(base, h_hmac, ""), body=body,
                expected="malformed_header",
                note="HMAC header present but empty (0 bytes, not 32). The SDK treats an empty value as missing.")
    vectors.add("hmac_truncated", secret=secret, headers=with_header(base, h_hmac, good[:24]), body=body,
                expected="malformed_header", note="First 24 base64 characters of the valid HMAC (18 bytes, not 32).")
    hex_hmac = base64.b64decode(good).hex()
    vectors.add("hmac_hex_instead_of_base64", secret=secret, headers=with_header(base, h_hmac, hex_hmac), body=body,
                expected="malformed_header",
                note="The valid MAC hex-encoded: 64 characters that are also valid base64, but decode to 48 bytes, "
                     "not 32.")
    vectors.add("missing_hmac_header", secret=secret, headers=without_header(base, h_hmac), body=body,
                expected="missing_header", note="No X-Shopify-Hmac-Sha256.")
    vectors.add("missing_webhook_id_header", secret=secret, headers=without_header(base, h_id), body=body,
                expected="accept",
                note="No X-Shopify-Webhook-Id. Shopify does not sign the id, so hookwarden neither requires nor "
                     "trusts it (anyone could add or change it); its replay key derives from the MAC. shopify-api "
                     "validate() also insists that the topic/shop-domain/api-version/webhook-id headers exist; that "
                     "is a completeness check on unsigned headers, not an authenticity check, so hookwarden does "
                     "not copy it.")
    vectors.add("duplicate_hmac_header", secret=secret, headers=duplicated_header(base, h_hmac, sign(other_secret, body)),
                body=body, expected="duplicate_header",
                note="Two X-Shopify-Hmac-Sha256 headers, the first valid. " + NOTE_DUPLICATE_NODE)
    vectors.add("duplicate_webhook_id_header", secret=secret, headers=duplicated_header(base, h_id, seed.uuid()),
                body=body, expected="accept",
                note="Two X-Shopify-Webhook-Id headers. The id is unsigned and ignored (see "
                     "missing_webhook_id_header); the SDK also accepts (it reads Node's joined value).")
    # Shopify's newer "Events" deliveries use the same headers without the X- prefix.
    events = [[n.removeprefix("X-").lower(), v] for n, v in base if n.startswith("X-")]
    vectors.add("events_delivery_unprefixed_headers", secret=secret, headers=[["Content-Type", "application/json"]] + events,
                body=body, expected="accept",
                note="Events-style delivery: shopify-hmac-sha256, shopify-topic, ... (no X- prefix).")
    vectors.add("events_delivery_both_header_sets", secret=secret, headers=base + events, body=body,
                expected="accept",
                note="During the transition Events deliveries carry both header sets, with the same HMAC.")
    add_body_variants(vectors, secret, lambda b: delivery(sign(secret, b)),
                      non_utf8_how="the SDK's getHmac passes a Buffer to crypto.Hmac.update as raw bytes.",
                      empty_note="shopify-api validate() refuses an empty body (MissingBody) before checking the "
                                 "HMAC; hookwarden accepts a valid MAC over an empty body.")
    return vectors


# ---------------------------------------------------------------------------
# Recording verdicts and writing files

BUILDERS = {
    "standard-webhooks": standard_webhooks_vectors,
    "svix": svix_vectors,
    "stripe": stripe_vectors,
    "github": github_vectors,
    "slack": slack_vectors,
    "shopify": shopify_vectors,
}


def attach_sdk_verdicts(preset: str, vectors: list[dict], verbose: bool) -> None:
    requests = [{"preset": preset, **v} for v in vectors]
    for vector, row in zip(vectors, oracles.verdicts(requests)):
        vector["sdk"] = {sdk: row[sdk][0] for sdk in oracles.sdks_for(preset)}
        vector["note"] += disagreement_suffix(vector)
        if verbose:
            for sdk, (verdict, detail) in row.items():
                print(f"  {preset}/{vector['name']}: {sdk} -> {verdict} {detail}")


def disagreement_suffix(vector: dict) -> str:
    """' Disagrees with: sdk (verdict), ...' when an SDK's accept/reject differs from ours."""
    ours = "accept" if vector["expected"] == "accept" else "reject"
    differing = [f"{sdk} ({v})" for sdk, v in vector["sdk"].items() if v not in ("n/a", ours)]
    return f" Disagrees with: {', '.join(differing)}." if differing else ""


def disagreements(preset: str, vectors: list[dict]) -> list[tuple[str, str, str, str]]:
    """(vector, sdk, sdk verdict, expected) wherever an SDK and hookwarden differ on accept/reject."""
    out = []
    for v in vectors:
        ours = "accept" if v["expected"] == "accept" else "reject"
        for sdk, verdict in v["sdk"].items():
            if verdict != "n/a" and verdict != ours:
                out.append((v["name"], sdk, verdict, v["expected"]))
    return out


def sanity_check(preset: str, vectors: list[dict]) -> None:
    """Every SDK must accept the plain valid vector and the published ones. If not, the harness
    (not the SDK) is broken, e.g. a misconfigured client recorded as 'reject' everywhere."""
    for v in vectors:
        if v["name"] == "valid" or v["name"].startswith("published_"):
            bad = {sdk: verdict for sdk, verdict in v["sdk"].items() if verdict != "accept"}
            if bad:
                sys.exit(f"{preset}/{v['name']}: SDKs did not accept a plainly valid vector: {bad}; fix the harness")


def ordered(vector: dict) -> dict:
    keys = ["name", "secret", "now", "headers", "body_base64", "method", "url", "sdk", "expected", "note"]
    return {k: vector[k] for k in keys if k in vector}


def write_preset(preset: str, vectors: list[dict], versions: dict[str, str]) -> Path:
    doc = {
        "preset": preset,
        "generated_by": GENERATED_BY,
        "sdks": {sdk: versions[sdk] for sdk in oracles.sdks_for(preset)},
        "vectors": [ordered(v) for v in vectors],
    }
    OUT_DIR.mkdir(exist_ok=True)
    path = OUT_DIR / f"{preset}.json"
    path.write_text(pretty_json(doc), encoding="utf-8")
    return path


JSON_STRING = r'"(?:[^"\\]|\\.)*"'
HEADER_PAIR = re.compile(rf"\[\n\s*({JSON_STRING}),\n\s*({JSON_STRING})\n\s*\]")


def pretty_json(doc: dict) -> str:
    """Indented JSON, but each [name, value] header pair on one line so files stay readable."""
    text = HEADER_PAIR.sub(r"[\1, \2]", json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
    assert json.loads(text) == doc, "header-pair compaction changed the document"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every SDK verdict and its reason")
    parser.add_argument("--only", help="comma-separated presets to regenerate (default: all)")
    args = parser.parse_args()

    import generate_providers  # after this module is loaded: it imports helpers from here

    builders = {**BUILDERS, **generate_providers.BUILDERS}
    if args.only:
        builders = {p: builders[p] for p in args.only.split(",")}
    versions = oracles.sdk_versions()
    for preset, build in builders.items():
        vectors = build().items
        attach_sdk_verdicts(preset, vectors, args.verbose)
        sanity_check(preset, vectors)
        path = write_preset(preset, vectors, versions)
        print(f"{path.relative_to(HERE.parent.parent)}: {len(vectors)} vectors")
        for name, sdk, verdict, expected in disagreements(preset, vectors):
            print(f"    disagreement: {name}: {sdk} says {verdict}, hookwarden expects {expected}")

    import check_ours  # after writing, so a failure there does not lose the vectors

    return check_ours.main([])


if __name__ == "__main__":
    sys.exit(main())
