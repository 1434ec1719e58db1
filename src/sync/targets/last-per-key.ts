import type { SyncRecord } from '../engine/types.js';

/**
 * A batch with one record per key, the last one winning: an upsert cannot touch a row twice in one statement
 * (PostgreSQL's ON CONFLICT refuses it; MySQL would count the row twice). The superseded records count as unchanged.
 */
export function lastPerKey(records: SyncRecord[], key: string[]): SyncRecord[] {
  const seen = new Map<string, number>();
  const single = key.length === 1 ? (key[0] as string) : undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as SyncRecord;
    const id = single !== undefined ? keyText(record[single]) : JSON.stringify(key.map((k) => record[k] ?? null));
    seen.set(id, i);
  }
  if (seen.size === records.length) return records;
  const keep = new Set(seen.values());
  return records.filter((_, i) => keep.has(i));
}

function keyText(value: unknown): string {
  return typeof value === 'string' ? `s${value}` : `v${JSON.stringify(value ?? null)}`;
}
