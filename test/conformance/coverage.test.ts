import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectorsDir, packageRoot } from '../../src/core/paths.js';

/**
 * Connectors whose conformance test (test/conformance/<slug>.test.ts, driven by harness.ts) is still to be written.
 * This list may only shrink: a new connector ships with its conformance test, and issue 16 stays open until the
 * list is empty.
 */
const pending: string[] = [];

const shipped = fs
  .readdirSync(connectorsDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const hasTest = (slug: string) => fs.existsSync(path.join(packageRoot, 'test/conformance', `${slug}.test.ts`));

describe('conformance coverage', () => {
  it('has a conformance test for every shipped manifest not listed as pending', () => {
    expect(shipped.filter((slug) => !hasTest(slug) && !pending.includes(slug))).toEqual([]);
  });

  it('lists as pending only shipped connectors still without a test (the list only shrinks)', () => {
    expect(pending.filter((slug) => !shipped.includes(slug))).toEqual([]);
    expect(pending.filter(hasTest)).toEqual([]);
  });
});
