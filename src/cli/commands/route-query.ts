import type { Command } from 'commander';
import { SwitchyardError, unwrap, type components, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError, reportError } from '../errors.js';
import { readJsonArgument } from '../input.js';
import { formatFields, formatTable, indent, printJson, printLine, secondTime, type Column } from '../output.js';
import { collectPair } from '../parse.js';

type Answer = components['schemas']['RouteAnswer'];
export type Explanation = components['schemas']['RouteExplanation'];
export type ProviderView = components['schemas']['RouteProviderHealth'];
type Attempt = Answer['attempts'][number];
/** The fusion report as `fuse` makes it (the API declares its parts loosely). */
type Fusion = {
  provenance: Record<string, { connection_id: string } | { connection_ids: string[] }>;
  conflicts: { field: string; key?: Record<string, unknown>; values: { connection_id: string; value: unknown }[] }[];
  redistributable: boolean;
  tainted_fields: string[];
};

const yesNo = (value: boolean | undefined) => (value === undefined ? null : value ? 'yes' : 'no');
const timeText = (iso: string | null | undefined) => (iso ? secondTime(iso) : null);

export function breakerText(b: ProviderView['breaker']): string {
  if (b.state === 'closed') return 'closed';
  const probe = b.probe_at ? `, probe ${timeText(b.probe_at)}` : '';
  return `${b.state.replace('_', ' ')}${probe}`;
}

export const providerViewColumns: Column<ProviderView>[] = [
  { header: 'CONNECTION', value: (p) => p.connection_id },
  { header: 'CONNECTOR', value: (p) => p.connector },
  { header: 'NAME', value: (p) => p.name },
  { header: 'ELIGIBLE', value: (p) => yesNo(p.eligible) },
  { header: 'BREAKER', value: (p) => breakerText(p.breaker) },
  { header: 'QUOTA', value: (p) => (p.quota ? `exhausted until ${timeText(p.quota.exhausted_until)}` : 'ok') },
  { header: 'RATE LIMITED UNTIL', value: (p) => timeText(p.rate_limited_until) },
  { header: 'STICKY', value: (p) => (p.sticky ? 'yes' : null) },
  {
    header: 'CONDITION',
    value: (p) => (p.condition_matched === undefined ? null : p.condition_matched ? 'matched' : 'no'),
  },
  { header: 'WHY', value: (p) => p.why },
];

const attemptColumns: Column<Attempt>[] = [
  { header: 'CONNECTION', value: (a) => a.connection_id },
  { header: 'CONNECTOR', value: (a) => a.connector },
  { header: 'OUTCOME', value: (a) => a.outcome },
  { header: 'STATUS', value: (a) => a.status },
  { header: 'LATENCY', value: (a) => `${Math.round(a.latency_ms)} ms` },
  { header: 'REASON', value: (a) => a.reason },
];

export function printExplanation(e: Explanation): void {
  printLine(
    e.would_use
      ? `Would use ${e.would_use.connector} (${e.would_use.connection_id}): ${e.reason}`
      : `No provider would answer now: ${e.reason}`,
  );
  if (e.queue_length) printLine(`${e.queue_length} request(s) queued.`);
  printLine(formatTable(e.providers, providerViewColumns));
}

/**
 * `--param` values typed by the capability's query schema (`limit=5` a number where it asks for one), since a
 * symbol such as `7203` (Toyota on the Tokyo exchange) must stay text where the schema says so.
 */
export function typedParams(params: Record<string, string>, querySchema: unknown): Record<string, unknown> {
  const properties = (querySchema as { properties?: Record<string, { type?: string | string[] }> } | undefined)
    ?.properties;
  return Object.fromEntries(
    Object.entries(params).map(([field, text]) => {
      const declared = properties?.[field]?.type;
      const type = Array.isArray(declared) ? declared.find((t) => t !== 'null') : declared;
      if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text)))
        return [field, Number(text)];
      if (type === 'boolean' && (text === 'true' || text === 'false')) return [field, text === 'true'];
      if (type === 'array') return [field, text.split(',').map((v) => v.trim())];
      return [field, text];
    }),
  );
}

