'use client';

import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const noSubscription = () => () => {};

/**
 * Renders on document.body, above the page: an opener inside a sticky or blurred header (the editor's) would otherwise
 * confine a fixed overlay to that header. Nothing on the server; the portal follows once the page is hydrated.
 */
export function Overlay({ children }: { children: ReactNode }) {
  const client = useSyncExternalStore(noSubscription, () => true, () => false);
  return client ? createPortal(children, document.body) : null;
}

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
}

/** A modal panel: Escape or the backdrop closes it, focus moves in on open and back where it was on close. */
export function Dialog(props: DialogProps) {
  return (
    <Overlay>
      <Panel {...props} />
    </Overlay>
  );
}

function Panel({ title, onClose, children, testId }: DialogProps) {
  const panel = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    panel.current?.querySelector<HTMLElement>('input, select, button, textarea')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, []);
  return (
    <div className="fixed inset-0 z-40 flex items-start justify-center overflow-y-auto bg-stone-900/40 p-4 sm:items-center" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={panel} role="dialog" aria-modal="true" aria-labelledby={`${testId}-title`} data-testid={testId}
        className="w-full max-w-xl rounded-xl border border-stone-200 bg-white p-5 shadow-xl">
        <div className="flex items-start justify-between gap-4">
          <h2 id={`${testId}-title`} className="font-serif text-xl text-ink">{title}</h2>
          <button type="button" onClick={onClose} aria-label="Close" className="rounded p-1 text-stone-500 hover:bg-stone-100">✕</button>
        </div>
        <div className="mt-4">{children}</div>
      </div>
    </div>
  );
}
