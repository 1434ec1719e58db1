// Apart from config.ts, whose zod schema the CLI's error reporting (src/cli/errors.ts) need not load.

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
