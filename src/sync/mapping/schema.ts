import { z } from 'zod';
import { castTypes } from './cast.js';
import { parsePath } from './path.js';
import { parseTemplate } from './template.js';

/**
 * A sync configuration's field mappings, as stored in `sync_configs.mappings` and sent to the API.
 *
 * - `select: 'all'` keeps every source field and applies the mapped fields over them; a field renamed away (a `from`
 *   naming a top-level field other than its `to`) is dropped from the output. `select: 'mapped'` outputs only the
 *   mapped fields.
 * - Each field has exactly one of `from` (a path into the source record), `constant` (any JSON value) or `template`
 *   (`{{first_name}} {{last_name}}`); `to` is a path too (`address.city`). `default` replaces a missing or null
 *   value; `cast` converts the value, and a value it cannot convert rejects the record (not the run).
 * - `stream` limits a field to one stream of the config; without it the field applies to every stream.
 */
const fieldPath = z
  .string()
  .min(1)
  .max(500)
  .superRefine((text, ctx) => {
    const parsed = parsePath(text);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  })
  .describe('A field name or nested path: `email`, `properties.email`, `items[0].id`, `["odd.key"]`');

export const castTypeSchema = z.enum(castTypes);

export const fieldMappingSchema = z
  .strictObject({
    stream: z.string().min(1).max(200).optional().describe('Only for this stream; unset: every stream'),
    to: fieldPath.describe('The output field (a name or nested path)'),
    from: fieldPath.optional().describe('The source field (a name or nested path)'),
    constant: z.unknown().optional().describe('A constant value'),
    template: z
      .string()
      .max(2000)
      .superRefine((text, ctx) => {
        const parsed = parseTemplate(text);
        if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
      })
      .optional()
      .describe('A string template over source fields: `{{first_name}} {{last_name}}`'),
    cast: castTypeSchema.optional().describe('Convert the value; a value that does not convert rejects the record'),
    default: z.unknown().optional().describe('The value when the source has none (missing or null)'),
  })
  .superRefine((field, ctx) => {
    const given = (['from', 'constant', 'template'] as const).filter((k) => field[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: `field ${field.to}: give exactly one of from, constant or template (${given.length === 0 ? 'none' : given.join(', ')} given)`,
      });
  })
  .meta({ id: 'SyncFieldMapping' });

export const mappingSchema = z
  .strictObject({
    select: z
      .enum(['all', 'mapped'])
      .default('all')
      .describe('all: every source field plus the mapped ones; mapped: only the mapped fields'),
    fields: z.array(fieldMappingSchema).max(1000).default([]),
  })
  .meta({ id: 'SyncMapping' });

export type FieldMapping = z.output<typeof fieldMappingSchema>;
export type Mapping = z.output<typeof mappingSchema>;

/** The fields of a mapping that apply to a stream (those naming it, and those naming none), in order. */
export function fieldsForStream(mapping: Mapping, stream: string): FieldMapping[] {
  return mapping.fields.filter((f) => f.stream === undefined || f.stream === stream);
}
