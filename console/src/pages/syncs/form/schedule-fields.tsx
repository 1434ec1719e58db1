import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, call, errorMessage } from '../../../api.js';
import { syncKeys } from '../../../query-keys.js';
import { Field, SelectField } from '../../../ui/components.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import { misfireLabels, overlapLabels, type Schedule } from '../labels.js';

/** `value`, once it has stopped changing for `ms` (what a preview asks the API about while the user types). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Every IANA zone the browser knows, for the zone picker (UTC first: it is in none of the regions). */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...known, current])];
}

const entries = <K extends string>(labels: Record<K, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label: label as string }));

/**
 * The schedule: a cron read in an IANA time zone, what happens to missed instants and overlapping runs, and the next
 * runs the server computes for it (asked once typing pauses; an invalid cron or zone says why instead).
 */
export function ScheduleFields({
  scheduled,
  schedule,
  onScheduled,
  onChange,
  problems,
}: {
  scheduled: boolean;
  schedule: Schedule;
  onScheduled: (scheduled: boolean) => void;
  onChange: (schedule: Schedule) => void;
  /** What the API said about the schedule when saving. */
  problems: string[];
}) {
  const zones = useMemo(() => timeZones(schedule.timezone), [schedule.timezone]);
  const asked = useDebounced({ cron: schedule.cron.trim(), timezone: schedule.timezone }, 400);
  const preview = useQuery({
    queryKey: syncKeys.schedulePreview(asked),
    queryFn: () =>
      call(api.POST('/v1/syncs/schedule-preview', { body: { ...asked, misfire: 'skip', overlap: 'skip', count: 5 } })),
    enabled: scheduled && asked.cron !== '',
    retry: false,
    staleTime: 30_000,
  });
  const cronError = scheduled && asked.cron !== '' && preview.error ? errorMessage(preview.error) : problems[0];
  const set = (change: Partial<Schedule>) => onChange({ ...schedule, ...change });
  return (
    <fieldset className="sy-fieldset">
      <legend>Schedule</legend>
      <CheckboxField
        label="Run on a schedule"
        checked={scheduled}
        onChange={onScheduled}
        help="Without one, the sync runs by hand (Run), from an inbound webhook rule or on an event."
      />
      {scheduled && (
        <>
          <div className="sy-two">
            <Field
              label="Cron expression"
              required
              error={cronError}
              help="Minute hour day month weekday, e.g. 0 2 * * * for 02:00 every day; @hourly and @daily work too."
            >
              {(props) => (
                <input
                  {...props}
                  value={schedule.cron}
                  onChange={(e) => set({ cron: e.target.value })}
                  spellCheck={false}
                  autoComplete="off"
                />
              )}
            </Field>
            <SelectField
              label="Time zone"
              value={schedule.timezone}
              onChange={(timezone) => set({ timezone })}
              options={zones.map((z) => ({ value: z, label: z.replaceAll('_', ' ') }))}
              help="The cron is read as wall-clock time here, across daylight-saving changes."
            />
            <SelectField
              label="Missed runs"
              value={schedule.misfire}
              onChange={(misfire) => set({ misfire: misfire as Schedule['misfire'] })}
              options={entries(misfireLabels)}
              help="Instants that passed while no server was running."
            />
            <SelectField
              label="When the previous run is still going"
              value={schedule.overlap}
              onChange={(overlap) => set({ overlap: overlap as Schedule['overlap'] })}
              options={entries(overlapLabels)}
            />
          </div>
          <NextRuns
            timezone={asked.timezone}
            runs={cronError ? undefined : preview.data?.next_runs}
            pending={preview.isFetching}
          />
        </>
      )}
    </fieldset>
  );
}

function NextRuns({ runs, timezone, pending }: { runs: string[] | undefined; timezone: string; pending: boolean }) {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className="sy-next-runs" aria-live="polite" data-testid="schedule-preview">
      {runs ? (
        <>
          <p className="sy-label">Next runs</p>
          <ol>
            {runs.map((iso) => (
              <li key={iso}>
                <time dateTime={iso}>
                  {new Date(iso).toLocaleString(undefined, {
                    timeZone: timezone,
                    dateStyle: 'full',
                    timeStyle: 'short',
                  })}
                </time>{' '}
                <span className="muted small">
                  {timezone}
                  {timezone !== local && ` · ${new Date(iso).toLocaleString(undefined, { timeStyle: 'short' })} here`}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        pending && <p className="muted small">Working out the next runs…</p>
      )}
    </div>
  );
}
