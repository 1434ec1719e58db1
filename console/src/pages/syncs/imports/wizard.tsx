import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call, SwitchyardError } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { syncKeys } from '../../../query-keys.js';
import { AccessDenied, ErrorState, Loading } from '../../../ui/components.js';
import { FileDrop } from '../../files/drop-zone.js';
import { bytes } from '../../webhooks/shared/format.js';
import { useConnectionNames } from '../queries.js';
import '../syncs.css';
import './imports.css';
import { CheckStep } from './step-check.js';
import { ImportStep } from './step-import.js';
import { PreviewStep } from './step-preview.js';
import { SchemaStep } from './step-schema.js';
import { TargetStep } from './step-target.js';
import {
  emptyWizard,
  fromInspection,
  modelNameOf,
  syncBodyOf,
  targetProblem,
  type FileFormat,
  type SyncBody,
  type Wizard,
} from './state.js';

const steps = ['Upload', 'Preview', 'Schema', 'Target and mapping', 'Dry run', 'Import'] as const;

/**
 * `/syncs/imports/new`: seed 002's bulk import, one step at a time — upload a file, see how it reads, accept or edit
 * the proposed schema, choose where it goes and how fields map, check the whole file as a dry run, then import and
 * follow it to its result. The import is saved as a sync when the dry run first starts, so it is listed with the
 * imports, can run again and be undone.
 */
export function ImportWizard() {
  const { can } = useSession();
  const missing = ['manage_files', 'view_files', 'run_syncs'].find((c) => !can(c));
  if (missing) return <AccessDenied capability={missing} what="import files" />;
  return <WizardPage />;
}

