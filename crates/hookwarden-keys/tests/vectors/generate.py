#!/usr/bin/env python3
"""Writes vectors.json for hookwarden-keys' tests: SNS, PayPal and JWKS deliveries signed with a
test RSA key and certificate made here with openssl (the providers' own keys cannot sign).

Bodies follow the example messages of AWS's "Amazon SNS message and JSON formats" page and
PayPal's webhook event example; the signatures are made with `openssl dgst -sign` over each
provider's documented signed string. Only the standard library and the openssl CLI are used.
The SNS URLs are sns.us-west-2.amazonaws.com ones, which the tests route to their loopback
server; PayPal's PAYPAL-CERT-URL is a placeholder the tests replace (it is not signed).

Each vector then gets the verdicts of verifiers written by others, run by judge.mjs (npm, pinned
in package.json; `npm ci` first): AWS's SNS message validator (npm sns-validator) for SNS, panva's
jose for the JWTs. PayPal's SDKs verify by calling PayPal's verify-webhook-signature API, so no
SDK can judge PayPal vectors offline: they follow PayPal's documented recipe only.

Run from this folder: npm ci && python3 generate.py (it writes key.pem and cert.pem when absent,
and vectors.json).
"""

import base64
import json
import subprocess
import zlib
from pathlib import Path

HERE = Path(__file__).parent


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def sign(digest, message: bytes) -> str:
    return base64.b64encode(openssl("dgst", f"-{digest}", "-sign", str(HERE / "key.pem"), data=message)).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


if not (HERE / "key.pem").exists():
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(HERE / "key.pem"),
            "-out", str(HERE / "cert.pem"), "-days", "36500", "-subj", "/CN=hookwarden-keys test signer")
cert = (HERE / "cert.pem").read_text()

# The tests route this host to their loopback server, so the default SNS policy is what runs.
SNS_CERT_URL = "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-hookwarden-test.pem"

# --- SNS -------------------------------------------------------------------------------------
NOTIFICATION = {
    "Type": "Notification",
    "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
    "Subject": "My First Message",
    "Message": "Hello world!",
    "Timestamp": "2012-05-02T00:54:06.655Z",
    "SignatureVersion": "1",
    "SigningCertURL": SNS_CERT_URL,
    "UnsubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96",
}
CONFIRMATION = {
    "Type": "SubscriptionConfirmation",
    "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
    "TopicArn": "arn:aws:sns:us-west-2:123456789012:MyTopic",
    "Message": "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
    "SubscribeURL": "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
    "Timestamp": "2012-04-26T20:45:04.751Z",
    "SignatureVersion": "1",
    "SigningCertURL": SNS_CERT_URL,
}


def canonical(msg):
    if msg["Type"] == "Notification":
        names = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        names = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{n}\n{msg[n]}\n" for n in names if n in msg).encode()


def sns_signed(msg, version):
    msg = dict(msg, SignatureVersion=version)
    msg["Signature"] = sign("sha1" if version == "1" else "sha256", canonical(msg))
    return msg


sns = []
v1 = sns_signed(NOTIFICATION, "1")
sns.append({"name": "notification_v1", "message": v1, "expected": "accept",
            "note": "AWS's example notification, SignatureVersion 1 (SHA1withRSA)."})
sns.append({"name": "notification_v2", "message": sns_signed(NOTIFICATION, "2"), "expected": "accept",
            "note": "The same, SignatureVersion 2 (SHA256withRSA)."})
no_subject = {k: v for k, v in NOTIFICATION.items() if k != "Subject"}
sns.append({"name": "notification_without_subject", "message": sns_signed(no_subject, "2"), "expected": "accept",
            "note": "No Subject: the line is left out of the canonical string."})
sns.append({"name": "subscription_confirmation", "message": sns_signed(CONFIRMATION, "1"), "expected": "accept",
            "note": "AWS's example SubscriptionConfirmation (SubscribeURL and Token signed)."})
