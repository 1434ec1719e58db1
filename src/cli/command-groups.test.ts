import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandGroups } from './command-groups.js';

describe('the CLI’s command groups', () => {
  it('name exactly the top-level commands each module registers, each once', async () => {
    const all: string[] = [];
    for (const group of commandGroups) {
      const program = new Command('switchyard');
      (await group.register())(program);
      expect(program.commands.map((c) => c.name())).toEqual(group.names);
      all.push(...group.names);
    }
    expect(new Set(all).size).toBe(all.length);
  });
});
