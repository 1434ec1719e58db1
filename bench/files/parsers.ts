/**
 * bench/files — the file readers measured, in one run, on one generated file:
 *
 *   npm run bench:files -- [--rows 1000000] [--batch 5000] [--keep]
 *
 * A CSV of `--rows` rows × 10 columns of mixed types (integers, text with quotes, commas and the odd line break,
 * numbers, booleans, dates, timestamps, empty values) is generated into a temporary directory, with NDJSON and XML of
 * the same records, by src/sync/files/write.ts (its rows/s are printed too). Then, each from a file stream:
 *
 * - csv-parse, PapaParse and uDSV in their streaming modes, each giving records keyed by the header (text values):
 *   what it costs to parse;
 * - read.ts (src/sync/files) on the CSV: text values only, then end to end with the schema inferred from the first
 *   1,000 rows (every value converted and validated, batches of `--batch`): the figure the goal is about,
 *   ≥ 200,000 rows/s;
 * - a bulk import's dry run of the CSV (dry-run.ts: the schema, a unique id, an allowed-values list and a pattern,
 *   nothing stored) beside read.ts typed: goal ≤ 1.5× its time;
 * - read.ts on the NDJSON and the XML with the same schema, beside it.
 *
 * Each run counts its records (and read.ts's typed runs add up a column), so a fast wrong run cannot pass. Peak RSS
 * is this process's, sampled every 20 ms and at every batch; the goal is ≤ 300 MB. Runs are one after the other
 * with a GC between them (npm run passes --expose-gc); nothing else should be running.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { inferSchema as udsvInferSchema, initParser } from 'udsv';
import { dryRun } from '../../src/sync/files/dry-run.js';
import { inferFileSchema } from '../../src/sync/files/infer.js';
import { readRecords } from '../../src/sync/files/read.js';
import { writeRecords } from '../../src/sync/files/write.js';
import type { FileFormat } from '../../src/sync/files/formats.js';
import { fmt } from '../lib/load.js';
import { benchRecords, checksum } from './data.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env.BENCH_ROWS ?? '1000000' },
    batch: { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const batchSize = Number(values.batch);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-files-'));
const files = {
  csv: path.join(dir, 'data.csv'),
  ndjson: path.join(dir, 'data.ndjson'),
  xml: path.join(dir, 'data.xml'),
};
const progress = (text: string) => process.stderr.write(`  ${text}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

type Run = { name: string; rows: number; seconds: number; bytes: number; peakRss: number };

/** Time a run while sampling RSS (`sample` is also handed to the run, to call at every batch). */
async function measure(name: string, file: string, run: (sample: () => void) => Promise<number>): Promise<Run> {
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  let peakRss = process.memoryUsage.rss();
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 20);
  const started = performance.now();
  const counted = await run(sample).finally(() => clearInterval(timer));
  const seconds = (performance.now() - started) / 1000;
  if (counted !== rows) throw new Error(`${name} read ${counted} records, not ${rows}`);
  const result = { name, rows: counted, seconds, bytes: fs.statSync(file).size, peakRss };
  progress(`${name}: ${fmt(counted / seconds)} rows/s, peak RSS ${fmt(peakRss / 2 ** 20)} MB`);
  return result;
}

async function generate(): Promise<{ format: FileFormat; seconds: number }[]> {
  const out = [];
  for (const format of ['csv', 'ndjson', 'xml'] as const) {
    const started = performance.now();
    await pipeline(
      Readable.from(writeRecords(benchRecords(rows, 10_000), format)),
      fs.createWriteStream(files[format]),
    );
    out.push({ format, seconds: (performance.now() - started) / 1000 });
    progress(`wrote ${format}: ${fmt(fs.statSync(files[format]).size / 2 ** 20)} MB`);
  }
  return out;
}

function csvParseRun(sample: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const parser = csvParse({ columns: true });
    parser.on('readable', () => {
      while (parser.read() !== null) n++;
      sample();
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(n));
    fs.createReadStream(files.csv).pipe(parser);
  });
}

function papaRun(sample: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    Papa.parse<Record<string, string>>(fs.createReadStream(files.csv) as unknown as File, {
      header: true,
      skipEmptyLines: true,
      chunk: (results) => {
        n += results.data.length;
        sample();
      },
      complete: () => resolve(n),
      error: reject,
    });
  });
}

async function udsvRun(sample: () => void): Promise<number> {
  let n = 0;
  let parser: ReturnType<typeof initParser> | undefined;
  const onRow = () => {
    n++;
  };
  for await (const chunk of fs.createReadStream(files.csv, { encoding: 'utf8' }) as AsyncIterable<string>) {
    parser ??= initParser(udsvInferSchema(chunk));
    parser.chunk<Record<string, string>>(chunk, parser.stringObjs, onRow);
    sample();
  }
  parser?.end();
  return n;
}

