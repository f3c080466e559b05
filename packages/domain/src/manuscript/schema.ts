import { getSchema, Node, mergeAttributes, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Schema } from '@tiptap/pm/model';

/**
 * The Y.XmlFragment that holds a manuscript. It is the default of Tiptap's Collaboration extension, so the editor
 * and the server agree without configuration; pass it as `field` if you configure Collaboration explicitly.
 */
export const MANUSCRIPT_FIELD = 'default';

/** A break between scenes inside a chapter ("* * *" in print). An atom: it has no text of its own. */
export const SceneBreak = Node.create({
  name: 'sceneBreak',
  group: 'block',
  atom: true,
  selectable: true,
  parseHTML() {
    return [{ tag: 'hr[data-scene-break]' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['hr', mergeAttributes(HTMLAttributes, { 'data-scene-break': '' })];
  },
});

/**
 * Screenplay blocks. Each is a text block of its own type (not a paragraph with a class) so that exports,
 * word counts and page estimates can tell a character cue from dialogue without guessing from formatting.
 */
export const SCREENPLAY_BLOCKS = ['sceneHeading', 'action', 'character', 'parenthetical', 'dialogue', 'transition', 'shot'] as const;
export type ScreenplayBlock = (typeof SCREENPLAY_BLOCKS)[number];

function screenplayBlock(name: ScreenplayBlock) {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Node.create({
    name,
    group: 'block',
    content: 'inline*',
    defining: true,
    parseHTML() {
      return [{ tag: `p[data-screenplay="${kebab}"]` }];
    },
    renderHTML({ HTMLAttributes }) {
      return ['p', mergeAttributes(HTMLAttributes, { 'data-screenplay': kebab, class: `screenplay-${kebab}` }), 0];
    },
  });
}

export const ScreenplayNodes = SCREENPLAY_BLOCKS.map(screenplayBlock);

/**
 * The Tiptap extensions that define a Quire manuscript. The browser editor adds its own UI extensions
 * (Collaboration, CollaborationCaret, placeholders) on top of this list; it must not change the schema, or
 * documents written by one side will not open on the other.
 * StarterKit's undo/redo is off because Collaboration brings a Yjs-aware undo manager.
 */
export function manuscriptExtensions(): AnyExtension[] {
  return [StarterKit.configure({ undoRedo: false }), SceneBreak, ...ScreenplayNodes];
}

let cachedSchema: Schema | undefined;

/** The ProseMirror schema of those extensions (built once; schemas are immutable). */
export function manuscriptSchema(): Schema {
  cachedSchema ??= getSchema(manuscriptExtensions());
  return cachedSchema;
}
