import { referenceDatabase } from '../lib/database.js';
import { receiverFromEnv, serveEvents } from './reference.js';

/**
 * A second, durable baseline of bench/outbound: the least a durable webhook sender does, without a framework.
 * - `POST /events` stores the body in an outbox table of the same kind of database as Switchyard (the embedded database in
 *   DATA_DIR, or the PostgreSQL database in DATABASE_URL) with one INSERT, then answers 201 with the row's id.
 * - 16 senders (like Switchyard's endpoint cap) each take the oldest pending row with one UPDATE … RETURNING, sign it
 *   with the same signing code, POST it to RECEIVER over a keep-alive pool, and mark it sent with one UPDATE.
 * No authentication, validation, fan-out, audit, attempt log, retries or leases: what "durable before 2xx, sent at
 * least once" costs at its barest.
 */
const db = await referenceDatabase('bench_bare', 20);
await db.exec(`create table if not exists bench_bare_outbox (
  id bigserial primary key, body text not null, status text not null default 'pending');
  create index if not exists bench_bare_outbox_pending on bench_bare_outbox (id) where status = 'pending'`);

const senders = 16;
const receiver = receiverFromEnv(senders, 'bare-durable');

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
    await receiver.post(`bare_${row.id}`, 'order.placed', row.body);
    await db.query(`update bench_bare_outbox set status = 'sent' where id = $1`, [row.id]);
  }
}

const server = serveEvents(async (event) => {
  const { rows } = await db.query<{ id: string }>(
    'insert into bench_bare_outbox (body) values ($1) returning id::text',
    [JSON.stringify(event.data)],
  );
  wakeSenders();
  return `bare_${rows[0]?.id}`;
});
for (let i = 0; i < senders; i++)
  sender().catch((error: unknown) => {
    process.stderr.write(`bare durable sender stopped: ${String(error)}\n`);
    process.exit(1);
  });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
