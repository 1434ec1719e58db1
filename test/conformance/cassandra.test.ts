import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFormOnly } from './form-only.js';
import { startConformance, type Conformance } from './harness.js';

// Cassandra ships as a form (contact points, local datacenter, keyspace, user, password, TLS) and no test: no
// Cassandra server can run here, so no driver test could be verified (connectors/cassandra.yaml).
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('cassandra');
});
afterAll(() => c.close());

const credentials = {
  contact_points: 'cassandra-1.example.com:9042,cassandra-2.example.com',
  username: 'app',
  password: 'cql-pw-42',
};

describe('cassandra conformance (form only, not verified against a server)', () => {
  it('connecting stores the sealed contact points and password, sends nothing, and says the connection is untested', async () => {
    const data = await checkFormOnly(
      c,
      { credentials, config: { local_datacenter: 'dc1', keyspace: 'shop' } },
      'cql-pw-42',
    );
    expect(data.config).toEqual({ local_datacenter: 'dc1', keyspace: 'shop' });
    expect(JSON.stringify(data)).not.toContain('cassandra-1.example.com');
  });

  it.each([
    [
      { ...credentials, contact_points: 'cassandra-1.example.com/../x' },
      { local_datacenter: 'dc1' },
      'body.credentials.contact_points',
    ],
    [credentials, {}, 'body.config.local_datacenter'],
    [credentials, { local_datacenter: 'dc1', keyspace: 'no-dashes' }, 'body.config.keyspace'],
  ])('the form refuses %j / %j at %s', async (creds, config, path) => {
    const res = await c.connect({ credentials: creds, config });
    expect(res.statusCode, res.body).toBe(400);
    expect((res.data.errors as { path: string }[]).map((e) => e.path)).toEqual([path]);
  });
});
