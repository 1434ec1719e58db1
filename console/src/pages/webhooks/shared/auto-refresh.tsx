import { useState } from 'react';
import { Field } from '../../../ui/components.js';

/** Auto-refresh controls for a live log: an interval select, pause/resume and a Refresh button. */
export function useAutoRefresh(initialSeconds = 15) {
  const [seconds, setSeconds] = useState(initialSeconds);
  const [paused, setPaused] = useState(false);
  return {
    seconds,
    setSeconds,
    paused,
    setPaused,
    interval: paused || seconds === 0 ? (false as const) : seconds * 1000,
  };
}

export function AutoRefreshControls({
  state,
  onRefresh,
  fetching,
  updatedAt,
}: {
  state: ReturnType<typeof useAutoRefresh>;
  onRefresh: () => void;
  fetching: boolean;
  updatedAt: number;
}) {
  return (
    <div className="filters wh-refresh">
      <Field label="Auto-refresh">
        {(props) => (
          <select {...props} value={state.seconds} onChange={(e) => state.setSeconds(Number(e.target.value))}>
            <option value={2}>Every 2 s</option>
            <option value={5}>Every 5 s</option>
            <option value={15}>Every 15 s</option>
            <option value={30}>Every 30 s</option>
            <option value={60}>Every minute</option>
            <option value={0}>Off</option>
          </select>
        )}
      </Field>
      <button
        type="button"
        className="button"
        aria-pressed={state.paused}
        disabled={state.seconds === 0}
        onClick={() => state.setPaused(!state.paused)}
      >
        {state.paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" className="button" onClick={onRefresh} disabled={fetching}>
        {fetching ? 'Refreshing…' : 'Refresh'}
      </button>
      <span className="muted small">
        {state.interval ? `Live, every ${state.seconds} s` : 'Auto-refresh paused'}
        {updatedAt > 0 && ` · updated ${new Date(updatedAt).toLocaleTimeString()}`}
      </span>
    </div>
  );
}