/** The query from --query (JSON) and --param (typed by the route's capability), params winning. */
async function queryOf(
  client: SwitchyardClient,
  name: string,
  opts: { query?: string; param?: Record<string, string> },
): Promise<Record<string, unknown>> {
  let base: Record<string, unknown> = {};
  if (opts.query) {
    const { value, from } = await readJsonArgument(opts.query, '--query');
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new CliError(`${from} must be a JSON object, e.g. {"symbol":"AAPL"}.`);
    base = value as Record<string, unknown>;
  }
  if (!opts.param) return base;
  const route = await unwrap(client.GET('/v1/routes/{name}', { params: { path: { name } } }));
  const { data } = await unwrap(client.GET('/v1/capabilities'));
  const capability = data.find((c) => c.name === route.capability);
  return { ...base, ...typedParams(opts.param, capability?.query_schema) };
}

const valueText = (value: unknown) =>
  value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** Providers by connector (the attempts name each connection's), which people read more easily than ids. */
type Names = Map<string, string>;

function provenanceText(p: Fusion['provenance'][string] | undefined, names: Names): string | null {
  if (!p) return null;
  const ids = 'connection_ids' in p ? p.connection_ids : [p.connection_id];
  return ids.map((id) => names.get(id) ?? id).join(' + ');
}

/** The data: a record as field, value (and, fused, where it came from); a list as a table of its fields. */
function printData(data: unknown, fusion: Fusion | undefined, names: Names): void {
  if (Array.isArray(data)) {
    const rows = data as Record<string, unknown>[];
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const columns = fields.map((f) => ({
      header: f.toUpperCase(),
      value: (r: Record<string, unknown>) => valueText(r[f]),
    }));
    printLine(rows.length ? formatTable(rows, columns) : 'No records.');
    if (fusion) {
      const from = Object.entries(fusion.provenance).map(([field, p]) => ({ field, from: provenanceText(p, names) }));
      printLine('Fields from:');
      printLine(
        indent(
          formatTable(from, [
            { header: 'FIELD', value: (r) => r.field },
            { header: 'FROM', value: (r) => r.from },
          ]),
        ),
      );
    }
    return;
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const rows = Object.entries(record).map(([field, value]) => ({ field, value }));
  const columns: Column<(typeof rows)[number]>[] = [
    { header: 'FIELD', value: (r) => r.field },
    { header: 'VALUE', value: (r) => valueText(r.value) },
  ];
  if (fusion) columns.push({ header: 'FROM', value: (r) => provenanceText(fusion.provenance[r.field], names) });
  printLine(rows.length ? formatTable(rows, columns) : 'No data.');
}

function printFusion(fusion: Fusion, names: Names): void {
  if (fusion.conflicts.length) {
    printLine('Conflicts (values that disagreed beyond the tolerance):');
    for (const c of fusion.conflicts) {
      const key = c.key ? ` ${JSON.stringify(c.key)}` : '';
      printLine(
        indent(
          `${c.field}${key}: ${c.values.map((v) => `${names.get(v.connection_id) ?? v.connection_id} ${valueText(v.value)}`).join(', ')}`,
        ),
      );
    }
  }
  printLine(
    fusion.redistributable
      ? 'Licence: redistributable.'
      : `Licence: not redistributable (fields from a restricted provider: ${fusion.tainted_fields.join(', ')}).`,
  );
}

export function printAnswer(answer: Answer): void {
  const fusion = answer.fusion as Fusion | undefined;
  const names: Names = new Map(answer.attempts.map((a) => [a.connection_id, a.connector]));
  printData(answer.data, fusion, names);
  printLine('');
  const provider = answer.provider;
  printLine(
    provider
      ? `Answered by ${provider.connector} (${provider.connection_id}): ${answer.reason}`
      : `${fusion ? 'Fused' : 'Answered'}: ${answer.reason}`,
  );
  if (answer.queued_ms) printLine(`Waited ${(answer.queued_ms / 1000).toFixed(1)} s in the queue.`);
  if (fusion) printFusion(fusion, names);
  printLine('Attempts:');
  printLine(indent(formatTable(answer.attempts, attemptColumns)));
}

/**
 * A failed call: the problem's line (as every command prints it), how long to wait when the API says, and the
 * attempts the problem carries (`providers_unavailable`), on stderr; exit code 1.
 */
function reportQueryFailure(error: SwitchyardError, response: Response, json: boolean | undefined): void {
  process.exitCode = reportError(error, undefined, { json });
  if (json) return;
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) process.stderr.write(`retry after: ${retryAfter} s\n`);
  const attempts = (error.problem as { attempts?: Attempt[] }).attempts;
  if (attempts?.length) process.stderr.write(`attempts:\n${indent(formatTable(attempts, attemptColumns))}\n`);
}

type QueryOptions = ApiOptions & { query?: string; param?: Record<string, string>; dryRun?: boolean; async?: boolean };

async function runQuery(name: string, opts: QueryOptions): Promise<void> {
  const client = clientFor(opts);
  const query = await queryOf(client, name, opts);
  const { data, error, response } = await client.POST('/v1/routes/{name}/query', {
    params: { path: { name } },
    body: { query, ...(opts.dryRun ? { dry_run: true } : {}), ...(opts.async ? { async: true } : {}) },
  });
  if (error !== undefined || !data) return reportQueryFailure(new SwitchyardError(error), response, opts.json);
  if (opts.json) return printJson(data);
  if ('request_id' in data) {
    printLine(`Queued as request ${data.request_id}: served at ${secondTime(data.not_before)} at the earliest.`);
    return printLine(`See: switchyard routes request ${data.request_id}`);
  }
  // A dry run answers the explanation's fields; a call answers the data and who gave it.
  if (opts.dryRun) return printExplanation(data as Explanation);
  printAnswer(data as Answer);
}

/** `routes query`, `routes explain` and `routes request`. */
export function registerRouteQueryCommands(routes: Command): void {
  const withQuery = (command: Command) =>
    command
      .argument('<name>')
      .option(
        '--param <field=value>',
        'a query field, e.g. symbol=AAPL (typed by the capability); repeatable',
        collectPair,
      )
      .option('--query <json>', 'the whole query as JSON, @file or - for stdin; --param values are added to it');

  withApiOptions(
    withQuery(
      routes
        .command('query')
        .description('Call a route: the data, which provider answered and why, and every attempt')
        .option('--dry-run', 'call nothing: say which provider would answer now and why')
        .option('--async', 'when the call must wait for a rate-limit window, answer at once with a request id'),
    ),
  ).action(runQuery);

  withApiOptions(
    withQuery(routes.command('explain').description('Which provider would answer now, and why each one would or not')),
  ).action(async (name: string, opts: QueryOptions) => {
    const client = clientFor(opts);
    const query = await queryOf(client, name, opts);
    const e = await unwrap(client.POST('/v1/routes/{name}/explain', { params: { path: { name } }, body: { query } }));
    if (opts.json) return printJson(e);
    printExplanation(e);
  });

  withApiOptions(
    routes
      .command('request')
      .description('A queued call (routes query --async): its state, and its answer once served')
      .argument('<id>'),
  ).action(async (id: string, opts: ApiOptions) => {
    const r = await unwrap(clientFor(opts).GET('/v1/routes/requests/{id}', { params: { path: { id } } }));
    if (opts.json) return printJson(r);
    printLine(
      formatFields([
        ['Request', r.id],
        ['Route', r.route],
        ['State', r.state],
        ['Not before', secondTime(r.not_before)],
        ['Deadline', secondTime(r.deadline)],
      ]),
    );
    const problem = r.problem as { code?: string; detail?: string } | null;
    if (problem) printLine(`error ${problem.code ?? 'unknown'}: ${problem.detail ?? ''}`);
    if (r.result) {
      printLine('');
      printAnswer(r.result);
    }
  });
}
