import { api, call } from '../../../api.js';
import { inboundKeys } from '../../../query-keys.js';
import { Field, SelectField } from '../../../ui/components.js';
import { countOf } from '../shared/format.js';
import { ReplayRangeForm, useRangeReplay } from '../shared/replay-range.js';
import { localInput } from '../shared/time-range.js';
import { useSourceOptions } from './queries.js';

const replayStatuses = ['processed', 'failed', 'received'] as const;
type ReplayStatus = (typeof replayStatuses)[number];
type Form = { from: string; to: string; source: string; type: string; statuses: ReplayStatus[] };

const body = (f: Form) => ({
  since: f.from ? new Date(f.from).toISOString() : '',
  until: f.to ? new Date(f.to).toISOString() : '',
  ...(f.source ? { source_id: f.source } : {}),
  ...(f.type.trim() ? { event_type: f.type.trim() } : {}),
  status: f.statuses,
});

/** Run the events received in a time range through their sources' rules again, once counted. */
export function ReplayEventsForm({ onClose }: { onClose: () => void }) {
  const sources = useSourceOptions();
  const replay = useRangeReplay({
    initial: (): Form => ({
      from: localInput(new Date(Date.now() - 86_400_000)),
      to: localInput(new Date(Date.now() + 60_000)),
      source: '',
      type: '',
      statuses: ['processed', 'failed'],
    }),
    count: async (f) => (await call(api.POST('/v1/inbound/replay', { body: { ...body(f), dry_run: true } }))).count,
    replay: (f) => call(api.POST('/v1/inbound/replay', { body: body(f) })),
    success: (r) => `${countOf(r.count, 'event', 'events')} queued to run through their rules again.`,
    invalidate: [inboundKeys.events],
    onDone: onClose,
  });
  const { form, set, count, errors } = replay;
  return (
    <ReplayRangeForm
      state={replay}
      intro="Run the events received in a time range through their sources’ rules again. Count them first; nothing runs until you confirm."
      fromLabel="Received from"
      statuses={replayStatuses}
      statusLegend="Events to run again"
      countLabel="Count events"
      total={count}
      counted={
        count === 0
          ? 'No event in this range matches.'
          : `This replay would run ${countOf(count ?? 0, 'event', 'events')} again.`
      }
      replayLabel={`Replay ${countOf(count ?? 0, 'event', 'events')}`}
      onClose={onClose}
    >
      <SelectField
        label="Source"
        error={errors.source_id}
        value={form.source}
        onChange={(source) => set({ source })}
        empty="All sources"
        options={sources}
      />
      <Field label="Event type" help="Exact, or a prefix ending in *" error={errors.event_type}>
        {(props) => <input {...props} value={form.type} onChange={(e) => set({ type: e.target.value })} />}
      </Field>
    </ReplayRangeForm>
  );
}
