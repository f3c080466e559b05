import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { exportManuscript, type Manuscript } from '../src/index';
import { epubcheck } from './epubcheck';
import { novel, screenplay } from './fixtures/seed';

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

  it('makes the cover the book\'s cover image and its first page when one is set', async () => {
    const withCover: Manuscript = { ...novel(), meta: { ...novel().meta, cover: { bytes: PNG, mimeType: 'image/png' } } };
    const files = unzipSync((await exportManuscript('epub', withCover)).bytes);
    const opf = strFromU8(files['OEBPS/content.opf']!);
    expect(opf).toContain('<item id="cover-image" href="cover.png" media-type="image/png" properties="cover-image"/>');
    expect(opf).toContain('<meta name="cover" content="cover-image"/>');
    expect(opf.match(/<itemref idref="([^"]+)"/)![1]).toBe('cover');
    expect(Buffer.from(files['OEBPS/cover.png']!).equals(Buffer.from(PNG))).toBe(true);
    expect(strFromU8(files['OEBPS/cover.xhtml']!)).toContain('<section class="cover" epub:type="cover"><img src="cover.png" alt="Cover of The Lighthouse Keeper’s Daughter"/></section>');
    expect(strFromU8(files['OEBPS/nav.xhtml']!)).toContain('<a epub:type="cover" href="cover.xhtml">Cover</a>');
    // without one, none of it
    const plain = unzipSync((await exportManuscript('epub', novel())).bytes);
    expect(Object.keys(plain).filter((f) => f.includes('cover'))).toEqual([]);
    expect(strFromU8(plain['OEBPS/content.opf']!)).not.toContain('cover');
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
