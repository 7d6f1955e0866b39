// Judges generate.py's vectors with the verifiers of others, reading JSON on stdin and writing
// one verdict per vector on stdout: AWS's SNS message validator (npm sns-validator, which
// aws/aws-js-sns-message-validator publishes) and panva's jose (jwtVerify against a local JWKS).
//
// sns-validator fetches the certificate itself with https.get and caches it; https.get is
// replaced here so that the SNS certificate URL of the vectors answers with the test
// certificate (the validator's own URL and host checks still run first).
import https from 'node:https';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import * as jose from 'jose';

const require = createRequire(import.meta.url);
const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const realGet = https.get;
https.get = (url, callback) => {
  if (String(url) !== input.sns_cert_url) return realGet(url, callback);
  const response = new PassThrough();
  response.statusCode = 200;
  process.nextTick(() => { callback(response); response.end(input.certificate_pem); });
  return { on() { return this; } };
};
const MessageValidator = require('sns-validator');

async function sns(message) {
  return new Promise((resolve) => {
    new MessageValidator().validate(JSON.stringify(message), (err) => {
      resolve(err ? { verdict: 'reject', detail: err.message } : { verdict: 'accept', detail: '' });
    });
  });
}

async function jwt(vector) {
  const keys = jose.createLocalJWKSet(input.jwks);
  try {
    await jose.jwtVerify(vector.token, keys, {
      issuer: [input.jwt_issuer, input.jwt_second_issuer],
      audience: input.jwt_audience,
      requiredClaims: ['exp'],
      clockTolerance: 60,
    });
    return { verdict: 'accept', detail: '' };
  } catch (err) {
    return { verdict: 'reject', detail: `${err.code ?? err.name}` };
  }
}

const out = { sns: [], jwt: [] };
for (const vector of input.sns) out.sns.push(await sns(vector.message));
for (const vector of input.jwt) out.jwt.push(await jwt(vector));
out.versions = {
  'npm sns-validator': require('sns-validator/package.json').version,
  'npm jose': require('jose/package.json').version,
};
process.stdout.write(JSON.stringify(out));
