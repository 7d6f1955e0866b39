// Node half of the conformance-vector generator: runs the npm-only official SDKs.
//
// Called by generate.py / check_ours.py (never by CI):
//   node tests/conformance/generate_node.mjs versions   < /dev/null
//   node tests/conformance/generate_node.mjs sign       < [ {sdk, secret, body_base64, timestamp?}, ... ]
//   node tests/conformance/generate_node.mjs verify     < [ {preset, name, secret, now, headers, body_base64, url?, method?}, ... ]
// Input is JSON on stdin, output is JSON on stdout.
//
// Verdicts are "accept", "reject" or "n/a" (the SDK's API cannot take this request, e.g. a
// string-only SDK given a body that is not valid UTF-8).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------
// Small helpers

async function readStdinJson() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? JSON.parse(text) : null;
}

function packageVersion(name) {
  // Read package.json straight from node_modules: some packages do not export it.
  const path = require.resolve.paths(name)
    .map((dir) => `${dir}/${name}/package.json`)
    .find((p) => { try { readFileSync(p); return true; } catch { return false; } });
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

// Strict UTF-8 decode; null when the bytes are not valid UTF-8. String-only SDKs cannot be
// handed such a body faithfully, so they answer "n/a" for it.
function utf8OrNull(buf) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}

// What `req.headers` looks like in a Node http server: names lower-cased and, for repeated
// custom headers, the values joined with ", " (https://nodejs.org/api/http.html#messageheaders).
// None of the webhook headers are in Node's "discard duplicates" list, so joining is right here.
// Using this shape means duplicate-header vectors get a real verdict from the npm SDKs.
function nodeRequestHeaders(pairs) {
  const out = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  }
  return out;
}

// Pin the wall clock to the vector's `now`. Most SDKs read Date.now(); some (paddle-node-sdk)
// construct `new Date()`, which V8 does not route through Date.now, so Date itself is replaced
// by a subclass whose argument-less constructor and now() answer the pinned time.
async function atTime(nowSeconds, fn) {
  const RealDate = globalThis.Date;
  class PinnedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(nowSeconds * 1000);
      else super(...args);
    }
    static now() {
      return nowSeconds * 1000;
    }
  }
  globalThis.Date = PinnedDate;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

// Run one SDK call; a thrown error or a false result is a rejection.
async function verdictOf(fn) {
  try {
    const ok = await fn();
    if (ok === 'n/a') return { verdict: 'n/a', detail: 'SDK cannot express this request' };
    return ok === false
      ? { verdict: 'reject', detail: 'returned false' }
      : { verdict: 'accept', detail: '' };
  } catch (err) {
    return { verdict: 'reject', detail: `${err.name}: ${String(err.message).split('\n')[0]}` };
  }
}

// ---------------------------------------------------------------------------
// SDK adapters: each takes {secret, headers (pairs), body (Buffer)} and does what a typical
// Node integration does with the SDK.

async function verifyStandardWebhooks(req) {
  const { Webhook } = await import('standardwebhooks');
  // Buffer is an accepted payload type; jsonParse:false so non-JSON bodies are judged on the MAC only.
  new Webhook(req.secret).verify(req.body, nodeRequestHeaders(req.headers), { jsonParse: false });
}

async function verifySvix(req) {
  const { Webhook } = await import('svix');
  // svix 1.x always JSON-parses the payload after a signature matches (no option to turn it off).
  new Webhook(req.secret).verify(req.body, nodeRequestHeaders(req.headers));
}

let stripeClient = null;
async function stripeFor() {
  if (!stripeClient) {
    const Stripe = (await import('stripe')).default;
    stripeClient = new Stripe('sk_test_conformance_no_network'); // never used for API calls
  }
  return stripeClient;
}

async function verifyStripe(req) {
  const header = nodeRequestHeaders(req.headers)['stripe-signature'];
  // constructEvent() == signature.verifyHeader(..., DEFAULT_TOLERANCE) followed by JSON.parse;
  // call the verification half so non-JSON bodies are judged on the signature alone.
  const hooks = req.client.webhooks;
  return hooks.signature.verifyHeader(req.body, header, req.secret, hooks.DEFAULT_TOLERANCE);
}

async function verifyOctokit(req) {
  const { verify } = await import('@octokit/webhooks-methods');
  const payload = utf8OrNull(req.body);
  if (payload === null) return 'n/a'; // verify() only takes a string payload
  const signature = nodeRequestHeaders(req.headers)['x-hub-signature-256'];
  return verify(req.secret, payload, signature);
}

