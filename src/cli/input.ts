import fs from 'node:fs';
import { CliError } from './errors.js';
import { parseJsonText } from './parse.js';

/**
 * Secrets and passwords never come from a prompt: commands run in CI and scripts, where a prompt would hang. They
 * come from a flag, an environment variable, or standard input when it is piped (`printf %s "$V" | switchyard …`).
 */
export async function readPipedStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // `echo value |` appends a newline that is not part of the value.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The first of: the flag, the environment variable, piped stdin. Fails with how to give it when all are empty. */
export async function readSecretInput(what: string, sources: { flag?: string; flagName: string; envName?: string }) {
  if (sources.flag !== undefined && sources.flag !== '') return sources.flag;
  const fromEnv = sources.envName ? process.env[sources.envName] : undefined;
  if (fromEnv) return fromEnv;
  const piped = await readPipedStdin();
  if (piped) return piped;
  const env = sources.envName ? `, ${sources.envName}` : '';
  throw new CliError(`Give the ${what} with ${sources.flagName}${env} or on standard input (no prompt is shown).`);
}

/** JSON given on the command line: inline, `@file`, or `-` for standard input; `what` names it in errors. */
export async function readJsonArgument(text: string, what: string): Promise<{ value: unknown; from: string }> {
  let source = text;
  let from = what;
  if (text === '-') {
    source = (await readPipedStdin()) ?? '';
    from = `${what} on standard input`;
  } else if (text.startsWith('@')) {
    const file = text.slice(1);
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    from = `${what} in ${file}`;
  }
  return { value: parseJsonText(source, from), from };
}

/**
 * A JSON or YAML document from a file, or `-` for standard input: YAML when the file name ends in `.yaml`/`.yml`
 * (or on stdin, where YAML also reads JSON), JSON otherwise, so a JSON file's mistake is reported as JSON's.
 */
export async function readDocumentFile(file: string, what: string): Promise<unknown> {
  let text: string;
  if (file === '-') {
    text = (await readPipedStdin()) ?? '';
  } else {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  const from = file === '-' ? `${what} on standard input` : `${what} in ${file}`;
  if (file !== '-' && !/\.ya?ml$/i.test(file)) return parseJsonText(text, from);
  // Loaded when a YAML document is read: every command imports this file.
  const { parse: parseYaml } = await import('yaml');
  try {
    return parseYaml(text);
  } catch (error) {
    throw new CliError(`${from} is not valid YAML (${(error as Error).message.split('\n')[0]}).`);
  }
}
