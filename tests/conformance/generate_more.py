"""Vectors for the presets added with issue 19, and for the older presets that had only inline
tests (`older_presets()`). Run by hand; CI only reads the JSON files.

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
  GitLab signing tokens are Standard Webhooks: signed by python `standardwebhooks` `Webhook.sign`
  and judged by its `Webhook.verify` (its clock, `datetime.now`, pinned too).
- Every other provider ships no SDK that verifies its webhooks: its vectors are signed with
  Python `hmac` following the recipe of the documentation page named in the file's
  `generated_by` and in the preset's rustdoc, and record no SDK verdict. Of the older presets,
  Bitbucket, Calendly, DocuSign, Intercom, Lemon Squeezy, PagerDuty, Sentry, Twitch, Typeform,
  Vercel, WooCommerce, Xero and Zoom are such; GitLab's secret token and Okta's authentication
  secret are sent as they are (nothing is signed, so a changed body still verifies); and
  Standard Webhooks `v1a` (Ed25519) is signed with PyNaCl following the specification, as
  python `standardwebhooks` cannot sign or verify `v1a`.
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


def standard_webhooks_check(secret, h, body):
    import standardwebhooks.webhooks as module

    real, now = datetime.datetime, time.time()  # `judged` pinned time.time; this library reads datetime.now

    class Pinned(real):
        @classmethod
        def now(cls, tz=None):
            return real.fromtimestamp(now, tz=tz)

    with mock.patch.object(module, "datetime", Pinned):
        module.Webhook(secret).verify(body, h)


def sdk_version(dist):
    from importlib.metadata import version

    return version(dist)


# ---------------------------------------------------------------------------------------------
# One preset: what it needs, and the vectors every preset gets.


class Spec:
    def __init__(self, preset, sign, secret, other, body, *, docs, window=None, sdk=None, url=None,
                 signed_by="Python `hmac`, the documented recipe", extra=None, unread=(), unsigned_body=False):
        self.unread = set(unread)
        self.unsigned_body = unsigned_body
        self.preset, self.sign, self.secret, self.other, self.body = preset, sign, secret, other, body
        self.docs, self.window, self.sdk, self.url, self.signed_by = docs, window, sdk, url, signed_by
        self.extra = extra or (lambda add, spec: None)


# Why hookwarden's verdict differs from the SDK's, where it does.
EXPLAIN = {
    ("gocardless", "empty_body"): "gocardless-pro parses the events after the MAC matched, and an empty body is no "
                                  "JSON; the signature itself is good.",
    ("replicate", "empty_body"): "replicate refuses an empty body before it looks at the signature; the signature "
                                 "itself is good.",
    ("gitlab-signing", "empty_body"): "standardwebhooks `verify` JSON-parses the body after the MAC matched, and an "
                                      "empty body is no JSON; the signature itself is good.",
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
    add("valid", good, spec.body, "accept", f"{spec.signed_by}." if spec.unsigned_body else f"Signed by {spec.signed_by}.")
    if spec.unsigned_body:
        add("tampered_body", good, tamper(spec.body), "accept",
            "One body byte changed: the token proves only that the sender knows the secret, and nothing binds "
            "the body (the documented behaviour).")
    else:
        add("tampered_body", good, tamper(spec.body), "no_matching_signature", "One body byte changed.")
    if spec.other is not None:
        add("wrong_secret", spec.sign(spec.other, NOW, spec.body), spec.body, "no_matching_signature",
            "Signed with another secret.")
    for name, _ in good:
        rest = [h for h in good if h[0] != name]
        if name.lower() in spec.unread:
            add(f"missing_{name.lower()}", rest, spec.body, "accept",
                f"No {name}: hookwarden does not read it." if spec.unsigned_body else
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


# ---------------------------------------------------------------------------------------------
# The presets that had only inline tests before (Bitbucket ... Zoom, the token presets, and the
# two Standard Webhooks variants without a file of their own).


def combine(*extras):
    def extra(add, spec):
        for e in extras:
            e(add, spec)
    return extra


def bad_signature(header, prefix, encoding):
    """Malformed signature headers: truncated, without the provider's prefix, uppercase hex."""
    def extra(add, spec):
        value = dict(spec.sign(spec.secret, NOW, spec.body))[header]
        sig = value[len(prefix):]
        add("signature_truncated", [[header, prefix + sig[:-4]]], spec.body, "malformed_header",
            "The signature with its last four characters cut: not a whole MAC.")
        if prefix:
            add("signature_without_prefix", [[header, sig]], spec.body, "malformed_header",
                f"The MAC without the `{prefix}` the provider writes before it.")
        if encoding is HEX:
            add("signature_uppercase_hex", [[header, prefix + sig.upper()]], spec.body, "malformed_header",
                "Uppercase hex: the provider sends lowercase, and hookwarden reads lowercase hex only.")
        else:
            add("signature_hex_not_base64", [[header, prefix + base64.b64decode(sig).hex()]], spec.body,
                "malformed_header", "The MAC in hex where the provider sends base64.")
    return extra


