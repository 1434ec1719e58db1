import http from 'node:http';
import { Pool } from 'undici';
import { openDatabase } from '../../src/core/db/open.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';
import { signatureHeaders } from '../../src/webhooks/signing.js';

/**
 * A second, durable baseline of bench/outbound: the least a durable webhook sender does, without a framework.
 * - `POST /events` stores the body in an outbox table of the same kind of database as Switchyard (the embedded database in
 *   DATA_DIR, or the PostgreSQL database in DATABASE_URL) with one INSERT, then answers 201 with the row's id.
 * - 16 senders (like Switchyard's endpoint cap) each take the oldest pending row with one UPDATE … RETURNING, sign it
 *   with the same signing code, POST it to RECEIVER over a keep-alive pool, and mark it sent with one UPDATE.
 * No authentication, validation, fan-out, audit, attempt log, retries or leases: what "durable before 2xx, sent at
 * least once" costs at its barest.
 */
const db: Db = process.env.DATABASE_URL
  ? await openPostgres({ url: process.env.DATABASE_URL, poolSize: 20, namespace: 'bench_bare' })
  : await openDatabase({ dataDir: process.env.DATA_DIR as string, databaseUrl: undefined, dbPoolSize: 20 });
await db.exec(`create table if not exists bench_bare_outbox (
  id bigserial primary key, body text not null, status text not null default 'pending');
  create index if not exists bench_bare_outbox_pending on bench_bare_outbox (id) where status = 'pending'`);

const receiver = new URL(process.env.RECEIVER as string);
const secret = process.env.SECRET as string;
const senders = 16;
const pool = new Pool(receiver.origin, { connections: senders });

// Senders with nothing to take wait for the next insert.
let waiting: (() => void)[] = [];
const wakeSenders = () => {
  const woken = waiting;
  waiting = [];
  for (const wake of woken) wake();
};

async function sender(): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ id: string; body: string }>(
      `update bench_bare_outbox set status = 'sending'
       where id = (select id from bench_bare_outbox where status = 'pending' order by id limit 1 for update skip locked)
       returning id::text, body`,
    );
    const row = rows[0];
    if (!row) {
      await new Promise<void>((resolve) => waiting.push(resolve));
      continue;
    }
    const now = new Date();
    const body = Buffer.from(`{"type":"order.placed","timestamp":"${now.toISOString()}","data":${row.body}}`);
    const res = await pool.request({
      path: receiver.pathname,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'bare-durable',
        ...signatureHeaders({ id: `bare_${row.id}`, timestamp: now, body, secrets: [{ secret }] }),
      },
      body,
    });
    await res.body.dump();
    await db.query(`update bench_bare_outbox set status = 'sent' where id = $1`, [row.id]);
  }
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const data = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: unknown }).data;
    db.query<{ id: string }>('insert into bench_bare_outbox (body) values ($1) returning id::text', [
      JSON.stringify(data),
    ]).then(
      ({ rows }) => {
        const answer = JSON.stringify({ id: `bare_${rows[0]?.id}` });
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
        wakeSenders();
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
});
for (let i = 0; i < senders; i++)
  sender().catch((error: unknown) => {
    process.stderr.write(`bare durable sender stopped: ${String(error)}\n`);
    process.exit(1);
  });
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
