import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/port.js';
import { publishEvent } from '../../events/publish.js';
import type { ConfigRow } from '../configs/sql.js';
import { getConfig } from '../configs/sql.js';
import {
  SyncError,
  type LogLevel,
  type ReadMode,
  type SourceBatch,
  type StreamSpec,
  type StreamWriter,
  type SyncRecord,
  type SyncSource,
  type SyncTarget,
} from '../engine/types.js';
import {
  deleteRejected,
  insertLogs,
  insertRejected,
  type ExecutionRow,
  type ExecutionStatus,
  type StreamProgress,
} from '../executions/sql.js';
import {
  compileMapping,
  fieldsForStream,
  mappedFields,
  mappedPrimaryKey,
  RecordRejection,
  type RecordMapper,
} from '../mapping/index.js';
import { executionEvent } from './events.js';
import { runTwoWayStream } from '../twoway/run.js';
import { finishExecution, heartbeat, loadStates, saveBatch, suspendExecution } from './sql.js';

/** How a run reaches its source and target: src/sync/run/open.ts builds them from the config's connections. */
export type Endpoints = {
  source(config: ConfigRow, signal: AbortSignal): Promise<SyncSource>;
  target(config: ConfigRow, signal: AbortSignal): Promise<SyncTarget>;
};

export type ExecuteDeps = { db: Db; clock: Clock; log: Logger; endpoints: Endpoints };

export type ExecuteOptions = {
  /** This node's lease-owner id. */
  owner: string;
  leaseMs: number;
  heartbeatMs: number;
};

type LogLine = { level: LogLevel; stream: string | null; message: string };

type Outcome = { status: ExecutionStatus; errorCode: string | null; error: string | null };

/** Why a run stops early: asked to (cancel), or it no longer holds its lease (another node took over). */
class Stopped extends Error {
  constructor(readonly why: 'cancelled' | 'lease_lost' | 'suspended') {
    super(why);
  }
}

/**
 * Run one claimed execution to its end: for each stream, read batches from the source, map them, write them to the
 * target, and only then save the batch's counts and checkpoint (one transaction, fenced by the lease) — so a
 * checkpoint never passes a record the target has not committed, and a run killed at any point resumes on any node
 * from its last checkpoint. The next batch is read while one is written. A heartbeat extends the lease and picks up
 * a cancel, which takes effect after the batch in hand; a run whose lease was lost stops writing at once.
 */
