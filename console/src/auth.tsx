import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, call, hasSession, SwitchyardError, type Schemas } from './api.js';
import { meKey } from './query-keys.js';
import { ErrorState, Loading } from './ui/components.js';

export type Me = Schemas['Me'];

type Session = {
  me: Me;
  can: (capability: string) => boolean;
  /** Whether the tenant's subscription includes a feature (`financial_data`, `provider_routing`). */
  hasFeature: (feature: string) => boolean;
};
const SessionContext = createContext<Session | undefined>(undefined);

/**
 * Who is signed in. Without the session's cookies there is nobody to ask about; an expired session answers 401,
 * and either way the sign-in page is shown.
 */
export function SessionGate({ children, signIn }: { children: ReactNode; signIn: ReactNode }) {
  const me = useQuery({
    queryKey: meKey,
    queryFn: () => (hasSession() ? call(api.GET('/v1/me')) : Promise.resolve(null)),
    retry: false,
    staleTime: 60_000,
  });
  if (me.isPending) return <Loading what="Signing in" />;
  if (me.error instanceof SwitchyardError && me.error.status === 401) return <>{signIn}</>;
  if (me.error) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
  if (!me.data) return <>{signIn}</>;
  const capabilities = new Set(me.data.capabilities);
  const features = new Set(me.data.tenant.features);
  return (
    <SessionContext.Provider
      value={{ me: me.data, can: (c) => capabilities.has(c), hasFeature: (f) => features.has(f) }}
    >
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionGate');
  return session;
}

/**
 * After signing in or out: forget everything cached for the previous user (a different user may sign in next)
 * and ask again who is signed in.
 */
export function useResetSession() {
  const client = useQueryClient();
  return () => void client.resetQueries();
}
