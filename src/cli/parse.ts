import { InvalidArgumentError } from 'commander';
import readline from 'node:readline/promises';
import { CliError } from './errors.js';

/** Option parsers and the confirmation prompt shared by the webhook and event commands. */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `24h`, `7d` (or a bare number of seconds) → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 30s, 15m, 24h or 7d');
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1);
  if (seconds < 1) throw new InvalidArgumentError('expected a duration of at least 1s');
  return seconds;
}

/**
 * An instant for `--since`/`--until`: an ISO 8601 date-time (a date alone is midnight UTC), or a duration ago
 * (`2h` = two hours ago), normalised to the ISO form the API expects.
 */
export function parseInstant(text: string): string {
  if (/^\d+[smhd]$/.test(text.trim())) return new Date(Date.now() - parseDuration(text) * 1000).toISOString();
  const date = /^\d{4}-\d\d-\d\d$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d\d-\d\d/.test(text)) {
    throw new InvalidArgumentError('expected an ISO 8601 date-time (2025-01-31T09:00:00Z) or a duration ago (2h)');
  }
  return date.toISOString();
}

/** A repeatable option whose values may also be comma-separated: `--status failed,pending --status skipped`. */
export function collectList(text: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...text
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** `key=value` options, collected into one object (a later key wins). */
export function collectPair(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = text.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
}

/** A whole number of at least 0. */
export function parseCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected a whole number');
  return value;
}

/** Parse JSON given on the command line or read from a file, naming where it came from when it is not valid. */
export function parseJsonText(text: string, from: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${from} is not valid JSON (${(error as Error).message}).`);
  }
}

/**
 * Ask a yes/no question in a terminal. Without one (a script, CI) there is nobody to answer: fail with `refusal`,
 * which should say to pass --yes.
 */
export async function confirm(question: string, refusal: string): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new CliError(refusal);
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Cancelled; nothing was changed.');
  } finally {
    prompt.close();
  }
}
