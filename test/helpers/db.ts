import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { migrate, type Migration } from '../../src/core/db/migrate.js';
import type { Db } from '../../src/core/db/port.js';
import { openPostgres } from '../../src/core/db/postgres.js';

export type TestDb = { db: Db; schema: string; url: string; drop(): Promise<void> };

/** The PostgreSQL server the run shares (test/global-setup.ts). */
export const testDatabaseUrl = (): string => inject('databaseUrl');

/**
 * Migrated schemas whose tests ended, emptied and ready for the next test in this worker (test files share their
 * worker's modules: vitest.config.ts `isolate: false`). Migrating a schema and dropping it cost the server about
 * 330 ms of CPU; emptying one about 20 ms, and the suite makes some 700.
 */
const spare: string[] = [];
/** Each schema of this worker's that may be handed on, by name: its structure's fingerprint as migrated. */
const fingerprints = new Map<string, string>();

/**
 * A migrated database in a schema of its own on the run's PostgreSQL server. Tests never share rows: a schema is
 * either new or one an earlier test left exactly as migrated, emptied (see `release`). `drop()` hands the schema back
 * (or removes it) and closes the handle. `migrations` applies only those (an upgrade test's older schema), in a new
 * schema that is removed after.
 */
export async function createTestDb(options: { poolSize?: number; migrations?: Migration[] } = {}): Promise<TestDb> {
  const reusable = options.migrations === undefined;
  const reused = reusable ? spare.pop() : undefined;
  const schema = reused ?? `${inject('schemaPrefix')}${randomBytes(6).toString('hex')}`;
  const url = testDatabaseUrl();
  const db = await openPostgres({ url, schema, namespace: schema, poolSize: options.poolSize ?? 5 });
  // On a reused schema this only checks what is recorded: every migration applied, none edited.
  await migrate(db, options.migrations);
  if (reusable && !reused) fingerprints.set(schema, await fingerprint(db, schema));
  return {
    db,
    schema,
    url,
    async drop() {
      const kept = reusable && (await release(db, schema).catch(() => false));
      if (!kept) {
        await db.exec(`drop schema if exists "${schema}" cascade`).catch(() => {});
        fingerprints.delete(schema);
      }
      await db.close();
      if (kept) spare.push(schema);
    },
  };
}

/**
 * Empty a schema for the next test, if its test left its structure as migrated (the same tables, columns,
 * constraints, functions, triggers, types, owners and grants, and the same migrations recorded): every table with
 * rows is truncated, except the migrations' record, and every sequence starts over, as in a new schema. False when
 * the structure changed (a test's own tables, a renamed or altered one): the caller drops the schema.
 * Runs as the server's superuser, as the tests do: `session_replication_role = replica` keeps the audit log's guard
 * against TRUNCATE (0002) from firing.
 */
async function release(db: Db, schema: string): Promise<boolean> {
  if ((await fingerprint(db, schema)) !== fingerprints.get(schema)) return false;
  await db.exec(`do $$
    declare
      r record;
      has_rows boolean;
      names text[] := '{}';
    begin
      set local lock_timeout = '5s';
      set local session_replication_role = replica;
      for r in select c.oid::regclass as name from pg_class c
               where c.relnamespace = '"${schema}"'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
                 and c.relname <> 'switchyard_migrations'
      loop
        execute format('select exists (select 1 from %s)', r.name) into has_rows;
        if has_rows then names := names || r.name::text; end if;
      end loop;
      if cardinality(names) > 0 then
        execute 'truncate ' || array_to_string(names, ', ') || ' cascade';
      end if;
      perform setval(s.seqrelid, s.seqstart, false) from pg_sequence s join pg_class c on c.oid = s.seqrelid
      where c.relnamespace = '"${schema}"'::regnamespace;
    end $$`);
  return true;
}

/** What a test could change of a schema's structure, as one digest (names, not OIDs: it is compared per schema). */
async function fingerprint(db: Db, schema: string): Promise<string> {
  const { rows } = await db.query<{ digest: string }>(
    `select md5(concat_ws('|',
       (select string_agg(concat_ws(':', c.relname, c.relkind, c.relowner, c.relacl, c.reloptions, c.relrowsecurity),
                          ',' order by c.relname)
          from pg_class c where c.relnamespace = n.oid),
       (select string_agg(concat_ws(':', c.relname, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attisdropped,
                                    pg_get_expr(d.adbin, d.adrelid)), ',' order by c.relname, a.attnum)
          from pg_attribute a join pg_class c on c.oid = a.attrelid
          left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
          where c.relnamespace = n.oid and a.attnum > 0),
       (select string_agg(concat_ws(':', co.conrelid::regclass, co.conname, pg_get_constraintdef(co.oid),
                                    co.convalidated), ',' order by co.conrelid::regclass::text, co.conname)
          from pg_constraint co where co.connamespace = n.oid),
       (select string_agg(concat_ws(':', i.indexrelid::regclass, pg_get_indexdef(i.indexrelid), i.indisvalid), ','
                          order by i.indexrelid::regclass::text)
          from pg_index i join pg_class c on c.oid = i.indrelid where c.relnamespace = n.oid),
       (select string_agg(concat_ws(':', p.oid::regprocedure, p.proowner, md5(p.prosrc), p.proacl), ','
                          order by p.oid::regprocedure::text)
          from pg_proc p where p.pronamespace = n.oid),
       (select string_agg(concat_ws(':', c.relname, t.tgname, t.tgenabled, t.tgfoid::regprocedure), ','
                          order by c.relname, t.tgname)
          from pg_trigger t join pg_class c on c.oid = t.tgrelid where c.relnamespace = n.oid),
       (select string_agg(concat_ws(':', ty.typname, ty.typowner), ',' order by ty.typname)
          from pg_type ty where ty.typnamespace = n.oid),
       (select string_agg(concat_ws(':', e.enumtypid::regtype, e.enumlabel), ',' order by e.enumtypid::regtype::text, e.enumsortorder)
          from pg_enum e join pg_type ty on ty.oid = e.enumtypid where ty.typnamespace = n.oid),
       (select string_agg(concat_ws(':', c.relname, p.polname, pg_get_expr(p.polqual, p.polrelid)), ','
                          order by c.relname, p.polname)
          from pg_policy p join pg_class c on c.oid = p.polrelid where c.relnamespace = n.oid),
       n.nspowner, n.nspacl,
       (select string_agg(concat_ws(':', m.id, m.checksum), ',' order by m.id) from "${schema}".switchyard_migrations m)
     )) as digest
     from pg_namespace n where n.nspname = $1`,
    [schema],
  );
  return rows[0]?.digest ?? '';
}
