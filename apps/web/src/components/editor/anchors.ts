import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { EditorState } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** What comments.anchor stores: base64 of Y.encodeRelativePosition for each end of the commented passage. */
export interface StoredAnchor {
  from: string;
  to: string;
}

interface SyncState {
  type: Y.XmlFragment;
  doc: Y.Doc;
  binding: { mapping: Map<unknown, unknown> } | null;
}

function syncState(state: EditorState): SyncState | null {
  const sync = ySyncPluginKey.getState(state) as SyncState | undefined;
  if (!sync?.binding || !sync.type || !sync.doc) return null;
  return sync;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The passage a selection points at: without the spaces around it and without block boundaries at its ends, so both
 * ends sit inside text (a select-all starts before the first paragraph and ends after the last one). Anchored there,
 * text typed just before or after the passage stays outside it at the start and end of a paragraph too.
 */
export function passageRange(doc: ProseMirrorNode, from: number, to: number): { from: number; to: number } {
  const inText = (pos: number, side: 1 | -1) => {
    const $pos = doc.resolve(pos);
    return $pos.parent.isTextblock && (side === 1 ? $pos.parentOffset < $pos.parent.content.size : $pos.parentOffset > 0);
  };
  const blank = (a: number, b: number) => /\s/.test(doc.textBetween(a, b, ' ', ' '));
  while (from < to && (!inText(from, 1) || blank(from, from + 1))) from++;
  while (to > from && (!inText(to, -1) || blank(to - 1, to))) to--;
  return { from, to };
}

/**
 * Relative positions that hold on to the passage itself: the start sticks to its first character (assoc 0) and the
 * end to its last (assoc -1), so text typed right before or right after a commented passage stays outside it.
 * The library's own conversion always leans left, which would let an insertion at the start slip inside.
 */
export function encodeAnchor(state: EditorState, from: number, to: number): StoredAnchor | null {
  const sync = syncState(state);
  if (!sync || from >= to) return null;
  const edge = (pos: number, assoc: number) => {
    const loose = absolutePositionToRelativePosition(pos, sync.type, sync.binding!.mapping as never) as Y.RelativePosition;
    const absolute = Y.createAbsolutePositionFromRelativePosition(loose, sync.doc);
    if (!absolute) return null;
    return toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, assoc)));
  };
  const start = edge(from, 0);
  const end = edge(to, -1);
  return start && end ? { from: start, to: end } : null;
}

/**
 * The ProseMirror position of one end of an anchor, or null when its text is gone.
 *
 * The binding's own relativePositionToAbsolutePosition refuses every position that lands on the first or second
 * position of the document (it guards a caret against block moves), which would detach every comment on the
 * document's first words. A position inside a text node is instead worked out here as the start of that text node
 * (which the binding resolves without that guard, since it refers to no character) plus the index within it.
 */
function toAbsolute(sync: SyncState, encoded: string): number | null {
  const relative = Y.decodeRelativePosition(fromBase64(encoded));
  const mapping = sync.binding!.mapping as never;
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, sync.doc);
  if (!absolute) return null;
  if (absolute.type instanceof Y.XmlText) {
    const textStart = relativePositionToAbsolutePosition(sync.doc, sync.type, Y.createRelativePositionFromTypeIndex(absolute.type, 0, -1), mapping);
    return textStart === null ? null : textStart + absolute.index;
  }
  return relativePositionToAbsolutePosition(sync.doc, sync.type, relative, mapping);
}

/**
 * Where a stored anchor is in the current document, or null when its text is gone (the comment is then shown as
 * detached). A passage whose two ends met has lost all its characters.
 */
export function resolveAnchor(state: EditorState, anchor: StoredAnchor | null | undefined): { from: number; to: number } | null {
  if (!anchor) return null;
  const sync = syncState(state);
  if (!sync) return null;
  try {
    const from = toAbsolute(sync, anchor.from);
    const to = toAbsolute(sync, anchor.to);
    if (from === null || to === null || from >= to || to > state.doc.content.size) return null;
    return { from, to };
  } catch {
    // an anchor written against another document or corrupted in transit is not worth breaking the page over
    return null;
  }
}
