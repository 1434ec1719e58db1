import http from 'node:http';
import path from 'node:path';
import { Logger, run, type Task } from 'graphile-worker';
import pg from 'pg';
import { Pool } from 'undici';
import { startEmbeddedPostgres } from '../../src/core/db/embedded-postgres.js';
import { signatureHeaders } from '../../src/webhooks/signing.js';

/**
 * The graphile-worker sender of bench/outbound: outbound webhooks as a Node team would send them with the PostgreSQL
 * job queue it would pick, on the same kind of database as Switchyard (an embedded server of its own in
 * DATA_DIR/postgres, started as Switchyard starts it, or the PostgreSQL database in DATABASE_URL).
 * - `POST /events` adds one `deliver` job with `addJob` (graphile-worker's `add_job`, which commits the job and
 *   notifies the runner) and answers 201 with the job's id once it returned.
 * - A runner in this process, 16 jobs at once (like Switchyard's endpoint cap), woken by LISTEN/NOTIFY, runs `deliver`:
 *   sign with the same signing code and POST to RECEIVER over a keep-alive pool; a non-2xx answer throws, so the job
 *   is retried. The job completing is its record.
 * - Batching as graphile-worker's performance guide advises for a high-throughput queue: a local queue of
 *   concurrency + 1 jobs, job completions and failures released in batches (25 ms).
 * Its tables live in a schema of their own (bench_graphile_worker).
 */
const concurrency = 16;
const schema = 'bench_graphile_worker';
const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dir: path.join(process.env.DATA_DIR as string, 'postgres') });
// One pool for the runner and addJob, as large as the other senders' (20): the docs ask for at least concurrency + 2.
const pgPool = new pg.Pool({
  ...(embedded ? embedded.connection : { connectionString: process.env.DATABASE_URL }),
  max: 20,
});
// Error handlers on the pool and on each client, as graphile-worker asks of a pool it is given; quiet once stopping
// (the embedded server ends the connections the runner is still closing).
let stopping = false;
const report = (error: Error) => {
  if (!stopping) process.stderr.write(`graphile-worker sender: database client error: ${error.message}\n`);
};
pgPool.on('error', report);
pgPool.on('connect', (client) => client.on('error', report));

const receiver = new URL(process.env.RECEIVER as string);
const secret = process.env.SECRET as string;
const pool = new Pool(receiver.origin, { connections: concurrency });

type Deliver = { type: string; data: unknown };
const deliver: Task = async (payload, helpers) => {
  const { type, data } = payload as Deliver;
  const now = new Date();
  const body = Buffer.from(JSON.stringify({ type, timestamp: now.toISOString(), data }));
  const res = await pool.request({
    path: receiver.pathname,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'graphile-sender',
      ...signatureHeaders({ id: `graphile_${helpers.job.id}`, timestamp: now, body, secrets: [{ secret }] }),
    },
    body,
  });
  await res.body.dump();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`receiver answered ${res.statusCode}`);
};

// Errors and warnings only (its info lines would go to stdout, which the bench discards anyway).
const logger = new Logger(() => (level, message) => {
  if (!stopping && (level === 'error' || level === 'warning')) process.stderr.write(`graphile-worker: ${message}\n`);
});
const runner = await run({
  pgPool,
  schema,
  concurrency,
  logger,
  noHandleSignals: true,
  taskList: { deliver },
  preset: {
    worker: {
      localQueue: { size: concurrency + 1 },
      completeJobBatchDelay: 25,
      failJobBatchDelay: 25,
    },
  },
});

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Deliver;
    runner.addJob('deliver', { type: event.type, data: event.data }).then(
      (job) => {
        const answer = JSON.stringify({ id: `graphile_${job.id}` });
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  stopping = true;
  server.close();
  const stopped = async () => {
    await runner.stop();
    await pgPool.end();
    await pool.close();
    await embedded?.stop();
  };
  // Never hang the bench on a slow shutdown: the embedded server's watchdog stops it when this process is gone.
  void Promise.race([stopped(), new Promise((resolve) => setTimeout(resolve, 10_000))]).finally(() => process.exit(0));
});
