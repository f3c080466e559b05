/**
 * Several ProseMirror editors bound to their own Y.Doc by the Yjs binding the browser editor uses, with updates
 * delivered late and interleaved with typing, as over a real network: the harness of the concurrency tests below the
 * browser (docs/editor.md, "Concurrent editing"). A test file using it runs in happy-dom and calls closeNetworks()
 * after each test.
 */
import { splitBlock } from '@tiptap/pm/commands';
import { EditorState, Selection, TextSelection } from '@tiptap/pm/state';
import { EditorView } from '@tiptap/pm/view';
import { ySyncPlugin } from '@tiptap/y-tiptap';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { WRITERS } from '../../../../e2e/support/concurrency';
import { EMPTY_DOCUMENT, MANUSCRIPT_FIELD, jsonToYUpdate, manuscriptSchema, yDocToJSON, yDocToPlainText, type ProseMirrorJSON } from '../../src/manuscript';

const REMOTE = Symbol('remote');

export class Writer {
  readonly doc = new Y.Doc();
  readonly view: EditorView;
  /** What this writer typed, in runs broken where the caret was moved. */
  readonly typed: string[] = [''];
  private next = 0;

  constructor(
    readonly index: number,
    start: Uint8Array,
    outbox: (update: Uint8Array) => void,
  ) {
    Y.applyUpdate(this.doc, start, REMOTE);
    // everything this editor writes travels, also what the binding writes while rendering
    this.doc.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && outbox(update));
    const state = EditorState.create({ schema: manuscriptSchema(), plugins: [ySyncPlugin(this.doc.getXmlFragment(MANUSCRIPT_FIELD))] });
    this.view = new EditorView(document.createElement('div'), { state });
  }

  get state() {
    return this.view.state;
  }

  type(): void {
    const ch = WRITERS[this.index]!.letters[this.next++];
    if (!ch) return;
    this.typed[this.typed.length - 1] += ch;
    this.view.dispatch(this.state.tr.insertText(ch));
  }

  typeFiller(): void {
    this.view.dispatch(this.state.tr.insertText(WRITERS[this.index]!.filler));
  }

  backspace(): void {
    const { $from, empty } = this.state.selection;
    if (empty && $from.parentOffset > 0) this.view.dispatch(this.state.tr.delete($from.pos - 1, $from.pos));
  }

  private newRun(): void {
    if (this.typed[this.typed.length - 1] !== '') this.typed.push('');
  }

  /** Enter as the key reaches the editor: the binding may move the caret first, then the block splits. */
  enter(): void {
    this.newRun();
    this.view.someProp('handleKeyDown', (handle) => handle(this.view, new KeyboardEvent('keydown', { key: 'Enter' })));
    splitBlock(this.state, (tr) => this.view.dispatch(tr));
  }

  /** Bold (or not) over the characters before the caret in its block. */
  mark(length: number): void {
    const { $from } = this.state.selection;
    const from = Math.max($from.start(), $from.pos - length);
    if (from === $from.pos) return;
    const bold = this.state.schema.marks.bold!;
    const tr = this.state.doc.rangeHasMark(from, $from.pos, bold) ? this.state.tr.removeMark(from, $from.pos, bold) : this.state.tr.addMark(from, $from.pos, bold.create());
    this.view.dispatch(tr);
  }

  caret(where: 'docStart' | 'docEnd' | 'blockStart' | 'blockEnd' | 'block', pick = 0): void {
    this.newRun();
    const { doc } = this.state;
    let selection: Selection;
    if (where === 'docStart') selection = Selection.atStart(doc);
    else if (where === 'docEnd') selection = Selection.atEnd(doc);
    else if (where === 'block') {
      // the start or end of some text block
      const blocks: Array<{ start: number; end: number }> = [];
      doc.descendants((node, pos) => {
        if (node.isTextblock) blocks.push({ start: pos + 1, end: pos + 1 + node.content.size });
        return !node.isTextblock;
      });
      const block = blocks[Math.floor(pick * blocks.length) % blocks.length]!;
      selection = TextSelection.create(doc, pick * 2 * blocks.length % 1 < 0.5 ? block.start : block.end);
    } else {
      const { $from } = this.state.selection;
      selection = TextSelection.create(doc, where === 'blockStart' ? $from.start() : $from.end());
    }
    this.view.dispatch(this.state.tr.setSelection(selection));
  }

  /** The caret at the start or end of the `index`th text block, or that many characters into it. */
  caretAt(index: number, where: 'start' | 'end' | number): void {
    this.newRun();
    const blocks: Array<{ start: number; end: number }> = [];
    this.state.doc.descendants((node, pos) => {
      if (node.isTextblock) blocks.push({ start: pos + 1, end: pos + 1 + node.content.size });
      return !node.isTextblock;
    });
    const block = blocks[index]!;
    const at = where === 'start' ? block.start : where === 'end' ? block.end : block.start + where;
    this.view.dispatch(this.state.tr.setSelection(TextSelection.create(this.state.doc, at)));
  }

  /** The block under the caret becomes another type (Tab in a screenplay). */
  setBlockType(name: string): void {
    const { $from } = this.state.selection;
    this.view.dispatch(this.state.tr.setBlockType($from.before(), $from.after(), this.state.schema.nodes[name]!));
  }

  /** Text position of the caret inside its block. */
  get offset(): number {
    return this.state.selection.$from.parentOffset;
  }

  destroy(): void {
    this.view.destroy();
    this.doc.destroy();
  }
}

