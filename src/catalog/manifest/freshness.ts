import type { Manifest, Sunset, VerifiedSection } from './manifest.js';
import { verifiedSectionsRequired } from './validate.js';

/**
 * Whether the shipped manifests are still true to their vendors, read offline from what each records: when each
 * section was last checked against the vendor's documentation (`verified`) and what the vendor has announced will
 * end (`sunsets`). `npm run manifests:check` prints this; the connection API warns tenants of sunsets from it.
 */

/**
 * Every shipped manifest carries a `verified` record for every section it declares (the December 2026 audit), so a
 * missing one fails the check: a new section ships with its sources.
 */
export const MISSING_VERIFIED_IS_ERROR = true;

/** A section verified longer ago than this is stale (the check fails). */
export const VERIFIED_MAX_AGE_DAYS = 365;
/** A sunset this close is listed by the check (a warning); once past it fails. */
export const SUNSET_CHECK_DAYS = 90;
/** A sunset this close warns tenants on their connections. */
export const SUNSET_WARN_DAYS = 180;

export type FreshnessFinding = {
  slug: string;
  level: 'error' | 'warning';
  kind:
    'verified_missing' | 'verified_stale' | 'verified_future' | 'verified_undeclared' | 'sunset_soon' | 'sunset_past';
  section?: VerifiedSection;
  message: string;
};

const DAY_MS = 86_400_000;

/** Whole days from the UTC day of `now` to a YYYY-MM-DD date (negative when the date is past). */
export function daysUntil(date: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
}

/** The manifest's sunsets that are past or at most `days` away, soonest first. */
export function sunsetsWithin(m: Pick<Manifest, 'sunsets'>, now: Date, days: number): Sunset[] {
  return m.sunsets.filter((s) => daysUntil(s.date, now) <= days).sort((a, b) => a.date.localeCompare(b.date));
}

/** Every finding about the given shipped manifests on the day of `now`. */
export function checkFreshness(
  manifests: Manifest[],
  now: Date,
  options: { missingVerifiedIsError: boolean } = { missingVerifiedIsError: MISSING_VERIFIED_IS_ERROR },
): FreshnessFinding[] {
  return manifests.flatMap((m) => [
    ...verifiedFindings(m, now, options.missingVerifiedIsError),
    ...sunsetFindings(m, now),
  ]);
}

function verifiedFindings(m: Manifest, now: Date, missingIsError: boolean): FreshnessFinding[] {
  const findings: FreshnessFinding[] = [];
  const required = verifiedSectionsRequired(m);
  for (const section of required) {
    const record = m.verified?.[section];
    if (!record) {
      findings.push({
        slug: m.slug,
        level: missingIsError ? 'error' : 'warning',
        kind: 'verified_missing',
        section,
        message: `${section}: no verified record (sources and date)`,
      });
      continue;
    }
    const age = -daysUntil(record.date, now);
    if (age > VERIFIED_MAX_AGE_DAYS) {
      findings.push({
        slug: m.slug,
        level: 'error',
        kind: 'verified_stale',
        section,
        message: `${section}: verified ${record.date}, ${age} days ago (more than ${VERIFIED_MAX_AGE_DAYS}); check it again`,
      });
    } else if (age < 0) {
      findings.push({
        slug: m.slug,
        level: 'error',
        kind: 'verified_future',
        section,
        message: `${section}: verified ${record.date}, a date still to come`,
      });
    }
  }
  for (const section of Object.keys(m.verified ?? {}) as VerifiedSection[]) {
    if (!required.includes(section)) {
      findings.push({
        slug: m.slug,
        level: 'warning',
        kind: 'verified_undeclared',
        section,
        message: `${section}: verified, but the manifest declares no such section`,
      });
    }
  }
  return findings;
}

function sunsetFindings(m: Manifest, now: Date): FreshnessFinding[] {
  return sunsetsWithin(m, now, SUNSET_CHECK_DAYS).map((s) => {
    const days = daysUntil(s.date, now);
    const instead = s.replacement ? `; move to ${s.replacement}` : '';
    return days < 0
      ? {
          slug: m.slug,
          level: 'error' as const,
          kind: 'sunset_past' as const,
          message: `sunset: ${s.what} ended ${s.date}${instead} (${s.source})`,
        }
      : {
          slug: m.slug,
          level: 'warning' as const,
          kind: 'sunset_soon' as const,
          message: `sunset: ${s.what} ends ${s.date}, in ${days} days${instead} (${s.source})`,
        };
  });
}

/** The check's report as lines, per manifest, and whether it fails (any error). */
export function freshnessReport(
  findings: FreshnessFinding[],
  manifestCount: number,
): { lines: string[]; failed: boolean } {
  const lines: string[] = [];
  const bySlug = new Map<string, FreshnessFinding[]>();
  for (const f of findings) bySlug.set(f.slug, [...(bySlug.get(f.slug) ?? []), f]);
  for (const [slug, list] of [...bySlug].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${slug}:`);
    for (const f of list) lines.push(`  ${f.level === 'error' ? 'error  ' : 'warning'} ${f.message}`);
  }
  const count = (kind: FreshnessFinding['kind']) => findings.filter((f) => f.kind === kind).length;
  const missing = findings.filter((f) => f.kind === 'verified_missing');
  const errors = findings.filter((f) => f.level === 'error').length;
  lines.push(
    '',
    `${manifestCount} manifests: ${missing.length} sections without a verified record in ` +
      `${new Set(missing.map((f) => f.slug)).size} manifests` +
      (missing.length && missing[0]?.level === 'warning' ? ' (warnings while the audit is in progress)' : '') +
      `, ${count('verified_stale')} verified more than ${VERIFIED_MAX_AGE_DAYS} days ago, ` +
      `${count('sunset_soon')} sunsets within ${SUNSET_CHECK_DAYS} days, ${count('sunset_past')} past; ${errors} errors`,
  );
  return { lines, failed: errors > 0 };
}
