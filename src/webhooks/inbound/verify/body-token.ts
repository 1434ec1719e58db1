import { readJsonPath } from '../../../core/json-path.js';
import { equalText, fail, passed, type SchemeCheck } from './common.js';
import type { SchemeOf, VerifyOutcome } from './types.js';

/**
 * Senders that authenticate with a shared token echoed in the JSON body rather than a signature. The token is
 * compared in constant time against every live secret; the body is not otherwise authenticated, so these schemes
 * are only as strong as the secrecy of the token and the URL.
 */

function parseJson(rawBody: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(rawBody.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

const matchesAny = (value: string, secrets: string[]) => secrets.map((s) => equalText(value, s)).includes(true);

/**
 * Microsoft Graph change notifications and lifecycle notifications: `{"value": [{…, "clientState": …}]}`, each
 * item carrying the clientState set on its subscription. Every item must carry a valid one: a batch with one
 * forged item is refused whole, since it is stored and routed as one event.
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */
export function verifyGraphClientState(input: SchemeCheck<SchemeOf<'graph_client_state'>>): VerifyOutcome {
  const json = parseJson(input.rawBody);
  const items = json.ok ? (json.value as { value?: unknown } | null)?.value : undefined;
  if (!Array.isArray(items) || items.length === 0) {
    return fail('malformed', 'The body is not a Microsoft Graph notification ({"value": [ … ]})');
  }
  for (const [i, item] of items.entries()) {
    const clientState = (item as { clientState?: unknown } | null)?.clientState;
    if (typeof clientState !== 'string' || clientState === '') {
      return fail('unauthorized', `Notification ${i} carries no clientState`);
    }
    if (!matchesAny(clientState, input.secrets)) {
      return fail('unauthorized', `Notification ${i} carries a clientState that is not a valid secret of this source`);
    }
  }
  const first = items[0] as { changeType?: unknown; lifecycleEvent?: unknown };
  const type = typeof first.changeType === 'string' ? first.changeType : first.lifecycleEvent;
  return passed(undefined, typeof type === 'string' ? type : undefined);
}

/**
 * A token at a JSON path of the body, e.g. Zoho CRM notifications, which send back the `token` given when the
 * channel was enabled. https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html
 */
export function verifyBodyToken(input: SchemeCheck<SchemeOf<'body_token'>>): VerifyOutcome {
  const json = parseJson(input.rawBody);
  if (!json.ok) return fail('malformed', 'The body is not JSON, so it carries no token');
  const token = readJsonPath(json.value, input.scheme.path);
  if (typeof token !== 'string' || token === '') {
    return fail('unauthorized', `The body has no token at ${input.scheme.path}`);
  }
  if (!matchesAny(token, input.secrets)) {
    return fail('unauthorized', `The token at ${input.scheme.path} is not a valid secret of this source`);
  }
  return passed(undefined, undefined);
}