function WizardPage() {
  const connections = useConnectionNames();
  const client = useQueryClient();
  const [w, setW] = useState<Wizard>(emptyWizard);
  const set = (change: Partial<Wizard>) => setW((x) => ({ ...x, ...change }));
  const [step, setStep] = useState(0);
  const [saved, setSaved] = useState<{ id: string; body: string }>();
  const [check, setCheck] = useState<{ id: string; body: string }>();
  const [runId, setRunId] = useState<string>();

  const inspect = useMutation({
    mutationFn: ({ fileId, format }: { fileId: string; format?: FileFormat }) =>
      call(api.POST('/v1/imports/inspect', { body: { file_id: fileId, ...(format ? { format } : {}) } })),
    onSuccess: (inspection) => setW((x) => fromInspection(x, inspection)),
  });

  const body: SyncBody | undefined = w.file && w.format ? syncBodyOf(w) : undefined;
  const bodyText = body ? JSON.stringify(body) : '';

  /** The import as a sync: created the first time, updated when the settings changed since. */
  async function saveSync(): Promise<string> {
    if (!body) throw new Error('Nothing to save yet.');
    if (saved?.body === bodyText) return saved.id;
    const result = saved
      ? await call(api.PATCH('/v1/syncs/{id}', { params: { path: { id: saved.id } }, body }))
      : await call(api.POST('/v1/syncs', { body }));
    setSaved({ id: result.id, body: bodyText });
    return result.id;
  }

  const runCheck = useMutation({
    mutationFn: async () => {
      const id = await saveSync();
      const started = await call(api.POST('/v1/syncs/{id}/run', { params: { path: { id } }, body: { dry_run: true } }));
      return { id: started.execution.id, body: bodyText };
    },
    onSuccess: (result) => {
      setCheck(result);
      setRunId(undefined);
      void client.invalidateQueries({ queryKey: syncKeys.all });
    },
  });
  const runImport = useMutation({
    mutationFn: async (replace: boolean) => {
      const id = await saveSync();
      const started = await call(
        api.POST('/v1/syncs/{id}/run', { params: { path: { id } }, body: replace ? { full_refresh: true } : {} }),
      );
      return started.execution.id;
    },
    onSuccess: (id) => {
      setRunId(id);
      void client.invalidateQueries({ queryKey: syncKeys.all });
    },
  });

  const stale = check !== undefined && check.body !== bodyText;
  const columns = w.fields.map((f) => f.name);
  const blocked: (string | undefined)[] = [
    w.file ? undefined : 'Upload a file first.',
    w.inspection ? undefined : 'The file has not been read yet.',
    w.fields.length ? undefined : 'The file has no fields.',
    targetProblem(w),
    check && !stale ? undefined : 'Run the dry run first.',
  ];
  const next = blocked[step];
  return (
    <section className="page sy-page im-page" aria-labelledby="wizard-title">
      <p className="breadcrumb small">
        <Link to="/syncs">Sync Management</Link> / <Link to="/syncs/imports">Imports</Link>
      </p>
      <h1 id="wizard-title">Import a file</h1>
      <ol className="im-steps" aria-label="Steps">
        {steps.map((label, i) => (
          <li key={label} aria-current={i === step ? 'step' : undefined} className={i < step ? 'im-done' : undefined}>
            {i < step ? (
              <button type="button" className="link" onClick={() => setStep(i)}>
                <span className="im-step-number">{i + 1}</span> {label}
              </button>
            ) : (
              <span>
                <span className="im-step-number">{i + 1}</span> {label}
              </span>
            )}
          </li>
        ))}
      </ol>
      <h2 className="sy-section-title" data-testid="wizard-step">
        {step + 1}. {steps[step]}
      </h2>
      {w.file && step > 0 && (
        <p className="muted small" data-testid="wizard-file">
          {w.file.name} · {bytes(w.file.size)}
        </p>
      )}
      {step === 0 && (
        <div className="stack">
          <FileDrop
            folder="/imports"
            accept=".csv,.tsv,.json,.ndjson,.jsonl,.xml,text/csv,application/json,application/xml"
            hint="CSV, TSV, JSON, NDJSON or XML. Files over 4 MB go up in chunks and resume after a dropped connection."
            onUploaded={(file) => {
              setW({ ...emptyWizard, file, name: `Import ${file.name}`, model: modelNameOf(file.name) });
              setSaved(undefined);
              setCheck(undefined);
              setRunId(undefined);
              inspect.mutate({ fileId: file.id });
              setStep(1);
            }}
          />
        </div>
      )}
      {step === 1 &&
        (inspect.isPending && !w.inspection ? (
          <Loading what="Reading the file" />
        ) : (
          <>
            {inspect.error ? <InspectError error={inspect.error} /> : null}
            {w.inspection && (
              <PreviewStep
                inspection={w.inspection}
                reading={inspect.isPending}
                onRead={(format) => w.file && inspect.mutate({ fileId: w.file.id, format })}
              />
            )}
          </>
        ))}
      {step === 2 && <SchemaStep fields={w.fields} onChange={(fields) => set({ fields })} />}
      {step === 3 && <TargetStep w={w} set={set} connections={connections.options} />}
      {step === 4 && (
        <CheckStep
          checkId={check?.id}
          stale={stale}
          pending={runCheck.isPending}
          error={runCheck.error}
          columns={columns}
          onCheck={() => runCheck.mutate()}
        />
      )}
      {step === 5 && (
        <ImportStep
          checkId={check?.id}
          stale={stale}
          runId={runId}
          onError={w.onError}
          targetKind={w.targetKind}
          keepsJournal={w.undoable}
          name={body?.name ?? ''}
          syncId={saved?.id}
          pending={runImport.isPending}
          error={runImport.error}
          onImport={(replace) => runImport.mutate(replace)}
          columns={columns}
        />
      )}
      <div className="actions im-nav">
        {step > 0 && (
          <button type="button" className="button" onClick={() => setStep(step - 1)}>
            Back
          </button>
        )}
        {(step > 0 || w.file) && step < steps.length - 1 && (
          <button
            type="button"
            className="button button-primary"
            disabled={next !== undefined}
            title={next}
            onClick={() => setStep(step + 1)}
          >
            Next: {steps[step + 1]}
          </button>
        )}
      </div>
      {step > 0 && next && step < steps.length - 1 && (
        <p className="muted small im-why" role="status">
          {next}
        </p>
      )}
    </section>
  );
}

/** A file that cannot be read as asked: the API's reason, with the line when it has one. */
function InspectError({ error }: { error: unknown }) {
  const line = error instanceof SwitchyardError ? (error.problem as { line?: number }).line : undefined;
  return (
    <div className="stack">
      <ErrorState error={error} />
      {line !== undefined && <p className="muted small">At line {line} of the file.</p>}
    </div>
  );
}
