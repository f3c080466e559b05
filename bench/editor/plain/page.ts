/**
 * The peer: plain Tiptap with the manuscript's own extensions and the editor's attributes, no collaboration,
 * no React. Bundled by esbuild and served by ./server.ts; the document is fetched the way a non-collaborative
 * editor would load it from an API.
 */
import { Editor } from '@tiptap/core';
import { manuscriptExtensions } from '@quire/domain/manuscript';
import { SceneBreakCommands } from '../../../apps/web/src/components/editor/extensions';

async function open() {
  const response = await fetch('/chapter.json');
  const content = (await response.json()) as object;
  const mount = document.getElementById('editor')!;
  new Editor({
    element: mount,
    // the same list the collaborative editor builds, minus Collaboration, its caret and the comment highlights
    extensions: [
      ...manuscriptExtensions().map((extension) => (extension.name === 'starterKit' ? extension.configure({ trailingNode: false }) : extension)),
      SceneBreakCommands,
    ],
    content,
    editorProps: {
      attributes: {
        'aria-label': 'Chapter — manuscript',
        'aria-multiline': 'true',
        role: 'textbox',
        spellcheck: 'true',
        'data-testid': 'manuscript',
      },
    },
  });
  document.querySelector('[data-testid=document-workspace]')!.setAttribute('data-ready', 'true');
}

void open();
