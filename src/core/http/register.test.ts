import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerRoutes, type RouteRuntime } from './register.js';
import type { RouteDef } from './route.js';

// The boot checks run before anything touches the runtime.
const runtime = {} as RouteRuntime;
/** A route made of the given parts over a harmless base; the checks under test are what types can't express. */
const route = (parts: Record<string, unknown>): RouteDef =>
  ({
    method: 'GET',
    operationId: 'thing',
    summary: 'A thing',
    tags: ['Test'],
    access: { capability: 'view_audit_log' },
    async handler() {},
    ...parts,
  }) as unknown as RouteDef;
const boot = (parts: Record<string, unknown>) => () => registerRoutes(Fastify(), [route(parts)], runtime);

describe('routes are checked when they are registered', () => {
  it('a route declaring several success statuses must say which one it answers with', () => {
    const twoStatuses = { url: '/a', schema: { response: { 200: z.object({}), 202: z.object({}) } } };
    expect(boot(twoStatuses)).toThrow('GET /a declares 200, 202: say which one it answers with (status)');
    expect(boot({ ...twoStatuses, status: 202 })).not.toThrow();
  });

  it('the status must be one the schema declares', () => {
    expect(boot({ url: '/b', schema: { response: { 200: z.object({}) } }, status: 201 })).toThrow(
      'GET /b answers 201, which its schema does not declare',
    );
  });

  it('a mutating route declares its audit action or says why it has none, and a public route says why', () => {
    const post = { method: 'POST', url: '/c', schema: { response: { 204: z.undefined() } } };
    expect(boot(post)).toThrow('POST /c mutates but declares no audit action');
    expect(boot({ ...post, audit: false })).toThrow(/gives no auditReason/);
    expect(boot({ url: '/d', access: 'public', schema: { response: { 200: z.string() } } })).toThrow(
      /is public but gives no publicReason/,
    );
  });
});
