import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one request. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Destroy the socket without answering (a connection reset). */
  | { reset: true }
  /** Never answer, until `release()` (a hung or very slow receiver). */
  | { hang: true };

export type Received = {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
};

/**
 * A local webhook receiver that injects faults: each request takes the next queued behaviour for its path, or the
 * default (200). It records every request with its raw body, so tests verify signatures over the exact bytes.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const queues = new Map<string, Behaviour[]>();
  const defaults = new Map<string, Behaviour>();
  const hung = new Set<() => void>();
  const waiters: { count: number; resolve: () => void }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      for (const w of waiters.splice(0)) {
        if (received.length >= w.count) w.resolve();
        else waiters.push(w);
      }
      const behaviour = queues.get(path)?.shift() ?? defaults.get(path) ?? { status: 200, body: 'ok' };
      if ('reset' in behaviour) {
        req.socket.destroy();
        return;
      }
      if ('hang' in behaviour) {
        const release = () => {
          hung.delete(release);
          if (!res.writableEnded) res.writeHead(200).end('late');
        };
        hung.add(release);
        return;
      }
      const answer = () => res.writeHead(behaviour.status, behaviour.headers ?? {}).end(behaviour.body ?? '');
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    /** Queue behaviours for the next requests to `path`, in order. */
    queue(path: string, ...behaviours: Behaviour[]) {
      queues.set(path, [...(queues.get(path) ?? []), ...behaviours]);
    },
    /** What `path` does once its queue is empty. */
    always(path: string, behaviour: Behaviour) {
      defaults.set(path, behaviour);
    },
    /** Resolves once `count` requests have arrived in all. */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    /** Answer every hung request. */
    release() {
      for (const release of [...hung]) release();
    },
    async close() {
      for (const release of [...hung]) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