async function readRun(format: FileFormat, schema: Parameters<typeof readRecords>[3], sample: () => void) {
  let n = 0;
  let sum = 0;
  for await (const batch of readRecords(
    fs.createReadStream(files[format as 'csv']),
    format,
    {},
    { batchSize, ...schema },
  )) {
    if (batch.rejected) throw new Error(`${format}: ${batch.rejected[0]?.reason} (line ${batch.rejected[0]?.line})`);
    n += batch.records.length;
    if (schema?.schema) for (const r of batch.records) sum += r.qty as number;
    sample();
  }
  if (schema?.schema && sum !== checksum(rows))
    throw new Error(`${format}: qty adds up to ${sum}, not ${checksum(rows)}`);
  return n;
}

const runs: Run[] = [];
let writes: { format: FileFormat; seconds: number }[] = [];
try {
  progress(`generating ${fmt(rows)} rows × 10 columns in ${dir}`);
  writes = await generate();
  const schema = await inferFileSchema(fs.createReadStream(files.csv), 'csv');
  progress(`inferred: ${schema.fields.map((f) => `${f.name} ${f.type}`).join(', ')}`);
  runs.push(await measure('csv-parse (stream, columns: true)', files.csv, csvParseRun));
  runs.push(await measure('PapaParse (stream, header: true)', files.csv, papaRun));
  runs.push(await measure('uDSV (chunk, stringObjs)', files.csv, udsvRun));
  runs.push(await measure('read.ts CSV, text values', files.csv, (s) => readRun('csv', {}, s)));
  runs.push(
    await measure('read.ts CSV, schema (converted + validated)', files.csv, (s) => readRun('csv', { schema }, s)),
  );
  // Bulk import's dry run: the schema, plus a unique key, an allowed-values list and a pattern, nothing stored.
  runs.push(
    await measure('dry run CSV (schema, unique id, enum, pattern)', files.csv, async (s) => {
      const sampler = setInterval(s, 20);
      try {
        const report = await dryRun(
          fs.createReadStream(files.csv),
          'csv',
          {},
          {
            schema,
            unique: [['id']],
            enums: { active: [true, false] },
            patterns: { email: '[^@\\s]+@[^@\\s]+' },
          },
          { batchSize },
        );
        if (report.rejected) throw new Error(`dry run: ${report.firstErrors[0]?.reason}`);
        return report.records;
      } finally {
        clearInterval(sampler);
      }
    }),
  );
  runs.push(await measure('read.ts NDJSON, schema', files.ndjson, (s) => readRun('ndjson', { schema }, s)));
  runs.push(await measure('read.ts XML, schema', files.xml, (s) => readRun('xml', { schema }, s)));
} finally {
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
}

const rate = (r: Run) => r.rows / r.seconds;
const byName = (prefix: string) => runs.find((r) => r.name.startsWith(prefix)) as Run;
const csvParseRate = rate(byName('csv-parse'));
const typed = byName('read.ts CSV, schema');
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
const line = (name: string, value: string, note: string) =>
  console.log(`${name.padEnd(46)}${value.padStart(16)}  ${note}`);
const peakRss = Math.max(...runs.map((r) => r.peakRss));
console.log(
  `\nbench/files — ${fmt(rows)} rows × 10 columns (CSV ${fmt(byName('csv-parse').bytes / 2 ** 20)} MB); ` +
    `${os.cpus().length} CPUs; Node ${process.version}; one process, one run after the other`,
);
for (const r of runs) {
  const note =
    `${r.seconds.toFixed(2)} s, ${fmt(r.bytes / 2 ** 20 / r.seconds, 1)} MB/s, ${(rate(r) / csvParseRate).toFixed(2)}× csv-parse, ` +
    `${(rate(r) / rate(typed)).toFixed(2)}× read.ts typed, peak RSS ${fmt(r.peakRss / 2 ** 20)} MB` +
    (r === typed ? ` (goal ≥ 200,000 rows/s) ${verdict(rate(r) >= 200_000)}` : '');
  line(r.name, `${fmt(rate(r))} rows/s`, note);
}
for (const w of writes)
  line(`write.ts ${w.format.toUpperCase()}`, `${fmt(rows / w.seconds)} rows/s`, `${w.seconds.toFixed(2)} s`);
const dry = byName('dry run CSV');
line(
  'dry run / parse alone (read.ts typed)',
  `${(dry.seconds / typed.seconds).toFixed(2)}×`,
  `the time of parsing and validating alone (goal ≤ 1.5×) ${verdict(dry.seconds <= 1.5 * typed.seconds)}`,
);
line(
  'peak RSS of this process during the reads',
  `${fmt(peakRss / 2 ** 20)} MB`,
  `(goal ≤ 300 MB) ${verdict(peakRss <= 300 * 2 ** 20)}`,
);

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `files-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify({ rows, batchSize, node: process.version, runs, writes, peakRss }, null, 2),
);
