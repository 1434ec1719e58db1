import { Option, type Command } from 'commander';
import { createSwitchyardClient, type SwitchyardClient } from '../../sdk/index.js';
import { classifyRequestError } from '../core/net/request-failure.js';
import { CliError } from './errors.js';

export const DEFAULT_URL = 'http://127.0.0.1:4000';

/** The options every command that talks to the API accepts. */
export type ApiOptions = { url?: string; token?: string; tenant?: string; json?: boolean };

/**
 * Add `--url`, `--token`, `--tenant` and `--json` to a command. `defaultUrl: false` leaves `--url` unset unless
 * given, for commands whose behaviour depends on whether a server was named (`keys rotate`).
 */
export function withApiOptions(command: Command, options: { defaultUrl?: boolean } = {}): Command {
  const url = new Option('--url <url>', 'Switchyard server URL').env('SWITCHYARD_URL');
  return command
    .addOption(options.defaultUrl === false ? url : url.default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'API key or session token').env('SWITCHYARD_TOKEN'))
    .addOption(new Option('--tenant <tenant>', 'act in this tenant, by id or slug (superusers)'))
    .option('--json', 'print JSON for scripts instead of a table');
}

/**
 * An SDK client for the command's options. A server that cannot be reached becomes a CliError naming the URL,
 * rather than undici's bare "fetch failed".
 */
export function clientFor(options: ApiOptions): SwitchyardClient {
  const baseUrl = options.url ?? DEFAULT_URL;
  if (!/^https?:\/\//.test(baseUrl)) throw new CliError(`--url must start with http:// or https:// (got ${baseUrl}).`);
  return createSwitchyardClient({
    baseUrl,
    ...(options.token ? { token: options.token } : {}),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    fetch: async (request) => {
      try {
        return await fetch(request);
      } catch (error) {
        const failure = classifyRequestError(error);
        throw new CliError(
          `cannot reach ${baseUrl} (${failure.code ?? failure.detail}). ` +
            'Is the server running? Pass --url or set SWITCHYARD_URL.',
        );
      }
    },
  });
}
