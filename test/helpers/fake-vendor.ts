import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer };
export type VendorReply = {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
  delayMs?: number;
};
export type VendorHandler = (req: RecordedRequest) => VendorReply | Promise<VendorReply>;

/**
 * A vendor API for tests: a real HTTP server on 127.0.0.1 whose answers a test sets per route, recording every
 * request it receives (method, URL, headers, body) so tests can assert what Switchyard really sent.
 */
export async function startFakeVendor(initial: Record<string, VendorHandler | VendorReply> = {}) {
  const asHandler = (h: VendorHandler | VendorReply): VendorHandler => (typeof h === 'function' ? h : () => h);
  const routes = new Map<string, VendorHandler>(Object.entries(initial).map(([route, h]) => [route, asHandler(h)]));
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const recorded = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const path = recorded.url.split('?')[0] ?? '/';
      const handler = routes.get(`${recorded.method} ${path}`) ?? routes.get(path);
      const reply: VendorReply = handler ? await handler(recorded) : { status: 404, json: { error: 'not_found' } };
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
      res.writeHead(reply.status ?? 200, {
        ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    /** Set the answer for `"METHOD /path"` or `"/path"` (any method). */
    on(route: string, handler: VendorHandler | VendorReply) {
      routes.set(route, asHandler(handler));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
