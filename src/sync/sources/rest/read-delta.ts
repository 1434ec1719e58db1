import type { Manifest } from '../../../catalog/manifest/manifest.js';
import { readJsonPath } from '../../../core/json-path.js';
import type { ReadRequest, SourceBatch, SyncRecord } from '../../engine/types.js';
import { fetchPage, type Position, type ReadContext } from './pages.js';
import { streamRequest, type ManifestStream } from './request.js';

/**
 * A delta read: with a saved token, only the changes since (removed records reported as `deleted`, by key); without
 * one, the whole listing. The last page carries the next token, saved as `delta_token`; pages before it checkpoint
 * their position beside the token they started from, so a killed read resumes within the same delta.
 */
export async function* readDelta(
  ctx: ReadContext,
  manifest: Manifest,
  stream: ManifestStream,
  req: Pick<ReadRequest, 'state'>,
  config: Record<string, unknown>,
): AsyncGenerator<SourceBatch> {
  const d = stream.delta as NonNullable<ManifestStream['delta']>;
  const token = typeof req.state?.delta_token === 'string' ? req.state.delta_token : undefined;
  const request = streamRequest(manifest, stream, { config }, 'delta');
  if (token && !d.token_is_url) request.params[d.token_param] = token;
  if (d.token_is_url)
    request.pagination = { ...(request.pagination ?? { style: 'next_url', in: 'query' }), style: 'next_url' };
  let position: Position = (req.state?.next as Position) ?? (token && d.token_is_url ? { url: token } : null);
  for (;;) {
    const page = await fetchPage(ctx, request, position, stream.rate_limit?.page_size);
    const records: SyncRecord[] = [];
    const deleted: SyncRecord[] = [];
    for (const r of page.records) {
      const removed =
        d.deleted &&
        r[d.deleted.field] !== undefined &&
        (d.deleted.equals === undefined || r[d.deleted.field] === d.deleted.equals);
      if (removed) deleted.push(Object.fromEntries(stream.primary_key.map((k) => [k, r[k]])));
      else records.push(r);
    }
    const extra = deleted.length ? { deleted } : {};
    if (page.next === undefined) {
      const next = readJsonPath(page.body, d.token_path);
      yield { records, ...extra, state: { delta_token: typeof next === 'string' && next ? next : (token ?? null) } };
      return;
    }
    position = page.next;
    yield { records, ...extra, state: { ...(token ? { delta_token: token } : {}), next: position } };
  }
}
