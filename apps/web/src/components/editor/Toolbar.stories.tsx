import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import Collaboration from '@tiptap/extension-collaboration';
import { EditorContent, useEditor } from '@tiptap/react';
import { MANUSCRIPT_FIELD, jsonToYUpdate, manuscriptExtensions, type ProseMirrorJSON } from '@quire/domain/manuscript';
import { useState } from 'react';
import { fn } from 'storybook/test';
import * as Y from 'yjs';
import { SceneBreakCommands } from './extensions';
import { ScreenplayKeys } from './screenplay';
import { Toolbar } from './Toolbar';

const prose: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Chapter One' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Mara folded the letter twice and slid it under the salt jar. ' },
        { type: 'text', marks: [{ type: 'italic' }], text: 'Not yet,' },
        { type: 'text', text: ' she thought.' },
      ],
    },
  ],
};

const screenplay: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'sceneHeading', content: [{ type: 'text', text: 'INT. HARBOUR MASTER’S OFFICE - NIGHT' }] },
    { type: 'action', content: [{ type: 'text', text: 'Rain against the glass. MARA reads a letter by lamplight.' }] },
    { type: 'character', content: [{ type: 'text', text: 'MARA' }] },
    { type: 'dialogue', content: [{ type: 'text', text: 'Not yet.' }] },
  ],
};

/**
 * The toolbar over a real editor, built as the workspace builds it (the manuscript schema on a Y.Doc) but on a
 * local Y.Doc with no connection: undo, redo and every command work, nothing leaves the page.
 */
function ToolbarOnLocalDoc(props: { content: ProseMirrorJSON; screenplay: boolean; canEdit: boolean; canComment: boolean; onComment: () => void; onSaveVersion: () => void }) {
  const [doc] = useState(() => {
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, jsonToYUpdate(props.content));
    return ydoc;
  });
  const editor = useEditor({
    editable: props.canEdit,
    extensions: [
      ...manuscriptExtensions(),
      Collaboration.configure({ document: doc, field: MANUSCRIPT_FIELD }),
      SceneBreakCommands,
      ...(props.screenplay ? [ScreenplayKeys] : []),
    ],
  });
  if (!editor) return null;
  return (
    <div className="rounded-lg border border-stone-200 bg-white">
      <Toolbar editor={editor} screenplay={props.screenplay} canEdit={props.canEdit} canComment={props.canComment} onComment={props.onComment} onSaveVersion={props.onSaveVersion} />
      <EditorContent editor={editor} className={`quire-prose px-6 py-4 ${props.screenplay ? 'is-screenplay' : ''}`} />
    </div>
  );
}

const meta = {
  title: 'Editor/Toolbar',
  component: ToolbarOnLocalDoc,
  args: { content: prose, screenplay: false, canEdit: true, canComment: true, onComment: fn(), onSaveVersion: fn() },
} satisfies Meta<typeof ToolbarOnLocalDoc>;

export default meta;
type Story = StoryObj<typeof meta>;

/** An editor on an empty chapter: undo and redo have nothing to do yet. */
export const Empty: Story = { args: { content: { type: 'doc', content: [{ type: 'paragraph' }] } } };
export const Prose: Story = {};
export const Screenplay: Story = { args: { content: screenplay, screenplay: true } };
/** A commenter: only Comment, enabled once text is selected. */
export const Commenter: Story = { args: { canEdit: false } };
/** A viewer: the toolbar has nothing to offer. */
export const Viewer: Story = { args: { canEdit: false, canComment: false } };
