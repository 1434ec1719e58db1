import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Component, StrictMode, type ErrorInfo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Link, RouterProvider, useRouteError } from 'react-router';
import { SwitchyardError } from './api.js';
import { SessionGate, useSession } from './auth.js';
import { sectionFor } from './nav.js';
import { Activity } from './pages/Activity.js';
import { ApiKeys } from './pages/ApiKeys.js';
import { ConnectionDetail } from './pages/connections/ConnectionDetail.js';
import { ConnectionsList } from './pages/connections/ConnectionsList.js';
import { ConnectorSetup } from './pages/connections/ConnectorSetup.js';
import { Library } from './pages/connections/Library.js';
import { TransferHistory } from './pages/files/history.js';
import { ExportToCloud, ImportFromCloud } from './pages/files/import-page.js';
import { FilesStore } from './pages/files/store.js';
import { TransferPage } from './pages/files/transfer-page.js';
import { Overview } from './pages/Overview.js';
import { Registry } from './pages/Registry.js';
import { routingAreas } from './pages/routing/areas.js';
import { routingRoutes } from './pages/routing/routes.js';
import { Roles } from './pages/Roles.js';
import { Secrets } from './pages/Secrets.js';
import { SignIn } from './pages/SignIn.js';
import { Users } from './pages/Users.js';
import { ConflictsInbox } from './pages/syncs/conflicts/conflicts.js';
import { ExecutionDetail } from './pages/syncs/execution-detail.js';
import { SyncFormPage } from './pages/syncs/form/sync-form.js';
import { ImportsHistory } from './pages/syncs/imports/history.js';
import { ImportWizard } from './pages/syncs/imports/wizard.js';
import { SyncManagement } from './pages/syncs/index.js';
import { RecordStore } from './pages/syncs/records.js';
import { SyncDetail } from './pages/syncs/sync-detail.js';
import { EventTypes } from './pages/webhooks/EventTypes.js';
import { Inbound } from './pages/webhooks/inbound/index.js';
import { Outbound } from './pages/webhooks/outbound/index.js';
import { FilesLayout, FilesMoved, Shell, SyncsLayout, WebhooksIndex, WebhooksLayout } from './shell.js';
import { AccessDenied } from './ui/components.js';
import { NotifyProvider } from './ui/notify.js';
import './styles.css';

/** Render `children` only for roles holding the section's capability; otherwise say which one is missing. */
function Guard({ path, capability, children }: { path?: string; capability?: string; children: ReactNode }) {
  const { can } = useSession();
  const section = path ? sectionFor(path) : undefined;
  const needed = capability ?? section?.capability ?? '';
  if (needed && !can(needed)) {
    return <AccessDenied capability={needed} what={section?.what ?? `use this page`} />;
  }
  return <>{children}</>;
}

/** What a render failure or an unknown URL shows instead of a blank screen or a stack trace. */
function RouteError({ missing }: { missing?: boolean }) {
  const error = useRouteError() as { status?: number } | undefined;
  const notFound = missing || error?.status === 404;
  return (
    <section className="page">
      <h1>{notFound ? 'Page not found' : 'This page failed to load'}</h1>
      <p className="callout callout-error" role="alert">
        {notFound
          ? 'There is no console page at this address.'
          : error instanceof SwitchyardError
            ? error.problem.detail
            : 'Something went wrong while showing this page. Reload it; if it keeps failing, report it with the time it happened.'}
      </p>
      <Link to="/">Back to the overview</Link>
    </section>
  );
}

/** The last line of defence: a failure outside the router (signing in, the frame) still shows a sentence. */
class Crashed extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn('The console failed to render', error, info.componentStack);
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main id="main" className="page">
        <h1>The console stopped working</h1>
        <p className="callout callout-error" role="alert">
          Something went wrong while showing this page. Reload it; if it keeps failing, report it with the time it
          happened. The API itself is unaffected.
        </p>
      </main>
    );
  }
}

