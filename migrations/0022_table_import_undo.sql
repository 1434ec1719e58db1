-- Undo of file imports into database tables (PostgreSQL, MySQL/MariaDB, SQLite targets: src/sync/targets/journal.ts).
-- Kept here, not in the tenant's database, so a target's schema gains nothing.
--
-- As a run writes: one row per batch. Per key the batch wrote, in three arrays of one order: the key (a JSON object of
-- the key columns' values), the row as it was before (a JSON object of column → the value's text as its database
-- spells it; null: there was none, the batch created it) and a digest of the row as the batch left it, over the
-- columns `columns` names (a JSON array).
create table sync_table_undo_batches (
  execution_id text not null references sync_executions (id) on delete cascade,
  -- The stream's table as the run named it (the target resolves it: a schema's table, a database's, a file's).
  target_table text not null,
  seq bigint generated always as identity,
  columns text not null,
  keys text[] not null,
  priors text[] not null,
  written text[] not null,
  primary key (execution_id, target_table, seq)
);

-- When the run is undone: each key once, its first prior state and its last written digest, read page by page.
create table sync_table_undo (
  execution_id text not null references sync_executions (id) on delete cascade,
  target_table text not null,
  key text not null,
  prior text,
  written text not null,
  columns text not null,
  primary key (execution_id, target_table, key)
);
