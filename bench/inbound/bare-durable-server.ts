import http from 'node:http';
import { openDatabase } from '../../src/core/db/open.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';

// A second, durable baseline: a bare Node http server that commits each request's body and headers to the same
// kind of database as Switchyard (the embedded database in DATA_DIR, or the PostgreSQL database in DATABASE_URL) with one INSERT,
// then answers 202. No verification, no dedup, no batching: what "durable before 2xx" costs without a framework.
const db: Db = process.env.DATABASE_URL
  ? await openPostgres({ url: process.env.DATABASE_URL, poolSize: 10, namespace: 'bench_bare' })
  : await openDatabase({ dataDir: process.env.DATA_DIR as string, databaseUrl: undefined, dbPoolSize: 20 });
await db.exec(`create table if not exists bench_bare_inbound (
  id bigserial primary key, received_at timestamptz not null, headers jsonb not null, body bytea not null)`);

const answer = JSON.stringify({ id: 'whie_0000000000000000000000000', status: 'processed', duplicate_of: null });
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    db.query('insert into bench_bare_inbound (received_at, headers, body) values ($1, $2::jsonb, $3)', [
      new Date(),
      JSON.stringify(req.headers),
      Buffer.concat(chunks),
    ]).then(
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
