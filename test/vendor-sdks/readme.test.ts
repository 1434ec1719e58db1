import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const start = readme.indexOf('### Vendor SDKs through the proxy');
const section = readme.slice(start, readme.indexOf('\n## ', start));

/** Lines without their indentation: a recipe reads the same at the top of a file and inside a test. */
const normalise = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');

/** Each recipe the README shows, by the function or constant that defines it, and the test that runs it. */
const recipes: Record<string, string> = {
  stripeThroughSwitchyard: 'stripe.test.ts',
  asStripeError: 'stripe.test.ts',
  octokitThroughSwitchyard: 'octokit.test.ts',
  hubspotThroughSwitchyard: 'hubspot.test.ts',
  slackThroughSwitchyard: 'slack.test.ts',
};

const shown = [...section.matchAll(/```ts\n([\s\S]*?)```/g)]
  .flatMap((m) => (m[1] as string).split(/\n\s*\n/))
  .flatMap((paragraph) => {
    const name = /^(?:function|const) (\w+)/.exec(paragraph)?.[1];
    return name && name in recipes ? [{ name, paragraph }] : [];
  });

describe('README: Vendor SDKs through the proxy', () => {
  it('shows a recipe for each SDK', () => {
    expect(shown.map((r) => r.name).sort()).toEqual(Object.keys(recipes).sort());
  });

  it.each(shown)('$name is the code its test runs', ({ name, paragraph }) => {
    const test = fs.readFileSync(path.join(import.meta.dirname, recipes[name] as string), 'utf8');
    expect(normalise(test)).toContain(normalise(paragraph.trimEnd()));
  });
});
