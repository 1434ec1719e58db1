-- Undo of file imports into database tables (PostgreSQL, MySQL/MariaDB, SQLite targets: src/sync/targets/journal.ts).
-- Per key a run wrote into a table: the row as it was before the run first wrote it (null: there was none, the run
-- created it) and as the run last left it, each a JSON object of column → the value's text as its database spells
-- it. Kept here, not in the tenant's database, so a target's schema gains nothing.
create table sync_table_undo (
  execution_id text not null references sync_executions (id) on delete cascade,
  -- The stream's table as the run named it (the target resolves it: a schema's table, a database's, a file's).
  target_table text not null,
  -- The key columns' values, a JSON object in key order.
  key text not null,
  prior text,
  written text not null,
  primary key (execution_id, target_table, key)
);
