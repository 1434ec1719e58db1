import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { expectData } from './helpers/api.js';
import { useTwoNodes } from './helpers/two-nodes.js';
import { until } from './helpers/syncs.js';

/*
 * A sync run killed with SIGKILL in the middle resumes on the other node from its last checkpoint, and the target
 * ends holding every source row exactly once: two `switchyard serve` processes on one PostgreSQL database, both
 * running their sync runners, a full refresh from a table into another schema's table (through the shadow, so a
 * batch the killed node committed in the target but did not checkpoint is written again, idempotently).
 */

const rows = 30_000;

describe('a sync run under kill -9', () => {
  const nodes = useTwoNodes({ SWITCHYARD_SYNC_LEASE: '2s', SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' });

  it('resumes on the surviving node from its checkpoint: nothing lost, nothing doubled', async () => {
    const { a, b } = nodes;
    const db = new pg.Client({ connectionString: nodes.databaseUrl });
    await db.connect();
    try {
      await db.query(`create schema src; create schema dst`);
      await db.query(`create table src.items (id bigint primary key, name text not null, qty integer,
        price numeric(10,2), tags text[], meta jsonb, seen_at timestamptz not null)`);
      await db.query(`insert into src.items select g, 'item ' || g, g % 97, g / 7.0, array['t' || (g % 5)],
        jsonb_build_object('n', g), timestamptz '2026-01-01' + g * interval '1 minute' from generate_series(1, ${rows}) g`);

      const client = nodes.client(a);
      const connection = await expectData(
        client.POST('/v1/connections', {
          body: {
            connector: 'postgresql',
            name: 'Warehouse',
            auth_method: 'connection_string',
            credentials: { connection_string: nodes.databaseUrl },
          },
        }),
        201,
      );
      const sync = await expectData(
        client.POST('/v1/syncs', {
          body: {
            name: 'items',
            type: 'full',
            batch_size: 250,
            source: {
              kind: 'connection',
              connection_id: connection.id,
              streams: [{ name: 'src.items', target: 'items' }],
            },
            target: { kind: 'postgres', connection_id: connection.id, schema: 'dst' },
          },
        }),
        201,
      );
      const started = await expectData(
        client.POST('/v1/syncs/{id}/run', { params: { path: { id: sync.id } }, body: {} }),
        202,
      );
      const executionId = started.execution.id;

      // Kill the node that holds the run once it has written a few batches.
      const run = async () =>
        (
          await db.query<{ owner: string | null; processed: number; status: string }>(
            'select lease_owner as owner, records_processed as processed, status from sync_executions where id = $1',
            [executionId],
          )
        ).rows[0];
      const holding = await until(
        run,
        (r) => r?.status === 'running' && (r.processed ?? 0) >= 2_000,
        'the run to write',
      );
      const pid = Number(holding?.owner?.split(':')[1]);
      const [victim, survivor] = a.proc.pid === pid ? [a, b] : [b, a];
      expect(victim.proc.pid).toBe(pid);
      await victim.stop('SIGKILL');

      const done = await until(
        async () =>
          (await nodes.client(survivor).GET('/v1/syncs/executions/{id}', { params: { path: { id: executionId } } }))
            .data,
        (e) => e !== undefined && !['pending', 'running'].includes(e.status),
        'the run to finish on the surviving node',
      );
      expect(done?.status, JSON.stringify(done)).toBe('success');
      expect(done?.attempts).toBe(2);
      expect(done?.records.processed).toBeGreaterThanOrEqual(rows);

      // Every source row once in the target, equal in every column; nothing else.
      const compared = await db.query<{ target: number; distinct_ids: number; differing: number }>(
        `select (select count(*)::int from dst.items) as target,
                (select count(distinct id)::int from dst.items) as distinct_ids,
                (select count(*)::int from src.items s full join dst.items d using (id)
                  where d.id is null or s.id is null or (s.name, s.qty, s.price, to_jsonb(s.tags), s.meta, s.seen_at)
                    is distinct from (d.name, d.qty, d.price, to_jsonb(d.tags), d.meta, d.seen_at)) as differing`,
      );
      expect(compared.rows[0]).toEqual({ target: rows, distinct_ids: rows, differing: 0 });
      const logs = await expectData(
        nodes.client(survivor).GET('/v1/syncs/executions/{id}/logs', { params: { path: { id: executionId } } }),
      );
      expect(logs.data.map((l) => l.message).join('\n')).toContain('Resumed (attempt 2) from the last checkpoints.');
      // The shadow table the full refresh wrote into was swapped in: none is left behind.
      const shadows = await db.query(`select 1 from pg_tables where tablename like '\\_switchyard\\_shadow\\_%'`);
      expect(shadows.rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });
});
