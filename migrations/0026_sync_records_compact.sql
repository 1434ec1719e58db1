-- The record store, made cheaper to write. Measured on COPY of 200,000 records into the table (the server's CPU):
-- 1.4–2.1 s as it was, 1.05–1.15 s with `data` as json, 0.83–0.85 s with that and the narrow keys below.
--
-- 1. `data` is `json`, not `jsonb`. The writer stores each record's canonical JSON (records/canonical.ts: keys sorted,
--    one text per content); json checks the text and keeps it as written, where jsonb parsed it into a binary form,
--    the largest single cost of a write. Readers parse the text as they did the jsonb's; what the store did with
--    jsonb's operators (a model's fields) is done by json's. The undo journal keeps the same type.
-- 2. A model is a row of `sync_models` (a connection's model name), and a record names it by `model_id`. The
--    primary key and the feed index were (connection_id, model, …): two text columns leading every entry of both,
--    compared at every step of every insert. Now they are (model_id, record_id) and (model_id, seq), and the rows
--    no longer carry the tenant, connection and model.
-- A model's row is made by the first batch written to it, in the batch's transaction, after the connection's row
-- is locked (records/sql.ts); it goes when its connection does (the trigger below), with its records.
create table sync_models (
  id bigint generated always as identity primary key,
  tenant_id text not null,
  connection_id text not null,
  model text not null,
  unique (connection_id, model)
);
insert into sync_models (tenant_id, connection_id, model)
  select distinct tenant_id, connection_id, model from sync_records order by 1, 2, 3;

create table sync_records_compact (
  model_id bigint not null,
  record_id text not null,
  data json not null,
  -- SHA-256 of the canonical JSON: an unchanged record is not rewritten and makes no change-feed entry.
  hash text not null,
  seq bigint not null default nextval('sync_records_seq'),
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  -- The last run that saw it: a full refresh soft-deletes what its run did not see.
  last_execution_id text,
  primary key (model_id, record_id)
);
insert into sync_records_compact
    (model_id, record_id, data, hash, seq, first_seen_at, last_seen_at, updated_at, deleted_at, last_execution_id)
  select m.id, r.record_id, r.data::json, r.hash, r.seq, r.first_seen_at, r.last_seen_at, r.updated_at,
         r.deleted_at, r.last_execution_id
    from sync_records r join sync_models m on m.connection_id = r.connection_id and m.model = r.model;
drop table sync_records;
alter table sync_records_compact rename to sync_records;
alter index sync_records_compact_pkey rename to sync_records_pkey;
create index sync_records_feed on sync_records (model_id, seq);

create or replace function sync_records_connection_deleted() returns trigger language plpgsql as $$
begin
  delete from sync_records r using sync_models m, gone where m.connection_id = gone.id and r.model_id = m.id;
  delete from sync_models m using gone where m.connection_id = gone.id;
  return null;
end
$$;

alter table sync_record_undo alter column data type json using data::json;
