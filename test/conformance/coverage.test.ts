import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectorsDir, packageRoot } from '../../src/core/paths.js';

/** Every shipped manifest has its conformance test (test/conformance/<slug>.test.ts, driven by harness.ts). */
const shipped = fs
  .readdirSync(connectorsDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const hasTest = (slug: string) => fs.existsSync(path.join(packageRoot, 'test/conformance', `${slug}.test.ts`));

describe('conformance coverage', () => {
  it('has a conformance test for every shipped manifest', () => {
    expect(shipped.length).toBeGreaterThan(0);
    expect(shipped.filter((slug) => !hasTest(slug))).toEqual([]);
  });
});
