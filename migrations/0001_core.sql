-- Platform core: tenants, access (roles, users, sessions, API keys), the audit log and the vault.
-- Ids are prefixed, time-ordered text (src/core/ids.ts), so `order by id` is creation order and ids are cursors.

create table tenants (
  id text primary key,
  name text not null,
  slug text not null unique,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Custom roles; the built-in roles (administrator, editor, viewer) live in code (src/access/capabilities.ts).
create table roles (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  description text not null default '',
  capabilities text[] not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, name)
);

create table users (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  email text not null unique, -- stored lower-case
  name text not null default '',
  password_hash text not null, -- scrypt, see src/access/users/password.ts
  role text not null, -- a built-in role name or a custom role id
  superuser boolean not null default false,
  disabled_at timestamptz,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index users_tenant on users (tenant_id, id);

-- Console sessions: the cookie carries a random token; only its hash is stored, as for API keys.
create table sessions (
  id text primary key,
  token_hash text not null unique,
  csrf_hash text not null,
  user_id text not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);

create table api_keys (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  prefix text not null, -- the visible start of the token, e.g. syk_7f3k2m9q
  token_hash text not null unique, -- sha256 of the whole token; the token itself is never stored
  role text not null,
  superuser boolean not null default false,
  rate_limit_per_minute integer,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_by text,
  created_at timestamptz not null default now()
);
create index api_keys_tenant on api_keys (tenant_id, id);

-- Append-only activity log. One entry per mutating request (src/audit/record.ts).
create table audit_log (
  id text primary key,
  tenant_id text references tenants (id),
  actor_type text not null check (actor_type in ('user', 'api_key', 'system')),
  actor_id text,
  actor_label text,
  action text not null,
  target_type text,
  target_id text,
  outcome text not null check (outcome in ('success', 'failure', 'denied')),
  status_code integer,
  error_code text,
  request_id text,
  diff jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index audit_log_tenant on audit_log (tenant_id, id desc);
create index audit_log_tenant_action on audit_log (tenant_id, action, id desc);
create index audit_log_tenant_target on audit_log (tenant_id, target_type, target_id, id desc);

-- Updates are never allowed; deletes only by the retention job, which sets switchyard.audit_purge for its transaction.
create function audit_log_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and coalesce(current_setting('switchyard.audit_purge', true), '') = 'on' then
    return old;
  end if;
  raise exception 'audit_log is append-only' using errcode = '42501';
end
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_guard();

-- Vault: envelope encryption (src/vault/). Master keys are never stored, only their fingerprints.
-- A data key may be used by a node only if the node holds a master key that one of its wraps names.
create table master_keys (
  id text primary key, -- fingerprint of the key material (src/vault/keyring.ts)
  created_at timestamptz not null default now(),
  retired_at timestamptz -- set when a rotation removed its last wrap
);

create table data_keys (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  created_at timestamptz not null default now()
);
create index data_keys_tenant on data_keys (tenant_id, id desc);

-- A data key wrapped by a master key. During a master-key rotation a data key has one wrap per key.
create table data_key_wraps (
  data_key_id text not null references data_keys (id) on delete cascade,
  master_key_id text not null references master_keys (id),
  wrapped text not null,
  created_at timestamptz not null default now(),
  primary key (data_key_id, master_key_id)
);

create table secrets (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  description text not null default '',
  current_version integer not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, name)
);

create table secret_versions (
  secret_id text not null references secrets (id) on delete cascade,
  version integer not null,
  sealed text not null,
  created_at timestamptz not null default now(),
  primary key (secret_id, version)
);
