import { InvalidArgumentError } from 'commander';
import { CliError } from '../errors.js';
import { formatTable, type Column } from '../output.js';

/**
 * A bidirectional sync's `two_way` settings as flags (`--pair`, `--match`, `--timestamps`, `--deletes`), and how
 * `syncs show` and `syncs execution` print them and a run's per-side counts.
 */

export const pairDirections = ['both', 'a_to_b', 'b_to_a'] as const;
export const normalizers = ['none', 'trim', 'lower', 'email', 'phone'] as const;
export const deleteModes = ['propagate', 'soft', 'ignore'] as const;
type PairDirection = (typeof pairDirections)[number];
type Normalizer = (typeof normalizers)[number];
type DeleteMode = (typeof deleteModes)[number];

export type TwoWayField = { a: string; b: string; direction: PairDirection; normalize?: Normalizer };
export type TwoWayMatch = { a: string; b: string; normalize?: Normalizer };
export type TwoWay = {
  fields: TwoWayField[];
  match: TwoWayMatch | null;
  timestamps: { a?: string; b?: string };
  deletes: { a: DeleteMode; b: DeleteMode };
};

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** `a=b` with the two paths non-empty; `what` names the flag in the message. */
function splitPaths(text: string, what: string): { a: string; b: string; rest: string[] } {
  const at = text.indexOf('=');
  const a = text.slice(0, at).trim();
  const [b = '', ...rest] = text.slice(at + 1).split(':');
  if (at < 1 || !a || !b.trim()) {
    throw new InvalidArgumentError(`expected ${what}`);
  }
  return { a, b: b.trim(), rest: rest.map((r) => r.trim()) };
}

/**
 * `--pair 'properties.email=email[:both|a_to_b|b_to_a][:normaliser]'` (repeatable): side A's field, side B's
 * field, which way changes flow (default both) and how values compare (default none). Direction and normaliser
 * names do not overlap, so either may come alone.
 */
export function collectFieldPair(text: string, previous: TwoWayField[] = []): TwoWayField[] {
  const { a, b, rest } = splitPaths(text, "A=B[:direction][:normaliser], e.g. 'properties.email=email:both:email'");
  const field: TwoWayField = { a, b, direction: 'both' };
  for (const part of rest) {
    if (isOneOf(pairDirections, part)) field.direction = part;
    else if (isOneOf(normalizers, part)) field.normalize = part;
    else {
      throw new InvalidArgumentError(
        `"${part}" is neither a direction (${pairDirections.join(', ')}) nor a normaliser (${normalizers.join(', ')})`,
      );
    }
  }
  return [...previous, field];
}

/** `--match 'properties.email=email[:normaliser]'`, or `none` for no first-run matching. */
export function parseMatch(text: string): TwoWayMatch | null {
  if (text.trim() === 'none') return null;
  const { a, b, rest } = splitPaths(text, "A=B[:normaliser], e.g. 'properties.email=email:email', or none");
  if (rest.length > 1) throw new InvalidArgumentError('expected at most one normaliser after A=B');
  const normalize = rest[0];
  if (normalize === undefined) return { a, b };
  if (!isOneOf(normalizers, normalize)) {
    throw new InvalidArgumentError(`"${normalize}" is not a normaliser (${normalizers.join(', ')})`);
  }
  return { a, b, normalize };
}

/** `a=X,b=Y` (either side may be left out) into `{a, b}`. */
function parseSides(text: string): { a?: string; b?: string } {
  const out: { a?: string; b?: string } = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const side = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if ((side !== 'a' && side !== 'b') || !value) throw new InvalidArgumentError('expected a=…,b=…');
    out[side] = value;
  }
  return out;
}

/** `--timestamps a=updatedAt,b=updated_at`: each side's record-level timestamp, for latest_timestamp. */
export const parseTimestamps = (text: string) => parseSides(text);

