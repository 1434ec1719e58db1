import type { Command } from 'commander';
import { unwrap, type components } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { readJsonArgument } from '../input.js';
import { printJson, printLine, printRows, shortTime, type Column } from '../output.js';
import { collectList, confirm } from '../parse.js';

type StreamState = components['schemas']['SyncStreamState'];

const stateColumns: Column<StreamState>[] = [
  { header: 'STREAM', value: (s) => s.stream },
  { header: 'STATE', value: (s) => JSON.stringify(s.state) },
  { header: 'SAVED BY', value: (s) => s.execution_id ?? 'hand' },
  { header: 'UPDATED', value: (s) => shortTime(s.updated_at) },
];

/** `switchyard syncs state <id>`, `syncs state set <id> <stream>` and `syncs reset <id>`: the checkpoints. */
export function registerSyncStateCommands(syncs: Command): void {
  const state = withApiOptions(
    syncs
      .command('state')
      .description('A sync’s checkpoints per stream (where the next incremental read starts); `state set` edits one')
      .argument('<id>', 'sync id'),
  ).action(async (id: string, opts: ApiOptions) => {
    const { data } = await unwrap(clientFor(opts).GET('/v1/syncs/{id}/state', { params: { path: { id } } }));
    printRows(data, stateColumns, { json: opts.json, what: 'checkpoints: the next run reads everything' });
  });

  // `--state`, not `--json` as the JSON value: `--json` means "print JSON" on every command.
  withApiOptions(
    state
      .command('set')
      .description('Set (edit or rewind) a stream’s checkpoint; audited with the old and new values')
      .argument('<id>', 'sync id')
      .argument('<stream>', 'the stream whose checkpoint is set')
      .requiredOption('--state <json>', 'the checkpoint as a JSON object, @file or - (see `switchyard syncs state`)'),
  ).action(async (id: string, stream: string, _opts: unknown, command: Command) => {
    // The parent `state` command takes the shared options (--json, --url …) wherever they appear.
    const opts = command.optsWithGlobals<ApiOptions & { state: string }>();
    const { value, from } = await readJsonArgument(opts.state, '--state');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CliError(`${from} must be a JSON object, e.g. '{"cursor": "2025-01-01T00:00:00Z"}'.`);
    }
    const saved = await unwrap(
      clientFor(opts).PUT('/v1/syncs/{id}/state/{stream}', {
        params: { path: { id, stream } },
        body: { state: value as Record<string, unknown> },
      }),
    );
    if (opts.json) return printJson(saved);
    printLine(`Set the checkpoint of ${stream} in sync ${id}: ${JSON.stringify(saved.state)}.`);
  });

  withApiOptions(
    syncs
      .command('reset')
      .description('Forget the checkpoints of some streams, or all: their next run reads everything (records stay)')
      .argument('<id>', 'sync id')
      .option('--stream <name>', 'only this stream; repeat or comma-separate (default: all)', collectList)
      .option('--yes', 'do not ask for confirmation (required when not run in a terminal)'),
  ).action(async (id: string, opts: ApiOptions & { stream?: string[]; yes?: boolean }) => {
    const which = opts.stream ? `the checkpoints of ${opts.stream.join(', ')}` : 'every checkpoint';
    if (!opts.yes) {
      await confirm(
        `Reset ${which} of sync ${id}? The next run reads everything again.`,
        `Refusing to reset sync ${id} without --yes: there is no terminal to ask for confirmation.`,
      );
    }
    const result = await unwrap(
      clientFor(opts).POST('/v1/syncs/{id}/reset', {
        params: { path: { id } },
        body: { streams: opts.stream ?? [] },
      }),
    );
    if (opts.json) return printJson(result);
    printLine(
      result.reset.length
        ? `Reset ${result.reset.join(', ')} of sync ${id}: the next run reads them from the start.`
        : `Sync ${id} had no checkpoint to reset${opts.stream ? ` for ${opts.stream.join(', ')}` : ''}.`,
    );
  });
}
