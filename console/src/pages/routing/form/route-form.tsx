import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage, SwitchyardError } from '../../../api.js';
import { ErrorState, Field, Loading } from '../../../ui/components.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import { useConnectionNames } from '../../syncs/queries.js';
import type { RoutingArea } from '../areas.js';
import { useCapabilities, useRoute, useSaveRoute } from '../queries.js';
import '../routing.css';
import type { Capability, Route } from '../types.js';
import { FusionEditor } from './fusion-editor.js';
import { FusionPreview } from './fusion-preview.js';
import { AdvancedFields, RateLimitFields, StrategyFields } from './policy-fields.js';
import { ProvidersEditor } from './providers-editor.js';
import { bodyOf, initialForm, problemsAt, type RouteForm } from './state.js';

/** `<tab>/routes/new` and `<tab>/routes/:name/edit`: a route's providers, strategies and fusion rules. */
export function RouteFormPage({ area }: { area: RoutingArea }) {
  const { name } = useParams();
  const capabilities = useCapabilities();
  const route = useRoute(name ?? '', name !== undefined);
  const loading = capabilities.isPending || (name !== undefined && route.isPending);
  const error = capabilities.error ?? (name !== undefined ? route.error : null);
  if (loading || error || !capabilities.data) {
    return (
      <section className="page rt-page" aria-labelledby="route-form-title">
        <h1 id="route-form-title">{name ? `Edit ${name}` : 'New route'}</h1>
        {error ? (
          <ErrorState error={error} retry={() => void (capabilities.error ? capabilities : route).refetch()} />
        ) : (
          <Loading what="Loading the route" />
        )}
      </section>
    );
  }
  const inArea = capabilities.data.data.filter((c) => c.feature === area.feature && c.enabled);
  return <RouteFormBody area={area} capabilities={inArea} {...(name && route.data ? { route: route.data } : {})} />;
}

function RouteFormBody({
  area,
  capabilities,
  route,
}: {
  area: RoutingArea;
  capabilities: Capability[];
  route?: Route;
}) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const connections = useConnectionNames();
  const [form, setForm] = useState<RouteForm>(() => {
    const name = route?.capability ?? params.get('capability') ?? capabilities[0]?.name ?? '';
    const providers = capabilities.find((c) => c.name === name)?.providers ?? [];
    return initialForm(route, name, (connector) => providers.find((p) => p.connector === connector)?.redistributable);
  });
  const [saved, setSaved] = useState(() => JSON.stringify(bodyOf(form)));
  const set = (change: Partial<RouteForm>) => setForm((f) => ({ ...f, ...change }));
  const save = useSaveRoute(route?.name);
  const capability = capabilities.find((c) => c.name === form.capability);
  const all = connections.query.data?.data ?? [];
  const nameOf = (id: string) => all.find((c) => c.id === id)?.name ?? id;
  const dirty = JSON.stringify(bodyOf(form)) !== saved;
  const routePath = (name: string) => `${area.path}/routes/${encodeURIComponent(name)}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(bodyOf(form), { onSuccess: (r) => void navigate(routePath(r.name)) });
  };
  const saveInPlace = async () => {
    const body = bodyOf(form);
    await save.mutateAsync(body);
    setSaved(JSON.stringify(body));
  };
  const error = save.error;
  return (
    <section className="page rt-page" aria-labelledby="route-form-title">
      <p className="breadcrumb small">
        <Link to={area.path}>{area.title}</Link>
        {route && (
          <>
            {' '}
            / <Link to={routePath(route.name)}>{route.name}</Link>
          </>
        )}
      </p>
      <h1 id="route-form-title">{route ? `Edit ${route.name}` : 'New route'}</h1>
      <form onSubmit={submit} noValidate className="rt-form" aria-labelledby="route-form-title">
        <div className="rt-grid">
          <Field
            label="Name"
            required
            help={route ? 'A route keeps its name: API clients call it by name.' : 'Lower case, digits, . _ and -.'}
            error={problemsAt(error, 'body.name')[0]}
          >
            {(props) => (
              <input
                {...props}
                required
                readOnly={route !== undefined}
                value={form.name}
                onChange={(e) => set({ name: e.target.value })}
              />
            )}
          </Field>
          <Field label="Description">
            {(props) => (
              <input {...props} value={form.description} onChange={(e) => set({ description: e.target.value })} />
            )}
          </Field>
          <Field
            label="Capability"
            help={route ? 'A route keeps its capability.' : capability?.description}
            error={problemsAt(error, 'body.capability')[0]}
          >
            {(props) => (
              <select
                {...props}
                value={form.capability}
                disabled={route !== undefined}
                onChange={(e) => set({ capability: e.target.value, providers: [], conditions: [], fusion: {} })}
              >
                {capabilities.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.title} ({c.name})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ProvidersEditor
          form={form}
          set={set}
          capability={capability}
          connections={all}
          problems={problemsAt(error, 'body.providers')}
        />
        <StrategyFields form={form} set={set} querySchema={capability?.query_schema} nameOf={nameOf} />
        <RateLimitFields form={form} set={set} />
        {form.strategy === 'fusion' && (
          <>
            <FusionEditor form={form} set={set} recordSchema={capability?.record_schema} nameOf={nameOf} />
            {route && capability ? (
              <FusionPreview
                routeName={route.name}
                capability={capability}
                dirty={dirty}
                save={saveInPlace}
                nameOf={nameOf}
              />
            ) : (
              <p className="muted small">Create the route to preview its fusion rules on live answers.</p>
            )}
          </>
        )}
        <AdvancedFields form={form} set={set} />
        <CheckboxField
          label="Enabled"
          checked={form.enabled}
          onChange={(enabled) => set({ enabled })}
          help="A disabled route answers no queries."
        />
        {error ? <SaveError error={error} /> : null}
        <div className="actions">
          <Link className="button" to={route ? routePath(route.name) : area.path}>
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : route ? 'Save route' : 'Create route'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Why saving failed: the API's sentence, and each field problem it listed. */
function SaveError({ error }: { error: unknown }) {
  const problems = error instanceof SwitchyardError ? (error.problem.errors ?? []) : [];
  return (
    <div className="callout callout-error" role="alert" data-testid="save-error">
      <strong>{errorMessage(error)}</strong>
      {problems.length > 0 && (
        <ul className="small">
          {problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path.replace(/^body[./]/, '')}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