const shopifyBySecret = new Map();
async function shopifyFor(secret) {
  if (!shopifyBySecret.has(secret)) {
    await import('@shopify/shopify-api/adapters/node');
    const { shopifyApi, ApiVersion, LogSeverity } = await import('@shopify/shopify-api');
    shopifyBySecret.set(secret, shopifyApi({
      apiKey: 'conformance-api-key',
      apiSecretKey: secret,
      apiVersion: ApiVersion.October25, // matches the X-Shopify-API-Version the vectors carry
      scopes: [],
      hostName: 'hookwarden.example',
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error },
    }));
  }
  return shopifyBySecret.get(secret);
}

async function verifyShopify(req) {
  const rawBody = utf8OrNull(req.body);
  if (rawBody === null) return 'n/a'; // rawBody is typed string; a Buffer is re-decoded lossily
  const shopify = req.client;
  const rawRequest = { method: 'POST', url: '/webhooks', headers: nodeRequestHeaders(req.headers) };
  const result = await shopify.webhooks.validate({ rawBody, rawRequest, rawResponse: {} });
  if (!result.valid) throw new Error(`validate(): ${result.reason}`);
  return true;
}

// The form parameters as Express's urlencoded parser hands them to twilio: repeated names
// become arrays.
function formParams(text) {
  const params = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (!(name in params)) params[name] = value;
    else if (Array.isArray(params[name])) params[name].push(value);
    else params[name] = [params[name], value];
  }
  return params;
}

async function verifyTwilio(req) {
  if (req.url === undefined) return 'n/a'; // the SDK needs the URL Twilio called
  const twilio = require('twilio');
  const signature = nodeRequestHeaders(req.headers)['x-twilio-signature'];
  const text = utf8OrNull(req.body);
  if (text === null) return 'n/a';
  if (new URL(req.url).searchParams.has('bodySHA256')) {
    return twilio.validateRequestWithBody(req.secret, signature, req.url, text);
  }
  return twilio.validateRequest(req.secret, signature, req.url, formParams(text));
}

// SharedKey webhooks, as twilio's Express middleware judges them: the algorithm comes from the
// X-Twilio-Webhooks-Signature-Settings header (getSignatureAlgorithm), the secret is the SharedKey's.
async function verifyTwilioSharedKey(req) {
  if (req.url === undefined) return 'n/a';
  const twilio = require('twilio');
  const headers = nodeRequestHeaders(req.headers);
  const algorithm = twilio.getSignatureAlgorithm(headers['x-twilio-webhooks-signature-settings']);
  const text = utf8OrNull(req.body);
  if (text === null) return 'n/a';
  const signature = headers['x-twilio-signature'];
  if (new URL(req.url).searchParams.has('bodySHA256')) {
    return twilio.validateRequestWithBody(req.secret, signature, req.url, text, algorithm);
  }
  return twilio.validateRequest(req.secret, signature, req.url, formParams(text), algorithm);
}

async function verifySquare(req) {
  if (req.url === undefined) return 'n/a';
  const { WebhooksHelper } = await import('square');
  const requestBody = utf8OrNull(req.body);
  if (requestBody === null) return 'n/a';
  return WebhooksHelper.verifySignature({
    requestBody,
    signatureHeader: nodeRequestHeaders(req.headers)['x-square-hmacsha256-signature'] ?? '',
    signatureKey: req.secret,
    notificationUrl: req.url,
  });
}

async function verifyHubSpot(req) {
  if (req.url === undefined || req.method === undefined) return 'n/a';
  const { Signature } = require('@hubspot/api-client');
  const headers = nodeRequestHeaders(req.headers);
  const requestBody = utf8OrNull(req.body);
  if (requestBody === null) return 'n/a';
  return Signature.isValid({
    signatureVersion: 'v3',
    signature: headers['x-hubspot-signature-v3'],
    clientSecret: req.secret,
    requestBody,
    url: req.url,
    method: req.method,
    timestamp: headers['x-hubspot-request-timestamp'],
  });
}

async function verifyDiscord(req) {
  const { verifyKey } = await import('discord-interactions');
  const headers = nodeRequestHeaders(req.headers);
  const signature = headers['x-signature-ed25519'];
  const timestamp = headers['x-signature-timestamp'];
  if (!signature || !timestamp) return false; // what verifyKeyMiddleware answers (401)
  return verifyKey(req.body, signature, timestamp, req.secret);
}

