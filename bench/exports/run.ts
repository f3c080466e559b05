// The exports benchmark: a generated 100k-word novel and 120-page screenplay exported to every format, each in a
// process of its own (time in the process and peak memory), against pandoc writing DOCX and EPUB from the same
// Markdown in the same run; screenplay PDF pages per second; importing the 100k-word DOCX against mammoth alone.
//   pnpm bench:exports [words=100000] [pages=120]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMarkdown } from '../../packages/exports/src/markdown';
import { generateNovel } from '../../packages/exports/test/fixtures/seed';

const words = Number(process.argv[2] ?? 100_000);
const pages = Number(process.argv[3] ?? 120);
const here = path.dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'quire-bench-exports-'));

interface Run {
  wallMs: number;
  maxRssMb: number;
  inner?: Record<string, number>;
}

/** A command under GNU time: wall-clock ms and peak resident memory. */
function timed(command: string, args: string[]): Run {
  const result = spawnSync('/usr/bin/time', ['-f', '__time %e %M', command, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const [, seconds, kb] = /__time ([\d.]+) (\d+)/.exec(result.stderr) ?? [];
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return { wallMs: Number(seconds) * 1000, maxRssMb: Number(kb) / 1024, inner: line.startsWith('{') ? JSON.parse(line) : undefined };
}

const node = (...args: string[]) => timed(process.execPath, ['--import', 'tsx', path.join(here, 'one.ts'), ...args]);
const fmt = (n: number, digits = 0) => n.toFixed(digits);

const md = path.join(work, 'novel.md');
writeFileSync(md, writeMarkdown(generateNovel(words)));
console.log(`load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores; novel ${words} words, screenplay ~${pages} pages, node ${process.version}, pandoc ${execFileSync('pandoc', ['--version']).toString().split('\n')[0]}`);

const pandoc = {
  docx: timed('pandoc', ['-f', 'markdown', '-t', 'docx', '-o', path.join(work, 'pandoc.docx'), md]),
  epub: timed('pandoc', ['-f', 'markdown', '-t', 'epub3', '-o', path.join(work, 'pandoc.epub'), md]),
};

const rows: [string, string, Run, Run | undefined][] = [];
for (const format of ['docx', 'epub', 'pdf', 'markdown', 'text']) {
  rows.push([format, 'novel', node('export', format, 'novel', String(words), format === 'docx' ? path.join(work, 'quire.docx') : ''), pandoc[format as 'docx' | 'epub']]);
}
for (const format of ['pdf-screenplay', 'fountain', 'fdx']) rows.push([format, 'screenplay', node('export', format, 'screenplay', String(pages)), undefined]);

console.log('\nformat          input       in-process ms  process ms  peak MB   pandoc ms  pandoc MB  pandoc/quire (in-process)  pandoc/quire (process)  quire/pandoc peak MB');
for (const [format, input, run, base] of rows) {
  const ratios = base
    ? `${(fmt(base.wallMs / run.inner!.ms!, 2) + '×').padStart(25)}  ${(fmt(base.wallMs / run.wallMs, 2) + '×').padStart(22)}  ${(fmt(run.maxRssMb / base.maxRssMb, 2) + '×').padStart(20)}`
    : '';
  console.log(`${format.padEnd(15)} ${input.padEnd(11)} ${fmt(run.inner!.ms!).padStart(13)} ${fmt(run.wallMs).padStart(11)} ${fmt(run.maxRssMb).padStart(8)} ${base ? fmt(base.wallMs).padStart(11) : ''.padStart(11)} ${base ? fmt(base.maxRssMb).padStart(10) : ''.padStart(10)}  ${ratios}`);
}
const play = rows.find(([f]) => f === 'pdf-screenplay')![2];
console.log(`\nscreenplay PDF: ${play.inner!.pages} pages in ${fmt(play.inner!.ms!)} ms = ${fmt((play.inner!.pages! / play.inner!.ms!) * 1000, 1)} pages/s`);

const docx = path.join(work, 'quire.docx');
const imported = node('import-docx', docx);
const mammoth = node('mammoth', docx);
console.log(`DOCX import of ${imported.inner!.words} words into ${imported.inner!.documents} documents: ${fmt(imported.inner!.ms!)} ms, ${fmt(imported.maxRssMb)} MB peak; mammoth alone ${fmt(mammoth.inner!.ms!)} ms, ${fmt(mammoth.maxRssMb)} MB; ratio ${fmt(imported.inner!.ms! / mammoth.inner!.ms!, 2)}× mammoth`);
rmSync(work, { recursive: true, force: true });
