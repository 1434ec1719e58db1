import { SwitchyardError } from '../../sdk/index.js';
import { ConfigError } from '../core/config-error.js';
import { DataDirInUseError } from '../core/db/data-dir-lock.js';
import { MigrationEditedError } from '../core/db/migrate.js';
import { MasterKeyError } from '../vault/keyring.js';
import { formatOutcome, indent, type TestOutcomeView } from './output.js';

/** A failure the CLI explains in its own words (bad input, unreachable server); printed without a stack. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

// Codes where the usual cause is a missing or wrong token rather than a server problem.
const TOKEN_CODES = new Set(['unauthenticated', 'invalid_credentials', 'token_expired']);

/**
 * Print a failure to stderr as one line a script can match (`error <code>: <detail>` for API problems) plus a hint
 * where one helps, and return the exit code. Unexpected errors keep their stack: they are bugs to report. Under
 * `--json` (`json`), the failure is one JSON object instead: the API's problem as it came, or `{ code, detail }`
 * for the CLI's own (`usage_error`, `cli_error`, `internal_error`).
 */
export function reportError(
  error: unknown,
  write: (text: string) => void = (t) => process.stderr.write(t),
  options: { json?: boolean } = {},
): number {
  if (options.json) {
    write(`${JSON.stringify(errorJson(error))}\n`);
    return 1;
  }
  if (error instanceof SwitchyardError) {
    const { problem } = error;
    write(`error ${problem.code}: ${problem.detail}\n`);
    for (const field of problem.errors ?? []) write(`  ${field.path}: ${field.message}\n`);
    // A failed connection test (`connection_test_failed`) carries what the vendor answered.
    if (isOutcome(problem.outcome)) write(`${indent(formatOutcome(problem.outcome))}\n`);
    if (TOKEN_CODES.has(problem.code)) write('hint: pass --token or set SWITCHYARD_TOKEN to a valid API key.\n');
    if (problem.request_id) write(`request id: ${problem.request_id}\n`);
    return 1;
  }
  if (isExplained(error)) {
    write(`error: ${error.message}\n`);
    return 1;
  }
  write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/** A failure as JSON: the API's problem whole, or the CLI's own error with a code scripts can match. */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof SwitchyardError) return { ...error.problem };
  if (error instanceof UsageError) return { code: 'usage_error', detail: error.message };
  if (isExplained(error)) return { code: 'cli_error', detail: error.message };
  return { code: 'internal_error', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** Bad arguments or options, as commander reports them (unknown option, missing argument). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function isExplained(error: unknown): error is Error {
  return (
    error instanceof CliError ||
    error instanceof ConfigError ||
    error instanceof MasterKeyError ||
    error instanceof DataDirInUseError ||
    error instanceof MigrationEditedError
  );
}

function isOutcome(value: unknown): value is TestOutcomeView {
  return typeof value === 'object' && value !== null && typeof (value as { outcome?: unknown }).outcome === 'string';
}