async function verifySendGrid(req) {
  const { EventWebhook } = require('@sendgrid/eventwebhook');
  const headers = nodeRequestHeaders(req.headers);
  const signature = headers['x-twilio-email-event-webhook-signature'];
  const timestamp = headers['x-twilio-email-event-webhook-timestamp'];
  if (!signature || !timestamp) return false;
  const webhook = new EventWebhook();
  // verifySignature takes a Buffer, but decodes it to a string (lossily) before hashing.
  return webhook.verifySignature(webhook.convertPublicKeyToECDSA(req.secret), req.body, signature, timestamp);
}

let paddleClient = null;
async function paddleFor() {
  if (!paddleClient) {
    const { Paddle } = await import('@paddle/paddle-node-sdk');
    paddleClient = new Paddle('pdl_sdbx_apikey_conformance_no_network'); // never used for API calls
  }
  return paddleClient;
}

async function verifyPaddle(req) {
  const body = utf8OrNull(req.body);
  if (body === null) return 'n/a'; // requestBody is typed string
  const signature = nodeRequestHeaders(req.headers)['paddle-signature'];
  if (!signature) return false;
  return req.client.webhooks.isSignatureValid(body, req.secret, signature);
}

async function verifyRazorpay(req) {
  const { validateWebhookSignature } = require('razorpay/dist/utils/razorpay-utils');
  const body = utf8OrNull(req.body);
  if (body === null) return 'n/a';
  return validateWebhookSignature(body, nodeRequestHeaders(req.headers)['x-razorpay-signature'], req.secret);
}

async function verifyLinear(req) {
  const { LinearWebhookClient } = await import('@linear/sdk/webhooks');
  // verify() takes the raw body Buffer; the timestamp argument is deprecated and ignored.
  return new LinearWebhookClient(req.secret).verify(req.body, nodeRequestHeaders(req.headers)['linear-signature']);
}

let muxClient = null;
async function muxFor() {
  if (!muxClient) {
    const Mux = (await import('@mux/mux-node')).default;
    muxClient = new Mux({ tokenId: 'conformance', tokenSecret: 'no_network' }); // never used for API calls
  }
  return muxClient;
}

async function verifyMux(req) {
  const body = utf8OrNull(req.body);
  if (body === null) return 'n/a'; // the body must be the raw JSON string
  await req.client.webhooks.verifySignature(body, nodeRequestHeaders(req.headers), req.secret);
  return true;
}

async function verifyClerk(req) {
  const { verifyWebhook } = await import('@clerk/backend/webhooks');
  // A Fetch Request, as a Next.js route handler receives it; Headers joins repeated names.
  const headers = new Headers();
  for (const [name, value] of req.headers) headers.append(name, value);
  const request = new Request('https://hooks.example.com/clerk', { method: 'POST', headers, body: req.body });
  await verifyWebhook(request, { signingSecret: req.secret });
  return true;
}

async function verifyResend(req) {
  const { Resend } = await import('resend');
  const payload = utf8OrNull(req.body);
  if (payload === null) return 'n/a'; // payload is typed string
  const headers = nodeRequestHeaders(req.headers);
  new Resend('re_conformance_no_network').webhooks.verify({
    payload,
    headers: { id: headers['svix-id'], timestamp: headers['svix-timestamp'], signature: headers['svix-signature'] },
    webhookSecret: req.secret,
  });
  return true;
}

async function verifyAdyen(req) {
  const { hmacValidator } = require('@adyen/api-library');
  const body = utf8OrNull(req.body);
  if (body === null) return 'n/a'; // the payload is typed string
  const signature = nodeRequestHeaders(req.headers).hmacsignature;
  return new hmacValidator().validateHMACSignature(req.secret, signature, body);
}

async function verifyAdyenClassic(req) {
  const { hmacValidator } = require('@adyen/api-library');
  // What Adyen's Node examples do: parse the notification and validate every item; the request
  // is accepted only when each item is.
  const notification = JSON.parse(req.body.toString('utf8'));
  const validator = new hmacValidator();
  for (const { NotificationRequestItem: item } of notification.notificationItems) {
    if (!validator.validateHMAC(item, req.secret)) return false;
  }
  return true;
}

