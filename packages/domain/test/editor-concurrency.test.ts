// @vitest-environment happy-dom
/**
 * Several ProseMirror editors bound to their own Y.Doc by the Yjs binding the browser editor uses, with updates
 * delivered late and interleaved with typing, as over a real network. This is the layer where concurrent typing
 * used to duplicate or move characters (docs/editor.md, "Concurrent editing").
 */
import { splitBlock } from '@tiptap/pm/commands';
import { EditorState, Selection, TextSelection } from '@tiptap/pm/state';
import { EditorView } from '@tiptap/pm/view';
import { ySyncPlugin } from '@tiptap/y-tiptap';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { random, roundProblems, WRITERS } from '../../../e2e/support/concurrency';
import { EMPTY_DOCUMENT, MANUSCRIPT_FIELD, jsonToYUpdate, manuscriptSchema, yDocToJSON, yDocToPlainText, type ProseMirrorJSON } from '../src/manuscript';

const REMOTE = Symbol('remote');

class Writer {
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

  enter(): void {
    this.newRun();
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

  destroy(): void {
    this.view.destroy();
    this.doc.destroy();
  }
}

/** Writers joined by links that hold updates until told to deliver them, in the order they were sent. */
class Network {
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
function expectConverged(net: Network): string {
  const [first, ...rest] = net.writers;
  const json = yDocToJSON(first!.doc);
  for (const writer of rest) expect(yDocToJSON(writer.doc)).toEqual(json);
  const shown = manuscriptSchema().nodeFromJSON(json.content?.length ? json : EMPTY_DOCUMENT).toJSON();
  for (const writer of net.writers) expect(writer.state.doc.toJSON()).toEqual(shown);
  return yDocToPlainText(first!.doc);
}

function seed(json: ProseMirrorJSON): Uint8Array {
  return jsonToYUpdate(json);
}

/** A manuscript as stored before this change: an empty paragraph without a text inside (how new chapters started). */
function legacyEmptyParagraph(): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment(MANUSCRIPT_FIELD).insert(0, [new Y.XmlElement('paragraph')]);
  return Y.encodeStateAsUpdate(doc);
}

// Texts already there are digits: no writer types digits, so they cannot be mistaken for someone's keystrokes.
const SCREENPLAY: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'sceneHeading', content: [{ type: 'text', text: '1' }] },
    { type: 'action' },
    { type: 'character', content: [{ type: 'text', text: '22' }] },
    { type: 'dialogue' },
  ],
};

const PROSE: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: '333' }] },
    { type: 'paragraph' },
    { type: 'paragraph', content: [{ type: 'text', text: '4444' }, { type: 'hardBreak' }] },
  ],
};

let open: Network[] = [];
afterEach(() => {
  for (const net of open) net.destroy();
  open = [];
});
function network(count: number, start: Uint8Array): Network {
  const net = new Network(count, start);
  open.push(net);
  return net;
}

describe('two writers in one new, empty chapter', () => {
  // The report: both click into the single empty paragraph, one at its start and one at its end, and type at once.
  for (const [name, start] of [
    ['as new chapters start now', () => seed(EMPTY_DOCUMENT)],
    ['as new chapters were stored before', legacyEmptyParagraph],
  ] as const) {
    it(`keeps every keystroke exactly once (${name})`, () => {
      for (let lag = 1; lag <= 4; lag++) {
        const net = network(2, start());
        const [a, b] = net.writers as [Writer, Writer];
        a.caret('docStart');
        b.caret('docEnd');
        for (let step = 0; step < 12; step++) {
          a.type();
          b.type();
          // each side hears the other `lag` keystrokes late
          if (step % lag === lag - 1) {
            net.deliver(0, 1);
            net.deliver(1, 0);
          }
        }
        net.settle();
        const text = expectConverged(net);
        expect(roundProblems(text, [a.typed, b.typed], WRITERS)).toEqual([]);
      }
    });
  }

  it('keeps text typed after a trailing hard break by two writers at once exactly once', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caret('docEnd');
    b.caret('docEnd');
    for (let step = 0; step < 10; step++) {
      a.type();
      b.type();
      if (step % 3 === 2) {
        net.deliver(1, 0);
        net.deliver(0, 1);
      }
    }
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });
});

/**
 * Seeded rounds: typing, deleting, Enter at block starts and ends, bold on and off, at the same and nearby places,
 * with updates held back and delivered in random order. Enter is pressed only at the start or end of a block: a
 * split in the middle of a text copies its tail into a new block, so text typed into that tail at the same moment
 * by someone else cannot survive it (docs/editor.md says so).
 */
function runRound(seedNumber: number, writers: number, start: Uint8Array): string[] {
  const rand = random(seedNumber);
  const net = network(writers, start);
  for (const writer of net.writers) writer.caret('block', rand());
  for (let step = 0; step < 60; step++) {
    const writer = net.writers[Math.floor(rand() * writers)]!;
    const roll = rand();
    if (roll < 0.55) writer.type();
    else if (roll < 0.65) {
      writer.typeFiller();
      if (rand() < 0.5) net.deliver(writer.index, (writer.index + 1) % writers);
      writer.backspace();
    } else if (roll < 0.72) {
      writer.caret(rand() < 0.5 ? 'blockStart' : 'blockEnd');
      writer.enter();
    } else if (roll < 0.8) writer.mark(1 + Math.floor(rand() * 4));
    else if (roll < 0.88) writer.caret('block', rand());
    else if (roll < 0.92) writer.caret(rand() < 0.5 ? 'blockStart' : 'blockEnd');
    else {
      const from = Math.floor(rand() * writers);
      const to = (from + 1 + Math.floor(rand() * (writers - 1))) % writers;
      net.deliver(from, to, 1 + Math.floor(rand() * 3));
    }
  }
  net.settle();
  const text = expectConverged(net);
  return roundProblems(text, net.writers.map((w) => w.typed), WRITERS);
}

describe('seeded rounds', () => {
  const starts = { empty: () => seed(EMPTY_DOCUMENT), legacy: legacyEmptyParagraph, prose: () => seed(PROSE), screenplay: () => seed(SCREENPLAY) };
  for (const [name, start] of Object.entries(starts)) {
    it(`two and three writers converge with every keystroke once (${name})`, () => {
      const failures: string[] = [];
      for (let round = 0; round < 20; round++) {
        const seedNumber = 1000 + round;
        const problems = runRound(seedNumber, 2 + (round % 2), start());
        if (problems.length) failures.push(`seed ${seedNumber}: ${problems.join('; ')}`);
      }
      expect(failures).toEqual([]);
    }, 180_000);
  }
});
