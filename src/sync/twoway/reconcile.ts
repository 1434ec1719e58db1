import type { SyncRecord } from '../engine/types.js';
import { normalize, sameValue, type Normalizer } from './normalize.js';

/**
 * The decision half of a two-way sync, without I/O: given what changed on each side since the last run and the links
 * between the two sides' records, what to write where, what is only an echo of our own writes, and what conflicts.
 *
 * Values are compared per field pair, normalised, in a canonical form keyed by the pair's `key`; a link keeps, per
 * side, the values that side had when we last read or wrote it. A side's change is the fields whose value differs
 * from its link's; a change equal to what we last wrote is an echo and goes nowhere. A field changed on both sides to
 * different values is a conflict, settled by the policy (or parked for a person, with nothing written for that record
 * while it waits).
 */

export type Side = 'a' | 'b';
export type Direction = 'both' | 'a_to_b' | 'b_to_a';
export type ConflictPolicy = 'source_wins' | 'target_wins' | 'latest_timestamp' | 'manual';
export type DeletePolicy = 'propagate' | 'soft' | 'ignore';

export type Pair = { key: string; a: string; b: string; direction: Direction; normalize: Normalizer };

/** Canonical values: pair key → value. */
export type Values = Record<string, unknown>;

export type Link = { a_id: string; b_id: string; a_values: Values; b_values: Values };

/** A record as one side has it now. */
export type SideRecord = {
  id: string;
  /** Per pair key: the raw value (what is written to the other side). */
  raw: Values;
  /** Per pair key: the normalised value (what is compared). */
  values: Values;
  /** The record's modification time (epoch ms), for latest_timestamp. */
  updatedAt?: number | undefined;
  /** Deleted on this side (a tombstone, or gone from a full read). */
  deleted?: boolean;
  /** The value of the first-run match key, normalised; undefined when the record has none. */
  match?: string | undefined;
};

export type FieldConflict = { field: string; a: unknown; b: unknown; base: unknown };

/** A write to one side: an update of `id`, or (no id) a create; `values` are raw, by pair key. */
export type Write = { id?: string; values: Values; link: Link; from: SideRecord };

export type Plan = {
  toA: Write[];
  toB: Write[];
  deleteOnA: Link[];
  deleteOnB: Link[];
  /** Links to store as they are (matched records that agree, echoes that refresh what a side last had). */
  links: Link[];
  /** Links that end (a deleted record, when the other side keeps its copy). */
  unlink: Link[];
  conflicts: { link: Link; fields: FieldConflict[] }[];
  counts: { echoes: number; conflicts: number; unmatched: number; ambiguous: number; blocked: number };
  /** Records the first-run match found more than one candidate for, by side and id. */
  ambiguous: { side: Side; id: string; candidates: string[] }[];
};

export type ReconcileInput = {
  pairs: Pair[];
  policy: ConflictPolicy;
  deletes: { a: DeletePolicy; b: DeletePolicy };
  aChanges: SideRecord[];
  bChanges: SideRecord[];
  linksByA: Map<string, Link>;
  linksByB: Map<string, Link>;
  /** Links with an open conflict: nothing is written for them while it waits. */
  blocked: Set<string>;
  /** Match existing records by key on first sight (records with no link). */
  matching: boolean;
};

const canWrite = (pair: Pair, to: Side) =>
  pair.direction === 'both' || pair.direction === (to === 'b' ? 'a_to_b' : 'b_to_a');

/** Read a side's record into canonical raw and normalised values. */
export function sideRecord(
  pairs: Pair[],
  side: Side,
  id: string,
  record: SyncRecord,
  read: (record: SyncRecord, path: string) => unknown,
  extra: {
    updatedAt?: number | undefined;
    deleted?: boolean;
    match?: { path: string; normalize: Normalizer } | null;
  } = {},
): SideRecord {
  const raw: Values = {};
  const values: Values = {};
  for (const pair of pairs) {
    const value = read(record, side === 'a' ? pair.a : pair.b);
    raw[pair.key] = value === undefined ? null : value;
    values[pair.key] = normalize(value, pair.normalize);
  }
  const matchValue = extra.match ? normalize(read(record, extra.match.path), extra.match.normalize) : null;
  return {
    id,
    raw,
    values,
    ...(extra.updatedAt === undefined ? {} : { updatedAt: extra.updatedAt }),
    ...(extra.deleted ? { deleted: true } : {}),
    ...(matchValue === null ? {} : { match: String(matchValue) }),
  };
}

