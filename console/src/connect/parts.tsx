import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A screen's heading, focused when the screen appears: a screen reader announces where the user now is, and Tab
 * continues from the top of the new screen instead of from a button that no longer exists.
 */
export function ScreenHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1} className="screen-heading">
      {children}
    </h1>
  );
}

/**
 * Escape as "back" or "cancel" on the current screen. Not while a native control uses it itself: a search box with
 * text clears it, an open select closes.
 */
export function useEscape(handler: (() => void) | undefined) {
  const current = useRef(handler);
  current.current = handler;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || !current.current) return;
      const target = event.target as HTMLElement | null;
      if (target instanceof HTMLInputElement && target.type === 'search' && target.value !== '') return;
      if (target instanceof HTMLSelectElement) return;
      event.preventDefault();
      current.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