/** `--deletes a=soft,b=ignore`: what a delete on that side does to the other. */
export function parseDeletes(text: string): Partial<TwoWay['deletes']> {
  const sides = parseSides(text);
  for (const value of [sides.a, sides.b]) {
    if (value !== undefined && !isOneOf(deleteModes, value)) {
      throw new InvalidArgumentError(`"${value}" is not a delete mode (${deleteModes.join(', ')})`);
    }
  }
  return sides as Partial<TwoWay['deletes']>;
}

export type TwoWayFlags = {
  pair?: TwoWayField[];
  match?: TwoWayMatch | null;
  timestamps?: { a?: string; b?: string };
  deletes?: Partial<TwoWay['deletes']>;
};

/**
 * The `two_way` settings from the flags over `base` (the file's, else the stored ones on update), since the API
 * takes them whole; undefined when no flag names them. `--pair` replaces the pairs; the other flags replace or
 * complete their part.
 */
export function twoWayOf(opts: TwoWayFlags, base: Partial<TwoWay> | null | undefined): Partial<TwoWay> | undefined {
  if (!opts.pair && opts.match === undefined && !opts.timestamps && !opts.deletes) return undefined;
  const fields = opts.pair ?? base?.fields;
  if (!fields?.length) {
    throw new CliError(
      "A bidirectional sync pairs fields: give --pair 'A=B' at least once (or two_way in --from-file).",
    );
  }
  const deletes = { ...base?.deletes, ...opts.deletes };
  return {
    ...base,
    fields,
    match: opts.match !== undefined ? opts.match : (base?.match ?? null),
    timestamps: { ...base?.timestamps, ...opts.timestamps },
    ...(deletes.a || deletes.b ? { deletes: deletes as TwoWay['deletes'] } : {}),
  };
}

const arrows: Record<PairDirection, string> = { both: '↔', a_to_b: '→', b_to_a: '←' };

/** The settings as lines for `syncs show`: `properties.email ↔ email (email)`, the match key, timestamps, deletes. */
export function twoWayLines(t: TwoWay): string[] {
  const norm = (n: Normalizer | undefined) => (n && n !== 'none' ? ` (${n})` : '');
  return [
    ...t.fields.map((f) => `${f.a} ${arrows[f.direction]} ${f.b}${norm(f.normalize)}`),
    `First-run match: ${t.match ? `${t.match.a} = ${t.match.b}${norm(t.match.normalize)}` : 'none'}`,
    `Timestamps: A ${t.timestamps.a ?? '-'}, B ${t.timestamps.b ?? '-'}`,
    `Deletes: on A ${t.deletes.a}, on B ${t.deletes.b}`,
  ];
}

type SideCounts = { created: number; updated: number; deleted: number };
export type TwoWayCounts = {
  a: SideCounts;
  b: SideCounts;
  echoes: number;
  conflicts: number;
  unmatched: number;
  ambiguous: number;
};
type CountsRow = TwoWayCounts & { stream: string };

const countColumns: Column<CountsRow>[] = [
  { header: 'STREAM', value: (r) => r.stream },
  { header: 'A CREATED', value: (r) => r.a.created },
  { header: 'A UPDATED', value: (r) => r.a.updated },
  { header: 'A DELETED', value: (r) => r.a.deleted },
  { header: 'B CREATED', value: (r) => r.b.created },
  { header: 'B UPDATED', value: (r) => r.b.updated },
  { header: 'B DELETED', value: (r) => r.b.deleted },
  { header: 'ECHOES', value: (r) => r.echoes },
  { header: 'CONFLICTS', value: (r) => r.conflicts },
  { header: 'UNMATCHED', value: (r) => r.unmatched },
  { header: 'AMBIGUOUS', value: (r) => r.ambiguous },
];

/** A two-way run's counts per stream (written on A, on B, echoes suppressed, conflicts…); null for a one-way run. */
export function twoWayCountsTable(progress: Record<string, { two_way?: TwoWayCounts | null }>): string | null {
  const rows = Object.entries(progress).flatMap(([stream, p]) => (p.two_way ? [{ ...p.two_way, stream }] : []));
  return rows.length ? formatTable(rows, countColumns) : null;
}
