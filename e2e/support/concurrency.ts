/**
 * What a concurrency round checks, shared by the binding's own test (packages/domain/test) and the browser fuzz
 * (e2e/concurrency.test.ts). Every writer types from an alphabet no other writer uses, so the final text can be
 * read back per writer: filtered to a writer's alphabet it must be exactly what that writer typed, in the order
 * typed. A lost character, a duplicate or one moved before an earlier one all break that equality.
 */

/** A small seeded generator (mulberry32): a failing round replays from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WriterAlphabet {
  /** Characters this writer types, each at most once per round. */
  letters: string;
  /**
   * Typed and deleted again at once with Backspace. None may survive a round: a filler left over means a Backspace
   * hit someone else's character, which shows up as a missing letter too.
   */
  filler: string;
}

// No spaces and none of the characters StarterKit's input rules react to (- * _ ~ ` # > digits followed by a dot),
// so what is typed is exactly what lands in the document.
export const WRITERS: WriterAlphabet[] = [
  { letters: 'abcdefghijklmnopqrstuvwxyz', filler: '%' },
  { letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', filler: '&' },
  { letters: 'αβγδεζηθικλμνξοπρστυφχψω', filler: '$' },
];

/**
 * Problems with a round's final text, or an empty list. `typed[i]` is what writer i typed from its alphabet, as runs:
 * a run is what was typed without the caret being moved in between. Every typed letter must be in the text exactly
 * once, and each run's letters in the order typed. Runs may be apart (the writer moved the caret), and a run may
 * be split by another writer's text typed at the very same place at the same moment: that is how any two people
 * typing at one spot merge.
 */
export function roundProblems(text: string, typed: string[][], writers: WriterAlphabet[] = WRITERS): string[] {
  const problems: string[] = [];
  typed.forEach((runs, i) => {
    const writer = writers[i]!;
    const own = [...text].filter((ch) => writer.letters.includes(ch));
    const expected = runs.join('');
    const counts = new Map<string, number>();
    for (const ch of own) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    const wrong = [...writer.letters].filter((ch) => (counts.get(ch) ?? 0) !== (expected.includes(ch) ? 1 : 0));
    if (wrong.length > 0) {
      problems.push(`writer ${i} typed "${runs.join('|')}" but the document holds "${own.join('')}" (${wrong.map((ch) => `${ch}×${counts.get(ch) ?? 0}`).join(' ')})`);
      return;
    }
    for (const run of runs) {
      const at = [...run].map((ch) => own.indexOf(ch));
      if (at.some((p, k) => k > 0 && p < at[k - 1]!)) problems.push(`writer ${i}'s run "${run}" is out of order in "${own.join('')}"`);
    }
    const fillers = [...text].filter((ch) => ch === writer.filler).length;
    if (fillers > 0) problems.push(`writer ${i}'s deleted "${writer.filler}" survives ${fillers} time(s)`);
  });
  return problems;
}
