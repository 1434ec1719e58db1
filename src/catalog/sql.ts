import type { Queryable } from '../core/db/port.js';
import type { Manifest } from './manifest/manifest.js';

/** The presentation fields a superuser may change on any entry, built-in or custom. */
export const presentationFields = [
  'name',
  'description',
  'category',
  'complexity',
  'popularity',
  'features',
  'data_types',
] as const;
export type PresentationField = (typeof presentationFields)[number];
export type PresentationOverrides = Partial<Pick<Manifest, PresentationField>>;

export type ConnectorRow = {
  slug: string;
  /** The manifest with the presentation overrides laid over it: what every reader sees. */
  manifest: Manifest;
  /** The overrides alone. */
  presentation: PresentationOverrides;
  source: 'builtin' | 'custom';
  availability: Manifest['availability'];
  management: Manifest['management'];
  availability_overridden: boolean;
  management_overridden: boolean;
  manifest_hash: string;
  retired_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

// `manifest || presentation`: jsonb concatenation, the overrides' top-level keys win.
const COLUMNS = `slug, manifest || presentation as manifest, presentation, source, availability, management, availability_overridden, management_overridden,
  manifest_hash, retired_at, created_at, updated_at`;

/**
 * Insert or refresh a built-in entry from its manifest. Overridden availability/management survive; a custom
 * entry with the same slug is left alone (it wins until a superuser deletes it).
 */
/**
 * Insert or refresh the built-in entries, all in one statement (every start seeds every manifest). An entry whose
 * manifest is unchanged is left alone; overridden availability and management are kept, and so is the
 * presentation (a column of its own).
 */
export async function upsertBuiltinConnectors(
  q: Queryable,
  entries: { manifest: Manifest; hash: string }[],
): Promise<void> {
  await q.query(
    `insert into connectors (slug, manifest, source, availability, management, manifest_hash)
     select slug, manifest, 'builtin', availability, management, hash
     from unnest($1::text[], $2::jsonb[], $3::text[], $4::text[], $5::text[])
       as e(slug, manifest, availability, management, hash)
     on conflict (slug) do update set
       manifest = excluded.manifest,
       availability = case when connectors.availability_overridden then connectors.availability else excluded.availability end,
       management = case when connectors.management_overridden then connectors.management else excluded.management end,
       manifest_hash = excluded.manifest_hash,
       updated_at = now()
     where connectors.source = 'builtin' and connectors.manifest_hash <> excluded.manifest_hash`,
    [
      entries.map((e) => e.manifest.slug),
      entries.map((e) => JSON.stringify(e.manifest)),
      entries.map((e) => e.manifest.availability),
      entries.map((e) => e.manifest.management),
      entries.map((e) => e.hash),
    ],
  );
}

export async function insertCustomConnector(q: Queryable, manifest: Manifest, hash: string): Promise<ConnectorRow> {
  const { rows } = await q.query<ConnectorRow>(
    `insert into connectors (slug, manifest, source, availability, management, manifest_hash)
     values ($1, $2::jsonb, 'custom', $3, $4, $5) returning ${COLUMNS}`,
    [manifest.slug, JSON.stringify(manifest), manifest.availability, manifest.management, hash],
  );
  return rows[0] as ConnectorRow;
}

export async function replaceCustomManifest(
  q: Queryable,
  manifest: Manifest,
  hash: string,
): Promise<ConnectorRow | undefined> {
  const { rows } = await q.query<ConnectorRow>(
    `update connectors set manifest = $2::jsonb, manifest_hash = $3,
       availability = case when availability_overridden then availability else $4 end,
       management = case when management_overridden then management else $5 end,
       updated_at = now()
     where slug = $1 and source = 'custom' returning ${COLUMNS}`,
    [manifest.slug, JSON.stringify(manifest), hash, manifest.availability, manifest.management],
  );
  return rows[0];
}

export async function listConnectorRows(q: Queryable): Promise<ConnectorRow[]> {
  const { rows } = await q.query<ConnectorRow>(`select ${COLUMNS} from connectors order by slug`);
  return rows;
}

export async function getConnectorRow(q: Queryable, slug: string): Promise<ConnectorRow | undefined> {
  const { rows } = await q.query<ConnectorRow>(`select ${COLUMNS} from connectors where slug = $1`, [slug]);
  return rows[0];
}

export async function updateConnectorSettings(
  q: Queryable,
  slug: string,
  changes: { availability?: string; management?: string; retired?: boolean },
): Promise<ConnectorRow | undefined> {
  const { rows } = await q.query<ConnectorRow>(
    `update connectors set
       availability = coalesce($2, availability),
       availability_overridden = availability_overridden or $2::text is not null,
       management = coalesce($3, management),
       management_overridden = management_overridden or $3::text is not null,
       retired_at = case when $4::boolean is null then retired_at when $4 then coalesce(retired_at, now()) else null end,
       updated_at = now()
     where slug = $1 returning ${COLUMNS}`,
    [slug, changes.availability ?? null, changes.management ?? null, changes.retired ?? null],
  );
  return rows[0];
}

/** Set some presentation overrides and drop others (the manifest's value shows again). */
export async function updateConnectorPresentation(
  q: Queryable,
  slug: string,
  changes: { set: PresentationOverrides; clear: PresentationField[] },
): Promise<ConnectorRow | undefined> {
  const { rows } = await q.query<ConnectorRow>(
    `update connectors set presentation = (presentation - $2::text[]) || $3::jsonb, updated_at = now()
     where slug = $1 returning ${COLUMNS}`,
    [slug, changes.clear, JSON.stringify(changes.set)],
  );
  return rows[0];
}

export async function deleteCustomConnector(q: Queryable, slug: string): Promise<boolean> {
  const { rowCount } = await q.query("delete from connectors where slug = $1 and source = 'custom'", [slug]);
  return rowCount > 0;
}

export async function countConnectionsOf(q: Queryable, slug: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from connections where connector_slug = $1',
    [slug],
  );
  return rows[0]?.n ?? 0;
}

