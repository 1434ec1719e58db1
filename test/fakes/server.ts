import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
};

export type FakeReply = {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  /** Text, or bytes (a file's content). */
  body?: string | Buffer;
  /** Announce the whole body's Content-Length, send only this many bytes, then close the connection. */
  cutAt?: number;
};

/**
 * A one-off misbehaviour for the next request that matches: another answer (a 429, garbage), or an answer that
 * never comes (the vendor stalls, or acts and its answer is lost; the socket is closed when the fake stops).
 */
export type Fault = {
  match?: (req: FakeRequest) => boolean;
  reply?: FakeReply;
  stall?: boolean;
  /** The vendor acts on the request (its handler runs) but the answer never comes: a lost answer. */
  lose?: boolean;
};

/**
 * The HTTP server under every vendor fake: a real server on 127.0.0.1 that records each request, answers through
 * the vendor's handler, and injects one-off faults a test asks for.
 */
export async function startFakeServer(handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>) {
  const requests: FakeRequest[] = [];
  const faults: Fault[] = [];
  const stalled = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const recorded: FakeRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const i = faults.findIndex((f) => !f.match || f.match(recorded));
      const fault = i >= 0 ? faults.splice(i, 1)[0] : undefined;
      if (fault?.stall) {
        stalled.add(res);
        return;
      }
      if (fault?.lose) {
        stalled.add(res);
        void Promise.resolve(handler(recorded));
        return;
      }
      void Promise.resolve(fault?.reply ?? handler(recorded)).then((reply) => {
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
        res.writeHead(reply.status ?? 200, {
          ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(reply.cutAt !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...reply.headers,
        });
        if (reply.cutAt === undefined) return void res.end(body);
        res.write(Buffer.from(body).subarray(0, reply.cutAt), () => res.socket?.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Misbehave once, on the next request `fault.match` accepts (any request without one). */
    inject(fault: Fault) {
      faults.push(fault);
    },
    /** Forget the faults injected and not yet met. */
    clearFaults() {
      faults.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeServer = Awaited<ReturnType<typeof startFakeServer>>;

/** A JSON body of a request, or undefined. */
export const jsonOf = (req: FakeRequest): Record<string, unknown> | undefined =>
  req.body.length ? (JSON.parse(req.body.toString()) as Record<string, unknown>) : undefined;

/** Sorted copy by the given keys (all ascending). */
export function sortBy<T>(items: T[], ...keys: ((item: T) => string | number)[]): T[] {
  return [...items].sort((a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
