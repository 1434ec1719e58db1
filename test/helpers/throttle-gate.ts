import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of a real storage server (s3rver, azurite) on loopback: every request is forwarded as it
 * came (method, path, headers - the Host included, so a signature over it still verifies), except the next
 * `throttle(n, …)` ones, answered with the vendor's documented throttle response instead. Counts what it forwards.
 */
export type ThrottleGate = {
  url: string;
  /** Answer the next `times` requests with this status, body and Retry-After (seconds), unforwarded. */
  throttle(times: number, answer: { status: number; body: string; retryAfter?: number; contentType?: string }): void;
  requests: { method: string; url: string; headers: Record<string, string | string[] | undefined> }[];
  close(): Promise<void>;
};

export async function startThrottleGate(
  upstream: string,
  options: {
    /** Refuse a request whose signature does not verify with this (403 and the body given), before forwarding. */
    verify?: (req: http.IncomingMessage) => Promise<boolean>;
    refusal?: { status: number; body: string };
  } = {},
): Promise<ThrottleGate> {
  const target = new URL(upstream);
  let pending: { times: number; answer: Parameters<ThrottleGate['throttle']>[1] } | undefined;
  const requests: ThrottleGate['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    if (pending && pending.times > 0) {
      pending.times -= 1;
      const { status, body, retryAfter, contentType } = pending.answer;
      req.resume();
      res.writeHead(status, {
        'content-type': contentType ?? 'application/xml',
        ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
      });
      res.end(body);
      return;
    }
    void (options.verify ? options.verify(req) : Promise.resolve(true)).then((ok) => {
      if (!ok) {
        req.resume();
        res.writeHead(options.refusal?.status ?? 403, { 'content-type': 'application/xml' });
        res.end(options.refusal?.body ?? '');
        return;
      }
      forwardTo(req, res);
    });
  });
  const forwardTo = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const forward = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    throttle: (times, answer) => {
      pending = { times, answer };
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