export type SystemConnectionRow = {
  connector_slug: string;
  auth_method: string;
  config: Record<string, unknown>;
  credentials_sealed: string;
  updated_by: string | null;
  updated_at: Date;
};

export async function getSystemConnection(q: Queryable, slug: string): Promise<SystemConnectionRow | undefined> {
  const { rows } = await q.query<SystemConnectionRow>(
    'select connector_slug, auth_method, config, credentials_sealed, updated_by, updated_at from system_connections where connector_slug = $1',
    [slug],
  );
  return rows[0];
}

export async function upsertSystemConnection(
  q: Queryable,
  row: Omit<SystemConnectionRow, 'updated_at'>,
): Promise<SystemConnectionRow> {
  const { rows } = await q.query<SystemConnectionRow>(
    `insert into system_connections (connector_slug, auth_method, config, credentials_sealed, updated_by)
     values ($1, $2, $3::jsonb, $4, $5)
     on conflict (connector_slug) do update set auth_method = excluded.auth_method, config = excluded.config,
       credentials_sealed = excluded.credentials_sealed, updated_by = excluded.updated_by, updated_at = now()
     returning connector_slug, auth_method, config, credentials_sealed, updated_by, updated_at`,
    [row.connector_slug, row.auth_method, JSON.stringify(row.config), row.credentials_sealed, row.updated_by],
  );
  return rows[0] as SystemConnectionRow;
}

export async function deleteSystemConnection(q: Queryable, slug: string): Promise<boolean> {
  const { rowCount } = await q.query('delete from system_connections where connector_slug = $1', [slug]);
  return rowCount > 0;
}

export async function systemConnectionSlugs(q: Queryable): Promise<Set<string>> {
  const { rows } = await q.query<{ connector_slug: string }>('select connector_slug from system_connections');
  return new Set(rows.map((r) => r.connector_slug));
}
