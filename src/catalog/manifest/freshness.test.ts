import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { checkFreshness, daysUntil, freshnessReport, sunsetsWithin } from './freshness.js';
import type { Manifest } from './manifest.js';
import { validateManifest, verifiedSectionsRequired } from './validate.js';

const today = new Date('2027-03-01T15:30:00Z');
const at = (date: string) => ({ date, sources: ['https://vendor.example/docs'] });

/** A shipped-style manifest: OAuth with revocation, a test call, rate limits, pagination, webhooks and a stream. */
function fixture(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema_version: 1,
    slug: 'acme',
    name: 'Acme',
    description: 'A fixture vendor.',
    category: 'CRM',
    logo: { initials: 'AC', color: '#123456' },
    auth: [
      {
        type: 'oauth2',
        authorization_url: 'https://acme.example/authorize',
        token_url: 'https://acme.example/token',
        revocation_url: 'https://acme.example/revoke',
      },
    ],
    base_url: 'https://api.acme.example',
    test: { kind: 'http', request: { path: '/me' } },
    rate_limit: { remaining: 'x-ratelimit-remaining' },
    pagination: { style: 'cursor', cursor_param: 'after' },
    webhooks: { scheme: 'stripe' },
    streams: [{ name: 'contacts', path: '/contacts' }],
    ...extra,
  };
}

function manifest(extra: Record<string, unknown> = {}): Manifest {
  const { manifest: m, problems } = validateManifest('acme.yaml', JSON.stringify(fixture(extra)));
  if (!m) throw new Error(JSON.stringify(problems));
  return m;
}

const allVerified = (date: string) =>
  Object.fromEntries(
    ['auth', 'test', 'revocation', 'rate_limit', 'pagination', 'webhooks', 'streams'].map((s) => [s, at(date)]),
  );

describe('manifest verification format', () => {
  it('accepts verified, sunsets and api_version, and refuses malformed ones with their paths', () => {
    const m = manifest({
      api_version: '2024-06-20',
      verified: { auth: at('2027-01-10') },
      sunsets: [{ what: 'v1 tokens', date: '2027-06-01', replacement: 'v2 tokens', source: 'https://acme.example/c' }],
    });
    expect(m).toMatchObject({ api_version: '2024-06-20', verified: { auth: { date: '2027-01-10' } } });
    expect(m.sunsets).toHaveLength(1);

    const bad = (extra: Record<string, unknown>) =>
      validateManifest('acme.yaml', JSON.stringify(fixture(extra))).problems.map((p) => p.path);
    expect(bad({ verified: { auth: { date: '2027-02-30', sources: ['x'] } } })).toEqual(['/verified/auth/date']);
    expect(bad({ verified: { auth: { date: '10/01/2027', sources: ['x'] } } })).toEqual(['/verified/auth/date']);
    expect(bad({ verified: { auth: { date: '2027-01-10', sources: [] } } })).toEqual(['/verified/auth/sources']);
    expect(bad({ verified: { billing: at('2027-01-10') } })).toEqual(['/verified/billing']);
    expect(bad({ sunsets: [{ what: 'v1', date: '2027-06-01' }] })).toEqual(['/sunsets/0']);
  });

  it('requires a verified record for auth and each section the manifest declares', () => {
    expect(verifiedSectionsRequired(manifest())).toEqual([
      'auth',
      'test',
      'revocation',
      'rate_limit',
      'pagination',
      'webhooks',
      'streams',
    ]);
    const bare = manifest({
      auth: [{ type: 'oauth2', authorization_url: 'https://a.example/a', token_url: 'https://a.example/t' }],
      test: undefined,
      rate_limit: undefined,
      pagination: undefined,
      webhooks: undefined,
      streams: [],
    });
    expect(verifiedSectionsRequired(bare)).toEqual(['auth']);
  });
});

