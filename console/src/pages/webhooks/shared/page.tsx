import type { ReactNode } from 'react';
import '../webhooks.css';

/** A webhooks page: its title, what it is for, the page's main buttons, and its sections. */
export function WebhooksPage({
  id,
  title,
  intro,
  actions,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  actions: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page wh-page" aria-labelledby={id}>
      <header className="page-header">
        <div>
          <h1 id={id}>{title}</h1>
          <p className="muted">{intro}</p>
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}
