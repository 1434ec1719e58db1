import type { Command } from 'commander';
import { listAll, unwrap, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import {
  formatFields,
  formatTable,
  indent,
  printJson,
  printLine,
  printRows,
  shortTime,
  type Column,
} from '../output.js';
import { confirm } from '../parse.js';
import { registerCapabilityCommands } from './capabilities.js';
import { registerRouteHealthCommands } from './route-health.js';
import { registerRouteQueryCommands } from './route-query.js';
import {
  providerInputs,
  routeBody,
  withRouteFlags,
  type CreateRouteBody,
  type Route,
  type RouteFlags,
  type UpdateRouteBody,
} from './route-flags.js';
import { bucketText } from './webhook-stats.js';

/** `fmp → alpha_vantage`: the providers in priority order, by connector. */
export function providersText(route: Pick<Route, 'providers' | 'strategy'>): string {
  const join = route.strategy === 'fusion' ? ' + ' : route.strategy === 'loadbalance' ? ', ' : ' → ';
  return route.providers
    .map((p) => (route.strategy === 'loadbalance' ? `${p.connector} (${p.weight})` : p.connector))
    .join(join);
}

function policyText(route: Route): string {
  if (route.on_rate_limit !== 'queue') return route.on_rate_limit;
  return `queue (wait at most ${bucketText(route.queue.max_wait_seconds)})`;
}

const columns: Column<Route>[] = [
  { header: 'NAME', value: (r) => r.name },
  { header: 'CAPABILITY', value: (r) => r.capability },
  { header: 'STRATEGY', value: (r) => r.strategy },
  { header: 'PROVIDERS', value: (r) => providersText(r) },
  { header: 'ON RATE LIMIT', value: (r) => r.on_rate_limit },
  {
    header: 'STATE',
    value: (r) => (r.enabled ? (r.sticky ? `on fallback ${r.sticky.connection_id}` : 'enabled') : 'disabled'),
  },
  { header: 'UPDATED', value: (r) => shortTime(r.updated_at) },
];

type RouteProvider = Route['providers'][number];
const providerColumns: Column<RouteProvider & { rank: number }>[] = [
  { header: '#', value: (p) => p.rank },
  { header: 'CONNECTION', value: (p) => p.connection_id },
  { header: 'NAME', value: (p) => p.name },
  { header: 'CONNECTOR', value: (p) => p.connector },
  { header: 'WEIGHT', value: (p) => p.weight },
  { header: 'LICENCE', value: (p) => (p.redistributable ? 'redistributable' : 'not redistributable') },
];

type FusionRow = { field: string } & NonNullable<Route['fusion']>['fields'][string];
const fusionColumns: Column<FusionRow>[] = [
  { header: 'FIELD', value: (r) => r.field },
  { header: 'PICK', value: (r) => r.pick },
  { header: 'TOLERANCE', value: (r) => (r.tolerance === undefined ? null : `${r.tolerance * 100}%`) },
  { header: 'ORDER', value: (r) => r.order?.join(', ') },
  { header: 'RECENCY FIELD', value: (r) => r.recency_field },
];

/** `10000` → `10 s`, `2500` → `2500 ms`. */
const msText = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

function retryText(retry: Route['retry']): string {
  if (retry.attempts === 0) return 'none';
  const wait = retry.honour_retry_after ? `, honouring Retry-After up to ${msText(retry.max_wait_ms)}` : '';
  return `${retry.attempts} per provider${wait}, at most ${retry.budget_percent}% of recent calls`;
}

function printRoute(r: Route): void {
  printLine(`Route ${r.name}: ${r.capability}, ${r.strategy} (${r.enabled ? 'enabled' : 'disabled'})`);
  const b = r.breaker;
  printLine(
    formatFields([
      ['Description', r.description],
      ['On rate limit', policyText(r)],
      ['Retries', retryText(r.retry)],
      [
        'Breaker',
        `opens after ${b.consecutive_failures} failures in a row or ${Math.round(b.failure_rate * 100)}% of at least ` +
          `${b.min_requests} calls in ${bucketText(b.window_seconds)}; probes after ${bucketText(b.cooldown_seconds)}`,
      ],
      ['Timeout', `${msText(r.timeout_ms)} per attempt`],
      ['Sticky', r.sticky ? `on ${r.sticky.connection_id} since ${shortTime(r.sticky.since)}` : null],
      ['Id', r.id],
      ['Created', shortTime(r.created_at)],
      ['Updated', shortTime(r.updated_at)],
    ]),
  );
  printLine('Providers (in priority order):');
  printLine(
    indent(
      formatTable(
        r.providers.map((p, i) => ({ ...p, rank: i + 1 })),
        providerColumns,
      ),
    ),
  );
  if (r.conditions.length) {
    printLine('Conditions (the first that matches the query picks the providers):');
    for (const c of r.conditions) printLine(indent(`when ${JSON.stringify(c.when)} use ${c.use.join(', ')}`));
  }
  if (r.strategy === 'fusion' || r.fusion) {
    const rules = Object.entries(r.fusion?.fields ?? {}).map(([field, rule]) => ({ field, ...rule }));
    if (rules.length === 0) return printLine('Fusion rules: none (every field: first non-null in priority order).');
    printLine('Fusion rules (fields without one: first non-null in priority order, unless * says otherwise):');
    printLine(indent(formatTable(rules, fusionColumns)));
  }
}

/** Every connector's data licence, from the capabilities' providers: to tell a route's override from the licence. */
async function connectorLicences(client: SwitchyardClient): Promise<Map<string, boolean>> {
  const { data } = await unwrap(client.GET('/v1/capabilities'));
  return new Map(data.flatMap((c) => c.providers.map((p) => [p.connector, p.redistributable] as const)));
}

/** `switchyard routes …`: routes that serve a capability from several providers, and `switchyard capabilities`. */
export function registerRouteCommands(program: Command): void {
  const routes = program
    .command('routes')
    .description('Manage provider routes: a capability served by several connections, with fallback and fusion');

  withApiOptions(
    routes
      .command('list')
      .description('Routes with their capability, strategy and providers')
      .option('--capability <name>', 'only routes serving this capability'),
  ).action(async (opts: ApiOptions & { capability?: string }) => {
    const client = clientFor(opts);
    const filter = opts.capability ? { capability: opts.capability } : {};
    const rows = await listAll((cursor) =>
      client.GET('/v1/routes', { params: { query: { ...filter, cursor, limit: 200 } } }),
    );
    printRows(rows, columns, { json: opts.json, what: 'routes' });
  });

  withApiOptions(
    routes
      .command('show')
      .description('A route: providers, rate-limit policy, retries, breaker, fusion rules')
      .argument('<name>'),
  ).action(async (name: string, opts: ApiOptions) => {
    const r = await unwrap(clientFor(opts).GET('/v1/routes/{name}', { params: { path: { name } } }));
    if (opts.json) return printJson(r);
    printRoute(r);
  });

  withApiOptions(
    withRouteFlags(
      routes
        .command('create')
        .description('Create a route from flags or a file (--from-file); the server checks the providers serve it')
        .argument('<name>')
        .option('--disabled', 'create it disabled: calls are refused until it is enabled'),
    ),
  ).action(async (name: string, opts: ApiOptions & RouteFlags & { disabled?: boolean }) => {
    const body: Record<string, unknown> = {
      ...(await routeBody(opts)),
      name,
      ...(opts.disabled ? { enabled: false } : {}),
    };
    if (!body.capability) throw new CliError('Say what the route serves with --capability <name> (or in --from-file).');
    if (!body.providers) throw new CliError('Give the providers with --provider <connection>, primary first.');
    const r = await unwrap(clientFor(opts).POST('/v1/routes', { body: body as CreateRouteBody }));
    if (opts.json) return printJson(r);
    printLine(
      `Created route ${r.name}: ${r.capability} from ${providersText(r)}, ${r.strategy}, on rate limit ${policyText(r)}.`,
    );
    printLine(`Call it: switchyard routes query ${r.name} --param <field>=<value>`);
  });

  withApiOptions(
    withRouteFlags(
      routes
        .command('update')
        .description('Change a route; only what is given changes (--fusion-rule adds to the rules it has)')
        .argument('<name>')
        .option('--clear-fusion', 'drop the fusion rules it has (the --fusion-rule given replace them)')
        .option('--enable', 'let it serve calls')
        .option('--disable', 'refuse calls to it'),
    ),
  ).action(async (name: string, opts: ApiOptions & RouteFlags & { enable?: boolean; disable?: boolean }) => {
    if (opts.enable && opts.disable) throw new CliError('Give --enable or --disable, not both.');
    const client = clientFor(opts);
    const current = await unwrap(client.GET('/v1/routes/{name}', { params: { path: { name } } }));
    // New providers or weights rebuild the stored list, where a licence override must be told from the licence.
    const providers = opts.provider || opts.weight ? providerInputs(current, await connectorLicences(client)) : [];
    const body = await routeBody(opts, { ...current, providers });
    if (opts.enable || opts.disable) body.enabled = Boolean(opts.enable);
    if (Object.keys(body).length === 0) throw new CliError('Nothing to change: give at least one option (see --help).');
    const r = await unwrap(
      client.PATCH('/v1/routes/{name}', { params: { path: { name } }, body: body as UpdateRouteBody }),
    );
    if (opts.json) return printJson(r);
    printLine(`Updated route ${r.name}: ${Object.keys(body).sort().join(', ')}.`);
  });

  withApiOptions(
    routes
      .command('delete')
      .description('Delete a route; its queued requests and call log go with it')
      .argument('<name>')
      .option('--yes', 'do not ask for confirmation (required when not run in a terminal)'),
  ).action(async (name: string, opts: ApiOptions & { yes?: boolean }) => {
    if (!opts.yes) {
      await confirm(
        `Delete route ${name}? Calls to it will fail.`,
        `Refusing to delete route ${name} without --yes: there is no terminal to ask for confirmation.`,
      );
    }
    await unwrap(clientFor(opts).DELETE('/v1/routes/{name}', { params: { path: { name } } }));
    if (opts.json) return printJson({ name, deleted: true });
    printLine(`Deleted route ${name}.`);
  });

  registerRouteQueryCommands(routes);
  registerRouteHealthCommands(routes);
  registerCapabilityCommands(program);
}
