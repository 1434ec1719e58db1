import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState, Loading, Pager, type useCursorPages } from './components.js';

type TableProps = {
  columns: readonly string[];
  actions?: string | undefined;
  /** A `<caption>` element. */
  caption?: ReactNode;
  className?: string;
  testId?: string;
};

/**
 * A table in its own scrolling frame (wide tables scroll inside it, never the page), with one header per column.
 * `actions` names a last column of buttons for screen readers only; on a narrow screen that column stays in view.
 */
export function DataTable({
  columns,
  actions,
  caption,
  className,
  testId,
  children,
}: TableProps & { children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table
        className={[className, actions ? 'with-actions' : ''].filter(Boolean).join(' ') || undefined}
        data-testid={testId}
      >
        {caption}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">{actions}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

type CursorPage<T> = { data: T[]; next_cursor?: string | null | undefined };

/**
 * One page of a cursor-paginated list as a table, with what to show while it loads, when it fails (with a retry)
 * and when the first page is empty. A later page that came back empty keeps its table and pager, so Previous
 * still leads back.
 */
export function PagedTable<T>({
  query,
  pages,
  loading,
  empty,
  row,
  ...table
}: {
  query: UseQueryResult<CursorPage<T>>;
  pages: ReturnType<typeof useCursorPages>;
  /** What is loading, e.g. "Loading sources". */
  loading?: string;
  empty: ReactNode;
  /** One row; it carries its own `key`. */
  row: (item: T) => ReactNode;
} & TableProps) {
  if (query.isPending) return <Loading what={loading} />;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (query.data.data.length === 0 && pages.page === 1) return <>{empty}</>;
  return (
    <>
      <DataTable {...table}>{query.data.data.map(row)}</DataTable>
      <Pager pages={pages} nextCursor={query.data.next_cursor} />
    </>
  );
}
