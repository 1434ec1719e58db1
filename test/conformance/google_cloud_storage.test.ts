import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVendor } from '../fakes/connect.js';
import { startGcsFake } from '../fakes/storage-gcs.js';

// Google Cloud Storage's shipped manifest against the JSON API fake (test/fakes/storage-gcs.ts), which verifies the
// service account's self-signed JWT as Google documents it.
const email = 'conformance@switchyard-test.iam.gserviceaccount.com';
const keyId = 'b'.repeat(40);
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: typeof keys.privateKey) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
let fake: Awaited<ReturnType<typeof startGcsFake>>;

beforeAll(async () => {
  fake = await startGcsFake({ project: 'switchyard-test', email, keyId, publicKey: keys.publicKey });
  fake.createBucket('photos');
});
afterAll(() => fake.close());

const tested = async (privateKey: string) => {
  const conn = await connectVendor('google_cloud_storage', fake.url, {
    auth_method: 'service_account',
    credentials: { client_email: email, private_key_id: keyId, private_key: privateKey },
    config: { project: 'switchyard-test' },
  });
  const res = await conn.t.request({ method: 'POST', url: `/v1/connections/${conn.connectionId}/test` });
  await conn.t.close();
  return res;
};

describe('google_cloud_storage conformance', () => {
  it('test call: buckets.list of the project with the self-signed JWT as the bearer; connected', async () => {
    const res = await tested(pem(keys.privateKey));
    expect(res.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    const sent = fake.requests.at(-1);
    expect(sent?.path).toBe('/storage/v1/b');
    expect(sent?.query.get('project')).toBe('switchyard-test');
    expect(sent?.headers.authorization).toMatch(/^Bearer eyJ/);
  });

  it('test call: a key Google does not know is 401 Invalid Credentials, credential_revoked', async () => {
    const res = await tested(pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
    expect(res.data).toMatchObject({
      state: 'auth_revoked',
      last_test_outcome: { outcome: 'credential_revoked', status: 401 },
    });
  });
});
