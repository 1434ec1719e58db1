-- The connection request log also records the vendor calls syncs make (stream reads, pushes), as kind 'sync'.
-- The constraint was declared inline in 0003, so it carries PostgreSQL's default name.
alter table connection_requests drop constraint connection_requests_kind_check;
alter table connection_requests add constraint connection_requests_kind_check
  check (kind in ('proxy', 'test', 'sync'));
