-- A full-refresh import into the record store deletes the records its file lacked; the journal keeps each one as it
-- was, marked `removed`, so that undoing the run brings it back (a soft delete is reverted in place, a hard one is
-- inserted again unless a record with that id exists by then).
alter table sync_record_undo add column removed boolean not null default false;
