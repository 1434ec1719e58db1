import type { Command } from 'commander';
import { unwrap, type components, type operations } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { registerConnectorRegistryCommands } from './connector-registry.js';
import { formatFields, formatTable, indent, printJson, printLine, printRows, type Column } from '../output.js';

type ConnectorSummary = components['schemas']['ConnectorSummary'];
type ConnectorDetail = components['schemas']['ConnectorDetail'];
type FormField = components['schemas']['ConnectorFormField'];
type LibraryQuery = NonNullable<operations['listConnectors']['parameters']['query']>;

const columns: Column<ConnectorSummary>[] = [
  { header: 'SLUG', value: (c) => c.slug },
  { header: 'NAME', value: (c) => c.name },
  { header: 'CATEGORY', value: (c) => c.category },
  { header: 'AUTH METHODS', value: (c) => c.auth_methods.join(', ') },
  { header: 'AVAILABILITY', value: (c) => (c.retired ? `${c.availability} (retired)` : c.availability) },
];

const fieldColumns: Column<FormField>[] = [
  { header: 'KEY', value: (f) => f.key },
  { header: 'TYPE', value: (f) => f.type },
  { header: 'REQUIRED', value: (f) => (f.required ? 'yes' : 'no') },
  { header: 'SECRET', value: (f) => (f.secret ? 'yes' : 'no') },
  { header: 'HELP', value: (f) => f.help ?? f.label },
];

type ListOptions = ApiOptions & { search?: string; category?: string; authMethod?: string; availability?: string };

/** `switchyard connectors …`: the connector library (what can be connected, and the form each one asks for). */
export function registerConnectorCommands(program: Command): void {
  const connectors = program
    .command('connectors')
    .description('Browse the connector library; superusers manage the registry');

  withApiOptions(
    connectors
      .command('list')
      .description('List connectors, most popular first')
      .option('--search <text>', 'words in the name, description, category or slug')
      .option('--category <category>', 'e.g. CRM, Payments, Database, Generic')
      .option('--auth-method <method>', 'only connectors offering it, e.g. api_key, oauth2, basic')
      .option('--availability <availability>', 'active, coming_soon, deprecated or maintenance'),
  ).action(async (opts: ListOptions) => {
    // The server checks the values and names the allowed ones when one is wrong.
    const query = {
      ...(opts.search ? { q: opts.search } : {}),
      ...(opts.category ? { category: opts.category } : {}),
      ...(opts.authMethod ? { auth: opts.authMethod } : {}),
      ...(opts.availability ? { availability: opts.availability } : {}),
    } as LibraryQuery;
    const library = await unwrap(clientFor(opts).GET('/v1/connectors', { params: { query } }));
    printRows(library.data, columns, { json: opts.json, what: 'connectors match' });
  });

  withApiOptions(
    connectors
      .command('show')
      .description('Show a connector: its config fields, auth methods and their credential fields')
      .argument('<slug>', 'connector slug, e.g. generic_rest'),
  ).action(async (slug: string, opts: ApiOptions) => {
    const connector = await unwrap(clientFor(opts).GET('/v1/connectors/{slug}', { params: { path: { slug } } }));
    if (opts.json) return printJson(connector);
    printConnector(connector);
  });

  registerConnectorRegistryCommands(connectors);
}

function printConnector(c: ConnectorDetail): void {
  printLine(`${c.name} (${c.slug})`);
  printLine(c.description);
  printLine('');
  printLine(
    formatFields([
      ['Category', c.category],
      ['Availability', c.retired ? `${c.availability} (retired)` : c.availability],
      ['Management', c.management],
      ['Connectable', c.connectable ? 'yes' : 'no'],
      ['Base URL', baseUrl(c)],
      ['Test call', c.test.available ? (c.test.kind ?? 'yes') : 'none'],
      ['Docs', c.docs_url],
    ]),
  );
  printLine('');
  printLine('Config fields (--config key=value):');
  printLine(indent(c.config.length ? formatTable(c.config, fieldColumns) : 'None.'));
  c.auth.forEach((auth, i) => {
    printLine('');
    const marks = [i === 0 ? 'default' : '', auth.grant ?? '', auth.levels ? `levels: ${auth.levels.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    printLine(
      `Auth method ${auth.id}${auth.id === auth.type ? '' : ` (${auth.type})`}: ${auth.label}${marks ? ` (${marks})` : ''}`,
    );
    if (auth.fields.length) printLine(indent(formatTable(auth.fields, fieldColumns)));
    else if (auth.type !== 'oauth2') printLine('  No credential fields.');
    if (auth.scopes?.default.length) printLine(`  Default scopes: ${auth.scopes.default.join(', ')}`);
    if (auth.redirect_uri) printLine(`  Redirect URI to register with the vendor: ${auth.redirect_uri}`);
  });
  for (const warning of c.warnings) {
    printLine('');
    printLine(`Warning: ${warning}`);
  }
}

/**
 * Where calls go. The API does not return the manifest's base URL template, but a connector whose base URL is a
 * per-connection setting asks for it as a `url` config field.
 */
function baseUrl(c: ConnectorDetail): string {
  const field = c.config.find((f) => f.type === 'url');
  return field ? `set per connection (config ${field.key})` : 'fixed by the connector';
}
