import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, createSecret, expectProblem } from '../../test/helpers/fixtures.js';
import { buildApp, type App } from '../server/app.js';
import {
  fingerprint,
  generateMasterKey,
  keyringFromText,
  loadKeyring,
  MasterKeyError,
  type Keyring,
} from './keyring.js';
import { resolveSecretReferences } from './secrets/references.js';
import { createVault } from './vault.js';

let t: TestApp;
let second: App | undefined;
afterEach(async () => {
  await second?.close();
  second = undefined;
  await t.close();
});

const envKeyring = (text: string) => keyringFromText(text, 'environment', 'SWITCHYARD_MASTER_KEY');
const fp = (base64: string) => fingerprint(Buffer.from(base64, 'base64'));

/** A second node over the same database with another keyring (what a restart with new settings gives). */
async function restartWith(keyring: Keyring): Promise<App> {
  second = await buildApp({ config: t.config, db: t.db, log: pino({ level: 'silent' }), keyring });
  return second;
}

async function rotateOn(app: App) {
  const res = await app.app.inject({
    method: 'POST',
    url: '/v1/system/master-key/rotate',
    headers: { authorization: `Bearer ${t.adminToken}` },
  });
  return Object.assign(res, { data: JSON.parse(res.body) as Record<string, unknown> });
}

/** Secrets in two tenants, so there are two data keys to re-wrap. */
async function sealSomething() {
  await createSecret(t, 'value-in-default', undefined, 'A');
  const other = await t.otherTenant('second');
  await createSecret(t, 'value-in-second', other.token, 'B');
  return other.tenantId;
}

const wrapsByKey = async () =>
  (
    await t.db.query<{ master_key_id: string; n: number }>(
      'select master_key_id, count(*)::int as n from data_key_wraps group by master_key_id order by 1',
    )
  ).rows;
const sealedValues = async () =>
  (await t.db.query('select secret_id, version, sealed from secret_versions order by 1, 2')).rows;

