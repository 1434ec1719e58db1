import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api, call } from './api.js';
import { useResetSession, useSession } from './auth.js';
import { canSee, fileSections, sections, syncSections, webhookSections } from './nav.js';
import { useWrite } from './ui/mutation.js';

/** The frame of every signed-in page: who and where you are, the tabs your role can use, and sign-out. */
export function Shell() {
  const { me, can, hasFeature } = useSession();
  const reset = useResetSession();
  const navigate = useNavigate();
  const signOut = useWrite({
    run: () => call(api.DELETE('/v1/sessions/current')),
    onSuccess: () => {
      reset();
      void navigate('/');
    },
  });
  const visible = sections.filter((s) => canSee(s, can, hasFeature));
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Switchyard</span>
        <span className="tenant" data-testid="tenant-name">
          {me.tenant.name}
        </span>
        <span className="who">
          <span data-testid="user-label">{me.label}</span>{' '}
          <span className="badge badge-neutral" data-testid="user-role">
            {me.superuser ? `${me.role} · superuser` : me.role}
          </span>
        </span>
        {me.kind === 'user' && (
          <button
            type="button"
            className="button button-small"
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(undefined)}
          >
            {signOut.isPending ? 'Signing out…' : 'Sign out'}
          </button>
        )}
      </header>
      <nav className="tabs" aria-label="Sections">
        {visible.map((s) => (
          <NavLink key={s.path} to={s.path} end={s.path === '/'} className="tab">
            {s.label}
          </NavLink>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** The Webhooks section: Outbound and Inbound tabs, each shown to roles that can use it. */
export function WebhooksLayout() {
  const { can } = useSession();
  return (
    <>
      <nav className="subtabs" aria-label="Webhooks">
        {webhookSections
          .filter((s) => canSee(s, can))
          .map((s) => (
            <NavLink key={s.path} to={s.path} className="subtab">
              {s.label}
            </NavLink>
          ))}
      </nav>
      <Outlet />
    </>
  );
}

/** The Sync Management section's tabs: Configurations, Imports, Files and Records, each shown to roles that can use it. */
export function SyncsLayout() {
  const { can } = useSession();
  return (
    <>
      <nav className="subtabs" aria-label="Sync Management">
        {syncSections
          .filter((s) => canSee(s, can))
          .map((s) => (
            <NavLink key={s.path} to={s.path} end className="subtab">
              {s.label}
            </NavLink>
          ))}
      </nav>
      <Outlet />
    </>
  );
}

/** /webhooks opens the tab the role can use, outbound first. */
export function WebhooksIndex() {
  const { can } = useSession();
  const first = webhookSections.find((s) => canSee(s, can));
  return <Navigate to={first?.path ?? '/webhooks/outbound'} replace />;
}

/** The Files section's tabs: the store, Import from cloud, and the imports and exports, each for roles that can use it. */
export function FilesLayout() {
  const { can } = useSession();
  return (
    <>
      <nav className="subtabs" aria-label="Files">
        {fileSections
          .filter((s) => canSee(s, can))
          .map((s) => (
            <NavLink key={s.path} to={s.path} end className="subtab">
              {s.label}
            </NavLink>
          ))}
      </nav>
      <Outlet />
    </>
  );
}

/** The files store moved from Sync Management to its own section: old links (with their folder) still lead there. */
export function FilesMoved() {
  const { search } = useLocation();
  return <Navigate to={`/files${search}`} replace />;
}
