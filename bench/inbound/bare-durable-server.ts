import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { createGroupCommit } from '../../src/core/group-commit.js';
import { referenceDatabase } from '../lib/database.js';

/**
 * The durable references of bench/inbound: bare Node http servers that commit each request to the same kind of
 * database as Switchyard (the embedded database in DATA_DIR, or the PostgreSQL database in DATABASE_URL) before
 * answering 202. MODE chooses how:
 * - `single`: one INSERT per request, no verification, no dedup, no batching — what "durable before 2xx" costs
 *   written the obvious way;
 * - `group`: the same durable work as Switchyard's, written the way a performance engineer would: the HMAC-SHA256
 *   signature checked (SECRET, X-Signature, hex), the delivery id deduplicated (a unique key), and requests
 *   group-committed (the codebase's group commit: everything that arrives while a write is in flight goes in with
 *   the next one, one multi-row statement of array parameters, four writes in flight like Switchyard's writer).
 */
const mode = process.env.MODE === 'group' ? 'group' : 'single';
const table = `bench_${mode}_inbound`;
const db = await referenceDatabase(`bench_${mode}`, 20);
await db.exec(`create table if not exists ${table} (
  id bigserial primary key, delivery_id text unique, received_at timestamptz not null, headers jsonb not null,
  body bytea not null)`);
const secret = Buffer.from(process.env.SECRET ?? '');

type Row = { deliveryId: string | null; headers: string; body: Buffer };

const insertOne = (row: Row) =>
  db.query(`insert into ${table} (delivery_id, received_at, headers, body) values ($1, now(), $2::jsonb, $3)`, [
    row.deliveryId,
    row.headers,
    row.body,
  ]);

const insertGroup = createGroupCommit<Row, void>(
  async (rows) => {
    await db.query(
      `insert into ${table} (delivery_id, received_at, headers, body)
       select d, now(), h, b from unnest($1::text[], $2::jsonb[], $3::bytea[]) as r (d, h, b)
       on conflict (delivery_id) do nothing`,
      [rows.map((r) => r.deliveryId), rows.map((r) => r.headers), rows.map((r) => r.body)],
    );
    return rows.map(() => undefined);
  },
  { max: 200, concurrency: 4 },
);

function verified(req: http.IncomingMessage, body: Buffer): boolean {
  const given = Buffer.from(String(req.headers['x-signature'] ?? ''), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const answer = JSON.stringify({ id: 'whie_0000000000000000000000000', status: 'processed', duplicate_of: null });
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (mode === 'group' && req.method === 'POST' && !verified(req, body)) {
      res.writeHead(401).end('bad signature');
      return;
    }
    const row = {
      deliveryId: mode === 'group' ? String(req.headers['x-delivery-id'] ?? '') || null : null,
      headers: JSON.stringify(req.headers),
      body,
    };
    (mode === 'group' ? insertGroup(row) : insertOne(row)).then(
      () => {
        res.writeHead(202, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(answer),
        });
        res.end(answer);
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => void db.close().then(() => process.exit(0))));
