import { useState } from 'react';
import { AnswerView, QueryFailure } from '../answer.js';
import { useRunQuery } from '../queries.js';
import { initialDraft, QueryFields, queryOf, type QueryDraft } from '../query-fields.js';
import type { Capability, QueryAnswer } from '../types.js';

/**
 * The fusion rules tried on live answers: the saved route is queried for real (the providers are called), and the
 * fused record is shown with each field's provider, its conflicts and its licence. Unsaved rules are saved first.
 */
export function FusionPreview({
  routeName,
  capability,
  dirty,
  save,
  nameOf,
}: {
  routeName: string;
  capability: Capability;
  dirty: boolean;
  /** Save the form as it is; resolves once saved (rejects when saving failed, which the form shows). */
  save: () => Promise<unknown>;
  nameOf: (id: string) => string;
}) {
  const [draft, setDraft] = useState<QueryDraft>(() => initialDraft(capability.query_schema));
  const [answer, setAnswer] = useState<QueryAnswer>();
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const run = useRunQuery(routeName);
  const preview = async () => {
    setError(undefined);
    if (dirty) {
      setSaving(true);
      try {
        await save();
      } catch {
        return;
      } finally {
        setSaving(false);
      }
    }
    run.mutate(queryOf(capability.query_schema, draft), {
      onSuccess: (a) => setAnswer(a),
      onError: (e) => {
        setAnswer(undefined);
        setError(e);
      },
    });
  };
  return (
    <section className="rt-fieldset stack" aria-labelledby="preview-title" data-testid="fusion-preview">
      <h3 id="preview-title" className="rt-label">
        Preview on live answers
      </h3>
      <p className="help">Calls every provider of the saved route with this query, as a real call (it is logged).</p>
      <QueryFields schema={capability.query_schema} draft={draft} onChange={setDraft} />
      <div>
        <button type="button" className="button" disabled={saving || run.isPending} onClick={() => void preview()}>
          {saving ? 'Saving…' : run.isPending ? 'Running…' : dirty ? 'Save and preview' : 'Preview'}
        </button>
      </div>
      <div aria-live="polite">
        {answer && <AnswerView answer={answer} nameOf={nameOf} />}
        {error !== undefined && <QueryFailure error={error} nameOf={nameOf} />}
      </div>
    </section>
  );
}
