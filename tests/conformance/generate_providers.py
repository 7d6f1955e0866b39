"""Vector builders for the presets beyond the first six (imported by generate.py).

Each builder returns a VectorList signed by the provider's own SDK signer where one exists,
or by the SDK verifier's own recipe (python hmac / PyNaCl / cryptography) where the SDK only
verifies; the note of each vector says which. The SDK verdicts are recorded afterwards by
generate.py through oracles.py, exactly as for the first six presets.

Who signs:
  twilio     python twilio RequestValidator.compute_signature (url + params)
  twilio-shared-key  python twilio 9.13 compute_signature(url, params, algorithm) (SharedKey webhooks)
  square     python squareup's recipe (hmac over url + body; the SDK has no signer)
  hubspot    python hubspot-api-client Signature.get_signature(..., "v3", ...)
  discord    PyNaCl SigningKey (the SDK verifies with PyNaCl VerifyKey)
  sendgrid   cryptography ECDSA P-256 / SHA-256, DER (the SDK verifies with cryptography)
  paddle     python hmac, the recipe of paddle-python-sdk PaddleSignature
  razorpay   python hmac, the recipe of razorpay utility.verify_signature
  coinbase   python coinbase-commerce WebhookSignature._compute_signature
  adyen      python Adyen util.generate_payload_sig (hex key)
  adyen-classic  python Adyen util.generate_notification_sig (the item's eight fields)
  (both Adyen presets are also judged by npm @adyen/api-library HmacValidator)
  mailgun    python hmac, the recipe of Mailgun's "Securing webhooks" docs (no SDK verifies)
  linear     python hmac, the recipe of @linear/sdk LinearWebhookClient.verify (it has no signer)
  mux        python hmac, the recipe of @mux/mux-node webhooks.verifySignature (it has no signer)
  clerk      python svix Webhook.sign (Clerk delivers through Svix)
  resend     python svix Webhook.sign (Resend delivers through Svix)
The npm SDKs of the last four, and npm cross-checks for twilio, square, hubspot, discord,
sendgrid, paddle and razorpay, run in generate_node.mjs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import json

from generate import (
    NOW,
    Seeded,
    VectorList,
    add_body_variants,
    b64,
    compact_json,
    duplicated_header,
    sw_signer,
    tamper,
    with_header,
    without_header,
)


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


def twilio_shared_key_vectors() -> VectorList:
    """SharedKey webhooks, signed by twilio-python 9.13 compute_signature(..., algorithm)."""
    from urllib.parse import parse_qsl

    from twilio.request_validator import RequestValidator

    seed = Seeded("twilio-shared-key")
    secret, other = seed.alnum(32), seed.alnum(32)
    key_sid = "webhooks_sharedkey_" + seed.hex(16)
    url = "https://hooks.example.com/twilio/sms?tenant=acme"
    body = (b"AccountSid=AC" + seed.hex(16).encode() + b"&MessageSid=SM" + seed.hex(16).encode()
            + b"&From=%2B14158675309&To=%2B18005551212&Body=Hello+there%21&NumMedia=0")

    def sign(k: str, signed_url: str, form: bytes, algorithm: str) -> str:
        params: dict[str, list[str]] = {}
        for name, value in parse_qsl(form.decode(), keep_blank_values=True):
            params.setdefault(name, []).append(value)

        class Multi(dict):
            def getall(self, key):
                return self[key]

        return RequestValidator(k).compute_signature(signed_url, Multi(params), algorithm)

    def hdr(sig, settings):
        headers = [["Content-Type", "application/x-www-form-urlencoded"], ["X-Twilio-Signature", sig]]
        if settings is not None:
            headers.append(["X-Twilio-Webhooks-Signature-Settings", settings])
        return headers

    sha256 = f"key={key_sid},algorithm=HMAC_SHA256"
    v = VectorList("twilio-shared-key")
    good = sign(secret, url, body, "HMAC_SHA256")
    add(v, "valid", secret=secret, headers=hdr(good, sha256), body=body, url=url, expected="accept",
        note="SMS webhook signed with a SharedKey, HMAC_SHA256, by twilio-python compute_signature(url, params, "
             "'HMAC_SHA256').")
    add(v, "settings_spaced_lowercase", secret=secret, headers=hdr(good, f" key = {key_sid} , algorithm = hmac_sha256 "),
        body=body, url=url, expected="accept",
        note="The settings with spaces and a lowercase algorithm: the SDKs trim the parts and compare without case.")
    add(v, "tampered_param", secret=secret, headers=hdr(good, sha256), body=body.replace(b"Hello", b"Jello"), url=url,
        expected="no_matching_signature", note="One form value changed after signing.")
    add(v, "wrong_secret", secret=secret, headers=hdr(sign(other, url, body, "HMAC_SHA256"), sha256), body=body,
        url=url, expected="no_matching_signature", note="Signed with another SharedKey.")
    with_port = url.replace(".com/", ".com:443/")
    add(v, "signed_with_port_received_without", secret=secret,
        headers=hdr(sign(secret, with_port, body, "HMAC_SHA256"), sha256), body=body, url=url, expected="accept",
        note="Signed over the URL with :443; both spellings are tried, as for Auth Token signatures.")
    json_body = compact_json({"MessageSid": "SM" + seed.hex(16), "Body": "Zoë"})
    json_url = url + "&bodySHA256=" + hashlib.sha256(json_body).hexdigest()
    json_sig = RequestValidator(secret).compute_signature(json_url, {}, "HMAC_SHA256")
    add(v, "json_body", secret=secret, headers=hdr(json_sig, sha256), body=json_body, url=json_url,
        expected="accept", note="JSON body: the URL carries bodySHA256 and is signed alone, with HMAC_SHA256.")
    add(v, "announces_sha1", secret=secret, headers=hdr(sign(secret, url, body, "HMAC_SHA1"), f"key={key_sid},algorithm=HMAC_SHA1"),
        body=body, url=url, expected="malformed_header",
        note="A SharedKey signature with HMAC_SHA1: the SDKs verify it; hookwarden's TwilioSharedKey::default() "
             "takes HMAC_SHA256 only (TwilioSharedKey::sha1() takes these) and refuses it as malformed.")
    add(v, "announces_unknown_algorithm", secret=secret, headers=hdr(good, f"key={key_sid},algorithm=HMAC_SHA512"),
        body=body, url=url, expected="malformed_header",
        note="An algorithm the SDKs do not know: they refuse it, and so does hookwarden.")
    add(v, "no_settings_header", secret=secret, headers=hdr(good, None), body=body, url=url,
        expected="missing_header",
        note="Without the settings header Twilio signed with the Auth Token: the SDKs then use HMAC_SHA1 and refuse "
             "this HMAC_SHA256 signature.")
    add(v, "sha1_signature_announced_as_sha256", secret=secret,
        headers=hdr(sign(secret, url, body, "HMAC_SHA1"), sha256), body=body, url=url, expected="malformed_header",
        note="A 20-byte signature where HMAC_SHA256 is announced: not the announced algorithm's length.")
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
        note="301 s ahead. The SDKs (python and npm) check only the past and accept; hookwarden bounds both sides.")
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
          note="The valid signature in uppercase hex. The SDKs decode hex case-insensitively (python bytes.fromhex, "
               "npm Buffer.from(.., 'hex')) and accept; Discord sends lowercase and hookwarden reads lowercase "
               "hex only.")
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
          note="The SDK test's header with its 'h1=dummy' decoy: the python SDK accepts (any h1 may match), the npm "
               "SDK keeps only the last h1 (here the valid one) and accepts; hookwarden refuses a signature that is "
               "not 32 bytes of hex rather than skip it.")
    good = h1(secret, NOW, body)
    v.add("valid", secret=secret, headers=hdr(f"ts={NOW};h1={good}"), body=body, expected="accept",
          note="HMAC-SHA256 over '{ts}:{body}', the recipe of PaddleSignature.")
    v.add("tampered_body", secret=secret, headers=hdr(f"ts={NOW};h1={good}"), body=tamper(body),
          expected="no_matching_signature", note="One body byte changed.")
    v.add("wrong_secret", secret=secret, headers=hdr(f"ts={NOW};h1={h1(other, NOW, body)}"), body=body,
          expected="no_matching_signature", note="Signed with another destination's secret.")
    v.add("rotation_second_h1_matches", secret=secret, headers=hdr(f"ts={NOW};h1={h1(other, NOW, body)};h1={good}"),
          body=body, expected="accept", note="Two h1 values during a secret rotation; the second matches.")
    v.add("rotation_first_h1_matches", secret=secret, headers=hdr(f"ts={NOW};h1={good};h1={h1(other, NOW, body)}"),
          body=body, expected="accept",
          note="Two h1 values, the first matches. The python SDK tries every h1 and accepts; the npm SDK keeps only "
               "the last h1 and rejects. hookwarden accepts any matching h1, as during a rotation it must.")
    for offset, expected in ((-5, "accept"), (-6, "timestamp_too_old"), (5, "accept"), (6, "timestamp_too_new")):
        ts = NOW + offset
        name = f"timestamp_{'minus' if offset < 0 else 'plus'}_{abs(offset)}"
        note = f"{abs(offset)} s {'old' if offset < 0 else 'ahead'}: Paddle's window is 5 s either way."
        if offset == 6:
            note += " The npm SDK checks only the past and accepts; the python SDK and hookwarden reject."
        v.add(name, secret=secret, headers=hdr(f"ts={ts};h1={h1(secret, ts, body)}"), body=body, expected=expected,
              note=note)
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
          note="Uppercase hex. razorpay-python and razorpay-node both compare hex strings and reject; hookwarden "
               "reads lowercase hex only.")
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


# ---------------------------------------------------------------------------
# Linear (npm @linear/sdk): HMAC over the body, timestamp in the body (ms), ±60 s


def linear_vectors() -> VectorList:
    seed = Seeded("linear")
    secret, other = "lin_wh_" + seed.alnum(32), "lin_wh_" + seed.alnum(32)
    issue, org, hook = seed.uuid(), seed.uuid(), seed.uuid()

    def body_at(ts_ms, **changes) -> bytes:
        doc = {"action": "create", "type": "Issue", "createdAt": "2023-11-14T22:13:20.000Z",
               "data": {"id": issue, "title": "Webhook receiver drops retries"},
               "url": f"https://linear.app/acme/issue/ENG-42", "organizationId": org,
               "webhookTimestamp": ts_ms, "webhookId": hook}
        doc.update(changes)
        return compact_json({k: v for k, v in doc.items() if v is not None})

    def sig(s: str, b: bytes) -> str:
        return hmac.new(s.encode(), b, hashlib.sha256).hexdigest()

    def hdr(signature):
        return [["Content-Type", "application/json"], ["Linear-Delivery", hook], ["Linear-Event", "Issue"],
                ["Linear-Signature", signature]]

    v = VectorList("linear")
    body = body_at(NOW * 1000)
    good = sig(secret, body)
    v.add("valid", secret=secret, headers=hdr(good), body=body, expected="accept",
          note="Issue create event, HMAC-SHA256 hex over the raw body (the recipe of LinearWebhookClient.verify, "
               "which has no signer); webhookTimestamp is `now` in ms.")
    v.add("tampered_body", secret=secret, headers=hdr(good), body=tamper(body), expected="no_matching_signature",
          note="One body byte changed.")
    v.add("wrong_secret", secret=secret, headers=hdr(sig(other, body)), body=body, expected="no_matching_signature",
          note="Signed with another webhook's secret.")
    for offset_ms, expected in ((-60_000, "accept"), (-61_000, "timestamp_too_old"), (60_000, "accept"),
                                (61_000, "timestamp_too_new")):
        b = body_at(NOW * 1000 + offset_ms)
        name = f"timestamp_{'minus' if offset_ms < 0 else 'plus'}_{abs(offset_ms) // 1000}"
        v.add(name, secret=secret, headers=hdr(sig(secret, b)), body=b, expected=expected,
              note=f"webhookTimestamp {abs(offset_ms) // 1000} s {'old' if offset_ms < 0 else 'ahead'}: Linear's "
                   "window is 60 s either way (the edge is inclusive).")
    b = body_at(NOW * 1000 + 60_500)
    v.add("timestamp_plus_60_5", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="accept",
          note="60.5 s ahead. The SDK compares milliseconds and rejects; hookwarden keeps whole seconds (milliseconds "
               "rounded down, so 60 s ahead) and accepts: its window is up to a second wider on the future side.")
    b = body_at(NOW * 1000 - 60_500)
    v.add("timestamp_minus_60_5", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="timestamp_too_old",
          note="60.5 s old (rounded down to 61 s): both reject.")
    b = body_at(str(NOW * 1000))
    v.add("timestamp_as_string", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="malformed_body",
          note="webhookTimestamp as a JSON string: the SDK requires a number, and so does hookwarden.")
    b = body_at(NOW * 1000).replace(str(NOW * 1000).encode(), b"1.7e12")
    v.add("timestamp_exponent", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="malformed_body",
          note="webhookTimestamp written 1.7e12 (the same number). JSON.parse gives a finite number and the SDK "
               "accepts; hookwarden reads only whole milliseconds written as plain digits, as Linear sends them.")
    b = body_at(NOW * 1000 - 3_600_000)[:-1] + f',"webhookTimestamp":{NOW * 1000}}}'.encode()
    v.add("duplicate_timestamp_field", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="malformed_body",
          note="Two webhookTimestamp fields, an hour old then current. JSON.parse keeps the last and the SDK accepts; "
               "hookwarden refuses an ambiguous body rather than pick one.")
    b = body_at(None)
    v.add("timestamp_missing", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="missing_body_field",
          note="No webhookTimestamp: both reject.")
    b = body_at(NOW)
    v.add("timestamp_in_seconds", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="timestamp_too_old",
          note="Seconds where milliseconds are expected: read as January 1970. Both reject.")
    v.add("signature_uppercase_hex", secret=secret, headers=hdr(good.upper()), body=body, expected="malformed_header",
          note="The valid MAC in uppercase hex: the SDK compares hex strings and rejects; hookwarden reads lowercase "
               "hex only.")
    v.add("signature_truncated", secret=secret, headers=hdr(good[:40]), body=body, expected="malformed_header",
          note="20 bytes of hex, not 32.")
    v.add("missing_signature_header", secret=secret, headers=without_header(hdr(good), "Linear-Signature"), body=body,
          expected="missing_header", note="No Linear-Signature.")
    v.add("duplicate_signature_header", secret=secret,
          headers=duplicated_header(hdr(good), "Linear-Signature", sig(other, body)), body=body,
          expected="duplicate_header", note="Two Linear-Signature headers, the first valid. The SDK is given Node's "
          "joined value, which matches nothing.")
    v.add("delivery_header_changed", secret=secret, headers=with_header(hdr(good), "Linear-Delivery", seed.uuid()),
          body=body, expected="accept", note="Linear-Delivery is not signed: changing it changes nothing.")
    b = b'"hello"'
    v.add("body_not_an_object", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="malformed_body",
          note="A correctly signed JSON string: there is no webhookTimestamp to read. Both reject.")
    b = body_at(NOW * 1000, data={"id": issue, "title": "Grüße aus Köln — 東京 🚀"})
    v.add("unicode_json_body", secret=secret, headers=hdr(sig(secret, b)), body=b, expected="accept",
          note="UTF-8 JSON with non-ASCII text; MAC over the UTF-8 bytes.")
    return v


# ---------------------------------------------------------------------------
# Mux (npm @mux/mux-node): Stripe's format, 5 minutes


def mux_vectors() -> VectorList:
    seed = Seeded("mux")
    secret, other = seed.alnum(32), seed.alnum(32)
    asset = seed.alnum(40)
    body = compact_json({"type": "video.asset.ready", "object": {"type": "asset", "id": asset}, "id": seed.uuid(),
                         "environment": {"name": "Production", "id": seed.alnum(6)},
                         "data": {"status": "ready", "id": asset, "duration": 23.8}, "attempts": [],
                         "created_at": "2023-11-14T22:13:20.000000Z"})

    def sig(s: str, ts, b: bytes) -> str:
        return hmac.new(s.encode(), f"{ts}.".encode() + b, hashlib.sha256).hexdigest()

    def hdr(value):
        return [["Content-Type", "application/json"], ["Mux-Signature", value]]

    v = VectorList("mux")
    good = sig(secret, NOW, body)
    base = hdr(f"t={NOW},v1={good}")
    v.add("valid", secret=secret, headers=base, body=body, expected="accept",
          note="video.asset.ready event, HMAC-SHA256 hex over '{t}.{body}' (the recipe of "
               "webhooks.verifySignature; the SDK has no signer).")
    v.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
          note="One body byte changed.")
    v.add("wrong_secret", secret=secret, headers=hdr(f"t={NOW},v1={sig(other, NOW, body)}"), body=body,
          expected="no_matching_signature", note="Signed with another signing secret.")
    v.add("two_v1_second_matches", secret=secret, headers=hdr(f"t={NOW},v1={sig(other, NOW, body)},v1={good}"),
          body=body, expected="accept", note="Two v1 signatures (rotation); the second matches.")
    for offset in (-300, -301, 300, 301):
        ts = NOW + offset
        name = f"timestamp_{'minus' if offset < 0 else 'plus'}_{abs(offset)}"
        if offset == 301:
            expected, note = "timestamp_too_new", ("301 s ahead. The SDK checks only the past and accepts; hookwarden "
                                                   "bounds both sides (±300 s).")
        elif offset == -301:
            expected, note = "timestamp_too_old", "301 s old: outside the 300 s window. Both reject."
        else:
            expected, note = "accept", f"{abs(offset)} s {'old' if offset < 0 else 'ahead'}: inside the window."
        v.add(name, secret=secret, headers=hdr(f"t={ts},v1={sig(secret, ts, body)}"), body=body, expected=expected,
              note=note)
    v.add("timestamp_plus_sign", secret=secret, headers=hdr(f"t=+{NOW},v1={good}"), body=body,
          expected="malformed_header",
          note="t=+1700000000, signed over the canonical number: the SDK's parseInt() reads 1700000000 and re-writes "
               "it, so it accepts; hookwarden accepts only canonical decimals.")
    v.add("only_v0", secret=secret, headers=hdr(f"t={NOW},v0={good}"), body=body, expected="no_matching_signature",
          note="Only an unknown scheme: nothing to check. Both reject.")
    v.add("signature_uppercase_hex", secret=secret, headers=hdr(f"t={NOW},v1={good.upper()}"), body=body,
          expected="malformed_header", note="Uppercase hex: the SDK compares hex strings and rejects.")
    v.add("missing_signature_header", secret=secret, headers=[["Content-Type", "application/json"]], body=body,
          expected="missing_header", note="No Mux-Signature.")
    v.add("duplicate_signature_header", secret=secret,
          headers=duplicated_header(base, "Mux-Signature", f"t={NOW},v1={sig(other, NOW, body)}"), body=body,
          expected="duplicate_header",
          note="Two Mux-Signature headers, the first valid. Node joins them with ', '; the SDK splits on ',' and "
               "still finds the valid v1, so it accepts. hookwarden refuses a repeated signature header.")
    add_body_variants(v, secret, lambda b: hdr(f"t={NOW},v1={sig(secret, NOW, b)}"),
                      non_utf8_how="hmac over '{t}.' + raw bytes. The SDK takes the body as a string only (n/a).")
    return v


# ---------------------------------------------------------------------------
# Clerk and Resend (npm @clerk/backend, npm resend): Svix's scheme under svix-* headers


def svix_alias_vectors(preset: str, how: str, *, empty_note: str) -> VectorList:
    seed = Seeded(preset)
    sign = sw_signer("svix")
    secret = "whsec_" + b64(seed.bytes(24))
    other = "whsec_" + b64(seed.bytes(24))
    msg_id = "msg_" + seed.alnum(27)
    body = compact_json({"type": "user.created" if preset == "clerk" else "email.delivered",
                         "object": "event", "data": {"id": ("user_" if preset == "clerk" else "") + seed.alnum(24)},
                         "timestamp": NOW * 1000})

    def hdr(ts, sig, prefix="svix", mid=msg_id):
        return [["Content-Type", "application/json"], [f"{prefix}-id", mid], [f"{prefix}-timestamp", str(ts)],
                [f"{prefix}-signature", sig]]

    v = VectorList(preset)
    good = sign(secret, msg_id, NOW, body)
    base = hdr(NOW, good)
    v.add("valid", secret=secret, headers=base, body=body, expected="accept",
          note=f"Signed by python svix Webhook.sign(); {how}.")
    v.add("tampered_body", secret=secret, headers=base, body=tamper(body), expected="no_matching_signature",
          note="One body byte changed.")
    v.add("wrong_secret", secret=secret, headers=hdr(NOW, sign(other, msg_id, NOW, body)), body=body,
          expected="no_matching_signature", note="Signed with another endpoint's secret.")
    undecoded = "v1," + b64(hmac.new(secret.encode(), f"{msg_id}.{NOW}.".encode() + body, hashlib.sha256).digest())
    v.add("signed_with_undecoded_secret", secret=secret, headers=hdr(NOW, undecoded), body=body,
          expected="no_matching_signature",
          note="MAC keyed with the whole 'whsec_...' string (Stripe's convention) instead of the decoded bytes.")
    for offset in (-300, -301, 300, 301):
        ts = NOW + offset
        name = f"timestamp_{'minus' if offset < 0 else 'plus'}_{abs(offset)}"
        expected = "accept" if abs(offset) == 300 else ("timestamp_too_old" if offset < 0 else "timestamp_too_new")
        v.add(name, secret=secret, headers=hdr(ts, sign(secret, msg_id, ts, body)), body=body, expected=expected,
              note=f"{abs(offset)} s {'old' if offset < 0 else 'ahead'}: the window is 300 s either way, as in "
                   "standardwebhooks.")
    decoy = "v1," + b64(seed.bytes(32))
    v.add("two_signatures_last_matches", secret=secret, headers=hdr(NOW, f"{decoy} {good}"), body=body,
          expected="accept", note="Space-separated list (rotation): a decoy, then the valid signature.")
    v.add("missing_id_header", secret=secret, headers=without_header(base, "svix-id"), body=body,
          expected="missing_header",
          note="No svix-id (the other svix-* headers present). hookwarden then looks for the webhook-* set, finds no "
               "webhook-id, and reports a missing header.")
    v.add("missing_signature_header", secret=secret, headers=without_header(base, "svix-signature"), body=body,
          expected="missing_header", note="No svix-signature.")
    v.add("duplicate_signature_header", secret=secret, headers=duplicated_header(base, "svix-signature", decoy),
          body=body, expected="duplicate_header",
          note="Two svix-signature headers, the first valid. The SDK sees them joined with ', ' and still finds the "
               "valid entry, so it accepts; hookwarden refuses a repeated signature header.")
    v.add("webhook_prefixed_headers", secret=secret, headers=hdr(NOW, good, prefix="webhook"), body=body,
          expected="accept",
          note=f"The same delivery under webhook-id/-timestamp/-signature. hookwarden's {preset} preset reads them "
               "as Svix's libraries do; the SDK integration reads svix-* only and rejects. "
               f"{preset.capitalize()} sends svix-* headers, so this is a difference in leniency only.")
    v.add("not_json_body", secret=secret, headers=hdr(NOW, sign(secret, msg_id, NOW, b"ping")), body=b"ping",
          expected="accept",
          note="A correctly signed body that is not JSON. The SDK JSON-parses after the MAC matched and throws; "
               "hookwarden judges the signature only (the handler parses).")
    add_body_variants(v, secret, lambda b: hdr(NOW, sign(secret, msg_id, NOW, b)),
                      non_utf8_how="hmac over '{id}.{ts}.' + raw bytes (svix sign() takes str only).",
                      empty_note=empty_note)
    return v


def clerk_vectors() -> VectorList:
    return svix_alias_vectors("clerk", "judged by @clerk/backend verifyWebhook(Request, {signingSecret})",
                              empty_note="standardwebhooks verify() returns undefined for an empty body, and "
                                         "verifyWebhook then reads `.type` of it and throws.")


def resend_vectors() -> VectorList:
    return svix_alias_vectors("resend", "judged by resend.webhooks.verify({payload, headers, webhookSecret})",
                              empty_note="standardwebhooks verify() skips JSON parsing for an empty body.")


# ---------------------------------------------------------------------------
# Mailgun: no SDK verifies; the recipe of Mailgun's docs


def mailgun_vectors() -> VectorList:
    seed = Seeded("mailgun")
    key, other = seed.hex(16), seed.hex(16)
    event = {"event": "delivered", "id": seed.alnum(22), "timestamp": NOW - 0.5,
             "recipient": "zoe@example.com", "message": {"headers": {"message-id": seed.alnum(20) + "@example.com"}}}

    def sig(k: str, ts, token: str) -> str:
        return hmac.new(k.encode(), f"{ts}{token}".encode(), hashlib.sha256).hexdigest()

    def delivery(block: dict | None, data=event, extra: dict | None = None) -> bytes:
        doc = {} if block is None else {"signature": block}
        doc.update(extra or {})
        doc["event-data"] = data
        return compact_json(doc)

    def block(ts=NOW, token=None, k=key, **override):
        token = token or seed.alnum(50).lower()
        b = {"token": token, "timestamp": str(ts), "signature": sig(k, ts, token)}
        b.update(override)
        return b

    hdr = [["Content-Type", "application/json"]]
    v = VectorList("mailgun")
    valid = block()
    note_recipe = ("hex HMAC-SHA256 of timestamp + token with the webhook signing key, the recipe of Mailgun's "
                   "'Securing webhooks' docs (no official SDK verifies).")
    v.add("valid", secret=key, headers=hdr, body=delivery(valid), expected="accept",
          note="A delivered event; " + note_recipe)
    v.add("event_data_changed", secret=key, headers=hdr,
          body=delivery(valid, data={**event, "recipient": "mallory@example.com"}), expected="accept",
          note="The same signature block with other event data: Mailgun signs only timestamp + token, so this "
               "verifies. The replay store (keyed on the token) is what stops a captured block being reused.")
    v.add("token_changed", secret=key, headers=hdr, body=delivery({**valid, "token": seed.alnum(50).lower()}),
          expected="no_matching_signature", note="Another token under the same signature.")
    v.add("wrong_key", secret=key, headers=hdr, body=delivery(block(k=other)), expected="no_matching_signature",
          note="Signed with another account's key.")
    for offset, expected in ((-300, "accept"), (-301, "timestamp_too_old"), (301, "timestamp_too_new")):
        ts = NOW + offset
        v.add(f"timestamp_{'minus' if offset < 0 else 'plus'}_{abs(offset)}", secret=key, headers=hdr,
              body=delivery(block(ts=ts)), expected=expected,
              note=f"{abs(offset)} s {'old' if offset < 0 else 'ahead'}. Mailgun names no window; hookwarden's "
                   "Mailgun preset allows 300 s either way.")
    numeric = block()
    numeric["timestamp"] = NOW
    v.add("timestamp_as_number", secret=key, headers=hdr, body=delivery(numeric), expected="accept",
          note="The timestamp as a JSON number instead of Mailgun's string: read the same way.")
    v.add("timestamp_plus_sign", secret=key, headers=hdr, body=delivery(block(ts=f"+{NOW}")),
          expected="malformed_body", note="Signed over '+1700000000...': not canonical decimal seconds.")
    upper = block()
    upper["signature"] = upper["signature"].upper()
    v.add("signature_uppercase_hex", secret=key, headers=hdr, body=delivery(upper), expected="malformed_body",
          note="Uppercase hex: Mailgun's recipe compares hex strings, and hookwarden reads lowercase hex only.")
    v.add("missing_signature_object", secret=key, headers=hdr, body=delivery(None), expected="missing_body_field",
          note="No signature object.")
    no_token = block()
    del no_token["token"]
    v.add("missing_token", secret=key, headers=hdr, body=delivery(no_token), expected="missing_body_field",
          note="No signature.token.")
    v.add("only_parent_signature", secret=key, headers=hdr, body=delivery(None, extra={"parent-signature": block()}),
          expected="missing_body_field",
          note="A subaccount delivery stripped of its own signature: parent-signature is made with the parent "
               "account's key and is not read.")
    form_hdr = [["Content-Type", "application/x-www-form-urlencoded"]]
    legacy = block()
    form_body = (f"timestamp={NOW}&token={legacy['token']}&signature={legacy['signature']}").encode()
    v.add("form_encoded_legacy", secret=key, headers=form_hdr, body=form_body, expected="accept",
          note="A legacy form-encoded webhook: timestamp, token and signature as form fields; " + note_recipe)
    route = block()
    route_body = ("recipient=support%40example.com&sender=zoe%40example.com&subject=Re%3A+order+42"
                  f"&body-plain=Thanks%21&timestamp={NOW}&token={route['token']}&signature={route['signature']}"
                  "&stripped-text=Thanks%21").encode()
    v.add("form_encoded_route", secret=key, headers=form_hdr, body=route_body, expected="accept",
          note="An inbound route's forward() post: the message's fields, then the three signed ones; "
               + note_recipe)
    v.add("form_encoded_route_message_changed", secret=key, headers=form_hdr,
          body=route_body.replace(b"Thanks%21", b"Pay+me"), expected="accept",
          note="The message fields are not signed (only timestamp + token): this verifies, as the JSON form does.")
    v.add("form_encoded_wrong_key", secret=key, headers=form_hdr,
          body=route_body.replace(route["signature"].encode(), block(token=route["token"], k=other)["signature"].encode()),
          expected="no_matching_signature", note="The form signed with another account's key.")
    v.add("form_encoded_repeated_token", secret=key, headers=form_hdr,
          body=route_body + f"&token={seed.alnum(50).lower()}".encode(), expected="malformed_body",
          note="A second token field: which one was signed is ambiguous, so the form is refused.")
    v.add("form_encoded_missing_signature", secret=key, headers=form_hdr,
          body=f"timestamp={NOW}&token={legacy['token']}".encode(), expected="missing_body_field",
          note="No signature field.")
    stale = block(ts=NOW - 301)
    v.add("form_encoded_timestamp_minus_301", secret=key, headers=form_hdr,
          body=f"timestamp={NOW - 301}&token={stale['token']}&signature={stale['signature']}".encode(),
          expected="timestamp_too_old", note="301 s old, as in the JSON form.")
    return v


# ---------------------------------------------------------------------------
# Adyen classic notifications (python Adyen is_valid_hmac_notification)


def adyen_classic_vectors() -> VectorList:
    from Adyen.util import generate_notification_sig

    seed = Seeded("adyen-classic")
    key, other = seed.hex(32).upper(), seed.hex(32).upper()

    def signed(item: dict, k: str = key) -> dict:
        return {"additionalData": {"hmacSignature": generate_notification_sig(item, k).decode()}, **item}

    def notification(*items: dict) -> bytes:
        return compact_json({"live": "false", "notificationItems": [{"NotificationRequestItem": i} for i in items]})

    v = VectorList("adyen-classic")
    pub_key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
    pub_item = {"pspReference": "7914073381342284", "merchantReference": "TestPayment-1407325143704",
                "merchantAccountCode": "TestMerchant", "amount": {"currency": "EUR", "value": 1130},
                "eventCode": "AUTHORISATION", "success": "true", "eventDate": "2019-05-06T17:15:34.121+02:00",
                "operations": ["CANCEL", "CAPTURE", "REFUND"], "paymentMethod": "visa"}
    assert generate_notification_sig(pub_item, pub_key).decode() == "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="
    v.add("published_adyen_sdk_test", secret=pub_key, headers=[["Content-Type", "application/json"]],
          body=notification(signed(pub_item, pub_key)), expected="accept",
          note="The item of adyen-python-api-library test/UtilTest.py (providers.md §4.9), signing string "
               "'7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true', in a "
               "notification.")
    item = {"eventCode": "AUTHORISATION", "success": "true", "eventDate": "2023-11-14T22:13:20+01:00",
            "merchantAccountCode": "HookwardenECOM", "merchantReference": "order-" + seed.alnum(8),
            "originalReference": "", "pspReference": seed.alnum(16).upper(), "paymentMethod": "mc",
            "amount": {"currency": "EUR", "value": 4200}, "reason": "012345:1111:03/2030", "operations": ["CAPTURE"]}
    hdr = [["Content-Type", "application/json"]]
    good = signed(item)
    v.add("valid", secret=key, headers=hdr, body=notification(good), expected="accept",
          note="Signed by python Adyen util.generate_notification_sig.")
    v.add("signed_field_changed", secret=key, headers=hdr,
          body=notification({**good, "amount": {"currency": "EUR", "value": 1}}), expected="no_matching_signature",
          note="amount.value changed after signing.")
    v.add("unsigned_fields_changed", secret=key, headers=hdr,
          body=notification({**good, "reason": "forged", "paymentMethod": "visa", "eventDate": "2030-01-01T00:00:00Z"}),
          expected="accept",
          note="reason, paymentMethod and eventDate changed: they are not among the eight signed fields, so both "
               "accept. Do not trust them more than the signed fields.")
    v.add("wrong_key", secret=key, headers=hdr, body=notification(signed(item, other)),
          expected="no_matching_signature", note="Signed with another HMAC key.")
    v.add("missing_hmac_signature", secret=key, headers=hdr, body=notification(item), expected="missing_body_field",
          note="No additionalData.hmacSignature. The SDK returns None (not True): a rejection.")
    v.add("empty_hmac_signature", secret=key, headers=hdr,
          body=notification({**item, "additionalData": {"hmacSignature": ""}}), expected="malformed_body",
          note="An empty hmacSignature: the SDK raises ValueError.")
    second = signed({**item, "pspReference": seed.alnum(16).upper(), "amount": {"currency": "EUR", "value": 99}})
    v.add("batch_of_two_valid_items", secret=key, headers=hdr, body=notification(good, second),
          expected="malformed_body",
          note="Two correctly signed items in one request. One verdict cannot stand for several signatures, so "
               "hookwarden refuses the batch and AdyenClassic::items splits it for item-by-item verification. The "
               "python SDK checks the first item only and accepts; the npm integration validates every item and "
               "accepts.")
    forged = {**second, "amount": {"currency": "EUR", "value": 1_000_000}}
    v.add("batch_second_item_forged", secret=key, headers=hdr, body=notification(good, forged),
          expected="malformed_body",
          note="A genuine first item and a forged second one. The python SDK checks the first item only and "
               "accepts the request; the npm integration validates every item and rejects; hookwarden refuses the "
               "batch (split it and verify each item: the second fails).")
    as_string = {**item, "amount": {"currency": "EUR", "value": "4200"}}
    v.add("amount_value_as_string", secret=key, headers=hdr, body=notification(signed(as_string)),
          expected="malformed_body",
          note="amount.value as the string \"4200\". Python's str() and JavaScript's join() give the same "
               "signing string and the SDKs accept; hookwarden requires the number Adyen sends.")
    garbage = dict(good)
    garbage["additionalData"] = {"hmacSignature": good["additionalData"]["hmacSignature"] + "!!"}
    v.add("hmac_signature_trailing_garbage", secret=key, headers=hdr, body=notification(garbage),
          expected="malformed_body",
          note="The valid signature followed by '!!'. The npm library decodes base64 leniently (Buffer.from skips "
               "what is not base64) and accepts; the python SDK compares strings and rejects; hookwarden decodes "
               "strictly.")
    v.add("not_json", secret=key, headers=hdr, body=b"[accepted]", expected="malformed_body",
          note="Not JSON at all: both reject.")
    return v


BUILDERS = {
    "twilio": twilio_vectors,
    "twilio-shared-key": twilio_shared_key_vectors,
    "square": square_vectors,
    "hubspot": hubspot_vectors,
    "discord": discord_vectors,
    "sendgrid": sendgrid_vectors,
    "paddle": paddle_vectors,
    "razorpay": razorpay_vectors,
    "coinbase": coinbase_vectors,
    "adyen": adyen_vectors,
    "adyen-classic": adyen_classic_vectors,
    "mailgun": mailgun_vectors,
    "linear": linear_vectors,
    "mux": mux_vectors,
    "clerk": clerk_vectors,
    "resend": resend_vectors,
}