describe('freshness check', () => {
  it('finds nothing for a manifest verified this year with no near sunset', () => {
    const m = manifest({
      verified: allVerified('2026-06-01'),
      sunsets: [{ what: 'v1', date: '2027-06-01', source: 's' }],
    });
    expect(checkFreshness([m], today)).toEqual([]);
  });

  it('lists missing sections as warnings, or errors once missing records are errors', () => {
    const m = manifest({ verified: { auth: at('2027-01-10'), test: at('2027-01-10') } });
    const findings = checkFreshness([m], today, { missingVerifiedIsError: false });
    expect(findings.map((f) => [f.level, f.kind, f.section])).toEqual([
      ['warning', 'verified_missing', 'revocation'],
      ['warning', 'verified_missing', 'rate_limit'],
      ['warning', 'verified_missing', 'pagination'],
      ['warning', 'verified_missing', 'webhooks'],
      ['warning', 'verified_missing', 'streams'],
    ]);
    expect(freshnessReport(findings, 1).failed).toBe(false);
    const strict = checkFreshness([m], today, { missingVerifiedIsError: true });
    expect(strict.every((f) => f.level === 'error')).toBe(true);
    expect(freshnessReport(strict, 1).failed).toBe(true);
  });

  it('fails a section verified more than a year ago, or on a day still to come', () => {
    const m = manifest({
      verified: {
        ...allVerified('2026-06-01'),
        auth: at('2026-02-28'),
        test: at('2026-03-01'),
        streams: at('2027-03-02'),
      },
    });
    const findings = checkFreshness([m], today);
    expect(findings.map((f) => [f.level, f.kind, f.section])).toEqual([
      ['error', 'verified_stale', 'auth'],
      ['error', 'verified_future', 'streams'],
    ]);
    expect(findings[0]?.message).toContain('366 days ago');
  });

  it('warns of sunsets within 90 days and fails on past ones', () => {
    const m = manifest({
      verified: allVerified('2027-01-01'),
      sunsets: [
        { what: 'v1 search', date: '2027-05-30', source: 's1' },
        { what: 'v1 tokens', date: '2027-02-28', replacement: '/oauth/v2/token', source: 's2' },
        { what: 'legacy webhooks', date: '2027-03-01', source: 's3' },
        { what: 'far', date: '2027-06-01', source: 's4' },
      ],
    });
    const findings = checkFreshness([m], today);
    expect(findings.map((f) => [f.level, f.kind])).toEqual([
      ['error', 'sunset_past'],
      ['warning', 'sunset_soon'],
      ['warning', 'sunset_soon'],
    ]);
    expect(findings[0]?.message).toBe('sunset: v1 tokens ended 2027-02-28; move to /oauth/v2/token (s2)');
    expect(findings[1]?.message).toContain('in 0 days');
    expect(findings[2]?.message).toContain('v1 search ends 2027-05-30, in 90 days');
    const report = freshnessReport(findings, 1);
    expect(report.failed).toBe(true);
    expect(report.lines.at(-1)).toContain('2 sunsets within 90 days, 1 past');
  });

  it('counts days by the UTC calendar day', () => {
    expect(daysUntil('2027-03-01', today)).toBe(0);
    expect(daysUntil('2027-02-28', today)).toBe(-1);
    expect(
      sunsetsWithin(manifest({ sunsets: [{ what: 'x', date: '2027-08-28', source: 's' }] }), today, 180),
    ).toHaveLength(1);
    expect(sunsetsWithin(manifest({ sunsets: [{ what: 'x', date: '2027-08-29', source: 's' }] }), today, 180)).toEqual(
      [],
    );
  });
});

describe('npm run manifests:check', () => {
  const run = (dir: string, args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(packageRoot, 'scripts/check-manifests.ts'), '--dir', dir, ...args],
      { cwd: packageRoot },
    ).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it('prints per manifest what is missing or stale and exits 1 only on errors', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
    try {
      const write = (extra: Record<string, unknown>) =>
        fs.writeFileSync(path.join(dir, 'acme.yaml'), JSON.stringify(fixture(extra)));
      write({ verified: { auth: at('2027-01-10') }, sunsets: [{ what: 'v1', date: '2027-04-01', source: 's' }] });
      // Every shipped manifest is verified section by section, so a missing record fails (a warning in checkFreshness
      // with missingVerifiedIsError off, tested above).
      const missing = await run(dir, ['--today', '2027-03-01']);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('acme:\n  error   test: no verified record');
      expect(missing.out).toContain('warning sunset: v1 ends 2027-04-01, in 31 days');
      expect(missing.out).toContain('1 manifests: 6 sections without a verified record in 1 manifests');

      const sections = ['test', 'revocation', 'rate_limit', 'pagination', 'webhooks', 'streams'];
      const verified = Object.fromEntries(['auth', ...sections].map((s) => [s, at('2027-01-10')]));
      write({ verified, sunsets: [{ what: 'v1', date: '2027-04-01', source: 's' }] });
      const complete = await run(dir, ['--today', '2027-03-01']);
      expect(complete.code, complete.out).toBe(0);
      expect(complete.out).toContain('warning sunset: v1 ends 2027-04-01, in 31 days');
      const past = await run(dir, ['--today', '2027-04-02']);
      expect(past.code).toBe(1);
      expect(past.out).toContain('error   sunset: v1 ended 2027-04-01');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
