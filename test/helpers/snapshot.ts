import type { TestApp } from './app.js';

/**
 * Every data table's rows (audit_log aside: rejected writes are meant to add their entry there), without the
 * columns that change on mere use (last_used_at is touched in the background when a key authenticates). Equal
 * snapshots before and after a rejected request prove it wrote nothing, not even part of a change.
 */
export const dataTables = [
  'tenants',
  'users',
  'sessions',
  'api_keys',
  'roles',
  'secrets',
  'secret_versions',
  'data_keys',
  'data_key_wraps',
  'master_keys',
];

const volatile = new Set(['last_used_at', 'last_seen_at']);

export async function snapshotData(t: TestApp): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of dataTables) {
    const { rows } = await t.db.query<Record<string, unknown>>(`select * from ${table} order by 1, 2`);
    out[table] = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !volatile.has(k))));
  }
  return out;
}
