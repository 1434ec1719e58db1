import { useState, type ReactNode } from 'react';
import { EmptyState, Field, SelectField, type useCursorPages } from '../../../ui/components.js';

/**
 * The filters of a log (the inbound event log, the outbound delivery log). Selects apply at once; the one free-text
 * filter (`text`) applies when the form is submitted, from its draft. Any change goes back to the first page.
 */
export function useLogFilters<F extends Record<string, unknown>>(
  none: F,
  text: keyof F & string,
  pages: ReturnType<typeof useCursorPages>,
) {
  const [filters, setFilters] = useState<F>(none);
  const [draft, setDraft] = useState('');
  const update = (change: Partial<F>) => {
    setFilters((f) => ({ ...f, ...change }));
    pages.reset();
  };
  return {
    filters,
    update,
    filtered: JSON.stringify(filters) !== JSON.stringify(none),
    draft,
    setDraft,
    apply: () => update({ [text]: draft.trim() } as Partial<F>),
    clear: () => {
      setDraft('');
      update(none);
    },
  };
}

/** What the filter bar and its text field use of `useLogFilters`. */
type LogFilters = Pick<ReturnType<typeof useLogFilters>, 'filtered' | 'draft' | 'setDraft' | 'apply' | 'clear'>;

/** A log's filter bar: the fields given, then the submit button and, once anything is filtered, "Clear filters". */
export function FilterBar({
  label,
  submitLabel,
  state,
  children,
}: {
  label: string;
  submitLabel: string;
  state: LogFilters;
  children: ReactNode;
}) {
  return (
    <form
      className="filters card"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        state.apply();
      }}
    >
      {children}
      <div className="row wh-filter-buttons">
        <button type="submit" className="button">
          {submitLabel}
        </button>
        {state.filtered && (
          <button type="button" className="button" onClick={state.clear}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}

/** The free-text filter, edited as a draft until the bar is submitted. */
export function FilterText({ label, placeholder, state }: { label: string; placeholder: string; state: LogFilters }) {
  return (
    <Field label={label}>
      {(props) => (
        <input
          {...props}
          type="search"
          value={state.draft}
          placeholder={placeholder}
          onChange={(e) => state.setDraft(e.target.value)}
        />
      )}
    </Field>
  );
}

/** The keys of a filter set whose values are strings (what a select can set). */
type TextKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F];

/** A select that sets one filter at once. */
export function FilterSelect<F extends Record<string, unknown>>({
  state,
  name,
  label,
  empty,
  options,
}: {
  state: { filters: F; update: (change: Partial<F>) => void };
  name: TextKey<F>;
  label: string;
  /** The option that clears this filter. */
  empty: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <SelectField
      label={label}
      value={state.filters[name] as string}
      onChange={(value) => state.update({ [name]: value } as Partial<F>)}
      empty={empty}
      options={options}
    />
  );
}

/** Select options whose labels are their values (statuses). */
export const optionsOf = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** An empty log: nothing matches the filters, or nothing happened yet (`title`, and `children` saying what to do). */
export function LogEmptyState({
  filtered,
  noun,
  title,
  children,
}: {
  filtered: boolean;
  /** What the log lists: "events", "deliveries". */
  noun: string;
  title: string;
  children: ReactNode;
}) {
  return filtered ? (
    <EmptyState title={`No ${noun} match these filters`}>Widen the time range or clear the filters.</EmptyState>
  ) : (
    <EmptyState title={title}>{children}</EmptyState>
  );
}
