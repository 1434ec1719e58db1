/**
 * Generate `openapi.json` from the route declarations, `sdk/schema.d.ts` from it and
 * `connectors/manifest.schema.json` from the manifest's zod schema, or with `--check` verify that the committed
 * files are current (CI runs `npm run openapi:check`; a route or manifest-format change without `npm run openapi`
 * fails there with the stale file named).
 *
 * The app is built in-process on an in-memory database with a throwaway master key: the document depends only on
 * the routes, never on data, so any machine produces the same bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import pino from 'pino';
import * as prettier from 'prettier';
import { capabilityJsonSchema } from '../src/catalog/capabilities.js';
import { manifestJsonSchema } from '../src/catalog/manifest/validate.js';
import { loadConfig } from '../src/core/config.js';
import { migrate } from '../src/core/db/migrate.js';
import { openDatabase } from '../src/core/db/open.js';
import { packageRoot } from '../src/core/paths.js';
import { buildApp } from '../src/server/app.js';
import { generateMasterKey, keyringFromText } from '../src/vault/keyring.js';

type GeneratedFile = { file: string; text: string };

const BANNER =
  '/**\n * Generated from openapi.json by scripts/generate-openapi.ts (npm run openapi). Do not edit by hand.\n */\n\n';

async function buildDocument(): Promise<Record<string, unknown>> {
  // A scratch embedded database: the app is built as it runs, then thrown away.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-openapi-'));
  const db = await openDatabase({ dataDir, databaseUrl: undefined, dbPoolSize: 2 });
  try {
    await migrate(db);
    const built = await buildApp({
      config: loadConfig({}),
      db,
      log: pino({ level: 'silent' }),
      keyring: keyringFromText(generateMasterKey(), 'environment', 'generated key'),
      processMetrics: false,
    });
    try {
      return built.app.swagger() as unknown as Record<string, unknown>;
    } finally {
      await built.close();
    }
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Paths and component schemas in alphabetical order, so two engineers adding routes in different places of
 * app.ts produce the same document. Everything below them keeps declaration order (a schema's properties read
 * best in the order the zod object declares them).
 */
function orderDocument(document: Record<string, unknown>): Record<string, unknown> {
  const sortKeys = <T>(record: Record<string, T> | undefined) =>
    record && Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const components = document.components as Record<string, Record<string, unknown>> | undefined;
  return {
    ...document,
    paths: sortKeys(document.paths as Record<string, unknown>),
    ...(components ? { components: { ...components, schemas: sortKeys(components.schemas) } } : {}),
  };
}

async function generateFiles(): Promise<GeneratedFile[]> {
  const document = orderDocument(await buildDocument());
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const ast = await openapiTS(document as unknown as OpenAPI3, { silent: true });
  return [
    { file: 'openapi.json', text: json },
    { file: 'sdk/schema.d.ts', text: BANNER + astToString(ast) },
    await manifestSchemaFile(),
    await jsonSchemaFile('capabilities/capability.schema.json', capabilityJsonSchema()),
  ];
}

/**
 * The JSON Schema manifests are written against (editors find it through the `$schema` comment at the top of each
 * file). Formatted as `prettier --check` expects: unlike the two files above, it is not in .prettierignore.
 */
function manifestSchemaFile(): Promise<GeneratedFile> {
  return jsonSchemaFile('connectors/manifest.schema.json', manifestJsonSchema());
}

/** A JSON Schema file, formatted as `prettier --check` expects. */
async function jsonSchemaFile(file: string, schema: Record<string, unknown>): Promise<GeneratedFile> {
  const options = await prettier.resolveConfig(path.join(packageRoot, file));
  const text = await prettier.format(JSON.stringify(schema, null, 2), { ...options, parser: 'json' });
  return { file, text };
}

function readCommitted(file: string): string | undefined {
  const full = path.join(packageRoot, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
}

async function main(argv: string[]): Promise<number> {
  const files = await generateFiles();
  if (argv.includes('--check')) {
    const stale = files.filter((f) => readCommitted(f.file) !== f.text).map((f) => f.file);
    if (stale.length === 0) {
      console.log(`${files.map((f) => f.file).join(', ')} are current.`);
      return 0;
    }
    console.error(
      `Out of date with the route declarations or the manifest format: ${stale.join(', ')}.\n` +
        'Run "npm run openapi" and commit the result.',
    );
    return 1;
  }
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(packageRoot, f.file)), { recursive: true });
    fs.writeFileSync(path.join(packageRoot, f.file), f.text);
    console.log(`wrote ${f.file}`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
