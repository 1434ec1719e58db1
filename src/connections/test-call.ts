import type { AuthMethod } from '../catalog/manifest/auth.js';
import type { HttpTest, Manifest } from '../catalog/manifest/manifest.js';
import { displayableText } from '../core/db/jsonb-text.js';
import type { Outbound, OutboundRequest } from '../core/net/http-client.js';
import { classifyRequestError } from '../core/net/request-failure.js';
import { applyAuth } from './auth/apply.js';
import { testDatabase } from './db-test.js';
import { testRedis } from './redis-test.js';
import { testMysql } from './db-test-mysql.js';
import { testSqlite } from './db-test-sqlite.js';
import { matchesRule, readValue, type VendorResponse } from './responses.js';
import { render, renderJson } from './templates.js';

/**
 * Seed 003's test outcomes, plus two that still leave the connection active: `connected_limited` (a valid
 * credential the test call cannot fully use, e.g. a restricted key; the vendor's message says what is limited) and
 * `unverified` (the vendor offers no call that tells a valid credential from an unknown one; the manifest's reason
 * says so). The test never changes vendor state: manifests declare read-only calls.
 */
export type TestOutcome =
  | { outcome: 'connected'; account_id: string | null; account_name: string | null; status: number | null }
  | {
      outcome: 'connected_limited';
      account_id: string | null;
      account_name: string | null;
      status: number;
      message: string;
    }
  | { outcome: 'unverified'; account_id: null; account_name: null; status: null; message: string }
  | { outcome: 'credential_expired' | 'credential_revoked'; status: number; message: string }
  | { outcome: 'scope_insufficient'; status: number; missing_scopes: string[]; message: string }
  | { outcome: 'vendor_error'; status: number | null; vendor_code: string | null; message: string }
  | { outcome: 'network_error'; message: string };

/** The outcomes after which a connection is usable (active). */
export type PassedOutcome = Extract<TestOutcome, { outcome: 'connected' | 'connected_limited' | 'unverified' }>;

export function passed(outcome: TestOutcome): outcome is PassedOutcome {
  return outcome.outcome === 'connected' || outcome.outcome === 'connected_limited' || outcome.outcome === 'unverified';
}

/** The test a connection's method uses: the method's own, else the manifest's. */
export function testFor(manifest: Manifest, auth: AuthMethod): Manifest['test'] {
  return auth.test ?? manifest.test;
}

export type TestRun = {
  outcome: TestOutcome;
  /**
   * The SSRF guard refused the destination, so nothing was sent (the outcome is a network_error saying why): a
   * policy refusal, which a request that only runs the test to decide answers as `destination_blocked`.
   */
  blocked?: true;
  log: {
    method: string;
    path: string;
    status: number | null;
    latencyMs: number;
    bytesIn: number;
    bytesOut: number;
    error: string | null;
  };
};

export type TestInput = {
  manifest: Manifest;
  auth: AuthMethod;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  outbound: Outbound;
  allow: Parameters<typeof testDatabase>[1]['allow'];
  /** The directory SQLite connections may open files in (SWITCHYARD_SQLITE_DIR); unset: SQLite is off. */
  sqliteDir?: string | undefined;
  /** Where a file of the tenant's files store is, for a SQLite connection naming `files:<id>` (sqlite-path.ts). */
  sqliteFile?: ((fileId: string) => Promise<string | undefined>) | undefined;
  timeoutMs?: number;
};

const NOT_SENT: TestRun['log'] = {
  method: 'NONE',
  path: '',
  status: null,
  latencyMs: 0,
  bytesIn: 0,
  bytesOut: 0,
  error: null,
};

export async function runTestCall(input: TestInput): Promise<TestRun> {
  const run = await runTest(input);
  const error = run.log.error === null ? null : displayableText(run.log.error);
  return { ...run, outcome: storableOutcome(run.outcome), log: { ...run.log, error } };
}

/**
 * The outcome with every text in it made storable (core/db/jsonb-text.ts). A vendor's answer may hold a lone UTF-16
 * surrogate escape (`"\ud800"`) or a NUL character in what becomes the account id or name, the vendor code or the
 * message, and the outcome is kept as jsonb (on the connection, in its event and audit entry), which refuses both:
 * the whole create, edit or test failed with a 500. A message cut at 300 characters may also split a surrogate pair.
 */