def token_extra(header):
    def extra(add, spec):
        add("header_name_lowercase", [[header.lower(), spec.secret]], spec.body, "accept",
            "Header names are case-insensitive.")
        add("token_truncated", [[header, spec.secret[:-1]]], spec.body, "no_matching_signature",
            "The token without its last character.")
        add("token_other_case", [[header, spec.secret.upper()]], spec.body, "no_matching_signature",
            "The token in uppercase: compared byte for byte.")
        add("token_bearer_prefix", [[header, "Bearer " + spec.secret]], spec.body, "no_matching_signature",
            "`Bearer ` before the token: the provider sends the configured secret as it is.")
        add("empty_token", [[header, ""]], spec.body, "no_matching_signature", f"An empty {header}.")
    return extra


def older_presets():
    s = Seeded
    out = []

    def body_only(preset, header, prefix, encode, body, docs, *, alg=hashlib.sha256, secret=None, other=None,
                  extra=None, **kw):
        seed = s(preset)
        secret = secret or f"{preset}-secret-{seed.alnum(24)}"
        other = other or f"{preset}-secret-{seed.alnum(24)}"
        checks = bad_signature(header, prefix, encode)
        out.append(Spec(preset, body_mac(header, prefix, encode, alg), secret, other, body, docs=docs,
                        extra=combine(checks, extra) if extra else checks, **kw))

    body_only("bitbucket", "X-Hub-Signature", "sha256=", HEX,
              compact({"push": {"changes": [{"new": {"type": "branch", "name": "main"}}]}, "repository": {"full_name": "team/repo"}}),
              "https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/")
    body_only("intercom", "X-Hub-Signature", "sha1=", HEX,
              compact({"type": "notification_event", "id": "notif_" + s("intercom-body").uuid(), "topic": "conversation.user.created",
                       "app_id": "a86dr8yl", "created_at": NOW, "data": {"item": {"type": "conversation", "id": "147"}}}),
              "https://developers.intercom.com/docs/references/webhooks/webhook-models#signed-notifications", alg=hashlib.sha1)
    seed = s("lemon-squeezy")
    body_only("lemon-squeezy", "X-Signature", "", HEX,
              compact({"meta": {"event_name": "order_created", "webhook_id": s("lemon-body").uuid()}, "data": {"type": "orders", "id": "1"}}),
              "https://docs.lemonsqueezy.com/help/webhooks/signing-requests",
              secret=seed.alnum(32), other=seed.alnum(32),
              extra=lambda add, spec: add("unsigned_event_name_header",
                                          spec.sign(spec.secret, NOW, spec.body) + [["X-Event-Name", "order_created"]],
                                          spec.body, "accept", "X-Event-Name is not signed and not read."))
    seed = s("sentry")
    body_only("sentry", "Sentry-Hook-Signature", "", HEX,
              compact({"action": "created", "data": {"issue": {"id": "1170820242"}}, "installation": {"uuid": s("sentry-body").uuid()}}),
              "https://docs.sentry.io/integrations/integration-platform/webhooks/",
              secret=seed.bytes(32).hex(), other=seed.bytes(32).hex(),
              extra=lambda add, spec: add("unsigned_timestamp_header",
                                          spec.sign(spec.secret, NOW, spec.body) + [["Sentry-Hook-Timestamp", str(NOW - 86400)]],
                                          spec.body, "accept",
                                          "Sentry-Hook-Timestamp (a day old here) is not signed, so it is not read."))
    body_only("typeform", "Typeform-Signature", "sha256=", B64,
              compact({"event_id": "01GT6CVWDTB6BG5N3M8JHNPRH8", "event_type": "form_response",
                       "form_response": {"form_id": "lT4Z3j", "submitted_at": "2023-11-14T22:13:20Z"}}),
              "https://www.typeform.com/developers/webhooks/secure-your-webhooks/")
    body_only("vercel", "x-vercel-signature", "", HEX,
              compact({"id": "evt_" + s("vercel-body").alnum(22), "type": "deployment.created", "createdAt": NOW * 1000,
                       "payload": {"deployment": {"id": "dpl_2qE6Jx"}}}),
              "https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks", alg=hashlib.sha1)

    def woo_ping(add, spec):
        add("creation_ping_unsigned", [["X-WC-Webhook-ID", "42"]], b"webhook_id=42", "missing_header",
            "The ping WooCommerce sends when a webhook is created carries no signature.")

    body_only("woocommerce", "X-WC-Webhook-Signature", "", B64,
              compact({"id": 727, "status": "processing", "currency": "EUR", "total": "42.00", "date_created": "2023-11-14T22:13:20"}),
              "https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks", extra=woo_ping)
    seed = s("xero")
    body_only("xero", "x-xero-signature", "", B64,
              compact({"events": [{"resourceId": s("xero-body").uuid(), "eventCategory": "INVOICE", "eventType": "UPDATE",
                                   "eventDateUtc": "2023-11-14T22:13:20.000"}], "firstEventSequence": 1, "lastEventSequence": 1,
                       "entropy": "S0m3r4Nd0mt3xt"}),
              "https://developer.xero.com/documentation/guides/webhooks/configuring-your-server",
              secret=b64(seed.bytes(66)), other=b64(seed.bytes(66)),
              signed_by="Python `hmac` keyed with the webhook key's text (not base64-decoded), the documented recipe")

    # PagerDuty: a list of `v1=` entries, one per secret during a rotation.
    def pagerduty_extra(add, spec):
        good = spec.sign(spec.secret, NOW, spec.body)[0][1]
        other = spec.sign(spec.other, NOW, spec.body)[0][1]
        add("rotation_list", [["X-PagerDuty-Signature", f"{other},{good}"]], spec.body, "accept",
            "Two `v1=` entries, one per secret during a rotation; the second matches.")
        add("other_version_skipped", [["X-PagerDuty-Signature", f"v2=abc,{good}"]], spec.body, "accept",
            "An entry of another version is skipped.")

    body_only("pagerduty", "X-PagerDuty-Signature", "v1=", HEX,
              compact({"event": {"id": "01DEN4HPBQAJ8VM5CBOHDXTK6A", "event_type": "incident.triggered",
                                 "occurred_at": "2023-11-14T22:13:20.000Z", "data": {"id": "PGR0VU2"}}}),
              "https://developer.pagerduty.com/docs/webhooks/webhook-signatures/", extra=pagerduty_extra)

    # DocuSign: X-DocuSign-Signature-1, -2, ...: one per active Connect key.
    def docusign(secret, ts, body):
        return [["X-DocuSign-Signature-1", b64(mac(hashlib.sha256, secret.encode(), body))]]

    def docusign_extra(add, spec):
        good = docusign(spec.secret, NOW, spec.body)[0][1]
        other = docusign(spec.other, NOW, spec.body)[0][1]
        add("second_key_matches", [["X-DocuSign-Signature-1", other], ["X-DocuSign-Signature-2", good]], spec.body,
            "accept", "Two active Connect keys: the second header holds this key's signature.")
        add("only_second_header", [["X-DocuSign-Signature-2", good]], spec.body, "missing_header",
            "X-DocuSign-Signature-1 is always sent; without it the request is refused. Disagrees with: the documented "
            "recipe, which compares each X-DocuSign-Signature-N header with the MAC and would accept the second.")
        add("secret_base64_decoded", [["X-DocuSign-Signature-1", b64(mac(hashlib.sha256, base64.b64decode(spec.secret), spec.body))]],
            spec.body, "no_matching_signature", "Signed with the base64-decoded key: DocuSign uses the key's text.")

    seed = s("docusign")
    out.append(Spec("docusign", docusign, b64(seed.bytes(32)), b64(seed.bytes(32)),
                    compact({"event": "envelope-completed", "apiVersion": "v2.1", "uri": "/restapi/v2.1/accounts/1/envelopes/2",
                             "generatedDateTime": "2023-11-14T22:13:20.0000000Z", "data": {"envelopeId": s("docusign-body").uuid()}}),
                    docs="https://developers.docusign.com/platform/webhooks/connect/validate",
                    signed_by="Python `hmac` keyed with the Connect key's text (not base64-decoded), the documented recipe",
                    extra=combine(bad_signature("X-DocuSign-Signature-1", "", B64), docusign_extra)))

    # Timestamped presets.
    seed = s("calendly")

    def calendly_extra(add, spec):
        sig = dict(spec.sign(spec.secret, NOW, spec.body))["Calendly-Webhook-Signature"].split(",v1=")[1]
        add("v1_before_t", [["Calendly-Webhook-Signature", f"v1={sig},t={NOW}"]], spec.body, "accept",
            "The same items in the other order: Calendly's sample code splits the header into a map.")
        add("no_signature", [["Calendly-Webhook-Signature", f"t={NOW}"]], spec.body, "no_matching_signature",
            "A timestamp alone: no `v1` to check.")
        add("signature_uppercase_hex", [["Calendly-Webhook-Signature", f"t={NOW},v1={sig.upper()}"]], spec.body,
            "malformed_header", "Uppercase hex: the provider sends lowercase, and hookwarden reads lowercase hex only.")

    out.append(Spec("calendly", inline("Calendly-Webhook-Signature", "t", "v1", ",", seconds, lambda t, b: t.encode() + b"." + b),
                    seed.alnum(43), seed.alnum(43),
                    compact({"created_at": "2023-11-14T22:13:20.000000Z", "created_by": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
                             "event": "invitee.created", "payload": {"email": "test@example.com", "status": "active"}}),
                    docs="https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures", window=(180, 180),
                    extra=calendly_extra))

    def zoom_extra(add, spec):
        sign = spec.sign
        good = sign(spec.secret, NOW, spec.body)
        sig = good[1][1][len("v0="):]
        add("signature_without_prefix", [good[0], ["x-zm-signature", sig]], spec.body, "malformed_header",
            "The MAC without `v0=`.")
        add("signature_uppercase_hex", [good[0], ["x-zm-signature", "v0=" + sig.upper()]], spec.body, "malformed_header",
            "Uppercase hex: the provider sends lowercase, and hookwarden reads lowercase hex only.")
        millis_signed = stamped_headers("x-zm-request-timestamp", "x-zm-signature", "v0=", HEX,
                                        lambda t, b: b"v0:" + t.encode() + b":" + b, millis)(spec.secret, NOW, spec.body)
        add("timestamp_in_milliseconds", millis_signed, spec.body, "timestamp_too_new",
            "Signed correctly over a millisecond timestamp: read as seconds, it lies far in the future. Zoom documents "
            "no window, so its recipe alone would accept it; hookwarden allows five minutes either way.")
        add("timestamp_not_a_number", [["x-zm-request-timestamp", "now"], good[1]], spec.body, "malformed_header",
            "A timestamp that is not a number.")

    seed = s("zoom")
    out.append(Spec("zoom", stamped_headers("x-zm-request-timestamp", "x-zm-signature", "v0=", HEX,
                                            lambda t, b: b"v0:" + t.encode() + b":" + b, seconds),
                    seed.alnum(22), seed.alnum(22),
                    compact({"event": "meeting.started", "payload": {"account_id": "AAAAAABBBB", "object": {"id": "1234567890"}},
                             "event_ts": NOW * 1000}),
                    docs="https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events", window=(300, 300),
                    extra=zoom_extra))

    twitch_id = s("twitch-id").uuid()

    def twitch(secret, ts, body, msg_id=twitch_id, text=None):
        text = text or rfc3339(ts)[:-1] + ".123456789Z"
        sig = mac(hashlib.sha256, secret.encode(), msg_id.encode() + text.encode() + body).hex()
        return [["Twitch-Eventsub-Message-Id", msg_id], ["Twitch-Eventsub-Message-Timestamp", text],
                ["Twitch-Eventsub-Message-Signature", "sha256=" + sig], ["Twitch-Eventsub-Message-Type", "notification"]]

    def twitch_extra(add, spec):
        good = twitch(spec.secret, NOW, spec.body)
        add("id_changed", [["Twitch-Eventsub-Message-Id", s("twitch-other-id").uuid()]] + good[1:], spec.body,
            "no_matching_signature", "Another message id under the same signature: the id is signed.")
        add("timestamp_whole_seconds", twitch(spec.secret, NOW, spec.body, text=rfc3339(NOW)), spec.body, "accept",
            "An RFC 3339 timestamp without a fraction, signed as sent.")
        add("timestamp_unix_seconds", twitch(spec.secret, NOW, spec.body, text=str(NOW)), spec.body, "malformed_header",
            "Unix seconds where Twitch sends RFC 3339.")
        sig = good[2][1][len("sha256="):]
        add("signature_uppercase_hex", good[:2] + [["Twitch-Eventsub-Message-Signature", "sha256=" + sig.upper()]] + good[3:],
            spec.body, "malformed_header",
            "Uppercase hex: the provider sends lowercase, and hookwarden reads lowercase hex only.")

    seed = s("twitch")
    out.append(Spec("twitch", twitch, f"twitch-secret-{seed.alnum(24)}", f"twitch-secret-{seed.alnum(24)}",
                    compact({"subscription": {"id": s("twitch-sub").uuid(), "type": "channel.follow", "version": "2"},
                             "event": {"user_name": "cool_user", "followed_at": "2023-11-14T22:13:20.123456789Z"}}),
                    docs="https://dev.twitch.tv/docs/eventsub/handling-webhook-events/", window=(600, 300),
                    unread=("twitch-eventsub-message-type",), extra=twitch_extra,
                    signed_by="Python `hmac` over id, timestamp (nanoseconds, as Twitch sends it) and body, the documented recipe"))

    # Standard Webhooks, asymmetric: `v1a,<base64 Ed25519 signature>`, key `whpk_<base64>`.
    import nacl.signing

    ed_key = nacl.signing.SigningKey(s("standard-webhooks-ed25519").bytes(32))
    ed_other = nacl.signing.SigningKey(s("standard-webhooks-ed25519-other").bytes(32))
    ed_id = "msg_2Lh9KRb0pAoDYa7Z4MJiQ2XYwd5"

    def ed_sig(key, ts, body, msg_id=ed_id):
        return b64(key.sign(f"{msg_id}.{ts}.".encode() + body).signature)

    def ed25519(_, ts, body):
        return [["webhook-id", ed_id], ["webhook-timestamp", str(ts)], ["webhook-signature", "v1a," + ed_sig(ed_key, ts, body)]]

    def ed_public(key):
        return "whpk_" + b64(bytes(key.verify_key))

    def ed_extra(add, spec):
        good = ed25519(None, NOW, spec.body)
        mine, theirs = ed_sig(ed_key, NOW, spec.body), ed_sig(ed_other, NOW, spec.body)
        add("other_public_key", good, spec.body, "no_matching_signature", "Verified with another sender's public key.",
            secret=ed_public(ed_other))
        add("rotation_second_matches", good[:2] + [["webhook-signature", f"v1a,{theirs} v1a,{mine}"]], spec.body, "accept",
            "Two space-separated `v1a` entries (a key rotation); the second matches.")
        add("v1_entry_skipped", good[:2] + [["webhook-signature", f"v1,{b64(bytes(32))} v1a,{mine}"]], spec.body, "accept",
            "A symmetric `v1` entry beside the `v1a` one (a migration): it is skipped.")
        add("v1_only", good[:2] + [["webhook-signature", f"v1,{b64(bytes(32))}"]], spec.body, "no_matching_signature",
            "Only a symmetric `v1` entry: nothing this key can check.")
        add("id_changed", [["webhook-id", "msg_other"]] + good[1:], spec.body, "no_matching_signature",
            "Another webhook-id under the same signature: the id is signed.")
        add("signature_truncated", good[:2] + [["webhook-signature", "v1a," + b64(base64.b64decode(mine)[:32])]], spec.body,
            "malformed_header", "32 bytes where an Ed25519 signature has 64.")

    out.append(Spec("standard-webhooks-ed25519", ed25519, ed_public(ed_key), None,
                    compact({"type": "invoice.paid", "timestamp": "2023-11-14T22:13:20Z", "data": {"id": "inv_1"}}),
                    docs="https://www.standardwebhooks.com/ (the specification's asymmetric `v1a` signatures)", window=(300, 300),
                    signed_by="PyNaCl (Ed25519) over `{id}.{timestamp}.{body}`, the specification's recipe: python "
                              "`standardwebhooks` has no `v1a` support",
                    extra=ed_extra))

    # GitLab signing tokens: Standard Webhooks (`whsec_...`), judged by python standardwebhooks.
    seed = s("gitlab-signing")
    out.append(Spec("gitlab-signing", standard_webhooks(lambda k: k), "whsec_" + b64(seed.bytes(24)), "whsec_" + b64(seed.bytes(24)),
                    compact({"object_kind": "push", "ref": "refs/heads/main", "project": {"path_with_namespace": "group/project"}}),
                    docs="https://docs.gitlab.com/user/project/integrations/webhooks/", window=(300, 300),
                    sdk=("python standardwebhooks", judged(standard_webhooks_check), "standardwebhooks"),
                    signed_by="python standardwebhooks `Webhook.sign`"))

    # Token presets: the secret itself in a header; nothing is signed.
    seed = s("gitlab")
    gitlab_secret, gitlab_other = f"glwt-{seed.alnum(24)}", f"glwt-{seed.alnum(24)}"

    def gitlab(secret, ts, body):
        return [["X-Gitlab-Token", secret], ["X-Gitlab-Event", "Push Hook"]]

    out.append(Spec("gitlab", gitlab, gitlab_secret, gitlab_other,
                    compact({"object_kind": "push", "ref": "refs/heads/main", "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"}),
                    docs="https://docs.gitlab.com/user/project/integrations/webhooks/", unread=("x-gitlab-event",),
                    unsigned_body=True, extra=token_extra("X-Gitlab-Token"),
                    signed_by="The secret token in X-Gitlab-Token, as GitLab sends it"))
    seed = s("okta")
    out.append(Spec("okta", lambda secret, ts, body: [["Authorization", secret]], f"okta-{seed.alnum(32)}", f"okta-{seed.alnum(32)}",
                    compact({"eventType": "com.okta.event_hook", "eventId": s("okta-body").uuid(),
                             "data": {"events": [{"uuid": s("okta-event").uuid(), "eventType": "user.session.start"}]}}),
                    docs="https://help.okta.com/en-us/content/topics/automation-hooks/event-hooks-main.htm",
                    unsigned_body=True, extra=token_extra("Authorization"),
                    signed_by="The authentication secret in Okta's default authentication field, Authorization, as Okta sends it"))
    return out


