-- The record store's writes go through COPY, and its integrity with connections is kept per batch instead of per
-- row. The two foreign keys of sync_records checked every written row (one lookup each: half the cost of a batch);
-- the writer now locks the connection's row once per batch (FOR KEY SHARE, as a foreign key check does), so a
-- connection deleted concurrently waits for the batch or makes it fail, and the cascade is this trigger. A tenant's
-- deletion cascades to its connections, and so to their records.
alter table sync_records drop constraint sync_records_tenant_id_fkey;
alter table sync_records drop constraint sync_records_connection_id_fkey;

create function sync_records_connection_deleted() returns trigger language plpgsql as $$
begin
  delete from sync_records r using gone where r.connection_id = gone.id;
  return null;
end
$$;
create trigger sync_records_connection_deleted after delete on connections
  referencing old table as gone for each statement execute function sync_records_connection_deleted();
