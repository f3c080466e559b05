// Renders a few pages of the book PDF and the screenplay PDF to PNG into docs/exports/ (needs poppler-utils'
// pdftoppm, which `node scripts/bootstrap.mjs install` puts in place).
//   pnpm exec tsx bench/exports/samples.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportManuscript } from '../../packages/exports/src/index';
import { generateNovel, generateScreenplay, novel, screenplay } from '../../packages/exports/test/fixtures/seed';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/exports');
const work = mkdtempSync(path.join(tmpdir(), 'quire-samples-'));
mkdirSync(out, { recursive: true });
const date = new Date('2026-01-01T00:00:00Z');

async function render(name: string, bytes: Uint8Array, pages: number[]) {
  const pdf = path.join(work, `${name}.pdf`);
  writeFileSync(pdf, bytes);
  for (const page of pages) {
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(page), '-l', String(page), '-singlefile', pdf, path.join(work, name)]);
    renameSync(path.join(work, `${name}.png`), path.join(out, `${name}-page-${page}.png`));
  }
}

for (const file of readdirSync(out).filter((f) => /^(novel|novel-spread|screenplay)-page-\d+\.png$/.test(f))) rmSync(path.join(out, file));

const book = novel();
const comments = [{ id: 'c1', chapter: 0, anchorText: 'hundred and twelve', body: 'Check the count.', author: 'Sam Editor' }];
// the title page and the first chapter openings (page 2 is the title page's blank back)
await render('novel', (await exportManuscript('pdf', book, { date, comments })).bytes, [1, 3, 4]);
// a spread from inside a longer book: a left-hand and a right-hand page with their running heads, folios and gutter
await render('novel-spread', (await exportManuscript('pdf', generateNovel(9000), { date })).bytes, [8, 9]);
// a script long enough to show a (MORE)/(CONT'D) break: the seeded opening, then generated scenes
const play = screenplay();
play.chapters[0]!.blocks.push(...generateScreenplay(4).chapters[0]!.blocks);
await render('screenplay', (await exportManuscript('pdf-screenplay', play, { date, sceneNumbers: true })).bytes, [1, 2, 3]);
rmSync(work, { recursive: true, force: true });
console.log(`wrote ${readdirSync(out).filter((f) => f.endsWith('.png')).join(', ')} to ${path.relative(process.cwd(), out)}`);
