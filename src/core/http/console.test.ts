import Fastify, { type FastifyInstance } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, serveConsole } from './console.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A Fastify app serving a console from `dir`, with one API route and a JSON 404 for everything else. */
async function appServing(dir: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/v1/things', async () => ({ data: [] }));
  const page = await serveConsole(app, dir);
  app.setNotFoundHandler((req, reply) => {
    if (page(req, reply)) return reply;
    return reply.code(404).send({ code: 'route_not_found' });
  });
  await app.ready();
  cleanup.push(() => app.close());
  return app;
}

function builtConsole(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-console-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Switchyard</title><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  return dir;
}

const html = { accept: 'text/html,application/xhtml+xml' };

describe('serving the web console', () => {
  it('answers / and every client-side route with the page, under a strict CSP and no caching', async () => {
    const app = await appServing(builtConsole());
    for (const url of ['/', '/connections', '/webhooks/inbound?status=failed', '/connections/conn_1']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
  });

  it('serves hashed assets with long caching, and 404s an unknown asset', async () => {
    const app = await appServing(builtConsole());
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("app")');
    expect(asset.headers['cache-control']).toContain('immutable');
    const missing = await app.inject({ url: '/assets/index-gone.js', headers: html });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'route_not_found' });
  });

  it('never answers API paths, non-GET requests or non-browser requests with the page', async () => {
    const app = await appServing(builtConsole());
    for (const url of ['/v1/unknown', '/hooks/hook_x', '/docs/nothing', '/metrics/x']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ code: 'route_not_found' });
    }
    expect((await app.inject({ method: 'POST', url: '/connections', headers: html })).statusCode).toBe(404);
    expect((await app.inject({ url: '/connections', headers: { accept: 'application/json' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/things', headers: html })).json()).toEqual({ data: [] });
  });

  it('says how to build the console when it has not been built', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-console-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const app = await appServing(dir);
    const res = await app.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });
});
