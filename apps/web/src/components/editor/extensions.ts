import { Extension } from '@tiptap/core';
import { SCREENPLAY_BLOCKS } from '@quire/domain/manuscript';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    quireEditor: {
      /** Ends the scene at the cursor with a break ("* * *") and carries on in a fresh paragraph below it. */
      insertSceneBreak: () => ReturnType;
    };
  }
}

export const SceneBreakCommands = Extension.create({
  name: 'quireSceneBreakCommands',
  addCommands() {
    return {
      insertSceneBreak:
        () =>
        ({ state, chain }) => {
          const { $to } = state.selection;
          // after the block the cursor is in, so a break never splits a sentence in two
          const after = $to.depth > 0 ? $to.after(1) : $to.pos;
          // in a screenplay the writing goes on as action, elsewhere as body text
          const next = $to.depth > 0 && SCREENPLAY_BLOCKS.includes($to.node(1).type.name as never) ? 'action' : 'paragraph';
          return chain()
            .insertContentAt(after, [{ type: 'sceneBreak' }, { type: next }])
            .setTextSelection(after + 2)
            .scrollIntoView()
            .run();
        },
    };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-Shift-Enter': ({ editor }) => editor.isEditable && editor.commands.insertSceneBreak(),
    };
  },
});
