import { describe, expect, it } from 'vitest';
import { createSignInLockout } from './lockout.js';

describe('sign-in lockout', () => {
  it('locks one client after its failures without locking the account for other clients', () => {
    let time = 0;
    const lockout = createSignInLockout({ perClient: 3, perAccount: 100, windowMs: 60_000 }, () => time);
    for (let i = 0; i < 3; i++) lockout.fail('a@x', '10.0.0.1');
    expect(lockout.retryAfter('a@x', '10.0.0.1')).toBe(60);
    expect(lockout.retryAfter('a@x', '10.0.0.2')).toBe(0);
    time = 30_000;
    expect(lockout.retryAfter('a@x', '10.0.0.1')).toBe(30);
    time = 60_001;
    expect(lockout.retryAfter('a@x', '10.0.0.1')).toBe(0);
  });

  it('locks the account everywhere once failures spread over many clients pass the account limit', () => {
    const lockout = createSignInLockout({ perClient: 3, perAccount: 5, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 5; i++) lockout.fail('a@x', `10.0.0.${i}`);
    expect(lockout.retryAfter('a@x', '10.9.9.9')).toBeGreaterThan(0);
    expect(lockout.retryAfter('b@x', '10.9.9.9')).toBe(0);
  });

  it('a success clears that client, and the maps stay bounded', () => {
    const lockout = createSignInLockout({ perClient: 2, perAccount: 100, windowMs: 60_000, maxEntries: 3 }, () => 0);
    lockout.fail('a@x', 'c');
    lockout.succeed('a@x', 'c');
    lockout.fail('a@x', 'c');
    expect(lockout.retryAfter('a@x', 'c')).toBe(0);
    for (let i = 0; i < 10; i++) lockout.fail(`spray${i}@x`, 'c');
    // a@x was the oldest entry and was evicted by the spray
    lockout.fail('a@x', 'c');
    expect(lockout.retryAfter('a@x', 'c')).toBe(0);
  });
});
