import { useEffect, useRef, useState } from 'react';
import { ConnectProblem, type ConnectApi } from './api.js';

/** What Switchyard's OAuth callback page posts to its opener (src/oauth/flows/pages.ts). */
type CallbackMessage = {
  type: 'switchyard.oauth';
  status: 'connected' | 'error';
  flow_id?: string;
  connection_id?: string;
  code?: string;
};

export type OAuthState =
  { phase: 'idle' } | { phase: 'starting' } | { phase: 'waiting'; windowClosed: boolean } | { phase: 'blocked' };

export type OAuthEnd =
  | { ok: true; connectionId: string }
  | { ok: false; code: string; message: string | undefined; problem?: ConnectProblem };

const POLL_MS = 1000;
/** After the window closes, how long a result already on its way (message or poll) is waited for. */
const CLOSE_GRACE_MS = 2500;

/**
 * The vendor's sign-in in a popup. The window is opened synchronously in the click (about:blank, so popup blockers
 * allow it) and sent to the authorization URL once the flow has started. How it ended comes from the callback page's
 * message (same origin as this page) or, when the opener link is cut (a vendor's Cross-Origin-Opener-Policy, a
 * closed tab), from polling the flow every second.
 */
export function useOAuthPopup(api: ConnectApi, onEnd: (end: OAuthEnd) => void) {
  const [state, setState] = useState<OAuthState>({ phase: 'idle' });
  const popup = useRef<Window | null>(null);
  const flowId = useRef<string | null>(null);
  const closedAt = useRef<number | null>(null);
  const ended = useRef(onEnd);
  ended.current = onEnd;

  const stop = () => {
    flowId.current = null;
    closedAt.current = null;
    if (popup.current && !popup.current.closed) popup.current.close();
    popup.current = null;
  };
  const finish = (end: OAuthEnd) => {
    stop();
    setState({ phase: 'idle' });
    ended.current(end);
  };

  const waiting = state.phase === 'waiting';
  useEffect(() => {
    if (!waiting) return;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || !popup.current || event.source !== popup.current) return;
      const data = event.data as CallbackMessage | null;
      if (data?.type !== 'switchyard.oauth' || (data.flow_id && data.flow_id !== flowId.current)) return;
      if (data.status === 'connected' && data.connection_id) finish({ ok: true, connectionId: data.connection_id });
      // The page's message carries only a code: the poll below brings the words for it.
      else if (data.status === 'error') void poll(data.code ?? 'authorization_failed');
    };
    const poll = async (codeFromPage?: string) => {
      const id = flowId.current;
      if (!id) return;
      try {
        const flow = await api.flow(id);
        if (flowId.current !== id) return;
        if (flow.status === 'connected' && flow.connection_id) {
          finish({ ok: true, connectionId: flow.connection_id });
        } else if (flow.status === 'failed' || flow.status === 'expired' || codeFromPage) {
          finish({
            ok: false,
            code: flow.error?.code ?? codeFromPage ?? flow.status,
            message: flow.error?.message,
          });
        } else checkClosed();
      } catch (error) {
        if (flowId.current !== id) return;
        if (error instanceof ConnectProblem && error.sessionDead) {
          // "used" may be this very flow finishing (the session is spent by the connection it made): its callback
          // page's message says so in a moment. Any other reason ends the wait.
          if (error.problem.reason === 'used') checkClosed(error);
          else finish({ ok: false, code: error.problem.code, message: error.message, problem: error });
        }
        // Anything else (a network blip) is retried on the next tick.
      }
    };
    const checkClosed = (problem?: ConnectProblem) => {
      if (!popup.current?.closed) return;
      closedAt.current ??= Date.now();
      if (Date.now() - closedAt.current <= CLOSE_GRACE_MS) setState({ phase: 'waiting', windowClosed: true });
      else if (problem) finish({ ok: false, code: problem.problem.code, message: problem.message, problem });
      else finish({ ok: false, code: 'window_closed', message: undefined });
    };
    const timer = window.setInterval(() => void poll(), POLL_MS);
    window.addEventListener('message', onMessage);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('message', onMessage);
    };
  }, [waiting, api]);

  // Leaving the screen (Back, Escape, a dead session) closes a window still open.
  useEffect(() => stop, []);

  return {
    state,
    /** Call from the click handler itself: the window must open in the user's gesture. */
    start(body: { connector: string; connection_id?: string }) {
      stop();
      const opened = window.open('about:blank', 'switchyard-connect-oauth', 'popup,width=600,height=720');
      if (!opened) {
        setState({ phase: 'blocked' });
        return;
      }
      popup.current = opened;
      setState({ phase: 'starting' });
      api.authorize(body).then(
        (flow) => {
          if (popup.current !== opened) return;
          if (opened.closed) {
            finish({ ok: false, code: 'window_closed', message: undefined });
            return;
          }
          flowId.current = flow.flow_id;
          opened.location.href = flow.authorization_url;
          setState({ phase: 'waiting', windowClosed: false });
        },
        (error: unknown) => {
          if (popup.current !== opened) return;
          const problem = error instanceof ConnectProblem ? error : undefined;
          finish({
            ok: false,
            code: problem?.problem.code ?? 'error',
            message: problem?.message,
            ...(problem ? { problem } : {}),
          });
        },
      );
    },
    /** The user gave up: close the window and forget the flow (it expires on its own). */
    cancel() {
      stop();
      setState({ phase: 'idle' });
    },
    /** Bring the vendor's window to the front again. */
    focus() {
      popup.current?.focus();
    },
  };
}
