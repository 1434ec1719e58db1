import type { Schemas } from '../../api.js';

export type SyncConfig = Schemas['SyncConfig'];
export type Execution = Schemas['SyncExecution'];
export type SyncStream = Schemas['SyncStream'];
export type FieldMapping = Schemas['SyncFieldMapping'];
export type Schedule = Schemas['SyncSchedule'];
export type Target = Schemas['SyncTarget'];
/** A bidirectional sync's pairs, first-run match key, timestamps and delete handling (side A is the source). */
export type TwoWay = NonNullable<SyncConfig['two_way']>;
export type Conflict = Schemas['SyncConflict'];
/** A run's two-way counts for one stream: written on A and on B, echoes suppressed, conflicts, unmatched… */
export type TwoWayCounts = NonNullable<Execution['stream_progress'][string]['two_way']>;

/** Seed 000's names for the choices a sync configuration makes. */
export const typeLabels: Record<SyncConfig['type'], string> = {
  full: 'Full sync',
  incremental: 'Incremental sync',
  delta: 'Delta sync',
};
export const typeHelp: Record<SyncConfig['type'], string> = {
  full: 'Reads everything each run; records the source no longer has follow the deletion policy.',
  incremental: 'Reads only new and updated records, from a saved checkpoint (a timestamp, cursor or id).',
  delta: 'Reads changes through the system’s change-tracking token, where it offers one.',
};
export const directionLabels: Record<SyncConfig['direction'], string> = {
  inbound: 'Inbound (pull from the external system)',
  outbound: 'Outbound (push to the external system)',
  bidirectional: 'Bidirectional (two-way)',
};
export const conflictLabels: Record<SyncConfig['conflict_policy'], string> = {
  source_wins: 'Source Wins',
  target_wins: 'Target Wins',
  latest_timestamp: 'Latest Timestamp',
  manual: 'Manual Resolution',
};
export const conflictHelp: Record<SyncConfig['conflict_policy'], string> = {
  source_wins: 'Side A (the source) keeps its value when a record changed on both sides.',
  target_wins: 'Side B (the target) keeps its value when a record changed on both sides.',
  latest_timestamp:
    'The side changed last wins, by the record timestamps named below (field-level where the vendor has them).',
  manual:
    'The record waits in the conflicts inbox, written to neither side, until someone takes A, B or edited values.',
};
export const pairDirectionLabels = { both: 'Both ways', a_to_b: 'A → B only', b_to_a: 'B → A only' } as const;
export const normalizerLabels = {
  none: 'As is',
  trim: 'Trim spaces',
  lower: 'Lower case',
  email: 'E-mail address',
  phone: 'Phone number',
} as const;
export const twoWayDeleteLabels = {
  propagate: 'Delete it on the other side',
  soft: 'Mark it deleted on the other side',
  ignore: 'Keep it on the other side',
} as const;
export const triggerLabels: Record<Execution['trigger'], string> = {
  manual: 'Manual',
  schedule: 'Schedule',
  webhook: 'Webhook',
  event: 'Event',
  retry: 'Retry',
};
export const misfireLabels: Record<Schedule['misfire'], string> = {
  skip: 'Skip missed runs',
  run_once: 'Run once for all missed runs',
};
export const overlapLabels: Record<Schedule['overlap'], string> = {
  skip: 'Skip this run',
  queue_one: 'Queue one run behind it',
  cancel_running: 'Cancel the running one',
};
export const deletionLabels: Record<SyncConfig['deletion']['mode'], string> = {
  soft: 'Mark deleted (soft delete)',
  hard: 'Remove them',
  none: 'Keep them',
};

/** Statuses of a run that has not ended yet. */
export const isLive = (status: Execution['status']): boolean => status === 'pending' || status === 'running';

/** Where a sync writes, in words; `nameOf` turns a connection id into its name. */
export function targetLabel(target: Target, nameOf: (id: string) => string): string {
  if (target.kind === 'record_store') {
    return target.connection_id ? `The record store, under ${nameOf(target.connection_id)}` : 'The record store';
  }
  if (target.kind === 'postgres') return `${nameOf(target.connection_id)} · schema ${target.schema}`;
  if (target.kind === 'pgvector')
    return `${nameOf(target.connection_id)} · pgvector, schema ${target.schema}, ${target.dimensions} dimensions`;
  if (target.kind === 'mysql' || target.kind === 'sqlite') return `${nameOf(target.connection_id)} · its tables`;
  if (target.kind === 'files') return `The files store, ${target.folder}`;
  return `${nameOf(target.connection_id)} (its API)`;
}

/** A schedule in words: the cron, its zone and what it does with misses and overlaps. */
export function scheduleLabel(schedule: Schedule | null): string {
  if (!schedule) return 'By hand, webhook or event only';
  return `${schedule.cron} (${schedule.timezone})`;
}

/** Milliseconds as a short duration: 840 ms, 1.2 s, 3.5 min. */
export { duration, percent } from '../webhooks/shared/format.js';

/** A count with thousands separators. */
export const count = (n: number): string => n.toLocaleString();
