import { createGroupCommit } from '../../src/core/group-commit.js';
import { referenceDatabase } from '../lib/database.js';
import { receiverFromEnv, serveEvents } from './reference.js';

/**
 * The batched durable reference of bench/outbound: the durable webhook sender a performance engineer would write by
 * hand, on the same kind of database as Switchyard (the embedded database in DATA_DIR, or the PostgreSQL database in
 * DATABASE_URL).
 * - `POST /events` is group-committed (src/core/group-commit.ts): requests arriving while an INSERT is in flight are
 *   stored together by the next one, one multi-row statement over `unnest`; each request is answered 201 with its
 *   row's id once its group committed.
 * - Deliveries are claimed in batches (`update … where id in (select … for update skip locked limit N)`), kept in a
 *   local queue, signed with the same signing code and POSTed to RECEIVER with 16 in flight (like Switchyard's
 *   endpoint cap) over a keep-alive pool; a new claim starts while the queue still holds a batch, so the 16 never wait
 *   for the database.
 * - Sent deliveries are marked in groups: every POST answered while the previous UPDATE ran is marked by the next one
 *   (`where id = any($1)`); a slot is free again as soon as its POST is answered.
 * Durable before 2xx, sent at least once, nothing else: no authentication, validation, fan-out, audit, attempt log,
 * retries or leases.
 */
const db = await referenceDatabase('bench_batched', 20);
await db.exec(`create table if not exists bench_batched_outbox (
  id bigserial primary key, body text not null, status text not null default 'pending');
  create index if not exists bench_batched_outbox_pending on bench_batched_outbox (id) where status = 'pending'`);

const senders = 16;
// One claim takes up to this many deliveries; the next claim starts when fewer than `senders` are left queued.
const claimSize = 64;
const receiver = receiverFromEnv(senders, 'batched-durable');

const fail = (error: unknown) => {
  process.stderr.write(`batched durable sender stopped: ${String(error)}\n`);
  process.exit(1);
};

// Group commit of events: one INSERT for every request that arrived while the previous one ran.
const store = createGroupCommit<string, string>(
  async (bodies) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into bench_batched_outbox (body)
       select body from unnest($1::text[]) with ordinality as event(body, n) order by n
       returning id::text`,
      [bodies],
    );
    return rows.map((row) => row.id);
  },
  { max: 256 },
);

// Group commit of results: one UPDATE for every delivery answered while the previous one ran.
const markSent = createGroupCommit<string, void>(
  async (ids) => {
    await db.query(`update bench_batched_outbox set status = 'sent' where id = any($1::bigint[])`, [ids]);
    return ids.map(() => undefined);
  },
  { max: 256 },
);

type Claimed = { id: string; body: string };
const queue: Claimed[] = [];
// Counts stored groups, so a claim that came back empty knows whether rows were stored meanwhile.
let stored = 0;
let waiting: (() => void)[] = [];
const wake = () => {
  stored++;
  const woken = waiting;
  waiting = [];
  for (const resolve of woken) resolve();
};

let filling: Promise<void> | undefined;
/** Claim the next batch into the queue; with nothing pending, wait for the next stored group. One claim at a time. */
function fill(): Promise<void> {
  filling ??= (async () => {
    try {
      for (;;) {
        const before = stored;
        const { rows } = await db.query<Claimed>(
          `update bench_batched_outbox set status = 'sending'
           where id in (select id from bench_batched_outbox where status = 'pending'
                        order by id limit $1 for update skip locked)
           returning id::text, body`,
          [claimSize],
        );
        if (rows.length > 0) {
          queue.push(...rows);
          return;
        }
        if (stored === before) await new Promise<void>((resolve) => waiting.push(resolve));
      }
    } finally {
      filling = undefined;
    }
  })();
  return filling;
}

async function next(): Promise<Claimed> {
  for (;;) {
    if (queue.length < senders) fill().catch(fail);
    const row = queue.shift();
    if (row) return row;
    await fill();
  }
}

async function sender(): Promise<void> {
  for (;;) {
    const row = await next();
    await receiver.post(`batched_${row.id}`, 'order.placed', row.body);
    markSent(row.id).catch(fail);
  }
}

const server = serveEvents(async (event) => {
  const id = await store(JSON.stringify(event.data));
  wake();
  return `batched_${id}`;
});
for (let i = 0; i < senders; i++) sender().catch(fail);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