const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <Overview /> },
          {
            path: 'connections',
            element: (
              <Guard path="/connections">
                <ConnectionsList />
              </Guard>
            ),
          },
          {
            path: 'connections/library',
            element: (
              <Guard capability="browse_connector_library" path="/connections">
                <Library />
              </Guard>
            ),
          },
          {
            path: 'connections/library/:slug',
            element: (
              <Guard capability="browse_connector_library" path="/connections">
                <ConnectorSetup />
              </Guard>
            ),
          },
          {
            path: 'connections/:id',
            element: (
              <Guard path="/connections">
                <ConnectionDetail />
              </Guard>
            ),
          },
          {
            path: 'webhooks',
            element: <WebhooksLayout />,
            children: [
              { index: true, element: <WebhooksIndex /> },
              {
                path: 'inbound',
                element: (
                  <Guard path="/webhooks/inbound">
                    <Inbound />
                  </Guard>
                ),
              },
              {
                path: 'event-types',
                element: (
                  <Guard path="/webhooks/event-types">
                    <EventTypes />
                  </Guard>
                ),
              },
              {
                path: 'outbound',
                element: (
                  <Guard path="/webhooks/outbound">
                    <Outbound />
                  </Guard>
                ),
              },
            ],
          },
          {
            path: 'syncs',
            element: (
              <Guard path="/syncs">
                <SyncsLayout />
              </Guard>
            ),
            children: [
              { index: true, element: <SyncManagement /> },
              { path: 'conflicts', element: <ConflictsInbox /> },
              { path: 'imports', element: <ImportsHistory /> },
              { path: 'files', element: <FilesMoved /> },
              { path: 'records', element: <RecordStore /> },
            ],
          },
          {
            path: 'files',
            element: (
              <Guard path="/files">
                <FilesLayout />
              </Guard>
            ),
            children: [
              { index: true, element: <FilesStore /> },
              {
                path: 'import',
                element: (
                  <Guard path="/files/import">
                    <Guard capability="manage_files" path="/files/import">
                      <ImportFromCloud />
                    </Guard>
                  </Guard>
                ),
              },
              {
                path: 'export',
                element: (
                  <Guard capability="browse_storage" path="/files">
                    <ExportToCloud />
                  </Guard>
                ),
              },
              { path: 'transfers', element: <TransferHistory /> },
              { path: 'imports/:id', element: <TransferPage key="import" direction="import" /> },
              { path: 'exports/:id', element: <TransferPage key="export" direction="export" /> },
            ],
          },
          {
            path: 'syncs/imports/new',
            element: (
              <Guard capability="manage_syncs" path="/syncs">
                <ImportWizard />
              </Guard>
            ),
          },
          {
            path: 'syncs/new',
            element: (
              <Guard capability="manage_syncs" path="/syncs">
                <SyncFormPage />
              </Guard>
            ),
          },
          {
            path: 'syncs/executions/:id',
            element: (
              <Guard path="/syncs">
                <ExecutionDetail />
              </Guard>
            ),
          },
          {
            path: 'syncs/:id',
            element: (
              <Guard path="/syncs">
                <SyncDetail />
              </Guard>
            ),
          },
          {
            path: 'syncs/:id/edit',
            element: (
              <Guard capability="manage_syncs" path="/syncs">
                <SyncFormPage />
              </Guard>
            ),
          },
          ...routingAreas.flatMap(routingRoutes),
          {
            path: 'registry',
            element: (
              <Guard path="/registry">
                <Registry />
              </Guard>
            ),
          },
          {
            path: 'api-keys',
            element: (
              <Guard path="/api-keys">
                <ApiKeys />
              </Guard>
            ),
          },
          {
            path: 'users',
            element: (
              <Guard path="/users">
                <Users />
              </Guard>
            ),
          },
          {
            path: 'roles',
            element: (
              <Guard path="/roles">
                <Roles />
              </Guard>
            ),
          },
          {
            path: 'secrets',
            element: (
              <Guard path="/secrets">
                <Secrets />
              </Guard>
            ),
          },
          {
            path: 'activity',
            element: (
              <Guard path="/activity">
                <Activity />
              </Guard>
            ),
          },
          { path: '*', element: <RouteError missing /> },
        ],
      },
    ],
  },
]);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a network blip may.
      retry: (count, error) => !(error instanceof SwitchyardError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Crashed>
      <QueryClientProvider client={queryClient}>
        <NotifyProvider>
          <SessionGate signIn={<SignIn />}>
            <RouterProvider router={router} />
          </SessionGate>
        </NotifyProvider>
      </QueryClientProvider>
    </Crashed>
  </StrictMode>,
);
