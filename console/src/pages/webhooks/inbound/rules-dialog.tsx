import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, errorsByPath } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { inboundKeys, syncKeys } from '../../../query-keys.js';
import { Dialog, Field, FormActions, SelectField } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { CheckboxField } from '../shared/controls.js';
import { HeaderEditor } from '../shared/header-editor.js';
import { useEventTypes } from '../outbound/queries.js';
import {
  describeAction,
  localProblems,
  newAction,
  newRule,
  rulesForm,
  rulesPayload,
  type ActionForm,
  type ActionType,
  type RuleForm,
} from './rule-form.js';
import type { Source } from './schemes.js';

const actionTypes: { value: ActionType; label: string }[] = [
  { value: 'publish', label: 'Publish an event' },
  { value: 'forward', label: 'Forward the request' },
  { value: 'run_sync', label: 'Run a sync' },
];

/** A source's routing rules: edited by roles that manage sources, listed for the others. */
export function RulesDialog({ source, onClose }: { source: Source | undefined; onClose: () => void }) {
  const { can } = useSession();
  return (
    <Dialog title={`Rules of ${source?.name ?? ''}`} open={source !== undefined} onClose={onClose} wide>
      {source &&
        (can('manage_inbound') ? <RulesEditor source={source} onClose={onClose} /> : <RulesView source={source} />)}
    </Dialog>
  );
}

