import { z } from 'zod';
import type { FieldError } from '../../core/errors.js';
import type { EventTypeCache } from './cache.js';
import { isPlatformEventType } from './platform.js';
import { payloadProblems } from './schema-check.js';

/** An event type's name, wherever one is given (event types, events, endpoint subscriptions, inbound rules). */
export const eventTypeName = z
  .string()
  .max(200)
  .regex(
    /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/,
    'dot-separated lower-case words (letters, digits, underscores), at least two: invoice.paid',
  );

export type PublishProblem = {
  code: 'event_type_invalid' | 'event_payload_invalid';
  message: string;
  errors?: FieldError[];
};

/**
 * Why a tenant cannot publish this event, or undefined when it can: the type must be the tenant's own and active,
 * the data free of NUL characters (jsonb refuses them) and valid against the type's schema. The API's publish and
 * an inbound rule's publish action both ask here; `dataPath` names the data in field errors.
 */
export async function publishProblem(
  eventTypes: EventTypeCache,
  event: { tenantId: string; type: string; data: unknown },
  dataPath: string,
): Promise<PublishProblem | undefined> {
  const { tenantId, type: name, data } = event;
  if (isPlatformEventType(name))
    return { code: 'event_type_invalid', message: `${name} is a platform event type; only Switchyard publishes it.` };
  const type = await eventTypes.get(tenantId, name);
  if (!type) return { code: 'event_type_invalid', message: `Event type ${name} is not defined; create it first.` };
  if (type.archived_at) return { code: 'event_type_invalid', message: `Event type ${name} is archived.` };
  if (holdsNul(data))
    return {
      code: 'event_payload_invalid',
      message: 'The data holds a NUL character (\\u0000), which events cannot store; remove it or encode it.',
    };
  if (type.schema) {
    const errors = payloadProblems(type.schema, data, dataPath);
    if (errors.length > 0)
      return { code: 'event_payload_invalid', message: `The data does not match the schema of ${name}.`, errors };
  }
  return undefined;
}

/** Whether a NUL character is in any string or key of the value (jsonb refuses it). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, v]) => key.includes('\u0000') || holdsNul(v));
  return false;
}
