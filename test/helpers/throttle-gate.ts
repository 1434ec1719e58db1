import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A pass-through in front of a real storage server (s3rver, azurite) on loopback: every request is forwarded as it
 * came (method, path, headers - the Host included, so a signature over it still verifies), except the next
 * `throttle(n, …)` ones, answered with the vendor's documented throttle response instead. Counts what it forwards:
 * each request, and the bytes of its body and its answer's sent on so far. With a `pace`, bodies both ways go at that
 * many bytes a second (a download or an upload is mid-file for as long as a test needs).
 */
export type GateRequest = {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The answer's status, once the upstream answered (unset for a throttled or refused request). */
  status?: number;
  /** Bytes of the request's body sent on to the upstream so far. */
  sent: number;
  /** Bytes of the answer's body sent on to the client so far. */
  bytes: number;
};

export type ThrottleGate = {
  url: string;
  /** Answer the next `times` requests with this status, body and Retry-After (seconds), unforwarded. */
  throttle(times: number, answer: { status: number; body: string; retryAfter?: number; contentType?: string }): void;
  requests: GateRequest[];
  /** Send bodies (requests' and answers') at this many bytes a second from now on (undefined: as fast as they come). */
  pace(bytesPerSecond: number | undefined): void;
  close(): Promise<void>;
};

export async function startThrottleGate(
  upstream: string,
  options: {
    /** Refuse a request whose signature does not verify with this (403 and the body given), before forwarding. */
    verify?: (req: http.IncomingMessage) => Promise<boolean>;
    refusal?: { status: number; body: string };
    /** Bytes a second for bodies both ways (see `pace`). */
    pace?: number;
  } = {},
): Promise<ThrottleGate> {
  const target = new URL(upstream);
  let pending: { times: number; answer: Parameters<ThrottleGate['throttle']>[1] } | undefined;
  const requests: GateRequest[] = [];
  let pace = options.pace;
  const server = http.createServer((req, res) => {
    const entry: GateRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      sent: 0,
      bytes: 0,
    };
    requests.push(entry);
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
      forwardTo(req, res, entry);
    });
  });
  const forwardTo = (req: http.IncomingMessage, res: http.ServerResponse, entry: GateRequest) => {
    const forward = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        entry.status = answer.statusCode ?? 502;
        res.writeHead(entry.status, answer.headers);
        void sendOn(answer, res, (n) => (entry.bytes += n)).catch(() => res.destroy());
      },
    );
    forward.on('error', () => res.destroy());
    void sendOn(req, forward, (n) => (entry.sent += n)).catch(() => forward.destroy());
  };
  /** The other side took what was buffered, or went away. */
  const drained = (to: Writable) =>
    new Promise<void>((resolve) => {
      const done = () => {
        to.off('drain', done);
        to.off('close', done);
        resolve();
      };
      to.on('drain', done);
      to.on('close', done);
    });
  /** A body sent on, counted, in slices of a twentieth of a second at the pace when there is one. */
  const sendOn = async (from: Readable, to: Writable, counted: (bytes: number) => void) => {
    to.once('close', () => from.destroy());
    for await (const chunk of from as AsyncIterable<Buffer>) {
      const slice = pace ? Math.max(1, Math.floor(pace / 20)) : chunk.length;
      for (let i = 0; i < chunk.length; i += slice) {
        if (to.destroyed) return;
        const part = chunk.subarray(i, i + slice);
        counted(part.length);
        if (!to.write(part)) await drained(to);
        if (pace) await sleep((part.length / pace) * 1000);
      }
    }
    to.end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    throttle: (times, answer) => {
      pending = { times, answer };
    },
    requests,
    pace: (bytesPerSecond) => {
      pace = bytesPerSecond;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
