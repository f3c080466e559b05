'use client';

import { EditorContent, type Editor } from '@tiptap/react';
import Link from 'next/link';
import type { CSSProperties, ReactNode } from 'react';
import { NameCards } from '@/components/bible/mentions/NameCards';
import { formatCount } from '@/components/ui/format';
import { SCREENPLAY_LABELS, isScreenplayElement } from './screenplay';

/** The sheet of paper the manuscript is written on: a skeleton until the document is ready, then the editor. */
export function ManuscriptPage(props: {
  editor: Editor | null;
  ready: boolean;
  screenplay: boolean;
  offline: boolean;
  /** The CSS string shown in an empty document. */
  placeholder: string;
  /** Drawn over the page (a version preview). */
  overlay?: ReactNode;
  /** The project whose characters and places get name cards on hover or click. */
  projectId?: string;
}) {
  const { editor, ready, screenplay } = props;
  return (
    <>
      {props.overlay && <div className="absolute inset-0 z-20 bg-stone-100">{props.overlay}</div>}
      <div className="sm:px-6 sm:py-8">
        <div
          className={`quire-page mx-auto w-full bg-white sm:rounded-sm sm:shadow-sm sm:ring-1 sm:ring-stone-200 ${screenplay ? 'is-screenplay max-w-[8.5in] py-5 sm:py-[1in]' : 'max-w-[46rem] px-4 py-5 sm:px-14 sm:py-14'}`}
        >
          {!ready && (
            <div className="space-y-4" aria-label="Loading the manuscript" data-testid="editor-loading">
              {[92, 100, 84, 97, 60, 0, 88, 95, 72].map((w, i) => (
                <div key={i} className={`h-4 rounded bg-stone-200/70 ${w ? 'animate-pulse' : ''}`} style={{ width: `${w}%`, opacity: w ? 1 : 0 }} />
              ))}
              <p className="pt-2 text-center text-xs text-stone-500">{props.offline ? 'Waiting for the connection…' : 'Opening the manuscript…'}</p>
            </div>
          )}
          <div className={ready ? 'relative' : 'hidden'} style={{ '--quire-placeholder': props.placeholder } as CSSProperties}>
            <EditorContent editor={editor} className={`quire-prose ${screenplay ? 'is-screenplay' : ''}`} />
            {ready && props.projectId ? <NameCards projectId={props.projectId} editor={editor} /> : null}
          </div>
        </div>
      </div>
    </>
  );
}

/** What a refused page shows instead of the manuscript. */
export function RefusedPage({ message, projectId, projectTitle }: { message?: string; projectId: string; projectTitle: string }) {
  return (
    <div className="mx-auto my-16 max-w-md rounded-xl border border-red-200 bg-white p-8 text-center shadow-sm" role="alert" data-testid="editor-refused">
      <p className="font-serif text-xl text-ink">This document is not available</p>
      <p className="mt-2 text-sm text-stone-600">{message}</p>
      <Link href={`/projects/${projectId}`} className="mt-5 inline-block rounded-md bg-accent px-4 py-2 text-sm font-medium text-white">
        Back to {projectTitle}
      </Link>
    </div>
  );
}

/** The footer: the document's words, the selection's, and in a screenplay the element under the caret. */
export function WordCountFooter({ counts, screenplay }: { counts: { words: number; selected: number; element: string | null } | null | undefined; screenplay: boolean }) {
  return (
    <footer className="sticky bottom-0 z-20 flex items-center gap-3 rounded-b-xl border-t border-stone-200 bg-white/95 px-4 py-1.5 text-xs text-stone-600 backdrop-blur" data-testid="word-count">
      <span data-testid="document-words">{formatCount(counts?.words ?? 0, 'word')}</span>
      {!!counts?.selected && <span data-testid="selection-words">· {formatCount(counts.selected, 'word')} selected</span>}
      {screenplay && counts?.element && (
        <span className="ml-auto font-mono text-[11px] tracking-wide text-stone-500 uppercase" data-testid="current-element">
          {isScreenplayElement(counts.element) ? SCREENPLAY_LABELS[counts.element] : counts.element === 'paragraph' ? 'Action' : counts.element}
        </span>
      )}
    </footer>
  );
}
