import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationChecksum, loadMigrations, migrate } from './migrate.js';
import { openDatabase } from './open.js';
import type { Db } from './port.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data directory as an earlier release left it: PGlite in pgdata/, migrated to `version`, with rows. */
async function earlierRelease(version: number, auditRows: number): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-upgrade-'));
  dirs.push(dataDir);
  const pg = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
  try {
    await pg.exec(
      'create table switchyard_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now(), checksum text)',
    );
    for (const m of loadMigrations().filter((x) => x.id <= version)) {
      await pg.exec(m.sql);
      await pg.query('insert into switchyard_migrations (id, name, checksum) values ($1, $2, $3)', [
        m.id,
        m.name,
        migrationChecksum(m.sql),
      ]);
    }
    await pg.exec(`insert into tenants (id, name, slug, created_at) values ('ten_1', 'Tab\tnew\nline "quoted" ü', 'acme', '2026-01-02T03:04:05.678Z');
      insert into roles (id, tenant_id, name, capabilities) values ('rol_1', 'ten_1', 'odd', array['a,b', 'quote"d', 'back\\slash', '']);
      insert into inbound_sources (id, tenant_id, name, token_hash, token_sealed, verification)
        values ('src_1', 'ten_1', 's', 'h', 'sealed', '{"type": "none", "nested": {"list": [1, 2.5, null]}}');
      insert into inbound_events (id, tenant_id, source_id, received_at, status, headers, body, body_size)
        values ('evt_1', 'ten_1', 'src_1', now(), 'processed', '{"x-a": "1"}', '\\x00ff10'::bytea, 3)`);
    await pg.query(
      `insert into audit_log (id, tenant_id, actor_type, action, outcome, diff)
       select 'aud_' || lpad(n::text, 6, '0'), 'ten_1', 'system', 'test.row', 'success', jsonb_build_object('n', n)
       from generate_series(1, $1) n`,
      [auditRows],
    );
  } finally {
    await pg.close();
  }
  return dataDir;
}

describe('carrying a PGlite data directory over to the embedded server', () => {
  it('copies every row of every table, runs the later migrations, and keeps the old directory aside', async () => {
    const all = loadMigrations().length;
    const dataDir = await earlierRelease(all - 2, 4500);
    const lines: string[] = [];
    const db = await openDatabase(
      { dataDir, databaseUrl: undefined, dbPoolSize: 2 },
      { onMessage: (l) => lines.push(l) },
    );
    dbs.push(db);
    expect(lines.join('\n')).toMatch(
      new RegExp(`Carried over ${4504 + all - 2} rows in \\d+ tables, at migration ${all - 2}\\.`),
    );
    // The later migrations run as on any start.
    expect(await migrate(db)).toEqual([all - 1, all]);

    const tenant = (await db.query<{ name: string; created_at: Date }>('select name, created_at from tenants')).rows[0];
    expect(tenant).toEqual({ name: 'Tab\tnew\nline "quoted" ü', created_at: new Date('2026-01-02T03:04:05.678Z') });
    const role = await db.query<{ capabilities: string[] }>('select capabilities from roles');
    expect(role.rows[0]?.capabilities).toEqual(['a,b', 'quote"d', 'back\\slash', '']);
    const source = await db.query<{ verification: unknown }>('select verification from inbound_sources');
    expect(source.rows[0]?.verification).toEqual({ type: 'none', nested: { list: [1, 2.5, null] } });
    const event = await db.query<{ body: Buffer; headers: unknown }>('select body, headers from inbound_events');
    expect(event.rows[0]?.body).toEqual(Buffer.from([0, 255, 16]));
    expect(event.rows[0]?.headers).toEqual({ 'x-a': '1' });
    const audit = await db.query<{ n: number; last: unknown }>(
      `select count(*)::int as n, (select diff from audit_log order by id desc limit 1) as last from audit_log`,
    );
    expect(audit.rows[0]).toEqual({ n: 4500, last: { n: 4500 } });
    // The audit log's guard is back on after the load.
    await expect(db.query(`update audit_log set action = 'x'`)).rejects.toThrow(/append-only/);

    const left = fs.readdirSync(dataDir);
    expect(left).not.toContain('pgdata');
    expect(left.some((name) => name.startsWith('pgdata.carried-over-'))).toBe(true);
  });

  it('refuses a database newer than this release, changing nothing', async () => {
    const dataDir = await earlierRelease(loadMigrations().length, 0);
    const pg = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
    await pg.query(`insert into switchyard_migrations (id, name) values (999, 'from the future')`);
    await pg.close();
    await expect(openDatabase({ dataDir, databaseUrl: undefined, dbPoolSize: 2 })).rejects.toThrow(
      /at migration 999, newer than this release knows.*Nothing was changed in pgdata/,
    );
    expect(fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    // The lock was released and the embedded server stopped: the directory opens again.
    fs.rmSync(path.join(dataDir, 'pgdata'), { recursive: true });
    const db = await openDatabase({ dataDir, databaseUrl: undefined, dbPoolSize: 2 });
    dbs.push(db);
    expect((await db.query(`select 1 as one`)).rows).toEqual([{ one: 1 }]);
  });
});
