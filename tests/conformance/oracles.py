"""Run the providers' official SDKs as verification oracles.

Shared by generate.py (which records each SDK's verdict in the vectors) and check_ours.py
(which feeds vectors made by hookwarden's own signer back through the SDKs).

A request is a dict with: preset, name, secret, now (unix seconds), headers (list of
[name, value] pairs, names may repeat) and body_base64. A verdict is "accept", "reject" or
"n/a" (the SDK's API cannot take this request at all, e.g. repeated headers for an SDK that
takes a dict).

Python SDKs run in-process; npm SDKs run in generate_node.mjs (one `node` process per batch).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import importlib.metadata
import json
import subprocess
import sys
import types
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
NODE_SCRIPT = HERE / "generate_node.mjs"

# Which official SDKs judge each preset. The key is also the label used in the JSON files.
PYTHON_SDKS = {
    "standard-webhooks": ["python standardwebhooks"],
    "svix": ["python svix"],
    "stripe": ["python stripe"],
    "github": [],
    "slack": ["python slack-sdk"],
    "shopify": [],
    "twilio": ["python twilio"],
    "twilio-shared-key": ["python twilio"],
    "square": ["python squareup"],
    "hubspot": ["python hubspot-api-client"],
    "discord": ["python discord-interactions"],
    "sendgrid": ["python sendgrid"],
    "paddle": ["python paddle-python-sdk"],
    "razorpay": ["python razorpay"],
    "coinbase": ["python coinbase-commerce"],
    "adyen": ["python Adyen"],
    "adyen-classic": ["python Adyen"],
    "mailgun": [],
    "linear": [],
    "mux": [],
    "clerk": [],
    "resend": [],
}
NODE_SDKS = {
    "standard-webhooks": ["npm standardwebhooks"],
    "svix": ["npm svix"],
    "stripe": ["npm stripe"],
    "github": ["npm @octokit/webhooks-methods"],
    "slack": [],
    "shopify": ["npm @shopify/shopify-api"],
    "twilio": ["npm twilio"],
    "twilio-shared-key": ["npm twilio"],
    "square": ["npm square"],
    "hubspot": ["npm @hubspot/api-client"],
    "discord": ["npm discord-interactions"],
    "sendgrid": ["npm @sendgrid/eventwebhook"],
    "paddle": ["npm @paddle/paddle-node-sdk"],
    "razorpay": ["npm razorpay"],
    "coinbase": [],
    "adyen": ["npm @adyen/api-library"],
    "adyen-classic": ["npm @adyen/api-library"],
    "mailgun": [],
    "linear": ["npm @linear/sdk"],
    "mux": ["npm @mux/mux-node"],
    "clerk": ["npm @clerk/backend"],
    "resend": ["npm resend"],
}
PRESETS = list(PYTHON_SDKS)
PYPI_PACKAGE = {
    "python standardwebhooks": "standardwebhooks",
    "python svix": "svix",
    "python stripe": "stripe",
    "python slack-sdk": "slack-sdk",
    "python twilio": "twilio",
    "python squareup": "squareup",
    "python hubspot-api-client": "hubspot-api-client",
    "python discord-interactions": "discord-interactions",
    "python sendgrid": "sendgrid",
    "python paddle-python-sdk": "paddle-python-sdk",
    "python razorpay": "razorpay",
    "python coinbase-commerce": "coinbase-commerce",
    "python Adyen": "Adyen",
}


def sdks_for(preset: str) -> list[str]:
    return PYTHON_SDKS[preset] + NODE_SDKS[preset]


def body_of(request: dict) -> bytes:
    return base64.b64decode(request["body_base64"], validate=True)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# ---------------------------------------------------------------------------
# Known SDK limitations: cases where an SDK's "reject" says nothing about the signature.
# check_ours.py skips these instead of calling them disagreements.

# SDKs that refuse an empty body before looking at the signature.
REFUSES_EMPTY_BODY = {
    "npm @octokit/webhooks-methods": "verify() throws on an empty payload",
    "npm @shopify/shopify-api": "validate() returns MissingBody for an empty body",
    "python squareup": "verify_signature() returns False for an empty body before computing anything",
}
# SDKs that JSON-parse the body after the MAC has matched, so a non-JSON body fails there.
PARSES_JSON_AFTER_MAC = {
    "npm svix": "svix 1.x JSON-parses the body after the MAC matches (2.x does not)",
    "npm @clerk/backend": "verifyWebhook() calls standardwebhooks verify() with its JSON parsing on, then reads "
    "`.type` of the result (undefined for an empty body)",
    "npm resend": "webhooks.verify() calls standardwebhooks verify() with its JSON parsing on",
}


def is_json(data: bytes) -> bool:
    try:
        json.loads(data)
        return True
    except ValueError:
        return False


def known_limitation(sdk: str, request: dict) -> str | None:
    """Why this SDK cannot be expected to accept this (correctly signed) request, or None."""
    body = body_of(request)
    if not is_utf8(body):
        return "SDK works on text and decodes the body as UTF-8 first; a non-UTF-8 body cannot verify"
    if not body and sdk in REFUSES_EMPTY_BODY:
        return REFUSES_EMPTY_BODY[sdk]
    if sdk in PARSES_JSON_AFTER_MAC and not is_json(body):
        return PARSES_JSON_AFTER_MAC[sdk] + "; this body is not JSON"
    return None


# ---------------------------------------------------------------------------
# Python adapters


def _python_headers(request: dict) -> dict[str, str] | None:
    """Headers as the dict the Python SDKs take; None if a name repeats (a dict cannot hold that)."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for name, value in request["headers"]:
        if name.lower() in seen:
            return None
        seen.add(name.lower())
        out[name] = value
    return out


