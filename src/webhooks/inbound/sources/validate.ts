import type { Queryable } from '../../../core/db/port.js';
import { ApiError } from '../../../core/errors.js';
import { assertSecretReferencesExist } from '../../../vault/secrets/references.js';
import { activeEventTypeNames } from '../../../events/types/sql.js';
import {
  assertCustomHeaders,
  assertEndpointUrl,
  assertPayloadFilter,
  type UrlPolicy,
} from '../../endpoints/validate.js';
import type { Rule } from './config.js';

const CONDITION_SAMPLE = '{"type": "", "headers": {}, "payload": {}}';

/**
 * Rules are checked as far as they can be at save time: conditions parse as SQL/JSON path predicates, published
 * types are the tenant's active types, forward URLs pass the endpoint URL policy (and the SSRF guard for IP
 * literals) and their headers name existing secrets. What only the moment can tell (DNS, a type archived later)
 * fails the event with a clear error instead.
 */
export async function assertRules(
  q: Queryable,
  tenantId: string,
  rules: Rule[],
  urlPolicy: UrlPolicy,
): Promise<Rule[]> {
  const names = new Set<string>();
  const out: Rule[] = [];
  for (const [i, rule] of rules.entries()) {
    if (names.has(rule.name)) {
      throw new ApiError('validation_failed', `Two rules are named ${rule.name}.`, {
        errors: [{ path: `body.rules.${i}.name`, message: 'rule names are unique within a source' }],
      });
    }
    names.add(rule.name);
    const condition = await assertPayloadFilter(q, rule.condition, {
      sample: CONDITION_SAMPLE,
      path: `body.rules.${i}.condition`,
    });
    const actions = [];
    for (const [j, action] of rule.actions.entries()) {
      const at = `body.rules.${i}.actions.${j}`;
      if (action.type === 'publish') {
        const active = await activeEventTypeNames(q, tenantId, [action.event_type]);
        if (!active.has(action.event_type)) {
          throw new ApiError('validation_failed', `${action.event_type} is not an active event type of this tenant.`, {
            errors: [{ path: `${at}.event_type`, message: 'define it first (POST /v1/event-types)' }],
          });
        }
        actions.push(action);
      } else if (action.type === 'run_sync') {
        const { rowCount } = await q.query('select 1 from sync_configs where tenant_id = $1 and id = $2', [
          tenantId,
          action.sync_id,
        ]);
        if (rowCount === 0) {
          throw new ApiError('validation_failed', `Sync ${action.sync_id} does not exist.`, {
            errors: [{ path: `${at}.sync_id`, message: 'no such sync in this tenant' }],
          });
        }
        actions.push(action);
      } else {
        const url = await assertEndpointUrl(action.url, urlPolicy);
        // Omitted headers stay omitted: an update then keeps the action's current ones (forward-headers.ts).
        if (action.headers === undefined) {
          actions.push({ ...action, url });
          continue;
        }
        const headers = assertCustomHeaders(action.headers, `${at}.headers`);
        for (const value of Object.values(headers)) await assertSecretReferencesExist(q, tenantId, value);
        actions.push({ ...action, url, headers });
      }
    }
    out.push({ ...rule, condition, actions });
  }
  return out;
}
