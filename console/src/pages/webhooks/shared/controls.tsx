import type { ReactNode } from 'react';

/** A checkbox with its label beside it, and optional help below. */
export function CheckboxField({
  label,
  checked,
  onChange,
  help,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  help?: string;
}) {
  return (
    <div className="field">
      <label className="wh-check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
      </label>
      {help && <p className="help">{help}</p>}
    </div>
  );
}

/** A list of checkboxes choosing some of `options`; `inline` lays them out in a row (statuses). */
export function CheckList<T extends string>({
  options,
  value,
  onChange,
  inline,
  label = (option) => option,
}: {
  options: readonly T[];
  value: readonly T[];
  onChange: (value: T[]) => void;
  inline?: boolean;
  label?: (option: T) => ReactNode;
}) {
  return (
    <ul className={inline ? 'wh-checklist wh-inline' : 'wh-checklist'}>
      {options.map((option) => (
        <li key={option}>
          <label>
            <input
              type="checkbox"
              checked={value.includes(option)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, option] : value.filter((chosen) => chosen !== option))
              }
            />{' '}
            {label(option)}
          </label>
        </li>
      ))}
    </ul>
  );
}

/** A small button in a table row; `name` says what it acts on for screen readers ("Edit Billing vendor"). */
export function RowButton({
  name,
  onClick,
  disabled,
  children,
}: {
  name: string;
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className="button button-small" aria-label={name} disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}

/** The buttons of a table row, kept on one line. */
export function RowActions({ children }: { children: ReactNode }) {
  return <div className="row wh-row-actions">{children}</div>;
}
