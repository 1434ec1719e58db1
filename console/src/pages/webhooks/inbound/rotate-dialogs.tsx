import { useState } from 'react';
import { api, call } from '../../../api.js';
import { inboundKeys } from '../../../query-keys.js';
import { ConfirmDialog, Field, SelectField } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import type { Source } from './schemes.js';

const graceOptions = [
  { value: 86_400, label: '24 hours' },
  { value: 3600, label: '1 hour' },
  { value: 0, label: 'Not at all: retire it now' },
];

/** A new URL for a source whose URL leaked; the old one may keep working for a while. */
export function RotateTokenDialog({
  source,
  onClose,
  onRotated,
}: {
  source: Source | undefined;
  onClose: () => void;
  onRotated: (source: Source) => void;
}) {
  const [grace, setGrace] = useState(86_400);
  const rotate = useWrite({
    run: (s: Source) =>
      call(
        api.POST('/v1/inbound/sources/{id}/rotate-token', {
          params: { path: { id: s.id } },
          body: { grace_seconds: grace },
        }),
      ),
    success: 'The source has a new URL.',
    invalidate: [inboundKeys.all],
    onSuccess: onRotated,
  });
  return (
    <ConfirmDialog
      title="Rotate the URL"
      open={source !== undefined}
      confirmLabel="Rotate URL"
      pending={rotate.isPending}
      onConfirm={() => source && rotate.mutate(source)}
      onClose={onClose}
    >
      <p>
        <strong>{source?.name}</strong> gets a new URL. Use this when the current one has leaked.
      </p>
      <SelectField
        label="Keep the old URL working for"
        value={grace}
        onChange={(v) => setGrace(Number(v))}
        options={graceOptions}
      />
    </ConfirmDialog>
  );
}

/** A new verification secret (pasted or generated); the current one may keep being accepted for a while. */
export function RotateSecretDialog({
  source,
  onClose,
  onRotated,
}: {
  source: Source | undefined;
  onClose: () => void;
  onRotated: (secret: string | null) => void;
}) {
  const [overlap, setOverlap] = useState(86_400);
  const [own, setOwn] = useState('');
  const rotate = useWrite({
    run: (s: Source) =>
      call(
        api.POST('/v1/inbound/sources/{id}/rotate-secret', {
          params: { path: { id: s.id } },
          body: { overlap_seconds: overlap, ...(own ? { secret: own } : {}) },
        }),
      ),
    success: 'The source has a new secret.',
    invalidate: [inboundKeys.all],
    onSuccess: (result) => {
      setOwn('');
      onRotated(result.secret.secret);
    },
  });
  return (
    <ConfirmDialog
      title="Rotate the secret"
      open={source !== undefined}
      confirmLabel="Rotate secret"
      pending={rotate.isPending}
      onConfirm={() => source && rotate.mutate(source)}
      onClose={onClose}
    >
      <p>
        Requests to <strong>{source?.name}</strong> are verified with a new secret.
      </p>
      <Field
        label="New secret"
        help="Paste the vendor’s new secret, or leave empty to have one generated (shown once)."
      >
        {(props) => (
          <input {...props} type="password" autoComplete="off" value={own} onChange={(e) => setOwn(e.target.value)} />
        )}
      </Field>
      <SelectField
        label="Keep accepting the current secret for"
        value={overlap}
        onChange={(v) => setOverlap(Number(v))}
        options={graceOptions}
      />
    </ConfirmDialog>
  );
}