export function createExecutor(deps: ExecuteDeps, options: ExecuteOptions) {
  const { db, clock, log } = deps;
  /** Cancels asked for on this node's runs, by execution id: checked between batches and by the heartbeat. */
  const running = new Map<string, AbortController>();
  /** Log lines of a run not yet stored: written with the next batch's transaction (or the run's end). */
  const logBuffers = new Map<string, LogLine[]>();

  function leaseUntil(): Date {
    return new Date(clock.now().getTime() + options.leaseMs);
  }

  async function execute(execution: ExecutionRow): Promise<ExecutionStatus | undefined> {
    const stop = new AbortController();
    running.set(execution.id, stop);
    const logs: LogLine[] = [];
    logBuffers.set(execution.id, logs);
    const say = (level: LogLevel, stream: string | null, message: string) => logs.push({ level, stream, message });
    const beat = setInterval(() => {
      heartbeat(db, execution.id, options.owner, clock.now(), leaseUntil())
        .then(({ held, cancel, suspend }) => {
          if (!held) stop.abort(new Stopped('lease_lost'));
          else if (cancel) stop.abort(new Stopped('cancelled'));
          else if (suspend) stop.abort(new Stopped('suspended'));
        })
        .catch((error: unknown) => log.warn({ err: error, execution: execution.id }, 'sync heartbeat failed'));
    }, options.heartbeatMs);
    beat.unref();
    let outcome: Outcome;
    try {
      if (execution.cancel_requested) throw new Stopped('cancelled');
      const config = await getConfig(db, execution.tenant_id, execution.config_id);
      if (!config) throw new SyncError('not_found', 'The sync configuration was deleted.');
      if (execution.attempts > 1)
        say('warn', null, `Resumed (attempt ${execution.attempts}) from the last checkpoints.`);
      outcome = await runStreams(config, execution, stop.signal, say);
    } catch (error) {
      outcome = failure(error, stop.signal);
    } finally {
      clearInterval(beat);
      running.delete(execution.id);
      logBuffers.delete(execution.id);
    }
    if (stop.signal.reason instanceof Stopped && stop.signal.reason.why === 'lease_lost') {
      log.warn({ execution: execution.id }, 'a sync run lost its lease; another node resumes it');
      return undefined;
    }
    if (stop.signal.reason instanceof Stopped && stop.signal.reason.why === 'suspended') {
      say('warn', null, 'Paused: the tenant was disabled. The run resumes from its checkpoints once it is enabled.');
      await db.transaction(async (tx) => {
        if (await suspendExecution(tx, execution.id, options.owner, clock.now()))
          await insertLogs(tx, execution.id, logs.splice(0));
      });
      return 'pending';
    }
    say(outcome.status === 'failed' ? 'error' : 'info', null, summary(outcome));
    const finished = await db.transaction(async (tx) => {
      await insertLogs(tx, execution.id, logs.splice(0));
      const row = await finishExecution(tx, {
        id: execution.id,
        owner: options.owner,
        status: outcome.status,
        errorCode: outcome.errorCode,
        error: outcome.error,
        now: clock.now(),
      });
      if (row) await publishEvent(tx, executionEvent(row));
      return row;
    });
    return finished?.status;
  }

  async function runStreams(
    config: ConfigRow,
    execution: ExecutionRow,
    signal: AbortSignal,
    say: (level: LogLevel, stream: string | null, message: string) => void,
  ): Promise<Outcome> {
    const source = await deps.endpoints.source(config, signal);
    let target: SyncTarget | undefined;
    let twoWay: { bSource: SyncSource; aTarget: SyncTarget } | undefined;
    try {
      if (config.direction === 'bidirectional') twoWay = await openTwoWay(config, signal);
      // A dry run writes nothing, so it does not reach the target at all.
      target = execution.dry_run ? dryRunTarget : await deps.endpoints.target(config, signal);
      const specs = new Map((await source.discover()).map((s) => [s.name, s]));
      const states = await loadStates(db, config.id);
      const wanted = config.source.streams.filter(
        (s) => execution.streams.length === 0 || execution.streams.includes(s.name),
      );
      let failed = 0;
      let rejected = 0;
      let firstError: { code: string; message: string } | undefined;
      for (const chosen of wanted) {
        if (signal.aborted) throw signal.reason;
        const found = specs.get(chosen.name);
        const progress: StreamProgress = execution.stream_progress[chosen.name] ?? {
          status: 'pending',
          processed: 0,
          created: 0,
          updated: 0,
          deleted: 0,
          failed: 0,
        };
        if (progress.status === 'complete') continue; // done before this run was resumed
        try {
          if (!found) {
            throw new SyncError('stream_unknown', `The source has no stream "${chosen.name}" (any more).`);
          }
          const spec: StreamSpec = {
            ...found,
            ...(chosen.primary_key ? { primaryKey: chosen.primary_key } : {}),
            ...(chosen.cursor_field ? { cursorField: chosen.cursor_field } : {}),
          };
          const stream = { config, execution, spec, targetName: chosen.target ?? chosen.name, progress };
          if (twoWay) await runTwoWay(stream, source, target, twoWay, states.get(spec.name) ?? null, signal, say);
          else await runStream(stream, source, target, states.get(spec.name) ?? null, signal, say);
          rejected += progress.failed;
        } catch (error) {
          if (error instanceof Stopped) throw error;
          failed++;
          const { code, message } = describe(error);
          firstError ??= { code, message };
          progress.status = 'failed';
          progress.error = message;
          progress.finished_at = clock.now().toISOString();
          say('error', chosen.name, `Stream failed: ${message}`);
          await saveProgress(execution, config, chosen.name, progress, undefined);
          if (!(error instanceof SyncError)) log.error({ err: error, execution: execution.id }, 'sync stream failed');
        }
      }
      if (failed === wanted.length && firstError) {
        return { status: 'failed', errorCode: firstError.code, error: firstError.message };
      }
      if (failed > 0 || rejected > 0) {
        const error = firstError
          ? `${failed} of ${wanted.length} streams failed: ${firstError.message}`
          : `${rejected} records were rejected.`;
        return { status: 'partial_success', errorCode: firstError?.code ?? 'records_rejected', error };
      }
      return { status: 'success', errorCode: null, error: null };
    } finally {
      await source.close().catch(() => {});
      await target?.close().catch(() => {});
      await twoWay?.bSource.close().catch(() => {});
      await twoWay?.aTarget.close().catch(() => {});
    }
  }

  /** A two-way sync's other half: side B read as a source, side A written as a target. */
  async function openTwoWay(config: ConfigRow, signal: AbortSignal) {
    if (config.source.kind !== 'connection' || !config.two_way)
      throw new SyncError(
        'two_way_invalid',
        'A two-way sync reads and writes a connection on side A, with field pairs.',
      );
    const a = config.source.connection_id;
    const target = config.target;
    const bStreams = config.source.streams.map((s) => ({
      name: target.kind === 'postgres' ? `${target.schema}.${s.target ?? s.name}` : (s.target ?? s.name),
    }));
    const bSourceConfig =
      target.kind === 'record_store'
        ? { kind: 'record_store' as const, connection_id: target.connection_id ?? a, streams: bStreams }
        : target.kind === 'postgres' || target.kind === 'connection'
          ? { kind: 'connection' as const, connection_id: target.connection_id, streams: bStreams }
          : undefined;
    if (!bSourceConfig) throw new SyncError('two_way_invalid', `Side B cannot be a ${target.kind} target.`);
    const bSource = await deps.endpoints.source({ ...config, source: bSourceConfig }, signal);
    try {
      const aTarget = await deps.endpoints.target(
        { ...config, target: { kind: 'connection', connection_id: a } },
        signal,
      );
      return { bSource, aTarget };
    } catch (error) {
      await bSource.close().catch(() => {});
      throw error;
    }
  }

  async function runTwoWay(
    stream: {
      config: ConfigRow;
      execution: ExecutionRow;
      spec: StreamSpec;
      targetName: string;
      progress: StreamProgress;
    },
    aSource: SyncSource,
    bTarget: SyncTarget,
    other: { bSource: SyncSource; aTarget: SyncTarget },
    saved: Record<string, unknown> | null,
    signal: AbortSignal,
    say: (level: LogLevel, stream: string | null, message: string) => void,
  ): Promise<void> {
    const { config, execution, spec, progress } = stream;
    if (execution.dry_run) throw new SyncError('two_way_dry_run', 'A two-way sync has no dry run.');
    progress.status = 'running';
    progress.started_at ??= clock.now().toISOString();
    const target = config.target;
    say('info', spec.name, `Two-way: reading what changed on each side of ${spec.name}.`);
    const { counts, state } = await runTwoWayStream({
      db,
      config: config as ConfigRow & { two_way: NonNullable<ConfigRow['two_way']> },
      executionId: execution.id,
      spec,
      bName: target.kind === 'postgres' ? `${target.schema}.${stream.targetName}` : stream.targetName,
      bWriteName: stream.targetName,
      aSource,
      bSource: other.bSource,
      aTarget: other.aTarget,
      bTarget,
      saved,
      full: execution.full_refresh || config.sync_type === 'full',
      signal,
      say: (level, message) => say(level, spec.name, message),
    });
    const created = counts.a.created + counts.b.created;
    const updated = counts.a.updated + counts.b.updated;
    const deleted = counts.a.deleted + counts.b.deleted;
    progress.processed += created + updated + deleted + counts.echoes;
    progress.created += created;
    progress.updated += updated;
    progress.deleted += deleted;
    progress.two_way = counts;
    progress.status = 'complete';
    progress.finished_at = clock.now().toISOString();
    const ok = await saveProgress(execution, config, spec.name, progress, state, {
      processed: created + updated + deleted + counts.echoes,
      created,
      updated,
      deleted,
      failed: 0,
    });
    if (!ok) throw new Stopped('lease_lost');
    say(
      'info',
      spec.name,
      `Two-way ${spec.name}: A ${counts.a.created} created, ${counts.a.updated} updated, ${counts.a.deleted} deleted; ` +
        `B ${counts.b.created} created, ${counts.b.updated} updated, ${counts.b.deleted} deleted; ${counts.echoes} echoes ` +
        `suppressed, ${counts.conflicts} conflicts, ${counts.unmatched} unmatched, ${counts.ambiguous} ambiguous.`,
    );
  }

  async function runStream(
    stream: {
      config: ConfigRow;
      execution: ExecutionRow;
      spec: StreamSpec;
      targetName: string;
      progress: StreamProgress;
    },
    source: SyncSource,
    target: SyncTarget,
    saved: Record<string, unknown> | null,
    signal: AbortSignal,
    say: (level: LogLevel, stream: string | null, message: string) => void,
  ): Promise<void> {
    const { config, execution, spec, progress } = stream;
    const { mode, refresh } = readMode(config, execution, spec, saved, say);
    const full = mode === 'full';
    const map = compileMapping(config.mappings, spec);
    const unmapped = config.mappings.select === 'all' && fieldsForStream(config.mappings, spec.name).length === 0;
    const keys = mappedPrimaryKey(config.mappings, spec);
    if (keys.some((k: string | undefined) => k === undefined)) {
      throw new SyncError(
        'mapping_invalid',
        `The mapping of ${spec.name} drops its primary key (${spec.primaryKey.join(', ')}).`,
      );
    }
    const targetKey = keys as string[];
    progress.status = 'running';
    progress.started_at ??= clock.now().toISOString();
    say('info', spec.name, `Reading ${spec.name} (${mode}${full && progress.position ? ', resumed' : ''}).`);
    const readAbort = new AbortController();
    const onStop = () => readAbort.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    // An all-or-nothing source (a file import under stop or reject_file) is written in one transaction of the
    // target when the target can: the file is read once, and a failure rolls the whole run back. A run resumed from a
    // checkpoint of an earlier attempt that was not written so goes on as it began.
    const wantsAtomic = source.allOrNothing === true && !execution.dry_run && !refresh && !progress.position;
    const writer: StreamWriter = await target.open({
      name: stream.targetName,
      primaryKey: targetKey,
      fields: mappedFields(config.mappings, spec),
      fullRefresh: refresh,
      executionId: execution.id,
      deletion: { mode: config.deletion_mode, maxDeleteShare: config.max_delete_share },
      // An import keeps what it changed, so that it can be undone (unless it was asked not to).
      journal: config.source.kind === 'file' && config.source.undoable !== false,
      atomic: wantsAtomic,
      signal: readAbort.signal,
      log: (level, message) => say(level, spec.name, message),
    });
    const atomic = wantsAtomic && writer.atomic === true;
    // Created and updated records of a run written in one transaction count once it commits.
    const uncommitted = { created: 0, updated: 0 };
    if (atomic) {
      if (progress.processed > 0 || progress.failed > 0) await restartCounts(execution, config, spec.name, progress);
      say('info', spec.name, `Writing ${spec.name} in one transaction: nothing is kept unless every record is.`);
    }
    const reading = source.read({
      stream: spec,
      mode,
      state: full ? (progress.position ?? null) : saved,
      lookbackSeconds: config.lookback_seconds,
      batchSize: config.batch_size,
      signal: readAbort.signal,
      log: (level, message) => say(level, spec.name, message),
      dryRun: execution.dry_run,
      atomic,
    });
    const batches = reading[Symbol.asyncIterator]();
    let last: Record<string, unknown> | undefined;
    try {
      let next = batches.next();
      for (;;) {
        const result: IteratorResult<SourceBatch> = await next;
        if (result.done) break;
        // Read ahead: the source fetches the next batch while this one is mapped and written.
        next = batches.next();
        next.catch(() => {}); // surfaced when awaited
        const batch = result.value;
        const refused: { key: string | null; record: unknown; reason: string }[] = (batch.rejected ?? []).map((r) => ({
          key: recordKey(r.record, spec.primaryKey),
          record: r.record,
          reason: r.reason,
        }));
        // An unmapped batch a target can take as COPY text is written so, its records never decoded.
        let written = unmapped && batch.copy && writer.writeCopy ? await writer.writeCopy(batch.copy) : undefined;
        if (!written) {
          const mapped: SyncRecord[] = [];
          for (const record of batch.records) {
            try {
              mapped.push(map(record));
            } catch (error) {
              if (!(error instanceof RecordRejection)) throw error;
              refused.push({
                key: recordKey(record, spec.primaryKey),
                record,
                reason: (error as RecordRejection).reason,
              });
            }
          }
          written = await writer.write(mapped);
        }
        for (const r of written.rejected) {
          refused.push({ key: recordKey(r.record, targetKey), record: r.record, reason: r.reason });
        }
        const removed = batch.deleted?.length
          ? await deleteFromTarget(writer, batch.deleted, map, spec, targetKey, say)
          : 0;
        const read =
          (batch.copy?.rows ?? batch.records.length) + (batch.deleted?.length ?? 0) + (batch.rejected?.length ?? 0);
        // Written in one transaction: no checkpoint (a stopped attempt starts again) and no counts until it commits.
        const counted = atomic ? uncommitted : progress;
        progress.processed += read;
        counted.created += written.created;
        counted.updated += written.updated;
        progress.deleted += removed;
        progress.failed += refused.length;
        if (batch.state) last = batch.state;
        if (full && batch.state && !atomic) progress.position = batch.state;
        const saved = await saveProgress(
          execution,
          config,
          spec.name,
          progress,
          full ? undefined : batch.state,
          {
            processed: read,
            created: atomic ? 0 : written.created,
            updated: atomic ? 0 : written.updated,
            deleted: removed,
            failed: refused.length,
          },
          refused,
        );
        if (!saved) throw new Stopped('lease_lost');
        if (atomic && written.rejected.length > 0) {
          throw new SyncError(
            'records_rejected',
            `The target refused ${written.rejected.length === 1 ? 'a record' : `${written.rejected.length} records`} ` +
              `(${written.rejected[0]?.reason}); nothing was imported.`,
          );
        }
        if (signal.aborted) throw signal.reason;
      }
      const { deleted } = await writer.finish();
      progress.created += uncommitted.created;
      progress.updated += uncommitted.updated;
      progress.deleted += deleted;
      progress.status = 'complete';
      progress.finished_at = clock.now().toISOString();
      delete progress.position;
      // A full read's last state is where the next incremental read starts (a dry run moves no checkpoint).
      const finalState = full && last && !execution.dry_run ? last : undefined;
      const ok = await saveProgress(execution, config, spec.name, progress, finalState, {
        processed: 0,
        created: uncommitted.created,
        updated: uncommitted.updated,
        deleted,
        failed: 0,
      });
      if (!ok) throw new Stopped('lease_lost');
      say(
        'info',
        spec.name,
        `Finished ${spec.name}: ${progress.processed} read, ${progress.created} created, ${progress.updated} updated, ${progress.deleted} deleted, ${progress.failed} rejected.`,
      );
    } catch (error) {
      readAbort.abort(error);
      await batches.return?.().catch(() => {});
      // A run that lost its lease or was paused resumes under its id and keeps what it staged; one that failed or was
      // cancelled drops it. A full refresh stopped by its delete threshold keeps its shadow for a person to look at.
      const resumes = error instanceof Stopped && error.why !== 'cancelled';
      const looked = error instanceof SyncError && error.code === 'delete_threshold_exceeded';
      await writer.abort({ final: !resumes && !looked }).catch(() => {});
      if (error instanceof Stopped && error.why === 'cancelled') {
        progress.status = 'cancelled';
        await saveProgress(execution, config, spec.name, progress, undefined);
      }
      throw error;
    } finally {
      signal.removeEventListener('abort', onStop);
    }
  }

  /** One transaction: counts, progress, rejected records, buffered log lines and the checkpoint, fenced. */
  async function saveProgress(
    execution: ExecutionRow,
    config: ConfigRow,
    stream: string,
    progress: StreamProgress,
    checkpoint: Record<string, unknown> | undefined,
    counts = { processed: 0, created: 0, updated: 0, deleted: 0, failed: 0 },
    refused: { key: string | null; record: unknown; reason: string }[] = [],
    /** The stream starts again: the records refused so far are forgotten first. */
    restart = false,
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      if (restart) await deleteRejected(tx, execution.id, stream);
      const ok = await saveBatch(tx, {
        executionId: execution.id,
        owner: options.owner,
        configId: config.id,
        stream,
        counts,
        progress,
        checkpoint,
      });
      if (!ok) return false;
      await insertRejected(tx, execution.id, stream, refused);
      await insertLogs(tx, execution.id, logBuffers.get(execution.id)?.splice(0) ?? []);
      return true;
    });
  }

  /**
   * A run written in one transaction that an earlier attempt got part way through (its writes rolled back with it)
   * starts again from the first record: what that attempt counted and refused is taken back.
   */
  async function restartCounts(
    execution: ExecutionRow,
    config: ConfigRow,
    stream: string,
    progress: StreamProgress,
  ): Promise<void> {
    const counts = { processed: -progress.processed, created: 0, updated: 0, deleted: 0, failed: -progress.failed };
    progress.processed = 0;
    progress.failed = 0;
    if (!(await saveProgress(execution, config, stream, progress, undefined, counts, [], true)))
      throw new Stopped('lease_lost');
  }

  function failure(error: unknown, signal: AbortSignal): Outcome {
    const reason = error instanceof Stopped ? error : signal.reason instanceof Stopped ? signal.reason : undefined;
    if (reason?.why === 'cancelled') return { status: 'cancelled', errorCode: 'cancelled', error: 'Cancelled.' };
    if (!(error instanceof SyncError)) log.error({ err: error }, 'sync run failed');
    const { code, message } = describe(error);
    return { status: 'failed', errorCode: code, error: message };
  }

  return {
    execute,
    /** Stop a run of this node after its batch in hand (a cancel heard by notification). */
    cancel(executionId: string): boolean {
      const stop = running.get(executionId);
      if (!stop) return false;
      stop.abort(new Stopped('cancelled'));
      return true;
    },
    running: () => running.size,
  };
}

