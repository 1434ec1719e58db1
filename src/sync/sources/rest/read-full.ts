import type { Manifest } from '../../../catalog/manifest/manifest.js';
import type { ReadRequest, SourceBatch, StreamState, SyncRecord } from '../../engine/types.js';
import { compareCursors, cursorOf } from './cursor.js';
import { fetchPage, type Position, type ReadContext } from './pages.js';
import { streamRequest, type ManifestStream, type TemplateValues } from './request.js';

/** JSON of a record's primary key values: the identity dedup and checkpoints keep. */
export const keyOf = (record: SyncRecord, primaryKey: string[]) =>
  JSON.stringify(primaryKey.map((k) => record[k] ?? null));

/** The most keys a checkpoint holds for one cursor value; a larger group is re-read (and upserted) on resume. */
export const MAX_KEYS_AT_CURSOR = 1000;

/** The highest cursor a read has seen and the keys read at exactly it, kept so a later incremental read starts there. */
export type CursorMark = { cursor: unknown; keys: Set<string> } | undefined;

export function markRecord(mark: CursorMark, value: unknown, key: string, stream: ManifestStream): CursorMark {
  if (value === undefined || value === null) return mark;
  const format = stream.incremental?.format ?? 'iso8601';
  if (!mark) return { cursor: value, keys: new Set([key]) };
  const order = compareCursors(value, mark.cursor, format);
  if (order > 0) return { cursor: value, keys: new Set([key]) };
  if (order === 0) mark.keys.add(key);
  return mark;
}

export const markState = (mark: NonNullable<CursorMark>): StreamState => ({
  cursor: mark.cursor,
  ...(mark.keys.size <= MAX_KEYS_AT_CURSOR ? { keys_at_cursor: [...mark.keys] } : {}),
});

/**
 * A full read, page by page: each batch is one vendor page, and its checkpoint is where the next page starts
 * (`next`), so a killed read resumes at the page after the last one committed. A stream with a cursor field also
 * carries the highest cursor seen, and ends with it as `cursor`, so an incremental read can follow a full one.
 */
export async function* readFull(
  ctx: ReadContext,
  manifest: Manifest,
  stream: ManifestStream,
  req: Pick<ReadRequest, 'state'>,
  values: TemplateValues,
): AsyncGenerator<SourceBatch> {
  const request = streamRequest(manifest, stream, values, 'full');
  const saved = req.state?.next as Position | undefined;
  let position: Position = saved && typeof saved === 'object' ? saved : null;
  let mark: CursorMark = restoreMark(req.state?.seen);
  const pageSize = stream.rate_limit?.page_size;
  for (;;) {
    const page = await fetchPage(ctx, request, position, pageSize);
    if (stream.cursor_field) {
      for (const r of page.records)
        mark = markRecord(mark, cursorOf(r, stream.cursor_field), keyOf(r, stream.primary_key), stream);
    }
    if (page.next === undefined) {
      yield { records: page.records, state: mark ? markState(mark) : {} };
      return;
    }
    position = page.next;
    yield { records: page.records, state: { next: position, ...(mark ? { seen: markState(mark) } : {}) } };
  }
}

export function restoreMark(state: unknown): CursorMark {
  const s = state as { cursor?: unknown; keys_at_cursor?: unknown } | undefined;
  if (!s || s.cursor === undefined || s.cursor === null) return undefined;
  return { cursor: s.cursor, keys: new Set(Array.isArray(s.keys_at_cursor) ? s.keys_at_cursor.map(String) : []) };
}

/**
 * A child stream: read for each record of its parent (one listing per parent, the parent's field in the path or a
 * query parameter). The checkpoint names the parent page, the parent's place in it and the child's next page.
 */
export async function* readChildren(
  ctx: ReadContext,
  manifest: Manifest,
  stream: ManifestStream,
  req: Pick<ReadRequest, 'state'>,
  config: Record<string, unknown>,
): AsyncGenerator<SourceBatch> {
  const link = stream.parent as NonNullable<ManifestStream['parent']>;
  const parent = manifest.streams.find((s) => s.name === link.stream) as ManifestStream;
  const parentRequest = streamRequest(manifest, parent, { config }, 'full');
  const state = req.state ?? {};
  let parentAt: Position = (state.parent_page as Position) ?? null;
  let skip = typeof state.parent_index === 'number' ? state.parent_index : 0;
  let childAt: Position = (state.next as Position) ?? null;
  for (;;) {
    const parents = await fetchPage(ctx, parentRequest, parentAt, parent.rate_limit?.page_size);
    for (let i = skip; i < parents.records.length; i++) {
      const record = parents.records[i] as SyncRecord;
      const value = record[link.field];
      const request = streamRequest(manifest, stream, { config, parent: record }, 'full');
      if (link.param) request.params[link.param] = String(value);
      for (;;) {
        const page = await fetchPage(ctx, request, childAt, stream.rate_limit?.page_size);
        const records = link.as ? page.records.map((r) => ({ ...r, [link.as as string]: value })) : page.records;
        childAt = page.next ?? null;
        const done = page.next === undefined;
        const lastParent = i === parents.records.length - 1;
        const state: StreamState =
          done && lastParent && parents.next === undefined
            ? {}
            : done
              ? lastParent
                ? { parent_page: parents.next, parent_index: 0 }
                : { parent_page: parentAt, parent_index: i + 1 }
              : { parent_page: parentAt, parent_index: i, next: childAt };
        yield { records, state };
        if (done) break;
      }
    }
    if (parents.next === undefined) return;
    parentAt = parents.next;
    skip = 0;
  }
}
