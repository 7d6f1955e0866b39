"""Vectors for the presets added with issue 19 (run by hand; CI only reads the JSON files).

    python3 -m venv /tmp/sdk && /tmp/sdk/bin/pip install -r requirements-more.txt
    /tmp/sdk/bin/python generate_more.py            # writes vectors/<preset>.json
    cargo run -p tests --bin sign-vectors           # hookwarden's own `sign`: ours/<preset>.json
    /tmp/sdk/bin/python generate_more.py --check-ours   # the SDKs judge what hookwarden signed

Every vector is signed at NOW = 1700000000 with a seeded secret and body, so a second run with
the same SDK versions writes the same files. Who signs and who judges:

- Providers with an official SDK that verifies (PyPI): the SDK judges every vector, in-process,
  with `time.time` pinned to the vector's `now`; its verdict is in each vector's `sdk`:
    openai     openai `client.webhooks.verify_signature` (tolerance 300)
    replicate  replicate `Webhooks.validate` (tolerance 300, which it checks only when asked)
    polar      polar-sdk `polar.webhooks._verify_signature` (what `validate_event` calls before
               it parses the payload into its typed models)
    workos     workos `webhooks.verify_header` (its default tolerance, 180 s)
    gocardless gocardless-pro `webhooks.parse`
    telnyx     telnyx `lib.webhook_verification.verify_webhook_signature` (PyNaCl)
    box        box-sdk-gen `WebhooksManager.validate_message`
  OpenAI, Replicate and Polar vectors are signed by python `standardwebhooks` `Webhook.sign`
  (Polar's key: the secret's own bytes, which Polar's SDK hands to Standard Webhooks
  base64-encoded); Telnyx's by PyNaCl; the others by Python `hmac` with the provider's recipe.
- Every other provider ships no SDK that verifies its webhooks: its vectors are signed with
  Python `hmac` following the recipe of the documentation page named in the file's
  `generated_by` and in the preset's rustdoc, and record no SDK verdict.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import random
import string
import time
from pathlib import Path
from unittest import mock

NOW = 1_700_000_000
HERE = Path(__file__).resolve().parent
OUT = HERE / "vectors"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def tamper(body: bytes) -> bytes:
    i = len(body) // 2
    return body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1:]


class Seeded:
    def __init__(self, label: str):
        self.rng = random.Random(label)

    def alnum(self, n: int) -> str:
        return "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(n))

    def bytes(self, n: int) -> bytes:
        return bytes(self.rng.randrange(256) for _ in range(n))

    def uuid(self) -> str:
        h = self.bytes(16).hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def rfc3339(unix: int) -> str:
    return datetime.datetime.fromtimestamp(unix, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Recipes: how each preset signs, as (headers for (secret, ts, body)) functions.


def mac(alg, key: bytes, msg: bytes) -> bytes:
    return hmac.new(key, msg, alg).digest()


def body_mac(header, prefix, encode, alg=hashlib.sha256, key=str.encode):
    def sign(secret, ts, body):
        return [[header, prefix + encode(mac(alg, key(secret), body))]]
    return sign


HEX, B64 = bytes.hex, b64


def stamped_headers(ts_header, sig_header, prefix, encode, content, fmt):
    def sign(secret, ts, body):
        text = fmt(ts)
        return [[ts_header, text], [sig_header, prefix + encode(mac(hashlib.sha256, secret.encode(), content(text, body)))]]
    return sign


def inline(header, ts_key, sig_key, sep, fmt, content):
    def sign(secret, ts, body):
        text = fmt(ts)
        sig = mac(hashlib.sha256, secret.encode(), content(text, body)).hex()
        return [[header, f"{ts_key}={text}{sep}{sig_key}={sig}"]]
    return sign


def seconds(ts):
    return str(ts)


def millis(ts):
    return str(ts * 1000)


def standard_webhooks(key_of):
    """Signed by python standardwebhooks; `key_of(secret)` is the secret that library takes."""
    from standardwebhooks.webhooks import Webhook

    def sign(secret, ts, body, msg_id="msg_2Lh9KRb0pAoDYa7Z4MJiQ2XYwd5"):
        sig = Webhook(key_of(secret)).sign(msg_id, datetime.datetime.fromtimestamp(ts, datetime.timezone.utc), body.decode())
        return [["webhook-id", msg_id], ["webhook-timestamp", str(ts)], ["webhook-signature", sig]]
    return sign


def telnyx_sign(secret_seed: bytes):
    import nacl.signing

    key = nacl.signing.SigningKey(secret_seed)

    def sign(_, ts, body):
        sig = key.sign(f"{ts}|".encode() + body).signature
        return [["telnyx-timestamp", str(ts)], ["telnyx-signature-ed25519", b64(sig)]]
    return sign, b64(bytes(key.verify_key))


# ---------------------------------------------------------------------------------------------
# SDK oracles: verdict of the provider's own verifier on (secret, headers, body, now).


def headers_dict(headers):
    names = [n.lower() for n, _ in headers]
    if len(set(names)) != len(names):
        return None  # a dict cannot hold a repeated header: the SDK cannot be asked
    return {n.lower(): v for n, v in headers}


def judged(check):
    def oracle(secret, headers, body, now, url=None):
        h = headers_dict(headers)
        if h is None:
            return "n/a"
        with mock.patch("time.time", return_value=float(now)):
            try:
                ok = check(secret, h, body)
            except Exception:  # every SDK here raises its own error types for a rejection
                return "reject"
        return "reject" if ok is False else "accept"
    return oracle


def openai_check(secret, h, body):
    import openai

    openai.OpenAI(api_key="sk-unused", webhook_secret=secret).webhooks.verify_signature(body, h, tolerance=300)


def replicate_check(secret, h, body):
    from replicate.webhook import Webhooks, WebhookSigningSecret

    Webhooks.validate(headers=h, body=body.decode(), secret=WebhookSigningSecret(key=secret), tolerance=300)


def polar_check(secret, h, body):
    from polar.webhooks import _verify_signature

    _verify_signature(body.decode(), h, secret)


def workos_check(secret, h, body):
    from workos.webhooks._resource import Webhooks

    Webhooks(None).verify_header(event_body=body, event_signature=h.get("workos-signature", ""), secret=secret)


def gocardless_check(secret, h, body):
    from gocardless_pro import webhooks

    webhooks.parse(body, secret, h.get("webhook-signature", ""))


def telnyx_check(secret, h, body):
    from telnyx.lib.webhook_verification import verify_webhook_signature

    verify_webhook_signature(body, h, secret)


def box_check(secret, h, body):
    from box_sdk_gen.managers.webhooks import WebhooksManager

    return WebhooksManager.validate_message(body.decode(), h, secret)


def sdk_version(dist):
    from importlib.metadata import version

    return version(dist)


# ---------------------------------------------------------------------------------------------
# One preset: what it needs, and the vectors every preset gets.


class Spec:
    def __init__(self, preset, sign, secret, other, body, *, docs, window=None, sdk=None, url=None,
                 signed_by="Python `hmac`, the documented recipe", extra=None, unread=()):
        self.unread = set(unread)
        self.preset, self.sign, self.secret, self.other, self.body = preset, sign, secret, other, body
        self.docs, self.window, self.sdk, self.url, self.signed_by = docs, window, sdk, url, signed_by
        self.extra = extra or (lambda add, spec: None)


# Why hookwarden's verdict differs from the SDK's, where it does.
EXPLAIN = {
    ("gocardless", "empty_body"): "gocardless-pro parses the events after the MAC matched, and an empty body is no "
                                  "JSON; the signature itself is good.",
    ("replicate", "empty_body"): "replicate refuses an empty body before it looks at the signature; the signature "
                                 "itself is good.",
    ("workos", "no_space_after_comma"): "workos splits on `, ` exactly.",
    ("box", "missing_box-signature-version"): "box-sdk-gen returns no signature when the version is not `1`.",
    ("box", "missing_box-signature-algorithm"): "box-sdk-gen returns no signature when the algorithm is not "
                                                "`HmacSHA256`.",
    ("box", "newest_accepted"): "Box's SDK refuses any timestamp after its clock (see `slightly_future`).",
    ("box", "secondary_matches"): "The SDK was given only this vector's key, as `primary_key`, so it checks "
                                  "`box-signature-secondary` against no key; hookwarden checks every signature "
                                  "against every configured key.",
}


def build(spec: Spec) -> dict:
    vectors = []

    def add(name, headers, body, expected, note, *, now=NOW, secret=None):
        secret = spec.secret if secret is None else secret
        v = {"name": name, "secret": secret, "now": now, "headers": headers, "body_base64": b64(body)}
        if spec.url:
            v["url"] = spec.url
        if spec.sdk:
            label, oracle, _ = spec.sdk
            verdict = oracle(secret, headers, body, now, spec.url)
            v["sdk"] = {label: verdict}
            want = "accept" if expected == "accept" else "reject"
            if verdict not in (want, "n/a"):
                why = EXPLAIN.get((spec.preset, name.split(":")[0]))
                note += (f" {why}" if why else "") + f" Disagrees with: {label} ({verdict})."
        v["expected"] = expected
        v["note"] = note
        vectors.append(v)

    good = spec.sign(spec.secret, NOW, spec.body)
    add("valid", good, spec.body, "accept", f"Signed by {spec.signed_by}.")
    add("tampered_body", good, tamper(spec.body), "no_matching_signature", "One body byte changed.")
    if spec.other is not None:
        add("wrong_secret", spec.sign(spec.other, NOW, spec.body), spec.body, "no_matching_signature",
            "Signed with another secret.")
    for name, _ in good:
        rest = [h for h in good if h[0] != name]
        if name.lower() in spec.unread:
            add(f"missing_{name.lower()}", rest, spec.body, "accept",
                f"No {name}: hookwarden does not read it (a delivery signed another way fails on its MAC).")
            continue
        add(f"missing_{name.lower()}", rest, spec.body, "missing_header", f"No {name}.")
        add(f"repeated_{name.lower()}", good + [[name, dict(good)[name]]], spec.body, "duplicate_header",
            f"{name} twice (an SDK reading a dictionary cannot be asked).")
    empty = spec.sign(spec.secret, NOW, b"")
    add("empty_body", empty, b"", "accept", "An empty body, signed like any other.")
    if spec.window is not None:
        past, future = spec.window
        add("oldest_accepted", good, spec.body, "accept", f"Verified {past} s after signing: the window's edge.",
            now=NOW + past)
        add("too_old", good, spec.body, "timestamp_too_old", f"Verified {past + 1} s after signing.",
            now=NOW + past + 1)
        add("newest_accepted", good, spec.body, "accept", f"Verified {future} s before the signed time.",
            now=NOW - future)
        add("too_new", good, spec.body, "timestamp_too_new", f"Verified {future + 1} s before the signed time.",
            now=NOW - future - 1)
    spec.extra(add, spec)
    sdks = {}
    if spec.sdk:
        sdks[spec.sdk[0]] = sdk_version(spec.sdk[2])
    return {
        "preset": spec.preset,
        "generated_by": f"tests/conformance/generate_more.py ({spec.docs})",
        "sdks": sdks,
        "vectors": vectors,
    }


def specs():
    s = Seeded
    out = []

    def simple(preset, header, prefix, encode, body, docs, *, alg=hashlib.sha256, key=str.encode, secret=None, **kw):
        seed = s(preset)
        secret = secret or f"{preset}-secret-{seed.alnum(24)}"
        other = f"{preset}-secret-{seed.alnum(24)}" if key is str.encode else b64(seed.bytes(30))
        out.append(Spec(preset, body_mac(header, prefix, encode, alg, key), secret, other, body, docs=docs, **kw))

    def upper_hex(header, prefix):
        def extra(add, spec):
            (name, value), = [h for h in spec.sign(spec.secret, NOW, spec.body) if h[0] == header]
            add("signature_uppercase_hex", [[name, prefix + value[len(prefix):].upper()]], spec.body, "malformed_header",
                "Uppercase hex: the provider sends lowercase, and hookwarden reads lowercase hex only.")
        return extra

    simple("meta", "X-Hub-Signature-256", "sha256=", HEX,
           compact({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp"}}]}]}),
           "https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications",
           extra=upper_hex("X-Hub-Signature-256", "sha256="))
    simple("heroku", "Heroku-Webhook-Hmac-SHA256", "", B64,
           compact({"id": s("heroku-body").uuid(), "action": "update", "resource": "release", "data": {"version": 42}}),
           "https://devcenter.heroku.com/articles/app-webhooks#securing-webhook-requests")
    seed = s("airtable-key")
    out.append(Spec("airtable", body_mac("X-Airtable-Content-MAC", "hmac-sha256=", HEX, key=base64.b64decode),
                    b64(seed.bytes(30)), b64(seed.bytes(30)),
                    compact({"base": {"id": "appXXXXXXXXXXXXXX"}, "webhook": {"id": "achXXXXXXXXXXXXXX"}, "timestamp": "2023-11-14T22:13:20.000Z"}),
                    docs="https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery",
                    signed_by="Python `hmac` keyed with the base64-decoded `macSecretBase64`, the documented recipe"))
    simple("hcp-terraform", "X-TFE-Notification-Signature", "", HEX,
           compact({"payload_version": 1, "notification_configuration_id": "nc-AeUQ2zfKZzW9TiGZ", "run_id": "run-AbCd", "notifications": [{"trigger": "run:completed"}]}),
           "https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity",
           alg=hashlib.sha512)
    simple("gocardless", "Webhook-Signature", "", HEX,
           compact({"events": [{"id": "EV123", "created_at": "2023-11-14T22:13:20.000Z", "resource_type": "mandates", "action": "cancelled", "links": {"mandate": "MD123"}}], "meta": {"webhook_id": "WB123"}}),
           "https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks",
           sdk=("python gocardless-pro", judged(gocardless_check), "gocardless_pro"),
           signed_by="Python `hmac`, the recipe of gocardless-pro `webhooks._verify_signature`")
    simple("notion", "X-Notion-Signature", "sha256=", HEX,
           compact({"id": s("notion-body").uuid(), "timestamp": "2024-12-05T23:55:34.285Z", "workspace_id": "13950b26", "type": "page.created", "entity": {"id": "153104cd", "type": "page"}}),
           "https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended")
    simple("cal-com", "X-Cal-Signature-256", "", HEX,
           compact({"triggerEvent": "BOOKING_CREATED", "createdAt": "2023-11-14T22:13:20.000Z", "payload": {"uid": "bFJeNb2uX8ANpT3JL5EfXw"}}),
           "https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload")
    simple("segment", "X-Signature", "", HEX,
           compact({"type": "track", "event": "Order Completed", "messageId": "ajs-next-1700000000000-4f2d1b9e", "userId": "u-42"}),
           "https://segment.com/docs/connections/destinations/catalog/webhooks/#authentication", alg=hashlib.sha1)
    seed = s("teams-key")
    out.append(Spec("microsoft-teams", body_mac("Authorization", "HMAC ", B64, key=base64.b64decode),
                    b64(seed.bytes(30)), b64(seed.bytes(30)),
                    compact({"type": "message", "id": "1700000000000", "text": "<at>Hookwarden</at> ping", "from": {"id": "29:1"}}),
                    docs="https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook",
                    signed_by="Python `hmac` keyed with the base64-decoded security token, the documented recipe"))
    simple("dropbox", "X-Dropbox-Signature", "", HEX,
           compact({"list_folder": {"accounts": ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]}, "delta": {"users": [12345678]}}),
           "https://www.dropbox.com/developers/reference/webhooks#documentation")
    simple("asana", "X-Hook-Signature", "", HEX,
           compact({"events": [{"user": {"gid": "1234"}, "created_at": "2023-11-14T22:13:20.000Z", "action": "changed", "resource": {"gid": "5678", "resource_type": "task"}}]}),
           "https://developers.asana.com/docs/webhooks-guide#security")
    simple("x", "x-twitter-webhooks-signature", "sha256=", B64,
           compact({"for_user_id": "2244994945", "tweet_create_events": [{"id_str": "1725000000000000000", "text": "hello"}]}),
           "https://docs.x.com/x-api/webhooks/introduction")
    simple("gitea", "X-Gitea-Signature", "", HEX, compact({"ref": "refs/heads/main", "repository": {"full_name": "gitea/webhooks"}}),
           "https://docs.gitea.com/usage/webhooks")
    simple("gogs", "X-Gogs-Signature", "", HEX, compact({"ref": "refs/heads/master", "repository": {"full_name": "unknwon/webhooks"}}),
           "https://gogs.io/docs/features/webhook")
    simple("jira", "X-Hub-Signature", "sha256=", HEX, compact({"timestamp": 1700000000000, "webhookEvent": "jira:issue_updated", "issue": {"id": "10002", "key": "HW-2"}}),
           "https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks")
    simple("launchdarkly", "X-LD-Signature", "", HEX, compact({"_id": "5f0c7a1b2c3d4e5f6a7b8c9d", "kind": "flag", "name": "new-checkout"}),
           "https://launchdarkly.com/docs/home/connections/webhooks#signing-webhooks")
    simple("hookdeck", "X-Hookdeck-Signature", "", B64, compact({"type": "order.created", "data": {"id": "ord_1"}}),
           "https://hookdeck.com/docs/authentication#hookdeck-webhook-signature-verification")
    simple("pusher", "X-Pusher-Signature", "", HEX, compact({"time_ms": 1700000000000, "events": [{"name": "channel_occupied", "channel": "presence-room-1"}]}),
           "https://pusher.com/docs/channels/server_api/webhooks/#authentication")
    simple("mailersend", "Signature", "", HEX, compact({"type": "activity.sent", "data": {"id": "62fb66bef54a112e920b5493", "type": "sent"}}),
           "https://developers.mailersend.com/api/v1/webhooks.html#security")

    def circleci(secret, ts, body):
        return [["circleci-signature", "v1=" + mac(hashlib.sha256, secret.encode(), body).hex()]]

    def circleci_extra(add, spec):
        good = circleci(spec.secret, NOW, spec.body)[0][1]
        other = circleci(spec.other, NOW, spec.body)[0][1]
        add("rotation_list", [["circleci-signature", f"{other},{good}"]], spec.body, "accept",
            "Two `v1=` entries, one per secret during a rotation; the second matches.")
        add("other_version_skipped", [["circleci-signature", f"v2=abc,{good}"]], spec.body, "accept",
            "An entry of another version is skipped.")

    seed = s("circleci")
    out.append(Spec("circleci", circleci, f"circleci-{seed.alnum(24)}", f"circleci-{seed.alnum(24)}",
                    compact({"id": seed.uuid(), "type": "workflow-completed", "workflow": {"status": "success"}}),
                    docs="https://circleci.com/docs/webhooks/#validate-webhooks", extra=circleci_extra))

    trello_url = "https://hooks.example.com/trello?board=4d5ea62f"

    def trello(secret, ts, body):
        return [["X-Trello-Webhook", b64(mac(hashlib.sha1, secret.encode(), body + trello_url.encode()))]]

    seed = s("trello")
    out.append(Spec("trello", trello, seed.alnum(64), seed.alnum(64),
                    compact({"action": {"id": "51f9424bcd6e040f3c002412", "type": "updateCard"}, "model": {"id": "4d5ea62fd76aa1136000000c"}}),
                    docs="https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures", url=trello_url,
                    signed_by="Python `hmac` over the body and the callback URL, the documented recipe"))

    mandrill_url = "https://hooks.example.com/mandrill"

    def mandrill_params(body: bytes):
        from urllib.parse import parse_qsl

        return sorted(parse_qsl(body.decode(), keep_blank_values=True))

    def mandrill(secret, ts, body):
        signed = mandrill_url + "".join(k + v for k, v in mandrill_params(body))
        return [["X-Mandrill-Signature", b64(mac(hashlib.sha1, secret.encode(), signed.encode()))]]

    def mandrill_extra(add, spec):
        body = b"b=x%26y&a=1+2"
        add("two_params_sorted", mandrill(spec.secret, NOW, body), body, "accept",
            "Parameters signed decoded and sorted by name, whatever their order in the body.")
        add("broken_escape", mandrill(spec.secret, NOW, b"a=1"), b"a=%zz", "malformed_body", "A broken `%` escape.")

    from urllib.parse import quote_plus

    seed = s("mandrill")
    events = json.dumps([{"event": "send", "_id": seed.alnum(32), "ts": NOW, "msg": {"email": "example.webhook@mandrillapp.com"}}],
                        separators=(",", ":"))
    out.append(Spec("mandrill", mandrill, seed.alnum(22), seed.alnum(22), ("mandrill_events=" + quote_plus(events)).encode(),
                    docs="https://mailchimp.com/developer/transactional/guides/track-respond-activity-webhooks/#authenticating-webhook-requests",
                    url=mandrill_url, extra=mandrill_extra,
                    signed_by="Python `hmac` over the URL and the sorted, decoded parameters, the documented recipe"))

    # Timestamped presets.
    def stamped(preset, sign, body, docs, window, **kw):
        seed = s(preset)
        out.append(Spec(preset, sign, f"{preset}-secret-{seed.alnum(24)}", f"{preset}-secret-{seed.alnum(24)}", body,
                        docs=docs, window=window, **kw))

    stamped("zendesk", stamped_headers("X-Zendesk-Webhook-Signature-Timestamp", "X-Zendesk-Webhook-Signature", "", B64,
                                       lambda t, b: t.encode() + b, rfc3339),
            compact({"type": "zen:event-type:ticket.created", "id": "01HF3K5Y5ZQ8W9X4V2R7T6N1M0", "detail": {"id": "35436"}}),
            "https://developer.zendesk.com/documentation/webhooks/verifying/", (300, 300))
    stamped("webflow", stamped_headers("x-webflow-timestamp", "x-webflow-signature", "", HEX,
                                       lambda t, b: t.encode() + b":" + b, millis),
            compact({"triggerType": "form_submission", "payload": {"name": "Contact Us", "id": "6321ca84df3949bfc6752327"}}),
            "https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures", (300, 300))
    stamped("frame-io", stamped_headers("X-Frameio-Request-Timestamp", "X-Frameio-Signature", "v0=", HEX,
                                        lambda t, b: b"v0:" + t.encode() + b":" + b, seconds),
            compact({"type": "asset.created", "resource": {"type": "asset", "id": "9cbd3a6f"}}),
            "https://developer.frame.io/docs/automations-webhooks/webhooks-overview#security-and-verification", (300, 300))
    stamped("customer-io", stamped_headers("X-CIO-Timestamp", "X-CIO-Signature", "", HEX,
                                           lambda t, b: b"v0:" + t.encode() + b":" + b, seconds),
            compact({"event_id": "01E4C4HDQ7HB0S4BB4AGGWTW1R", "object_type": "email", "metric": "delivered"}),
            "https://docs.customer.io/api/webhooks/#section/Securely-Verifying-Requests", (300, 300))
    stamped("lob", stamped_headers("Lob-Signature-Timestamp", "Lob-Signature", "", HEX,
                                   lambda t, b: t.encode() + b"." + b, seconds),
            compact({"id": "evt_d95ff8ffd2b5cfb4", "event_type": {"id": "letter.delivered"}, "object": "event"}),
            "https://help.lob.com/developer-docs/webhooks#security", (300, 300))
    stamped("tiktok", inline("TikTok-Signature", "t", "s", ",", seconds, lambda t, b: t.encode() + b"." + b),
            compact({"client_key": "bwo2m45353a6k85", "event": "video.publish.completed", "create_time": NOW}),
            "https://developers.tiktok.com/doc/webhooks-verification", (300, 300))

    def workos_extra(add, spec):
        sig = mac(hashlib.sha256, spec.secret.encode(), f"{NOW * 1000}.".encode() + spec.body).hex()
        add("no_space_after_comma", [["WorkOS-Signature", f"t={NOW * 1000},v1={sig}"]], spec.body, "accept",
            "`t=...,v1=...` without the space WorkOS writes: hookwarden strips spaces around items.")

    stamped("workos", inline("WorkOS-Signature", "t", "v1", ", ", millis, lambda t, b: t.encode() + b"." + b),
            compact({"id": "event_01HF3K5Y5ZQ8W9X4V2R7T6N1M0", "event": "user.created", "data": {"id": "user_01E4ZCR3C56J083X43JQXF3JK5"}}),
            "https://workos.com/docs/events/data-syncing/webhooks", (180, 180),
            sdk=("python workos", judged(workos_check), "workos"),
            signed_by="Python `hmac`, the recipe of workos `webhooks.verify_header`", extra=workos_extra)
    stamped("buildkite", inline("X-Buildkite-Signature", "timestamp", "signature", ",", seconds, lambda t, b: t.encode() + b"." + b),
            compact({"event": "build.finished", "build": {"id": "f62a1b4d-10f9-4790-bc1c-e2c3a0c80983", "state": "passed"}}),
            "https://buildkite.com/docs/apis/webhooks#webhook-signature", (300, 300))

    def recurly(secret, ts, body):
        return [["recurly-signature", f"{ts * 1000}," + mac(hashlib.sha256, secret.encode(), f"{ts * 1000}.".encode() + body).hex()]]

    def recurly_extra(add, spec):
        good = recurly(spec.secret, NOW, spec.body)[0][1]
        other = recurly(spec.other, NOW, spec.body)[0][1].split(",")[1]
        add("rotation_two_signatures", [["recurly-signature", f"{good.split(',')[0]},{other},{good.split(',')[1]}"]], spec.body,
            "accept", "One signature per active key; the second matches.")
        add("no_signature", [["recurly-signature", f"{NOW * 1000}"]], spec.body, "malformed_header", "A timestamp alone.")

    stamped("recurly", recurly, compact({"id": "ts6ijhz1n8kh", "object_type": "subscription", "event_type": "created"}),
            "https://docs.recurly.com/recurly-subscriptions/docs/signature-verification", (300, 300), extra=recurly_extra)

    def box(secret, ts, body):
        text = rfc3339(ts)
        sig = b64(mac(hashlib.sha256, secret.encode(), body + text.encode()))
        return [["box-signature-version", "1"], ["box-signature-algorithm", "HmacSHA256"],
                ["BOX-DELIVERY-TIMESTAMP", text], ["BOX-SIGNATURE-PRIMARY", sig]]

    def box_extra(add, spec):
        good = box(spec.secret, NOW, spec.body)
        by_other = box(spec.other, NOW, spec.body)[3][1]
        headers = good[:3] + [["BOX-SIGNATURE-PRIMARY", by_other], ["BOX-SIGNATURE-SECONDARY", good[3][1]]]
        add("secondary_matches", headers, spec.body, "accept",
            "The primary signature is another key's; the secondary header matches (Box's rotation).")
        add("slightly_future", good, spec.body, "accept",
            "Box's SDK refuses any timestamp after its clock; hookwarden allows one minute, for clocks a little "
            "behind Box's.", now=NOW - 30)

    seed = s("box")
    out.append(Spec("box", box, seed.alnum(32), seed.alnum(32),
                    compact({"type": "webhook_event", "id": seed.uuid(), "trigger": "FILE.UPLOADED", "source": {"id": "12345", "type": "file"}}),
                    docs="https://developer.box.com/guides/webhooks/v2/signatures-v2/", window=(600, 60),
                    sdk=("python box-sdk-gen", judged(box_check), "box-sdk-gen"),
                    signed_by="Python `hmac`, the recipe of box-sdk-gen `compute_webhook_signature`", extra=box_extra,
                    unread=("box-signature-version", "box-signature-algorithm")))

    tsign, public = telnyx_sign(s("telnyx").bytes(32))
    _, other_public = telnyx_sign(s("telnyx-other").bytes(32))
    out.append(Spec("telnyx", tsign, public, None,
                    compact({"data": {"event_type": "call.initiated", "id": s("telnyx-body").uuid(), "payload": {"call_control_id": "v3:abc"}}}),
                    docs="https://developers.telnyx.com/docs/messaging/messages/receiving-webhooks#webhook-signing", window=(300, 300),
                    sdk=("python telnyx", judged(telnyx_check), "telnyx"), signed_by="PyNaCl (the SDK verifies with PyNaCl)",
                    extra=lambda add, spec: add("other_public_key", tsign(None, NOW, spec.body), spec.body, "no_matching_signature",
                                                "Verified with another account's public key.", secret=other_public)))

    # Standard Webhooks senders.
    def sw(preset, key_of, secret, other, sdk, dist, docs, signed_by):
        out.append(Spec(preset, standard_webhooks(key_of), secret, other,
                        compact({"type": "response.completed", "data": {"id": "resp_abc"}}) if preset == "openai"
                        else compact({"type": "order.paid", "data": {"id": "ord_1"}}) if preset == "polar"
                        else compact({"id": "ufawqhfynnddngldkgtslldrkq", "status": "succeeded"}),
                        docs=docs, window=(300, 300), sdk=(sdk[0], judged(sdk[1]), dist), signed_by=signed_by))

    seed = s("standard-webhooks-senders")
    sw("openai", lambda k: k, "whsec_" + b64(seed.bytes(24)), "whsec_" + b64(seed.bytes(24)), ("python openai", openai_check),
       "openai", "https://platform.openai.com/docs/guides/webhooks", "python standardwebhooks `Webhook.sign`")
    sw("replicate", lambda k: k, "whsec_" + b64(seed.bytes(24)), "whsec_" + b64(seed.bytes(24)), ("python replicate", replicate_check),
       "replicate", "https://replicate.com/docs/topics/webhooks/verify-webhook", "python standardwebhooks `Webhook.sign`")
    sw("polar", lambda k: b64(k.encode()), "polar_whs_" + seed.alnum(43), "polar_whs_" + seed.alnum(43),
       ("python polar-sdk", polar_check), "polar-sdk", "https://polar.sh/docs/integrate/webhooks/delivery",
       "python standardwebhooks `Webhook.sign` keyed with the base64 of the secret, as Polar's SDK does")
    return out


# The presets whose official SDK verifies: their oracle, for `--check-ours`.
ORACLES = {
    "openai": ("python openai", judged(openai_check)),
    "replicate": ("python replicate", judged(replicate_check)),
    "polar": ("python polar-sdk", judged(polar_check)),
    "workos": ("python workos", judged(workos_check)),
    "gocardless": ("python gocardless-pro", judged(gocardless_check)),
    "box": ("python box-sdk-gen", judged(box_check)),
}


def known_limitation(preset: str, name: str, body: bytes) -> str | None:
    """Why an SDK cannot judge a delivery hookwarden signed, where it cannot."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return "the SDK decodes the body as UTF-8"
    if preset == "gocardless" and '"events"' not in text:
        return "gocardless-pro reads the body's `events` list after the MAC matched, and it has none"
    if preset == "replicate" and not text:
        return "replicate refuses an empty body before it looks at the signature"
    return None


