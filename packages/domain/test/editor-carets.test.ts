// @vitest-environment happy-dom
/** Where a caret goes when others type at it, below the browser (docs/editor.md, "Concurrent editing"). */
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { roundProblems, WRITERS } from '../../../e2e/support/concurrency';
import { EMPTY_DOCUMENT, MANUSCRIPT_FIELD, yDocToJSON } from '../src/manuscript';
import { closeNetworks, expectConverged, network, PROSE, SCREENPLAY, seed, type Writer } from './support/editor-network';

afterEach(closeNetworks);

/**
 * Where the browser fuzz failed with Enter, bold and Tab (docs/editor.md, "Concurrent editing"): a writer puts the
 * caret somewhere, a co-writer's letters arrive at that very spot, and only then does the writer act on the caret.
 */
describe('acting on a caret that others typed at', () => {
  // A caret that stayed in front of letters a co-writer added at the end of its line made Enter split them off, and
  // the co-writer's next letters landed in the old line. It sticks to the end only behind someone else's letter: one
  // that always stuck to the end broke the case below (Backspace after one's own last letter).
  it('keeps a caret at the end of a line after letters a co-writer adds there, so Enter splits nothing off', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(0, 'end');
    b.caretAt(0, 'end');
    for (let i = 0; i < 3; i++) b.type();
    net.deliver(1, 0);
    expect(a.offset).toBe(6);
    a.enter();
    for (let i = 0; i < 3; i++) b.type();
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });

  // Browser seed 26 with Enter on: a writer pressed Enter behind their own last letter while a co-writer's letters
  // followed it; the Enter moved those letters into the new line as a copy, and the co-writer's next letters landed
  // in the old line, in front of them.
  it('moves a caret with the letters it followed when a co-writer presses Enter in front of them', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(0, 'end');
    b.caretAt(0, 'end');
    a.type();
    a.type();
    net.settle();
    for (let i = 0; i < 3; i++) b.type();
    net.deliver(1, 0);
    a.enter();
    net.deliver(0, 1);
    for (let i = 0; i < 3; i++) b.type();
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });

  // Browser seed 134: a co-writer's letter crossed the Enter on the wire and stayed in the old line, in front of the
  // letters the Enter had moved into the new one.
  it('leaves a co-writer\'s fresh letters in the line when Enter is pressed in front of them, while they type on', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(0, 'end');
    b.caretAt(0, 'end');
    a.type();
    a.type();
    net.settle();
    for (let i = 0; i < 3; i++) b.type();
    net.deliver(1, 0);
    a.enter();
    b.type();
    a.type();
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });

  // Browser seeds 42, 129 and 133: the line ended in the writer's own letters from earlier on (the round's opening
  // text), so the caret stayed in front of a co-writer's letters arriving there and Enter split them off.
  it('moves a caret at the end of a line behind the writer\'s own earlier letters on with a co-writer\'s letters', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(0, 'end');
    a.type();
    a.type();
    // more of the writer's own edits elsewhere: the letters at the line's end are no longer just typed
    a.caretAt(2, 'start');
    for (let i = 0; i < 9; i++) a.type();
    net.settle();
    a.caretAt(0, 'end');
    b.caretAt(0, 'end');
    for (let i = 0; i < 3; i++) b.type();
    net.deliver(1, 0);
    expect(a.offset).toBe(8);
    a.enter();
    a.type();
    b.type();
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });

  // Browser seeds 129 and 133 on a busy machine: the co-writer's Enter and the letter they typed into the new line
  // arrived in one update, so the cut-off letters no longer started the new line and the caret stayed behind.
  it('moves a caret with the letters it followed when a co-writer\'s Enter and their next letters arrive together', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    b.caretAt(0, 'end');
    for (let i = 0; i < 3; i++) b.type();
    net.settle();
    a.caretAt(0, 3);
    a.enter();
    a.type();
    net.deliverTogether(0, 1);
    for (let i = 0; i < 2; i++) b.type();
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });

  // Browser seeds 3 and 10 of the default rounds with a line-end caret that sticks to the end: the writer's caret
  // jumped over the co-writer's letter, and Backspace deleted that letter instead of the writer's own.
  it('keeps a caret after the letter its writer just typed at a line end when a co-writer types there too', () => {
    // Yjs orders letters typed at one spot at once by client id, which is random: enough tries put b's after a's
    for (let attempt = 0; attempt < 12; attempt++) {
      const net = network(2, seed(EMPTY_DOCUMENT));
      const [a, b] = net.writers as [Writer, Writer];
      a.caret('docStart');
      b.caret('docStart');
      a.typeFiller();
      b.type();
      net.deliver(1, 0);
      a.backspace();
      b.type();
      net.settle();
      expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
    }
  });

  it('moves a caret in the middle of a line with the letters a co-writer types before it', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(2, 'start');
    a.type();
    a.type();
    net.settle();
    b.caretAt(2, 'start');
    for (let i = 0; i < 3; i++) b.type();
    net.deliver(1, 0);
    expect(a.offset).toBe(5);
    a.type();
    net.settle();
    expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
  });

  it('keeps a selection on the same letters while a co-writer types after them, so bold covers only those', () => {
    const net = network(2, seed(PROSE));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(0, 'end');
    b.caretAt(0, 'end');
    a.type();
    a.type();
    net.settle();
    const { $from } = a.state.selection;
    a.view.dispatch(a.state.tr.setSelection(TextSelection.create(a.state.doc, $from.pos - 2, $from.pos)));
    b.type();
    b.type();
    net.deliver(1, 0);
    expect(a.state.doc.textBetween(a.state.selection.from, a.state.selection.to)).toBe(WRITERS[0]!.letters.slice(0, 2));
    a.view.dispatch(a.state.tr.addMark(a.state.selection.from, a.state.selection.to, a.state.schema.marks.bold!.create()));
    net.settle();
    expectConverged(net);
    const bold = yDocToJSON(a.doc).content![0]!.content!.filter((n) => n.marks?.length).map((n) => n.text).join('');
    expect(bold).toBe(WRITERS[0]!.letters.slice(0, 2));
  });

  for (const [blockIndex, where] of [[2, 'end'], [2, 'start'], [1, 'start']] as const) {
    it(`keeps letters a co-writer types into a screenplay element whose type changes (block ${blockIndex}, ${where})`, () => {
      const net = network(2, seed(SCREENPLAY));
      const [a, b] = net.writers as [Writer, Writer];
      a.caretAt(blockIndex, where);
      b.caretAt(blockIndex, where);
      b.type();
      b.type();
      a.setBlockType('dialogue');
      b.type();
      net.deliver(0, 1);
      b.type();
      net.settle();
      expect(roundProblems(expectConverged(net), [a.typed, b.typed], WRITERS)).toEqual([]);
    });
  }

  it('changes a text block\'s type on the Y element it has, so the stored document and every reader agree', () => {
    const net = network(2, seed(SCREENPLAY));
    const [a, b] = net.writers as [Writer, Writer];
    a.caretAt(2, 'end');
    a.setBlockType('dialogue');
    b.caretAt(0, 'end');
    b.type();
    net.settle();
    const element = a.doc.getXmlFragment(MANUSCRIPT_FIELD).get(2) as Y.XmlElement;
    expect([element.nodeName, element.getAttribute('pmType')]).toEqual(['character', 'dialogue']);
    expect(yDocToJSON(b.doc).content!.map((n) => n.type)).toEqual(['sceneHeading', 'action', 'dialogue', 'dialogue']);
    expect(yDocToJSON(b.doc).content![2]).toEqual({ type: 'dialogue', content: [{ type: 'text', text: '22' }] });
    // and back: the element is named after that type again, without the attribute
    a.setBlockType('character');
    net.settle();
    expect([element.nodeName, element.getAttribute('pmType')]).toEqual(['character', undefined]);
    expect(expectConverged(net)).toBe(`1${WRITERS[1]!.letters[0]}\n\n22\n`);
  });
});
