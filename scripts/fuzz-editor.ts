/**
 * More seeded rounds of the browser concurrency fuzz than the test command runs (docs/editor.md, "Concurrent
 * editing"):
 *
 *   pnpm fuzz:editor --rounds=500 --seed=1
 *   pnpm fuzz:editor --rounds=50 --seed=9000 --url=http://127.0.0.1:3000   # against a studio already running
 *
 * Starts the studio as the README does (unless --url), prints one line per failing round with its seed and script,
 * and exits with 1 if any round failed. A failing seed replays its round; keep it in e2e/concurrency.test.ts.
 */
import { parseArgs } from 'node:util';
import { openFuzzStudio, runRound } from '../e2e/support/editor-fuzz';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    url: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const first = Number(values.seed);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(first)) {
  console.error('usage: pnpm fuzz:editor --rounds=<n ≥ 1> --seed=<integer> [--url=<studio>]');
  process.exit(2);
}

const studio = await openFuzzStudio({ url: values.url });
let failed = 0;
const started = Date.now();
try {
  for (let seed = first; seed < first + rounds; seed++) {
    const result = await runRound(studio, seed);
    if (result.problems.length) {
      failed++;
      console.log(`FAIL seed ${seed} (${result.kind}, ${result.writers} writers, ${result.start}): ${result.problems.join('; ')}`);
      console.log(`  text: ${JSON.stringify(result.text)}`);
      console.log(`  script: ${JSON.stringify(result.script)}`);
    }
    const done = seed - first + 1;
    if (done % 10 === 0 || done === rounds) console.log(`${done}/${rounds} rounds, ${failed} failed, ${((Date.now() - started) / done / 1000).toFixed(1)} s a round`);
  }
} finally {
  await studio.close();
}
process.exit(failed > 0 ? 1 : 0);
