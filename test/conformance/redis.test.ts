import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis-server.js';
import { startConformance, type Conformance } from './harness.js';

// Redis's shipped manifest (a driver test: node-redis, AUTH + SELECT + PING) against a real Redis server: Debian's
// redis-server 7.0, started for this file with ACL users (https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/).
// Its error replies are the server's own: WRONGPASS, NOAUTH, NOPERM, ERR (https://redis.io/docs/latest/commands/auth/).
const PASSWORD = 'p@ss:w/rd%40 with spaces';
let redis: TestRedis;
let c: Conformance;
beforeAll(async () => {
  redis = await startTestRedis({
    password: PASSWORD,
    users: [
      // May log in but not run PING: the test's command is refused with NOPERM.
      'no_ping on >reader-pw ~* -@all +select +hello +client',
      'retired off >retired-pw ~* +@all',
    ],
  });
  c = await startConformance('redis');
});
afterAll(async () => {
  await c?.close();
  await redis?.stop();
});

const url = (userinfo: string, db = 0, host = `127.0.0.1:${redis.port}`, scheme = 'redis') =>
  `${scheme}://${userinfo}${userinfo ? '@' : ''}${host}/${db}`;
const connectionCount = async () =>
  (await c.t.db.query<{ n: number }>('select count(*)::int as n from connections')).rows[0]?.n;

async function failsWith(credentials: Record<string, string>, authMethod = 'url', code = 'connection_test_failed') {
  const before = await connectionCount();
  const res = await c.connect({ auth_method: authMethod, credentials });
  expect(res.statusCode, res.body).toBe(422);
  expect(res.data.code).toBe(code);
  expect(await connectionCount()).toBe(before);
  expect(res.body).not.toContain('reader-pw');
  return res.data.outcome as Record<string, unknown>;
}

describe('redis conformance', () => {
  it('test (URL): AUTH with the URL’s percent-encoded password, SELECT, PING; connected as host:port/db', async () => {
    const res = await c.connect({
      auth_method: 'url',
      credentials: { url: url(`default:${encodeURIComponent(PASSWORD)}`, 3) },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: `127.0.0.1:${redis.port}/3`,
      vendor_account_name: 'db3',
      last_test_outcome: { outcome: 'connected' },
    });
    expect(res.body).not.toContain(encodeURIComponent(PASSWORD));
    expect(c.manifest.test).toEqual({ kind: 'driver', driver: 'redis', query: 'PING' });
  });

  it('test (host and port): the password field goes to AUTH as typed, no encoding', async () => {
    const res = await c.connect({
      auth_method: 'fields',
      credentials: { host: '127.0.0.1', port: String(redis.port), scheme: 'redis', password: PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: `127.0.0.1:${redis.port}/0` });
  });

  it('test: a wrong password (WRONGPASS) is credential_revoked, nothing stored', async () => {
    const outcome = await failsWith({ url: url('default:not-the-password') });
    expect(outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
    expect(outcome.message).toMatch(/^WRONGPASS/);
  });

  it('test: a disabled ACL user (WRONGPASS) is credential_revoked', async () => {
    const outcome = await failsWith(
      {
        host: '127.0.0.1',
        port: String(redis.port),
        scheme: 'redis',
        username: 'retired',
        password: 'retired-pw',
      },
      'fields',
    );
    expect(outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
  });

  it('test: no password where the server needs one (NOAUTH) is credential_revoked', async () => {
    const outcome = await failsWith({ url: url('') });
    expect(outcome).toMatchObject({ outcome: 'credential_revoked', status: 401 });
    expect(outcome.message).toMatch(/NOAUTH/);
  });

  it('test: an ACL user that may not run PING (NOPERM) is scope_insufficient', async () => {
    const outcome = await failsWith({ url: url('no_ping:reader-pw') });
    expect(outcome).toMatchObject({ outcome: 'scope_insufficient', status: 403 });
    expect(outcome.message).toMatch(/^NOPERM/);
  });

  it('test: a database index the server does not have is the server’s error (ERR)', async () => {
    const outcome = await failsWith({ url: url(`default:${encodeURIComponent(PASSWORD)}`, 99) });
    expect(outcome).toMatchObject({ outcome: 'vendor_error', vendor_code: 'ERR' });
    expect(outcome.message).toMatch(/DB index is out of range/);
  });

  it('test: rediss:// to a server without TLS fails on the network, not as a credential', async () => {
    const outcome = await failsWith({ url: url(`default:${encodeURIComponent(PASSWORD)}`, 0, undefined, 'rediss') });
    expect(outcome).toMatchObject({ outcome: 'network_error' });
  });

  it.each([
    ['a private address', url('default:x', 0, '10.20.30.40:6379'), /10\.0\.0\.0\/8/],
    ['the metadata address', url('default:x', 0, '169.254.169.254:6379'), /169\.254\.0\.0\/16/],
    ['a unix socket', 'unix:///var/run/redis/redis.sock', undefined],
  ])('test: %s is refused before anything is sent; nothing stored', async (_, target, reason) => {
    const before = await connectionCount();
    const res = await c.connect({ auth_method: 'url', credentials: { url: target } });
    // The form's pattern refuses a URL that is not redis[s]:// (a socket path) before any test runs; pinRedisTarget
    // refuses it again for a caller that skips the form.
    if (!target.startsWith('redis')) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.data.code).toBe('validation_failed');
      expect(res.data.detail).toMatch(/does not match the expected format/);
    } else {
      expect(res.statusCode, res.body).toBe(422);
      expect(res.data).toMatchObject({ code: 'destination_blocked', outcome: { outcome: 'network_error' } });
      expect((res.data.outcome as { message: string }).message).toMatch(reason as RegExp);
    }
    expect(await connectionCount()).toBe(before);
  });
});
