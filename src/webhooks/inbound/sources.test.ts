import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createCustomConnector, customManifest } from '../../../test/helpers/catalog.js';
import { auditOf, expectProblem, rowCounts } from '../../../test/helpers/fixtures.js';
import { manualClock } from '../../core/clock.js';
import { sourceSecretContext } from '../../vault/contexts.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
beforeEach(async () => {
  clock = manualClock(new Date());
  t = await createTestApp({ clock });
});
afterEach(async () => {
  await t.close();
});

const tables = ['inbound_sources', 'inbound_source_secrets', 'inbound_events', 'inbound_dedup'];
const githubHeaders = (secret: string, body: string, id = `d-${Math.random()}`) => ({
  'content-type': 'application/json',
  'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  'x-github-delivery': id,
  'x-github-event': 'push',
});

async function create(body: Record<string, unknown>) {
  return t.request({ method: 'POST', url: '/v1/inbound/sources', body: { name: 'GitHub', ...body } });
}

const path = (source: { url: string }) => new URL(source.url).pathname;

async function post(url: string, body: string, headers: Record<string, string>) {
  return t.request({ method: 'POST', url, body, headers, token: null });
}

describe('inbound sources', () => {
  it('creates a source with an unguessable URL and a sealed secret that no read, audit entry or log shows', async () => {
    const res = await create({ verification: { type: 'github' }, secret: 'gh-secret-value-1234' });
    expect(res.statusCode, res.body).toBe(201);
    const source = res.data.source as { id: string; url: string; secrets: { id: string }[] };
    expect(res.data.secret).toBeNull(); // we gave it: not echoed
    expect(source).toMatchObject({
      id: expect.stringMatching(/^whin_/),
      verification: { type: 'github' },
      response_mode: 'async',
      max_body_bytes: 1_048_576,
      content_types: ['application/json'],
      dedup_window_seconds: 86_400,
      enabled: true,
      rejections: { count: 0, last_at: null, last_reason: null },
    });
    // ≥ 128 random bits: 20 bytes, base64url.
    const token = path(source).split('/').pop() as string;
    expect(token).toMatch(/^hook_[A-Za-z0-9_-]{27}$/);
    expect(Buffer.from(token.slice(5), 'base64url').length).toBe(20);
    expect(source.url.startsWith(`${t.config.publicUrl}/hooks/`)).toBe(true);

    const { rows } = await t.db.query<{ secret_sealed: string; token_hash: string; token_sealed: string }>(
      `select s.secret_sealed, i.token_hash, i.token_sealed from inbound_source_secrets s
       join inbound_sources i on i.id = s.source_id`,
    );
    const stored = rows[0] as { secret_sealed: string; token_hash: string; token_sealed: string };
    expect(stored.secret_sealed).not.toContain('gh-secret');
    expect(stored.token_sealed).not.toContain(token);
    expect(
      await t.built.vault.open(
        t.db,
        t.tenantId,
        sourceSecretContext(source.secrets[0]?.id as string),
        stored.secret_sealed,
      ),
    ).toBe('gh-secret-value-1234');

    const reads = [
      await t.request({ url: `/v1/inbound/sources/${source.id}` }),
      await t.request({ url: '/v1/inbound/sources' }),
    ];
    expect(reads[0]?.data.url).toBe(source.url);
    expect((reads[1]?.data.data as unknown[]).length).toBe(1);
    const audit = await auditOf(t, res);
    expect(audit).toMatchObject([{ action: 'inbound_source.create', target_id: source.id }]);
    for (const text of [...reads.map((r) => r.body), JSON.stringify(audit), t.logs.join('\n')]) {
      expect(text).not.toContain('gh-secret-value');
    }
    // The URL works: a signed request is accepted.
    const body = JSON.stringify({ ref: 'main' });
    const ok = await post(path(source), body, githubHeaders('gh-secret-value-1234', body));
    expect(ok.statusCode, ok.body).toBe(202);
    const bad = await post(path(source), body, githubHeaders('wrong', body));
    expect(bad.statusCode).toBe(401);
    // The URL token is a credential: the access log and audit show the route, never the token.
    expect(t.logs.some((l) => l.includes('/hooks/[redacted]'))).toBe(true);
    expect(t.logs.join('\n')).not.toContain(token);
    const { rows: auditRows } = await t.db.query('select * from audit_log');
    expect(JSON.stringify(auditRows)).not.toContain(token);
  });

  it('generates a secret when none is given (whsec_ for Standard Webhooks) and shows it once', async () => {
    const res = await create({ verification: { type: 'standard_webhooks' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.secret).toMatch(/^whsec_/);
    const again = await t.request({ url: `/v1/inbound/sources/${(res.data.source as { id: string }).id}` });
    expect(again.body).not.toContain(res.data.secret as string);
    const none = await create({ verification: { type: 'none', ip_allow: ['127.0.0.0/8'] } });
    expect(none.data.secret).toBeNull();
    expect((none.data.source as { secrets: unknown[] }).secrets).toEqual([]);
  });

  it('refuses bad configuration with field errors and stores nothing', async () => {
    const before = await rowCounts(t, tables);
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'body.verification'],
      [{ verification: { type: 'generic_hmac', algorithm: 'md5', encoding: 'hex', header: 'X-Sig' } }, 'verification'],
      [{ verification: { type: 'none', ip_allow: ['not-a-cidr'] } }, 'ip_allow'],
      [{ verification: { type: 'none' }, dedup_window_seconds: 300_000 }, 'dedup_window_seconds'],
      [{ verification: { type: 'none' }, content_types: ['json'] }, 'content_types'],
      [{ verification: { type: 'none' }, dedup_key: { from: 'body', path: 'id' } }, 'dedup_key'],
      [
        {
          verification: { type: 'none' },
          rules: [{ name: 'r', condition: '$.payload.amount', actions: [{ type: 'publish', event_type: 'x.y' }] }],
        },
        'rules.0.condition',
      ],
      [
        {
          verification: { type: 'none' },
          rules: [{ name: 'r', actions: [{ type: 'publish', event_type: 'nope.nope' }] }],
        },
        'rules.0.actions.0.event_type',
      ],
      [
        {
          verification: { type: 'none' },
          rules: [{ name: 'r', actions: [{ type: 'forward', url: 'ftp://example.test/x' }] }],
        },
        'url',
      ],
    ];
    for (const [body, where] of cases) {
      const res = await create(body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.data.code).toBe('validation_failed');
      expect(JSON.stringify(res.data.errors ?? res.data.detail)).toContain(where.split('.').pop() as string);
    }
    const blocked = await create({
      verification: { type: 'none' },
      rules: [{ name: 'r', actions: [{ type: 'forward', url: 'https://169.254.169.254/latest' }] }],
    });
    expectProblem(blocked, 422, 'destination_blocked');
    const secretRef = await create({
      verification: { type: 'none' },
      rules: [
        {
          name: 'r',
          actions: [{ type: 'forward', url: 'https://example.test/x', headers: { 'X-Key': '{{secrets.MISSING}}' } }],
        },
      ],
    });
    expectProblem(secretRef, 400, 'secret_reference_invalid');
    expect(await rowCounts(t, tables)).toEqual(before);
  });

  it('takes verification, delivery-id and event-type locations from the connection’s connector manifest', async () => {
    const slug = await createCustomConnector(t, {
      webhooks: {
        scheme: 'hmac',
        header: 'X-Sig',
        algorithm: 'sha256',
        encoding: 'hex',
        prefix: 'sha256=',
        signed_content: '{{timestamp}}.{{body}}',
        timestamp_header: 'X-Ts',
        tolerance_seconds: 120,
        delivery_id: { from: 'header', path: 'X-Id' },
        event_type: { path: '$.kind' },
      },
    });
    const conn = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: slug,
        auth_method: 'api_key',
        config: { base_url: 'https://api.example.test' },
        credentials: { api_key: 'k' },
        validate: false,
      },
    });
    expect(conn.statusCode, conn.body).toBe(201);
    const res = await create({ connection_id: conn.data.id });
    expect(res.statusCode, res.body).toBe(201);
    const source = res.data.source as { url: string; id: string };
    expect(res.data.source).toMatchObject({
      connection_id: conn.data.id,
      verification: {
        type: 'generic_hmac',
        algorithm: 'sha256',
        encoding: 'hex',
        header: 'X-Sig',
        prefix: 'sha256=',
        signed_content: '{timestamp}.{body}',
        timestamp_header: 'X-Ts',
        tolerance_seconds: 120,
      },
      dedup_key: { from: 'header', path: 'X-Id' },
      event_type_from: { from: 'body', path: '$.kind' },
    });
    const secret = res.data.secret as string;
    const body = JSON.stringify({ kind: 'order.paid', n: 1 });
    const ts = String(Math.floor(clock.now().getTime() / 1000));
    const sig = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
    const headers = { 'content-type': 'application/json', 'x-sig': sig, 'x-ts': ts, 'x-id': 'delivery-7' };
    const first = await post(path(source), body, headers);
    expect(first.statusCode, first.body).toBe(202);
    const second = await post(path(source), body, headers);
    expect(second.data).toMatchObject({ status: 'duplicate', duplicate_of: first.data.id });
    const event = await t.request({ url: `/v1/inbound/events/${first.data.id}` });
    expect(event.data).toMatchObject({
      event_type: 'order.paid',
      dedup_key: 'delivery-7',
      connection_id: conn.data.id,
    });

    // A connector whose scheme cannot be set up automatically (an HMAC-SHA1) says so; an explicit scheme works.
    const twilio = await createCustomConnector(
      t,
      customManifest({ webhooks: { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha1' } }),
    );
    const conn2 = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: twilio,
        auth_method: 'api_key',
        config: { base_url: 'https://api.example.test' },
        credentials: { api_key: 'k' },
        validate: false,
      },
    });
    const refused = await create({ connection_id: conn2.data.id });
    expectProblem(refused, 400, 'validation_failed');
    expect(refused.data.detail).toMatch(/\(hmac\).*set verification explicitly/);
    const explicit = await create({ connection_id: conn2.data.id, verification: { type: 'none' } });
    expect(explicit.statusCode, explicit.body).toBe(201);

    // Deleting the connection deletes its sources.
    const del = await t.request({ method: 'DELETE', url: `/v1/connections/${conn.data.id}` });
    expect(del.statusCode, del.body).toBeLessThan(300);
    expect((await t.request({ url: `/v1/inbound/sources/${source.id}` })).statusCode).toBe(404);
  });

  it('rotates the URL with a grace period: both work until it ends, then only the new one', async () => {
    const res = await create({ verification: { type: 'none' } });
    const source = res.data.source as { id: string; url: string };
    const rotated = await t.request({
      method: 'POST',
      url: `/v1/inbound/sources/${source.id}/rotate-token`,
      body: { grace_seconds: 3600 },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.data.url).not.toBe(source.url);
    expect(rotated.data.previous_url_expires_at).not.toBeNull();
    const body = '{"a":1}';
    const json = { 'content-type': 'application/json' };
    expect((await post(path(source), body, json)).statusCode).toBe(202);
    expect((await post(path(rotated.data as { url: string }), body, json)).statusCode).toBe(202);
    // Past the grace period as the database set it (its clock, not the test's, stamped the expiry).
    clock.set(new Date(Date.parse(rotated.data.previous_url_expires_at as string) + 1000));
    const old = await post(path(source), body, json);
    expectProblem(old, 404, 'not_found');
    expect((await post(path(rotated.data as { url: string }), body, json)).statusCode).toBe(202);
    // Without grace the old URL stops at once.
    const now = await t.request({
      method: 'POST',
      url: `/v1/inbound/sources/${source.id}/rotate-token`,
      body: { grace_seconds: 0 },
    });
    expectProblem(await post(path(rotated.data as { url: string }), body, json), 404, 'not_found');
    expect((await post(path(now.data as { url: string }), body, json)).statusCode).toBe(202);
  });

  it('rotates the secret with an overlap: old and new verify until the old one expires', async () => {
    const res = await create({ verification: { type: 'github' }, secret: 'old-secret' });
    const source = res.data.source as { id: string; url: string };
    const rotated = await t.request({
      method: 'POST',
      url: `/v1/inbound/sources/${source.id}/rotate-secret`,
      body: { overlap_seconds: 600 },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = (rotated.data.secret as { secret: string }).secret;
    expect(fresh.length).toBeGreaterThan(30);
    expect((rotated.data.source as { secrets: unknown[] }).secrets).toHaveLength(2);
    const body = '{"b":2}';
    expect((await post(path(source), body, githubHeaders('old-secret', body))).statusCode).toBe(202);
    expect((await post(path(source), body, githubHeaders(fresh, body))).statusCode).toBe(202);
    // The overlap ends in the database's time, so move the old secret's expiry into the past.
    await t.db.query(
      `update inbound_source_secrets set expires_at = now() - interval '1 second' where expires_at is not null`,
    );
    await t.request({ method: 'PATCH', url: `/v1/inbound/sources/${source.id}`, body: { description: 'touch' } });
    expectProblem(await post(path(source), body, githubHeaders('old-secret', body)), 401, 'signature_invalid');
    expect((await post(path(source), body, githubHeaders(fresh, body))).statusCode).toBe(202);
    const none = await create({ verification: { type: 'none' } });
    const noSecret = await t.request({
      method: 'POST',
      url: `/v1/inbound/sources/${(none.data.source as { id: string }).id}/rotate-secret`,
      body: {},
    });
    expectProblem(noSecret, 409, 'conflict');
  });

  it('edits, disables (the URL then answers 404 like an unknown one) and deletes a source with its events', async () => {
    const res = await create({ verification: { type: 'none' } });
    const source = res.data.source as { id: string; url: string };
    const body = '{"c":3}';
    const json = { 'content-type': 'application/json' };
    expect((await post(path(source), body, json)).statusCode).toBe(202);
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/inbound/sources/${source.id}`,
      body: { enabled: false, max_body_bytes: 10, response_mode: 'sync' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.data).toMatchObject({ enabled: false, max_body_bytes: 10, response_mode: 'sync' });
    const disabled = await post(path(source), body, json);
    const unknown = await post('/hooks/hook_AAAAAAAAAAAAAAAAAAAAAAAAAAA', body, json);
    expectProblem(disabled, 404, 'not_found');
    expectProblem(unknown, 404, 'not_found');
    expect(disabled.data.detail).toBe(unknown.data.detail);
    const counted = await t.request({ url: `/v1/inbound/sources/${source.id}` });
    expect(counted.data.rejections).toMatchObject({ count: 1, last_reason: 'source_disabled' });
    const bad = await t.request({ method: 'PATCH', url: `/v1/inbound/sources/${source.id}`, body: { url: 'x' } });
    expectProblem(bad, 400, 'validation_failed');

    const del = await t.request({ method: 'DELETE', url: `/v1/inbound/sources/${source.id}` });
    expect(del.statusCode).toBe(204);
    expect(await rowCounts(t, tables)).toEqual(Object.fromEntries(tables.map((n) => [n, 0])));
    expectProblem(await t.request({ method: 'DELETE', url: `/v1/inbound/sources/${source.id}` }), 404, 'not_found');
    expectProblem(await post(path(source), body, json), 404, 'not_found');
  });

  it('keeps sources apart between tenants', async () => {
    const res = await create({ verification: { type: 'none' } });
    const id = (res.data.source as { id: string }).id;
    const other = await t.otherTenant();
    expectProblem(await t.request({ url: `/v1/inbound/sources/${id}`, token: other.token }), 404, 'not_found');
    const list = await t.request({ url: '/v1/inbound/sources', token: other.token });
    expect(list.data.data).toEqual([]);
  });
});