function storableOutcome(outcome: TestOutcome): TestOutcome {
  const storable = (value: unknown): unknown =>
    typeof value === 'string' ? displayableText(value) : Array.isArray(value) ? value.map(storable) : value;
  return Object.fromEntries(Object.entries(outcome).map(([key, value]) => [key, storable(value)])) as TestOutcome;
}

async function runTest(input: TestInput): Promise<TestRun> {
  const test = testFor(input.manifest, input.auth);
  if (!test) {
    const outcome: TestOutcome = { outcome: 'connected', account_id: null, account_name: null, status: null };
    return { outcome, log: NOT_SENT };
  }
  if (test.kind === 'none') {
    // Nothing is sent: a call would answer the same for any key, so it could only mislead.
    const outcome: TestOutcome = {
      outcome: 'unverified',
      account_id: null,
      account_name: null,
      status: null,
      message: test.reason,
    };
    return { outcome, log: NOT_SENT };
  }
  if (test.kind === 'driver') {
    const options = { allow: input.allow, query: test.query, timeoutMs: input.timeoutMs ?? 10_000 };
    if (test.driver === 'redis') return testRedis(input, options);
    if (test.driver === 'mysql') return testMysql(input, options);
    if (test.driver === 'sqlite')
      return testSqlite(input, { root: input.sqliteDir, query: test.query, storedFile: input.sqliteFile });
    return testDatabase(input, options);
  }
  return runHttpTest(input, test);
}

async function runHttpTest(input: TestInput, test: HttpTest): Promise<TestRun> {
  const ctx = { config: input.config, credentials: input.credentials };
  const base = input.manifest.base_url ? render(input.manifest.base_url, ctx) : '';
  const path = render(test.request.path, ctx) || '/';
  const started = performance.now();
  const log: TestRun['log'] = {
    method: test.request.method,
    path,
    status: null,
    latencyMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    error: null,
  };
  let url: URL;
  try {
    url = /^https?:\/\//.test(path) ? new URL(path) : joinUrl(base, path);
  } catch {
    log.error = 'invalid URL';
    return {
      outcome: {
        outcome: 'vendor_error',
        status: null,
        vendor_code: null,
        message: `The base URL "${base}" is not a valid URL.`,
      },
      log,
    };
  }
  for (const [k, v] of Object.entries(test.request.query)) url.searchParams.set(k, render(v, ctx));
  // The body's strings are templates too (a query naming the configured site or account).
  const body =
    test.request.body === undefined ? undefined : Buffer.from(JSON.stringify(renderJson(test.request.body, ctx)));
  const req: OutboundRequest = {
    method: test.request.method,
    url,
    headers: {
      accept: 'application/json',
      'user-agent': 'Switchyard',
      ...lower(test.request.headers, ctx),
      // The vendor's constant headers win over the test's own, as over a proxied caller's (manifest `headers`).
      ...lower(input.manifest.headers ?? {}, ctx),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body } : {}),
  };
  let tls: Awaited<ReturnType<typeof applyAuth>>['tls'];
  try {
    ({ tls } = await applyAuth(req, { method: input.auth, config: input.config, credentials: input.credentials }));
  } catch (error) {
    // The credentials could not be applied (a signing key that does not read, or does not fit the algorithm):
    // nothing was sent, so this is no network failure. Like an unusable base URL, it is reported without a status.
    log.error = (error as Error).message;
    const message = `The ${input.auth.type} credentials could not be used to authenticate the request: ${log.error}`;
    return { outcome: { outcome: 'vendor_error', status: null, vendor_code: null, message }, log };
  }
  try {
    log.bytesOut = body?.length ?? 0;
    const res = await input.outbound.send(req, { ...(tls ? { tls } : {}), timeoutMs: input.timeoutMs ?? 10_000 });
    log.status = res.status;
    log.bytesIn = res.body.length;
    log.latencyMs = performance.now() - started;
    const text = res.body.toString('utf8');
    // Paths to read values from may be templates too (the generic connector takes its account-id path from config).
    const rendered = {
      ...test,
      ...(test.account_id ? { account_id: { ...test.account_id, path: render(test.account_id.path, ctx) } } : {}),
    };
    return {
      outcome: classify(rendered, { status: res.status, headers: res.headers, text, json: parseJson(text) }),
      log,
    };
  } catch (error) {
    log.latencyMs = performance.now() - started;
    log.error = (error as Error).message;
    const failure = classifyRequestError(error, { url });
    const outcome: TestOutcome = { outcome: 'network_error', message: failure.message };
    return { outcome, log, ...(failure.kind === 'blocked' ? { blocked: true as const } : {}) };
  }
}

