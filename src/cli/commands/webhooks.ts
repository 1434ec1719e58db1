import type { Command } from 'commander';
import { registerWebhookDeliveryCommands } from './webhook-deliveries.js';
import { registerWebhookEndpointCommands } from './webhook-endpoints.js';
import { registerWebhookReplayCommand } from './webhook-replay.js';
import { registerWebhookStatsCommand } from './webhook-stats.js';

/** `switchyard webhooks …`: outbound webhooks — endpoints, the delivery log, replays and statistics. */
export function registerWebhookCommands(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('Manage outbound webhooks: endpoints, deliveries, replay, stats');
  registerWebhookEndpointCommands(webhooks);
  registerWebhookDeliveryCommands(webhooks);
  registerWebhookReplayCommand(webhooks);
  registerWebhookStatsCommand(webhooks);
}