export function reconcile(input: ReconcileInput): Plan {
  const { pairs, policy } = input;
  const plan: Plan = {
    toA: [],
    toB: [],
    deleteOnA: [],
    deleteOnB: [],
    links: [],
    unlink: [],
    conflicts: [],
    counts: { echoes: 0, conflicts: 0, unmatched: 0, ambiguous: 0, blocked: 0 },
    ambiguous: [],
  };
  const bById = new Map(input.bChanges.map((r) => [r.id, r]));
  const aById = new Map(input.aChanges.map((r) => [r.id, r]));
  const handledB = new Set<string>();
  const handledA = new Set<string>();

  // First-run matching: unlinked records on each side, indexed by their match value.
  const unlinked = (side: Side) =>
    (side === 'a' ? input.aChanges : input.bChanges).filter(
      (r) => !(side === 'a' ? input.linksByA : input.linksByB).has(r.id) && !r.deleted,
    );
  const index = (records: SideRecord[]) => {
    const map = new Map<string, SideRecord[]>();
    for (const r of records) if (r.match !== undefined) map.set(r.match, [...(map.get(r.match) ?? []), r]);
    return map;
  };
  const unlinkedA = unlinked('a');
  const unlinkedB = unlinked('b');
  const bIndex = input.matching ? index(unlinkedB) : new Map<string, SideRecord[]>();
  const aIndex = input.matching ? index(unlinkedA) : new Map<string, SideRecord[]>();

  for (const a of unlinkedA) {
    handledA.add(a.id);
    const candidates = a.match === undefined ? [] : (bIndex.get(a.match) ?? []);
    const rivals = a.match === undefined ? [] : (aIndex.get(a.match) ?? []);
    if (candidates.length > 1 || (candidates.length === 1 && rivals.length > 1)) {
      plan.counts.ambiguous++;
      plan.ambiguous.push({ side: 'a', id: a.id, candidates: candidates.map((c) => c.id) });
      for (const c of candidates) handledB.add(c.id);
      continue;
    }
    const b = candidates[0];
    if (b) {
      handledB.add(b.id);
      // Matched: both sides "changed" from nothing; where they differ, the policy decides.
      settle(plan, input, { a_id: a.id, b_id: b.id, a_values: {}, b_values: {} }, a, b, true);
      continue;
    }
    plan.counts.unmatched++;
    const values = writable(pairs, a, 'b');
    if (Object.keys(values).length === 0) continue;
    plan.toB.push({
      values,
      from: a,
      link: { a_id: a.id, b_id: '', a_values: a.values, b_values: normalized(pairs, values) },
    });
  }
  for (const b of unlinkedB) {
    if (handledB.has(b.id)) continue;
    handledB.add(b.id);
    const candidates = b.match === undefined ? [] : (aIndex.get(b.match) ?? []);
    if (candidates.length > 1) {
      plan.counts.ambiguous++;
      plan.ambiguous.push({ side: 'b', id: b.id, candidates: candidates.map((c) => c.id) });
      continue;
    }
    plan.counts.unmatched++;
    const values = writable(pairs, b, 'a');
    if (Object.keys(values).length === 0) continue;
    plan.toA.push({
      values,
      from: b,
      link: { a_id: '', b_id: b.id, a_values: normalized(pairs, values), b_values: b.values },
    });
  }

  const touched = new Map<string, Link>();
  for (const a of input.aChanges)
    if (!handledA.has(a.id)) touched.set(input.linksByA.get(a.id)?.b_id ?? '', input.linksByA.get(a.id) as Link);
  for (const b of input.bChanges) if (!handledB.has(b.id)) touched.set(b.id, input.linksByB.get(b.id) as Link);
  for (const link of touched.values()) {
    if (!link) continue;
    const a = aById.get(link.a_id);
    const b = bById.get(link.b_id);
    if (input.blocked.has(link.a_id)) {
      plan.counts.blocked++;
      continue;
    }
    if (a?.deleted || b?.deleted) {
      deleted(plan, input, link, a, b);
      continue;
    }
    settle(plan, input, link, a, b, false);
  }
  return plan;

  function deleted(plan: Plan, input: ReconcileInput, link: Link, a?: SideRecord, b?: SideRecord) {
    const gone: Side = a?.deleted ? 'a' : 'b';
    const other = gone === 'a' ? b : a;
    const otherBase = gone === 'a' ? link.b_values : link.a_values;
    const editedOther = other && !other.deleted && pairs.some((p) => !sameValue(other.values[p.key], otherBase[p.key]));
    if (a?.deleted && b?.deleted) return void plan.unlink.push(link);
    if (editedOther) {
      // Deleted on one side, edited on the other: a conflict.
      const fields = [{ field: '_deleted', a: gone === 'a', b: gone === 'b', base: false }];
      if (policy === 'manual') {
        plan.conflicts.push({ link, fields });
        plan.counts.conflicts++;
        return;
      }
      const deleteWins =
        (policy === 'source_wins' && gone === 'a') ||
        (policy === 'target_wins' && gone === 'b') ||
        (policy === 'latest_timestamp' &&
          (gone === 'a' ? (a?.updatedAt ?? 0) >= (b?.updatedAt ?? 0) : (b?.updatedAt ?? 0) >= (a?.updatedAt ?? 0)));
      plan.counts.conflicts++;
      if (!deleteWins) {
        // The edit wins: the record lives on, re-created on the side that deleted it.
        plan.unlink.push(link);
        const from = other;
        const values = writable(pairs, from, gone);
        const next =
          gone === 'a'
            ? { a_id: '', b_id: link.b_id, a_values: normalized(pairs, values), b_values: from.values }
            : { a_id: link.a_id, b_id: '', a_values: from.values, b_values: normalized(pairs, values) };
        (gone === 'a' ? plan.toA : plan.toB).push({ values, from, link: next });
        return;
      }
    }
    const policyOfGone = gone === 'a' ? input.deletes.a : input.deletes.b;
    if (policyOfGone === 'ignore') return void plan.unlink.push(link);
    (gone === 'a' ? plan.deleteOnB : plan.deleteOnA).push(link);
  }
}