/** The target of a dry run: every record the mapping let through counts as valid; nothing is written anywhere. */
const dryRunTarget: SyncTarget = {
  async open() {
    return {
      async write() {
        return { created: 0, updated: 0, unchanged: 0, rejected: [] };
      },
      async delete() {
        return 0;
      },
      async finish() {
        return { deleted: 0 };
      },
      async abort() {},
    };
  },
  async close() {},
};

/**
 * Apply the records a source reported removed (a delta read's tombstones). They carry only the source's key fields,
 * so each goes through the mapping for its key (a renamed or cast key) and falls back to the raw value where the
 * mapping needs more of the record than a key. A target that cannot delete is told once per batch in the log.
 */
async function deleteFromTarget(
  writer: StreamWriter,
  removed: SyncRecord[],
  map: RecordMapper,
  spec: StreamSpec,
  targetKey: string[],
  say: (level: LogLevel, stream: string | null, message: string) => void,
): Promise<number> {
  if (!writer.delete) {
    say('warn', spec.name, `The target cannot delete: ${removed.length} records removed at the source were left.`);
    return 0;
  }
  const keys = removed.map((record) => {
    let mapped: SyncRecord = {};
    try {
      mapped = map(record);
    } catch (error) {
      if (!(error instanceof RecordRejection)) throw error;
    }
    return Object.fromEntries(targetKey.map((name, i) => [name, mapped[name] ?? record[spec.primaryKey[i] as string]]));
  });
  return writer.delete(keys);
}

