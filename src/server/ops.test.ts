import { loadMigrations } from '../core/db/migrate.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';
import { migrationStatus } from '../core/db/migrate.js';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

describe('probes', () => {
  it('/healthz and /readyz answer without credentials (and despite a stale one)', async () => {
    t = await createTestApp();
    for (const token of [null, 'syk_revoked_or_made_up']) {
      const health = await t.request({ url: '/healthz', token });
      expect(health.statusCode).toBe(200);
      expect(health.data).toEqual({ status: 'ok' });
      const ready = await t.request({ url: '/readyz', token });
      expect(ready.statusCode).toBe(200);
      expect(ready.data).toEqual({ status: 'ready', database: 'postgres', migration: loadMigrations().length });
    }
  });

  it('/readyz answers 503 not_ready while a migration is pending, and when shutting down', async () => {
    t = await createTestApp();
    const latest = (await migrationStatus(t.db)).latestKnown;
    await t.db.query('delete from switchyard_migrations where id = $1', [latest]);
    expect((await migrationStatus(t.db)).pending).toEqual([latest]);
    const pending = await t.request({ url: '/readyz', token: null });
    expectProblem(pending, 503, 'not_ready');
    expect(pending.data.detail).toContain(String(latest));
    await t.db.query("insert into switchyard_migrations (id, name) values ($1, 'restored')", [latest]);
    expect((await t.request({ url: '/readyz', token: null })).statusCode).toBe(200);

    t.built.beginShutdown();
    expectProblem(await t.request({ url: '/readyz', token: null }), 503, 'not_ready');
    expect((await t.request({ url: '/healthz', token: null })).statusCode).toBe(200);
  });
});

describe('/metrics', () => {
  it('needs view_metrics and counts requests by route template', async () => {
    t = await createTestApp();
    const { token: viewer } = await t.keyWithRole('viewer');
    const { token: admin } = await t.keyWithRole('administrator');
    expectProblem(await t.request({ url: '/metrics', token: viewer }), 403, 'forbidden');
    expectProblem(await t.request({ url: '/metrics', token: null }), 401, 'unauthenticated');
    const userId = 'usr_not_in_labels';
    await t.request({ url: `/v1/users/${userId}` });
    await t.request({ url: '/v1/me' });

    const res = await t.request({ url: '/metrics', token: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE switchyard_http_requests_total counter');
    expect(res.body).toMatch(/switchyard_http_requests_total\{method="GET",route="\/v1\/me",status="200"\} 1/);
    expect(res.body).toMatch(/switchyard_http_requests_total\{method="GET",route="\/v1\/users\/:id",status="404"\} 1/);
    expect(res.body).toContain('switchyard_http_request_duration_seconds_bucket');
    expect(res.body).not.toContain(userId);
    expect(res.body).not.toContain('switchyard_process_');
  });

  it('includes process metrics when asked, and can be made public', async () => {
    t = await createTestApp({ processMetrics: true, config: { metricsPublic: true } });
    const res = await t.request({ url: '/metrics', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('switchyard_process_cpu_user_seconds_total');
    expect(res.body).toContain('switchyard_nodejs_heap_size_used_bytes');
  });
});

describe('request ids', () => {
  it('every response carries x-request-id, whatever its status', async () => {
    t = await createTestApp();
    const requests = [
      { url: '/healthz', token: null },
      { url: '/v1/me' },
      { url: '/v1/me', token: null },
      { url: '/v1/nowhere' },
      { method: 'PUT' as const, url: '/v1/api-keys' },
      { url: '/v1/api-keys/%zz' },
      { url: '/docs', token: null },
      { method: 'POST' as const, url: '/v1/roles', body: '{', headers: { 'content-type': 'application/json' } },
    ];
    const ids = new Set<string>();
    for (const request of requests) {
      const res = await t.request(request);
      const id = res.headers['x-request-id'];
      expect(id, request.url).toMatch(/^req_[0-9a-z]+$/);
      ids.add(id as string);
    }
    expect(ids.size).toBe(requests.length);
  });

  it('echoes a well-formed client id and replaces a malformed one', async () => {
    t = await createTestApp();
    const echoed = await t.request({ url: '/v1/me', headers: { 'x-request-id': 'trace-01:abc.DEF_9' } });
    expect(echoed.headers['x-request-id']).toBe('trace-01:abc.DEF_9');
    for (const bad of ['has spaces', 'x'.repeat(200), 'new\\nline']) {
      const res = await t.request({ url: '/v1/me', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    }
    const failed = await t.request({ url: '/v1/users/usr_x', headers: { 'x-request-id': 'trace-02' } });
    expect(failed.data.request_id).toBe('trace-02');
  });
});

describe('documentation', () => {
  it('/docs serves the API reference as HTML, and /docs/errors every error code', async () => {
    t = await createTestApp();
    const docs = await t.request({ url: '/docs', token: null });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.body).toContain('swagger-ui');
    const errors = await t.request({ url: '/docs/errors', token: null });
    expect(errors.headers['content-type']).toMatch(/^text\/html/);
    for (const code of ['validation_failed', 'not_found', 'rate_limited', 'csrf_failed']) {
      expect(errors.body).toContain(`id="${code}"`);
    }
  });

  it('/v1/openapi.json is OpenAPI 3.1 describing every documented route', async () => {
    t = await createTestApp();
    const res = await t.request({ url: '/v1/openapi.json', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.data.openapi).toBe('3.1.0');
    const paths = res.data.paths as Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    for (const route of t.built.routes) {
      // A trailing wildcard (the API proxy) is documented as the path parameter `*`, as @fastify/swagger names it.
      const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{*}');
      const operation = paths[path]?.[route.method.toLowerCase()];
      if (route.hidden) {
        expect(operation, `${route.method} ${route.url} is hidden`).toBeUndefined();
        continue;
      }
      expect(operation?.operationId, `${route.method} ${route.url}`).toBe(route.operationId);
      if (route.access === 'public') expect(operation?.security, route.url).toEqual([]);
    }
  });
});
