import { z } from 'zod';

/**
 * How a manifest reads vendor responses (value sources and response rules) and the connector test call built on
 * them. Both the manifest (its `test`) and an auth method (its own `test`, its revocation's `success`) use these,
 * so they live apart from either.
 */

/** `$.a.b[0].c` over a JSON body, or a header name. */
export const valueSourceSchema = z.strictObject({
  from: z.enum(['body', 'header']).default('body'),
  path: z.string().min(1).describe('JSON path ($.a.b[0]) for body, header name for header'),
  pattern: z.string().optional().describe('Regular expression; its first group (or whole match) is the value'),
});

/** A response matches when every given condition holds. */
export const responseRuleSchema = z
  .strictObject({
    status: z.union([z.number().int(), z.array(z.number().int())]).optional(),
    json: z
      .strictObject({
        path: z.string(),
        equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
        in: z.array(z.union([z.string(), z.number()])).optional(),
        exists: z.boolean().optional(),
      })
      .optional(),
    header: z.strictObject({ name: z.string(), pattern: z.string() }).optional(),
    body_contains: z.string().optional(),
  })
  .meta({ id: 'ConnectorResponseRule' });

const noOutcomes = {
  credential_expired: [],
  credential_revoked: [],
  scope_insufficient: [],
  connected_limited: [],
  vendor_error: [],
};

export const httpTestSchema = z
  .strictObject({
    kind: z.literal('http').default('http'),
    request: z.strictObject({
      method: z.enum(['GET', 'POST', 'HEAD']).default('GET').describe('Test calls never change vendor state'),
      path: z.string().min(1),
      headers: z.record(z.string(), z.string()).default({}),
      query: z.record(z.string(), z.string()).default({}),
      body: z.unknown().optional(),
    }),
    success: responseRuleSchema.default({ status: [200] }),
    account_id: valueSourceSchema.optional().describe('Where the vendor account or workspace id is'),
    account_name: valueSourceSchema.optional(),
    outcomes: z
      .strictObject({
        credential_expired: z.array(responseRuleSchema).default([]),
        credential_revoked: z.array(responseRuleSchema).default([]),
        scope_insufficient: z.array(responseRuleSchema).default([]),
        connected_limited: z
          .array(responseRuleSchema)
          .default([])
          .describe(
            'A valid credential with limited access (a restricted key the test call cannot fully use): the ' +
              'connection is active and the outcome `connected_limited` carries the vendor’s message',
          ),
        vendor_error: z
          .array(responseRuleSchema)
          .default([])
          .describe(
            'Answers that are the vendor’s error whatever their status, checked before every other rule: e.g. a 401 ' +
              'that means an IP allow-list refused the call, not that the credential is revoked',
          ),
      })
      .default(noOutcomes),
    missing_scopes: valueSourceSchema
      .optional()
      .describe('Where a scope_insufficient response names the missing scopes'),
    vendor_code: valueSourceSchema.optional().describe('Where an error response carries the vendor error code'),
  })
  .meta({ id: 'ConnectorHttpTest' });

/** The vendor offers no call that tells a valid credential from an unknown one: the outcome is `unverified`. */
export const noTestSchema = z.strictObject({
  kind: z.literal('none'),
  reason: z.string().min(1).describe('Why the credential cannot be checked, shown to the user as written'),
});

export const driverTestSchema = z.strictObject({
  kind: z.literal('driver'),
  driver: z
    .enum(['postgresql', 'mysql', 'sqlite', 'redis'])
    .describe(
      'The driver that connects with the connection_string method’s value: postgresql (pg), mysql (mysql2), sqlite ' +
        '(better-sqlite3, a file inside SWITCHYARD_SQLITE_DIR) or redis (node-redis; a method’s `username` and ' +
        '`password` fields, when it has them, are sent instead of the URL’s)',
    ),
  query: z.string().default('select 1').describe('What the test runs once connected: SQL, or a Redis command (PING)'),
});

/** An auth method's own test call: replaces the manifest's for connections using that method. */
export const methodTestSchema = z
  .discriminatedUnion('kind', [httpTestSchema, noTestSchema])
  .meta({ id: 'ConnectorMethodTest' });

export type HttpTest = z.output<typeof httpTestSchema>;
export type NoTest = z.output<typeof noTestSchema>;
export type ResponseRule = z.output<typeof responseRuleSchema>;
export type ValueSource = z.output<typeof valueSourceSchema>;
