import { InvalidArgumentError, Option, type Command } from 'commander';
import type { components, paths } from '../../../sdk/index.js';
import { CliError } from '../errors.js';
import { readDocumentFile } from '../input.js';
import { collectList, collectPair, parseCount, parseDuration } from '../parse.js';

export type Route = components['schemas']['Route'];
export type CreateRouteBody = NonNullable<paths['/v1/routes']['post']['requestBody']>['content']['application/json'];
export type UpdateRouteBody = NonNullable<
  paths['/v1/routes/{name}']['patch']['requestBody']
>['content']['application/json'];
type FusionRule = NonNullable<Route['fusion']>['fields'][string];
/** A provider as the API takes it (`weight` has a default there). */
type ProviderInput = { connection_id: string; weight?: number; redistributable?: boolean };

/** The flags `routes create` and `routes update` share; `undefined` leaves a setting to its default / as it is. */
export type RouteFlags = {
  fromFile?: string;
  description?: string;
  capability?: string;
  strategy?: Route['strategy'];
  provider?: string[];
  weight?: Record<string, string>;
  onRateLimit?: Route['on_rate_limit'];
  queueMaxWait?: number;
  fusionRule?: Record<string, FusionRule>;
  clearFusion?: boolean;
  retries?: number;
  timeout?: number;
};

/**
 * `field=pick[:option]`: the option is the tolerance (`price=consensus:0.005`), or for most_recent the record field
 * holding the time (`price=most_recent:timestamp`). `*` names every field without a rule of its own.
 */
export function parseFusionRule(text: string, previous: Record<string, FusionRule> = {}): Record<string, FusionRule> {
  const match = /^([^=]+)=([a-z_]+)(?::(.+))?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected field=pick[:tolerance], e.g. price=consensus:0.005');
  const [, field = '', pick = '', option] = match;
  const rule = { pick } as FusionRule;
  if (option !== undefined) {
    const tolerance = Number(option);
    if (Number.isFinite(tolerance) && option.trim() !== '') rule.tolerance = tolerance;
    else if (pick === 'most_recent') rule.recency_field = option;
    else throw new InvalidArgumentError(`expected a tolerance such as 0.005 after "${pick}:" (got ${option})`);
  }
  return { ...previous, [field.trim()]: rule };
}

/** The options create and update share. */
export function withRouteFlags(command: Command): Command {
  return command
    .option('--from-file <file>', 'the route as a JSON or YAML file (- for stdin); flags given override it')
    .option('--description <text>', 'what the route is for')
    .option('--capability <name>', 'the capability served, e.g. equity.quote (see `switchyard capabilities list`)')
    .addOption(
      new Option('--strategy <strategy>', 'how providers are chosen').choices([
        'single',
        'fallback',
        'loadbalance',
        'conditional',
        'fusion',
      ]),
    )
    .option(
      '--provider <connection>',
      'a connection serving it; repeat (or comma-separate) in priority order, the first is the primary',
      collectList,
    )
    .option(
      '--weight <connection=weight>',
      'loadbalance: a provider’s share of calls (default 1); repeatable',
      collectPair,
    )
    .addOption(
      new Option(
        '--on-rate-limit <policy>',
        'strict: fail with the provider’s reason; fallback: try the next; queue: wait for the window to reset',
      ).choices(['strict', 'fallback', 'queue']),
    )
    .option('--queue-max-wait <duration>', 'queue: the longest a request waits, e.g. 10m (default 10m)', parseDuration)
    .option(
      '--fusion-rule <field=pick[:tolerance]>',
      'fusion: how a field is merged (priority, first_non_null, most_recent, min, max, mean, median, consensus, ' +
        'union), e.g. price=consensus:0.005 or *=first_non_null; repeatable',
      parseFusionRule,
    )
    .option('--retries <n>', 'retries per provider after its first attempt (default 2)', parseCount)
    .option('--timeout <duration>', 'per attempt, e.g. 10s (default 10s)', parseDuration);
}

