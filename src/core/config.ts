import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { parseCidrList, type Cidr } from './net/cidr.js';

/**
 * Every environment variable Switchyard reads, parsed once at start-up. Only this module touches `process.env`;
 * everything else receives a typed `Config`. A start with bad values fails listing every problem at once.
 */
const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 500ms, 30s, 15m, 12h or 7d')
  .transform(parseDuration);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  SWITCHYARD_DATA_DIR: z.string().min(1).default('./.switchyard'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// connection string')
    .optional(),
  SWITCHYARD_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SWITCHYARD_POSTGRES_BIN: z.string().min(1).optional(),
  SWITCHYARD_MASTER_KEY: z.string().min(1).optional(),
  SWITCHYARD_ADMIN_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  SWITCHYARD_ALLOW_PRIVATE_NETWORKS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseCidrList(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  SWITCHYARD_PUBLIC_URL: z.url().optional(),
  SWITCHYARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWITCHYARD_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  SWITCHYARD_RATE_LIMIT: z.coerce.number().int().min(1).default(6000),
  SWITCHYARD_SESSION_TTL: duration.default(parseDuration('12h')),
  SWITCHYARD_METRICS_PUBLIC: boolean.default(false),
  SWITCHYARD_ACCESS_LOG: z.enum(['all', 'changes', 'off']).default('changes'),
  SWITCHYARD_SHUTDOWN_TIMEOUT: duration.default(parseDuration('10s')),
  SWITCHYARD_TRUST_PROXY: boolean.default(false),
  SWITCHYARD_PROXY_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  SWITCHYARD_REQUEST_LOG_RETENTION: duration.default(parseDuration('30d')),
  SWITCHYARD_OAUTH_REFRESH_MARGIN: duration.default(parseDuration('5m')),
  SWITCHYARD_OAUTH_IDLE_REFRESH: duration.default(parseDuration('7d')),
  SWITCHYARD_OAUTH_REFRESH_TIMEOUT: duration.refine((ms) => ms >= 100, 'at least 100ms').default(parseDuration('30s')),
  SWITCHYARD_WEBHOOKS_ALLOW_HTTP: boolean.default(false),
  SWITCHYARD_WEBHOOK_TIMEOUT: duration.default(parseDuration('15s')),
  SWITCHYARD_WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('0s,5s,5m,30m,2h,5h,10h,10h')
    .transform((value, ctx) => {
      const parts = value.split(',').map((p) => p.trim());
      if (parts.length === 0 || parts.length > 50 || parts.some((p) => !/^\d+(ms|s|m|h|d)$/.test(p))) {
        ctx.addIssue({ code: 'custom', message: 'a comma-separated list of 1 to 50 durations, e.g. 0s,5s,5m,30m' });
        return z.NEVER;
      }
      return parts.map(parseDuration);
    }),
  SWITCHYARD_WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(0.5).default(0.2),
  SWITCHYARD_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(128),
  SWITCHYARD_WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  SWITCHYARD_WEBHOOK_DISABLE_AFTER: duration.default(parseDuration('5d')),
  SWITCHYARD_WEBHOOK_RETENTION: duration.default(parseDuration('30d')),
  SWITCHYARD_INBOUND_BODY_TIMEOUT: duration.default(parseDuration('10s')),
  SWITCHYARD_INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(32),
  SWITCHYARD_INBOUND_RETENTION: duration.default(parseDuration('30d')),
  SWITCHYARD_SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SWITCHYARD_SYNC_LEASE: duration.refine((ms) => ms >= 1000, 'at least 1s').default(parseDuration('60s')),
  SWITCHYARD_SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SWITCHYARD_STORAGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SWITCHYARD_STORAGE_LEASE: duration.refine((ms) => ms >= 1000, 'at least 1s').default(parseDuration('60s')),
  SWITCHYARD_FILES_DIR: z.string().min(1).optional(),
  SWITCHYARD_MAX_FILE_SIZE: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 ** 3),
  SWITCHYARD_FILES_QUOTA_BYTES: z.coerce.number().int().min(0).optional(),
  SWITCHYARD_FILES_S3_BUCKET: z.string().min(3).max(63).optional(),
  SWITCHYARD_FILES_S3_ENDPOINT: z.url().optional(),
  SWITCHYARD_FILES_S3_REGION: z.string().min(1).default('us-east-1'),
  SWITCHYARD_FILES_S3_PREFIX: z
    .string()
    .max(512)
    .regex(/^$|^[^/].*\/$/, 'empty, or a key prefix ending in / (not starting with one), e.g. switchyard/')
    .default(''),
  SWITCHYARD_FILES_S3_FORCE_PATH_STYLE: boolean.default(false),
  SWITCHYARD_FILES_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  SWITCHYARD_FILES_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  SWITCHYARD_SQLITE_DIR: z.string().min(1).optional(),
  SWITCHYARD_HEAP_GROWTH: z.coerce.number().int().min(0).max(400).default(50),
  SWITCHYARD_PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(17),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** The files store's directory (default: `files` in the data dir); nodes that share files share it. */
  filesDir: string;
  /** The largest file an upload may hold, in bytes. */
  maxFileBytes: number;
  /** Bytes a tenant's files may hold (distinct blobs) unless the tenant has its own quota; undefined: unlimited. */
  filesQuotaBytes: number | undefined;
  /** Keep the files store's bytes in an S3-compatible bucket instead of `filesDir` (which keeps temporary files). */
  filesS3: FilesS3Config | undefined;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  /** A directory with initdb and postgres for the embedded database, instead of the packaged ones. */
  postgresBin: string | undefined;
  masterKey: string | undefined;
  adminToken: string | undefined;
  allowPrivateNetworks: Cidr[];
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: number;
  /** Requests per minute per API key (or per client address for unauthenticated requests). */
  rateLimitPerMinute: number;
  sessionTtlMs: number;
  metricsPublic: boolean;
  /**
   * Which requests get an info-level access-log line: `all`; `changes` (writes, errors and requests slower than a
   * second — successful fast reads are logged at debug); `off`.
   */
  accessLog: 'all' | 'changes' | 'off';
  shutdownTimeoutMs: number;
  trustProxy: boolean;
  /** Largest request body the API proxy forwards, in bytes (streamed, never held whole). */
  proxyBodyLimit: number;
  /** How long connection request-log rows (proxied calls, tests) are kept. */
  requestLogRetentionMs: number;
  /** OAuth access tokens are refreshed this long before they expire (at most half their lifetime). */
  oauthRefreshMarginMs: number;
  /** OAuth credentials not refreshed for this long are refreshed in the background, so refresh tokens stay alive. */
  oauthIdleRefreshMs: number;
  /**
   * How long a refresh-token request waits for its answer. Once sent it is never sent again automatically (the
   * vendor may have rotated the token), so this is longer than other vendor timeouts.
   */
  oauthRefreshTimeoutMs: number;
  /** Accept plain-http webhook endpoint URLs anywhere (development); otherwise only for allowed private networks. */
  webhooksAllowHttp: boolean;
  /** Inbound webhooks (src/webhooks/inbound). */
  inbound: {
    /** A request body must arrive completely within this long (slow senders are cut off with 408). */
    bodyTimeoutMs: number;
    /** Inbound events routed at once on this node. */
    concurrency: number;
    /** How long inbound events (and rejected requests) are kept. */
    retentionMs: number;
  };
  /** Sync runs (src/sync/run). */
  sync: {
    /** Runs at once on this node. */
    concurrency: number;
    /** A run's lease: a run whose node stops heartbeating for this long resumes on another node. */
    leaseMs: number;
    /** Attempts (the first and the resumes after a node stopped) before a run is failed as stuck. */
    maxAttempts: number;
  };
  /** Cloud storage imports and exports (src/storage/transfers.ts). */
  storage: {
    /** Files transferred at once on this node. */
    concurrency: number;
    /** A file's lease, renewed at each checkpoint: past it, another node resumes the file from its checkpoint. */
    leaseMs: number;
  };
  /**
   * The directory SQLite connections may open database files in (src/connections/sqlite-path.ts); undefined: SQLite
   * connections are off, so no tenant can name a file of this machine.
   */
  sqliteDir: string | undefined;
  /**
   * How far the JavaScript heap may grow past what the last full collection found live before the next one, in
   * percent (src/core/heap.ts); 0 leaves it to V8, which lets a busy heap grow to up to four times its live size.
   */
  heapGrowthPercent: number;
  /**
   * log2 of scrypt's N for new password hashes (src/access/users/password.ts): 17 (OWASP's baseline, 128 MiB and
   * about half a second of CPU a hash); lower only where passwords protect nothing, such as a test environment.
   */
  passwordHashCost: number;
  /** Outbound webhook delivery (src/webhooks/dispatch). */
  webhooks: {
    /** Per attempt: connect, headers and body. */
    timeoutMs: number;
    /** Delay before each attempt, the first included; its length is the number of attempts. */
    retryDelaysMs: number[];
    /** Each retry delay moves by up to ± this fraction. */
    retryJitter: number;
    /** Attempts in flight on this node, all endpoints together. */
    concurrency: number;
    /** Attempts in flight on this node to one endpoint, so a slow endpoint cannot take every slot. */
    endpointConcurrency: number;
    /** An endpoint that has done nothing but fail for this long is disabled. */
    disableAfterMs: number;
    /** Deliveries and their attempts older than this are purged. */
    retentionMs: number;
  };
};

