/**
 * A small JSON path reader for manifests: `$.a.b`, `$.items[0].id`, `$['odd key']`, `$` itself. Enough to point at a
 * value in a vendor response; no filters or wildcards.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`JSON path must start with $: ${path}`);
  let current: unknown = value;
  const steps = path.slice(1).match(/\.[A-Za-z0-9_$-]+|\[\d+\]|\['[^']*'\]|\["[^"]*"\]/g) ?? [];
  if (steps.join('') !== path.slice(1)) throw new Error(`Unsupported JSON path: ${path}`);
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('.')
      ? step.slice(1)
      : step.startsWith("['") || step.startsWith('["')
        ? step.slice(2, -2)
        : Number(step.slice(1, -1));
    // Own members only: `$.constructor` of a vendor's object is not Object's constructor.
    current = Object.hasOwn(current, key) ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return current;
}
