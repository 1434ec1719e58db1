import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { paginate, unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { readPages } from '../follow.js';
import {
  formatFields,
  formatTable,
  indent,
  printJson,
  printLine,
  printNote,
  printRows,
  secondTime,
  shortTime,
  type Column,
} from '../output.js';
import { collectList, parseDuration } from '../parse.js';
import { progressBar, progressLine } from '../progress.js';
import { parsePositiveInt } from './api-keys.js';
import { twoWayCountsTable, type TwoWayCounts } from './sync-two-way.js';

export type Execution = components['schemas']['SyncExecution'];
type LogEntry = components['schemas']['SyncLogEntry'];
type Rejected = components['schemas']['SyncRejectedRecord'];

const FINISHED = new Set<Execution['status']>(['success', 'partial_success', 'failed', 'cancelled']);
const STATUSES = ['pending', 'running', 'success', 'partial_success', 'failed', 'cancelled'];
const POLL_MS = 1000;

/** `83400` → `1m 23s`; runs take seconds to hours, so two units are enough. */
export function durationText(ms: number | null): string | null {
  if (ms === null) return null;
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${Math.round(ms)} ms` : `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** `running`, or `running (stuck: no heartbeat)`, `cancelling` once a cancel was asked. */
export function statusText(e: Execution): string {
  if (e.status === 'running' && e.stuck) return 'running (stuck: no heartbeat)';
  if (e.status === 'running' && e.cancel_requested) return 'cancelling';
  return e.status;
}

const executionColumns: Column<Execution>[] = [
  { header: 'ID', value: (e) => e.id },
  { header: 'SYNC', value: (e) => e.sync_id },
  { header: 'STATUS', value: (e) => statusText(e) },
  { header: 'TRIGGER', value: (e) => e.trigger },
  { header: 'STARTED', value: (e) => shortTime(e.started_at) },
  { header: 'DURATION', value: (e) => durationText(e.duration_ms) },
  { header: 'PROCESSED', value: (e) => e.records.processed },
  { header: 'CREATED', value: (e) => e.records.created },
  { header: 'UPDATED', value: (e) => e.records.updated },
  { header: 'DELETED', value: (e) => e.records.deleted },
  { header: 'FAILED', value: (e) => e.records.failed },
];

type StreamProgress = Execution['stream_progress'][string] & { name: string };
const streamColumns: Column<StreamProgress>[] = [
  { header: 'STREAM', value: (s) => s.name },
  { header: 'STATUS', value: (s) => s.status },
  { header: 'PROCESSED', value: (s) => s.processed },
  { header: 'CREATED', value: (s) => s.created },
  { header: 'UPDATED', value: (s) => s.updated },
  { header: 'DELETED', value: (s) => s.deleted },
  { header: 'FAILED', value: (s) => s.failed },
  { header: 'ERROR', value: (s) => s.error },
];

/**
 * One line of a run's progress: a bar of the streams finished (the total of records is not known ahead), the
 * stream being read, and the counts so far.
 *
 *     running [██████████░░░░░░░░░░] 1/2 streams · orders · 1200 processed (1000 created, 200 updated, 0 failed)
 */
export function runProgressText(e: Execution): string {
  const progress = Object.entries(e.stream_progress);
  const total = Math.max(e.streams.length, progress.length);
  const done = progress.filter(([, p]) => !['pending', 'running'].includes(p.status)).length;
  const bar = total ? ` ${progressBar(done, total)} ${done}/${total} streams` : '';
  const current = progress.find(([, p]) => p.status === 'running')?.[0];
  const r = e.records;
  const deleted = r.deleted ? `, ${r.deleted} deleted` : '';
  return (
    `${statusText(e)}${bar}${current ? ` · ${current}` : ''} · ${r.processed} processed ` +
    `(${r.created} created, ${r.updated} updated${deleted}, ${r.failed} failed)`
  );
}

/** Poll a run until it ends, showing its progress on stderr; returns the final execution. */
export async function followRun(client: SwitchyardClient, id: string): Promise<Execution> {
  const line = progressLine();
  for (;;) {
    const e = await unwrap(client.GET('/v1/syncs/executions/{id}', { params: { path: { id } } }));
    if (FINISHED.has(e.status)) {
      line.done(`${runProgressText(e)}${e.duration_ms !== null ? ` in ${durationText(e.duration_ms)}` : ''}`);
      return e;
    }
    line.update(runProgressText(e));
    await sleep(POLL_MS);
  }
}

/**
 * How a finished run ends the command: failed and cancelled runs exit 1 with the run's error code and reason (as
 * an API problem prints); a partial success exits 0 with a pointer to the rejected records.
 */
export function reportEnd(e: Execution): void {
  if (e.status === 'failed' || e.status === 'cancelled') {
    process.stderr.write(`error ${e.error_code ?? e.status}: ${e.error ?? `the run ended ${e.status}`}\n`);
    process.exitCode = 1;
  } else if (e.status === 'partial_success') {
    printNote(`note: ${e.records.failed} records were rejected; see switchyard syncs rejected ${e.id}`);
  }
}

function printExecution(e: Execution): void {
  printLine(`Sync run ${e.id} of ${e.sync_id}: ${statusText(e)}`);
  printLine(
    formatFields([
      ['Trigger', e.triggered_by ? `${e.trigger} by ${e.triggered_by}` : e.trigger],
      ['Streams', e.streams.length ? e.streams.join(', ') : 'all'],
      ['Full refresh', e.full_refresh ? 'yes' : null],
      ['Created', shortTime(e.created_at)],
      ['Started', shortTime(e.started_at)],
      ['Finished', shortTime(e.finished_at)],
      ['Duration', durationText(e.duration_ms)],
      ['Attempts', e.attempts > 1 ? e.attempts : null],
      ['Last heartbeat', e.status === 'running' ? shortTime(e.heartbeat_at) : null],
      [
        'Records',
        `${e.records.processed} processed: ${e.records.created} created, ${e.records.updated} updated, ` +
          `${e.records.deleted} deleted, ${e.records.failed} failed`,
      ],
      ['Error', e.error ? `${e.error_code ? `${e.error_code}: ` : ''}${e.error}` : null],
    ]),
  );
  const streams = Object.entries(e.stream_progress).map(([name, p]) => ({ ...p, name }));
  if (streams.length) printLine(indent(formatTable(streams, streamColumns)));
  const twoWay = twoWayCountsTable(e.stream_progress as Record<string, { two_way?: TwoWayCounts | null }>);
  if (twoWay) {
    printLine('Two-way (written on A and on B):');
    printLine(indent(twoWay));
  }
}

export const logLine = (l: LogEntry) => `${secondTime(l.at)}  ${l.level.padEnd(5)}  ${l.stream ?? '-'}  ${l.message}`;

/** `switchyard syncs run | cancel | executions | execution | logs | rejected`. */
export function registerSyncRunCommands(syncs: Command): void {
  withApiOptions(
    syncs
      .command('run')
      .description('Run a sync now (behind a run in progress); --wait follows it with a progress bar')
      .argument('<id>', 'sync id')
      .option('--stream <name>', 'only this stream; repeat or comma-separate (default: all)', collectList)
      .option('--full-refresh', 'read everything again; the target is swapped on success, never emptied while it runs')
      .option(
        '--wait',
        'follow the run until it ends (Ctrl-C stops following, not the run); exits 1 if it fails or is cancelled',
      ),
  ).action(async (id: string, opts: ApiOptions & { stream?: string[]; fullRefresh?: boolean; wait?: boolean }) => {
    const client = clientFor(opts);
    const asked = await unwrap(
      client.POST('/v1/syncs/{id}/run', {
        params: { path: { id } },
        body: { streams: opts.stream ?? [], full_refresh: opts.fullRefresh === true },
      }),
    );
    const e = asked.execution;
    if (!opts.wait) {
      if (opts.json) return printJson(asked);
      const how = { started: 'Started', queued: 'Queued behind the run in progress:', existing: 'Already waiting:' };
      printLine(`${how[asked.outcome]} run ${e.id} of sync ${id}.`);
      return printLine(`Follow it with: switchyard syncs logs ${e.id} --follow`);
    }
    if (!opts.json && asked.outcome !== 'started') {
      printNote(`${asked.outcome === 'queued' ? 'Queued behind the run in progress' : 'Already waiting'}: ${e.id}`);
    }
    const final = await followRun(client, e.id);
    if (opts.json) printJson(final);
    else printLine(`Run ${final.id} ended ${final.status}.`);
    reportEnd(final);
  });

  withApiOptions(
    syncs
      .command('cancel')
      .description('Cancel a run: a waiting one at once, a running one after the batch in hand')
      .argument('<execution-id>'),
  ).action(async (id: string, opts: ApiOptions) => {
    const e = await unwrap(clientFor(opts).POST('/v1/syncs/executions/{id}/cancel', { params: { path: { id } } }));
    if (opts.json) return printJson(e);
    printLine(
      e.status === 'cancelled'
        ? `Cancelled run ${e.id} before it started.`
        : `Asked run ${e.id} to stop; it ends after the batch in hand (follow with: switchyard syncs logs ${e.id} --follow).`,
    );
  });

  withApiOptions(
    syncs
      .command('executions')
      .description('Sync runs, newest first, with their counts and duration')
      .option('--sync <id>', 'only runs of this sync')
      .option('--status <status>', `${STATUSES.join(', ')}; repeat or comma-separate`, collectList)
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 50),
  ).action(async (opts: ApiOptions & { sync?: string; status?: string[]; limit: number }) => {
    const client = clientFor(opts);
    const query = {
      ...(opts.sync ? { sync_id: opts.sync } : {}),
      ...(opts.status ? { status: opts.status.join(',') } : {}),
    };
    const rows: Execution[] = [];
    for await (const row of paginate((cursor) =>
      client.GET('/v1/syncs/executions', {
        params: { query: { ...query, cursor, limit: Math.min(opts.limit, 200) } },
      }),
    )) {
      rows.push(row);
      if (rows.length >= opts.limit) break;
    }
    printRows(rows, executionColumns, { json: opts.json, what: 'sync runs' });
  });

  withApiOptions(
    syncs
      .command('execution')
      .description('One run: counts, duration, error and progress per stream')
      .argument('<execution-id>'),
  ).action(async (id: string, opts: ApiOptions) => {
    const e = await unwrap(clientFor(opts).GET('/v1/syncs/executions/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(e);
    printExecution(e);
  });

  withApiOptions(
    syncs
      .command('logs')
      .description('A run’s log, oldest first; --follow keeps printing until the run ends')
      .argument('<execution-id>')
      .option('--follow', 'poll for new entries until the run ends')
      .option('--interval <duration>', 'how often --follow polls (default 1s)', parseDuration),
  ).action(async (id: string, opts: ApiOptions & { follow?: boolean; interval?: number }) => {
    const client = clientFor(opts);
    const limit = 500;
    const all: LogEntry[] = [];
    let after: string | undefined;
    let seen = 0;
    await readPages({
      read: () =>
        unwrap(
          client.GET('/v1/syncs/executions/{id}/logs', {
            params: { path: { id }, query: { limit, ...(after ? { after } : {}) } },
          }),
        ),
      handle: (page) => {
        after = page.next_after ?? after;
        seen += page.data.length;
        if (opts.json && !opts.follow) all.push(...page.data);
        else for (const l of page.data) printLine(opts.json ? JSON.stringify(l) : logLine(l));
        // `finished` is read before the entries, so a finished run's last page holds its last entry.
        return { more: page.data.length === limit, finished: page.finished };
      },
      follow: opts.follow === true,
      intervalMs: opts.interval ? opts.interval * 1000 : POLL_MS,
    });
    if (opts.json && !opts.follow) printJson(all);
    else if (!opts.json && seen === 0) printLine('No log entries.');
  });

  withApiOptions(
    syncs
      .command('rejected')
      .description('The records a run rejected (a mapping or the target refused them), with the reasons')
      .argument('<execution-id>')
      .option('--limit <n>', 'show at most this many', parsePositiveInt, 100)
      .option('--records', 'print each whole record under its reason'),
  ).action(async (id: string, opts: ApiOptions & { limit: number; records?: boolean }) => {
    const client = clientFor(opts);
    const rows: Rejected[] = [];
    let after: string | undefined;
    do {
      const page = await unwrap(
        client.GET('/v1/syncs/executions/{id}/rejected', {
          params: {
            path: { id },
            query: { limit: Math.min(opts.limit - rows.length, 1000), ...(after ? { after } : {}) },
          },
        }),
      );
      rows.push(...page.data);
      after = page.next_after ?? undefined;
    } while (after && rows.length < opts.limit);
    if (opts.json || !opts.records) {
      return printRows(rows, rejectedColumns, { json: opts.json, what: 'rejected records' });
    }
    if (rows.length === 0) return printLine('No rejected records.');
    for (const r of rows) {
      printLine(`${r.id} ${r.stream} ${r.record_key ?? '(no key)'}: ${r.reason}`);
      printLine(indent(JSON.stringify(r.record, null, 2)));
    }
  });
}

const rejectedColumns: Column<Rejected>[] = [
  { header: 'AT', value: (r) => shortTime(r.at) },
  { header: 'STREAM', value: (r) => r.stream },
  { header: 'KEY', value: (r) => r.record_key },
  { header: 'REASON', value: (r) => r.reason },
  { header: 'RECORD', value: (r) => JSON.stringify(r.record).slice(0, 60) },
];