/** The fields of `from` that may be written to side `to`, raw. */
function writable(pairs: Pair[], from: SideRecord, to: Side): Values {
  const values: Values = {};
  for (const p of pairs) if (canWrite(p, to) && from.raw[p.key] !== null) values[p.key] = from.raw[p.key];
  return values;
}

function normalized(pairs: Pair[], values: Values): Values {
  const out: Values = {};
  for (const p of pairs) if (p.key in values) out[p.key] = normalize(values[p.key], p.normalize);
  return out;
}

/** One linked pair of records, either or both changed: echoes, plain changes each way, and conflicts. */
function settle(
  plan: Plan,
  input: ReconcileInput,
  link: Link,
  a: SideRecord | undefined,
  b: SideRecord | undefined,
  matched: boolean,
) {
  const { pairs, policy } = input;
  const aValues = { ...link.a_values, ...(a?.values ?? {}) };
  const bValues = { ...link.b_values, ...(b?.values ?? {}) };
  const changedOn = (side: Side) => {
    const rec = side === 'a' ? a : b;
    const base = side === 'a' ? link.a_values : link.b_values;
    if (!rec) return new Set<string>();
    return new Set(
      pairs
        .filter(
          (p) =>
            canWrite(p, side === 'a' ? 'b' : 'a') && (matched || !sameValue(rec.values[p.key], base[p.key] ?? null)),
        )
        .map((p) => p.key),
    );
  };
  const aChanged = changedOn('a');
  const bChanged = changedOn('b');
  const conflicting = pairs.filter(
    (p) => aChanged.has(p.key) && bChanged.has(p.key) && !sameValue(aValues[p.key], bValues[p.key]),
  );
  // Both changed to the same value: nothing to write either way.
  for (const p of pairs)
    if (aChanged.has(p.key) && bChanged.has(p.key) && sameValue(aValues[p.key], bValues[p.key])) {
      aChanged.delete(p.key);
      bChanged.delete(p.key);
    }
  if (conflicting.length > 0) {
    if (policy === 'manual') {
      plan.conflicts.push({
        link,
        fields: conflicting.map((p) => ({
          field: p.key,
          a: a?.raw[p.key] ?? null,
          b: b?.raw[p.key] ?? null,
          base: link.b_values[p.key] ?? link.a_values[p.key] ?? null,
        })),
      });
      plan.counts.conflicts++;
      return;
    }
    plan.counts.conflicts++;
    const aWins =
      policy === 'source_wins' || (policy === 'latest_timestamp' && (a?.updatedAt ?? 0) >= (b?.updatedAt ?? 0));
    for (const p of conflicting) (aWins ? bChanged : aChanged).delete(p.key);
  }
  const toB: Values = {};
  const toA: Values = {};
  for (const p of pairs) {
    if (aChanged.has(p.key) && canWrite(p, 'b') && a) toB[p.key] = a.raw[p.key];
    if (bChanged.has(p.key) && canWrite(p, 'a') && b) toA[p.key] = b.raw[p.key];
  }
  const next: Link = {
    a_id: link.a_id,
    b_id: link.b_id,
    a_values: { ...aValues, ...normalized(pairs, toA) },
    b_values: { ...bValues, ...normalized(pairs, toB) },
  };
  if (Object.keys(toB).length === 0 && Object.keys(toA).length === 0) {
    if (!matched) plan.counts.echoes++;
    plan.links.push(next);
    return;
  }
  if (Object.keys(toB).length > 0 && a) plan.toB.push({ id: link.b_id, values: toB, link: next, from: a });
  if (Object.keys(toA).length > 0 && b) plan.toA.push({ id: link.a_id, values: toA, link: next, from: b });
}
