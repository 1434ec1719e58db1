import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { insertRole } from '../../src/access/roles/sql.js';
import { hashPassword } from '../../src/access/users/password.js';
import { insertUser } from '../../src/access/users/sql.js';
import { newId } from '../../src/core/ids.js';
import type { ApiResult } from '../../sdk/index.js';
import type { Json, TestApp, TestResponse } from './app.js';

/** Fixtures written straight to the database (no HTTP, no audit entries), for tests about other endpoints. */

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

export type UserFixture = { id: string; email: string; password: string; role: string };

export async function createUser(
  t: TestApp,
  options: { role?: string; superuser?: boolean; tenantId?: string; email?: string; password?: string } = {},
): Promise<UserFixture> {
  const email = options.email ?? `${uniqueName('user')}@example.test`;
  const password = options.password ?? `pw-${randomBytes(12).toString('hex')}`;
  const role = options.role ?? 'viewer';
  const row = await insertUser(t.db, {
    id: newId('usr'),
    tenant_id: options.tenantId ?? t.tenantId,
    email,
    name: 'Fixture user',
    role,
    superuser: options.superuser ?? false,
    password_hash: await hashPassword(password),
  });
  return { id: row.id, email, password, role };
}

export async function createRole(t: TestApp, capabilities: string[], tenantId = t.tenantId): Promise<string> {
  const row = await insertRole(t.db, {
    id: newId('role'),
    tenant_id: tenantId,
    name: uniqueName('role'),
    description: '',
    capabilities,
  });
  return row.id;
}

/** Create a secret through the API (sealing needs the vault); returns its name. */
export async function createSecret(t: TestApp, value: string, token?: string | null, name = uniqueName('S')) {
  const res = await t.request({ method: 'POST', url: '/v1/secrets', body: { name, value }, token });
  expect(res.statusCode, res.body).toBe(201);
  return name;
}

export type Session = {
  token: string;
  csrf: string;
  /** The cookies a browser would send back. */
  cookies: Record<string, string>;
  response: TestResponse;
};

export async function signIn(t: TestApp, user: { email: string; password: string }): Promise<Session> {
  const response = await t.request({
    method: 'POST',
    url: '/v1/sessions',
    token: null,
    body: { email: user.email, password: user.password, return_token: true },
  });
  expect(response.statusCode, response.body).toBe(201);
  const cookies = Object.fromEntries(response.cookies.map((c) => [c.name, c.value]));
  return { token: response.data.token as string, csrf: response.data.csrf_token as string, cookies, response };
}

/** Row counts of the given tables, to prove a rejected write changed nothing. */
export async function rowCounts(t: TestApp, tables: string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  // One statement for all of them: tests take counts before and after every refused request.
  const { rows } = await t.db.query<{ name: string; n: number }>(
    tables.map((table, i) => `select $${i + 1}::text as name, count(*)::int as n from ${table}`).join(' union all '),
    tables,
  );
  return Object.fromEntries(tables.map((table) => [table, rows.find((r) => r.name === table)?.n ?? 0]));
}

/** Every table of the test schema. */
export async function tableNames(t: TestApp): Promise<string[]> {
  const { rows } = await t.db.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'
     order by table_name`,
    [t.testDb.schema],
  );
  return rows.map((r) => r.table_name);
}

export type AuditRowView = {
  id: string;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  status_code: number | null;
  error_code: string | null;
  request_id: string | null;
  diff: Json;
};

/** A response of either client: `TestApp.request` or the typed SDK client (`TestApp.api`). */
/** An inject response, a typed client's result, or any answer read into the same fields (a `fetch` one). */
export type AnyResponse = Pick<TestResponse, 'statusCode' | 'headers' | 'data'> | ApiResult<unknown>;

/** The `x-request-id` a response carries. */
export function requestIdOf(
  res: Pick<TestResponse, 'headers'> | Pick<ApiResult<unknown>, 'response'>,
): string | undefined {
  const id = 'response' in res ? res.response.headers.get('x-request-id') : res.headers['x-request-id'];
  return id === null || id === undefined ? undefined : String(id);
}

/** The audit entries a request wrote, found by its `x-request-id`. */
export async function auditOf(
  t: TestApp,
  res: Pick<TestResponse, 'headers'> | Pick<ApiResult<unknown>, 'response'>,
): Promise<AuditRowView[]> {
  const { rows } = await t.db.query<AuditRowView>('select * from audit_log where request_id = $1', [requestIdOf(res)]);
  return rows;
}

/** Assert an RFC 9457 problem response with the given status and code, from either client. */
export function expectProblem(res: AnyResponse, status: number, code: string): void {
  const seen =
    'response' in res
      ? { status: res.response.status, type: res.response.headers.get('content-type'), body: res.error }
      : { status: res.statusCode, type: res.headers['content-type'], body: res.data };
  expect(seen.status, JSON.stringify(seen.body)).toBe(status);
  expect(seen.type).toMatch(/^application\/problem\+json/);
  expect(seen.body).toMatchObject({ status, code, type: `/docs/errors#${code}` });
  expect(typeof seen.body?.title).toBe('string');
  expect(typeof seen.body?.detail).toBe('string');
  expect(seen.body?.request_id).toBe(requestIdOf(res));
}
