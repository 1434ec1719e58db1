import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, createUser, rowCounts, type AuditRowView } from '../../test/helpers/fixtures.js';
import { createSampleFixtures, sampleRequest, type SampleFixtures } from '../../test/helpers/route-samples.js';
import { isAudited, isMutating } from '../core/http/route.js';
import { generateMasterKey } from '../vault/keyring.js';

/** One audit entry per mutating request, whatever its outcome; none for requests nobody can be held to. */
let t: TestApp;
let fixtures: SampleFixtures;
beforeEach(async () => {
  // Two environment keys, so the master-key rotation succeeds.
  t = await createTestApp({ masterKey: `${generateMasterKey()},${generateMasterKey()}` });
  fixtures = await createSampleFixtures(t);
});
afterEach(async () => {
  await t.close();
});

// Mutating routes that declared `audit: false` (the API proxy changes nothing in Switchyard) write no entry.
const mutatingRoutes = () => t.built.routes.filter((r) => isMutating(r.method)).filter(isAudited);
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

function expectOne(rows: AuditRowView[], what: string): AuditRowView {
  expect(rows, what).toHaveLength(1);
  return rows[0] as AuditRowView;
}

describe('audit entries', () => {
  it('every mutating route writes exactly one success entry naming actor, tenant, action, target and request', async () => {
    const superuser = { name: 'superuser', token: t.adminToken, newUser: () => createUser(t, { superuser: true }) };
    expect(mutatingRoutes().length).toBeGreaterThan(10);
    for (const route of mutatingRoutes()) {
      const sample = await sampleRequest(key(route), fixtures, superuser);
      const token = sample.token ?? (route.access === 'public' ? null : t.adminToken);
      const res = await t.request({ ...sample, token });
      expect(res.statusCode, `${key(route)}: ${res.body}`).toBeLessThan(300);
      const entry = expectOne(await auditOf(t, res), key(route));
      expect(entry, key(route)).toMatchObject({
        tenant_id: t.tenantId,
        action: route.audit?.action,
        target_type: route.audit?.targetType,
        outcome: 'success',
        status_code: res.statusCode,
        error_code: null,
        request_id: res.headers['x-request-id'],
      });
      expect(entry.actor_id, key(route)).toBeTruthy();
      // The target is the record acted on: named in the URL or in the response.
      expect(entry.target_id, key(route)).toBeTruthy();
      const named = sample.url.includes(entry.target_id as string) || res.body.includes(entry.target_id as string);
      const self = key(route) === 'DELETE /v1/sessions/current' && entry.target_id === entry.actor_id;
      expect(named || self, `${key(route)} target ${entry.target_id}`).toBe(true);
    }
  });

  it('a request denied for want of a capability writes one `denied` entry with its error code', async () => {
    const viewer = await t.keyWithRole('viewer');
    for (const route of mutatingRoutes().filter((r) => typeof r.access === 'object')) {
      const sample = await sampleRequest(key(route), fixtures, {
        name: 'viewer',
        token: viewer.token,
        newUser: () => createUser(t),
      });
      const res = await t.request({ ...sample, token: viewer.token });
      expect(res.statusCode, key(route)).toBe(403);
      const entry = expectOne(await auditOf(t, res), key(route));
      expect(entry, key(route)).toMatchObject({
        actor_type: 'api_key',
        actor_id: viewer.id,
        action: route.audit?.action,
        outcome: 'denied',
        status_code: 403,
        error_code: 'forbidden',
        diff: {},
      });
    }
  });

  it('not-found and validation failures write one `failure` entry with the error code and the target asked for', async () => {
    const missing = await t.request({ method: 'DELETE', url: '/v1/api-keys/key_missing' });
    expect(expectOne(await auditOf(t, missing), 'missing')).toMatchObject({
      action: 'api_key.revoke',
      outcome: 'failure',
      status_code: 404,
      error_code: 'not_found',
      target_id: 'key_missing',
    });
    const invalid = await t.request({ method: 'PATCH', url: `/v1/users/${fixtures.user.id}`, body: { role: 7 } });
    expect(expectOne(await auditOf(t, invalid), 'invalid')).toMatchObject({
      action: 'user.update',
      outcome: 'failure',
      status_code: 400,
      error_code: 'validation_failed',
      target_id: fixtures.user.id,
      diff: {},
    });
    const malformed = await t.request({
      method: 'POST',
      url: '/v1/roles',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(expectOne(await auditOf(t, malformed), 'malformed')).toMatchObject({ error_code: 'malformed_json' });
    // Even an id the database cannot store as sent is recorded.
    const nul = await t.request({ method: 'DELETE', url: '/v1/users/usr%00x' });
    expect(nul.statusCode).toBe(400);
    expect(expectOne(await auditOf(t, nul), 'nul')).toMatchObject({ outcome: 'failure', target_id: 'usr\ufffdx' });
  });

  it('records the id a client sends in x-request-id', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/roles',
      headers: { 'x-request-id': 'client-chosen-id-42' },
      body: { name: 'Traced', capabilities: [] },
    });
    expect(res.headers['x-request-id']).toBe('client-chosen-id-42');
    expect(expectOne(await auditOf(t, res), 'traced').action).toBe('role.create');
  });

  it('writes nothing for unauthenticated requests (401) or rate-limited ones (429)', async () => {
    const before = await rowCounts(t, ['audit_log']);
    for (const token of [null, 'syk_not_a_key', 'sys_not_a_session']) {
      const res = await t.request({ method: 'POST', url: '/v1/roles', token, body: { name: 'x', capabilities: [] } });
      expect(res.statusCode).toBe(401);
    }
    const limited = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'slow', role: 'administrator', rate_limit_per_minute: 1 },
    });
    const slowToken = limited.data.token as string;
    const afterCreate = await rowCounts(t, ['audit_log']);
    expect(afterCreate.audit_log).toBe((before.audit_log ?? 0) + 1);
    await t.request({ url: '/v1/me', token: slowToken });
    const refused = await t.request({ method: 'DELETE', url: '/v1/api-keys/key_x', token: slowToken });
    expect(refused.statusCode).toBe(429);
    expect(await rowCounts(t, ['audit_log'])).toEqual(afterCreate);
  });

  it('a failed sign-in for a known account is recorded against that account; an unknown email writes nothing', async () => {
    const before = await rowCounts(t, ['audit_log']);
    const unknown = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: 'nobody@example.test', password: 'whatever it is' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(await rowCounts(t, ['audit_log'])).toEqual(before);
    const wrong = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      token: null,
      body: { email: fixtures.user.email, password: 'not the password' },
    });
    expect(expectOne(await auditOf(t, wrong), 'wrong password')).toMatchObject({
      actor_type: 'user',
      actor_id: fixtures.user.id,
      action: 'session.create',
      outcome: 'failure',
      error_code: 'invalid_credentials',
    });
  });

  it('diffs name what changed and never a secret', async () => {
    const user = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { email: 'diff@example.test', role: 'viewer', password: 'the secret passphrase' },
    });
    const created = expectOne(await auditOf(t, user), 'user');
    expect(created.diff).toEqual({ email: 'diff@example.test', role: 'viewer', superuser: false });
    const patch = await t.request({
      method: 'PATCH',
      url: `/v1/users/${user.data.id as string}`,
      body: { role: 'editor', password: 'another secret passphrase' },
    });
    expect(expectOne(await auditOf(t, patch), 'patch').diff).toEqual({
      role: { from: 'viewer', to: 'editor' },
      password: 'changed',
    });
    const rotate = await t.request({
      method: 'PUT',
      url: `/v1/secrets/${fixtures.secretName}`,
      body: { value: 'the new secret value' },
    });
    expect(expectOne(await auditOf(t, rotate), 'rotate').diff).toEqual({ version: { from: 1, to: 2 } });
  });
});
