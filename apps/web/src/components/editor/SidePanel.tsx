'use client';

import type { ReactNode } from 'react';
import { icons } from './icons';

export type Panel = 'comments' | 'history';

interface PanelTabsProps {
  panel: Panel;
  openCount: number;
  onOpen: (panel: Panel) => void;
  /** The copy inside the phone's bottom sheet carries no test ids (the column's copy has them). */
  inSheet: boolean;
}

export function PanelTabs({ panel, openCount, onOpen, inSheet }: PanelTabsProps) {
  return (
    <div className="flex items-center gap-1" role="tablist" aria-label="Side panel">
      {(['comments', 'history'] as const).map((p) => (
        <button
          key={p}
          type="button"
          role="tab"
          aria-selected={panel === p}
          onClick={() => onOpen(p)}
          className={`inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium ${panel === p ? 'bg-stone-900 text-white' : 'text-stone-600 hover:bg-stone-100'}`}
          data-testid={inSheet ? undefined : `panel-${p}`}
        >
          {p === 'comments' ? icons.comment : icons.history}
          {p === 'comments' ? 'Comments' : 'History'}
          {p === 'comments' && openCount > 0 && (
            <span className={`rounded-full px-1.5 text-xs ${panel === p ? 'bg-white/20' : 'bg-accent-soft text-accent'}`} data-testid={inSheet ? undefined : 'open-comment-count'}>
              {openCount}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

/** The buttons that open the panel as a bottom sheet, below the lg breakpoint. */
export function SheetButtons({ openCount, onOpen }: { openCount: number; onOpen: (panel: Panel) => void }) {
  return (
    <div className="flex gap-1 lg:hidden">
      <button
        type="button"
        onClick={() => onOpen('comments')}
        className="inline-flex items-center gap-1 rounded-md border border-stone-200 px-2 py-1.5 text-sm text-stone-700"
        aria-label={`Comments (${openCount} open)`}
        data-testid="open-comments-sheet"
      >
        {icons.comment}
        {openCount > 0 && <span className="text-xs font-semibold text-accent">{openCount}</span>}
      </button>
      <button type="button" onClick={() => onOpen('history')} className="rounded-md border border-stone-200 px-2 py-1.5 text-stone-700" aria-label="History">
        {icons.history}
      </button>
    </div>
  );
}

interface SidePanelProps extends Omit<PanelTabsProps, 'inSheet'> {
  sheetOpen: boolean;
  onCloseSheet: () => void;
  children: ReactNode;
}

/** The side panel, rendered once: a column from lg up, a bottom sheet below it (opened from the header). */
export function SidePanel({ panel, openCount, onOpen, sheetOpen, onCloseSheet, children }: SidePanelProps) {
  return (
    <>
      {sheetOpen && <button type="button" className="fixed inset-0 z-40 bg-black/30 lg:hidden" aria-label="Close panel" onClick={onCloseSheet} />}
      <aside
        className={`${sheetOpen ? 'fixed inset-x-0 bottom-0 z-50 flex h-[62dvh] rounded-t-2xl shadow-2xl' : 'hidden'} flex-col bg-stone-50 lg:static lg:z-auto lg:flex lg:h-auto lg:w-[22rem] lg:shrink-0 lg:rounded-none lg:border-l lg:border-stone-200 lg:shadow-none`}
        aria-label={panel === 'comments' ? 'Comments' : 'History'}
        data-testid="side-panel"
      >
        <div className="flex items-center justify-between border-b border-stone-200 px-3 py-2 lg:hidden">
          <PanelTabs panel={panel} openCount={openCount} onOpen={onOpen} inSheet />
          <button type="button" onClick={onCloseSheet} className="rounded-md p-1.5 text-stone-600 hover:bg-stone-200" aria-label="Close" data-testid="close-sheet">
            {icons.close}
          </button>
        </div>
        <div className="min-h-0 flex-1 lg:sticky lg:top-[6.75rem] lg:h-[calc(100dvh-7.5rem)] lg:flex-none">{children}</div>
      </aside>
    </>
  );
}
