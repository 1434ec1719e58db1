import { SwitchyardError, type Schemas } from '../../../api.js';
import type { FieldMapping, Schedule, SyncConfig } from '../labels.js';
import { initialTwoWay, twoWayBody, type TwoWayForm } from './two-way-state.js';

export const castTypes = ['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json'] as const;
export type CastType = (typeof castTypes)[number];

/** One row of the mappings editor: the output field, where its value comes from, and a conversion. */
export type MappingRow = {
  key: number;
  stream: string;
  to: string;
  kind: 'from' | 'constant' | 'template';
  /** A source path, a constant (JSON, or plain text) or a template. */
  value: string;
  cast: CastType | '';
  /** Kept as it was: the form does not edit defaults, and saving must not drop them. */
  fallback?: unknown;
};

export type ChosenStream = { name: string; target: string; cursorField: string };

/** Everything the New / Edit form holds, as the text its inputs show. */
export type SyncForm = {
  name: string;
  description: string;
  sourceKind: 'connection' | 'record_store';
  connectionId: string;
  streams: ChosenStream[];
  type: SyncConfig['type'];
  direction: SyncConfig['direction'];
  conflict: SyncConfig['conflict_policy'];
  /** Bidirectional only: the paired fields and the rest of `two_way`. */
  twoWay: TwoWayForm;
  targetKind: SyncConfig['target']['kind'];
  targetConnectionId: string;
  targetSchema: string;
  /** A pgvector target's settings as stored (the console edits its connection and schema only; the API the rest). */
  vectorTarget?: Extract<SyncConfig['target'], { kind: 'pgvector' }>;
  scheduled: boolean;
  schedule: Schedule;
  select: 'all' | 'mapped';
  fields: MappingRow[];
  deletionMode: SyncConfig['deletion']['mode'];
  /** The largest share of the target a full sync may delete, in percent. */
  maxDeletePercent: string;
  lookbackSeconds: string;
  batchSize: string;
  eventTypes: string;
  enabled: boolean;
};

let nextKey = 1;
export const newRow = (): MappingRow => ({ key: nextKey++, stream: '', to: '', kind: 'from', value: '', cast: '' });

/** The browser's own zone, so a new schedule reads in the user's wall-clock time. */
const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function initialForm(sync?: SyncConfig): SyncForm {
  if (!sync) {
    return {
      name: '',
      description: '',
      sourceKind: 'connection',
      connectionId: '',
      streams: [],
      type: 'incremental',
      direction: 'inbound',
      conflict: 'source_wins',
      twoWay: initialTwoWay(null),
      targetKind: 'record_store',
      targetConnectionId: '',
      targetSchema: 'public',
      scheduled: false,
      schedule: { cron: '0 * * * *', timezone: localZone(), misfire: 'skip', overlap: 'skip' },
      select: 'all',
      fields: [],
      deletionMode: 'soft',
      maxDeletePercent: '50',
      lookbackSeconds: '0',
      batchSize: '5000',
      eventTypes: '',
      enabled: true,
    };
  }
  const t = sync.target;
  return {
    name: sync.name,
    description: sync.description,
    // A file import is edited in the import wizard (a storage sync on its import page); its form here shows it as
    // reading no connection.
    sourceKind: sync.source.kind === 'file' || sync.source.kind === 'storage' ? 'connection' : sync.source.kind,
    connectionId: sync.source.kind === 'file' ? '' : sync.source.connection_id,
    streams: sync.source.streams.map((s) => ({
      name: s.name,
      target: s.target ?? '',
      cursorField: s.cursor_field ?? '',
    })),
    type: sync.type,
    direction: sync.direction,
    conflict: sync.conflict_policy,
    twoWay: initialTwoWay(sync.two_way),
    targetKind: t.kind,
    targetConnectionId: t.kind === 'record_store' || t.kind === 'files' ? '' : t.connection_id,
    targetSchema: t.kind === 'postgres' || t.kind === 'pgvector' ? t.schema : 'public',
    ...(t.kind === 'pgvector' ? { vectorTarget: t } : {}),
    scheduled: sync.schedule !== null,
    schedule: sync.schedule ?? { cron: '0 * * * *', timezone: localZone(), misfire: 'skip', overlap: 'skip' },
    select: sync.mappings.select,
    fields: sync.mappings.fields.map(rowOf),
    deletionMode: sync.deletion.mode,
    maxDeletePercent: String(Math.round(sync.deletion.max_delete_share * 1000) / 10),
    lookbackSeconds: String(sync.lookback_seconds),
    batchSize: String(sync.batch_size),
    eventTypes: sync.trigger_event_types.join(', '),
    enabled: sync.enabled,
  };
}

