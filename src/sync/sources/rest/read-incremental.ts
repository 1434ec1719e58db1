import type { Manifest } from '../../../catalog/manifest/manifest.js';
import { SyncError, type ReadRequest, type SourceBatch, type SyncRecord } from '../../engine/types.js';
import { compareCursors, cursorOf, lowerBound } from './cursor.js';
import { keyOf, markRecord, markState, restoreMark, type CursorMark } from './read-full.js';
import { fetchPage, type Position, type ReadContext } from './pages.js';
import { streamRequest, type ManifestStream } from './request.js';

/**
 * An incremental read. The request asks for records at or after the saved cursor minus the lookback (an inclusive
 * bound: a vendor filter on `>=` loses nothing committed at the boundary), and records read before at exactly the
 * saved cursor (`keys_at_cursor`) are skipped by primary key, so the boundary is neither lost nor repeated.
 *
 * Ascending streams checkpoint after each page, but only up to the last *closed* group of equal cursor values: the
 * page's last value may continue on the next page, so the cursor stays at the value before it. The keys already read
 * in the open group ride along (`open_group`) only to skip them on resume, so a resumed read repeats nothing; the
 * cursor itself never moves into a group that is not finished. Unordered streams (newest first) checkpoint once, at the end, with the
 * highest cursor seen. A vendor that stops a query after `max_results` (HubSpot search: 10,000) is asked again from
 * the last cursor read, skipping the keys read there.
 */
export async function* readIncremental(
  ctx: ReadContext,
  manifest: Manifest,
  stream: ManifestStream,
  req: Pick<ReadRequest, 'state' | 'lookbackSeconds'>,
  config: Record<string, unknown>,
): AsyncGenerator<SourceBatch> {
  const inc = stream.incremental as NonNullable<ManifestStream['incremental']>;
  const field = stream.cursor_field as string;
  const saved = restoreMark(req.state);
  const ascending = inc.order === 'ascending';
  let bound = lowerBound(saved?.cursor, req.lookbackSeconds, inc);
  let skip: CursorMark = saved;
  let skipOpen: CursorMark = restoreMark(req.state?.open_group);
  let mark: CursorMark = saved && { cursor: saved.cursor, keys: new Set(saved.keys) };
  let closed: CursorMark = undefined;
  let reanchored: unknown;
  for (;;) {
    const request = streamRequest(manifest, stream, { config, cursor: bound }, 'incremental');
    let position: Position = null;
    let inQuery = 0;
    let restart = false;
    for (;;) {
      const page = await fetchPage(ctx, request, position, stream.rate_limit?.page_size);
      inQuery += page.records.length;
      const records: SyncRecord[] = [];
      for (const record of page.records) {
        const value = cursorOf(record, field);
        if (value === undefined || value === null) {
          throw new SyncError('vendor_bad_response', `${stream.name}: a record without its cursor field ${field}`);
        }
        const key = keyOf(record, stream.primary_key);
        if (skip && compareCursors(value, skip.cursor, inc.format) === 0 && skip.keys.has(key)) continue;
        if (skipOpen && compareCursors(value, skipOpen.cursor, inc.format) === 0 && skipOpen.keys.has(key)) continue;
        if (ascending && mark && compareCursors(value, mark.cursor, inc.format) > 0)
          closed = { cursor: mark.cursor, keys: new Set(mark.keys) };
        mark = markRecord(mark, value, key, stream);
        records.push(record);
      }
      const last = page.next === undefined;
      // The vendor stops this query soon: ask again from the last cursor instead of paging past its cap.
      restart = !last && inc.max_results !== undefined && inQuery + pageLimit(request) > inc.max_results;
      if (last && !restart) {
        yield { records, ...(mark ? { state: markState(mark) } : {}) };
        return;
      }
      yield ascending && closed && mark
        ? { records, state: { ...markState(closed), open_group: markState(mark) } }
        : { records };
      if (restart) break;
      position = page.next as Position;
    }
    if (!ascending || !mark) {
      throw new SyncError('vendor_refused', `${stream.name}: more than ${inc.max_results} results and no cursor order`);
    }
    if (reanchored !== undefined && compareCursors(mark.cursor, reanchored, inc.format) === 0) {
      throw new SyncError(
        'vendor_limit',
        `${stream.name}: more than ${inc.max_results} records share the cursor value ${String(mark.cursor)}`,
      );
    }
    reanchored = mark.cursor;
    bound = lowerBound(mark.cursor, 0, { ...inc, exclusive: inc.exclusive });
    skip = { cursor: mark.cursor, keys: new Set(mark.keys) };
    skipOpen = undefined;
  }
}

const pageLimit = (request: { pagination?: { max_limit?: number } | undefined }) =>
  request.pagination?.max_limit ?? 100;
