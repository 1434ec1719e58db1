import type { Db } from '../../core/db/port.js';
import { newId } from '../../core/ids.js';
import type { ConfigRow } from '../configs/sql.js';
import type { TwoWayConfig } from '../configs/model.js';
import {
  SyncError,
  type FieldInfo,
  type LogLevel,
  type StreamSpec,
  type StreamState,
  type StreamWriter,
  type SyncRecord,
  type SyncSource,
  type SyncTarget,
} from '../engine/types.js';
import { compileReader, compileWriter, mustParsePath } from '../mapping/path.js';
import { recordId } from '../records/target.js';
import { normalize } from './normalize.js';
import {
  reconcile,
  sideRecord,
  type Link,
  type Pair,
  type Side,
  type SideRecord,
  type Values,
  type Write,
} from './reconcile.js';
import {
  deleteLinks,
  insertConflicts,
  loadLinks,
  markApplied,
  pendingConflicts,
  saveLinks,
  type ConflictRow,
} from './sql.js';

/** A two-way stream's counts, kept in the execution's stream progress as `two_way`. */
export type TwoWayCounts = {
  a: { created: number; updated: number; deleted: number };
  b: { created: number; updated: number; deleted: number };
  echoes: number;
  conflicts: number;
  unmatched: number;
  ambiguous: number;
};

export type TwoWayStream = {
  db: Db;
  config: ConfigRow & { two_way: TwoWayConfig };
  executionId: string;
  /** Side A's stream (the source's) and the name of its counterpart on side B (a model, a table, a stream). */
  spec: StreamSpec;
  bName: string;
  /** The name side B's target writes it under (a table without its schema: the target adds it). */
  bWriteName: string;
  aSource: SyncSource;
  bSource: SyncSource;
  aTarget: SyncTarget;
  bTarget: SyncTarget;
  /** The stream's saved checkpoint: side A's, with side B's under `two_way_b`. */
  saved: StreamState | null;
  /**
   * Read both sides in full (a full-refresh run, or a full sync): the only way to see what a side deleted when it
   * keeps no tombstones. Incremental runs see changes; a full run also sees what is gone.
   */
  full: boolean;
  signal: AbortSignal;
  say(level: LogLevel, message: string): void;
};

/** The field B records are keyed by when side B is the record store or a table (A's id on records created from A). */
const B_KEY = 'id';

/**
 * One stream of a two-way sync: read what changed on each side since the last run, reconcile it against the links
 * (src/sync/twoway/reconcile.ts), write each side's share, and only then move the links and the checkpoints: a write
 * that failed leaves its link as it was, so the next run sees the change again, and a checkpoint never passes a
 * change whose write did not commit. Resolved conflicts are written first; open ones keep their record untouched.
 */
