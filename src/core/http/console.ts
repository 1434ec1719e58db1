import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';

/** The console's pages load only their own scripts and styles and talk only to this server. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API (or its docs) and never answer with the console's page. */
const API_PATH = /^\/(v1|hooks|docs|healthz|readyz|metrics)(\/|$)/;

/** Answers a request the router did not match with the console's page; false when the request is not for it. */
export type ConsoleFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Serve the web console built by Vite into `dir` (console/dist): hashed assets under /assets/ with long caching,
 * and index.html for every other browser navigation (the console routes on the client). When the console has not
 * been built, browsers get a page saying how to build it.
 */
export async function serveConsole(app: FastifyInstance, dir: string): Promise<ConsoleFallback> {
  const indexFile = path.join(dir, 'index.html');
  const built = fs.existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(dir, 'assets'),
      prefix: '/assets/',
      maxAge: '365d',
      immutable: true,
      index: false,
      // The console's page is answered by the fallback below, with its security headers.
      serveDotFiles: false,
    });
  }
  const page = built ? fs.readFileSync(indexFile, 'utf8') : notBuiltPage;
  return (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = req.url.split('?')[0] ?? '/';
    if (API_PATH.test(pathname) || pathname.startsWith('/assets/')) return false;
    if (!(req.headers.accept ?? '').includes('text/html') && pathname !== '/') return false;
    void reply
      .code(built ? 200 : 503)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .send(page);
    return true;
  };
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchyard</title></head>
<body>
<h1>Switchyard is running; its console is not built</h1>
<p>Build it with <code>npm run build</code> (the README's start command, <code>npm ci &amp;&amp; npm start</code>, does this)
and restart the server. The API is at <code>/v1</code> and its reference at <a href="/docs">/docs</a>.</p>
</body></html>
`;
