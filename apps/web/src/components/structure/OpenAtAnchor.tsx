'use client';

import { useEffect, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { resolveAnchor, type StoredAnchor } from '@/components/editor/anchors';
import type { IssueDto } from '@/server/structure/plot';
import { api } from './api';

/** How long to wait for the editor to sync before saying the passage cannot be found (a slow first sync included). */
const PATIENCE_MS = 30_000;

/**
 * Opening a plot card (`?issue=<id>` on the document's page): once the editor has the document, selects the card's
 * passage — its Yjs-relative anchor resolved like a comment's, so it holds after concurrent edits — and scrolls to it.
 * It reads the editor Tiptap hangs on its own element, so the document workspace needs no knowledge of plot cards.
 */
export function OpenAtAnchor({ projectId }: { projectId: string }) {
  const issueId = useSearchParams().get('issue');
  const [note, setNote] = useState<{ title: string; found: boolean | null } | null>(null);

  useEffect(() => {
    if (!issueId) return;
    let stopped = false;
    let timer: number | undefined;
    void (async () => {
      const result = await api<{ issue: IssueDto }>('GET', `/api/projects/${projectId}/plot/issues/${encodeURIComponent(issueId)}`);
      if (stopped || !result.ok) return;
      const { title, anchor } = result.data.issue;
      setNote({ title, found: anchor ? null : false });
      if (!anchor) return;
      const deadline = Date.now() + PATIENCE_MS;
      const attempt = () => {
        if (stopped) return;
        if (select(anchor)) return setNote({ title, found: true });
        if (Date.now() > deadline) return setNote({ title, found: false });
        timer = window.setTimeout(attempt, 150);
      };
      attempt();
    })();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [projectId, issueId]);

  if (!note) return null;
  return (
    <p role="status" data-testid="opened-issue" data-found={note.found === null ? '' : String(note.found)} className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
      Plot card: <span className="font-medium">{note.title}</span>
      {note.found === true ? ' — its passage is selected below.' : note.found === false ? ' — its passage is no longer in the text.' : ' — finding its passage…'}
    </p>
  );
}

function select(anchor: StoredAnchor): boolean {
  const dom = document.querySelector<HTMLElement & { editor?: Editor }>('.ProseMirror');
  const editor = dom?.editor;
  if (!editor || editor.isDestroyed) return false;
  const range = resolveAnchor(editor.state, anchor);
  if (!range) return false;
  const { view } = editor;
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, range.from, range.to)).scrollIntoView());
  view.focus();
  return true;
}
