import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFuzzStudio, runRound, type FuzzStudio, type RoundResult } from './support/editor-fuzz';

/**
 * Concurrent editing in real browsers: two and three writers type, delete, jump around, press Enter at line starts
 * and ends, bold the letters they just typed and (in a screenplay) change the element with Tab, at the same and at
 * nearby places in a fresh document each round. Every round must converge, and every writer's keystrokes must be in
 * it exactly once, in the order typed (docs/editor.md, "Concurrent editing").
 * `pnpm fuzz:editor` runs more rounds.
 */

/** Rounds in the test command; the separate script runs as many as asked. */
const ROUNDS = Number(process.env.QUIRE_FUZZ_ROUNDS ?? 50);
const FIRST_SEED = Number(process.env.QUIRE_FUZZ_SEED ?? 1);

/** Seeds that once failed, kept by name: what they caught is in the name. */
const REGRESSIONS: Record<string, number> = {
  'Enter at a line end while others typed there lost or moved their letters': 1,
  'Enter at a line start or end while others typed, again': 4,
  'bold over the last letters while others typed lost the selected letter': 5,
  'Tab in a screenplay while others typed in that element doubled or lost letters': 8,
  'bold while others typed, again': 9,
  'bold while others typed, a third time': 10,
  'Enter behind the writer’s own letter moved a co-writer’s letters into the new line, and theirs kept landing in the old one': 26,
  'Enter at a line start while others typed lost a writer’s first letter and moved a later run to the front': 34,
  'Enter in a screenplay element while others typed moved a writer’s first letters behind the rest': 46,
  'Enter at the end of a line of the writer’s own earlier text split off a co-writer’s letters typed there': 42,
  'Enter in a screenplay behind the writer’s own earlier letters moved a co-writer’s letters into the new line and left their next ones behind': 129,
  'Enter at the end of a line of the writer’s own earlier text, with three writers': 133,
  'a letter typed while a co-writer’s Enter was on its way stayed in the old line, in front of its run': 134,
};

let studio: FuzzStudio;

beforeAll(async () => {
  studio = await openFuzzStudio({ url: process.env.QUIRE_E2E_URL });
}, 12 * 60_000);

afterAll(async () => {
  await studio?.close();
}, 60_000);

function report(result: RoundResult): string {
  return `seed ${result.seed} (${result.kind}, ${result.writers} writers, ${result.start}): ${result.problems.join('; ')}\n  text: ${JSON.stringify(result.text)}\n  script: ${JSON.stringify(result.script)}`;
}

describe('concurrent editing in real browsers', () => {
  for (const [name, seed] of Object.entries(REGRESSIONS)) {
    it(`regression: ${name} (seed ${seed})`, async () => {
      const result = await runRound(studio, seed);
      expect(result.problems, report(result)).toEqual([]);
    }, 90_000);
  }

  it(`${ROUNDS} seeded rounds converge with every keystroke exactly once, in order`, async () => {
    const failures: string[] = [];
    const seen = { prose: 0, screenplay: 0, two: 0, three: 0, empty: 0, blocks: 0 };
    for (let seed = FIRST_SEED; seed < FIRST_SEED + ROUNDS; seed++) {
      const started = Date.now();
      const result = await runRound(studio, seed);
      if (process.env.QUIRE_FUZZ_VERBOSE) console.log(`seed ${seed}: ${result.kind}, ${result.writers} writers, ${result.start}, ${Date.now() - started} ms, ${result.problems.length ? 'FAILED' : 'ok'}`);
      seen[result.kind]++;
      seen[result.writers === 2 ? 'two' : 'three']++;
      seen[result.start]++;
      if (result.problems.length) failures.push(report(result));
    }
    expect(failures).toEqual([]);
    // enough seeds cover every kind of round
    if (ROUNDS >= 20) expect(Object.values(seen).every((n) => n > 0), JSON.stringify(seen)).toBe(true);
  }, 30 * 60_000);
});
