-- The append-only guard of 0001 covers UPDATE and DELETE row by row; TRUNCATE bypasses row triggers, so refuse it
-- with a statement trigger (the retention job deletes rows, it never truncates).
create function audit_log_refuse_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end
$$;
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_truncate();
