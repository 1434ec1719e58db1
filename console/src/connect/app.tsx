import { useEffect, useRef, useState } from 'react';
import {
  ConnectProblem,
  type ConnectApi,
  type ConnectSession,
  type ExistingConnection,
  type SessionConnector,
} from './api.js';
import { applyBranding, BrandHeader } from './branding.js';
import { ConnectorScreen, type Connected } from './connector-screen.js';
import type { Host } from './host.js';
import { DeadSessionScreen, SuccessScreen } from './outcome.js';
import { Spinner, useEscape } from './parts.js';
import { Picker } from './picker.js';

type Screen =
  | { name: 'loading' }
  | { name: 'dead'; reason: string }
  | { name: 'pick' }
  | { name: 'connector'; connector: SessionConnector; existing?: ExistingConnection | undefined }
  | { name: 'connected'; connector: SessionConnector; connected: Connected };

/** The hosted Connect UI: loads the session, then picker → connector (form or OAuth) → connected. */
export function ConnectApp({ api, host, hasToken }: { api: ConnectApi; host: Host; hasToken: boolean }) {
  const [session, setSession] = useState<ConnectSession | null>(null);
  const [deadBrand, setDeadBrand] = useState<string | null>(null);
  const [screen, setScreen] = useState<Screen>(hasToken ? { name: 'loading' } : { name: 'dead', reason: 'missing' });
  const productName = session?.branding.name || deadBrand || 'the app you came from';
  const canClose = host.mode !== 'page';

  // Once connected, nothing (the session expiring, a late poll) turns the page into an error.
  const finished = useRef(false);
  const die = (reason: string, problem?: ConnectProblem) => {
    if (finished.current) return;
    setScreen({ name: 'dead', reason });
    host.post({
      type: 'error',
      error: {
        code: problem?.problem.code ?? 'connect_session_invalid',
        message: problem?.message ?? 'The connect session cannot be used.',
        reason,
      },
    });
  };
  const onDead = (problem: ConnectProblem) => {
    setDeadBrand(problem.problem.branding?.name ?? null);
    die(problem.problem.reason ?? 'unknown', problem);
  };

  useEffect(() => {
    host.post({ type: 'ready' });
    if (!hasToken) {
      die('missing');
      return;
    }
    let live = true;
    api.session().then(
      (s) => {
        if (!live) return;
        setSession(s);
        applyBranding(s.branding);
        const existing = s.reconnect ? s.connections.find((c) => c.id === s.reconnect) : undefined;
        const reconnecting = existing && s.connectors.find((c) => c.slug === existing.connector);
        const only = s.connectors.length === 1 ? s.connectors[0] : undefined;
        if (reconnecting) setScreen({ name: 'connector', connector: reconnecting, existing });
        else if (only) setScreen({ name: 'connector', connector: only });
        else setScreen({ name: 'pick' });
      },
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ConnectProblem && error.sessionDead) onDead(error);
        else die('unknown', error instanceof ConnectProblem ? error : undefined);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  // The session's end is known: show it when it comes rather than on the next click.
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expires_at) - Date.now();
    if (!Number.isFinite(left)) return;
    const timer = window.setTimeout(() => die('expired'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => window.clearTimeout(timer);
  }, [session]);

  const single = session?.connectors.length === 1 && !session.reconnect;
  const back = single ? undefined : () => setScreen({ name: 'pick' });
  useEscape(screen.name === 'pick' && canClose ? host.close : undefined);

  const connected = (connector: SessionConnector) => (c: Connected) => {
    finished.current = true;
    setScreen({ name: 'connected', connector, connected: c });
    host.post({ type: 'connected', connection_id: c.id, connector: connector.slug });
  };

  return (
    <div className="connect">
      <BrandHeader branding={session?.branding} canClose={canClose} onClose={host.close} />
      <main className="connect-main">
        {screen.name === 'loading' && (
          <p className="status" role="status">
            <Spinner /> Loading…
          </p>
        )}
        {screen.name === 'dead' && (
          <DeadSessionScreen
            reason={screen.reason}
            productName={productName}
            canClose={canClose}
            onClose={host.close}
          />
        )}
        {screen.name === 'pick' && session && (
          <Picker
            connectors={session.connectors}
            connections={session.connections}
            productName={productName}
            onPick={(connector, existing) => setScreen({ name: 'connector', connector, existing })}
          />
        )}
        {screen.name === 'connector' && (
          <ConnectorScreen
            key={`${screen.connector.slug}:${screen.existing?.id ?? ''}`}
            api={api}
            connector={screen.connector}
            existing={screen.existing}
            productName={productName}
            onConnected={connected(screen.connector)}
            onDead={onDead}
            onBack={back}
          />
        )}
        {screen.name === 'connected' && (
          <SuccessScreen
            connectorName={screen.connector.name}
            account={screen.connected.account}
            reconnected={screen.connected.reconnected}
            productName={productName}
            canClose={canClose}
            onClose={host.close}
          />
        )}
      </main>
      <footer className="connect-footer small muted">Secured by Switchyard</footer>
    </div>
  );
}
