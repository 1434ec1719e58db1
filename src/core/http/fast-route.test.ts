import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { AccessEntry } from '../logger.js';
import { fastRoutes, type FastHandler } from './fast-route.js';
import { defineRoute, type RouteDef } from './route.js';

/** A public POST route whose fast handler is `fast`; its Fastify handler is never reached here. */
const route = (fast: FastHandler, overrides: Partial<RouteDef> = {}): RouteDef => ({
  ...defineRoute({
    method: 'POST',
    url: '/things/:id/ping',
    operationId: 'ping',
    summary: 'Ping',
    tags: [],
    access: 'public',
    publicReason: 'test',
    audit: false,
    auditReason: 'test',
    rateLimit: false,
    schema: { params: z.object({ id: z.string().max(5) }), response: { 200: z.object({ ok: z.boolean() }) } },
    handler: () => Promise.resolve({ ok: true }),
  }),
  fast,
  ...overrides,
});

describe('fast routes', () => {
  const samples: string[] = [];
  const access: AccessEntry[] = [];
  const logged: string[] = [];
  let base = '';
  let server: http.Server;
  let shuttingDown = false;

  beforeAll(async () => {
    const dispatch = fastRoutes({
      routes: [
        route(async ({ params, headers, ip }) => {
          if (params.id === 'no') return undefined;
          if (params.id === 'bad') throw new ApiError('not_found', 'No such thing.', {}, { 'retry-after': '5' });
          if (params.id === 'boom') throw new Error('database password is hunter2');
          headers['x-extra'] = 'yes';
          return { status: 200, body: JSON.stringify({ id: params.id, ip }) };
        }),
      ],
      trustProxy: true,
      metrics: {
        observe: (method: string, r: string, status: number) => samples.push(`${method} ${r} ${status}`),
      } as never,
      access: (entry) => access.push(entry),
      log: pino({ level: 'error' }, { write: (line: string) => logged.push(line) }),
      newRequestId: () => 'req_test',
      isShuttingDown: () => shuttingDown,
    });
    server = http.createServer((req, res) =>
      dispatch(req, res, () => res.writeHead(299, { 'content-type': 'text/plain' }).end('fastify')),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', body: '{}', headers });

  it('answers a matching request with the shared headers, one metrics sample and one access-log line', async () => {
    const res = await post('/things/abc/ping', { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'abc', ip: '203.0.113.7' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-request-id')).toBe('req_test');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(samples.at(-1)).toBe('POST /things/:id/ping 200');
    expect(access.at(-1)).toMatchObject({ route: '/things/:id/ping', status: 200, url: '/things/abc/ping' });
  });

  it('hands to Fastify what it does not take: another method or shape, a query, an encoded character, invalid params, a decline, shutdown', async () => {
    const fastify = async (res: Response) => [res.status, await res.text()];
    expect(await fastify(await fetch(`${base}/things/abc/ping`))).toEqual([299, 'fastify']);
    for (const path of [
      '/things/abc',
      '/things//ping',
      '/things/abc/ping?x=1',
      '/things/a%62/ping',
      '/things/toolong/ping',
    ])
      expect(await fastify(await post(path)), path).toEqual([299, 'fastify']);
    expect(await fastify(await post('/things/no/ping'))).toEqual([299, 'fastify']);
    shuttingDown = true;
    try {
      expect(await fastify(await post('/things/abc/ping'))).toEqual([299, 'fastify']);
    } finally {
      shuttingDown = false;
    }
  });

  it('answers failures as problem details: an ApiError with its code and headers, anything else as a 500 that leaks nothing', async () => {
    const known = await post('/things/bad/ping');
    expect(known.status).toBe(404);
    expect(known.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(known.headers.get('retry-after')).toBe('5');
    expect(await known.json()).toMatchObject({
      code: 'not_found',
      detail: 'No such thing.',
      instance: '/things/bad/ping',
      request_id: 'req_test',
    });
    expect(access.at(-1)).toMatchObject({ status: 404, code: 'not_found' });

    const unknown = await post('/things/boom/ping');
    expect(unknown.status).toBe(500);
    const text = await unknown.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'internal_error', request_id: 'req_test' });
    expect(text).not.toContain('hunter2');
    expect(logged.some((line) => line.includes('unhandled error') && line.includes('req_test'))).toBe(true);
  });

  it('refuses at boot a fast handler on a route that authenticates, audits or rate-limits', () => {
    const options = {
      trustProxy: false,
      metrics: { observe: () => {} } as never,
      access: () => {},
      log: pino({ level: 'silent' }),
      newRequestId: () => 'req_x',
      isShuttingDown: () => false,
    };
    const fast: FastHandler = () => Promise.resolve(undefined);
    for (const overrides of [
      { access: { capability: 'view_connections' } },
      { rateLimit: undefined },
      { audit: { action: 'thing.ping', targetType: 'thing' } },
    ] as Partial<RouteDef>[]) {
      expect(() => fastRoutes({ ...options, routes: [route(fast, overrides)] })).toThrow(/a fast handler needs/);
    }
  });
});
