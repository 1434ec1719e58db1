import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectData, type JsonBody, type QueryParams } from '../../test/helpers/api.js';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';
import { openHeaders } from './endpoints/secrets.js';
import { isValidSigningSecret } from './signing.js';
import { endpointSecretContext } from '../vault/contexts.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await expectData(t.api.POST('/v1/event-types', { body: { name: 'invoice.paid' } }), 201);
});
afterEach(async () => {
  await t.close();
});

const url = 'https://hooks.example.test/in';
type EndpointBody = JsonBody<'/v1/webhooks/endpoints', 'post'>;
const create = (body: Partial<EndpointBody>, token?: string) =>
  (token ? t.apiAs(token) : t.api).POST('/v1/webhooks/endpoints', { body: { url, ...body } });
/** An endpoint that must be created: it, and its signing secret shown this once. */
const created = (body: Partial<EndpointBody> = {}) => expectData(create(body), 201);
/** Input the API must refuse, sent untyped: much of it is not even of the declared type. */
const createUntyped = (body: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/v1/webhooks/endpoints', body: { url, ...body } });
const read = (id: string) => t.api.GET('/v1/webhooks/endpoints/{id}', { params: { path: { id } } });
const tables = ['webhook_endpoints', 'webhook_endpoint_secrets', 'data_keys'];

async function sealedValue(secretId: string): Promise<string> {
  const { rows } = await t.db.query<{ secret_sealed: string }>(
    'select secret_sealed from webhook_endpoint_secrets where id = $1',
    [secretId],
  );
  return t.built.vault.open(t.db, t.tenantId, endpointSecretContext(secretId), rows[0]?.secret_sealed ?? '');
}

describe('webhook endpoints', () => {
  it('creates an endpoint with an HMAC secret shown once, sealed at rest, absent from reads, audit and logs', async () => {
    const res = await create({
      description: 'Billing',
      event_types: ['invoice.paid', 'connection.created', 'invoice.paid'],
      headers: { 'X-Team': 'billing' },
      rate_limit_per_second: 10,
      ordering: 'endpoint',
    });
    const endpoint = await expectData(res, 201);
    const secret = endpoint.signing_secret;
    expect(secret).toMatchObject({ kind: 'hmac', public_key: null, expires_at: null });
    expect(secret.secret).toMatch(/^whsec_/);
    expect(isValidSigningSecret(secret.secret)).toBe(true);
    expect(endpoint).toMatchObject({
      id: expect.stringMatching(/^ep_/),
      url,
      description: 'Billing',
      event_types: ['connection.created', 'invoice.paid'],
      header_names: ['x-team'],
      rate_limit_per_second: 10,
      ordering: 'endpoint',
      enabled: true,
      disabled_reason: null,
      secrets: [{ id: secret.id, kind: 'hmac', public_key: null, expires_at: null }],
    });
    expect(await sealedValue(secret.id)).toBe(secret.secret);
    // Header values can be credentials: sealed at rest, never returned.
    expect(JSON.stringify(endpoint)).not.toContain('billing');
    const stored = await t.db.query<{ headers_sealed: string }>(
      'select headers_sealed from webhook_endpoints where id = $1',
      [endpoint.id],
    );
    expect(stored.rows[0]?.headers_sealed).not.toContain('billing');
    expect(
      await openHeaders(t.db, t.built.vault, t.tenantId, endpoint.id, stored.rows[0]?.headers_sealed ?? null),
    ).toEqual({ 'x-team': 'billing' });

    const audit = await auditOf(t, res);
    expect(audit).toMatchObject([{ action: 'webhook_endpoint.create', target_id: endpoint.id }]);
    const one = await expectData(read(endpoint.id));
    const all = await expectData(t.api.GET('/v1/webhooks/endpoints'));
    expect(one.secrets).toEqual(endpoint.secrets);
    const secretBytes = secret.secret.slice('whsec_'.length);
    for (const text of [JSON.stringify(one), JSON.stringify(all), JSON.stringify(audit), t.logs.join('\n')]) {
      expect(text).not.toContain(secretBytes);
    }
    const dump = JSON.stringify((await t.db.query('select * from webhook_endpoint_secrets')).rows);
    expect(dump).not.toContain(secretBytes);
  });

  it('creates an ed25519 endpoint: the private whsk_ once, the public whpk_ always', async () => {
    const endpoint = await created({ signing: 'ed25519' });
    const secret = endpoint.signing_secret;
    expect(secret.secret).toMatch(/^whsk_/);
    expect(secret.public_key).toMatch(/^whpk_/);
    const shown = await expectData(read(endpoint.id));
    expect(shown.secrets).toEqual([expect.objectContaining({ kind: 'ed25519', public_key: secret.public_key })]);
    expect(JSON.stringify(shown)).not.toContain(secret.secret.slice('whsk_'.length));
    expect(await sealedValue(secret.id)).toBe(secret.secret);
  });

  it('refuses bad input with a precise 4xx and writes nothing', async () => {
    const before = await rowCounts(t, tables);
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ url: 'http://hooks.example.test/in' }, 400, 'validation_failed', 'https'],
      [{ url: 'ftp://hooks.example.test/in' }, 400, 'validation_failed'],
      [{ url: 'not a url' }, 400, 'validation_failed'],
      [{ url: 'https://user:pw@hooks.example.test/' }, 400, 'validation_failed', 'credentials'],
      [{ url: 'https://10.1.2.3/in' }, 422, 'destination_blocked', '10.1.2.3'],
      [{ url: 'https://169.254.169.254/latest' }, 422, 'destination_blocked'],
      [{ url: 'https://[::ffff:192.168.0.1]/' }, 422, 'destination_blocked'],
      [{ url: 42 }, 400, 'validation_failed'],
      [{ event_types: 'invoice.paid' }, 400, 'validation_failed'],
      [{ event_types: ['invoice.paid', 'invoice.voided', 'x.y'] }, 400, 'validation_failed', 'invoice.voided, x.y'],
      [{ event_types: ['Invoice'] }, 400, 'validation_failed'],
      [{ headers: { Connection: 'close' } }, 400, 'validation_failed', undefined],
      [{ headers: { 'webhook-id': 'x' } }, 400, 'validation_failed'],
      [{ headers: { 'Transfer-Encoding': 'chunked' } }, 400, 'validation_failed'],
      [{ headers: { 'bad header': 'x' } }, 400, 'validation_failed'],
      [{ headers: { 'X-A': 'a\r\nX-Injected: 1' } }, 400, 'validation_failed'],
      [{ headers: { 'X-A': 1 } }, 400, 'validation_failed'],
      [{ rate_limit_per_second: 0 }, 400, 'validation_failed'],
      [{ ordering: 'fifo' }, 400, 'validation_failed'],
      [{ signing: 'rsa' }, 400, 'validation_failed'],
      [{ secret: 'whsec_mine' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code, mention] of cases) {
      const res = await createUntyped(body);
      expectProblem(res, status, code);
      if (mention) expect(res.body, JSON.stringify(body)).toContain(mention);
    }
    const header = await create({ headers: { 'X-Ok': 'y', 'Webhook-Signature': 'x' } });
    expect(header.error?.errors).toEqual([expect.objectContaining({ path: 'body.headers.Webhook-Signature' })]);
    expect(await rowCounts(t, tables)).toEqual(before);
  });

  it('accepts plain http only for allowed private networks or when configured', async () => {
    // The test configuration exempts 127.0.0.0/8 from the SSRF guard.
    await created({ url: 'http://127.0.0.1:9999/in' });
    expectProblem(await create({ url: 'http://hooks.example.test/in' }), 400, 'validation_failed');
    await t.close();
    t = await createTestApp({ config: { webhooksAllowHttp: true } });
    await created({ url: 'http://hooks.example.test/in' });
    // Allowing http does not lift the SSRF guard.
    expectProblem(await create({ url: 'http://192.168.1.1/in' }), 422, 'destination_blocked');
  });

  it('updates, disables and re-enables through PATCH; invalid changes change nothing', async () => {
    const { id } = await created({ event_types: ['invoice.paid'] });
    const patch = (body: JsonBody<'/v1/webhooks/endpoints/{id}', 'patch'>) =>
      t.api.PATCH('/v1/webhooks/endpoints/{id}', { params: { path: { id } }, body });

    const disabled = await patch({ enabled: false, disabled_reason: 'Receiver migrating' });
    expect(await expectData(disabled)).toMatchObject({ enabled: false, disabled_reason: 'Receiver migrating' });
    expect(await auditOf(t, disabled)).toMatchObject([
      { action: 'webhook_endpoint.update', target_id: id, diff: { enabled: false } },
    ]);
    const enabled = await patch({
      enabled: true,
      event_types: [],
      headers: { Authorization: 'Bearer receiver-token' },
    });
    const shown = await expectData(enabled);
    expect(shown).toMatchObject({
      enabled: true,
      disabled_reason: null,
      event_types: [],
      header_names: ['authorization'],
    });
    expect(JSON.stringify(shown)).not.toContain('receiver-token');
    expect(JSON.stringify(await auditOf(t, enabled))).not.toContain('receiver-token');

    const before = await expectData(read(id));
    expectProblem(await patch({ url: 'http://hooks.example.test/' }), 400, 'validation_failed');
    expectProblem(await patch({ url: 'https://10.0.0.1/' }), 422, 'destination_blocked');
    expectProblem(await patch({ event_types: ['no.such'] }), 400, 'validation_failed');
    expectProblem(await patch({ headers: { Upgrade: 'h2c' } }), 400, 'validation_failed');
    // Not a boolean: sent untyped.
    const notBoolean = { enabled: 'no' };
    expectProblem(
      await t.request({ method: 'PATCH', url: `/v1/webhooks/endpoints/${id}`, body: notBoolean }),
      400,
      'validation_failed',
    );
    expect(await expectData(read(id))).toEqual(before);

    await expectData(t.api.DELETE('/v1/webhooks/endpoints/{id}', { params: { path: { id } } }), 204);
    expect(await rowCounts(t, ['webhook_endpoints', 'webhook_endpoint_secrets'])).toEqual({
      webhook_endpoints: 0,
      webhook_endpoint_secrets: 0,
    });
    expectProblem(await read(id), 404, 'not_found');
  });

  it('rotates: a new secret once, the old one expiring after the grace period', async () => {
    const { id, signing_secret: old } = await created();
    const rotate = (body: JsonBody<'/v1/webhooks/endpoints/{id}/secrets/rotate', 'post'> = {}) =>
      t.api.POST('/v1/webhooks/endpoints/{id}/secrets/rotate', { params: { path: { id } }, body });

    const rotated = await rotate({ expire_old_in_seconds: 3600 });
    const { signing_secret: fresh, endpoint } = await expectData(rotated);
    expect(fresh.secret).toMatch(/^whsec_/);
    expect(fresh.secret).not.toBe(old.secret);
    const { secrets } = endpoint;
    expect(secrets.map((s) => s.id)).toEqual([old.id, fresh.id]);
    const expiresIn = new Date(secrets[0]?.expires_at ?? 0).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);
    expect(secrets[1]?.expires_at).toBeNull();
    const audit = JSON.stringify(await auditOf(t, rotated));
    expect(audit).toContain('webhook_endpoint.rotate_secret');
    expect(audit).not.toContain(fresh.secret.slice('whsec_'.length));
    expect(await sealedValue(fresh.id)).toBe(fresh.secret);
    expect(JSON.stringify(await expectData(read(id)))).not.toContain(fresh.secret.slice('whsec_'.length));

    // The default grace period is a day; a rotation never extends an expiry already set.
    const after = (await expectData(rotate())).endpoint.secrets;
    expect(after).toHaveLength(3);
    expect(after[0]?.expires_at).toBe(secrets[0]?.expires_at);
    expect(new Date(after[1]?.expires_at ?? 0).getTime() - Date.now()).toBeGreaterThan(86_000_000);

    // Expiring at once: only the newest remains listed; switching kind to ed25519.
    const now = await expectData(rotate({ expire_old_in_seconds: 0, signing: 'ed25519' }));
    expect(now.endpoint.secrets).toEqual([expect.objectContaining({ kind: 'ed25519' })]);
    expectProblem(await rotate({ expire_old_in_seconds: -1 }), 400, 'validation_failed');
  });

  it('pages through endpoints; another tenant’s endpoints are 404 to every route', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await created()).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: QueryParams<'/v1/webhooks/endpoints'> = { limit: 2, ...(cursor ? { cursor } : {}) };
      const page = await expectData(t.api.GET('/v1/webhooks/endpoints', { params: { query } }));
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const other = await t.otherTenant();
    const id = ids[0] ?? '';
    const before = await rowCounts(t, tables);
    for (const [method, path, body] of [
      ['GET', `/v1/webhooks/endpoints/${id}`, undefined],
      ['PATCH', `/v1/webhooks/endpoints/${id}`, { enabled: false }],
      ['DELETE', `/v1/webhooks/endpoints/${id}`, undefined],
      ['POST', `/v1/webhooks/endpoints/${id}/secrets/rotate`, {}],
    ] as const) {
      expectProblem(await t.request({ method, url: path, body, token: other.token }), 404, 'not_found');
    }
    expect(await rowCounts(t, tables)).toEqual(before);
    expect((await expectData(t.apiAs(other.token).GET('/v1/webhooks/endpoints'))).data).toEqual([]);
    // Another tenant's event types are unknown here.
    expectProblem(await create({ event_types: ['invoice.paid'] }, other.token), 400, 'validation_failed');
  });
});