/**
 * How a stream is read this run, and whether the target does a full refresh (a shadow swapped in at the end, and
 * deletion of what the run did not see). The first read of an incremental sync is in full where that ends where an
 * incremental read continues (fullReadEndsAtCursor): an initial load, not a refresh.
 */
function readMode(
  config: ConfigRow,
  execution: ExecutionRow,
  spec: StreamSpec,
  saved: Record<string, unknown> | null,
  say: (level: LogLevel, stream: string | null, message: string) => void,
): { mode: ReadMode; refresh: boolean } {
  // A dry run writes nothing; a file is read whole, and replaces what an earlier import wrote only when asked.
  if (execution.dry_run) return { mode: 'full', refresh: false };
  if (config.source.kind === 'file') return { mode: 'full', refresh: execution.full_refresh };
  if (execution.full_refresh || config.sync_type === 'full') return { mode: 'full', refresh: true };
  if (config.sync_type === 'delta' && spec.supports.delta) return { mode: 'delta', refresh: false };
  if (spec.supports.incremental && spec.cursorField) {
    const initialLoad = saved === null && spec.fullReadEndsAtCursor === true;
    return { mode: initialLoad ? 'full' : 'incremental', refresh: false };
  }
  say('warn', spec.name, `${spec.name} has no incremental cursor; it is read in full.`);
  return { mode: 'full', refresh: true };
}

function recordKey(record: SyncRecord, primaryKey: string[]): string | null {
  const values = primaryKey.map((k) => record[k]);
  if (values.some((v) => v === undefined || v === null)) return null;
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof SyncError) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: 'The run failed unexpectedly; the server log has the details.' };
}

function summary(outcome: Outcome): string {
  switch (outcome.status) {
    case 'success':
      return 'Run succeeded.';
    case 'partial_success':
      return `Run partly succeeded: ${outcome.error}`;
    case 'cancelled':
      return 'Run cancelled.';
    default:
      return `Run failed: ${outcome.error}`;
  }
}
