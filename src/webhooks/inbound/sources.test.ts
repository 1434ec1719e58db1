import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectData, type JsonBody } from '../../../test/helpers/api.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createApiKeyConnection, createCustomConnector, customManifest } from '../../../test/helpers/catalog.js';
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

type SourceBody = JsonBody<'/v1/inbound/sources', 'post'>;

const create = (body: Partial<SourceBody>) => t.api.POST('/v1/inbound/sources', { body: { name: 'GitHub', ...body } });

/** A source that must be created: it and its secret (null when the request gave one). */
const created = (body: Partial<SourceBody>) => expectData(create(body), 201);

/** Configuration the API must refuse, sent untyped: much of it is not even of the declared type. */
const createUntyped = (body: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/v1/inbound/sources', body: { name: 'GitHub', ...body } });

const getSource = (id: string, token?: string) =>
  (token ? t.apiAs(token) : t.api).GET('/v1/inbound/sources/{id}', { params: { path: { id } } });

const path = (source: { url: string }) => new URL(source.url).pathname;

async function post(url: string, body: string, headers: Record<string, string>) {
  return t.request({ method: 'POST', url, body, headers, token: null });
}

describe('inbound sources', () => {
  it('creates a source with an unguessable URL and a sealed secret that no read, audit entry or log shows', async () => {
    const res = await create({ verification: { type: 'github' }, secret: 'gh-secret-value-1234' });
    const { source, secret } = await expectData(res, 201);
    expect(secret).toBeNull(); // we gave it: not echoed
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
    const token = path(source).split('/').pop() ?? '';
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
        sourceSecretContext(source.secrets[0]?.id ?? ''),
        stored.secret_sealed,
      ),
    ).toBe('gh-secret-value-1234');

    const read = await expectData(getSource(source.id));
    const list = await expectData(t.api.GET('/v1/inbound/sources'));
    expect(read.url).toBe(source.url);
    expect(list.data).toHaveLength(1);
    const audit = await auditOf(t, res);
    expect(audit).toMatchObject([{ action: 'inbound_source.create', target_id: source.id }]);
    for (const text of [JSON.stringify(read), JSON.stringify(list), JSON.stringify(audit), t.logs.join('\n')]) {
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
    const res = await created({ verification: { type: 'standard_webhooks' } });
    expect(res.secret).toMatch(/^whsec_/);
    const again = await expectData(getSource(res.source.id));
    expect(JSON.stringify(again)).not.toContain(res.secret);
    const none = await created({ verification: { type: 'none', ip_allow: ['127.0.0.0/8'] } });
    expect(none.secret).toBeNull();
    expect(none.source.secrets).toEqual([]);
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
      const res = await createUntyped(body);
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBe(400);
      expect(res.data.code).toBe('validation_failed');
      expect(JSON.stringify(res.data.errors ?? res.data.detail)).toContain(where.split('.').pop() ?? where);
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
    const conn = await createApiKeyConnection(t, { connector: slug });
    const res = await created({ connection_id: conn });
    const { source } = res;
    expect(source).toMatchObject({
      connection_id: conn,
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
    const secret = res.secret ?? '';
    const body = JSON.stringify({ kind: 'order.paid', n: 1 });
    const ts = String(Math.floor(clock.now().getTime() / 1000));
    const sig = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
    const headers = { 'content-type': 'application/json', 'x-sig': sig, 'x-ts': ts, 'x-id': 'delivery-7' };
    const first = await post(path(source), body, headers);
    expect(first.statusCode, first.body).toBe(202);
    const second = await post(path(source), body, headers);
    expect(second.data).toMatchObject({ status: 'duplicate', duplicate_of: first.data.id });
    const event = await expectData(
      t.api.GET('/v1/inbound/events/{id}', { params: { path: { id: String(first.data.id) } } }),
    );
    expect(event).toMatchObject({ event_type: 'order.paid', dedup_key: 'delivery-7', connection_id: conn });

    // A connector whose scheme cannot be set up automatically (an HMAC-SHA1) says so; an explicit scheme works.
    const twilio = await createCustomConnector(
      t,
      customManifest({ webhooks: { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha1' } }),
    );
    const conn2 = await createApiKeyConnection(t, { connector: twilio });
    const refused = await create({ connection_id: conn2 });
    expectProblem(refused, 400, 'validation_failed');
    expect(refused.error?.detail).toMatch(/\(hmac\).*set verification explicitly/);
    await created({ connection_id: conn2, verification: { type: 'none' } });

    // Deleting the connection deletes its sources.
    const del = await t.api.DELETE('/v1/connections/{id}', { params: { path: { id: conn } } });
    expect(del.response.status, JSON.stringify(del.error)).toBeLessThan(300);
    expect((await getSource(source.id)).response.status).toBe(404);
  });

  it('rotates the URL with a grace period: both work until it ends, then only the new one', async () => {
    const { source } = await created({ verification: { type: 'none' } });
    const rotateToken = (grace_seconds: number) =>
      expectData(
        t.api.POST('/v1/inbound/sources/{id}/rotate-token', {
          params: { path: { id: source.id } },
          body: { grace_seconds },
        }),
      );
    const rotated = await rotateToken(3600);
    expect(rotated.url).not.toBe(source.url);
    expect(rotated.previous_url_expires_at).not.toBeNull();
    const body = '{"a":1}';
    const json = { 'content-type': 'application/json' };
    expect((await post(path(source), body, json)).statusCode).toBe(202);
    expect((await post(path(rotated), body, json)).statusCode).toBe(202);
    // Past the grace period as the database set it (its clock, not the test's, stamped the expiry).
    clock.set(new Date(Date.parse(rotated.previous_url_expires_at ?? '') + 1000));
    const old = await post(path(source), body, json);
    expectProblem(old, 404, 'not_found');
    expect((await post(path(rotated), body, json)).statusCode).toBe(202);
    // Without grace the old URL stops at once.
    const now = await rotateToken(0);
    expectProblem(await post(path(rotated), body, json), 404, 'not_found');
    expect((await post(path(now), body, json)).statusCode).toBe(202);
  });

  it('rotates the secret with an overlap: old and new verify until the old one expires', async () => {
    const { source } = await created({ verification: { type: 'github' }, secret: 'old-secret' });
    const rotateSecret = (id: string, body: { overlap_seconds?: number }) =>
      t.api.POST('/v1/inbound/sources/{id}/rotate-secret', { params: { path: { id } }, body });
    const rotated = await expectData(rotateSecret(source.id, { overlap_seconds: 600 }));
    const fresh = rotated.secret.secret ?? '';
    expect(fresh.length).toBeGreaterThan(30);
    expect(rotated.source.secrets).toHaveLength(2);
    const body = '{"b":2}';
    expect((await post(path(source), body, githubHeaders('old-secret', body))).statusCode).toBe(202);
    expect((await post(path(source), body, githubHeaders(fresh, body))).statusCode).toBe(202);
    // The overlap ends in the database's time, so move the old secret's expiry into the past.
    await t.db.query(
      `update inbound_source_secrets set expires_at = now() - interval '1 second' where expires_at is not null`,
    );
    await expectData(
      t.api.PATCH('/v1/inbound/sources/{id}', { params: { path: { id: source.id } }, body: { description: 'touch' } }),
    );
    expectProblem(await post(path(source), body, githubHeaders('old-secret', body)), 401, 'signature_invalid');
    expect((await post(path(source), body, githubHeaders(fresh, body))).statusCode).toBe(202);
    const none = await created({ verification: { type: 'none' } });
    expectProblem(await rotateSecret(none.source.id, {}), 409, 'conflict');
  });

  it('edits, disables (the URL then answers 404 like an unknown one) and deletes a source with its events', async () => {
    const { source } = await created({ verification: { type: 'none' } });
    const body = '{"c":3}';
    const json = { 'content-type': 'application/json' };
    expect((await post(path(source), body, json)).statusCode).toBe(202);
    const patched = await expectData(
      t.api.PATCH('/v1/inbound/sources/{id}', {
        params: { path: { id: source.id } },
        body: { enabled: false, max_body_bytes: 10, response_mode: 'sync' },
      }),
    );
    expect(patched).toMatchObject({ enabled: false, max_body_bytes: 10, response_mode: 'sync' });
    const disabled = await post(path(source), body, json);
    const unknown = await post('/hooks/hook_AAAAAAAAAAAAAAAAAAAAAAAAAAA', body, json);
    expectProblem(disabled, 404, 'not_found');
    expectProblem(unknown, 404, 'not_found');
    expect(disabled.data.detail).toBe(unknown.data.detail);
    const counted = await expectData(getSource(source.id));
    expect(counted.rejections).toMatchObject({ count: 1, last_reason: 'source_disabled' });
    // `url` is not a field a source takes: sent untyped.
    const bad = await t.request({ method: 'PATCH', url: `/v1/inbound/sources/${source.id}`, body: { url: 'x' } });
    expectProblem(bad, 400, 'validation_failed');

    const remove = () => t.api.DELETE('/v1/inbound/sources/{id}', { params: { path: { id: source.id } } });
    await expectData(remove(), 204);
    expect(await rowCounts(t, tables)).toEqual(Object.fromEntries(tables.map((n) => [n, 0])));
    expectProblem(await remove(), 404, 'not_found');
    expectProblem(await post(path(source), body, json), 404, 'not_found');
  });

  it('keeps sources apart between tenants', async () => {
    const { source } = await created({ verification: { type: 'none' } });
    const other = await t.otherTenant();
    expectProblem(await getSource(source.id, other.token), 404, 'not_found');
    const list = await expectData(t.apiAs(other.token).GET('/v1/inbound/sources'));
    expect(list.data).toEqual([]);
  });
});