UNSUBSCRIBE = dict(CONFIRMATION, Type="UnsubscribeConfirmation", MessageId="47138184-6831-46b8-8f7c-afc488602d7d",
                   Message="You have chosen to deactivate subscription arn:aws:sns:us-west-2:123456789012:MyTopic:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.",
                   Timestamp="2012-04-26T20:06:41.581Z")
sns.append({"name": "unsubscribe_confirmation", "message": sns_signed(UNSUBSCRIBE, "1"), "expected": "accept",
            "note": "AWS's example UnsubscribeConfirmation, signed over the confirmation fields as AWS's docs list them "
                    "(SubscribeURL and Token included), as aws-sdk-ruby's Aws::SNS::MessageVerifier does too; npm sns-validator "
                    "signs UnsubscribeConfirmation with the Notification fields instead."})
# A message published an hour after the certificate's notBefore, for the freshness window.
import datetime
not_before = openssl("x509", "-in", str(HERE / "cert.pem"), "-noout", "-startdate").decode().strip().split("=", 1)[1]
published = datetime.datetime.strptime(not_before, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=datetime.timezone.utc)
published += datetime.timedelta(hours=1)
fresh = dict(NOTIFICATION, MessageId="0d4d1f44-3a6c-4d8b-9a55-5c1b0e0c7a10",
             Timestamp=published.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
sns.append({"name": "notification_fresh", "message": sns_signed(fresh, "2"), "expected": "accept",
            "now": int(published.timestamp()) + 60,
            "note": "Published an hour after the certificate became valid, verified a minute later: inside the "
                    "default one-day window (the tests also move the clock past it)."})
sns.append({"name": "message_changed", "message": dict(v1, Message="Hello mallory!"),
            "expected": "no_matching_signature", "note": "Message changed after signing."})
sns.append({"name": "version_swapped", "message": dict(v1, SignatureVersion="2"),
            "expected": "no_matching_signature", "note": "A v1 signature announced as v2."})
sns.append({"name": "subject_removed", "message": {k: v for k, v in v1.items() if k != "Subject"},
            "expected": "no_matching_signature", "note": "Subject dropped after signing."})
sns.append({"name": "other_topic", "message": sns_signed(dict(NOTIFICATION, TopicArn="arn:aws:sns:us-west-2:999999999999:Theirs"), "2"),
            "expected": "not_for_this_receiver", "note": "Authentic, but another account's topic: sns-validator checks no "
                    "topic, hookwarden-keys only accepts the topics it is given."})
sns.append({"name": "unknown_version", "message": dict(v1, SignatureVersion="3"), "expected": "malformed",
            "note": "SignatureVersion 3 does not exist."})

# --- PayPal ----------------------------------------------------------------------------------
WEBHOOK_ID = "8PT597110X687430LKGECATA"
event = {"id": "WH-2WR32451HC0233532-67976317FL4543714", "create_time": "2014-10-23T17:23:52Z",
         "resource_type": "sale", "event_type": "PAYMENT.SALE.COMPLETED",
         "summary": "A successful sale payment was made for $ 0.48 USD",
         "resource": {"id": "4RR959492F879224U", "state": "completed",
                      "amount": {"total": "-0.01", "currency": "USD"}}}
body = json.dumps(event, separators=(",", ":")).encode()
tid, ttime = "103e3700-8b0c-11e6-8695-6b62a8a99ac4", "2016-10-05T14:57:40Z"


def paypal_sig(transmission_id, time, webhook_id, data):
    return sign("sha256", f"{transmission_id}|{time}|{webhook_id}|{zlib.crc32(data)}".encode())


def paypal_headers(sig, algo="SHA256withRSA"):
    return [["PAYPAL-TRANSMISSION-ID", tid], ["PAYPAL-TRANSMISSION-TIME", ttime],
            ["PAYPAL-TRANSMISSION-SIG", sig], ["PAYPAL-CERT-URL", "CERT_URL"], ["PAYPAL-AUTH-ALGO", algo]]




def crc_collision(template: bytes, marker: bytes, target: int) -> bytes:
    """`template` with `marker` (a run of '`') turned into '`'/'a' letters so that the whole has
    CRC32 `target`: CRC32 is affine over GF(2), so 32 independent bit flips reach any value."""
    start = template.index(marker)
    flips = []
    base = zlib.crc32(template)
    for i in range(len(marker)):
        flipped = bytearray(template)
        flipped[start + i] ^= 1  # '`' (0x60) <-> 'a' (0x61)
        flips.append((zlib.crc32(bytes(flipped)) ^ base, i))
    # Gaussian elimination: keep a basis of flip effects, each with the positions it combines.
    basis = []  # (effect, positions)
    for effect, i in flips:
        positions = {i}
        for b_effect, b_positions in basis:
            if effect ^ b_effect < effect:
                effect ^= b_effect
                positions ^= b_positions
        if effect:
            basis.append((effect, positions))
            basis.sort(key=lambda item: -item[0])
    need, chosen = base ^ target, set()
    for b_effect, b_positions in basis:
        if need ^ b_effect < need:
            need ^= b_effect
            chosen ^= b_positions
    assert need == 0, "the flips do not span CRC32's 32 bits"
    out = bytearray(template)
    for i in chosen:
        out[start + i] ^= 1
    assert zlib.crc32(bytes(out)) == target
    return bytes(out)


good = paypal_sig(tid, ttime, WEBHOOK_ID, body)
forged_event = dict(event, id="WH-FORGED0000000000-0000000000000000", summary="A sale of $ 9999.00 USD",
                    pad="`" * 48)
forged = crc_collision(json.dumps(forged_event, separators=(",", ":")).encode(), b"`" * 48, zlib.crc32(body))
paypal = [
    {"name": "valid", "headers": paypal_headers(good), "body": body.decode(), "expected": "accept",
     "note": "PayPal's example PAYMENT.SALE.COMPLETED event, signed over id|time|webhook id|crc32(body)."},
    {"name": "body_changed", "headers": paypal_headers(good), "body": body.decode().replace("0.48", "9.48"),
     "expected": "no_matching_signature", "note": "The body's CRC32 changes."},
    {"name": "other_webhook", "headers": paypal_headers(paypal_sig(tid, ttime, "OTHERWEBHOOKID", body)),
     "body": body.decode(), "expected": "no_matching_signature", "note": "Signed for another webhook id."},
    {"name": "crc32_collision", "headers": paypal_headers(good), "body": forged.decode(), "expected": "accept",
     "note": "Another event (other id, other summary) made to have the original body's CRC32: PayPal signs the "
             "CRC32 of the body, not a hash, so this verifies. The replay key is the signed transmission id, the "
             "same as the original's, so a receiver with a replay store processes only one of the two."},
    {"name": "other_algorithm", "headers": paypal_headers(good, "SHA1withRSA"), "body": body.decode(),
     "expected": "malformed", "note": "Only SHA256withRSA is taken."},
]

# --- JWT against a JWKS ------------------------------------------------------------------------
modulus = bytes.fromhex(openssl("rsa", "-in", str(HERE / "key.pem"), "-noout", "-modulus").decode().split("=")[1].strip())
jwks = {"keys": [{"kty": "RSA", "kid": "test-1", "use": "sig", "alg": "RS256", "n": b64url(modulus), "e": "AQAB"}]}


def jwt(claims, kid="test-1", alg="RS256"):
    head = b64url(json.dumps({"alg": alg, "typ": "JWT", "kid": kid}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{head}.{payload}".encode()
    sig = base64.b64decode(sign("sha256", signing_input))
    return f"{head}.{payload}.{b64url(sig)}"


import hashlib

jbody = b'{"event":"order.paid","order":42}'
claims = {"iss": "https://issuer.test", "aud": "hookwarden-app", "exp": 4102444800, "iat": 1700000000,
          "jti": "evt_0001", "email": "pusher@hookwarden-test.iam.gserviceaccount.com",
          "body_sha256": hashlib.sha256(jbody).hexdigest()}
token = jwt(claims)
jwts = [
    {"name": "valid", "token": token, "body": jbody.decode(), "expected": "accept", "note": "RS256, exp in 2100."},
    {"name": "body_changed", "token": token, "body": jbody.decode().replace("42", "43"),
     "expected": "no_matching_signature", "note": "The body no longer hashes to the body_sha256 claim (jose checks the "
     "token only; the body claim is the receiver's check)."},
    {"name": "other_audience", "token": jwt(dict(claims, aud="someone-else")), "body": jbody.decode(),
     "expected": "not_for_this_receiver", "note": "aud is another receiver."},
    {"name": "other_issuer", "token": jwt(dict(claims, iss="https://evil.test")), "body": jbody.decode(),
     "expected": "not_for_this_receiver", "note": "iss is another issuer."},
    {"name": "second_issuer", "token": jwt(dict(claims, iss="issuer.test")), "body": jbody.decode(),
     "expected": "accept", "note": "The receiver accepts two spellings of its issuer (as Google's two)."},
    {"name": "other_email", "token": jwt(dict(claims, email="someone@else.test")), "body": jbody.decode(),
     "expected": "not_for_this_receiver",
     "note": "A required claim differs (Pub/Sub's push service account); jose is not told of it."},
    {"name": "expired", "token": jwt(dict(claims, exp=1700000000)), "body": jbody.decode(),
     "expected": "timestamp_too_old", "note": "exp in 2023."},
    {"name": "unknown_kid", "token": jwt(claims, kid="test-9"), "body": jbody.decode(), "expected": "bad_key",
     "note": "No key of the set has this kid (the set is fetched again once)."},
    {"name": "payload_swapped", "token": token.split(".")[0] + "." + jwt(dict(claims, aud="x")).split(".")[1] + "." + token.split(".")[2],
     "body": jbody.decode(), "expected": "no_matching_signature", "note": "Another payload under the valid signature."},
    {"name": "alg_none", "token": b64url(b'{"alg":"none","kid":"test-1"}') + "." + token.split(".")[1] + ".",
     "body": jbody.decode(), "expected": "malformed", "note": "alg none is never taken."},
    {"name": "alg_hs256_with_public_key", "token": b64url(b'{"alg":"HS256","kid":"test-1"}') + "." + token.split(".")[1] + ".x",
     "body": jbody.decode(), "expected": "malformed", "note": "HMAC algorithms are never taken (key confusion)."},
]


def judged(doc):
    """Adds each judging verifier's verdict, and a note where it differs from ours."""
    result = json.loads(subprocess.run(["node", str(HERE / "judge.mjs")], input=json.dumps(doc).encode(),
                                       capture_output=True, check=True).stdout)
    for kind, sdk in (("sns", "npm sns-validator"), ("jwt", "npm jose")):
        for vector, verdict in zip(doc[kind], result[kind]):
            vector["sdk"] = {sdk: verdict["verdict"]}
            ours = "accept" if vector["expected"] == "accept" else "reject"
            if verdict["verdict"] != ours:
                vector["note"] += f" Disagrees with: {sdk} ({verdict['verdict']}: {verdict['detail']})."
    doc["sdks"] = result["versions"]
    return doc


out = {"generated_by": "crates/hookwarden-keys/tests/vectors/generate.py (openssl " +
       openssl("version").decode().split()[1] + ")",
       "certificate_pem": cert, "sns_topic": NOTIFICATION["TopicArn"], "sns": sns,
       "paypal_webhook_id": WEBHOOK_ID, "paypal": paypal,
       "jwt_issuer": claims["iss"], "jwt_second_issuer": "issuer.test", "jwt_email": claims["email"],
       "jwt_audience": claims["aud"], "jwks": jwks, "jwt": jwts,
       "sns_cert_url": SNS_CERT_URL}
out = judged(out)
(HERE / "vectors.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote vectors.json:", len(sns), "sns,", len(paypal), "paypal,", len(jwts), "jwt")
