import { Field, SelectField } from '../../../ui/components.js';
import { CheckboxField, RowButton } from '../../webhooks/shared/controls.js';
import { operatorLabels, rateLimitHelp, rateLimitLabels, strategyHelp, strategyLabels } from '../labels.js';
import type { JsonSchema, Operator, RateLimitPolicy, Strategy } from '../types.js';
import type { ConditionDraft, RouteForm } from './state.js';

type SetForm = (change: Partial<RouteForm>) => void;

const strategies = Object.keys(strategyLabels) as Strategy[];
const policies = Object.keys(rateLimitLabels) as RateLimitPolicy[];
const operators = Object.keys(operatorLabels) as Operator[];

/** The strategy, and for a conditional route its conditions on query fields. */
export function StrategyFields({
  form,
  set,
  querySchema,
  nameOf,
}: {
  form: RouteForm;
  set: SetForm;
  querySchema: JsonSchema | undefined;
  nameOf: (id: string) => string;
}) {
  return (
    <fieldset className="rt-fieldset">
      <legend>Strategy</legend>
      <SelectField
        label="Strategy"
        value={form.strategy}
        options={strategies.map((s) => ({ value: s, label: strategyLabels[s] }))}
        onChange={(v) => set({ strategy: v as Strategy })}
        help={strategyHelp[form.strategy]}
      />
      {form.strategy === 'conditional' && (
        <ConditionsEditor form={form} set={set} fields={Object.keys(querySchema?.properties ?? {})} nameOf={nameOf} />
      )}
    </fieldset>
  );
}

function ConditionsEditor({
  form,
  set,
  fields,
  nameOf,
}: {
  form: RouteForm;
  set: SetForm;
  fields: string[];
  nameOf: (id: string) => string;
}) {
  const update = (i: number, change: Partial<ConditionDraft>) =>
    set({ conditions: form.conditions.map((c, j) => (j === i ? { ...c, ...change } : c)) });
  return (
    <div className="stack" data-testid="conditions">
      <p className="help">The first condition the query matches chooses the providers; otherwise the order above.</p>
      {form.conditions.map((c, i) => (
        <div key={i} className="rt-condition">
          <SelectField
            label={`Query field, condition ${i + 1}`}
            value={c.field}
            empty="Choose a field"
            options={fields.map((f) => ({ value: f, label: f }))}
            onChange={(field) => update(i, { field })}
          />
          <SelectField
            label={`Test, condition ${i + 1}`}
            value={c.op}
            options={operators.map((o) => ({ value: o, label: operatorLabels[o] }))}
            onChange={(op) => update(i, { op: op as Operator })}
          />
          <Field
            label={`Value, condition ${i + 1}`}
            help={c.op === '$in' || c.op === '$nin' ? 'Separate several with commas.' : undefined}
          >
            {(props) => <input {...props} value={c.value} onChange={(e) => update(i, { value: e.target.value })} />}
          </Field>
          <fieldset className="rt-use">
            <legend className="small">Use</legend>
            {form.providers.map((p) => (
              <label key={p.connectionId} className="rt-check">
                <input
                  type="checkbox"
                  checked={c.use.includes(p.connectionId)}
                  onChange={(e) =>
                    update(i, {
                      use: e.target.checked ? [...c.use, p.connectionId] : c.use.filter((id) => id !== p.connectionId),
                    })
                  }
                />{' '}
                {nameOf(p.connectionId)}
              </label>
            ))}
          </fieldset>
          <RowButton
            name={`Remove condition ${i + 1}`}
            onClick={() => set({ conditions: form.conditions.filter((_, j) => j !== i) })}
          >
            Remove
          </RowButton>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="button button-small"
          onClick={() => set({ conditions: [...form.conditions, { field: '', op: '$eq', value: '', use: [] }] })}
        >
          Add condition
        </button>
      </div>
    </div>
  );
}

/** Seed 000's rate-limit strategies, each with its explanation, and the queue's longest wait. */
export function RateLimitFields({ form, set }: { form: RouteForm; set: SetForm }) {
  return (
    <fieldset className="rt-fieldset" data-testid="rate-limit-strategy">
      <legend>On rate limit</legend>
      {policies.map((p) => (
        <label key={p} className="rt-radio">
          <input
            type="radio"
            name="on_rate_limit"
            value={p}
            checked={form.onRateLimit === p}
            onChange={() => set({ onRateLimit: p })}
          />{' '}
          <strong>{rateLimitLabels[p]}</strong> <span className="muted small">— {rateLimitHelp[p]}</span>
        </label>
      ))}
      {form.onRateLimit === 'queue' && (
        <Field
          label="Longest wait in the queue (seconds)"
          help="A request still waiting after this answers 429 with Retry-After. Queued requests survive a restart."
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              value={form.queueMaxWait}
              onChange={(e) => set({ queueMaxWait: e.target.value })}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
}

/** Retries, the circuit breaker and the timeout: sensible defaults, collapsed until wanted. */
export function AdvancedFields({ form, set }: { form: RouteForm; set: SetForm }) {
  const retry = (change: Partial<RouteForm['retry']>) => set({ retry: { ...form.retry, ...change } });
  const breaker = (change: Partial<RouteForm['breaker']>) => set({ breaker: { ...form.breaker, ...change } });
  const number = (label: string, value: string, onChange: (v: string) => void, help?: string) => (
    <Field label={label} help={help}>
      {(props) => <input {...props} type="number" min={0} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
  return (
    <details className="rt-fieldset rt-advanced">
      <summary>Advanced: retries, circuit breaker, timeout</summary>
      <h3 className="rt-label">Retries</h3>
      <div className="rt-grid">
        {number('Attempts per provider', form.retry.attempts, (attempts) => retry({ attempts }))}
        {number('Longest wait before a retry (ms)', form.retry.maxWaitMs, (maxWaitMs) => retry({ maxWaitMs }))}
        {number(
          'Retry budget (% of recent calls)',
          form.retry.budgetPercent,
          (budgetPercent) => retry({ budgetPercent }),
          'Retries stop beyond this share of recent traffic, so a failing provider cannot multiply load.',
        )}
      </div>
      <CheckboxField
        label="Honour Retry-After"
        checked={form.retry.honourRetryAfter}
        onChange={(honourRetryAfter) => retry({ honourRetryAfter })}
        help="Wait as long as the provider asks (up to the longest wait) before retrying it."
      />
      <h3 className="rt-label">Circuit breaker</h3>
      <div className="rt-grid">
        {number('Failure rate that opens it (%)', form.breaker.failureRatePercent, (failureRatePercent) =>
          breaker({ failureRatePercent }),
        )}
        {number('Over a window of (seconds)', form.breaker.windowSeconds, (windowSeconds) =>
          breaker({ windowSeconds }),
        )}
        {number('With at least (calls)', form.breaker.minRequests, (minRequests) => breaker({ minRequests }))}
        {number('Or failures in a row', form.breaker.consecutiveFailures, (consecutiveFailures) =>
          breaker({ consecutiveFailures }),
        )}
        {number(
          'Probe again after (seconds)',
          form.breaker.cooldownSeconds,
          (cooldownSeconds) => breaker({ cooldownSeconds }),
          'An open breaker lets one probe call through after this; its success closes the breaker.',
        )}
      </div>
      {number('Timeout per call (ms)', form.timeoutMs, (timeoutMs) => set({ timeoutMs }))}
    </details>
  );
}
