import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../core/db/port.js';
import { migrationStatus } from '../core/db/migrate.js';
import { ApiError, errorCatalogue } from '../core/errors.js';
import type { HttpMetrics } from '../core/http/metrics.js';
import { defineRoute } from '../core/http/route.js';

const html = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}` +
  `code{background:#eef1f4;padding:.1rem .3rem;border-radius:4px}a{color:#0b57d0}table{border-collapse:collapse}` +
  `td,th{border-bottom:1px solid #dde1e6;padding:.35rem .6rem;text-align:left;vertical-align:top}</style></head><body>${body}</body></html>`;

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/**
 * Health, readiness, metrics, the OpenAPI document, the root page and the error catalogue page. Probes are
 * public (load balancers and orchestrators call them); metrics need `view_metrics` unless
 * SWITCHYARD_METRICS_PUBLIC=true.
 */
export function opsRoutes(deps: {
  db: Db;
  metrics: HttpMetrics;
  metricsPublic: boolean;
  app: () => FastifyInstance;
  isShuttingDown: () => boolean;
}) {
  const { db, metrics } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      operationId: 'getHealth',
      summary: 'Liveness: the process is up',
      tags: ['Operations'],
      access: 'public',
      publicReason: 'Liveness probes carry no credentials.',
      rateLimit: false,
      schema: { response: { 200: z.object({ status: z.literal('ok') }) } },
      async handler() {
        return { status: 'ok' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      operationId: 'getReadiness',
      summary: 'Readiness: the database answers and every migration is applied',
      tags: ['Operations'],
      access: 'public',
      publicReason: 'Readiness probes carry no credentials.',
      rateLimit: false,
      errors: ['not_ready'],
      schema: {
        response: {
          200: z.object({
            status: z.literal('ready'),
            database: z.enum(['embedded', 'postgres']),
            migration: z.number().int(),
          }),
        },
      },
      async handler() {
        if (deps.isShuttingDown()) throw new ApiError('not_ready', 'The server is shutting down.');
        let status;
        try {
          status = await migrationStatus(db);
        } catch {
          throw new ApiError('not_ready', 'The database does not answer.');
        }
        if (status.edited.length > 0) {
          throw new ApiError('not_ready', `Migrations ${status.edited.join(', ')} changed after they were applied.`);
        }
        if (status.pending.length > 0) {
          throw new ApiError('not_ready', `Migrations ${status.pending.join(', ')} are not applied yet.`);
        }
        return { status: 'ready' as const, database: db.kind, migration: status.latestApplied };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      operationId: 'getMetrics',
      summary: 'Prometheus metrics (text exposition format)',
      tags: ['Operations'],
      access: deps.metricsPublic ? 'public' : { capability: 'view_metrics' },
      publicReason: 'SWITCHYARD_METRICS_PUBLIC=true lets an unauthenticated scraper read metrics.',
      rateLimit: false,
      responseType: 'text/plain',
      schema: { response: { 200: z.string() } },
      async handler({ reply }) {
        const text = await metrics.registry.metrics();
        reply.type(metrics.registry.contentType).serializer((payload) => payload as string);
        return text;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/openapi.json',
      operationId: 'getOpenApi',
      summary: 'This API as an OpenAPI 3.1 document',
      tags: ['Operations'],
      access: 'public',
      publicReason: 'The API description is documentation, like /docs.',
      hidden: true,
      schema: { response: { 200: z.looseObject({ openapi: z.string() }) } },
      async handler() {
        return deps.app().swagger() as { openapi: string };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/docs/errors',
      operationId: 'getErrorCatalogue',
      summary: 'Every error code the API answers',
      tags: ['Operations'],
      access: 'public',
      publicReason: 'Documentation.',
      hidden: true,
      responseType: 'text/html',
      schema: { response: { 200: z.string() } },
      async handler({ reply }) {
        reply
          .type('text/html; charset=utf-8')
          .header('referrer-policy', 'no-referrer')
          .serializer((payload) => payload as string);
        const rows = Object.entries(errorCatalogue)
          .map(
            ([code, e]) =>
              `<tr id="${code}"><td><code>${code}</code></td><td>${e.status}</td><td>${escape(e.title)}</td></tr>`,
          )
          .join('');
        return html(
          'Switchyard error codes',
          `<h1>Error codes</h1><p>Errors are RFC 9457 problem details (<code>application/problem+json</code>) with a stable <code>code</code>.</p>` +
            `<table><thead><tr><th>code</th><th>status</th><th>meaning</th></tr></thead><tbody>${rows}</tbody></table>`,
        );
      },
    }),
  ];
}
