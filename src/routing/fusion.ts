import { z } from 'zod';
import { fusionPicks, pickValue, type Candidate, type Pick } from './fusion-picks.js';
import { compareKeyValues, numericValue, valuesAgree } from './fusion-values.js';

/**
 * Data fusion: the answers of several providers to one query merged into one answer, field by field, with where each
 * field came from, where the providers disagreed, and whether the result may be passed on (a provider whose data
 * licence forbids redistribution — Bloomberg — taints the fields it supplied). Pure: the route engine fetches.
 */

export { fusionPicks, type FusionPick } from './fusion-picks.js';

/** The relative tolerance within which numbers agree when a rule names none: 0.5%. */
export const DEFAULT_TOLERANCE = 0.005;

const fieldName = z.string().min(1).max(200);

export const fusionFieldRuleSchema = z
  .strictObject({
    pick: z
      .enum(fusionPicks)
      .describe(
        'priority: the first provider whose record has the field (a null it gives is its answer); ' +
          'first_non_null: the first provider with a non-null value; most_recent: the newest record (recency_field, ' +
          'else when it was fetched); min, max, mean, median: over the numbers given; consensus: the median when every ' +
          'value is within tolerance of it, else the priority value and a conflict; union: the arrays merged',
      ),
    order: z
      .array(z.string().min(1).max(100))
      .max(50)
      .optional()
      .describe("Connection ids tried first, in this order; the route's other providers follow in route order"),
    tolerance: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Relative difference within which numbers agree (0.005 = 0.5%; default 0.005)'),
    recency_field: fieldName
      .optional()
      .describe('most_recent: the record field holding its time (ISO 8601, or epoch seconds or milliseconds)'),
  })
  .refine((rule) => rule.recency_field === undefined || rule.pick === 'most_recent', {
    message: 'recency_field applies only to pick most_recent',
    path: ['recency_field'],
  })
  .meta({ id: 'RouteFusionFieldRule' });

/** A fusion route's rules: a rule per record field, `*` for every field not named (default: first_non_null). */
export const fusionRulesSchema = z
  .strictObject({
    fields: z
      .record(fieldName, fusionFieldRuleSchema)
      .refine((fields) => Object.keys(fields).length <= 200, { message: 'at most 200 field rules' })
      .describe('Per record field (or "*" for the others): how its value is chosen from the providers\' records'),
  })
  .meta({ id: 'RouteFusionRules' });

export type FusionFieldRule = z.infer<typeof fusionFieldRuleSchema>;
export type FusionRules = z.infer<typeof fusionRulesSchema>;

/** One provider's answer, mapped to the capability's standard records. */
export type FusionAnswer = {
  connection_id: string;
  connector: string;
  redistributable: boolean;
  records: Record<string, unknown>[];
  /** Epoch milliseconds. */
  fetched_at: number;
};

export type FusionInput = {
  /** The record fields that identify a record (the capability's `key`), e.g. [symbol, date]. */
  key: string[];
  /** A list of records per answer (historical bars), matched across providers on `key`; else one record each. */
  many: boolean;
  /** In the route's priority order. */
  answers: FusionAnswer[];
  rules?: FusionRules | undefined;
};

/** One provider gave the field; or it was computed from several (an aggregate, or a field of many records). */
export type FieldProvenance = { connection_id: string; connector: string } | { connection_ids: string[] };

export type FusionConflict = {
  field: string;
  /** Which record (its key fields), when the answer is a list. */
  key?: Record<string, unknown>;
  values: { connection_id: string; value: unknown }[];
};

export type FusedRecord = Record<string, unknown>;

export type FusionResult = {
  /** One record, or the list (many); null when no provider had a record. */
  data: FusedRecord | FusedRecord[] | null;
  provenance: Record<string, FieldProvenance>;
  conflicts: FusionConflict[];
  redistributable: boolean;
  /** Fields a non-redistributable provider supplied (wholly or in part). */
  tainted_fields: string[];
};

/** The records of one key: at most one per answer (a provider's duplicate of a key is ignored), in answer order. */
type Group = { key: unknown[] | undefined; rows: { index: number; record: Record<string, unknown> }[] };

/**
 * Merge the providers' answers. Each field is picked by its rule (`rules.fields[field]`, else `rules.fields['*']`,
 * else first_non_null), trying providers in the rule's `order` and then in answer order. With `many`, records are
 * matched across providers on `key` (a bar only one provider has is kept), their key fields taken as they are, and the
 * list is sorted by key (so neither the providers' order nor each vendor's own — newest or oldest first — leaks).
 * Every field but a union or a matched key whose non-null values disagree (numbers beyond the rule's tolerance, else
 * 0.5%; anything else when not equal) is reported as a conflict.
 *
 * @example
 * fuse({ key: ['symbol'], many: false, answers: [fmp, alphaVantage], rules: { fields: { price: { pick: 'median' } } } })
 * // → { data: { symbol: 'AAPL', price: 189.9, … }, provenance: { price: { connection_ids: [...] }, … }, … }
 */
export function fuse(input: FusionInput): FusionResult {
  const groups = input.many ? groupByKey(input.answers, input.key) : [firstRecords(input.answers)];
  const picks = new Map<string, Pick[]>();
  const conflicts: FusionConflict[] = [];
  const records: FusedRecord[] = [];
  for (const group of groups) {
    if (group.rows.length === 0) continue;
    const fused = fuseGroup(group, input);
    records.push(fused.record);
    conflicts.push(...fused.conflicts);
    for (const [field, pick] of fused.picks) picks.set(field, [...(picks.get(field) ?? []), pick]);
  }
  const tainted = [...picks.entries()]
    .filter(([, list]) => list.some((p) => p.from.some((i) => input.answers[i]?.redistributable === false)))
    .map(([field]) => field);
  return {
    data: input.many ? records : (records[0] ?? null),
    provenance: provenanceOf(picks, input.answers),
    conflicts,
    redistributable: tainted.length === 0,
    tainted_fields: tainted,
  };
}

