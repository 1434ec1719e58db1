import { InvalidArgumentError, type Command } from 'commander';
import { SwitchyardError, type ProxyMethod } from '../../../sdk/index.js';
import { clientFor, withApiOptions, type ApiOptions } from '../api.js';
import { readJsonArgument } from '../input.js';
import { printJson, printNote } from '../output.js';
import { collectPair } from '../parse.js';

const METHODS: ProxyMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

type ProxyOptions = ApiOptions & { query: Record<string, string>; header: Record<string, string>; data?: string };

function parseMethod(text: string): ProxyMethod {
  const method = text.toUpperCase() as ProxyMethod;
  if (!METHODS.includes(method)) throw new InvalidArgumentError(`expected one of ${METHODS.join(', ')}`);
  return method;
}

/**
 * `switchyard proxy <connection> GET /path`: one call to the vendor through a connection, its credentials added by
 * Switchyard. Prints the vendor's body (JSON indented); a vendor status of 400 or more is said on stderr and exits 1.
 */
export function registerProxyCommand(program: Command): void {
  withApiOptions(
    program
      .command('proxy')
      .description(
        'Call a vendor’s API through a connection and print its answer; exits 1 when the vendor answers 400 or more ' +
          '(--json: status, headers and body as one object)',
      )
      .argument('<connection>', 'connection id')
      .argument('<method>', METHODS.join(', '), parseMethod)
      .argument('<path>', 'the vendor path, relative to the connection’s base URL, e.g. /v1/customers')
      .option('--query <key=value>', 'a query parameter; repeat for each', collectPair, {})
      .option(
        '--header <key=value>',
        'a request header (Switchyard-* ones instruct the proxy); repeat',
        collectPair,
        {},
      )
      .option('--data <json>', 'a JSON body: inline, @file, or - for standard input'),
  ).action(async (connection: string, method: ProxyMethod, path: string, opts: ProxyOptions) => {
    const body = opts.data === undefined ? undefined : (await readJsonArgument(opts.data, '--data')).value;
    const answer = await clientFor(opts).proxy(connection, method, path, {
      query: opts.query,
      headers: opts.header,
      ...(body !== undefined ? { body } : {}),
    });
    if (answer.error) throw new SwitchyardError(answer.error);
    if (answer.status >= 400) process.exitCode = 1;
    if (opts.json) {
      return printJson({
        status: answer.status,
        headers: Object.fromEntries(answer.headers),
        body: answer.data ?? null,
      });
    }
    if (answer.status >= 400) printNote(`The vendor answered ${answer.status}.`);
    if (answer.data === undefined) return;
    process.stdout.write(typeof answer.data === 'string' ? answer.data : `${JSON.stringify(answer.data, null, 2)}\n`);
  });
}
