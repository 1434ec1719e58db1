import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFormOnly } from './form-only.js';
import { startConformance, type Conformance } from './harness.js';

// MongoDB ships as a form with the fields seed 004 shows (URI, database, retryWrites, w, maxPoolSize) and no test:
// no MongoDB server can run here, so no driver test could be verified (connectors/mongodb.yaml).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('mongodb');
});
afterAll(() => c.close());

const URI = 'mongodb+srv://analyst:s3cret-pw@cluster0.example.mongodb.net/?tls=true';

describe('mongodb conformance (form only, not verified against a server)', () => {
  it('connecting stores the sealed URI and the options, sends nothing, and says the connection is untested', async () => {
    const data = await checkFormOnly(
      c,
      { credentials: { uri: URI }, config: { database: 'analytics', write_concern: 'majority', max_pool_size: 10 } },
      's3cret-pw',
    );
    expect(data.config).toMatchObject({
      database: 'analytics',
      retry_writes: true,
      write_concern: 'majority',
      max_pool_size: 10,
    });
    expect(c.manifest.test).toMatchObject({ kind: 'none' });
  });

  it.each([
    [{ uri: 'postgres://x@y/z' }, { database: 'analytics' }, 'body.credentials.uri'],
    [{ uri: URI }, { database: 'bad/name' }, 'body.config.database'],
    [{ uri: URI }, { database: 'analytics', write_concern: 'all' }, 'body.config.write_concern'],
  ])('the form refuses %j / %j at %s', async (credentials, config, path) => {
    const res = await c.connect({ credentials, config });
    expect(res.statusCode, res.body).toBe(400);
    expect((res.data.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });
});
