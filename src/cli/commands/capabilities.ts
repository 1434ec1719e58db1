import type { Command } from 'commander';
import { unwrap, type paths } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { formatFields, formatTable, indent, printJson, printLine, printRows, type Column } from '../output.js';

type Capability = paths['/v1/capabilities']['get']['responses'][200]['content']['application/json']['data'][number];

/** `fmp, alpha_vantage, bloomberg (coming soon)`: the connectors serving it, with any not generally available. */
function providersText(c: Capability): string {
  return c.providers
    .map((p) => (p.availability === 'active' ? p.connector : `${p.connector} (${p.availability.replace('_', ' ')})`))
    .join(', ');
}

const columns: Column<Capability>[] = [
  { header: 'NAME', value: (c) => c.name },
  { header: 'TITLE', value: (c) => c.title },
  { header: 'ANSWERS', value: (c) => (c.many ? 'a list' : 'one record') },
  { header: 'KEY', value: (c) => c.key.join(', ') },
  { header: 'ENABLED', value: (c) => (c.enabled ? 'yes' : `no (needs ${c.feature})`) },
  { header: 'PROVIDERS', value: (c) => providersText(c) },
];

type FieldRow = { field: string; type: string; required: boolean; description?: string };

/** The top-level fields of a JSON Schema object, with their types and whether they are required. */
function schemaFields(schema: unknown): FieldRow[] {
  const s = schema as {
    properties?: Record<string, { type?: string | string[]; format?: string; description?: string }>;
    required?: string[];
  };
  return Object.entries(s?.properties ?? {}).map(([field, p]) => ({
    field,
    type: [Array.isArray(p.type) ? p.type.join(' | ') : (p.type ?? 'any'), p.format ? `(${p.format})` : '']
      .join(' ')
      .trim(),
    required: s.required?.includes(field) ?? false,
    ...(p.description ? { description: p.description } : {}),
  }));
}

const fieldColumns: Column<FieldRow>[] = [
  { header: 'FIELD', value: (f) => f.field },
  { header: 'TYPE', value: (f) => f.type },
  { header: 'REQUIRED', value: (f) => (f.required ? 'yes' : null) },
  { header: 'DESCRIPTION', value: (f) => f.description },
];

/** `switchyard capabilities …`: the standard models routes serve, and which connectors serve them. */
export function registerCapabilityCommands(program: Command): void {
  const capabilities = program
    .command('capabilities')
    .description('The capabilities routes serve (standard query and record), and the connectors serving each');

  withApiOptions(
    capabilities.command('list').description('Capabilities, whether the tenant has them, and their providers'),
  ).action(async (opts: ApiOptions) => {
    const { data } = await unwrap(clientFor(opts).GET('/v1/capabilities'));
    printRows(data, columns, { json: opts.json, what: 'capabilities' });
  });

  withApiOptions(
    capabilities
      .command('show')
      .description('A capability: its query fields (for --param), record fields and providers')
      .argument('<name>'),
  ).action(async (name: string, opts: ApiOptions) => {
    const { data } = await unwrap(clientFor(opts).GET('/v1/capabilities'));
    const c = data.find((candidate) => candidate.name === name);
    if (!c) throw new CliError(`There is no capability ${name}: see \`switchyard capabilities list\`.`);
    if (opts.json) return printJson(c);
    printLine(`Capability ${c.name}: ${c.title}`);
    printLine(
      formatFields([
        ['Description', c.description],
        [
          'Answers',
          c.many ? `a list of records, one per ${c.key.join(' + ')}` : `one record, keyed on ${c.key.join(' + ')}`,
        ],
        ['Needs', c.enabled ? `${c.feature} (enabled)` : `${c.feature}, which this tenant does not have`],
        ['Providers', providersText(c)],
      ]),
    );
    printLine('Query fields:');
    printLine(indent(formatTable(schemaFields(c.query_schema), fieldColumns)));
    printLine('Record fields:');
    printLine(indent(formatTable(schemaFields(c.record_schema), fieldColumns)));
  });
}
