/**
 * bench/storage/run.ts — imports from an S3-compatible bucket (a real `s3rver` in its own process) into the files
 * store, run by `switchyard serve` (from the build, dist/) with its storage worker, beside a bare streamed copy of the
 * same objects in the same run:
 *
 *   npm run bench:storage -- [--files 1000] [--file-kb 1024] [--big-mb 2048] [--concurrency 4] [--rounds 3]
 *                            [--database embedded|postgres]
 *
 * Two workloads: `--files` objects of `--file-kb` each under one prefix (imported as one folder, which the import
 * lists and expands), `--rounds` times, each round its own objects (so no round finds the last one's bytes already
 * stored) and each bare copy beside its round's import, the median of the rounds' ratios reported; and one object
 * of `--big-mb`. Each is written to the bucket with a single PUT, so its ETag is
 * its MD5 and Switchyard verifies every download against it.
 * - Baseline: a bare streamed copy of the same objects with the AWS SDK — GetObject piped into a file
 *   (`stream.pipeline`), as many at once as the storage worker runs (`--concurrency`, 4 by default), no hashing, no database.
 * - Switchyard: `POST /v1/storage/imports` through an `amazon_s3` connection, until the import ends: every file
 *   downloaded through the connection's proxy call, hashed (SHA-256 for the store, MD5 to verify), checkpointed,
 *   stored and recorded. MB/s is the payload over the wall time from the request to the end.
 * - Peak RSS of the Switchyard process during the large file (sampled every 100 ms). Goals: ≥ 0.8× the baseline's MB/s
 *   for both workloads, RSS ≤ 300 MB.
 * Each import is checked: every file stored, MD5-verified, and the large file's SHA-256 equal to the object's.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { randomToken } from '../../src/core/ids.js';
import { startS3rver } from '../../test/helpers/s3rver-process.js';
import { benchApi } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt, median } from '../lib/load.js';
import { freePort, residentBytes, startProcess, stopProcess } from '../lib/processes.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    'file-kb': { type: 'string', default: '1024' },
    'big-mb': { type: 'string', default: '2048' },
    database: { type: 'string', default: 'embedded' },
    /** Files at once: the storage worker's SWITCHYARD_STORAGE_CONCURRENCY, and the bare copy's lanes. */
    concurrency: { type: 'string', default: '4' },
    /** Rounds of the small files (bare copy, then import): on a busy 2-core machine one pair swings by a third. */
    rounds: { type: 'string', default: '3' },
    'log-level': { type: 'string', default: 'warn' },
    'profile-dir': { type: 'string' },
  },
});
const fileCount = Number(values.files);
const fileBytes = Number(values['file-kb']) * 1024;
const bigBytes = Number(values['big-mb']) * 2 ** 20;
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:storage does it for you).');
const progress = (text: string) => process.stderr.write(`  ${text}\n`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-storage-'));
const BUCKET = 'bench';

const s3server = await startS3rver([BUCKET]);
const s3 = new S3Client({
  endpoint: s3server.url,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  // s3rver stores an aws-chunked body (the SDK's default for streams, with a checksum trailer) as it arrives.
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

/** Random bytes (incompressible), in 8 MiB pieces. */
function* randomChunks(size: number): Generator<Buffer> {
  for (let left = size; left > 0; left -= 8 * 2 ** 20) yield randomBytes(Math.min(left, 8 * 2 ** 20));
}

progress(
  `writing ${fmt(ROUNDS)} × ${fmt(fileCount)} objects of ${fmt(fileBytes / 1024)} KB and one of ` +
    `${fmt(bigBytes / 2 ** 20)} MB`,
);
/** Each round's object keys, under its own prefix `small-<round>/`. */
const smallKeys: string[][] = [];
for (let round = 0; round < ROUNDS; round++) {
  const keys: string[] = [];
  for (let i = 0; i < fileCount; i += CONCURRENCY * 4) {
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY * 4, fileCount - i) }, async (_, j) => {
        const key = `small-${round + 1}/part-${String(i + j).padStart(5, '0')}.bin`;
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: randomBytes(fileBytes) }));
        keys.push(key);
      }),
    );
  }
  smallKeys.push(keys);
}
const bigLocal = path.join(dir, 'big.bin');
const bigHash = createHash('sha256');
{
  const out = fs.createWriteStream(bigLocal);
  for (const chunk of randomChunks(bigBytes)) {
    bigHash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
const bigSha256 = bigHash.digest('hex');
await s3.send(
  new PutObjectCommand({
    Bucket: BUCKET,
    Key: 'big/blob.bin',
    Body: fs.createReadStream(bigLocal),
    ContentLength: bigBytes,
  }),
);
fs.rmSync(bigLocal);

/**
 * Start a phase with nothing left to write back: without it, the gigabytes the last phase wrote go to the disk during
 * the next one, and a phase that flushes (an import checkpoints and syncs its files) waits behind them.
 */
function settle(): void {
  execFileSync('sync');
}

/** The baseline: GetObject piped into a file, `CONCURRENCY` at once. */
async function bareCopy(keys: string[]): Promise<number> {
  const out = fs.mkdtempSync(path.join(dir, 'copy-'));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, keys.length) }, async () => {
      while (next < keys.length) {
        const key = keys[next++] as string;
        const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
        await pipeline(got.Body as Readable, fs.createWriteStream(path.join(out, key.replace(/\//g, '_'))));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(out, { recursive: true, force: true });
  return seconds;
}

const dataDir = path.join(dir, 'switchyard');
const admin = randomToken('syk_');
const syUrl = `http://127.0.0.1:${await freePort()}`;
const db = await benchDatabase(values.database === 'postgres' ? process.env.DATABASE_URL : undefined);
const switchyard = await startProcess(
  process.execPath,
  [...(values['profile-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`] : []), entry, 'serve'],
  {
    PORT: new URL(syUrl).port,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    SWITCHYARD_STORAGE_CONCURRENCY: String(CONCURRENCY),
    ...db.env,
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
);
process.once('exit', () => switchyard.kill());
const api = benchApi(syUrl, admin);
let peakRss = 0;
let sampling: NodeJS.Timeout | undefined;

type Transfer = {
  id: string;
  state: string;
  finished_at: string | null;
  counts: { files: number; stored: number; failed: number; bytes_done: number };
};

/** Import these items; answers the wall time from the request to the import's end. */
async function importItems(connectionId: string, items: string[], folder: string) {
  const startedAt = Date.now();
  const made = (await api.call('POST', '/v1/storage/imports', {
    connection_id: connectionId,
    root: BUCKET,
    items,
    folder,
  })) as Transfer;
  let t = made;
  while (!t.finished_at) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    t = (await api.call('GET', `/v1/storage/imports/${made.id}`)) as Transfer;
  }
  // To the import's own end (the server's clock, this machine's), so the polling interval does not count.
  const seconds = (Date.parse(t.finished_at) - startedAt) / 1000;
  if (t.state !== 'succeeded') throw new Error(`import ${t.id} ended ${t.state}: ${JSON.stringify(t.counts)}`);
  const files = (await api.call('GET', `/v1/storage/imports/${t.id}/files?limit=1000&state=stored`)) as {
    data: { verification: { by: string } | null; file_id: string }[];
  };
  if (files.data.some((f) => f.verification?.by !== 'md5')) throw new Error('a file was not verified by its MD5');
  return { seconds, transfer: t, files: files.data };
}

const results: Record<string, unknown> = { fileCount, fileBytes, bigBytes, database: db.kind };
try {
  const connection = await api.call('POST', '/v1/connections', {
    connector: 'amazon_s3',
    name: 'Bench bucket',
    auth_method: 'aws_sigv4',
    credentials: { access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
    config: { endpoint: s3server.url, region: 'us-east-1' },
  });
  const connectionId = connection.id as string;

  const smallMb = (fileCount * fileBytes) / 2 ** 20;
  const smallRounds: { bare: number; switchyard: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`round ${round} of ${ROUNDS}: bare copy of the small objects`);
    settle();
    const bare = await bareCopy(smallKeys[round - 1] as string[]);
    progress(`round ${round} of ${ROUNDS}: Switchyard import of ${fmt(fileCount)} small objects`);
    settle();
    const small = await importItems(connectionId, [`small-${round}/`], `/bench/small-${round}`);
    if (small.transfer.counts.stored !== fileCount) throw new Error(`stored ${small.transfer.counts.stored} files`);
    smallRounds.push({ bare: smallMb / bare, switchyard: smallMb / small.seconds });
  }

  progress('bare copy of the large object');
  settle();
  const bareBig = await bareCopy(['big/blob.bin']);
  progress('Switchyard import of the large object');
  settle();
  sampling = setInterval(() => {
    void residentBytes(switchyard.pid as number).then((bytes) => (peakRss = Math.max(peakRss, bytes ?? 0)));
  }, 100);
  const big = await importItems(connectionId, ['big/blob.bin'], '/bench/big');
  clearInterval(sampling);
  const bigFile = (await api.call('GET', `/v1/files/${big.files[0]?.file_id as string}`)) as { sha256: string };
  if (bigFile.sha256 !== bigSha256) throw new Error('the large file was stored with other bytes');

  const bigMb = bigBytes / 2 ** 20;
  const smallRatios = smallRounds.map((r) => r.switchyard / r.bare);
  const rates = {
    bareSmall: median(smallRounds.map((r) => r.bare)),
    small: median(smallRounds.map((r) => r.switchyard)),
    bareBig: bigMb / bareBig,
    big: bigMb / big.seconds,
  };
  const smallRatio = median(smallRatios);
  Object.assign(results, {
    smallRounds,
    seconds: { bareBig, big: big.seconds },
    rates,
    smallRatio,
    peakRss,
  });
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const line = (name: string, value: string, note: string) =>
    console.log(`${name.padEnd(46)}${value.padStart(14)}  ${note}`);
  console.log(
    `\nbench/storage — s3rver (its own process) → the files store; Switchyard's database ${describeDatabase(db.kind)}; ` +
      `${os.cpus().length} CPUs; Node ${process.version}; ${CONCURRENCY} transfers at once`,
  );
  line(
    `bare streamed copy, ${fmt(fileCount)} × ${fmt(fileBytes / 1024)} KB`,
    `${rates.bareSmall.toFixed(1)} MB/s`,
    `median of ${ROUNDS} rounds (baseline)`,
  );
  line(
    `Switchyard import, ${fmt(fileCount)} × ${fmt(fileBytes / 1024)} KB`,
    `${rates.small.toFixed(1)} MB/s`,
    `median of ${ROUNDS} rounds; ${smallRatio.toFixed(2)}×, the median of the rounds' ratios ` +
      `${smallRatios.map((r) => `${r.toFixed(2)}×`).join(' ')} (goal ≥ 0.8×) ${verdict(smallRatio >= 0.8)}`,
  );
  line(
    `bare streamed copy, 1 × ${fmt(bigMb)} MB`,
    `${rates.bareBig.toFixed(1)} MB/s`,
    `${bareBig.toFixed(2)} s (baseline)`,
  );
  line(
    `Switchyard import, 1 × ${fmt(bigMb)} MB`,
    `${rates.big.toFixed(1)} MB/s`,
    `${big.seconds.toFixed(2)} s, ${(rates.big / rates.bareBig).toFixed(2)}× (goal ≥ 0.8×) ` +
      verdict(rates.big / rates.bareBig >= 0.8),
  );
  line(
    'peak RSS of Switchyard, importing the large file',
    `${fmt(peakRss / 2 ** 20)} MB`,
    `(goal ≤ 300 MB) ${verdict(peakRss <= 300 * 2 ** 20)}`,
  );
} finally {
  if (sampling) clearInterval(sampling);
  await stopProcess(switchyard);
  await db.drop();
  s3.destroy();
  await s3server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `storage-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify(results, null, 2),
);
