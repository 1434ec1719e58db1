import type { Command } from 'commander';
import { unwrap } from '../../../sdk/index.js';
import { generateMasterKey } from '../../vault/keyring.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { printJson, printLine, printNote, printRows, shortTime } from '../output.js';

export type RotationReport = {
  mode: 'server' | 'direct';
  source: 'file' | 'environment';
  from: string;
  to: string;
  rewrapped: number;
  pruned: number;
  /** Direct mode with a key file: where the new key now is. */
  keyFile?: string;
};

/** `switchyard keys …`: the master key that wraps every tenant's data key. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('Master key: generate, inspect, rotate');

  keys
    .command('generate')
    .description('Print a new random master key (base64, 32 bytes) for SWITCHYARD_MASTER_KEY')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const key = generateMasterKey();
      if (opts.json) return printJson({ key });
      printLine(key);
      if (process.stdout.isTTY) printNote('Keep it in a secret store; whoever holds it can open every credential.');
    });

  withApiOptions(keys.command('status').description('Which master keys wrap the data keys (fingerprints only)')).action(
    showStatus,
  );

  withApiOptions(
    keys
      .command('rotate')
      .description(
        'Rotate the master key. With --url (or SWITCHYARD_URL): online, through the running server. ' +
          'Without: directly on the database of SWITCHYARD_DATA_DIR / DATABASE_URL, with no server running on it.',
      ),
    { defaultUrl: false },
  ).action(async (opts: ApiOptions) => {
    // The direct path loads the database drivers, so only when it is taken.
    const report = opts.url
      ? await rotateThroughServer(opts)
      : await (await import('./keys-rotate-direct.js')).rotateDirectly();
    if (opts.json) return printJson(report);
    printRotation(report);
  });
}

async function showStatus(opts: ApiOptions): Promise<void> {
  const status = await unwrap(clientFor(opts).GET('/v1/system/master-key'));
  if (opts.json) return printJson(status);
  printLine(
    `Active master key: ${status.active} (from ${status.source === 'file' ? 'the key file' : 'SWITCHYARD_MASTER_KEY'})`,
  );
  printLine('');
  printRows(
    status.keys,
    [
      { header: 'FINGERPRINT', value: (k) => k.id },
      { header: 'STATE', value: (k) => (k.id === status.active ? 'active' : k.retired_at ? 'retired' : 'held') },
      { header: 'DATA KEYS', value: (k) => k.data_keys },
      { header: 'CREATED', value: (k) => shortTime(k.created_at) },
      { header: 'RETIRED', value: (k) => shortTime(k.retired_at) },
    ],
    { what: 'master keys recorded yet' },
  );
}

/**
 * Online rotation through the server that holds the database (the only way while an embedded server holds the
 * data directory lock). The server re-wraps in one request, so there is no progress to show until it answers.
 */
async function rotateThroughServer(opts: ApiOptions): Promise<RotationReport> {
  const client = clientFor(opts);
  const before = await unwrap(client.GET('/v1/system/master-key'));
  printNote(`Rotating the master key on ${opts.url}; the server re-wraps every data key and keeps serving…`);
  const result = await unwrap(client.POST('/v1/system/master-key/rotate'));
  return {
    mode: 'server',
    source: before.source,
    from: before.active,
    to: result.master_key_id,
    rewrapped: result.rewrapped,
    pruned: result.pruned,
  };
}

/** What happened, in words: the fingerprints, the count, and what the operator must do next. */
export function printRotation(report: RotationReport): void {
  printLine(`Rotated the master key: ${report.from} → ${report.to}.`);
  printLine(`Re-wrapped ${report.rewrapped} data key(s); dropped ${report.pruned} wrap(s) under the old key.`);
  if (report.source === 'environment') {
    printLine('Now restart every node with SWITCHYARD_MASTER_KEY set to the new key alone (the first one).');
  } else if (report.keyFile) {
    printLine(`The key file ${report.keyFile} now holds only the new key. Back it up: the old key opens nothing.`);
  } else {
    printLine("The server's key file now holds only the new key. Back it up: the old key opens nothing.");
  }
}
