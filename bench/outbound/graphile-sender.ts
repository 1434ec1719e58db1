import path from 'node:path';
import { Logger, run, type Task } from 'graphile-worker';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/core/db/embedded-postgres.js';
import { receiverFromEnv, serveEvents } from './reference.js';

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

const receiver = receiverFromEnv(concurrency, 'graphile-sender');

type Deliver = { type: string; data: unknown };
const deliver: Task = async (payload, helpers) => {
  const { type, data } = payload as Deliver;
  const status = await receiver.post(`graphile_${helpers.job.id}`, type, JSON.stringify(data));
  if (status < 200 || status >= 300) throw new Error(`receiver answered ${status}`);
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

const server = serveEvents(async (event) => {
  const job = await runner.addJob('deliver', { type: event.type, data: event.data });
  return `graphile_${job.id}`;
});
process.on('SIGTERM', () => {
  stopping = true;
  server.close();
  const stopped = async () => {
    await runner.stop();
    await pgPool.end();
    await receiver.close();
    await embedded?.stop();
  };
  // Never hang the bench on a slow shutdown: the embedded server's watchdog stops it when this process is gone.
  void Promise.race([stopped(), new Promise((resolve) => setTimeout(resolve, 10_000))]).finally(() => process.exit(0));
});
