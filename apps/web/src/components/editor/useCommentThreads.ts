'use client';

import type { Editor } from '@tiptap/react';
import { useEffect, useMemo, useState } from 'react';
import { resolveAnchor } from './anchors';
import type { CommentDto } from './api';
import { showHighlightedThreads } from './commentHighlights';
import type { Thread } from './CommentsPanel';

/**
 * The comment threads with where each one's passage is now, in reading order, and their highlights in the editor.
 * Passages are worked out again 150 ms after the document stops changing (not on every keystroke: resolving every
 * anchor walks the Yjs document), and once the document has synced.
 */
export function useCommentThreads(editor: Editor | null, comments: CommentDto[], activeId: string | null, synced: boolean) {
  const [rangeTick, setRangeTick] = useState(0);
  useEffect(() => {
    if (!editor) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setRangeTick((n) => n + 1), 150);
    };
    editor.on('update', bump);
    editor.on('create', bump);
    return () => {
      clearTimeout(timer);
      editor.off('update', bump);
      editor.off('create', bump);
    };
  }, [editor]);
  useEffect(() => {
    if (synced) setRangeTick((n) => n + 1);
  }, [synced]);

  const threads: Thread[] = useMemo(() => {
    const roots = comments.filter((c) => !c.parentId);
    const list = roots.map((root) => ({
      root,
      replies: comments.filter((c) => c.parentId === root.id),
      range: editor && !editor.isDestroyed ? resolveAnchor(editor.state, root.anchor) : null,
    }));
    // in reading order; threads whose text is gone go last, oldest first
    return list.sort((a, b) => {
      if (a.range && b.range) return a.range.from - b.range.from || a.range.to - b.range.to;
      if (a.range) return -1;
      if (b.range) return 1;
      return a.root.createdAt.localeCompare(b.root.createdAt);
    });
  }, [comments, editor, rangeTick]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const highlighted = threads
      .filter((t) => !t.root.resolvedAt || t.root.id === activeId)
      .map((t) => ({ id: t.root.id, anchor: t.root.anchor }));
    showHighlightedThreads(editor.view, { threads: highlighted, activeId });
  }, [editor, threads, activeId]);

  return threads;
}