export type FilesS3Config = {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, Ceph, R2…); undefined: AWS. */
  endpoint: string | undefined;
  region: string;
  /** Prepended to every key: `<prefix>blobs/<tenant>/<sha[0:2]>/<sha>`. */
  prefix: string;
  forcePathStyle: boolean;
  /** Both, or neither (then the AWS SDK's default credential chain: environment, profile, instance role…). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
};

/** Parse configuration from an environment (defaults to `process.env`); throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  if ((e.SWITCHYARD_FILES_S3_ACCESS_KEY_ID === undefined) !== (e.SWITCHYARD_FILES_S3_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError([
      'SWITCHYARD_FILES_S3_ACCESS_KEY_ID and SWITCHYARD_FILES_S3_SECRET_ACCESS_KEY: set both, or neither (the AWS default chain)',
    ]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.SWITCHYARD_DATA_DIR),
    filesDir: path.resolve(e.SWITCHYARD_FILES_DIR ?? path.join(e.SWITCHYARD_DATA_DIR, 'files')),
    maxFileBytes: e.SWITCHYARD_MAX_FILE_SIZE,
    filesQuotaBytes: e.SWITCHYARD_FILES_QUOTA_BYTES,
    filesS3: e.SWITCHYARD_FILES_S3_BUCKET
      ? {
          bucket: e.SWITCHYARD_FILES_S3_BUCKET,
          endpoint: e.SWITCHYARD_FILES_S3_ENDPOINT,
          region: e.SWITCHYARD_FILES_S3_REGION,
          prefix: e.SWITCHYARD_FILES_S3_PREFIX,
          forcePathStyle: e.SWITCHYARD_FILES_S3_FORCE_PATH_STYLE,
          credentials:
            e.SWITCHYARD_FILES_S3_ACCESS_KEY_ID && e.SWITCHYARD_FILES_S3_SECRET_ACCESS_KEY
              ? {
                  accessKeyId: e.SWITCHYARD_FILES_S3_ACCESS_KEY_ID,
                  secretAccessKey: e.SWITCHYARD_FILES_S3_SECRET_ACCESS_KEY,
                }
              : undefined,
        }
      : undefined,
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.SWITCHYARD_DB_POOL_SIZE,
    postgresBin: e.SWITCHYARD_POSTGRES_BIN,
    masterKey: e.SWITCHYARD_MASTER_KEY,
    adminToken: e.SWITCHYARD_ADMIN_TOKEN,
    allowPrivateNetworks: e.SWITCHYARD_ALLOW_PRIVATE_NETWORKS,
    publicUrl: (e.SWITCHYARD_PUBLIC_URL ?? `http://${hostForUrl(e.HOST)}:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.SWITCHYARD_LOG_LEVEL,
    bodyLimit: e.SWITCHYARD_BODY_LIMIT,
    rateLimitPerMinute: e.SWITCHYARD_RATE_LIMIT,
    sessionTtlMs: e.SWITCHYARD_SESSION_TTL,
    metricsPublic: e.SWITCHYARD_METRICS_PUBLIC,
    accessLog: e.SWITCHYARD_ACCESS_LOG,
    shutdownTimeoutMs: e.SWITCHYARD_SHUTDOWN_TIMEOUT,
    trustProxy: e.SWITCHYARD_TRUST_PROXY,
    proxyBodyLimit: e.SWITCHYARD_PROXY_BODY_LIMIT,
    requestLogRetentionMs: e.SWITCHYARD_REQUEST_LOG_RETENTION,
    oauthRefreshMarginMs: e.SWITCHYARD_OAUTH_REFRESH_MARGIN,
    oauthIdleRefreshMs: e.SWITCHYARD_OAUTH_IDLE_REFRESH,
    oauthRefreshTimeoutMs: e.SWITCHYARD_OAUTH_REFRESH_TIMEOUT,
    webhooksAllowHttp: e.SWITCHYARD_WEBHOOKS_ALLOW_HTTP,
    inbound: {
      bodyTimeoutMs: e.SWITCHYARD_INBOUND_BODY_TIMEOUT,
      concurrency: e.SWITCHYARD_INBOUND_CONCURRENCY,
      retentionMs: e.SWITCHYARD_INBOUND_RETENTION,
    },
    sync: {
      concurrency: e.SWITCHYARD_SYNC_CONCURRENCY,
      leaseMs: e.SWITCHYARD_SYNC_LEASE,
      maxAttempts: e.SWITCHYARD_SYNC_MAX_ATTEMPTS,
    },
    storage: { concurrency: e.SWITCHYARD_STORAGE_CONCURRENCY, leaseMs: e.SWITCHYARD_STORAGE_LEASE },
    sqliteDir: e.SWITCHYARD_SQLITE_DIR === undefined ? undefined : path.resolve(e.SWITCHYARD_SQLITE_DIR),
    heapGrowthPercent: e.SWITCHYARD_HEAP_GROWTH,
    passwordHashCost: e.SWITCHYARD_PASSWORD_HASH_COST,
    webhooks: {
      timeoutMs: e.SWITCHYARD_WEBHOOK_TIMEOUT,
      retryDelaysMs: e.SWITCHYARD_WEBHOOK_RETRY_SCHEDULE,
      retryJitter: e.SWITCHYARD_WEBHOOK_RETRY_JITTER,
      concurrency: e.SWITCHYARD_WEBHOOK_CONCURRENCY,
      endpointConcurrency: e.SWITCHYARD_WEBHOOK_ENDPOINT_CONCURRENCY,
      disableAfterMs: e.SWITCHYARD_WEBHOOK_DISABLE_AFTER,
      retentionMs: e.SWITCHYARD_WEBHOOK_RETENTION,
    },
  };
}

/** The documented variables, for the README table and `switchyard serve --help`. */
export const configVariables = Object.keys(envSchema.shape);

/** An empty string means "unset": `FOO= switchyard serve` must not turn into an invalid value. */
function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of configVariables) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
