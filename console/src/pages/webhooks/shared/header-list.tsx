/** Header names and values as a definition list (response headers, received headers). */
export function HeaderList({ headers, label }: { headers: Record<string, string> | null | undefined; label: string }) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p className="muted small">No headers recorded.</p>;
  return (
    <dl className="details wh-headers" aria-label={label}>
      {entries.map(([name, value]) => (
        <div key={name} className="wh-header-row">
          <dt>
            <code>{name}</code>
          </dt>
          <dd>
            <code>{value}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