function rowOf(f: FieldMapping): MappingRow {
  const base = { key: nextKey++, stream: f.stream ?? '', to: f.to, cast: f.cast ?? ('' as const) };
  const row: MappingRow =
    f.template !== undefined
      ? { ...base, kind: 'template', value: f.template }
      : f.constant !== undefined
        ? { ...base, kind: 'constant', value: JSON.stringify(f.constant) }
        : { ...base, kind: 'from', value: f.from ?? '' };
  return f.default === undefined ? row : { ...row, fallback: f.default };
}

/** A constant as typed: JSON when it parses (`42`, `true`, `{"a":1}`), the text itself otherwise. */
function constantOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function mappingOf(form: Pick<SyncForm, 'select' | 'fields'>): Schemas['SyncMappingInput'] {
  return {
    select: form.select,
    fields: form.fields
      .filter((r) => r.to.trim() !== '')
      .map((r) => {
        const field: FieldMapping = { to: r.to.trim() };
        if (r.stream) field.stream = r.stream;
        if (r.kind === 'from') field.from = r.value.trim();
        else if (r.kind === 'template') field.template = r.value;
        else field.constant = constantOf(r.value);
        if (r.cast) field.cast = r.cast;
        if (r.fallback !== undefined) field.default = r.fallback;
        return field;
      }),
  };
}

const number = (text: string, fallback: number): number => {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) ? fallback : n;
};

/** The create (or full update) body the API takes. */
export function bodyOf(form: SyncForm) {
  const target: Schemas['SyncTargetInput'] =
    form.targetKind === 'record_store'
      ? { kind: 'record_store' }
      : form.targetKind === 'postgres'
        ? { kind: 'postgres', connection_id: form.targetConnectionId, schema: form.targetSchema.trim() || 'public' }
        : form.targetKind === 'pgvector' && form.vectorTarget
          ? {
              ...form.vectorTarget,
              connection_id: form.targetConnectionId,
              schema: form.targetSchema.trim() || 'public',
            }
          : form.targetKind === 'mysql' || form.targetKind === 'sqlite'
            ? { kind: form.targetKind, connection_id: form.targetConnectionId }
            : { kind: 'connection', connection_id: form.targetConnectionId };
  return {
    name: form.name.trim(),
    description: form.description,
    source: {
      kind: form.sourceKind,
      connection_id: form.connectionId,
      streams: form.streams.map((s) => ({
        name: s.name,
        ...(s.target.trim() ? { target: s.target.trim() } : {}),
        ...(s.cursorField && form.type !== 'full' ? { cursor_field: s.cursorField } : {}),
      })),
    },
    target,
    type: form.type,
    direction: form.direction,
    conflict_policy: form.conflict,
    two_way: form.direction === 'bidirectional' ? twoWayBody(form.twoWay) : null,
    mappings: mappingOf(form),
    schedule: form.scheduled ? { ...form.schedule, cron: form.schedule.cron.trim() } : null,
    trigger_event_types: form.eventTypes
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    enabled: form.enabled,
    deletion: { mode: form.deletionMode, max_delete_share: number(form.maxDeletePercent, 50) / 100 },
    lookback_seconds: Math.round(number(form.lookbackSeconds, 0)),
    batch_size: Math.round(number(form.batchSize, 5000)),
  };
}

/** The messages of an API answer's field problems under a path (`body.schedule`), for the fieldset they concern. */
export function problemsAt(error: unknown, ...prefixes: string[]): string[] {
  if (!(error instanceof SwitchyardError)) return [];
  return (error.problem.errors ?? [])
    .filter((e) => prefixes.some((p) => e.path === p || e.path.startsWith(`${p}.`)))
    .map((e) => e.message);
}
