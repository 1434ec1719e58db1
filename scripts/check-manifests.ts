/**
 * The manifests' check: every capability section compiles against its capability (src/routing/provider.ts), and
 * the freshness check, offline (`npm run manifests:check`, run by scripts/test.sh): per shipped manifest,
 * the sections without a `verified` record, records older than a year, and sunsets within 90 days (warnings) or
 * past (errors). Exits 1 on any error; a missing `verified` record is one unless MISSING_VERIFIED_IS_ERROR
 * (src/catalog/manifest/freshness.ts) is turned off, and `--strict` makes it one then too; `--today YYYY-MM-DD` checks as of
 * another day.
 */
import { parseArgs } from 'node:util';
import { checkFreshness, freshnessReport, MISSING_VERIFIED_IS_ERROR } from '../src/catalog/manifest/freshness.js';
import { loadManifests, ManifestError } from '../src/catalog/manifest/validate.js';
import { connectorsDir } from '../src/core/paths.js';
import { capabilitySectionProblems } from '../src/routing/provider.js';

const { values } = parseArgs({
  options: { strict: { type: 'boolean', default: false }, today: { type: 'string' }, dir: { type: 'string' } },
});
const now = values.today ? new Date(`${values.today}T00:00:00Z`) : new Date();
if (Number.isNaN(now.getTime())) {
  console.error(`--today ${values.today}: not a date (YYYY-MM-DD)`);
  process.exit(2);
}

try {
  const manifests = loadManifests(values.dir ?? connectorsDir);
  const findings = checkFreshness(manifests, now, {
    missingVerifiedIsError: values.strict || MISSING_VERIFIED_IS_ERROR,
  });
  const { lines, failed } = freshnessReport(findings, manifests.length);
  console.log(lines.join('\n'));
  const broken = manifests.flatMap((m) =>
    capabilitySectionProblems(m).map((p) => `  ${m.slug}.yaml: ${p.path}: ${p.problem}`),
  );
  if (broken.length) console.error(`Capability sections that do not compile:\n${broken.join('\n')}`);
  process.exit(failed || broken.length ? 1 : 0);
} catch (error) {
  if (!(error instanceof ManifestError)) throw error;
  console.error(error.message);
  process.exit(1);
}
