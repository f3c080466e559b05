// @vitest-environment happy-dom
/**
 * Concurrent typing below the browser: writers in one new chapter, and seeded rounds of typing, Enter, bold and block
 * type changes with updates delivered late and out of order. This is the layer where concurrent typing used to
 * duplicate or move characters (docs/editor.md, "Concurrent editing"); editor-carets.test.ts has the cases about a
 * caret others typed at.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { random, roundProblems, WRITERS } from '../../../e2e/support/concurrency';
import { EMPTY_DOCUMENT } from '../src/manuscript';
import { closeNetworks, expectConverged, legacyEmptyParagraph, network, PROSE, SCREENPLAY, seed, type Writer } from './support/editor-network';

afterEach(closeNetworks);

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
 * Seeded rounds: typing, deleting, Enter at block starts and ends, bold on and off, changing a block's type (Tab in a
 * screenplay, a heading in prose), at the same and nearby places,
 * with updates held back and delivered in random order. Enter is pressed only at the start or end of a block: a
 * split in the middle of a text copies its tail into a new block, so text typed into that tail at the same moment
 * by someone else cannot survive it (docs/editor.md says so).
 */
const SCREENPLAY_TYPES = ['paragraph', 'sceneHeading', 'action', 'character', 'parenthetical', 'dialogue', 'transition', 'shot'];

function runRound(seedNumber: number, writers: number, start: Uint8Array, screenplay = false): string[] {
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
    } else if (roll < 0.8) {
      const types = screenplay ? SCREENPLAY_TYPES : ['paragraph', 'heading'];
      if (rand() < 0.4) writer.setBlockType(types[Math.floor(rand() * types.length)]!);
      else writer.mark(1 + Math.floor(rand() * 4));
    }
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
        const problems = runRound(seedNumber, 2 + (round % 2), start(), name === 'screenplay');
        if (problems.length) failures.push(`seed ${seedNumber}: ${problems.join('; ')}`);
      }
      expect(failures).toEqual([]);
    }, 180_000);
  }
});
