import { api, call, type Schemas } from '../../../api.js';
import { webhookKeys } from '../../../query-keys.js';
import { SelectField } from '../../../ui/components.js';
import { CheckboxField } from '../shared/controls.js';
import { countOf } from '../shared/format.js';
import { ReplayRangeForm, useRangeReplay } from '../shared/replay-range.js';
import { localInput } from '../shared/time-range.js';
import { useEndpointNames, useEventTypeOptions } from './queries.js';

type ReplayDryRun = Schemas['WebhookReplayDryRun'];
type ReplayResult = Schemas['WebhookReplayResult'];

const replayStatuses = ['failed', 'pending', 'delivered', 'skipped'] as const;
type ReplayStatus = (typeof replayStatuses)[number];
type Form = {
  from: string;
  to: string;
  endpoint: string;
  eventType: string;
  statuses: ReplayStatus[];
  includeMissing: boolean;
};

const body = (f: Form) => ({
  since: f.from ? new Date(f.from).toISOString() : '',
  ...(f.to ? { until: new Date(f.to).toISOString() } : {}),
  ...(f.endpoint ? { endpoint_id: f.endpoint } : {}),
  ...(f.eventType ? { event_types: [f.eventType] } : {}),
  statuses: f.statuses,
  include_missing: f.includeMissing,
});

const deliveries = (n: number) => countOf(n, 'delivery', 'deliveries');

/** Send the deliveries of events in a time range again (and create missing ones), once counted. */
export function ReplayDeliveriesForm({ onClose }: { onClose: () => void }) {
  const endpoints = useEndpointNames();
  const eventTypes = useEventTypeOptions();
  const replay = useRangeReplay({
    initial: (): Form => ({
      from: localInput(new Date(Date.now() - 86_400_000)),
      to: '',
      endpoint: '',
      eventType: '',
      statuses: ['failed'],
      includeMissing: false,
    }),
    count: async (f) =>
      (await call(api.POST('/v1/webhooks/replay', { body: { ...body(f), dry_run: true } }))) as ReplayDryRun,
    replay: async (f) => (await call(api.POST('/v1/webhooks/replay', { body: body(f) }))) as ReplayResult,
    success: (r) =>
      `Replay started: ${r.requeued} deliveries sent again, ${r.created} created${r.skipped_disabled ? `, ${r.skipped_disabled} of disabled endpoints left alone` : ''}.`,
    invalidate: [webhookKeys.all],
    onDone: onClose,
  });
  const { form, set, count, errors } = replay;
  const total = count ? count.deliveries + count.missing : undefined;
  return (
    <ReplayRangeForm
      state={replay}
      intro="Send the deliveries of events in a time range again. Count them first; nothing is sent until you confirm."
      fromLabel="Events from"
      untilHelp="Empty: now"
      statuses={replayStatuses}
      statusLegend="Deliveries to send again"
      statusError={errors.statuses}
      after={
        <CheckboxField
          label="Also create deliveries missing for subscribed endpoints"
          checked={form.includeMissing}
          onChange={(includeMissing) => set({ includeMissing })}
        />
      }
      countLabel="Count deliveries"
      total={total}
      counted={
        count && (
          <>
            {total === 0
              ? 'Nothing to replay in this range.'
              : `This replay would send ${deliveries(count.deliveries)} again`}
            {total !== 0 && count.missing > 0 && ` and create ${count.missing} missing`}
            {total !== 0 && '.'}
            {count.skipped_disabled > 0 && ` ${count.skipped_disabled} of disabled endpoints are left alone.`}
          </>
        )
      }
      replayLabel={`Replay ${deliveries(total ?? 0)}`}
      onClose={onClose}
    >
      <SelectField
        label="Endpoint"
        error={errors.endpoint_id}
        value={form.endpoint}
        onChange={(endpoint) => set({ endpoint })}
        empty="All endpoints"
        options={endpoints.options}
      />
      <SelectField
        label="Event type"
        error={errors.event_types}
        value={form.eventType}
        onChange={(eventType) => set({ eventType })}
        empty="All types"
        options={eventTypes}
      />
    </ReplayRangeForm>
  );
}