function RulesView({ source }: { source: Source }) {
  if (source.rules.length === 0) return <p className="muted">No rules: events are logged and nothing else runs.</p>;
  return (
    <ol className="stack" data-testid="rules-view">
      {source.rules.map((r) => (
        <li key={r.name}>
          <strong>{r.name}</strong>
          <div className="small">
            {r.event_types.length ? `Types: ${r.event_types.join(', ')}` : 'Every event type'}
            {r.condition && (
              <>
                {' '}
                · when <code>{r.condition}</code>
              </>
            )}
            {r.continue && ' · then the next rules too'}
          </div>
          <ul className="small">
            {r.actions.map((a, i) => (
              <li key={i}>{describeAction(a)}</li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

function RulesEditor({ source, onClose }: { source: Source; onClose: () => void }) {
  const { can } = useSession();
  const [rules, setRules] = useState<RuleForm[]>(() => rulesForm(source.rules));
  const [local, setLocal] = useState(new Map<number, Map<number, string>>());
  const eventTypes = useEventTypes();
  const syncs = useQuery({
    queryKey: syncKeys.picker,
    queryFn: () => call(api.GET('/v1/syncs', { params: { query: { limit: 200 } } })),
    enabled: can('view_syncs'),
  });
  const save = useWrite({
    run: () =>
      call(
        api.PATCH('/v1/inbound/sources/{id}', {
          params: { path: { id: source.id } },
          body: { rules: rulesPayload(rules) },
        }),
      ),
    success: `Rules of ${source.name} saved.`,
    invalidate: [inboundKeys.all],
    onSuccess: onClose,
  });
  const errors = errorsByPath(save.error);
  const publishable = (eventTypes.data?.data ?? []).filter((t) => !t.built_in && !t.archived_at).map((t) => t.name);
  const syncOptions = (syncs.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }));

  const setRule = (key: number, change: Partial<RuleForm>) =>
    setRules((all) => all.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const setAction = (rule: RuleForm, key: number, change: Partial<ActionForm>) =>
    setRule(rule.key, { actions: rule.actions.map((a) => (a.key === key ? { ...a, ...change } : a)) });
  const move = (index: number, by: number) =>
    setRules((all) => {
      const next = [...all];
      const [moved] = next.splice(index, 1);
      if (moved) next.splice(index + by, 0, moved);
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = localProblems(rules);
    setLocal(problems);
    if (problems.size === 0) save.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <p className="muted">
        Rules run in order on every verified event; the first that matches wins unless it continues. Conditions are
        SQL/JSON path predicates over <code>{'{"type", "headers", "payload"}'}</code>, e.g.{' '}
        <code>$.payload.action == "opened"</code>.
      </p>
      {rules.length === 0 && <p className="muted">No rules: events are logged and nothing else runs.</p>}
      {rules.map((rule, i) => {
        const at = `rules.${i}`;
        const typeError = [...errors].find(([path]) => path.startsWith(`${at}.event_types`))?.[1];
        return (
          <fieldset key={rule.key} className="wh-fieldset wh-rule" data-testid="rule">
            <legend>Rule {i + 1}</legend>
            <Field label="Name" required error={errors.get(`${at}.name`)}>
              {(p) => <input {...p} value={rule.name} onChange={(e) => setRule(rule.key, { name: e.target.value })} />}
            </Field>
            <Field
              label="Event types"
              error={typeError}
              help="Comma-separated; a trailing * matches a prefix (invoice.*). Empty: every type."
            >
              {(p) => (
                <input
                  {...p}
                  value={rule.event_types}
                  onChange={(e) => setRule(rule.key, { event_types: e.target.value })}
                />
              )}
            </Field>
            <Field label="Condition (optional)" error={errors.get(`${at}.condition`)}>
              {(p) => (
                <input
                  {...p}
                  className="wh-wide-input"
                  value={rule.condition}
                  onChange={(e) => setRule(rule.key, { condition: e.target.value })}
                />
              )}
            </Field>
            <CheckboxField
              label="Continue with the next rules when this one matches"
              checked={rule.continue}
              onChange={(v) => setRule(rule.key, { continue: v })}
            />
            <ol className="wh-rule-actions">
              {rule.actions.map((action, j) => (
                <li key={action.key} data-testid="rule-action">
                  <ActionFields
                    action={action}
                    label={`Action ${j + 1}`}
                    at={`${at}.actions.${j}`}
                    errors={errors}
                    local={local.get(action.key) ?? new Map()}
                    publishable={publishable}
                    syncOptions={syncs.isSuccess ? syncOptions : undefined}
                    onChange={(change) => setAction(rule, action.key, change)}
                  />
                  {rule.actions.length > 1 && (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => setRule(rule.key, { actions: rule.actions.filter((a) => a.key !== action.key) })}
                    >
                      Remove action {j + 1}
                    </button>
                  )}
                </li>
              ))}
            </ol>
            {errors.get(`${at}.actions`) && (
              <p className="field-error" role="alert">
                {errors.get(`${at}.actions`)}
              </p>
            )}
            <div className="row">
              <button
                type="button"
                className="button button-small"
                onClick={() => setRule(rule.key, { actions: [...rule.actions, newAction()] })}
              >
                Add action<span className="visually-hidden"> to rule {i + 1}</span>
              </button>
              {i > 0 && (
                <button type="button" className="button button-small" onClick={() => move(i, -1)}>
                  Move up<span className="visually-hidden"> rule {i + 1}</span>
                </button>
              )}
              <button
                type="button"
                className="button button-small button-danger"
                onClick={() => setRules((all) => all.filter((r) => r.key !== rule.key))}
              >
                Remove rule {i + 1}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button type="button" className="button" onClick={() => setRules((all) => [...all, newRule(all.length)])}>
        Add rule
      </button>
      <FormActions onCancel={onClose} pending={save.isPending} pendingLabel="Saving…" label="Save rules" />
    </form>
  );
}

function ActionFields({
  action: a,
  label,
  at,
  errors,
  local,
  publishable,
  syncOptions,
  onChange,
}: {
  action: ActionForm;
  label: string;
  at: string;
  errors: Map<string, string>;
  local: Map<number, string>;
  publishable: string[];
  /** The tenant's syncs; undefined when the role cannot list them (the id is typed instead). */
  syncOptions: { value: string; label: string }[] | undefined;
  onChange: (change: Partial<ActionForm>) => void;
}) {
  const types = a.event_type && !publishable.includes(a.event_type) ? [a.event_type, ...publishable] : publishable;
  return (
    <div className="stack">
      <SelectField
        label={label}
        value={a.type}
        onChange={(v) => onChange({ type: v as ActionType })}
        options={actionTypes}
        error={errors.get(`${at}.type`)}
      />
      {a.type === 'publish' && (
        <SelectField
          label="Event type to publish"
          value={a.event_type}
          onChange={(v) => onChange({ event_type: v })}
          empty="Choose an event type"
          options={types.map((t) => ({ value: t, label: t }))}
          error={errors.get(`${at}.event_type`)}
          help="One of your event types; endpoints subscribed to it receive the event."
        />
      )}
      {a.type === 'forward' && (
        <>
          <Field label="Forward to URL" error={errors.get(`${at}.url`)}>
            {(p) => (
              <input
                {...p}
                type="url"
                className="wh-wide-input"
                value={a.url}
                onChange={(e) => onChange({ url: e.target.value })}
              />
            )}
          </Field>
          <Field label="Timeout (ms)" error={errors.get(`${at}.timeout_ms`)}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={100}
                max={30000}
                value={a.timeout_ms}
                onChange={(e) => onChange({ timeout_ms: e.target.value })}
              />
            )}
          </Field>
          <HeaderEditor
            label="Forwarded headers"
            names={a.header_names}
            state={a.headers}
            onChange={(headers) => onChange({ headers })}
            errorAt={(name) => errors.get(`${at}.headers.${name}`)}
            local={local}
          />
        </>
      )}
      {a.type === 'run_sync' && (
        <>
          {syncOptions ? (
            <SelectField
              label="Sync to run"
              value={a.sync_id}
              onChange={(v) => onChange({ sync_id: v })}
              empty="Choose a sync"
              options={syncOptions}
              error={errors.get(`${at}.sync_id`)}
            />
          ) : (
            <Field label="Sync id" error={errors.get(`${at}.sync_id`)}>
              {(p) => <input {...p} value={a.sync_id} onChange={(e) => onChange({ sync_id: e.target.value })} />}
            </Field>
          )}
          <CheckboxField
            label="Full refresh"
            checked={a.full_refresh}
            onChange={(v) => onChange({ full_refresh: v })}
          />
        </>
      )}
    </div>
  );
}