def check_ours() -> int:
    """Asks each SDK to verify what hookwarden's `sign` wrote (`ours/<preset>.json`, from
    `cargo run -p tests --bin sign-vectors`). Exit status 1 on any rejection."""
    failed = 0
    for preset, (label, oracle) in ORACLES.items():
        data = json.loads((HERE / "ours" / f"{preset}.json").read_text())
        for v in data["vectors"]:
            body = base64.b64decode(v["body_base64"])
            verdict = oracle(v["secret"], v["headers"], body, v["now"], v.get("url"))
            why = known_limitation(preset, v["name"], body)
            if verdict == "accept":
                status = "ok"
            elif why:
                status = f"skip ({why})"
            else:
                status, failed = "FAIL", failed + 1
            print(f"{preset}/{v['name']}: {label}: {verdict}: {status}")
    print(f"check-ours: {failed} failed")
    return 1 if failed else 0


def main():
    import sys

    if sys.argv[1:] == ["--check-ours"]:
        sys.exit(check_ours())
    for spec in specs():
        data = build(spec)
        assert data["vectors"][0]["expected"] == "accept"
        if spec.sdk:
            assert data["vectors"][0]["sdk"][spec.sdk[0]] == "accept", (spec.preset, data["vectors"][0])
        (OUT / f"{spec.preset}.json").write_text(json.dumps(data, indent=1) + "\n")
        disagree = [v["name"] for v in data["vectors"] if "Disagrees with" in v["note"]]
        print(f"{spec.preset}: {len(data['vectors'])} vectors" + (f", disagreements: {disagree}" if disagree else ""))


if __name__ == "__main__":
    main()
