import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteProcess } from '../helpers/azurite-process.js';
import { startThrottleGate, type ThrottleGate } from '../helpers/throttle-gate.js';

// Azure Blob Storage's shipped manifest against Azurite (Microsoft's emulator, which checks Shared Key signatures);
// Azure's documented 403 AuthenticationFailed (https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes)
// answered by a pass-through where the emulator words its refusal otherwise (AuthorizationFailure).
let t: TestApp;
let azurite: AzuriteProcess;
let gate: ThrottleGate;

beforeAll(async () => {
  azurite = await startAzurite();
  gate = await startThrottleGate(azurite.url);
  t = await createTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
  await gate?.close();
  await azurite?.close();
});

const connect = (key: string) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'azure_blob',
      credentials: { account_key: key },
      config: { account: AZURITE_ACCOUNT, endpoint: `${gate.url}/${AZURITE_ACCOUNT}` },
    },
  });

describe('azure_blob conformance', () => {
  it('test call: List Containers signed with Shared Key (x-ms-date, x-ms-version); connected', async () => {
    const res = await connect(AZURITE_KEY);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    expect(res.body).not.toContain(AZURITE_KEY);
    const sent = gate.requests.at(-1);
    expect(sent?.url).toBe(`/${AZURITE_ACCOUNT}/?comp=list&maxresults=1`);
    expect(sent?.headers['x-ms-version']).toBe('2021-08-06');
    expect(sent?.headers.authorization).toMatch(new RegExp(`^SharedKey ${AZURITE_ACCOUNT}:[A-Za-z0-9+/]{43}=$`));
  });

  it('test call: a wrong key is refused by the emulator; Azure’s AuthenticationFailed is credential_revoked', async () => {
    const wrong = await connect(Buffer.from('not the key').toString('base64'));
    expect(wrong.statusCode, wrong.body).toBe(422);
    expect(wrong.data.outcome).toMatchObject({ status: 403 });
    gate.throttle(1, {
      status: 403,
      body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.</Message></Error>',
    });
    const revoked = await connect(AZURITE_KEY);
    expect(revoked.statusCode, revoked.body).toBe(422);
    expect(revoked.data.outcome).toMatchObject({ outcome: 'credential_revoked', status: 403 });
  });

  it('the account key must be base64, as the portal shows it', async () => {
    const res = await connect('not base64!');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.data.code).toBe('validation_failed');
  });
});
