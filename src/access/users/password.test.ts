import { afterEach, describe, expect, it } from 'vitest';
import { SUITE_PASSWORD_HASH_COST } from '../../../test/setup.js';
import { loadConfig } from '../../core/config.js';
import { DEFAULT_PASSWORD_HASH_COST, hashPassword, setPasswordHashCost, verifyPassword } from './password.js';

// The suite hashes at a low cost of its own; each test here puts it back.
afterEach(() => setPasswordHashCost(SUITE_PASSWORD_HASH_COST));

describe('password hashes', () => {
  it('are made at the configured cost and verified at the cost they were made with', async () => {
    setPasswordHashCost(11);
    const cheap = await hashPassword('correct horse');
    expect(cheap).toMatch(/^scrypt\$2048\$8\$1\$/);
    setPasswordHashCost(12);
    const dearer = await hashPassword('correct horse');
    expect(dearer).toMatch(/^scrypt\$4096\$8\$1\$/);
    // A hash made at another cost still verifies (its parameters travel with it); a wrong password does not.
    expect(await verifyPassword('correct horse', cheap)).toBe(true);
    expect(await verifyPassword('correct horse', dearer)).toBe(true);
    expect(await verifyPassword('wrong horse', cheap)).toBe(false);
    expect(await verifyPassword('correct horse', 'bcrypt$whatever')).toBe(false);
  });

  it('cost OWASP’s baseline unless SWITCHYARD_PASSWORD_HASH_COST says otherwise, within 10–20', () => {
    expect(DEFAULT_PASSWORD_HASH_COST).toBe(17);
    expect(loadConfig({}).passwordHashCost).toBe(17);
    expect(loadConfig({ SWITCHYARD_PASSWORD_HASH_COST: '12' }).passwordHashCost).toBe(12);
    expect(() => loadConfig({ SWITCHYARD_PASSWORD_HASH_COST: '9' })).toThrow(/SWITCHYARD_PASSWORD_HASH_COST/);
    expect(() => loadConfig({ SWITCHYARD_PASSWORD_HASH_COST: '21' })).toThrow(/SWITCHYARD_PASSWORD_HASH_COST/);
    expect(() => loadConfig({ SWITCHYARD_PASSWORD_HASH_COST: 'high' })).toThrow(/SWITCHYARD_PASSWORD_HASH_COST/);
  });
});
