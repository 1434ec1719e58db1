import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPglite } from '../../../test/helpers/db.js';
import { channels } from './channels.js';
import { openPglite } from './pglite.js';
import type { Db } from './port.js';

// Statements met a second time run prepared (pglite-prepared.ts): every run below repeats a text, so the second and
// later runs take the prepared path, and must answer exactly what the first (plain) run answered.
let pg: PGlite;
let db: Db;
beforeAll(async () => {
  pg = await newPglite();
  db = await openPglite({ instance: pg });
  await db.exec(`create table items (id int primary key, name text not null, tags text[], at timestamptz,
    doc jsonb, raw bytea)`);
});
afterAll(async () => {
  await pg.close();
});

const thrice = async <T>(fn: () => Promise<T>): Promise<T[]> => [await fn(), await fn(), await fn()];

describe('prepared statements on PGlite', () => {
  it('answer what the plain statement answers, for every parameter type and null', async () => {
    const at = new Date('2026-11-24T10:00:00.123Z');
    const insert = (id: number) =>
      db.query(
        `insert into items (id, name, tags, at, doc, raw) values ($1, $2, $3, $4, $5::jsonb, $6)
         returning id, name, tags, at, doc, raw`,
        [id, `it's "quoted"\t\\`, ['a', 'b,c', null], at, JSON.stringify({ k: [1, 'x'] }), Buffer.from([0, 255])],
      );
    const results = [await insert(1), await insert(2), await insert(3)];
    for (const [i, result] of results.entries()) {
      expect(result.rowCount).toBe(1);
      expect(result.rows[0]).toEqual({
        id: i + 1,
        name: `it's "quoted"\t\\`,
        tags: ['a', 'b,c', null],
        at,
        doc: { k: [1, 'x'] },
        raw: new Uint8Array([0, 255]),
      });
    }
    // The second and third inserts ran as the one statement prepared for that text.
    const { rows: prepared } = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_prepared_statements where statement like 'insert into items%' and not from_sql`,
    );
    expect(prepared).toEqual([{ n: 1 }]);
    const nulls = await thrice(() =>
      db.query('select $1::text as a, $2::int as b, coalesce($3::text[], $4) as c', [null, undefined, null, '{x}']),
    );
    for (const r of nulls) expect(r.rows).toEqual([{ a: null, b: null, c: ['x'] }]);
    const updates = await thrice(() => db.query(`update items set name = name where id <= $1`, [3]));
    for (const r of updates) expect(r.rowCount).toBe(3);
  });

  it('raise the database error and leave the connection usable', async () => {
    await db.query('insert into items (id, name) values ($1, $2)', [10, 'ten']);
    for (let i = 0; i < 3; i++) {
      const error = await db.query('insert into items (id, name) values ($1, $2)', [10, 'again']).catch((e) => e);
      expect(error).toMatchObject({ code: '23505' });
      const { rows } = await db.query<{ name: string }>('select name from items where id = $1', [10]);
      expect(rows).toEqual([{ name: 'ten' }]);
    }
    // A parameter of the wrong type fails at Bind, also repeatedly.
    for (let i = 0; i < 3; i++) {
      await expect(db.query('select id from items where id = $1', ['not a number'])).rejects.toThrow(/integer/);
      expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    }
  });

  it('run inside transactions: see their writes and roll back with them', async () => {
    const count = (q: { query: Db['query'] }) =>
      q.query<{ n: number }>('select count(*)::int as n from items where id >= $1', [100]);
    await db
      .transaction(async (tx) => {
        for (let id = 100; id < 103; id++) await tx.query('insert into items (id, name) values ($1, $2)', [id, 'tx']);
        expect((await count(tx)).rows[0]?.n).toBe(3);
        expect((await count(tx)).rows[0]?.n).toBe(3);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await count(db)).rows[0]?.n).toBe(0);
    await db.transaction(async (tx) => {
      for (let id = 100; id < 103; id++) await tx.query('insert into items (id, name) values ($1, $2)', [id, 'tx']);
    });
    expect((await count(db)).rows[0]?.n).toBe(3);
  });

  it('follow the search path: one text, two schemas with a table of the same name', async () => {
    for (const schema of ['s_one', 's_two']) {
      await db.exec(`create schema ${schema}; create table ${schema}.things (label text);
        insert into ${schema}.things values ('${schema}')`);
    }
    for (let i = 0; i < 3; i++) {
      for (const schema of ['s_one', 's_two']) {
        await db.exec(`set search_path to ${schema}, public`);
        const { rows } = await db.query('select label from things where label like $1', ['s_%']);
        expect(rows).toEqual([{ label: schema }]);
      }
    }
    await db.exec('set search_path to public');
  });

  it('keep working past the statement limit (least recently used statements are closed)', async () => {
    for (let round = 0; round < 2; round++) {
      for (let n = 0; n < 250; n++) {
        const { rows } = await db.query<{ v: number }>(`select $1::int + ${n} as v`, [round]);
        expect(rows).toEqual([{ v: round + n }]);
      }
    }
  });

  it('deliver notifications sent by a prepared statement', async () => {
    const heard: string[] = [];
    const off = await db.listen(channels.registryChanged, (payload) => heard.push(payload));
    for (let i = 0; i < 3; i++) {
      await db.query('select pg_notify($1, $2)', [`switchyard_${channels.registryChanged}`, `n${i}`]);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual(['n0', 'n1', 'n2']);
    await off();
  });
});
