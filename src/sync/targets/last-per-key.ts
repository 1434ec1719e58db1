import type { SyncRecord } from '../engine/types.js';

/**
 * A batch with one record per key, the last one winning: an upsert cannot touch a row twice in one statement
 * (PostgreSQL's ON CONFLICT refuses it; MySQL would count the row twice). The superseded records count as unchanged.
 */
export function lastPerKey(records: SyncRecord[], key: string[]): SyncRecord[] {
  const seen = new Map<unknown, number>();
  const single = key.length === 1 ? (key[0] as string) : undefined;
  // A one-column key is a Map key as it is (a Map tells `1` from `'1'` by itself), so most keys cost no allocation;
  // null and undefined are one; a date or an array goes by its JSON, boxed so that it cannot meet a string key.
  const boxes = new Map<string, object>();
  const keyValue = (value: unknown): unknown => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object') return value;
    const json = JSON.stringify(value);
    let box = boxes.get(json);
    if (!box) boxes.set(json, (box = {}));
    return box;
  };
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as SyncRecord;
    seen.set(single !== undefined ? keyValue(record[single]) : JSON.stringify(key.map((k) => record[k] ?? null)), i);
  }
  if (seen.size === records.length) return records;
  const keep = new Set(seen.values());
  return records.filter((_, i) => keep.has(i));
}
