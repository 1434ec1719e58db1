import type { TwoWay } from '../labels.js';

export type PairDirection = TwoWay['fields'][number]['direction'];
export type Normalizer = NonNullable<TwoWay['fields'][number]['normalize']>;
export type DeleteMode = TwoWay['deletes']['a'];

/** One paired field of the two-way editor: side A's path ↔ side B's, which way changes flow, how values compare. */
export type PairRow = { key: number; a: string; b: string; direction: PairDirection; normalize: Normalizer };

/** The two-way settings as the form's inputs hold them. */
export type TwoWayForm = {
  pairs: PairRow[];
  /** Whether the first run matches records already on both sides (else every record is created on the other). */
  matchOn: boolean;
  matchA: string;
  matchB: string;
  matchNormalize: Normalizer;
  timestampA: string;
  timestampB: string;
  deleteA: DeleteMode;
  deleteB: DeleteMode;
};

let nextKey = 1;
export const newPair = (a = '', b = ''): PairRow => ({ key: nextKey++, a, b, direction: 'both', normalize: 'none' });

export function initialTwoWay(stored: TwoWay | null | undefined): TwoWayForm {
  return {
    pairs: (stored?.fields ?? []).map((f) => ({
      key: nextKey++,
      a: f.a,
      b: f.b,
      direction: f.direction,
      normalize: f.normalize ?? 'none',
    })),
    matchOn: stored ? stored.match !== null : true,
    matchA: stored?.match?.a ?? '',
    matchB: stored?.match?.b ?? '',
    matchNormalize: stored?.match?.normalize ?? 'none',
    timestampA: stored?.timestamps.a ?? '',
    timestampB: stored?.timestamps.b ?? '',
    deleteA: stored?.deletes.a ?? 'soft',
    deleteB: stored?.deletes.b ?? 'soft',
  };
}

/** The `two_way` body the API takes; rows without both paths are left out (an unfinished row is not a pair). */
export function twoWayBody(form: TwoWayForm): TwoWay {
  const pairs = form.pairs.filter((p) => p.a.trim() && p.b.trim());
  return {
    fields: pairs.map((p) => ({
      a: p.a.trim(),
      b: p.b.trim(),
      direction: p.direction,
      normalize: p.normalize,
    })),
    match: form.matchOn
      ? {
          a: form.matchA.trim(),
          b: form.matchB.trim(),
          normalize: form.matchNormalize,
        }
      : null,
    timestamps: {
      ...(form.timestampA.trim() ? { a: form.timestampA.trim() } : {}),
      ...(form.timestampB.trim() ? { b: form.timestampB.trim() } : {}),
    },
    deletes: { a: form.deleteA, b: form.deleteB },
  };
}

/** The last segment of a path, for side B's name of a field side A nests (`properties.email` → `email`). */
export const leafOf = (path: string): string => path.split('.').pop() ?? path;

/**
 * The field paths of sample records, nested objects as dotted paths (`properties.email`), so an API whose
 * discovery lists no fields (a CRM listing) can still be paired from what it answers. Arrays are one field.
 */
export function pathsOf(records: unknown[], depth = 3): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, prefix: string, level: number) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || level >= depth) {
      if (prefix) out.add(prefix);
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k, level + 1);
  };
  for (const r of records) walk(r, '', 0);
  return [...out];
}

/** New pair rows for the given A paths that no row pairs yet, each with B named as A's last segment. */
export function pairsFor(paths: string[], existing: PairRow[]): PairRow[] {
  const taken = new Set(existing.map((p) => p.a.trim()));
  return paths.filter((p) => !taken.has(p)).map((p) => newPair(p, leafOf(p)));
}