def _header(headers: dict[str, str], wanted: str) -> str | None:
    """Case-insensitive lookup, as every web framework offers."""
    for name, value in headers.items():
        if name.lower() == wanted.lower():
            return value
    return None


@contextlib.contextmanager
def _standardwebhooks_clock(now: int):
    """standardwebhooks (and svix, which wraps it) reads datetime.now(); pin it."""
    import standardwebhooks.webhooks as sw_module

    real = _dt.datetime

    class FrozenDatetime(real):
        @classmethod
        def now(cls, tz=None):
            return real.fromtimestamp(now, tz=tz)

    with mock.patch.object(sw_module, "datetime", FrozenDatetime):
        yield


@contextlib.contextmanager
def _stripe_clock(now: int):
    """stripe-python reads time.time() through the module-level `time` import; pin it."""
    import stripe._webhook as stripe_webhook

    fake_time = types.SimpleNamespace(time=lambda: float(now))
    with mock.patch.object(stripe_webhook, "time", fake_time):
        yield


def _py_standardwebhooks(request, headers, body):
    from standardwebhooks.webhooks import Webhook

    with _standardwebhooks_clock(request["now"]):
        # json_parse=False: judge the signature, not whether the body is JSON.
        Webhook(request["secret"]).verify(body, headers, json_parse=False)


def _py_svix(request, headers, body):
    from svix.webhooks import Webhook

    with _standardwebhooks_clock(request["now"]):
        Webhook(request["secret"]).verify(body, headers)


def _py_stripe(request, headers, body):
    import stripe

    with _stripe_clock(request["now"]):
        # construct_event() == verify_header(..., DEFAULT_TOLERANCE) + json.loads; call the
        # verification half so non-JSON bodies are judged on the signature alone.
        stripe.WebhookSignature.verify_header(
            body,
            _header(headers, "Stripe-Signature"),
            request["secret"],
            tolerance=stripe.Webhook.DEFAULT_TOLERANCE,
        )


def _py_slack(request, headers, body):
    from slack_sdk.signature import Clock, SignatureVerifier

    class FixedClock(Clock):
        def now(self) -> float:
            return float(request["now"])

    return SignatureVerifier(request["secret"], clock=FixedClock()).is_valid_request(body, headers)


class _MultiDict(dict):
    """What Flask hands twilio's validator: every value of a repeated form field."""

    def getall(self, name):
        return self[name]


