import path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import boundaries from '../scripts/eslint-boundaries.js';

const cwd = path.resolve(import.meta.dirname, '..');
const linter = new Linter({ cwd });
const config = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { boundaries },
    rules: { 'boundaries/direction': 'error' as const },
  },
];

/** The boundary messages for one source file placed at `file` (under the repo). */
const problems = (file: string, code: string) =>
  linter.verify(code, config, { filename: path.join(cwd, file) }).map((m) => m.message);

describe('the import direction lint', () => {
  it('lets a folder import from the folders below it', () => {
    expect(problems('src/webhooks/x.ts', "import { a } from '../connections/sql.js';")).toEqual([]);
    expect(problems('src/server/x.ts', "import { r } from '../oauth/routes.js';")).toEqual([]);
    expect(problems('src/catalog/routes.ts', "import { r } from './routes/library.js';")).toEqual([]);
  });

  it('refuses an import upwards, naming what is allowed', () => {
    expect(problems('src/core/x.ts', "import { a } from '../oauth/tokens.js';")).toEqual([
      'src/core may not import from src/oauth (allowed: none); see ARCHITECTURE.md.',
    ]);
    expect(problems('src/events/x.ts', "export { a } from '../webhooks/signing.js';")).toEqual([
      'src/events may not import from src/webhooks (allowed: core, audit); see ARCHITECTURE.md.',
    ]);
  });

  it('refuses a routes module imported by anything but the server and its own routes', () => {
    expect(problems('src/access/bootstrap.ts', "import { a } from './api-keys/routes.js';")).toEqual([
      'access/api-keys/routes.ts is a routes module: only the server (and its own capability’s routes) import it. Move what you need beside the domain code.',
    ]);
  });

  it('leaves tests free', () => {
    expect(problems('src/core/x.test.ts', "import { a } from '../oauth/tokens.js';")).toEqual([]);
  });
});
