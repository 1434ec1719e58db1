import type { ConnectorDetail } from './shared.js';

const sectionLabels: Record<string, string> = {
  auth: 'Authentication',
  test: 'Test call',
  revocation: 'Revocation',
  rate_limit: 'Rate limits',
  pagination: 'Pagination',
  webhooks: 'Webhooks',
  streams: 'Streams',
};

/** Shows a source as a link when it is one (manifests also cite commits and SDK docs by name). */
function Source({ text }: { text: string }) {
  return /^https:\/\//.test(text) ? (
    <a href={text} target="_blank" rel="noreferrer noopener">
      {text}
    </a>
  ) : (
    <span>{text}</span>
  );
}

/**
 * What the connector's manifest was checked against and when, the vendor API version it targets, and what the
 * vendor has announced will end — so an operator can judge how current it is.
 */
export function ConnectorVerification({ connector }: { connector: ConnectorDetail }) {
  const sections = Object.entries(connector.verified);
  return (
    <section className="card" aria-labelledby="verification-title">
      <h2 id="verification-title">Verification</h2>
      <p className="small">
        Vendor API version:{' '}
        {connector.api_version ? <code>{connector.api_version}</code> : <span className="muted">not pinned</span>}
      </p>
      {sections.length === 0 ? (
        <p className="muted small">This manifest records no verification against the vendor’s documentation yet.</p>
      ) : (
        <table className="small">
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Verified</th>
              <th scope="col">Against</th>
            </tr>
          </thead>
          <tbody>
            {sections.map(([section, v]) => (
              <tr key={section}>
                <td>{sectionLabels[section] ?? section}</td>
                <td>
                  <time dateTime={v.date}>{v.date}</time>
                </td>
                <td>
                  {v.sources.map((s) => (
                    <div key={s}>
                      <Source text={s} />
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {connector.sunsets.length > 0 && (
        <>
          <h3>Announced end of life</h3>
          <ul className="small" aria-label="Sunsets">
            {connector.sunsets.map((s) => (
              <li key={`${s.what}-${s.date}`}>
                {s.what} ends <time dateTime={s.date}>{s.date}</time>
                {s.replacement && <> (replacement: {s.replacement})</>} — <Source text={s.source} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
