import http from 'node:http';
import { Pool } from 'undici';
import { signatureHeaders } from '../../src/webhooks/signing.js';

/** What the reference senders of bench/outbound share: the receiver they POST to and the `POST /events` they serve. */

/** The run's receiver (RECEIVER, signed with SECRET): one signed POST of an event, answering the status. */
export function receiverFromEnv(connections: number, userAgent: string) {
  const receiver = new URL(process.env.RECEIVER as string);
  const secret = process.env.SECRET as string;
  const pool = new Pool(receiver.origin, { connections });
  return {
    async post(id: string, type: string, dataJson: string): Promise<number> {
      const now = new Date();
      const body = Buffer.from(
        `{"type":${JSON.stringify(type)},"timestamp":"${now.toISOString()}","data":${dataJson}}`,
      );
      const res = await pool.request({
        path: receiver.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': userAgent,
          ...signatureHeaders({ id, timestamp: now, body, secrets: [{ secret }] }),
        },
        body,
      });
      await res.body.dump();
      return res.statusCode;
    },
    close: () => pool.close(),
  };
}

/**
 * `POST /events` on PORT (printing `ready` once listening): `accept` stores the event durably and answers its id,
 * sent back with 201; a failure answers 500. Anything else is 404.
 */
export function serveEvents(accept: (event: { type: string; data: unknown }) => Promise<string>): http.Server {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/events') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: unknown };
      accept(event).then(
        (id) => {
          const answer = JSON.stringify({ id });
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
          res.end(answer);
        },
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
  });
  server.keepAliveTimeout = 72_000;
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
  return server;
}
