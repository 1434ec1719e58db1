import { Option, type Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { unwrap, type components, type operations, type SwitchyardClient } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { formatFields, indent, printJson, printLine, printNote, shortTime } from '../output.js';
import { collectList, confirm, parseDuration, parseInstant } from '../parse.js';
import { progressLine } from '../progress.js';

type ReplayBody = operations['replayWebhookDeliveries']['requestBody']['content']['application/json'];
type ReplayStatus = NonNullable<ReplayBody['statuses']>[number];
type ReplayResult = components['schemas']['WebhookReplayResult'];
type Stats = components['schemas']['WebhookStats'];
/** A dry run's 200 body. The route declares only a real run's 202, so the SDK has no type for it (see its docs). */
type ReplayDryRun = { id: string; dry_run: true; deliveries: number; missing: number; skipped_disabled: number };
type Counts = Pick<Stats['overall'], 'pending' | 'delivered' | 'failed' | 'skipped'>;
export type ReplayProgress = Counts & { total: number };

const STATUSES: ReplayStatus[] = ['pending', 'delivered', 'failed', 'skipped'];
const POLL_MS = 1000;

type ReplayOptions = ApiOptions & {
  since: string;
  until?: string;
  endpoint?: string;
  eventType?: string[];
  status?: string[];
  includeMissing?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  wait: number | false;
};

function replayBody(opts: ReplayOptions): ReplayBody {
  const unknown = (opts.status ?? []).filter((s) => !STATUSES.includes(s as ReplayStatus));
  if (unknown.length) throw new CliError(`--status must be among ${STATUSES.join(', ')} (got ${unknown.join(', ')}).`);
  return {
    since: opts.since,
    ...(opts.until ? { until: opts.until } : {}),
    ...(opts.endpoint ? { endpoint_id: opts.endpoint } : {}),
    ...(opts.eventType ? { event_types: opts.eventType } : {}),
    ...(opts.status ? { statuses: [...new Set(opts.status)] as ReplayStatus[] } : {}),
    ...(opts.includeMissing ? { include_missing: true } : {}),
  };
}

async function dryRun(client: SwitchyardClient, body: ReplayBody): Promise<ReplayDryRun> {
  const result = await unwrap(client.POST('/v1/webhooks/replay', { body: { ...body, dry_run: true } }));
  return result as unknown as ReplayDryRun;
}

function printDryRun(dry: ReplayDryRun, body: ReplayBody): void {
  const range = `${shortTime(body.since)} to ${body.until ? shortTime(body.until) : 'now'}`;
  printLine(`Dry run ${dry.id}: nothing was changed. A replay of the events from ${range} would`);
  printLine(
    indent(
      formatFields([
        ['send again', `${dry.deliveries} deliveries (${(body.statuses ?? ['failed']).join(', ')})`],
        ['create', body.include_missing ? `${dry.missing} missing deliveries` : null],
        ['leave alone', dry.skipped_disabled ? `${dry.skipped_disabled} (their endpoint is disabled)` : null],
      ]),
    ),
  );
}

/** `switchyard webhooks replay`: send a time range's deliveries again, after a dry run and a confirmation. */
export function registerWebhookReplayCommand(webhooks: Command): void {
  withApiOptions(
    webhooks
      .command('replay')
      .description(
        'Send the deliveries of a time range again (failed ones by default). Shows a dry run and asks first ' +
          'unless --yes; then follows the replayed deliveries until none is pending',
      )
      .requiredOption(
        '--since <instant>',
        'events created at or after (ISO 8601, or a duration ago such as 6h)',
        parseInstant,
      )
      .option('--until <instant>', 'events created before (default: now)', parseInstant)
      .option('--endpoint <id>', 'only deliveries to this endpoint')
      .option('--event-type <type>', 'only this event type; repeat or comma-separate', collectList)
      .option(
        '--status <status>',
        'replay deliveries in these statuses: pending, delivered, failed, skipped (default failed)',
        collectList,
      )
      .option('--include-missing', 'also create deliveries for events that have none for a subscribed endpoint')
      .option('--dry-run', 'only count what a replay would do')
      .option('--yes', 'replay without the dry run and the question (required when not run in a terminal)')
      .addOption(
        new Option('--wait <duration>', 'follow the progress for at most this long')
          .argParser(parseDuration)
          .default(600, '10m'),
      )
      .option('--no-wait', 'return once the replay is queued'),
  ).action(async (opts: ReplayOptions) => {
    const client = clientFor(opts);
    const body = replayBody(opts);
    if (opts.dryRun || !opts.yes) {
      const dry = await dryRun(client, body);
      if (opts.dryRun) return opts.json ? printJson(dry) : printDryRun(dry, body);
      printDryRun(dry, body);
      if (dry.deliveries + dry.missing === 0) return printLine('Nothing to replay.');
      await confirm(
        `Replay ${dry.deliveries + dry.missing} deliveries?`,
        'Refusing to replay without --yes: standard input is not a terminal, so nobody can confirm. ' +
          'Check the counts above, then run again with --yes.',
      );
    }
    const statuses = body.statuses ?? ['failed'];
    // Taken before the replay: progress is the change since (see `progressOf`).
    const before = opts.wait === false ? undefined : await baselineOf(client, body, statuses);
    const result = (await unwrap(client.POST('/v1/webhooks/replay', { body }))) as ReplayResult;
    const total = result.requeued + result.created;
    if (!opts.json) {
      const disabled = result.skipped_disabled ? `; ${result.skipped_disabled} left alone (endpoint disabled)` : '';
      printLine(`Replay ${result.id}: requeued ${result.requeued} deliveries, created ${result.created}${disabled}.`);
    }
    if (!before || total === 0) return opts.json ? printJson(result) : undefined;
    const requeuedFrom = statuses.length === 1 ? { [statuses[0] as ReplayStatus]: result.requeued } : before.byStatus;
    const progress = await followReplay(
      client,
      body,
      { stats: before.stats, requeuedFrom, total },
      opts.wait as number,
    );
    if (opts.json) return printJson({ ...result, progress });
    printLine(`${progress.pending === 0 ? 'Finished' : 'Still running'}: ${progressText(progress)}.`);
    if (progress.pending > 0) {
      printNote(
        `note: ${progress.pending} still pending after ${opts.wait}s (retries follow their schedule); ` +
          'follow with `switchyard webhooks stats` or `switchyard webhooks deliveries list --status pending`.',
      );
    }
  });
}

/**
 * The counters before the replay, over the window progress is read from: deliveries created since `since` (the
 * replay's range is on event time; deliveries are created when their event is published, or now for missing
 * ones), for the endpoint if one was named. With several statuses, a dry run per status tells how many of each
 * will move to pending; with one, the replay's own `requeued` says it.
 */
async function baselineOf(client: SwitchyardClient, body: ReplayBody, statuses: ReplayStatus[]) {
  const byStatus: Partial<Record<ReplayStatus, number>> = {};
  if (statuses.length > 1) {
    for (const status of statuses)
      byStatus[status] = (await dryRun(client, { ...body, statuses: [status] })).deliveries;
  }
  return { stats: await statsOf(client, body), byStatus };
}

async function statsOf(client: SwitchyardClient, body: ReplayBody): Promise<Counts> {
  const query = { since: body.since, ...(body.endpoint_id ? { endpoint_id: body.endpoint_id } : {}) };
  return (await unwrap(client.GET('/v1/webhooks/stats', { params: { query } }))).overall;
}

/**
 * The replay's share of the counters now: each counter minus its value before the replay, with the deliveries
 * the replay took out of that status added back. Other traffic in the same window (new events published while
 * the replay runs) shows in these numbers too; they are clamped to the replay's size.
 */
export function progressOf(
  now: Counts,
  before: { stats: Counts; requeuedFrom: Partial<Record<ReplayStatus, number>>; total: number },
): ReplayProgress {
  const share = (key: keyof Counts) => {
    const moved = before.requeuedFrom[key] ?? 0;
    return Math.min(before.total, Math.max(0, now[key] - (before.stats[key] - moved)));
  };
  return {
    total: before.total,
    delivered: share('delivered'),
    failed: share('failed'),
    skipped: share('skipped'),
    pending: share('pending'),
  };
}

export function progressText(p: ReplayProgress): string {
  const skipped = p.skipped ? `, skipped ${p.skipped}` : '';
  return `delivered ${p.delivered}/${p.total}, failed ${p.failed}${skipped}, pending ${p.pending}`;
}

/** Poll the stats until none of the replayed deliveries is pending or `waitSeconds` pass, showing a progress line. */
async function followReplay(
  client: SwitchyardClient,
  body: ReplayBody,
  before: Parameters<typeof progressOf>[1],
  waitSeconds: number,
): Promise<ReplayProgress> {
  const line = progressLine();
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const progress = progressOf(await statsOf(client, body), before);
    if (progress.pending === 0 || Date.now() >= deadline) {
      line.done(progressText(progress));
      return progress;
    }
    line.update(progressText(progress));
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
