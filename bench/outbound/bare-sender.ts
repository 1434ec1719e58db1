import { Pool } from 'undici';
import { signatureHeaders } from '../../src/webhooks/signing.js';

/**
 * The baseline of bench/outbound: a bare loop of Standard Webhooks POSTs to the receiver: build the body, sign it
 * with the same signing code, send over a keep-alive pool, await the 2xx. No queue, no database, no log: what a
 * webhook sender costs before durability. Prints one JSON line with the rate.
 */
const receiver = new URL(process.env.RECEIVER as string);
const count = Number(process.env.COUNT ?? 3000);
const concurrency = Number(process.env.CONCURRENCY ?? 16);
const secret = process.env.SECRET as string;
const pool = new Pool(receiver.origin, { connections: concurrency });
const data = process.env.BENCH_DATA ?? '{}';

let next = 0;
let failures = 0;
async function worker(): Promise<void> {
  while (next < count) {
    const n = next++;
    const id = `evt_bare_${n}`;
    const now = new Date();
    const body = Buffer.from(`{"type":"order.placed","timestamp":"${now.toISOString()}","data":${data}}`);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'bare-sender',
      ...signatureHeaders({ id, timestamp: now, body, secrets: [{ secret }] }),
    };
    const res = await pool.request({ path: receiver.pathname, method: 'POST', headers, body });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode >= 300) failures++;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ count, seconds, perSecond: count / seconds, failures })}\n`);
await pool.close();