/** Outcome rules first (they are more specific; vendor_error rules before all), then the success rule, then defaults by status. */
export function classify(test: HttpTest, res: VendorResponse): TestOutcome {
  const message = vendorMessage(res);
  // Answers the manifest says are the vendor's error (a 401 from an IP allow-list) never read as a credential outcome.
  if (test.outcomes.vendor_error.some((r) => matchesRule(res, r))) {
    const vendorCode = test.vendor_code ? (readValue(res, test.vendor_code) ?? null) : null;
    return { outcome: 'vendor_error', status: res.status, vendor_code: vendorCode, message };
  }
  if (test.outcomes.credential_expired.some((r) => matchesRule(res, r)))
    return { outcome: 'credential_expired', status: res.status, message };
  if (test.outcomes.credential_revoked.some((r) => matchesRule(res, r)))
    return { outcome: 'credential_revoked', status: res.status, message };
  if (test.outcomes.scope_insufficient.some((r) => matchesRule(res, r))) return scopeInsufficient(test, res, message);
  if (test.outcomes.connected_limited.some((r) => matchesRule(res, r))) {
    return {
      outcome: 'connected_limited',
      account_id: test.account_id ? (readValue(res, test.account_id) ?? null) : null,
      account_name: test.account_name ? (readValue(res, test.account_name) ?? null) : null,
      status: res.status,
      message,
    };
  }
  if (matchesRule(res, test.success)) {
    return {
      outcome: 'connected',
      account_id: test.account_id ? (readValue(res, test.account_id) ?? null) : null,
      account_name: test.account_name ? (readValue(res, test.account_name) ?? null) : null,
      status: res.status,
    };
  }
  if (res.status === 401) return { outcome: 'credential_revoked', status: res.status, message };
  // A bare 403 can mean many things (IP allow-lists, a suspended account, a plan limit); only the standard
  // RFC 6750 header makes it a scope problem without a manifest rule saying so.
  if (res.status === 403 && wwwAuthenticateScope(res) !== undefined) return scopeInsufficient(test, res, message);
  return {
    outcome: 'vendor_error',
    status: res.status,
    vendor_code: test.vendor_code ? (readValue(res, test.vendor_code) ?? null) : null,
    message,
  };
}

function scopeInsufficient(test: HttpTest, res: VendorResponse, message: string): TestOutcome {
  // The manifest's place first; the standard header when the body does not say (a gateway in front of the API
  // answering with RFC 6750 instead of the vendor's own error shape).
  const listed = (test.missing_scopes && readValue(res, test.missing_scopes)) ?? wwwAuthenticateScope(res);
  const missing = listed
    ? listed
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/)
        .map((s) => s.replace(/^"|"$/g, ''))
        .filter(Boolean)
    : [];
  return { outcome: 'scope_insufficient', status: res.status, missing_scopes: missing, message };
}

/** RFC 6750: `WWW-Authenticate: Bearer error="insufficient_scope", scope="a b"`. */
function wwwAuthenticateScope(res: VendorResponse): string | undefined {
  const header = res.headers['www-authenticate'];
  return header?.includes('insufficient_scope') ? (/scope="([^"]*)"/.exec(header)?.[1] ?? '') : undefined;
}

function vendorMessage(res: VendorResponse): string {
  const json = res.json as Record<string, unknown> | undefined;
  const candidate =
    json?.error_description ??
    json?.message ??
    (json?.error as Record<string, unknown> | undefined)?.message ??
    json?.error;
  const text = typeof candidate === 'string' ? candidate : res.text;
  return `${res.status}: ${text.slice(0, 300)}`.trim();
}

export function joinUrl(base: string, path: string): URL {
  const url = new URL(base);
  const [pathname = '', query] = path.split('?', 2);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/${pathname.replace(/^\//, '')}`;
  if (query) for (const [k, v] of new URLSearchParams(query)) url.searchParams.append(k, v);
  return url;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function lower(headers: Record<string, string>, ctx: Parameters<typeof render>[1]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), render(v, ctx)]));
}
