"""Vector builders for the presets beyond the first six (imported by generate.py).

Each builder returns a VectorList signed by the provider's own SDK signer where one exists,
or by the SDK verifier's own recipe (python hmac / PyNaCl / cryptography) where the SDK only
verifies; the note of each vector says which. The SDK verdicts are recorded afterwards by
generate.py through oracles.py, exactly as for the first six presets.

Who signs:
  twilio     python twilio RequestValidator.compute_signature (url + params)
  square     python squareup's recipe (hmac over url + body; the SDK has no signer)
  hubspot    python hubspot-api-client Signature.get_signature(..., "v3", ...)
  discord    PyNaCl SigningKey (the SDK verifies with PyNaCl VerifyKey)
  sendgrid   cryptography ECDSA P-256 / SHA-256, DER (the SDK verifies with cryptography)
  paddle     python hmac, the recipe of paddle-python-sdk PaddleSignature
  razorpay   python hmac, the recipe of razorpay utility.verify_signature
  coinbase   python coinbase-commerce WebhookSignature._compute_signature
  adyen      python Adyen util.generate_payload_sig (hex key)
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from generate import NOW, Seeded, VectorList, b64, compact_json, tamper, with_header, without_header


def add(vectors: VectorList, name: str, *, method=None, url=None, **fields):
    """VectorList.add, plus the optional method and URL of presets that sign them."""
    vectors.add(name, **fields)
    if method is not None:
        vectors.items[-1]["method"] = method
    if url is not None:
        vectors.items[-1]["url"] = url


# ---------------------------------------------------------------------------
# Twilio


def twilio_vectors() -> VectorList:
    from urllib.parse import parse_qsl

    from twilio.request_validator import RequestValidator

    seed = Seeded("twilio")
    token, other = seed.hex(16), seed.hex(16)
    url = "https://hooks.example.com/twilio/voice?tenant=acme"
    body = (b"AccountSid=AC" + seed.hex(16).encode() + b"&CallSid=CA" + seed.hex(16).encode()
            + b"&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212&CallStatus=ringing")

    def sign(secret: str, signed_url: str, form: bytes) -> str:
        params: dict[str, list[str]] = {}
        for name, value in parse_qsl(form.decode(), keep_blank_values=True):
            params.setdefault(name, []).append(value)

        class Multi(dict):
            def getall(self, key):
                return self[key]

        return RequestValidator(secret).compute_signature(signed_url, Multi(params))

    def hdr(sig):
        return [["Content-Type", "application/x-www-form-urlencoded"], ["X-Twilio-Signature", sig]]

    v = VectorList("twilio")
    good = sign(token, url, body)
    add(v, "valid", secret=token, headers=hdr(good), body=body, url=url, expected="accept",
        note="Voice webhook form POST, signed by twilio-python RequestValidator.compute_signature.")
    add(v, "tampered_param", secret=token, headers=hdr(good), body=body.replace(b"1234", b"1235"), url=url,
        expected="no_matching_signature", note="One form value changed after signing.")
    add(v, "wrong_secret", secret=token, headers=hdr(sign(other, url, body)), body=body, url=url,
        expected="no_matching_signature", note="Signed with another Auth Token.")
    add(v, "other_url", secret=token, headers=hdr(good), body=body, url=url.replace("acme", "other"),
        expected="no_matching_signature", note="The receiver's URL differs from the signed one (query changed).")
    add(v, "http_instead_of_https", secret=token, headers=hdr(good), body=body, url=url.replace("https", "http"),
        expected="no_matching_signature", note="Scheme differs: the URL is signed exactly.")
    with_port = url.replace(".com/", ".com:443/")
    add(v, "signed_with_port_received_without", secret=token, headers=hdr(sign(token, with_port, body)), body=body,
        url=url, expected="accept", note="Twilio signed the URL with :443; the receiver's URL has no port. The SDKs "
        "try both spellings, and so does hookwarden.")
    add(v, "signed_without_port_received_with", secret=token, headers=hdr(good), body=body, url=with_port,
        expected="accept", note="The receiver's URL has :443; Twilio signed it without.")
    reordered = b"&".join(reversed(body.split(b"&")))
    add(v, "params_in_another_order", secret=token, headers=hdr(good), body=reordered, url=url, expected="accept",
        note="The same parameters in reverse order: they are signed sorted.")
    duplicated = body + b"&Digits=5678&Digits=1234"
    add(v, "repeated_params", secret=token, headers=hdr(sign(token, url, duplicated)), body=duplicated, url=url,
        expected="accept", note="Digits sent three times (two equal): sorted by value, equal pairs count once.")
    json_body = compact_json({"property": "value", "boolean": True, "n": seed.hex(4)})
    json_url = url + "&bodySHA256=" + hashlib.sha256(json_body).hexdigest()
    json_sig = RequestValidator(token).compute_signature(json_url, {})
    add(v, "json_body", secret=token, headers=hdr(json_sig), body=json_body, url=json_url, expected="accept",
        note="JSON body: the URL carries bodySHA256 and is signed alone (compute_signature(url, {})).")
    add(v, "json_body_tampered", secret=token, headers=hdr(json_sig), body=tamper(json_body), url=json_url,
        expected="no_matching_signature", note="JSON body changed: it no longer hashes to the signed bodySHA256.")
    add(v, "missing_signature_header", secret=token, headers=[["Content-Type", "application/x-www-form-urlencoded"]],
        body=body, url=url, expected="missing_header", note="No X-Twilio-Signature.")
    add(v, "url_unknown", secret=token, headers=hdr(good), body=body, expected="url_unknown",
        note="The receiver was not told its public URL: a misconfiguration (500), not a forgery. The SDK needs the "
             "URL, so it cannot judge (n/a).")
    # Published (providers.md §4.4) with the 5-byte token '12345' cannot be used: hookwarden
    # refuses secrets under 16 bytes. The unit tests in preset/twilio.rs check all six of them.
    return v


# ---------------------------------------------------------------------------
# Square


def square_vectors() -> VectorList:
    seed = Seeded("square")
    key, other = seed.alnum(22), seed.alnum(22)
    url = "https://hooks.example.com/square"
    body = compact_json({"merchant_id": "ML" + seed.alnum(11).upper(), "type": "payment.created",
                         "event_id": seed.uuid(), "created_at": "2023-11-14T22:13:20.000Z",
                         "data": {"type": "payment", "id": seed.alnum(22)}})

    def sign(k: str, u: str, b: bytes) -> str:
        return b64(hmac.new(k.encode(), u.encode() + b, hashlib.sha256).digest())

    def hdr(sig):
        return [["Content-Type", "application/json"], ["x-square-hmacsha256-signature", sig]]

    v = VectorList("square")
    pub_url = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9"
    pub_body = (b'{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-'
                b'a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc3'
                b'68e64-01aa-407e-b46e-3231809b1129"}}')
    pub_sig = "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="
    assert sign("Ibxx_5AKakO-3qeNVR61Dw", pub_url, pub_body) == pub_sig
    add(v, "published_square_sdk_test", secret="Ibxx_5AKakO-3qeNVR61Dw", headers=hdr(pub_sig), body=pub_body,
        url=pub_url, expected="accept", note="square-python-sdk tests/utilities/test_webhooks_helper.py (providers.md §4.7).")
    add(v, "sdk_test_wrong_url", secret="Ibxx_5AKakO-3qeNVR61Dw", headers=hdr(pub_sig), body=pub_body,
        url=pub_url.replace("679a4f3a", "79a4f3a"), expected="no_matching_signature",
        note="The same test's negative case: one character removed from the URL.")
    good = sign(key, url, body)
    add(v, "valid", secret=key, headers=hdr(good), body=body, url=url, expected="accept",
        note="HMAC-SHA256 over url + body, the squareup verify_signature recipe.")
    add(v, "tampered_body", secret=key, headers=hdr(good), body=tamper(body), url=url,
        expected="no_matching_signature", note="One body byte changed.")
    add(v, "wrong_key", secret=key, headers=hdr(sign(other, url, body)), body=body, url=url,
        expected="no_matching_signature", note="Signed with another signature key.")
    add(v, "url_unknown", secret=key, headers=hdr(good), body=body, expected="url_unknown",
        note="No notification URL given to the verifier (500); the SDK requires one (n/a).")
    return v


# ---------------------------------------------------------------------------
# HubSpot


def hubspot_vectors() -> VectorList:
    from hubspot.utils.signature import Signature

    seed = Seeded("hubspot")
    secret, other = seed.uuid(), seed.uuid()
    url = "https://hooks.example.com/hubspot?portal=62515"
    body = compact_json([{"eventId": 1, "subscriptionId": 12345, "portalId": 62515, "occurredAt": NOW * 1000,
                          "subscriptionType": "contact.creation", "attemptNumber": 0, "objectId": 123}])

    def sign(s: str, method: str, u: str, b: bytes, ts_ms: int) -> str:
        return Signature.get_signature(s, b.decode(), "v3", u, method, str(ts_ms))

    def hdr(sig, ts_ms):
        return [["Content-Type", "application/json"], ["X-HubSpot-Signature-v3", sig],
                ["X-HubSpot-Request-Timestamp", str(ts_ms)]]

    v = VectorList("hubspot")
    pub = "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw="
    pub_secret, pub_url, pub_body = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy", "https://www.example.com/webhook_uri", \
        b"{'example_field':'example_value'}"
    assert sign(pub_secret, "POST", pub_url, pub_body, 15000000) == pub
    add(v, "published_hubspot_sdk_test", secret=pub_secret, now=15000, headers=hdr(pub, 15000000), body=pub_body,
        method="POST", url=pub_url, expected="accept",
        note="hubspot-api-python tests/spec/utils/test_signature.py v3 (providers.md §4.8); `now` is its timestamp.")
    ms = NOW * 1000
    good = sign(secret, "POST", url, body, ms)
    add(v, "valid", secret=secret, headers=hdr(good, ms), body=body, method="POST", url=url, expected="accept",
        note="Signed by hubspot-api-client Signature.get_signature(..., 'v3', ...).")
    add(v, "tampered_body", secret=secret, headers=hdr(good, ms), body=tamper(body), method="POST", url=url,
        expected="no_matching_signature", note="One body byte changed.")
    add(v, "wrong_secret", secret=secret, headers=hdr(sign(other, "POST", url, body, ms), ms), body=body,
        method="POST", url=url, expected="no_matching_signature", note="Signed with another client secret.")
    add(v, "other_method", secret=secret, headers=hdr(good, ms), body=body, method="PUT", url=url,
        expected="no_matching_signature", note="The method is signed.")
    stale = ms - 301_000
    add(v, "timestamp_minus_301", secret=secret, headers=hdr(sign(secret, "POST", url, body, stale), stale), body=body,
        method="POST", url=url, expected="timestamp_too_old", note="301 s old: outside the 5-minute window.")
    ahead = ms + 301_000
    add(v, "timestamp_plus_301", secret=secret, headers=hdr(sign(secret, "POST", url, body, ahead), ahead), body=body,
        method="POST", url=url, expected="timestamp_too_new",
        note="301 s ahead. The python SDK checks only the past and accepts; hookwarden bounds both sides.")
    add(v, "timestamp_in_seconds", secret=secret, headers=hdr(sign(secret, "POST", url, body, NOW), NOW), body=body,
        method="POST", url=url, expected="timestamp_too_old",
        note="Seconds where milliseconds are expected: read as 1970, far too old. The SDK rejects too.")
    add(v, "method_unknown", secret=secret, headers=hdr(good, ms), body=body, url=url, expected="method_unknown",
        note="No method given to the verifier (500); the SDK cannot judge without one (n/a).")
    return v


# ---------------------------------------------------------------------------
# Discord


def discord_vectors() -> VectorList:
    from nacl.signing import SigningKey

    seed = Seeded("discord")
    key, other = SigningKey(seed.bytes(32)), SigningKey(seed.bytes(32))
    public = key.verify_key.encode().hex()
    body = compact_json({"type": 2, "id": "1178" + str(seed.rng.randrange(10**15)), "application_id": "1177000000000000000",
                         "data": {"name": "ping"}})

    def sig(k, ts: str, b: bytes) -> str:
        return k.sign(ts.encode() + b).signature.hex()

    def hdr(s, ts):
        return [["Content-Type", "application/json"], ["X-Signature-Ed25519", s], ["X-Signature-Timestamp", ts]]

    v = VectorList("discord")
    good = sig(key, str(NOW), body)
    v.add("valid", secret=public, headers=hdr(good, str(NOW)), body=body, expected="accept",
          note="Signed with PyNaCl SigningKey over timestamp + body; the SDK verifies with PyNaCl.")
    v.add("tampered_body", secret=public, headers=hdr(good, str(NOW)), body=tamper(body),
          expected="no_matching_signature", note="One body byte changed.")
    v.add("other_key", secret=public, headers=hdr(sig(other, str(NOW), body), str(NOW)), body=body,
          expected="no_matching_signature", note="Signed by another application's key.")
    v.add("timestamp_changed", secret=public, headers=hdr(good, str(NOW + 1)), body=body,
          expected="no_matching_signature", note="The timestamp is part of the signed message.")
    v.add("signature_uppercase_hex", secret=public, headers=hdr(good.upper(), str(NOW)), body=body,
          expected="malformed_header",
          note="The valid signature in uppercase hex. The SDK's bytes.fromhex accepts it; Discord sends lowercase "
               "and hookwarden reads lowercase hex only.")
    old = NOW - 301
    v.add("timestamp_minus_301", secret=public, headers=hdr(sig(key, str(old), body), str(old)), body=body,
          expected="timestamp_too_old",
          note="Correctly signed 301 s ago. Discord's SDKs check no window and accept; hookwarden bounds replays "
               "to ±5 min.")
    v.add("missing_timestamp_header", secret=public, headers=without_header(hdr(good, str(NOW)), "X-Signature-Timestamp"),
          body=body, expected="missing_header", note="No X-Signature-Timestamp.")
    v.add("signature_truncated", secret=public, headers=hdr(good[:100], str(NOW)), body=body,
          expected="malformed_header", note="50 bytes instead of 64.")
    return v


# ---------------------------------------------------------------------------
# SendGrid


def sendgrid_vectors() -> VectorList:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    seed = Seeded("sendgrid")
    private = ec.derive_private_key(int.from_bytes(seed.bytes(31), "big"), ec.SECP256R1())
    public = b64(private.public_key().public_bytes(serialization.Encoding.DER,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo))
    body = compact_json([{"email": "zoe@example.com", "event": "delivered", "sg_event_id": seed.alnum(22),
                          "timestamp": NOW - 5}]) + b"\r\n"

    def sig(ts: str, b: bytes) -> str:
        return b64(private.sign(ts.encode() + b, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)))

    def hdr(s, ts):
        return [["Content-Type", "application/json"], ["X-Twilio-Email-Event-Webhook-Signature", s],
                ["X-Twilio-Email-Event-Webhook-Timestamp", ts]]

    v = VectorList("sendgrid")
    pub_key = ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXv"
               "VpiglSI8eNEc6wEA3F+g==")
    pub_body = (b'[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5ND'
                b'kxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA","sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b'
                b'745b58-kmzbl-18-5F5FC76C-9.0","smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","tim'
                b'estamp":1600112492}]\r\n')
    pub_sig = "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM="
    v.add("published_sendgrid_sdk_test", secret=pub_key, now=1600112502, headers=hdr(pub_sig, "1600112502"),
          body=pub_body, expected="accept",
          note="sendgrid-python test/unit/test_eventwebhook.py (providers.md §4.6), trailing CRLF included.")
    v.add("sdk_test_wrong_signature", secret=pub_key, now=1600112502,
          headers=hdr("MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=",
                      "1600112502"), body=pub_body, expected="no_matching_signature",
          note="The same test's wrong-signature case.")
    good = sig(str(NOW), body)
    v.add("valid", secret=public, headers=hdr(good, str(NOW)), body=body, expected="accept",
          note="Signed with cryptography (ECDSA P-256, SHA-256, DER) over timestamp + body.")
    v.add("tampered_body", secret=public, headers=hdr(good, str(NOW)), body=tamper(body),
          expected="no_matching_signature", note="One body byte changed.")
    v.add("trailing_crlf_stripped", secret=public, headers=hdr(good, str(NOW)), body=body[:-2],
          expected="no_matching_signature", note="A framework that strips the trailing CRLF breaks the signature.")
    v.add("signature_not_der", secret=public, headers=hdr(b64(b"\x00" * 64), str(NOW)), body=body,
          expected="malformed_header", note="64 raw bytes instead of a DER signature.")
    return v


# ---------------------------------------------------------------------------
# Paddle, Razorpay, Coinbase, Adyen: HMAC over (a prefix and) the body


def paddle_vectors() -> VectorList:
    seed = Seeded("paddle")
    secret = "pdl_ntfset_01h" + seed.alnum(23).lower() + "_" + seed.alnum(32)
    other = "pdl_ntfset_01h" + seed.alnum(23).lower() + "_" + seed.alnum(32)
    body = compact_json({"event_id": "evt_" + seed.alnum(26).lower(), "event_type": "transaction.completed",
                         "occurred_at": "2023-11-14T22:13:20.000000Z", "data": {"id": "txn_" + seed.alnum(26).lower()}})

    def h1(s, ts, b):
        return hmac.new(s.encode(), f"{ts}:".encode() + b, hashlib.sha256).hexdigest()

    def hdr(value):
        return [["Content-Type", "application/json"], ["Paddle-Signature", value]]

    v = VectorList("paddle")
    pub_secret = "pdl_ntf_01hbpjmytsa32fhr36nqgc3kgb_WvRO0eL4Bj9rgYYIBZY6wZhG4EHy9jzh"
    pub = "d96299976a6eb066f484d7fde011ac56fc32b38fc9940bc419d6e537fdc6ef02"
    assert h1(pub_secret, 1696195954, b"hello-world") == pub
    v.add("published_paddle_sdk_test", secret=pub_secret, now=1696195954, headers=hdr(f"ts=1696195954;h1={pub}"),
          body=b"hello-world", expected="accept",
          note="paddle-python-sdk tests/Unit/Notification/test_Verifier.py (providers.md §4.5), without its "
               "'h1=dummy' decoy (see published_with_non_hex_decoy).")
    v.add("published_with_non_hex_decoy", secret=pub_secret, now=1696195954,
          headers=hdr(f"ts=1696195954;h1=dummy;h1={pub}"), body=b"hello-world", expected="malformed_header",
          note="The SDK test's header with its 'h1=dummy' decoy: the SDK accepts (any h1 may match); hookwarden "
               "refuses a signature that is not 32 bytes of hex rather than skip it.")
    good = h1(secret, NOW, body)
    v.add("valid", secret=secret, headers=hdr(f"ts={NOW};h1={good}"), body=body, expected="accept",
          note="HMAC-SHA256 over '{ts}:{body}', the recipe of PaddleSignature.")
    v.add("tampered_body", secret=secret, headers=hdr(f"ts={NOW};h1={good}"), body=tamper(body),
          expected="no_matching_signature", note="One body byte changed.")
    v.add("wrong_secret", secret=secret, headers=hdr(f"ts={NOW};h1={h1(other, NOW, body)}"), body=body,
          expected="no_matching_signature", note="Signed with another destination's secret.")
    v.add("rotation_second_h1_matches", secret=secret, headers=hdr(f"ts={NOW};h1={h1(other, NOW, body)};h1={good}"),
          body=body, expected="accept", note="Two h1 values during a secret rotation; the second matches.")
    for offset, expected in ((-5, "accept"), (-6, "timestamp_too_old"), (5, "accept"), (6, "timestamp_too_new")):
        ts = NOW + offset
        name = f"timestamp_{'minus' if offset < 0 else 'plus'}_{abs(offset)}"
        v.add(name, secret=secret, headers=hdr(f"ts={ts};h1={h1(secret, ts, body)}"), body=body, expected=expected,
              note=f"{abs(offset)} s {'old' if offset < 0 else 'ahead'}: Paddle's window is 5 s either way.")
    return v


def body_hmac_vectors(preset, header, secret, other, body, *, encode, key=str.encode, sdk_note):
    def mac(s, b):
        return encode(hmac.new(key(s), b, hashlib.sha256).digest())

    v = VectorList(preset)
    good = mac(secret, body)
    hdr = [["Content-Type", "application/json"], [header, good]]
    v.add("valid", secret=secret, headers=hdr, body=body, expected="accept", note=sdk_note)
    v.add("tampered_body", secret=secret, headers=hdr, body=tamper(body), expected="no_matching_signature",
          note="One body byte changed.")
    v.add("wrong_secret", secret=secret, headers=with_header(hdr, header, mac(other, body)), body=body,
          expected="no_matching_signature", note="Signed with another secret.")
    v.add("missing_signature_header", secret=secret, headers=without_header(hdr, header), body=body,
          expected="missing_header", note=f"No {header}.")
    return v, good, hdr


def razorpay_vectors() -> VectorList:
    seed = Seeded("razorpay")
    body = compact_json({"entity": "event", "account_id": "acc_" + seed.alnum(14), "event": "payment.captured",
                         "contains": ["payment"], "created_at": NOW})
    v, good, hdr = body_hmac_vectors("razorpay", "X-Razorpay-Signature", seed.alnum(24), seed.alnum(24), body,
                                     encode=bytes.hex, sdk_note="HMAC-SHA256 hex, the recipe of razorpay "
                                     "utility.verify_signature.")
    v.add("signature_uppercase_hex", secret=v.items[0]["secret"],
          headers=with_header(hdr, "X-Razorpay-Signature", good.upper()), body=body, expected="malformed_header",
          note="Uppercase hex. razorpay-python compares strings and rejects (razorpay-node hex-decodes and would "
               "accept); hookwarden reads lowercase hex only.")
    return v


def coinbase_vectors() -> VectorList:
    from coinbase_commerce.webhook import WebhookSignature

    seed = Seeded("coinbase")
    body = compact_json({"id": 1, "scheduled_for": "2023-11-14T22:13:20Z",
                         "event": {"id": seed.uuid(), "type": "charge:confirmed"}})
    secret = seed.uuid()
    v, good, _ = body_hmac_vectors("coinbase", "X-CC-Webhook-Signature", secret, seed.uuid(), body, encode=bytes.hex,
                                   sdk_note="Signed by coinbase-commerce WebhookSignature._compute_signature.")
    assert WebhookSignature._compute_signature(body.decode(), secret) == good
    return v


def adyen_vectors() -> VectorList:
    from Adyen.util import generate_payload_sig

    seed = Seeded("adyen")
    body = compact_json({"data": {"balancePlatform": "YOUR_BALANCE_PLATFORM", "id": "BA" + seed.alnum(24).upper()},
                         "environment": "test", "type": "balancePlatform.balanceAccount.created"})
    secret, other = seed.hex(32).upper(), seed.hex(32).upper()
    v, good, _ = body_hmac_vectors("adyen", "HmacSignature", secret, other, body,
                                   encode=lambda d: base64.b64encode(d).decode(), key=bytes.fromhex,
                                   sdk_note="Signed by Adyen util.generate_payload_sig (hex key, base64).")
    assert generate_payload_sig(body, secret).decode() == good
    return v


BUILDERS = {
    "twilio": twilio_vectors,
    "square": square_vectors,
    "hubspot": hubspot_vectors,
    "discord": discord_vectors,
    "sendgrid": sendgrid_vectors,
    "paddle": paddle_vectors,
    "razorpay": razorpay_vectors,
    "coinbase": coinbase_vectors,
    "adyen": adyen_vectors,
}