def _twilio_params(request, body: bytes):
    """The POST parameters as a web framework decodes them, or the raw body for JSON requests."""
    from urllib.parse import parse_qs, parse_qsl, urlparse

    if "bodySHA256" in parse_qs(urlparse(request["url"]).query):
        return body.decode("utf-8")
    params = _MultiDict()
    for name, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return params


def _py_twilio(request, headers, body):
    from twilio.request_validator import RequestValidator

    if request.get("url") is None:
        return "n/a"
    return RequestValidator(request["secret"]).validate(
        request["url"], _twilio_params(request, body), _header(headers, "X-Twilio-Signature") or ""
    )


def _py_twilio_shared_key(request, headers, body):
    """As twilio's docs say to: the algorithm from X-Twilio-Webhooks-Signature-Settings."""
    from twilio.request_validator import RequestValidator, get_signature_algorithm

    if request.get("url") is None:
        return "n/a"
    algorithm = get_signature_algorithm(_header(headers, "X-Twilio-Webhooks-Signature-Settings"))
    return RequestValidator(request["secret"]).validate(
        request["url"], _twilio_params(request, body), _header(headers, "X-Twilio-Signature") or "", algorithm
    )


def _py_square(request, headers, body):
    from square.utils.webhooks_helper import verify_signature

    if request.get("url") is None:
        return "n/a"
    return verify_signature(
        request_body=body.decode("utf-8"),
        signature_header=_header(headers, "x-square-hmacsha256-signature") or "",
        signature_key=request["secret"],
        notification_url=request["url"],
    )


def _py_hubspot(request, headers, body):
    import hubspot.utils.signature as signature_module

    if request.get("url") is None or request.get("method") is None:
        return "n/a"
    real = _dt.datetime

    class FrozenDatetime(real):
        @classmethod
        def now(cls, tz=None):
            return real.fromtimestamp(request["now"], tz=tz)

    with mock.patch.object(signature_module, "datetime", FrozenDatetime):
        return signature_module.Signature.is_valid(
            signature=_header(headers, "X-HubSpot-Signature-v3"),
            client_secret=request["secret"],
            request_body=body.decode("utf-8"),
            http_uri=request["url"],
            http_method=request["method"],
            signature_version="v3",
            timestamp=_header(headers, "X-HubSpot-Request-Timestamp"),
        )


def _py_discord(request, headers, body):
    from discord_interactions import verify_key

    signature, timestamp = _header(headers, "X-Signature-Ed25519"), _header(headers, "X-Signature-Timestamp")
    if signature is None or timestamp is None:
        return False
    with contextlib.redirect_stdout(None):  # verify_key prints the exception it swallows
        return verify_key(body, signature, timestamp, request["secret"])


def _py_sendgrid(request, headers, body):
    from sendgrid.helpers.eventwebhook import EventWebhook

    signature = _header(headers, "X-Twilio-Email-Event-Webhook-Signature")
    timestamp = _header(headers, "X-Twilio-Email-Event-Webhook-Timestamp")
    if signature is None or timestamp is None:
        return False
    return EventWebhook(request["secret"]).verify_signature(body.decode("utf-8"), signature, timestamp)


def _py_paddle(request, headers, body):
    from paddle_billing.Notifications import Secret, Verifier

    # The package re-exports the class under the submodule's name; patch the module itself.
    verifier_module = sys.modules[Verifier.__module__]

    fake = types.SimpleNamespace(headers={"Paddle-Signature": _header(headers, "Paddle-Signature")}, body=body)
    with mock.patch.object(verifier_module, "time", lambda: float(request["now"])):
        return Verifier().verify(fake, Secret(request["secret"]))


def _py_razorpay(request, headers, body):
    import razorpay

    client = razorpay.Client(auth=("rzp_test_conformance", "no_network"))
    return client.utility.verify_webhook_signature(
        body.decode("utf-8"), _header(headers, "X-Razorpay-Signature"), request["secret"]
    )


def _py_coinbase(request, headers, body):
    from coinbase_commerce.webhook import WebhookSignature

    return WebhookSignature.verify_sig_header(
        body.decode("utf-8"), _header(headers, "X-CC-Webhook-Signature"), request["secret"]
    )


