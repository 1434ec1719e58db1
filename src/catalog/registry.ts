import { createHash } from 'node:crypto';
import { channels } from '../core/db/channels.js';
import type { Db, Queryable } from '../core/db/port.js';
import { connectorsDir } from '../core/paths.js';
import { createNotifiedCache } from '../core/notified-cache.js';
import type { Manifest } from './manifest/manifest.js';
import { getConnectorRow, listConnectorRows, upsertBuiltinConnectors, type ConnectorRow } from './sql.js';
import { loadManifests } from './manifest/validate.js';

const ALL = 'all';

export const manifestHash = (manifest: Manifest) =>
  createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 32);

/**
 * The connector registry as the rest of the platform sees it: every entry (built-in and custom) with its
 * effective availability and management pattern. Read on every connection operation and proxied call, so it is
 * cached in memory and reloaded when any node changes it (NOTIFY on `channels.registryChanged`).
 */
export function createRegistry(deps: { db: Db; dir?: string }) {
  // One entry, the whole registry: it is small, read whole by `list`, and any change reloads it.
  const cache = createNotifiedCache<Map<string, ConnectorRow>>(deps.db, {
    channel: channels.registryChanged,
    ttlMs: Number.POSITIVE_INFINITY,
    max: 1,
  });
  const loadAll = async () => new Map((await listConnectorRows(deps.db)).map((r) => [r.slug, r]));
  const cached = () => cache.peek(ALL)?.value;

  return {
    /** Seed built-in entries from the manifest files (validated; a bad manifest stops the start with its problems). */
    async seed(): Promise<number> {
      const manifests = loadManifests(deps.dir ?? connectorsDir);
      await upsertBuiltinConnectors(
        deps.db,
        manifests.map((manifest) => ({ manifest, hash: manifestHash(manifest) })),
      );
      cache.clear();
      return manifests.length;
    },
    async list(): Promise<ConnectorRow[]> {
      return [...(cached() ?? (await cache.load(ALL, loadAll))).values()];
    },
    async get(slug: string): Promise<ConnectorRow | undefined> {
      return (cached() ?? (await cache.load(ALL, loadAll))).get(slug);
    },
    /** Inside a transaction, read the row itself (the cache may not see an uncommitted change). */
    getFresh: (q: Queryable, slug: string) => getConnectorRow(q, slug),
    /** Reload here now, and on every node when `q` commits. */
    invalidate: (q: Queryable): Promise<void> => cache.invalidate(q),
    start: cache.start,
    stop: cache.stop,
  };
}

export type Registry = ReturnType<typeof createRegistry>;
