// One measured step of the exports benchmark, in a process of its own so its peak memory is its own.
//   node --import tsx bench/exports/one.ts export <format> <novel|screenplay> <words|pages> <out>
//   node --import tsx bench/exports/one.ts import-docx <file>   |   mammoth <file>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exportManuscript, importFile, type ExportFormat } from '../../packages/exports/src/index';
import { generateNovel, generateScreenplay } from '../../packages/exports/test/fixtures/seed';

const [step, a, b, c, d] = process.argv.slice(2);
let result: Record<string, unknown> = {};
// load the writer's and reader's modules first (fonts, pdfkit, docx, mammoth) so the figure is the work itself
if (step === 'export') await exportManuscript(a as ExportFormat, b === 'novel' ? generateNovel(200) : generateScreenplay(1));
if (step === 'import-docx') await importFile(new TextEncoder().encode('warm up'), 'warm.txt').then(() => import('../../packages/exports/src/docx-reader'));
if (step === 'export') {
  const manuscript = b === 'novel' ? generateNovel(Number(c)) : generateScreenplay(Number(c));
  const start = performance.now();
  const out = await exportManuscript(a as ExportFormat, manuscript);
  result = { ms: performance.now() - start, bytes: out.bytes.length, pages: out.pages, words: out.words };
  if (d) writeFileSync(d, out.bytes);
} else if (step === 'import-docx') {
  const bytes = new Uint8Array(readFileSync(a!));
  const start = performance.now();
  const out = await importFile(bytes, 'novel.docx');
  result = { ms: performance.now() - start, documents: out.documents.length, words: out.report.words, ok: out.report.ok };
} else if (step === 'mammoth') {
  const mammoth = createRequire(new URL('../../packages/exports/package.json', import.meta.url))('mammoth') as typeof import('mammoth');
  const buffer = readFileSync(a!);
  const start = performance.now();
  const out = await mammoth.convertToHtml({ buffer });
  result = { ms: performance.now() - start, html: out.value.length };
}
console.log(JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }));