def _py_adyen_classic(request, headers, body):
    from Adyen.util import is_valid_hmac_notification

    # It returns None (not False) when the item has no additionalData: only True is an accept.
    return is_valid_hmac_notification(json.loads(body), request["secret"]) is True


def _py_adyen(request, headers, body):
    from Adyen.util import is_valid_hmac_payload

    return is_valid_hmac_payload(_header(headers, "HmacSignature"), request["secret"], body)


PYTHON_ADAPTERS = {
    "python twilio": _py_twilio,
    "python twilio (SharedKey)": _py_twilio_shared_key,
    "python squareup": _py_square,
    "python hubspot-api-client": _py_hubspot,
    "python discord-interactions": _py_discord,
    "python sendgrid": _py_sendgrid,
    "python paddle-python-sdk": _py_paddle,
    "python razorpay": _py_razorpay,
    "python coinbase-commerce": _py_coinbase,
    "python Adyen": _py_adyen,
    "python Adyen (classic)": _py_adyen_classic,
    "python standardwebhooks": _py_standardwebhooks,
    "python svix": _py_svix,
    "python stripe": _py_stripe,
    "python slack-sdk": _py_slack,
}


def python_verdict(sdk: str, request: dict) -> tuple[str, str]:
    headers = _python_headers(request)
    if headers is None:
        return "n/a", "the SDK takes headers as a dict; a repeated header cannot be passed"
    # One SDK, two verifiers: the classic notification check and the header (payload) check.
    # One SDK, two verifiers: the classic notification check and the header (payload) check;
    # twilio's Auth Token and SharedKey webhooks.
    special = {"adyen-classic": "python Adyen (classic)", "twilio-shared-key": "python twilio (SharedKey)"}
    adapter = PYTHON_ADAPTERS[special.get(request["preset"], sdk)]
    try:
        result = adapter(request, headers, body_of(request))
    except ImportError:
        raise  # a missing SDK is a broken setup, not a verdict
    except Exception as exc:  # any other exception is the SDK refusing the request
        return "reject", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    if result == "n/a":
        return "n/a", "the SDK's API needs what this request lacks (the URL or method)"
    if result is False:
        return "reject", "returned False"
    return "accept", ""


# ---------------------------------------------------------------------------
# Node bridge


def run_node(mode: str, payload) -> object:
    """Run generate_node.mjs in MODE with PAYLOAD as JSON on stdin; return its JSON output."""
    if not (HERE / "node_modules").is_dir():
        sys.exit(f"{HERE / 'node_modules'} is missing: run `npm ci --prefix {HERE}` first")
    proc = subprocess.run(
        ["node", str(NODE_SCRIPT), mode],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=HERE,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"generate_node.mjs {mode} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def node_sign(sdk: str, secret: str, body: bytes, timestamp: int | None = None) -> str:
    op = {"sdk": sdk, "secret": secret, "body_base64": base64.b64encode(body).decode()}
    if timestamp is not None:
        op["timestamp"] = timestamp
    return run_node("sign", [op])[0]


# ---------------------------------------------------------------------------
# Public entry points


def sdk_versions() -> dict[str, str]:
    versions = {sdk: importlib.metadata.version(pkg) for sdk, pkg in PYPI_PACKAGE.items()}
    versions.update(run_node("versions", None))
    return versions


def verdicts(requests: list[dict]) -> list[dict[str, tuple[str, str]]]:
    """For each request, {sdk: (verdict, detail)} for every SDK that judges its preset."""
    wanted = ("preset", "name", "secret", "now", "headers", "body_base64", "method", "url")
    node_requests = [{k: r[k] for k in wanted if k in r} for r in requests if NODE_SDKS[r["preset"]]]
    # generate_node.mjs answers in input order, so results can be matched back by position.
    node_results = iter(run_node("verify", node_requests) if node_requests else [])

    out = []
    for request in requests:
        row = {sdk: python_verdict(sdk, request) for sdk in PYTHON_SDKS[request["preset"]]}
        if NODE_SDKS[request["preset"]]:
            for sdk, result in next(node_results)["verdicts"].items():
                row[sdk] = (result["verdict"], result["detail"])
        out.append(row)
    return out
