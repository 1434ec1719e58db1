import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startS3rver, type S3rverProcess } from '../helpers/s3rver-process.js';
import { sigv4Matches } from '../helpers/sigv4-reference.js';
import { startThrottleGate, type ThrottleGate } from '../helpers/throttle-gate.js';

// Amazon S3's shipped manifest against s3rver (a real S3 server), every request's SigV4 signature checked on the way
// in with the AWS SDK's signer; S3's documented refusals (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
// answered by the gate where s3rver does not make them.
let t: TestApp;
let s3rver: S3rverProcess;
let gate: ThrottleGate;
const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

beforeAll(async () => {
  s3rver = await startS3rver(['photos']);
  gate = await startThrottleGate(s3rver.url, {
    verify: (req) =>
      sigv4Matches({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, { S3RVER: 'S3RVER' }),
    refusal: {
      status: 403,
      body: s3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      ),
    },
  });
  t = await createTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
  await gate?.close();
  await s3rver?.close();
});

const connect = (secret: string) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'amazon_s3',
      credentials: { access_key_id: 'S3RVER', secret_access_key: secret },
      config: { endpoint: gate.url, region: 'us-east-1' },
    },
  });

describe('amazon_s3 conformance', () => {
  it('test call: ListBuckets signed with SigV4 (x-amz-date, x-amz-content-sha256); connected, the secret never echoed', async () => {
    const res = await connect('S3RVER');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const sent = gate.requests.at(-1);
    expect(sent).toMatchObject({ method: 'GET', url: '/' });
    expect(sent?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request, /,
    );
    expect(sent?.headers['x-amz-content-sha256']).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('test call: a wrong secret is 403 SignatureDoesNotMatch, credential_revoked', async () => {
    const res = await connect('not-the-secret');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'credential_revoked', status: 403 });
  });

  it('test call: a key without s3:ListAllMyBuckets (403 AccessDenied) is connected_limited', async () => {
    gate.throttle(1, { status: 403, body: s3Error('AccessDenied', 'Access Denied') });
    const res = await connect('S3RVER');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected_limited' } });
  });

  it('test call: expired STS credentials (ExpiredToken) are credential_expired', async () => {
    gate.throttle(1, { status: 400, body: s3Error('ExpiredToken', 'The provided token has expired.') });
    const res = await connect('S3RVER');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'credential_expired' });
  });
});
