/**
 * Writes docs/erd/phase0-schema.mmd, a Mermaid ER diagram of the public schema read from a database migrated from
 * zero, and renders it to phase0-schema.svg and phase0-schema.png with mermaid in Debian's Chromium.
 * Run after any schema change: `pnpm db:erd` (uses an embedded Postgres of its own unless DATABASE_URL is set;
 * `--no-render` writes the .mmd only). test/ops/erd.test.ts fails while the committed .mmd is out of date.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, ensureDatabase, migrate } from '@quire/db';
import { startEmbeddedPostgres } from '@quire/db/embedded';
import { schemaDiagram } from '@quire/db/erd';
import { launchBrowser } from '../e2e/support/browser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ERD_BASE = path.join(root, 'docs/erd/phase0-schema');

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-erd-'));
  await chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
  try {
    const url = await ensureDatabase(embedded.url, 'quire_erd');
    await migrate(url, { seed: false });
    return await fn(url);
  } finally {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** SVG and PNG of a Mermaid diagram, drawn by mermaid's own browser build in Chromium. */
export async function renderDiagram(text: string): Promise<{ svg: string; png: Buffer }> {
  const mermaidJs = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
    await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"><div id="out"></div></body></html>');
    await page.addScriptTag({ path: mermaidJs });
    const svg = await page.evaluate(async (source) => {
      const mermaid = (globalThis as unknown as { mermaid: { initialize(c: object): void; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', er: { useMaxWidth: false } });
      const { svg } = await mermaid.render('phase0-schema', source);
      document.getElementById('out')!.innerHTML = svg;
      return svg;
    }, text);
    // the page is sized to the drawing, so one plain screenshot holds all of it
    const size = await page.evaluate(() => {
      const box = document.querySelector('#out svg')!.getBoundingClientRect();
      return { width: Math.ceil(box.width), height: Math.ceil(box.height) };
    });
    await page.setViewportSize(size);
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...size }, animations: 'disabled', timeout: 300_000 });
    return { svg, png };
  } finally {
    await browser.close();
  }
}

async function main() {
  const render = !process.argv.includes('--no-render');
  await withDatabase(async (url) => {
    const pool = createPool(url, { max: 1 });
    try {
      const diagram = await schemaDiagram(pool);
      await mkdir(path.dirname(ERD_BASE), { recursive: true });
      await writeFile(`${ERD_BASE}.mmd`, diagram.text);
      console.log(`wrote ${path.relative(root, ERD_BASE)}.mmd: ${diagram.tables} tables, ${diagram.relations} foreign keys`);
      if (!render) return;
      const { svg, png } = await renderDiagram(diagram.text);
      await writeFile(`${ERD_BASE}.svg`, svg);
      await writeFile(`${ERD_BASE}.png`, png);
      console.log(`rendered ${path.relative(root, ERD_BASE)}.svg and .png`);
    } finally {
      await pool.end();
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
