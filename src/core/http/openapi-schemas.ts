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

type Operation = { security?: unknown[]; parameters?: unknown[] };

/**
 * Every authenticated operation accepts the `Switchyard-Tenant` header (superusers act in another tenant). It is
 * read by authentication, not declared per route, so it is added to the document here.
 */
export function addTenantHeader<D extends { paths?: Record<string, Record<string, Operation>>; components?: object }>(
  document: D,
): D {
  const ref = { $ref: '#/components/parameters/SwitchyardTenant' };
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      if (!isPublic) operation.parameters = [...(operation.parameters ?? []), ref];
    }
  }
  const parameters = {
    SwitchyardTenant: {
      name: 'Switchyard-Tenant',
      in: 'header',
      required: false,
      description: 'Superusers only: act in this tenant (id or slug) instead of their own.',
      schema: { type: 'string' },
    },
  };
  return { ...document, components: { ...document.components, parameters } };
}
