import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CONSOLE_CSP } from '../core/http/console.js';
import type { Queryable } from '../core/db/port.js';
import { defineRoute } from '../core/http/route.js';
import { sha256Hex } from '../core/ids.js';
import { sessionByTokenHash } from './sql.js';

/**
 * `GET /connect?session=<token>&origin=<the embedding page's origin>`: the hosted Connect UI (console/dist/
 * connect.html, a page of its own in the console build). It may be framed only by the origin the link names, and only
 * when the session allows that origin; the page posts its results to that origin alone. An unknown token or a
 * foreign origin gets an error page that cannot be framed. An expired or used session still gets the UI, which says so
 * (and tells the embedding page) when it reads the session.
 */
export function connectPageRoutes(deps: { db: Queryable; consoleDir: string }) {
  const file = path.join(deps.consoleDir, 'connect.html');
  let page: string | undefined;
  const load = () => (page ??= fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  return [
    defineRoute({
      method: 'GET',
      url: '/connect',
      operationId: 'connectPage',
      summary: 'The hosted Connect UI for a connect session',
      tags: ['Connect'],
      access: 'public',
      publicReason: 'An end user opens it with a connect session’s token, which the page then uses for every call.',
      hidden: true,
      responseType: 'text/html',
      schema: {
        querystring: z.object({ session: z.string().max(200).optional(), origin: z.string().max(300).optional() }),
        response: { 200: z.string() },
      },
      async handler({ query, reply }) {
        const session = query.session ? await sessionByTokenHash(deps.db, sha256Hex(query.session)) : undefined;
        const html = load();
        reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .serializer((payload) => payload as string);
        if (!session)
          return refuse(
            reply,
            401,
            'This connect link is not valid',
            'Go back to the app that sent you here and start again.',
          );
        if (!query.origin || !session.allowed_origins.includes(query.origin)) {
          return refuse(
            reply,
            403,
            'This page may not open this connect link',
            `The connect link was made for other sites than ${query.origin ?? 'this one'}. Go back to the app and start again.`,
          );
        }
        if (!html) return refuse(reply, 503, 'The Connect UI is not built', 'Build it with npm run build.');
        const logo = session.branding.logo_url ? ` ${new URL(session.branding.logo_url).origin}` : '';
        const csp = CONSOLE_CSP.replace("frame-ancestors 'none'", `frame-ancestors ${query.origin}`).replace(
          "img-src 'self' data:",
          `img-src 'self' data:${logo}`,
        );
        reply.header('content-security-policy', csp);
        return html;
      },
    }),
  ];
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function refuse(
  reply: { code(n: number): unknown; header(k: string, v: string): unknown },
  status: number,
  title: string,
  detail: string,
) {
  reply.code(status);
  reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  reply.header('x-frame-options', 'DENY');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1><p>${escape(detail)}</p></main></body></html>`;
}