# The presets whose official SDK verifies: their oracle, for `--check-ours`.
ORACLES = {
    "openai": ("python openai", judged(openai_check)),
    "replicate": ("python replicate", judged(replicate_check)),
    "polar": ("python polar-sdk", judged(polar_check)),
    "workos": ("python workos", judged(workos_check)),
    "gocardless": ("python gocardless-pro", judged(gocardless_check)),
    "box": ("python box-sdk-gen", judged(box_check)),
    "gitlab-signing": ("python standardwebhooks", judged(standard_webhooks_check)),
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
    if preset == "gitlab-signing":
        try:
            json.loads(text)
        except ValueError:
            return "standardwebhooks JSON-parses the body after the MAC matched, and it is no JSON"
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
    for spec in specs() + older_presets():
        data = build(spec)
        assert data["vectors"][0]["expected"] == "accept"
        if spec.sdk:
            assert data["vectors"][0]["sdk"][spec.sdk[0]] == "accept", (spec.preset, data["vectors"][0])
        (OUT / f"{spec.preset}.json").write_text(json.dumps(data, indent=1) + "\n")
        disagree = [v["name"] for v in data["vectors"] if "Disagrees with" in v["note"]]
        print(f"{spec.preset}: {len(data['vectors'])} vectors" + (f", disagreements: {disagree}" if disagree else ""))


if __name__ == "__main__":
    main()