export async function runTwoWayStream(s: TwoWayStream): Promise<{ counts: TwoWayCounts; state: StreamState }> {
  const { db, config, spec } = s;
  const tw = config.two_way;
  const pairs: Pair[] = tw.fields.map((f) => ({
    key: f.b,
    a: f.a,
    b: f.b,
    direction: f.direction,
    normalize: f.normalize,
  }));
  const readers = new Map<string, (r: SyncRecord) => unknown>();
  const read = (record: SyncRecord, path: string) => {
    let reader = readers.get(path);
    if (!reader) readers.set(path, (reader = compileReader(mustParsePath(path))));
    return reader(record);
  };
  const counts: TwoWayCounts = {
    a: { created: 0, updated: 0, deleted: 0 },
    b: { created: 0, updated: 0, deleted: 0 },
    echoes: 0,
    conflicts: 0,
    unmatched: 0,
    ambiguous: 0,
  };
  const aKey = spec.primaryKey;
  const bSpecs = await s.bSource.discover();
  const found = bSpecs.find((b) => b.name === s.bName);
  const bSpec: StreamSpec | undefined = found && {
    ...found,
    ...(tw.timestamps.b && found.supports.incremental ? { cursorField: tw.timestamps.b } : {}),
  };
  const savedA = s.saved ? Object.fromEntries(Object.entries(s.saved).filter(([k]) => k !== 'two_way_b')) : null;
  const savedB = (s.saved?.two_way_b as StreamState | undefined) ?? null;
  const hadLinks =
    (await db.query('select 1 from sync_links where config_id = $1 and stream = $2 limit 1', [config.id, spec.name]))
      .rows.length > 0;

  // Side A: incrementally from its checkpoint when it can, else in full.
  const aMode = savedA && spec.supports.incremental && hadLinks && !s.full ? 'incremental' : 'full';
  const aRead = await readAll(s.aSource, spec, aMode, savedA, s);
  // Side B: in full on the first run (to match existing records), on a full run and whenever it has no cursor, else
  // incrementally.
  const bIncremental = Boolean(savedB && hadLinks && !s.full && bSpec?.supports.incremental && bSpec.cursorField);
  const bRead = bSpec
    ? await readAll(s.bSource, bSpec, bIncremental ? 'incremental' : 'full', bIncremental ? savedB : null, s)
    : { records: [], deleted: [], state: undefined };
  const bKey = bSpec?.primaryKey ?? [B_KEY];

  const match = tw.match;
  const stamp = (side: Side, record: SyncRecord) => {
    const path = side === 'a' ? tw.timestamps.a : tw.timestamps.b;
    if (!path) return undefined;
    const value = read(record, path);
    const t = typeof value === 'number' ? value : Date.parse(String(value));
    return Number.isFinite(t) ? t : undefined;
  };
  const toSide = (side: Side, record: SyncRecord, deleted = false): SideRecord | undefined => {
    const id = recordId(record, side === 'a' ? aKey : bKey);
    if (id === undefined) return undefined;
    return sideRecord(pairs, side, id, record, read, {
      updatedAt: stamp(side, record),
      deleted,
      match: match ? { path: side === 'a' ? match.a : match.b, normalize: match.normalize } : null,
    });
  };
  const aChanges = [
    ...aRead.records.map((r) => toSide('a', r)),
    ...aRead.deleted.map((r) => toSide('a', r, true)),
  ].filter((r): r is SideRecord => r !== undefined);
  const bChanges = [
    ...bRead.records.map((r) => toSide('b', r)),
    ...bRead.deleted.map((r) => toSide('b', r, true)),
  ].filter((r): r is SideRecord => r !== undefined);

  // A full read of B that did not see a linked record: deleted on B.
  // Resolved conflicts are applied through their links, whether or not their records changed since.
  const pending = await pendingConflicts(db, config.id, spec.name);
  const resolvedIds = pending.filter((c) => c.state === 'resolved').map((c) => c.a_id);
  const links = await loadLinks(
    db,
    config.id,
    spec.name,
    bIncremental ? { a: [...aChanges.map((r) => r.id), ...resolvedIds], b: bChanges.map((r) => r.id) } : undefined,
  );
  if (!bIncremental && bSpec && hadLinks) {
    const seen = new Set(bChanges.map((r) => r.id));
    for (const link of links)
      if (!seen.has(link.b_id)) bChanges.push({ id: link.b_id, raw: {}, values: {}, deleted: true });
  }
  const linksByA = new Map(links.map((l) => [l.a_id, l]));
  const bById = new Map(bChanges.filter((r) => !r.deleted).map((r) => [r.id, r]));
  const linksByB = new Map(links.map((l) => [l.b_id, l]));
  const blocked = new Set(pending.filter((c) => c.state === 'open').map((c) => c.a_id));

  const plan = reconcile({
    pairs,
    policy: config.conflict_policy,
    deletes: tw.deletes,
    aChanges,
    bChanges,
    linksByA,
    linksByB,
    blocked,
    matching: match !== null,
  });
  counts.echoes = plan.counts.echoes;
  counts.conflicts = plan.counts.conflicts;
  counts.unmatched = plan.counts.unmatched;
  counts.ambiguous = plan.counts.ambiguous;
  for (const a of plan.ambiguous)
    s.say(
      'warn',
      `Record ${a.id} on side ${a.side.toUpperCase()} matches ${a.candidates.length} records on the other side (${a.candidates.slice(0, 5).join(', ')}): not linked; make the match key unique.`,
    );

  // Resolved conflicts are written like any change: the chosen values to both sides.
  const applied = applyResolutions(
    pending.filter((c) => c.state === 'resolved'),
    linksByA,
    pairs,
    plan,
  );

  const fields = (side: Side): FieldInfo[] =>
    pairs.map((p) => ({ name: (side === 'a' ? p.a : p.b).split('.')[0] as string, type: 'unknown' }));
  const open = async (side: Side): Promise<StreamWriter> =>
    (side === 'a' ? s.aTarget : s.bTarget).open({
      name: side === 'a' ? spec.name : s.bWriteName,
      primaryKey: side === 'a' ? aKey : bKey,
      fields: side === 'a' ? fields('a') : [{ name: bKey[0] ?? B_KEY, type: 'string' }, ...fields('b')],
      fullRefresh: false,
      executionId: s.executionId,
      // A delete that reaches this side comes from the other one, whose policy says how: soft marks it deleted.
      deletion: {
        mode:
          tw.deletes[side === 'a' ? 'b' : 'a'] === 'soft' || config.deletion_mode === 'none'
            ? 'soft'
            : config.deletion_mode,
        maxDeleteShare: 1,
      },
      signal: s.signal,
      log: (level, message) => s.say(level, message),
    });

  // Links move only for writes that committed: per record, each side's values once the write to it (or the write
  // from it) went through. A refused write holds back the checkpoint of the side its change came from, so the next
  // run reads that change again.
  const results = new Map<string, Link>();
  const refusedFrom = { a: false, b: false };
  // Per record, the (normalised) values written to each side so far this run: a write the other way, committed
  // after, must not put back what that side had before it.
  const written = new Map<string, { a: Values; b: Values }>();
  const commit = (side: Side, w: Write, id: string) => {
    const key = w.link.a_id !== '' ? w.link.a_id : `b:${w.link.b_id}`;
    const orig = linksByA.get(w.link.a_id) ?? { a_id: w.link.a_id, b_id: w.link.b_id, a_values: {}, b_values: {} };
    const link = results.get(key) ?? { ...orig };
    const wrote = written.get(key) ?? { a: {}, b: {} };
    const byKey = new Map(pairs.map((p) => [p.key, p]));
    for (const [k, v] of Object.entries(w.values)) wrote[side][k] = normalize(v, byKey.get(k)?.normalize);
    written.set(key, wrote);
    if (side === 'b') {
      link.b_id = id;
      link.b_values = w.link.b_values;
      link.a_values = { ...link.a_values, ...w.from.values, ...wrote.a };
    } else {
      link.a_id = id;
      link.a_values = w.link.a_values;
      link.b_values = { ...link.b_values, ...w.from.values, ...wrote.b };
    }
    results.set(key, link);
  };
  const writers: Partial<Record<Side, StreamWriter>> = {};
  try {
    // The two sides are written at once (their writers are independent; a record's link takes each side's commit in
    // whichever order they come). A failure on one side is thrown once the other side's writes have settled.
    const sides = await Promise.allSettled(
      (['b', 'a'] as const).map(async (side) => {
        const writes = side === 'b' ? plan.toB : plan.toA;
        if (writes.length === 0) return;
        const writer = (writers[side] ??= await open(side));
        for (let i = 0; i < writes.length; i += config.batch_size) {
          s.signal.throwIfAborted();
          const chunk = writes.slice(i, i + config.batch_size);
          const records = chunk.map((w) => build(side, w));
          const outcome = await writer.write(records);
          const refused = new Map(outcome.rejected.map((r) => [r.record, r.reason]));
          chunk.forEach((w, j) => {
            const record = records[j] as SyncRecord;
            const reason = refused.get(record);
            if (reason !== undefined) {
              refusedFrom[side === 'b' ? 'a' : 'b'] = true;
              s.say('warn', `Could not write ${w.id ?? 'a new record'} to side ${side.toUpperCase()}: ${reason}`);
              return;
            }
            const id = w.id ?? outcome.ids?.[j] ?? recordId(record, side === 'a' ? aKey : bKey);
            if (id === undefined) {
              s.say(
                'warn',
                `Side ${side.toUpperCase()} did not say the id of the record it created; it is not linked.`,
              );
              return;
            }
            if (w.id) counts[side].updated++;
            else counts[side].created++;
            commit(side, w, id);
          });
        }
      }),
    );
    for (const settled of sides) if (settled.status === 'rejected') throw settled.reason;
    const committed = [...plan.links, ...results.values()];
    const unlinkA = plan.unlink.map((l) => l.a_id);
    for (const side of ['a', 'b'] as const) {
      const gone = side === 'a' ? plan.deleteOnA : plan.deleteOnB;
      if (gone.length === 0) continue;
      const writer = (writers[side] ??= await open(side));
      const keys = gone.map((l) => keyRecord(side === 'a' ? aKey : bKey, side === 'a' ? l.a_id : l.b_id));
      if (writer.delete) counts[side].deleted += await writer.delete(keys);
      else
        s.say(
          'warn',
          `Side ${side.toUpperCase()} cannot delete through its API: ${gone.length} record(s) kept there, unlinked.`,
        );
      unlinkA.push(...gone.map((l) => l.a_id));
    }
    for (const w of Object.values(writers)) await w.finish();
    await db.transaction(async (tx) => {
      await saveLinks(
        tx,
        config.id,
        spec.name,
        committed.filter((l) => l.a_id !== '' && l.b_id !== ''),
      );
      await deleteLinks(
        tx,
        config.id,
        spec.name,
        unlinkA.filter((id) => id !== ''),
      );
      await insertConflicts(
        tx,
        plan.conflicts.map((c) => ({
          id: newId('scf'),
          tenant_id: config.tenant_id,
          config_id: config.id,
          stream: spec.name,
          a_id: c.link.a_id,
          b_id: c.link.b_id,
          fields: c.fields,
          execution_id: s.executionId,
        })),
      );
      await markApplied(tx, applied);
    });
  } catch (error) {
    for (const w of Object.values(writers)) await w.abort().catch(() => {});
    throw error;
  }
  if (plan.conflicts.length > 0 && config.conflict_policy === 'manual')
    s.say(
      'warn',
      `${plan.conflicts.length} conflict(s) wait in the inbox; those records are written to neither side until resolved.`,
    );
  const state: StreamState = {
    ...((refusedFrom.a ? savedA : aRead.state) ?? savedA ?? {}),
    two_way_b: (refusedFrom.b ? savedB : bRead.state) ?? savedB ?? null,
  };
  return { counts, state };

  /**
   * The record a write sends to a side: the pair fields at that side's paths, and its key when it updates. A vendor
   * API takes the changed fields alone (a PATCH); the record store and a table keep whole records (an upsert sets
   * every column it names), so an update there carries every pair field: the new values, and for the rest what side B
   * has now (read this run), else A's (equal to B's under the pair's normaliser, by the link), else the link's.
   */
  function build(side: Side, w: Write): SyncRecord {
    const record: SyncRecord = {};
    const whole = side === 'b' && s.config.target.kind !== 'connection' && w.id !== undefined;
    const current = whole ? bById.get(w.id as string) : undefined;
    for (const p of pairs) {
      let value: unknown;
      if (p.key in w.values) value = w.values[p.key];
      else if (!whole) continue;
      else if (current) value = current.raw[p.key];
      else if (p.direction !== 'b_to_a' && w.from.raw[p.key] !== undefined) value = w.from.raw[p.key];
      else value = w.link.b_values[p.key];
      compileWriter(mustParsePath(side === 'a' ? p.a : p.b))(record, value ?? null);
    }
    const key = side === 'a' ? aKey : bKey;
    if (w.id) Object.assign(record, keyRecord(key, w.id));
    else if (side === 'b' && s.config.target.kind !== 'connection' && key.length === 1)
      // A record store or table row created from A is keyed by A's id (so the first run's match finds it again).
      record[key[0] as string] = w.link.a_id;
    if (side === 'b' && tw.timestamps.b && s.config.target.kind !== 'connection')
      compileWriter(mustParsePath(tw.timestamps.b))(record, new Date().toISOString());
    return record;
  }
}

