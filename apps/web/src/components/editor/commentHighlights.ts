import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Mapping, StepMap } from '@tiptap/pm/transform';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { resolveAnchor, type StoredAnchor } from './anchors';

export interface HighlightedThread {
  id: string;
  anchor: StoredAnchor | null;
}

interface HighlightState {
  threads: HighlightedThread[];
  activeId: string | null;
  decorations: DecorationSet;
}

type Meta = { threads?: HighlightedThread[]; activeId?: string | null };

export const commentHighlightsKey = new PluginKey<HighlightState>('commentHighlights');

function build(state: EditorState, threads: HighlightedThread[], activeId: string | null): DecorationSet {
  const decorations: Decoration[] = [];
  for (const thread of threads) {
    const range = resolveAnchor(state, thread.anchor);
    if (!range) continue;
    decorations.push(
      Decoration.inline(range.from, range.to, {
        class: thread.id === activeId ? 'quire-comment-highlight is-active' : 'quire-comment-highlight',
        'data-comment-id': thread.id,
      }, { commentId: thread.id }),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

/**
 * The highlights after a change that arrived through Yjs. The binding replaces the whole document in such a
 * transaction, so its mapping says nothing; but it keeps the nodes of the blocks the change did not touch, so the
 * changed range is found quickly by comparing the documents. Highlights away from it move by that range; if the
 * change touches one, all are worked out again from their anchors (each walks the Yjs document, so doing that for
 * every thread on every remote keystroke cost the most in a long chapter with many comments).
 */
function afterRemoteChange(value: HighlightState, before: PMNode, next: EditorState): DecorationSet {
  const start = before.content.findDiffStart(next.doc.content);
  if (start === null) return value.decorations;
  const end = before.content.findDiffEnd(next.doc.content);
  if (!end) return build(next, value.threads, value.activeId);
  let { a: endA, b: endB } = end;
  const overlap = start - Math.min(endA, endB);
  if (overlap > 0) {
    endA += overlap;
    endB += overlap;
  }
  if (value.decorations.find(start, endA).length > 0) return build(next, value.threads, value.activeId);
  return value.decorations.map(new Mapping([new StepMap([start, endA - start, endB - start])]), next.doc);
}

/**
 * Highlights commented passages as decorations worked out from the stored Yjs relative positions, never as marks
 * in the document: commenters and viewers cannot change the document, and a highlight must not travel into
 * versions or exports. Local edits move highlights by the transaction's mapping (the Yjs binding only learns of a
 * local edit after the view has drawn it); changes arriving from Yjs move them by the changed range, or recompute
 * them from the anchors when the change reaches one (afterRemoteChange).
 */
export const CommentHighlights = Extension.create<{ onActivate: (id: string | null) => void }>({
  name: 'commentHighlights',
  addOptions() {
    return { onActivate: () => {} };
  },
  addProseMirrorPlugins() {
    const { onActivate } = this.options;
    return [
      new Plugin<HighlightState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({ threads: [], activeId: null, decorations: DecorationSet.empty }),
          apply(tr, value, old, next) {
            const meta = tr.getMeta(commentHighlightsKey) as Meta | undefined;
            if (meta) {
              const threads = meta.threads ?? value.threads;
              const activeId = meta.activeId !== undefined ? meta.activeId : value.activeId;
              return { threads, activeId, decorations: build(next, threads, activeId) };
            }
            if (!tr.docChanged) return value;
            if (isChangeOrigin(tr)) return { ...value, decorations: afterRemoteChange(value, old.doc, next) };
            return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
          handleClick(view, pos) {
            const hits = commentHighlightsKey.getState(view.state)?.decorations.find(pos, pos) ?? [];
            // the innermost (shortest) passage wins when threads overlap
            const hit = hits.sort((a, b) => a.to - a.from - (b.to - b.from))[0];
            onActivate((hit?.spec as { commentId?: string } | undefined)?.commentId ?? null);
            return false;
          },
        },
      }),
    ];
  },
});

/**
 * Hands the page's threads (or the active one) to the highlights. Redrawing decorations makes ProseMirror write its
 * own selection back to the page, so a click or double-click the browser has already applied but ProseMirror has
 * not read yet (it learns of it from the asynchronous selectionchange event) would be undone, and the next comment
 * would silently attach to the previous words. The page's selection is therefore read in first.
 */
export function showHighlightedThreads(view: EditorView, meta: Meta) {
  (view as unknown as { domObserver?: { flush(): void } }).domObserver?.flush();
  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, meta).setMeta('addToHistory', false));
}
