import { useState, type FormEvent } from 'react';
import { fieldErrors } from '../../api.js';
import { useSession } from '../../auth.js';
import { AnswerView, ExplanationView, QueryFailure } from './answer.js';
import { providerName, useExplainQuery, useRunQuery } from './queries.js';
import { initialDraft, QueryFields, queryOf, type QueryDraft } from './query-fields.js';
import type { Capability, Explanation, QueryAnswer, Route } from './types.js';

type Outcome =
  | { kind: 'answer'; answer: QueryAnswer }
  | { kind: 'explanation'; explanation: Explanation }
  | { kind: 'error'; error: unknown };

/**
 * "Try it": a query built from the capability's query schema, then Run (a real call through the route, logged like
 * any other) or Explain (which provider would answer now, and why, without calling any).
 */
export function TryIt({ route, capability }: { route: Route; capability: Capability }) {
  const { can } = useSession();
  const [draft, setDraft] = useState<QueryDraft>(() => initialDraft(capability.query_schema));
  const [outcome, setOutcome] = useState<Outcome>();
  const run = useRunQuery(route.name);
  const explain = useExplainQuery(route.name);
  const nameOf = providerName(route);
  const query = () => queryOf(capability.query_schema, draft);
  const onError = (error: unknown) => setOutcome({ kind: 'error', error });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!can('query_routes')) return;
    run.mutate(query(), { onSuccess: (answer) => setOutcome({ kind: 'answer', answer }), onError });
  };
  const pending = run.isPending || explain.isPending;
  const errors = outcome?.kind === 'error' ? fieldErrors(outcome.error) : {};
  return (
    <section className="card stack" aria-labelledby="try-title" data-testid="try-it">
      <h2 id="try-title" className="rt-section-title">
        Try it
      </h2>
      <p className="muted small">
        Run calls the providers through this route as an API client would; Explain says which one would answer now and
        why, calling none.
      </p>
      <form onSubmit={submit} noValidate className="stack">
        <QueryFields schema={capability.query_schema} draft={draft} onChange={setDraft} errors={errors} />
        <div className="row">
          {can('query_routes') && (
            <button type="submit" className="button button-primary" disabled={pending || !route.enabled}>
              {run.isPending ? 'Running…' : 'Run'}
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={pending}
            onClick={() =>
              explain.mutate(query(), {
                onSuccess: (explanation) => setOutcome({ kind: 'explanation', explanation }),
                onError,
              })
            }
          >
            {explain.isPending ? 'Explaining…' : 'Explain'}
          </button>
        </div>
        {!route.enabled && <p className="muted small">The route is disabled: enable it to run queries.</p>}
      </form>
      <div aria-live="polite">
        {outcome?.kind === 'answer' && <AnswerView answer={outcome.answer} nameOf={nameOf} />}
        {outcome?.kind === 'explanation' && <ExplanationView explanation={outcome.explanation} nameOf={nameOf} />}
        {outcome?.kind === 'error' && <QueryFailure error={outcome.error} nameOf={nameOf} />}
      </div>
    </section>
  );
}