/** A record of only its key, from an id as recordId wrote it. */
function keyRecord(key: string[], id: string): SyncRecord {
  if (key.length === 1) return { [key[0] as string]: id };
  const values = JSON.parse(id) as unknown[];
  return Object.fromEntries(key.map((k, i) => [k, values[i]]));
}

/** Read a stream to its end: its records, tombstones and final checkpoint. */
async function readAll(
  source: SyncSource,
  spec: StreamSpec,
  mode: 'full' | 'incremental',
  state: StreamState | null,
  s: Pick<TwoWayStream, 'config' | 'signal' | 'say'>,
): Promise<{ records: SyncRecord[]; deleted: SyncRecord[]; state: StreamState | undefined }> {
  const records: SyncRecord[] = [];
  const deleted: SyncRecord[] = [];
  let last: StreamState | undefined;
  for await (const batch of source.read({
    stream: spec,
    mode,
    state: mode === 'full' ? null : state,
    lookbackSeconds: s.config.lookback_seconds,
    batchSize: s.config.batch_size,
    signal: s.signal,
    log: (level, message) => s.say(level, message),
  })) {
    records.push(...batch.records);
    if (batch.deleted) deleted.push(...batch.deleted);
    if (batch.rejected?.length) throw new SyncError('source_unreadable', `${spec.name}: ${batch.rejected[0]?.reason}`);
    if (batch.state) last = batch.state;
  }
  return { records, deleted, state: last };
}

