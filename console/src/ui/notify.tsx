import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export type Notice = { id: number; kind: 'success' | 'error' | 'info'; text: string };
type Notify = (kind: Notice['kind'], text: string) => void;

const NotifyContext = createContext<Notify>(() => {});

/** Success and error messages for writes, announced to screen readers through a live region. */
export function NotifyProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  const notify = useCallback<Notify>(
    (kind, text) => {
      const id = next.current++;
      setNotices((all) => [...all.slice(-3), { id, kind, text }]);
      // Errors stay until dismissed: they usually need reading.
      if (kind !== 'error') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice notice-${n.kind}`} data-testid={`notice-${n.kind}`}>
            <span>{n.text}</span>
            <button type="button" className="link" aria-label="Dismiss message" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}

export const useNotify = (): Notify => useContext(NotifyContext);