/** The whole route from --from-file, checked to be an object (the API checks the rest). */
async function fileBody(file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) return {};
  const value = await readDocumentFile(file, '--from-file');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(
      `--from-file must hold one route object (a ${Array.isArray(value) ? 'list' : typeof value} was given).`,
    );
  }
  return value as Record<string, unknown>;
}

function parseWeight(connection: string, text: string): number {
  const weight = Number(text);
  if (!Number.isInteger(weight) || weight < 0) {
    throw new CliError(`--weight ${connection}=${text}: the weight must be a whole number of at least 0.`);
  }
  return weight;
}

/**
 * The providers from --provider (or the file's, or the route's as stored) with --weight applied; undefined when no
 * provider flag was given. `base` keeps what the flags do not say (a route's licence override).
 */
function providersOf(opts: RouteFlags, base: ProviderInput[] | undefined): ProviderInput[] | undefined {
  if (!opts.provider && !opts.weight) return undefined;
  const providers =
    opts.provider?.map((id) => base?.find((p) => p.connection_id === id) ?? { connection_id: id }) ?? base;
  if (!providers?.length) throw new CliError('--weight needs the providers: give --provider <connection> too.');
  const weights = opts.weight ?? {};
  for (const id of Object.keys(weights)) {
    if (!providers.some((p) => p.connection_id === id)) {
      throw new CliError(`--weight names ${id}, which is not one of the route's providers.`);
    }
  }
  return providers.map((p) => {
    const weight = weights[p.connection_id];
    return weight === undefined ? p : { ...p, weight: parseWeight(p.connection_id, weight) };
  });
}

type Settings = Pick<Route, 'queue' | 'retry' | 'fusion'> & { providers: ProviderInput[] };

/**
 * The request body from --from-file and the flags (flags win). `current` is the stored route on update: a queue,
 * retry or fusion setting given by a flag is completed from it (the API replaces those objects whole), and fusion
 * rules are added to the route's unless --clear-fusion.
 */
export async function routeBody(opts: RouteFlags, current?: Settings): Promise<Record<string, unknown>> {
  const body = await fileBody(opts.fromFile);
  const providers = providersOf(opts, (body.providers as ProviderInput[] | undefined) ?? current?.providers);
  const queue = (body.queue ?? current?.queue) as Route['queue'] | undefined;
  const retry = (body.retry ?? current?.retry) as Partial<Route['retry']> | undefined;
  const baseRules = (body.fusion as Route['fusion'] | undefined)?.fields ?? current?.fusion?.fields ?? {};
  let fusion: Route['fusion'] | undefined;
  if (opts.clearFusion) fusion = opts.fusionRule ? { fields: opts.fusionRule } : null;
  else if (opts.fusionRule) fusion = { fields: { ...baseRules, ...opts.fusionRule } };
  return {
    ...body,
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.capability ? { capability: opts.capability } : {}),
    ...(opts.strategy ? { strategy: opts.strategy } : {}),
    ...(providers ? { providers } : {}),
    ...(opts.onRateLimit ? { on_rate_limit: opts.onRateLimit } : {}),
    ...(opts.queueMaxWait !== undefined ? { queue: { ...queue, max_wait_seconds: opts.queueMaxWait } } : {}),
    ...(fusion !== undefined ? { fusion } : {}),
    ...(opts.retries !== undefined ? { retry: { ...retry, attempts: opts.retries } } : {}),
    ...(opts.timeout !== undefined ? { timeout_ms: opts.timeout * 1000 } : {}),
  };
}

/**
 * A stored route's providers as the API takes them back. The route shows each provider's effective licence; only one
 * that differs from its connector's (`licences`, from GET /v1/capabilities), or whose connector's is not known, is
 * kept as the route's own override.
 */
export function providerInputs(route: Route, licences: Map<string, boolean>): ProviderInput[] {
  return route.providers.map((p) => ({
    connection_id: p.connection_id,
    weight: p.weight,
    ...(licences.get(p.connector) === p.redistributable ? {} : { redistributable: p.redistributable }),
  }));
}
