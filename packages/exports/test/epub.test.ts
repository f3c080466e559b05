import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { exportManuscript, type Manuscript } from '../src/index';
import { novel, screenplay } from './fixtures/seed';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'quire-epub-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Debian's epubcheck (the W3C's checker); its /usr/bin/epubcheck is an executable jar, so run the jar with java. */
const JAR = '/usr/share/java/epubcheck.jar';
const command: [string, string[]] = existsSync(JAR) ? ['java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', JAR]] : ['epubcheck', []];

async function epubcheck(bytes: Uint8Array, name: string): Promise<string> {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  try {
    const { stdout, stderr } = await run(command[0], [...command[1], file], { timeout: 300_000 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`epubcheck failed for ${name}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

// a 1×1 PNG
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

describe('epub', () => {
  it('has the container, metadata, navigation and chapters', async () => {
    const { bytes, mimeType } = await exportManuscript('epub', novel(), { date: new Date('2026-01-01T00:00:00Z') });
    expect(mimeType).toBe('application/epub+zip');
    expect(Buffer.from(bytes.subarray(30, 38)).toString('latin1')).toBe('mimetype');
    const files = unzipSync(bytes);
    expect(Object.keys(files)[0]).toBe('mimetype');
    const opf = strFromU8(files['OEBPS/content.opf']!);
    expect(opf).toContain('<dc:title>The Lighthouse Keeper’s Daughter</dc:title>');
    expect(opf).toContain('<dc:creator id="author">Ada Marlowe</dc:creator>');
    expect(opf).toContain('<dc:language>en</dc:language>');
    expect(opf).toContain('<dc:identifier id="book-id">urn:uuid:4f0d3a52-7c1e-4b8e-9d8e-1f2a3b4c5d6e</dc:identifier>');
    expect(opf).toContain('<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>');
    const nav = strFromU8(files['OEBPS/nav.xhtml']!);
    expect(nav.match(/<li><a href="chapter-\d+\.xhtml">/g)).toHaveLength(3);
    const one = strFromU8(files['OEBPS/chapter-001.xhtml']!);
    expect(one).toContain('<em>hundred and twelve</em>');
    expect(one).toContain('<hr class="scene-break"/>');
    expect(one).toContain('“Keep it lit,” he had said.<br/>That was all.');
  });

  it('passes epubcheck: novel with a cover, screenplay, and awkward text', { timeout: 400_000 }, async () => {
    const withCover: Manuscript = { ...novel(), meta: { ...novel().meta, cover: { bytes: PNG, mimeType: 'image/png' } } };
    const odd: Manuscript = {
      meta: { title: 'A & B <odd> "title"', language: 'fr' },
      chapters: [
        { title: '', kind: 'prose', blocks: [{ type: 'bulletItem', depth: 0, spans: [{ text: 'one' }] }, { type: 'bulletItem', depth: 1, spans: [{ text: 'nested & <x>' }] }, { type: 'orderedItem', depth: 0, spans: [{ text: 'two' }] }, { type: 'paragraph', spans: [] }, { type: 'codeBlock', spans: [{ text: 'a < b\n\tc' }] }] },
      ],
    };
    const books = await Promise.all([
      exportManuscript('epub', withCover).then((r) => ['novel.epub', r.bytes] as const),
      exportManuscript('epub', screenplay()).then((r) => ['screenplay.epub', r.bytes] as const),
      exportManuscript('epub', odd).then((r) => ['odd.epub', r.bytes] as const),
    ]);
    for (const [name, bytes] of books) expect(await epubcheck(bytes, name)).toMatch(/No errors or warnings detected/);
  });
});