/** Writers joined by links that hold updates until told to deliver them, in the order they were sent. */
export class Network {
  readonly writers: Writer[] = [];
  private readonly links = new Map<string, Uint8Array[]>();

  constructor(count: number, start: Uint8Array) {
    for (let i = 0; i < count; i++) {
      this.writers.push(
        new Writer(i, start, (update) => {
          for (let j = 0; j < count; j++) if (j !== i) this.queue(i, j).push(update);
        }),
      );
    }
  }

  private queue(from: number, to: number): Uint8Array[] {
    const key = `${from}>${to}`;
    let queue = this.links.get(key);
    if (!queue) this.links.set(key, (queue = []));
    return queue;
  }

  /** Delivers up to `count` waiting updates from one writer to another. */
  deliver(from: number, to: number, count = Infinity): void {
    const queue = this.queue(from, to);
    for (let n = 0; n < count && queue.length > 0; n++) Y.applyUpdate(this.writers[to]!.doc, queue.shift()!, REMOTE);
  }

  /**
   * Delivers every waiting update from one writer to another as one update, as a busy machine sends several
   * keystrokes in one message: the receiving editor draws them in one go.
   */
  deliverTogether(from: number, to: number): void {
    const queue = this.queue(from, to);
    if (queue.length === 0) return;
    Y.applyUpdate(this.writers[to]!.doc, Y.mergeUpdates(queue.splice(0)), REMOTE);
  }

  /** Delivers everything, again and again, until nothing travels any more (rendering may write). */
  settle(): void {
    for (let pass = 0; pass < 20; pass++) {
      if ([...this.links.values()].every((queue) => queue.length === 0)) return;
      for (let i = 0; i < this.writers.length; i++) for (let j = 0; j < this.writers.length; j++) if (i !== j) this.deliver(i, j);
    }
    throw new Error('updates kept travelling after 20 rounds of delivery');
  }

  destroy(): void {
    for (const writer of this.writers) writer.destroy();
  }
}

/** Every writer holds the same Y state, and every editor shows it. */
export function expectConverged(net: Network): string {
  const [first, ...rest] = net.writers;
  const json = yDocToJSON(first!.doc);
  for (const writer of rest) expect(yDocToJSON(writer.doc)).toEqual(json);
  const shown = manuscriptSchema().nodeFromJSON(json.content?.length ? json : EMPTY_DOCUMENT).toJSON();
  for (const writer of net.writers) expect(writer.state.doc.toJSON()).toEqual(shown);
  return yDocToPlainText(first!.doc);
}

export function seed(json: ProseMirrorJSON): Uint8Array {
  return jsonToYUpdate(json);
}

/** A manuscript as stored before this change: an empty paragraph without a text inside (how new chapters started). */
export function legacyEmptyParagraph(): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment(MANUSCRIPT_FIELD).insert(0, [new Y.XmlElement('paragraph')]);
  return Y.encodeStateAsUpdate(doc);
}

// Texts already there are digits: no writer types digits, so they cannot be mistaken for someone's keystrokes.
export const SCREENPLAY: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'sceneHeading', content: [{ type: 'text', text: '1' }] },
    { type: 'action' },
    { type: 'character', content: [{ type: 'text', text: '22' }] },
    { type: 'dialogue' },
  ],
};

export const PROSE: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: '333' }] },
    { type: 'paragraph' },
    { type: 'paragraph', content: [{ type: 'text', text: '4444' }, { type: 'hardBreak' }] },
  ],
};


let open: Network[] = [];

/** A network of `count` writers starting from `start`, destroyed by closeNetworks(). */
export function network(count: number, start: Uint8Array): Network {
  const net = new Network(count, start);
  open.push(net);
  return net;
}

export function closeNetworks(): void {
  for (const net of open) net.destroy();
  open = [];
}
