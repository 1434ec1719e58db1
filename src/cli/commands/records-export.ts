import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { unwrap } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { CliError } from '../errors.js';
import { printNote } from '../output.js';
import { progressLine } from '../progress.js';

type ExportOptions = ApiOptions & { connection: string; model: string; format: string; output?: string };

const FORMATS = ['csv', 'tsv', 'json', 'ndjson', 'xml'];

/**
 * `switchyard export`: a model's live records from the record store, streamed to a file (or stdout) as CSV, TSV,
 * JSON, NDJSON or XML, with the bytes and records so far on stderr.
 */
export function registerExportCommand(program: Command): void {
  withApiOptions(
    program
      .command('export')
      .description('Download a model’s records from the record store as CSV, TSV, JSON, NDJSON or XML')
      .requiredOption('--connection <id>', 'the connection (id or key) whose records to export')
      .requiredOption('--model <name>', 'the model (see `switchyard records models`)')
      .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'csv')
      .option('--output <file>', 'write to this file (stdout otherwise)'),
  ).action(async (opts: ExportOptions) => {
    if (!FORMATS.includes(opts.format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}.`);
    const client = clientFor(opts);
    const models = await unwrap(
      client.GET('/v1/records/models', { params: { query: { connection_id: opts.connection } } }),
    );
    const total = models.data.find((m) => m.model === opts.model)?.records ?? 0;
    // A refusal (unknown connection, bad format) comes back as a problem, as from any other command.
    const body = (await unwrap(
      client.GET('/v1/records/export', {
        params: { query: { connection_id: opts.connection, model: opts.model, format: opts.format as 'csv' } },
        parseAs: 'stream',
      }),
    )) as unknown as ReadableStream<Uint8Array>;
    const line = progressLine({ everyMs: 2000 });
    let bytes = 0;
    let newlines = 0;
    const rows = () =>
      Math.min(total, Math.max(0, opts.format === 'csv' || opts.format === 'tsv' ? newlines - 1 : newlines));
    const show = () =>
      `${opts.model}: ${(bytes / 2 ** 20).toFixed(1)} MB${opts.format === 'json' || opts.format === 'xml' ? '' : `, ~${rows().toLocaleString('en')} of ${total.toLocaleString('en')} records`}`;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines += 1;
        line.update(show());
        done(null, chunk);
      },
    });
    const out = opts.output ? fs.createWriteStream(opts.output) : process.stdout;
    await pipeline(Readable.fromWeb(body as never), count, out);
    line.done(show());
    if (opts.output) printNote(`Wrote ${opts.output}.`);
  });
}
