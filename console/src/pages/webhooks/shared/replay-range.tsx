import type { QueryKey } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { fieldErrors } from '../../../api.js';
import { useWrite } from '../../../ui/mutation.js';
import { CheckList } from './controls.js';
import { DateTimeField } from './time-range.js';

/** What every range replay form holds besides its own filters: the range and the statuses to run again. */
type RangeForm<S extends string> = { from: string; to: string; statuses: S[] };

/**
 * A replay of a time range: a dry run counts what would run, any change to the form forgets that count, and the
 * replay itself is offered only once a count came back.
 */
export function useRangeReplay<F extends RangeForm<string>, C, R>(options: {
  initial: () => F;
  count: (form: F) => Promise<C>;
  replay: (form: F) => Promise<R>;
  success: (result: R) => string;
  invalidate: QueryKey[];
  onDone: () => void;
}) {
  const [form, setForm] = useState(options.initial);
  const [count, setCount] = useState<C>();
  const dryRun = useWrite({ run: () => options.count(form), onSuccess: (result) => setCount(result) });
  const replay = useWrite({
    run: () => options.replay(form),
    success: options.success,
    invalidate: options.invalidate,
    onSuccess: options.onDone,
  });
  return {
    form,
    set: (change: Partial<F>) => {
      setForm((f) => ({ ...f, ...change }));
      setCount(undefined);
    },
    count,
    dryRun,
    replay,
    errors: fieldErrors(dryRun.error ?? replay.error),
  };
}

type RangeReplay<S extends string> = {
  form: RangeForm<S>;
  set: (change: Partial<RangeForm<S>>) => void;
  dryRun: { isPending: boolean; mutate: (input: undefined) => void };
  replay: { isPending: boolean; mutate: (input: undefined) => void };
  errors: Record<string, string>;
};

/**
 * The form around a range replay's own filters: the intro, the range, the filters (`children`), the statuses, the
 * count once there is one, and Cancel / Count / Replay.
 */
export function ReplayRangeForm<S extends string>({
  state,
  intro,
  fromLabel,
  untilHelp,
  statuses,
  statusLegend,
  statusError,
  after,
  countLabel,
  total,
  counted,
  replayLabel,
  onClose,
  children,
}: {
  state: RangeReplay<S>;
  intro: string;
  fromLabel: string;
  /** Help for an optional end of the range; without it the end is required. */
  untilHelp?: string;
  statuses: readonly S[];
  statusLegend: string;
  statusError?: string | undefined;
  /** Fields after the statuses. */
  after?: ReactNode;
  countLabel: string;
  /** What the dry run counted; undefined until it answered. */
  total: number | undefined;
  /** The dry run's answer in words. */
  counted: ReactNode;
  replayLabel: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { form, set, dryRun, replay, errors } = state;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        dryRun.mutate(undefined);
      }}
      noValidate
    >
      <p className="muted">{intro}</p>
      <div className="wh-two">
        <DateTimeField
          label={fromLabel}
          required
          value={form.from}
          error={errors.since}
          onChange={(from) => set({ from })}
        />
        <DateTimeField
          label="Until"
          required={!untilHelp}
          help={untilHelp}
          value={form.to}
          error={errors.until}
          onChange={(to) => set({ to })}
        />
      </div>
      {children}
      <fieldset className="wh-fieldset">
        <legend>{statusLegend}</legend>
        <CheckList inline options={statuses} value={form.statuses} onChange={(chosen) => set({ statuses: chosen })} />
        {statusError && (
          <p className="field-error" role="alert">
            {statusError}
          </p>
        )}
      </fieldset>
      {after}
      {total !== undefined && (
        <p className="callout callout-info" role="status" data-testid="replay-count">
          {counted}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={dryRun.isPending || form.statuses.length === 0}>
          {dryRun.isPending ? 'Counting…' : countLabel}
        </button>
        {total !== undefined && total > 0 && (
          <button
            type="button"
            className="button button-primary"
            disabled={replay.isPending}
            onClick={() => replay.mutate(undefined)}
          >
            {replay.isPending ? 'Replaying…' : replayLabel}
          </button>
        )}
      </div>
    </form>
  );
}