describe('master key rotation', () => {
  it('with SWITCHYARD_MASTER_KEY="new,old": re-wraps every data key under the new key and drops the old wraps', async () => {
    const oldKey = generateMasterKey();
    const newKey = generateMasterKey();
    t = await createTestApp({ masterKey: oldKey });
    const secondTenant = await sealSomething();
    const before = await sealedValues();
    expect(await wrapsByKey()).toEqual([{ master_key_id: fp(oldKey), n: 2 }]);

    const node = await restartWith(envKeyring(`${newKey},${oldKey}`));
    const res = await rotateOn(node);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toEqual({ master_key_id: fp(newKey), rewrapped: 2, pruned: 2 });
    expect(await wrapsByKey()).toEqual([{ master_key_id: fp(newKey), n: 2 }]);
    expect(await sealedValues()).toEqual(before); // values are never rewritten
    const { rows } = await t.db.query<{ id: string; retired: boolean }>(
      'select id, retired_at is not null as retired from master_keys order by created_at',
    );
    expect(rows).toEqual([
      { id: fp(oldKey), retired: true },
      { id: fp(newKey), retired: false },
    ]);
    expect((await auditOf(t, res))[0]).toMatchObject({
      action: 'master_key.rotate',
      outcome: 'success',
      target_id: fp(newKey),
    });

    // A node restarted with the new key alone reads every value; the old key alone no longer opens anything.
    const fresh = createVault({ db: t.db, keyring: envKeyring(newKey) });
    await fresh.verifyMasterKey();
    expect(await resolveSecretReferences(t.db, fresh, t.tenantId, '{{secrets.A}}')).toBe('value-in-default');
    expect(await resolveSecretReferences(t.db, fresh, secondTenant, '{{secrets.B}}')).toBe('value-in-second');
    await expect(createVault({ db: t.db, keyring: envKeyring(oldKey) }).verifyMasterKey()).rejects.toThrow(
      MasterKeyError,
    );

    const status = await node.app.inject({
      url: '/v1/system/master-key',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(JSON.parse(status.body)).toMatchObject({
      active: fp(newKey),
      source: 'environment',
      held: [fp(newKey), fp(oldKey)],
      keys: [
        { id: fp(oldKey), data_keys: 0, retired_at: expect.any(String) },
        { id: fp(newKey), data_keys: 2, retired_at: null },
      ],
    });
    expect(status.body).not.toContain(newKey);
    expect(status.body).not.toContain(oldKey);
  });

  it('with a single environment key answers 409 conflict explaining the procedure, and changes nothing', async () => {
    t = await createTestApp();
    await sealSomething();
    const wraps = await wrapsByKey();
    const res = await t.request({ method: 'POST', url: '/v1/system/master-key/rotate' });
    expectProblem(res, 409, 'conflict');
    expect(res.data.detail).toContain('SWITCHYARD_MASTER_KEY="<new key>,<old key>"');
    expect(await wrapsByKey()).toEqual(wraps);
    expect((await auditOf(t, res))[0]).toMatchObject({ outcome: 'failure', error_code: 'conflict' });
  });

  it('with a generated key file: writes a new key, re-wraps, and leaves only the new key in the file', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-key-'));
    try {
      const fileKeyring = loadKeyring({ masterKey: undefined, dataDir });
      const file = fileKeyring.file as string;
      const oldKey = fs.readFileSync(file, 'utf8').trim();
      t = await createTestApp({ masterKey: oldKey });
      await sealSomething();
      const before = await sealedValues();

      const res = await rotateOn(await restartWith(fileKeyring));
      expect(res.statusCode, res.body).toBe(200);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      const newKey = lines[0] as string;
      expect(newKey).not.toBe(oldKey);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(res.data).toEqual({ master_key_id: fp(newKey), rewrapped: 2, pruned: 2 });
      expect(await wrapsByKey()).toEqual([{ master_key_id: fp(newKey), n: 2 }]);
      expect(await sealedValues()).toEqual(before);
      const reloaded = createVault({ db: t.db, keyring: loadKeyring({ masterKey: undefined, dataDir }) });
      expect(await resolveSecretReferences(t.db, reloaded, t.tenantId, '{{secrets.A}}')).toBe('value-in-default');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('concurrent rotations', () => {
  it('a second rotation while one runs is refused, and the key file always opens the database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-key-'));
    try {
      const fileKeyring = loadKeyring({ masterKey: undefined, dataDir });
      t = await createTestApp({ masterKey: fs.readFileSync(fileKeyring.file as string, 'utf8').trim() });
      await sealSomething();
      const node = await restartWith(fileKeyring);
      const [first, secondTry] = await Promise.all([rotateOn(node), rotateOn(node)]);
      expect([first.statusCode, secondTry.statusCode].sort()).toEqual([200, 409]);
      expect([first, secondTry].find((r) => r.statusCode === 409)?.data.code).toBe('conflict');
      // What a restart would load opens every data key.
      await createVault({ db: t.db, keyring: loadKeyring({ masterKey: undefined, dataDir }) }).verifyMasterKey();
      expect((await rotateOn(node)).statusCode).toBe(200); // and the next rotation runs normally
      await createVault({ db: t.db, keyring: loadKeyring({ masterKey: undefined, dataDir }) }).verifyMasterKey();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('verifyMasterKey', () => {
  it('passes with the right key and throws a MasterKeyError naming both fingerprints with another', async () => {
    t = await createTestApp();
    await t.built.vault.verifyMasterKey();
    const wrong = generateMasterKey();
    const error = await createVault({ db: t.db, keyring: envKeyring(wrong) })
      .verifyMasterKey()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MasterKeyError);
    const message = (error as Error).message;
    expect(message).toContain(t.keyring.active.id); // the key the database expects
    expect(message).toContain(fp(wrong)); // the key configured
    expect(message).toContain('SWITCHYARD_MASTER_KEY');
    expect(message).not.toContain(wrong);
  });
});
