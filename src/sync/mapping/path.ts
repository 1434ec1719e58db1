/**
 * Field paths of a mapping: `email`, `properties.email`, `items[0].id`, `["odd.key"].value`. A path is parsed once,
 * when a mapping is compiled, into steps (a key or an array index) and a reader / writer closure over them, so mapping
 * a record walks precomputed steps and never re-reads the path text.
 */
export type PathStep = string | number;

export type ParsedPath = { text: string; steps: PathStep[] };

const stepPattern = /\.?([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;

/** Parse a path, or answer why it is not one (for the mapping schema's messages). */
export function parsePath(text: string): ParsedPath | { error: string } {
  const steps: PathStep[] = [];
  let at = 0;
  while (at < text.length) {
    stepPattern.lastIndex = at;
    const match = stepPattern.exec(text);
    // A leading dot, an empty segment (`a..b`) or a stray bracket does not match.
    if (!match || (at === 0 && text.startsWith('.'))) return { error: `'${text}' is not a field path (at ${at})` };
    if (match[1] !== undefined) {
      // After the first segment a name follows a dot: `a.b`, `items[0].id`, never `a[0]b`.
      if (at > 0 && !match[0].startsWith('.')) return { error: `'${text}' is not a field path (at ${at})` };
      steps.push(match[1]);
    } else if (match[2] !== undefined) {
      steps.push(Number(match[2]));
    } else {
      steps.push((match[3] ?? '').replace(/\\(.)/g, '$1'));
    }
    at = stepPattern.lastIndex;
  }
  if (steps.length === 0) return { error: 'a field path cannot be empty' };
  if (typeof steps[0] === 'number') return { error: `'${text}' must start with a field name` };
  return { text, steps };
}

export function mustParsePath(text: string): ParsedPath {
  const parsed = parsePath(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

/** The top-level field a path starts from (the column a source knows). */
export function rootField(path: ParsedPath): string {
  return path.steps[0] as string;
}

export type PathReader = (record: Record<string, unknown>) => unknown;

/** A reader for a path: a plain property read for a top-level field, a walk over the steps otherwise. */
export function compileReader(path: ParsedPath): PathReader {
  const { steps } = path;
  if (steps.length === 1) {
    const key = steps[0] as string;
    return (record) => record[key];
  }
  if (steps.length === 2) {
    const [a, b] = steps as [string, PathStep];
    return (record) => {
      const inner = record[a];
      return inner !== null && typeof inner === 'object' ? (inner as Record<PathStep, unknown>)[b] : undefined;
    };
  }
  return (record) => {
    let current: unknown = record;
    for (const step of steps) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<PathStep, unknown>)[step];
    }
    return current;
  };
}

export type PathWriter = (record: Record<string, unknown>, value: unknown) => void;

/**
 * A writer for a path. Nested writes copy each object (or array) on the way before changing it: the output may
 * share nested objects with the input record (`select: all` copies only the top level), and the input must stay as
 * the source read it (previews show both; a rejected record is kept as read).
 */
export function compileWriter(path: ParsedPath): PathWriter {
  const { steps } = path;
  if (steps.length === 1) {
    const key = steps[0] as string;
    return (record, value) => {
      record[key] = value;
    };
  }
  const last = steps.length - 1;
  return (record, value) => {
    let parent: Record<PathStep, unknown> = record;
    for (let i = 0; i < last; i++) {
      const step = steps[i] as PathStep;
      const existing = parent[step];
      const copy: Record<PathStep, unknown> = Array.isArray(existing)
        ? ([...existing] as unknown as Record<PathStep, unknown>)
        : existing !== null && typeof existing === 'object'
          ? { ...(existing as Record<string, unknown>) }
          : typeof steps[i + 1] === 'number'
            ? ([] as unknown as Record<PathStep, unknown>)
            : {};
      parent[step] = copy;
      parent = copy;
    }
    parent[steps[last] as PathStep] = value;
  };
}
