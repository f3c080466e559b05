import { Extension, type Editor } from '@tiptap/core';
import { SCREENPLAY_BLOCKS, type ScreenplayBlock } from '@quire/domain/manuscript';

/** The screenplay elements of the shared schema, in the order Tab walks through them (Shift-Tab walks back). */
export const SCREENPLAY_ELEMENTS = SCREENPLAY_BLOCKS;
export type ScreenplayElement = ScreenplayBlock;

export const SCREENPLAY_LABELS: Record<ScreenplayElement, string> = {
  sceneHeading: 'Scene heading',
  action: 'Action',
  character: 'Character',
  parenthetical: 'Parenthetical',
  dialogue: 'Dialogue',
  transition: 'Transition',
  shot: 'Shot',
};

/** Keys shown beside each element in the picker (Mod-Alt-1 … 7), as screenwriting tools number them. */
export const SCREENPLAY_SHORTCUTS: Record<ScreenplayElement, string> = {
  sceneHeading: '1',
  action: '2',
  character: '3',
  parenthetical: '4',
  dialogue: '5',
  transition: '6',
  shot: '7',
};

/**
 * What Enter at the end of an element starts next: a cue is followed by its speech, a parenthetical by the rest of
 * the speech, a speech by the action it interrupts (Tab there turns it into the next cue), a transition by a scene.
 */
export const NEXT_ON_ENTER: Record<ScreenplayElement, ScreenplayElement> = {
  sceneHeading: 'action',
  action: 'action',
  character: 'dialogue',
  parenthetical: 'dialogue',
  dialogue: 'action',
  transition: 'sceneHeading',
  shot: 'action',
};

export function isScreenplayElement(name: string | undefined): name is ScreenplayElement {
  return !!name && (SCREENPLAY_ELEMENTS as readonly string[]).includes(name);
}

export function currentElement(editor: Editor): ScreenplayElement | null {
  const name = editor.state.selection.$from.parent.type.name;
  return isScreenplayElement(name) ? name : null;
}

function cycle(editor: Editor, step: 1 | -1): boolean {
  const here = editor.state.selection.$from.parent;
  const name = here.type.name;
  if (!here.isTextblock) return false;
  let next: ScreenplayElement;
  if (isScreenplayElement(name)) {
    const index = SCREENPLAY_ELEMENTS.indexOf(name);
    next = SCREENPLAY_ELEMENTS[(index + step + SCREENPLAY_ELEMENTS.length) % SCREENPLAY_ELEMENTS.length]!;
  } else if (name === 'paragraph') {
    // a plain paragraph in a screenplay is untyped action; Tab starts the walk from there
    next = step === 1 ? 'character' : 'sceneHeading';
  } else {
    return false;
  }
  return editor.chain().setNode(next).run();
}

function enter(editor: Editor): boolean {
  const { selection } = editor.state;
  const { $from, empty } = selection;
  const here = $from.parent;
  const name = here.type.name;
  if (!isScreenplayElement(name) && name !== 'paragraph') return false;
  if (!empty) return false;
  const element: ScreenplayElement = isScreenplayElement(name) ? name : 'action';
  // an empty cue, speech or parenthetical was a false start: Enter turns it back into action instead of stacking blanks
  if (here.content.size === 0 && element !== 'action' && element !== 'sceneHeading') {
    return editor.chain().setNode('action').run();
  }
  const atEnd = $from.parentOffset === here.content.size;
  const next = atEnd ? NEXT_ON_ENTER[element] : element;
  return editor.chain().splitBlock({ keepMarks: false }).setNode(next).run();
}

/**
 * The keyboard of a screenplay: Enter moves to the element that usually follows, Tab and Shift-Tab change the
 * current element, Mod-Alt-1…7 pick one directly. Only registered for screenplay documents.
 */
export const ScreenplayKeys = Extension.create({
  name: 'screenplayKeys',
  // Below the collaboration binding (1000), whose Enter first moves a caret that sits right in front of a co-writer's
  // fresh letters to the line's end; at the same priority Tiptap ran this Enter first, and in a screenplay it split
  // those letters off into the next element (browser seed 129). Above the base keymap (100).
  priority: 999,
  addKeyboardShortcuts() {
    const shortcuts: Record<string, (props: { editor: Editor }) => boolean> = {
      Enter: ({ editor }) => editor.isEditable && enter(editor),
      Tab: ({ editor }) => editor.isEditable && cycle(editor, 1),
      'Shift-Tab': ({ editor }) => editor.isEditable && cycle(editor, -1),
    };
    for (const element of SCREENPLAY_ELEMENTS) {
      shortcuts[`Mod-Alt-${SCREENPLAY_SHORTCUTS[element]}`] = ({ editor }) => editor.isEditable && editor.chain().setNode(element).run();
    }
    return shortcuts;
  },
});
