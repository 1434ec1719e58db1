-- A superuser's changes to how a registry entry presents itself (name, description, category, complexity,
-- popularity, features, data types). Kept apart from the manifest, like the availability and management overrides,
-- so a newer built-in manifest does not undo them; every read lays them over the manifest (`manifest || presentation`).
alter table connectors add column presentation jsonb not null default '{}'::jsonb;