/** One fused record from the records of one key. */
function fuseGroup(
  group: Group,
  input: FusionInput,
): { record: FusedRecord; picks: Map<string, Pick>; conflicts: FusionConflict[] } {
  const keyFields = new Set(input.many ? input.key : []);
  const record: FusedRecord = {};
  const picks = new Map<string, Pick>();
  const conflicts: FusionConflict[] = [];
  for (const field of fieldsOf(group)) {
    // Matched key fields are equal by construction: taken from the first provider, whatever the rules say.
    const rule: FusionFieldRule = keyFields.has(field) ? { pick: 'first_non_null' } : ruleFor(input.rules, field);
    const candidates = candidatesFor(group, field, rule.order, input.answers);
    if (candidates.length === 0) continue;
    const tolerance = rule.tolerance ?? DEFAULT_TOLERANCE;
    const picked = pickValue(candidates, { pick: rule.pick, tolerance, recency_field: rule.recency_field });
    record[field] = picked.value;
    picks.set(field, picked);
    // A union merges arrays that differ by design; matched key fields cannot differ.
    if (rule.pick === 'union' || keyFields.has(field)) continue;
    const conflict = conflictOf(field, candidates, tolerance, input.answers);
    if (conflict) conflicts.push(input.many ? { ...conflict, key: keyOf(group, input.key) } : conflict);
  }
  return { record, picks, conflicts };
}

function ruleFor(rules: FusionRules | undefined, field: string): FusionFieldRule {
  return rules?.fields[field] ?? rules?.fields['*'] ?? { pick: 'first_non_null' };
}

/** One answer's first record each (a single-record capability). */
function firstRecords(answers: FusionAnswer[]): Group {
  const rows = answers.flatMap((answer, index) => (answer.records[0] ? [{ index, record: answer.records[0] }] : []));
  return { key: undefined, rows };
}

/**
 * Records matched on the key, sorted by it. Key values compare as numbers where they are numeric (`"2023"` matches
 * 2023). A record missing a key field matches nothing and is kept on its own, after the others.
 */
function groupByKey(answers: FusionAnswer[], key: string[]): Group[] {
  const groups = new Map<string, Group>();
  const unmatched: Group[] = [];
  answers.forEach((answer, index) => {
    for (const record of answer.records) {
      const values = key.map((field) => record[field]);
      if (values.some((v) => v === undefined || v === null)) {
        unmatched.push({ key: undefined, rows: [{ index, record }] });
        continue;
      }
      const text = JSON.stringify(values.map((v) => numericValue(v) ?? v));
      const group = groups.get(text) ?? { key: values, rows: [] };
      groups.set(text, group);
      if (!group.rows.some((row) => row.index === index)) group.rows.push({ index, record });
    }
  });
  const matched = [...groups.values()].sort((a, b) => compareKeyValues(a.key ?? [], b.key ?? []));
  return [...matched, ...unmatched];
}

/** The fields of a group's records, in the order the providers (in answer order) list them. */
function fieldsOf(group: Group): string[] {
  const fields = new Set<string>();
  for (const row of group.rows) for (const field of Object.keys(row.record)) fields.add(field);
  return [...fields];
}

/** The records holding the field, in the rule's order first, then in answer order. */
function candidatesFor(group: Group, field: string, order: string[] | undefined, answers: FusionAnswer[]): Candidate[] {
  const rank = (index: number) => {
    const at = order?.indexOf(answers[index]?.connection_id ?? '') ?? -1;
    return at === -1 ? (order?.length ?? 0) + index : at;
  };
  return group.rows
    .filter((row) => row.record[field] !== undefined)
    .sort((a, b) => rank(a.index) - rank(b.index))
    .map((row) => ({
      index: row.index,
      value: row.record[field],
      record: row.record,
      fetchedAt: answers[row.index]?.fetched_at ?? 0,
    }));
}

function conflictOf(
  field: string,
  candidates: Candidate[],
  tolerance: number,
  answers: FusionAnswer[],
): FusionConflict | undefined {
  const present = candidates.filter((c) => c.value !== null);
  if (
    present.length < 2 ||
    valuesAgree(
      present.map((c) => c.value),
      tolerance,
    )
  )
    return undefined;
  const values = present.map((c) => ({ connection_id: answers[c.index]?.connection_id ?? '', value: c.value }));
  return { field, values };
}

function keyOf(group: Group, key: string[]): Record<string, unknown> {
  return Object.fromEntries(key.map((field, i) => [field, group.key?.[i]]));
}

/**
 * Per field: the one provider it came from, when every record took it from the same provider without computing it;
 * else every provider that contributed, in answer order.
 */
function provenanceOf(picksByField: Map<string, Pick[]>, answers: FusionAnswer[]): Record<string, FieldProvenance> {
  const provenance: Record<string, FieldProvenance> = {};
  for (const [field, picks] of picksByField) {
    const from = [...new Set(picks.flatMap((p) => p.from))].sort((a, b) => a - b);
    const only = answers[from[0] ?? -1];
    provenance[field] =
      from.length === 1 && only && picks.every((p) => !p.aggregate)
        ? { connection_id: only.connection_id, connector: only.connector }
        : { connection_ids: from.map((i) => answers[i]?.connection_id ?? '') };
  }
  return provenance;
}