// preset -> sdk label -> [setup, verify]. setup(secret) builds whatever client the SDK needs
// and runs OUTSIDE verdictOf(), so a broken setup crashes the run instead of being recorded
// as the SDK rejecting every vector.
const none = async () => null;
const ORACLES = {
  'standard-webhooks': { 'npm standardwebhooks': [none, verifyStandardWebhooks] },
  svix: { 'npm svix': [none, verifySvix] },
  stripe: { 'npm stripe': [stripeFor, verifyStripe] },
  github: { 'npm @octokit/webhooks-methods': [none, verifyOctokit] },
  shopify: { 'npm @shopify/shopify-api': [shopifyFor, verifyShopify] },
  slack: {},
  twilio: { 'npm twilio': [none, verifyTwilio] },
  'twilio-shared-key': { 'npm twilio': [none, verifyTwilioSharedKey] },
  square: { 'npm square': [none, verifySquare] },
  hubspot: { 'npm @hubspot/api-client': [none, verifyHubSpot] },
  discord: { 'npm discord-interactions': [none, verifyDiscord] },
  sendgrid: { 'npm @sendgrid/eventwebhook': [none, verifySendGrid] },
  paddle: { 'npm @paddle/paddle-node-sdk': [paddleFor, verifyPaddle] },
  razorpay: { 'npm razorpay': [none, verifyRazorpay] },
  linear: { 'npm @linear/sdk': [none, verifyLinear] },
  mux: { 'npm @mux/mux-node': [muxFor, verifyMux] },
  clerk: { 'npm @clerk/backend': [none, verifyClerk] },
  resend: { 'npm resend': [none, verifyResend] },
  adyen: { 'npm @adyen/api-library': [none, verifyAdyen] },
  'adyen-classic': { 'npm @adyen/api-library': [none, verifyAdyenClassic] },
};

const PACKAGE_OF = {
  'npm standardwebhooks': 'standardwebhooks',
  'npm svix': 'svix',
  'npm stripe': 'stripe',
  'npm @octokit/webhooks-methods': '@octokit/webhooks-methods',
  'npm @shopify/shopify-api': '@shopify/shopify-api',
  'npm twilio': 'twilio',
  'npm square': 'square',
  'npm @hubspot/api-client': '@hubspot/api-client',
  'npm discord-interactions': 'discord-interactions',
  'npm @sendgrid/eventwebhook': '@sendgrid/eventwebhook',
  'npm @paddle/paddle-node-sdk': '@paddle/paddle-node-sdk',
  'npm razorpay': 'razorpay',
  'npm @linear/sdk': '@linear/sdk',
  'npm @mux/mux-node': '@mux/mux-node',
  'npm @clerk/backend': '@clerk/backend',
  'npm resend': 'resend',
  'npm @adyen/api-library': '@adyen/api-library',
};

// ---------------------------------------------------------------------------
// Signers (the SDKs' own signing helpers)

async function signOne(op) {
  const body = Buffer.from(op.body_base64, 'base64');
  const payload = utf8OrNull(body);
  if (op.sdk === 'npm @shopify/shopify-api') {
    // test-helpers getHmac() is the SDK's own webhook-HMAC helper (base64 HMAC-SHA256). It
    // feeds its input to crypto.Hmac.update(), which takes a Buffer as raw bytes, so it can
    // sign a non-UTF-8 body too.
    const { getHmac } = await import('@shopify/shopify-api/test-helpers');
    return getHmac(payload ?? body, op.secret);
  }
  if (payload === null) throw new Error(`${op.sdk} signs strings only`);
  if (op.sdk === 'npm @octokit/webhooks-methods') {
    const { sign } = await import('@octokit/webhooks-methods');
    return sign(op.secret, payload);
  }
  if (op.sdk === 'npm stripe') {
    const Stripe = (await import('stripe')).default;
    const stripe = new Stripe('sk_test_conformance_no_network');
    return stripe.webhooks.generateTestHeaderString({ payload, secret: op.secret, timestamp: op.timestamp });
  }
  throw new Error(`no node signer for ${op.sdk}`);
}

// ---------------------------------------------------------------------------
// Modes

async function verifyAll(requests) {
  const results = [];
  for (const r of requests) {
    const verdicts = {};
    for (const [sdk, [setup, verify]] of Object.entries(ORACLES[r.preset] ?? {})) {
      const req = { ...r, body: Buffer.from(r.body_base64, 'base64'), client: await setup(r.secret) };
      verdicts[sdk] = await atTime(r.now, () => verdictOf(() => verify(req)));
    }
    results.push({ preset: r.preset, name: r.name, verdicts });
  }
  return results;
}

async function main() {
  const mode = process.argv[2];
  const input = await readStdinJson();
  let output;
  if (mode === 'versions') {
    output = Object.fromEntries(Object.entries(PACKAGE_OF).map(([sdk, pkg]) => [sdk, packageVersion(pkg)]));
    output.node = process.versions.node;
  } else if (mode === 'sign') {
    output = [];
    for (const op of input) output.push(await signOne(op));
  } else if (mode === 'verify') {
    output = await verifyAll(input);
  } else {
    throw new Error(`unknown mode ${mode}; expected versions | sign | verify`);
  }
  process.stdout.write(JSON.stringify(output));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
