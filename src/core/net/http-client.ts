import { createHash } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { Cidr } from './cidr.js';
import { createGuardedDispatcher, type ResolveHost } from './ssrf.js';

/** A request about to leave for a vendor or a receiver (connections add authentication to it before it does). */
export type OutboundRequest = {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
};

/** A client certificate (PEM) to present for mutual TLS; `ca` replaces the default trust store. */
export type ClientTls = { cert: string; key: string; ca?: string };

export type Outbound = ReturnType<typeof createOutbound>;

/**
 * Every request to a user-influenced destination (vendors, authorization servers, webhook receivers, forward targets)
 * leaves through here: over the SSRF-guarded dispatcher (resolve once, refuse non-public addresses, connect to the
 * checked one), never following redirects. Connections presenting a client certificate
 * get a dispatcher of their own, kept per certificate so its TLS sessions and sockets are reused.
 */
export function createOutbound(options: { allow: readonly Cidr[]; lookup?: ResolveHost; connectTimeoutMs?: number }) {
  const guard = {
    allow: options.allow,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
  };
  const shared = createGuardedDispatcher(guard);
  const withTls = new Map<string, Dispatcher>();

  function dispatcherFor(tls?: ClientTls): Dispatcher {
    if (!tls) return shared;
    const key = createHash('sha256')
      .update(tls.cert)
      .update('\0')
      .update(tls.key)
      .update('\0')
      .update(tls.ca ?? '')
      .digest('hex');
    let dispatcher = withTls.get(key);
    if (!dispatcher) {
      if (withTls.size >= 200) {
        const [oldestKey, oldest] = withTls.entries().next().value as [string, Dispatcher];
        withTls.delete(oldestKey);
        void oldest.close();
      }
      dispatcher = createGuardedDispatcher({ ...guard, tls });
      withTls.set(key, dispatcher);
    }
    return dispatcher;
  }

  return {
    dispatcherFor,
    /** Send a buffered request; the response body is read up to `maxBytes` (the rest is discarded). */
    async send(
      req: OutboundRequest,
      opts: { tls?: ClientTls; timeoutMs: number; maxBytes?: number },
    ): Promise<{ status: number; headers: Record<string, string>; body: Buffer; truncated: boolean }> {
      const res = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        ...(req.body ? { body: req.body } : {}),
        dispatcher: dispatcherFor(opts.tls),
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      const max = opts.maxBytes ?? 64 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body) {
        const buffer = chunk as Buffer;
        if (size + buffer.length > max) {
          chunks.push(buffer.subarray(0, max - size));
          size = max;
          truncated = true;
          break;
        }
        chunks.push(buffer);
        size += buffer.length;
      }
      if (truncated) res.body.destroy();
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks), truncated };
    },
    async close(): Promise<void> {
      await Promise.all([shared.close(), ...[...withTls.values()].map((d) => d.close())]);
    },
  };
}

export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
