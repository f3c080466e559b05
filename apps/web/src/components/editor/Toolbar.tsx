'use client';

import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import type { ReactNode } from 'react';
import { icons } from './icons';
import { SCREENPLAY_ELEMENTS, SCREENPLAY_LABELS, SCREENPLAY_SHORTCUTS, isScreenplayElement } from './screenplay';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const modKey = () => (isMac() ? '⌘' : 'Ctrl');
export const altKey = () => (isMac() ? '⌥' : 'Alt');

function ToolButton(props: {
  label: string;
  shortcut?: string;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className={`inline-flex h-9 min-w-9 shrink-0 items-center justify-center rounded-md px-2 text-stone-700 transition-colors hover:bg-stone-100 disabled:cursor-not-allowed disabled:opacity-40 aria-pressed:bg-stone-900 aria-pressed:text-white`}
      aria-label={props.label}
      aria-pressed={props.active === undefined ? undefined : props.active}
      title={props.shortcut ? `${props.label} (${props.shortcut})` : props.label}
      disabled={props.disabled}
      onMouseDown={(event) => event.preventDefault()}
      onClick={props.onClick}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  );
}

function Divider() {
  return <span className="mx-1 hidden h-6 w-px shrink-0 bg-stone-200 sm:block" aria-hidden />;
}

type BlockChoice = 'paragraph' | 'h1' | 'h2' | 'h3';

export function Toolbar(props: {
  editor: Editor;
  screenplay: boolean;
  canEdit: boolean;
  canComment: boolean;
  onComment: () => void;
  onSaveVersion: () => void;
}) {
  const { editor, screenplay, canEdit, canComment } = props;
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      strike: e.isActive('strike'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      blockquote: e.isActive('blockquote'),
      block: (e.isActive('heading', { level: 1 })
        ? 'h1'
        : e.isActive('heading', { level: 2 })
          ? 'h2'
          : e.isActive('heading', { level: 3 })
            ? 'h3'
            : 'paragraph') as BlockChoice,
      element: e.state.selection.$from.parent.type.name,
      hasSelection: !e.state.selection.empty,
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const mod = modKey();
  const alt = altKey();
  const chain = () => editor.chain().focus();

  return (
    <div
      className="flex flex-wrap items-center gap-0.5 border-b border-stone-200 bg-white/95 px-2 py-1 backdrop-blur sm:px-4 sm:py-1.5"
      role="toolbar"
      aria-label="Formatting"
      data-testid="editor-toolbar"
    >
      {canEdit && (
        <>
          {screenplay ? (
            <label className="shrink-0">
              <span className="sr-only">Screenplay element</span>
              <select
                className="h-9 rounded-md border border-stone-200 bg-white pr-8 pl-2 text-sm text-stone-800 hover:border-stone-300"
                value={isScreenplayElement(state.element) ? state.element : 'action'}
                onChange={(event) => chain().setNode(event.target.value).run()}
                data-testid="element-picker"
                title={`Element (Tab to cycle, ${mod}+${alt}+1…7 to pick)`}
              >
                {SCREENPLAY_ELEMENTS.map((element) => (
                  <option key={element} value={element}>
                    {SCREENPLAY_LABELS[element]} ({mod}+{alt}+{SCREENPLAY_SHORTCUTS[element]})
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label className="shrink-0">
              <span className="sr-only">Text style</span>
              <select
                className="h-9 rounded-md border border-stone-200 bg-white pr-8 pl-2 text-sm text-stone-800 hover:border-stone-300"
                value={state.block}
                onChange={(event) => {
                  const value = event.target.value as BlockChoice;
                  if (value === 'paragraph') chain().setParagraph().run();
                  else chain().setHeading({ level: Number(value.slice(1)) as 1 | 2 | 3 }).run();
                }}
                data-testid="block-picker"
              >
                <option value="paragraph">Body text</option>
                <option value="h1">Heading 1</option>
                <option value="h2">Heading 2</option>
                <option value="h3">Heading 3</option>
              </select>
            </label>
          )}
          <Divider />
          <ToolButton label="Bold" shortcut={`${mod}+B`} active={state.bold} onClick={() => chain().toggleBold().run()}>
            {icons.bold}
          </ToolButton>
          <ToolButton label="Italic" shortcut={`${mod}+I`} active={state.italic} onClick={() => chain().toggleItalic().run()}>
            {icons.italic}
          </ToolButton>
          <ToolButton label="Strikethrough" shortcut={`${mod}+Shift+S`} active={state.strike} onClick={() => chain().toggleStrike().run()}>
            {icons.strike}
          </ToolButton>
          {!screenplay && (
            <>
              <Divider />
              <ToolButton label="Bulleted list" shortcut={`${mod}+Shift+8`} active={state.bulletList} onClick={() => chain().toggleBulletList().run()}>
                {icons.bulletList}
              </ToolButton>
              <ToolButton label="Numbered list" shortcut={`${mod}+Shift+7`} active={state.orderedList} onClick={() => chain().toggleOrderedList().run()}>
                {icons.orderedList}
              </ToolButton>
              <ToolButton label="Quote" shortcut={`${mod}+Shift+B`} active={state.blockquote} onClick={() => chain().toggleBlockquote().run()}>
                {icons.quote}
              </ToolButton>
            </>
          )}
          <ToolButton label="Scene break" shortcut={`${mod}+Shift+Enter`} onClick={() => chain().insertSceneBreak().run()} testId="scene-break">
            {icons.sceneBreak}
          </ToolButton>
          <Divider />
          <ToolButton label="Undo" shortcut={`${mod}+Z`} disabled={!state.canUndo} onClick={() => chain().undo().run()}>
            {icons.undo}
          </ToolButton>
          <ToolButton label="Redo" shortcut={`${mod}+Shift+Z`} disabled={!state.canRedo} onClick={() => chain().redo().run()}>
            {icons.redo}
          </ToolButton>
          <Divider />
        </>
      )}
      {canComment && (
        <button
          type="button"
          className="inline-flex h-9 shrink-0 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium text-stone-700 hover:bg-stone-100 disabled:cursor-not-allowed disabled:opacity-40"
          onMouseDown={(event) => event.preventDefault()}
          onClick={props.onComment}
          disabled={!state.hasSelection}
          title={`Comment on the selected text (${mod}+${alt}+M)`}
          aria-label="Comment"
          data-testid="add-comment"
        >
          {icons.comment}
          <span className="hidden sm:inline">Comment</span>
        </button>
      )}
      {canEdit && (
        <button
          type="button"
          className="inline-flex h-9 shrink-0 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium text-stone-700 hover:bg-stone-100"
          onMouseDown={(event) => event.preventDefault()}
          onClick={props.onSaveVersion}
          title={`Save a named version (${mod}+S)`}
          aria-label="Save version"
          data-testid="save-version"
        >
          {icons.bookmark}
          <span className="hidden sm:inline">Save version</span>
        </button>
      )}
    </div>
  );
}
