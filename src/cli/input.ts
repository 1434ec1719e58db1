import { CliError } from './errors.js';

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
