import type { Manifest } from '../../../catalog/manifest/manifest.js';
import { sleep } from '../../../connections/proxy/retry.js';
import {
  SyncError,
  type ReadRequest,
  type SourceBatch,
  type StreamSpec,
  type SyncRecord,
  type SyncSource,
} from '../../engine/types.js';
import type { ReadContext, VendorCaller } from './pages.js';
import { readDelta } from './read-delta.js';
import { readChildren, readFull } from './read-full.js';
import { readIncremental } from './read-incremental.js';
import type { ManifestStream } from './request.js';

export type { VendorCaller } from './pages.js';

export type RestSourceOptions = {
  /** The proxy's programmatic call (`proxy.call`): credentials, retries, rate budget and request log included. */
  call: VendorCaller;
  tenantId: string;
  connectionId: string;
  /** The connector's manifest (the registry's entry for the connection's connector). */
  manifest: Manifest;
  /** The connection's non-secret config, for `{{config.…}}` in stream paths, params and headers. */
  config?: Record<string, unknown>;
  /** At user level, whose OAuth credential reads. */
  userId?: string | null;
  /** Recorded beside each call in the connection's request log (the execution id). */
  requestId?: string;
  /** Per request attempt (default: the proxy's 30 s). */
  timeoutMs?: number;
};

/**
 * The streams a manifest declares as the sync engine sees them: every stream with a path; full reads always,
 * incremental when it declares how (`incremental` + `cursor_field`), delta when it has a delta token.
 */
export function restStreams(manifest: Manifest): StreamSpec[] {
  return manifest.streams
    .filter((s) => s.path !== undefined || s.incremental?.path !== undefined)
    .map((s) => ({
      name: s.name,
      primaryKey: s.primary_key,
      ...(s.cursor_field ? { cursorField: s.cursor_field } : {}),
      supports: {
        full: true,
        incremental: Boolean(s.incremental && s.cursor_field && !s.parent),
        delta: Boolean(s.delta),
      },
      fields: [],
      ...(s.description ? { description: s.description } : {}),
    }));
}

/**
 * A sync source reading a connector's REST streams through the proxy call. Each batch is one vendor page, with the
 * checkpoint that holds once it is committed (see read-full.ts, read-incremental.ts, read-delta.ts).
 */
export function createRestSource(options: RestSourceOptions): SyncSource {
  const { manifest } = options;
  const config = options.config ?? {};
  const lastCall = new Map<string, number>();

  const find = (name: string): ManifestStream => {
    const stream = manifest.streams.find((s) => s.name === name);
    if (!stream) throw new SyncError('stream_not_found', `${manifest.name} has no stream "${name}"`);
    return stream;
  };

  const context = (stream: ManifestStream, signal: AbortSignal): ReadContext => ({
    call: options.call,
    tenantId: options.tenantId,
    connectionId: options.connectionId,
    userId: options.userId ?? null,
    requestId: options.requestId,
    timeoutMs: options.timeoutMs,
    signal,
    // A documented per-stream budget (e.g. 1 request a minute) spaces this stream's calls evenly.
    async pace() {
      const limit = stream.rate_limit;
      if (!limit) return;
      const gap = (limit.per_seconds * 1000) / limit.requests;
      const wait = (lastCall.get(stream.name) ?? 0) + gap - Date.now();
      if (wait > 0) await sleep(wait, signal);
      lastCall.set(stream.name, Date.now());
    },
  });

  function batches(
    spec: StreamSpec,
    request: Pick<ReadRequest, 'mode' | 'state' | 'lookbackSeconds' | 'signal'>,
  ): AsyncGenerator<SourceBatch> {
    const stream = find(spec.name);
    const ctx = context(stream, request.signal);
    if (request.mode === 'delta') {
      if (!stream.delta)
        throw new SyncError('mode_unsupported', `${stream.name} has no delta token; read it in full or incrementally`);
      return readDelta(ctx, manifest, stream, request, config);
    }
    if (request.mode === 'incremental') {
      if (!stream.incremental || !stream.cursor_field || stream.parent) {
        throw new SyncError('mode_unsupported', `${stream.name} cannot be read incrementally; read it in full`);
      }
      return readIncremental(ctx, manifest, stream, request, config);
    }
    if (stream.parent) return readChildren(ctx, manifest, stream, request, config);
    return readFull(ctx, manifest, stream, request, { config });
  }

  return {
    discover: () => Promise.resolve(restStreams(manifest)),

    async sample(spec, limit, signal) {
      const out: SyncRecord[] = [];
      for await (const batch of batches(spec, { mode: 'full', state: null, lookbackSeconds: 0, signal })) {
        out.push(...batch.records);
        if (out.length >= limit) break;
      }
      return out.slice(0, limit);
    },

    read(request) {
      return batches(request.stream, request);
    },

    close: () => Promise.resolve(),
  };
}
