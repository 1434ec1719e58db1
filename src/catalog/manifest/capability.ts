import { z } from 'zod';

/**
 * What a manifest says about provider routing: how the connector serves each capability (a standard model from
 * `capabilities/*.yaml`), how the vendor signals a rate limit or a used-up quota, and whether its data may be passed
 * on. Data only: `src/routing/provider.ts` compiles the capability sections (their field mappings are the sync
 * engine's, checked there, since the catalog does not import the sync engine) and
 * `src/connections/proxy/rate-signals.ts` reads the signals.
 */

const jsonPath = z
  .string()
  .regex(/^\$(\.[A-Za-z0-9_$-]+|\[\d+\]|\['[^']*'\])*$/, "a JSON path such as $.results, $[0] or $['Global Quote']");

/** A response matches when every given condition holds; at least one is given. */
const answerMatch = {
  status: z.array(z.number().int().min(100).max(599)).min(1).optional().describe('Any of these statuses'),
  header: z.string().min(1).optional().describe('A header that is present (its name)'),
  json: z
    .strictObject({
      path: jsonPath,
      matches: z
        .string()
        .optional()
        .describe('A case-insensitive regular expression the value (as text) matches; any value when absent'),
    })
    .optional()
    .describe('A value in the JSON body (at `path`, present and not null)'),
  reason_path: jsonPath.optional().describe('Where the vendor’s own words are (the matched value when absent)'),
};

const hasCondition = (m: { status?: unknown; header?: unknown; json?: unknown }) =>
  m.status !== undefined || m.header !== undefined || m.json !== undefined;

const regexOk = (m: { json?: { matches?: string | undefined } | undefined }) => {
  if (m.json?.matches === undefined) return true;
  try {
    new RegExp(m.json.matches, 'i');
    return true;
  } catch {
    return false;
  }
};

export const quotaScopes = ['second', 'minute', 'hour', 'day', 'month'] as const;

const timeZone = z
  .string()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as UTC or America/New_York')
  .default('UTC')
  .describe('Where a day or month window starts (midnight there); UTC when the vendor does not say');

/**
 * One way the vendor says "stop": a status, a header, or words in the body (Alpha Vantage answers HTTP 200 with a
 * `Note`). The first signal that matches decides, so a refusal that merely looks like a limit (a plan that lacks an
 * endpoint) is listed before the limit it resembles, as `plan_refused`.
 */
export const rateSignalSchema = z
  .strictObject({
    ...answerMatch,
    meaning: z
      .enum(['retry_after_reset', 'quota_exhausted', 'plan_refused'])
      .describe(
        'retry_after_reset: a short window (try again after it); quota_exhausted: a daily or monthly quota (skip ' +
          'the provider until it resets); plan_refused: the plan lacks this data, not a limit at all',
      ),
    scope: z.enum(quotaScopes).default('minute').describe('The window that resets (when no header says when)'),
    time_zone: timeZone,
    note: z.string().optional(),
  })
  .refine(hasCondition, 'a signal names a status, a header or a JSON value')
  .refine(regexOk, { message: 'not a regular expression', path: ['json', 'matches'] })
  .meta({ id: 'ConnectorRateSignal' });

/** A documented plan quota: informational, and the default a budget starts from. */
export const quotaSchema = z
  .strictObject({
    requests: z.number().int().min(1),
    per: z.enum(quotaScopes),
    time_zone: timeZone,
    plan: z.string().min(1).optional().describe('The plan it applies to (free, starter …)'),
    note: z.string().optional(),
  })
  .meta({ id: 'ConnectorQuota' });

/** A value chosen by a query field: `{by: period, cases: {annual: $.annualReports, quarter: $.quarterlyReports}}`. */
const byQuery = z.strictObject({
  by: z.string().regex(/^[a-z][a-z0-9_]*$/),
  cases: z.record(z.string(), z.string()),
});
const templateOrChoice = z.union([z.string(), byQuery]);

/** How a vendor answer that is not a limit is read: the data is not there, or it is refused. */
const answerRuleSchema = z
  .strictObject({
    ...answerMatch,
    outcome: z
      .enum(['empty', 'auth', 'plan', 'status'])
      .describe('empty: no data for this query (unknown symbol); auth, plan: a refusal; status: a vendor error'),
  })
  .refine(hasCondition, 'a rule names a status, a header or a JSON value')
  .refine(regexOk, { message: 'not a regular expression', path: ['json', 'matches'] });

export const capabilityMappingSchema = z
  .strictObject({
    availability: z
      .enum(['active', 'coming_soon'])
      .default('active')
      .describe('coming_soon: announced, not served yet (no request or fields)'),
    request: z
      .strictObject({
        method: z.enum(['GET', 'POST']).default('GET'),
        path: z.string().min(1).describe('Under the base URL; {{query.<field>}} is URL-encoded into it'),
        query: z
          .record(z.string(), templateOrChoice)
          .default({})
          .describe('Query parameters: constants, {{query.<field>}} templates (left out when empty), or a choice'),
        headers: z.record(z.string(), z.string()).optional(),
        body: z
          .record(z.string(), z.unknown())
          .optional()
          .describe(
            'A JSON body built from the query: strings are {{query.<field>}} templates, a key whose value comes out ' +
              'empty ("", [] or {}) is left out, and {$each: <field or [fields]>, as: <value>} makes a list of the ' +
              'fields’ items, each written as `as` with {{item}} (spliced into a surrounding list)',
          ),
      })
      .optional(),
    records: z
      .strictObject({
        path: z
          .union([jsonPath, byQuery])
          .default('$')
          .describe('Where the records are: an array, one object, or (with entries) an object of records'),
        entries: z
          .strictObject({ key_as: z.string().min(1).describe('The record field the entry’s key becomes') })
          .optional()
          .describe('The records are the entries of an object keyed by e.g. date (Alpha Vantage time series)'),
        from: z
          .enum(['body', 'headers'])
          .default('body')
          .describe(
            'headers: the one record is the answer’s headers (lower-case names), the body is not read (SendGrid’s ' +
              'mail send answers 202 with the message id in X-Message-Id and no body)',
          ),
        null_values: z
          .array(z.string())
          .default([])
          .describe('Texts the vendor writes for "no value" (Alpha Vantage: "None"), read as null before mapping'),
      })
      .prefault({}),
    fields: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .optional()
      .describe(
        'Field mappings to the standard record ({to, from, cast, default, template, constant}, as a sync’s); a ' +
          'record also sees $query (the standard query) and $answer (the whole answer). {to, value} sets a field to ' +
          'a value built from the query as a request body is (e.g. every recipient: {$each: [to, cc, bcc]})',
      ),
    answers: z
      .array(answerRuleSchema)
      .default([])
      .describe('Vendor answers that are not data, checked in order after the rate-limit signals'),
    note: z.string().optional().describe('What is unconfirmed or approximate in this mapping'),
  })
  .refine((c) => c.availability === 'coming_soon' || (c.request !== undefined && c.fields !== undefined), {
    message: 'a capability served now has a request and fields',
  })
  .meta({ id: 'ConnectorCapability' });

export const capabilityNamePattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export const capabilitiesSectionSchema = z
  .record(z.string().regex(capabilityNamePattern, 'a capability name such as equity.quote'), capabilityMappingSchema)
  .describe('How this connector serves each capability (capabilities/<name>.yaml)');

export const dataLicenceSchema = z
  .strictObject({
    redistributable: z.boolean().describe('Whether data from this vendor may be passed on to third parties'),
    note: z.string().min(1),
  })
  .meta({ id: 'ConnectorDataLicence' });

export type RateSignal = z.output<typeof rateSignalSchema>;
export type Quota = z.output<typeof quotaSchema>;
export type CapabilityMapping = z.output<typeof capabilityMappingSchema>;
export type AnswerRule = z.output<typeof answerRuleSchema>;
export type ByQuery = z.output<typeof byQuery>;
export type QuotaScope = (typeof quotaScopes)[number];
