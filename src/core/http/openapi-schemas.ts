/**
 * The zod type provider emits an input and an output variant (`ApiKeyInput`, `ApiKey`) of every schema with a
 * meta id, whether or not any route uses it. Keep only the schemas reachable from an operation, so the document
 * and the SDK types generated from it describe the API and nothing else.
 */
export function pruneUnusedSchemas<D extends { paths?: unknown; components?: { schemas?: Record<string, unknown> } }>(
  document: D,
): D {
  const schemas = document.components?.schemas;
  if (!schemas) return document;
  const prefix = '#/components/schemas/';
  const used = new Set<string>();
  const pending = [document.paths];
  while (pending.length > 0) {
    const text = JSON.stringify(pending.pop() ?? null);
    for (const match of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      const name = match[1]?.startsWith(prefix) ? match[1].slice(prefix.length) : undefined;
      if (name && !used.has(name) && name in schemas) {
        used.add(name);
        pending.push(schemas[name]);
      }
    }
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...document, components: { ...document.components, schemas: kept } };
}