/** Conflicts a person resolved: write the chosen values to both sides (where the pair allows), and apply them. */
function applyResolutions(
  resolved: ConflictRow[],
  linksByA: Map<string, Link>,
  pairs: Pair[],
  plan: ReturnType<typeof reconcile>,
): string[] {
  const applied: string[] = [];
  for (const c of resolved) {
    const link = linksByA.get(c.a_id);
    const resolution = c.resolution;
    if (!link || !resolution) continue;
    const chosen: Values = {};
    for (const f of c.fields) {
      if (f.field === '_deleted') continue;
      chosen[f.field] =
        resolution.take === 'a' ? f.a : resolution.take === 'b' ? f.b : (resolution.values?.[f.field] ?? f.a);
    }
    const byKey = new Map(pairs.map((p) => [p.key, p]));
    const toA: Values = {};
    const toB: Values = {};
    for (const [key, value] of Object.entries(chosen)) {
      const pair = byKey.get(key);
      if (!pair) continue;
      if (pair.direction !== 'a_to_b') toA[key] = value;
      if (pair.direction !== 'b_to_a') toB[key] = value;
    }
    const norm = (values: Values) =>
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, normalize(v, byKey.get(k)?.normalize)]));
    const next: Link = {
      ...link,
      a_values: { ...link.a_values, ...norm(toA) },
      b_values: { ...link.b_values, ...norm(toB) },
    };
    const from: SideRecord = { id: c.a_id, raw: chosen, values: norm(chosen) };
    if (Object.keys(toB).length) plan.toB.push({ id: link.b_id, values: toB, link: next, from });
    if (Object.keys(toA).length) plan.toA.push({ id: link.a_id, values: toA, link: next, from });
    applied.push(c.id);
  }
  return applied;
}
