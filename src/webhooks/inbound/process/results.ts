import { z } from 'zod';

export const actionResultSchema = z
  .object({
    rule: z.string(),
    action: z.number().int().describe('Index of the action in the rule'),
    type: z.enum(['publish', 'forward', 'run_sync']),
    ok: z.boolean(),
    retryable: z.boolean().describe('A failure that is retried with the event (network errors, 408, 429, 5xx)'),
    event_id: z.string().nullable().describe('publish: the Switchyard event; run_sync: the sync run'),
    status: z.number().int().nullable().describe('forward: the response status'),
    response: z.string().nullable().describe('forward: the response body (first 16 KiB)'),
    error: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'InboundActionResult' });
export type ActionResult = z.output<typeof actionResultSchema>;

export const processedSchema = z
  .object({
    id: z.string(),
    status: z.enum(['received', 'processed', 'failed']).describe('received: a retry is scheduled'),
    matched_rules: z.array(z.string()),
    results: z.array(actionResultSchema),
    error: z.string().nullable(),
  })
  .meta({ id: 'InboundProcessed', description: 'The outcome of routing one inbound event through its rules.' });
export type Processed = z.output<typeof processedSchema>;
