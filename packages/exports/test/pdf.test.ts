import { describe, expect, it } from 'vitest';
import { exportManuscript } from '../src/index';
import { novel, screenplay, generateNovel, generateScreenplay } from './fixtures/seed';
import { pageText, readPdf } from './pdf-reader';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe('book PDF', () => {
  it('is set on the trim size with embedded fonts, a title page and chapter openings', async () => {
    const { bytes, pages: count } = await exportManuscript('pdf', novel(), { date: new Date('2026-01-01') });
    const raw = latin1(bytes);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    const pages = await readPdf(bytes);
    expect(pages).toHaveLength(count!);
    for (const page of pages) expect([page.width, page.height]).toEqual([432, 648]);
    expect(pageText(pages[0]!)).toContain('The Lighthouse Keeper’s Daughter');
    expect(pages[1]!.items).toEqual([]); // the title page's blank back, so chapter one opens on a right-hand page
    const opening = pages[2]!;
    const title = opening.items.find((i) => i.str === 'Chapter One')!;
    expect(title.top).toBeGreaterThan(648 * 0.25);
    expect(opening.items.some((i) => i.str.includes('Ada Marlowe'))).toBe(false); // no running head on an opening
    expect(pages.map(pageText).join(' ')).toMatch(/\*\s*\*\s*\*/);
    const small = await readPdf((await exportManuscript('pdf', novel(), { trim: '5x8' })).bytes);
    expect([small[0]!.width, small[0]!.height]).toEqual([360, 576]);
  });

  it('has running heads (author left, title right) and folios on the pages between openings', async () => {
    const pages = await readPdf((await exportManuscript('pdf', generateNovel(9000))).bytes);
    expect(pages.length).toBeGreaterThan(20);
    const head = (page: (typeof pages)[number]) => page.items.filter((i) => i.top < 0.85 * 72).map((i) => i.str).join(' ');
    const runningPages = pages.map((p, i) => ({ p, n: i + 1 })).filter(({ p }) => !p.items.some((i) => /^Chapter \d+$/.test(i.str)) && head(p));
    expect(runningPages.length).toBeGreaterThan(10);
    for (const { p, n } of runningPages) expect(head(p)).toBe(n % 2 === 0 ? 'Ada Marlowe' : 'A Generated Novel');
    for (const { p, n } of runningPages) expect(p.items.some((i) => i.str === String(n) && i.top > 648 - 0.85 * 72)).toBe(true);
  });

  it('mirrors the margins: the wider inside margin alternates sides with the page, heads and folios follow the text block', async () => {
    const pages = await readPdf((await exportManuscript('pdf', generateNovel(9000))).bytes);
    const inside = 0.875 * 72;
    const outside = 0.625 * 72;
    const block = (n: number) => (n % 2 === 1 ? { left: inside, right: 432 - outside } : { left: outside, right: 432 - inside });
    const body = (page: (typeof pages)[number]) => page.items.filter((i) => i.top > 0.85 * 72 && i.top < 648 - 0.85 * 72);
    let rectos = 0;
    let versos = 0;
    pages.forEach((page, index) => {
      const n = index + 1;
      const lines = body(page);
      if (n < 3 || lines.length < 10) return;
      const { left, right } = block(n);
      // every line starts at the block's left edge or an indent into it, and justified lines end at its right edge
      // (pdf.js measures a run to within a point)
      expect(Math.min(...lines.map((i) => i.x))).toBeCloseTo(left, 0);
      for (const line of lines) expect(line.end).toBeLessThanOrEqual(right + 1.5);
      expect(lines.filter((i) => Math.abs(i.end - right) < 1.5).length).toBeGreaterThan(lines.length / 2);
      // the folio and, between openings, the running head are centred on the same block
      const centre = (left + right) / 2;
      const folio = page.items.find((i) => i.str === String(n) && i.top > 648 - 0.85 * 72)!;
      expect((folio.x + folio.end) / 2).toBeCloseTo(centre, 0);
      const head = page.items.find((i) => i.top < 0.85 * 72);
      if (head) expect((head.x + head.end) / 2).toBeCloseTo(centre, 0);
      if (n % 2 === 1) rectos++;
      else versos++;
    });
    expect(rectos).toBeGreaterThan(5);
    expect(versos).toBeGreaterThan(5);
    // on a smaller trim the gutter is set to the smaller page
    const small = await readPdf((await exportManuscript('pdf', generateNovel(3000), { trim: '5x8' })).bytes);
    const page = small.findIndex((p, i) => i >= 2 && i % 2 === 1 && body(p).length > 10);
    expect(Math.min(...body(small[page]!).map((i) => i.x))).toBeCloseTo(0.55 * 72, 0);
    expect(Math.min(...body(small[page + 1]!).map((i) => i.x))).toBeCloseTo(0.8 * 72, 0);
  });

  it('adds comments as annotations only when asked', async () => {
    const plain = await readPdf((await exportManuscript('pdf', novel())).bytes);
    expect(plain.flatMap((p) => p.annotations).filter((a) => a.subtype === 'Text')).toEqual([]);
    const comments = [{ id: 'c1', chapter: 0, anchorText: 'hundred and twelve', body: 'Check the count.', author: 'Sam' }];
    const pages = await readPdf((await exportManuscript('pdf', novel(), { comments })).bytes);
    expect(pages[2]!.annotations).toEqual([{ subtype: 'Text', contents: 'Check the count.' }]);
  });
});

describe('screenplay PDF', () => {
  it('puts each element at its standard indent in 12 pt Courier on US Letter', async () => {
    const { bytes } = await exportManuscript('pdf-screenplay', screenplay(), { sceneNumbers: true });
    expect(latin1(bytes)).toMatch(/\/BaseFont \/[A-Z]{6}\+CourierPrime-Regular/);
    const pages = await readPdf(bytes);
    expect([pages[0]!.width, pages[0]!.height]).toEqual([612, 792]);
    expect(pageText(pages[0]!)).toContain('NIGHT FERRY');
    const items = pages[1]!.items;
    for (const item of items) expect(item.size).toBe(12);
    const at = (text: string) => items.find((i) => i.str.startsWith(text))!.x;
    expect(at('EXT. FERRY DECK')).toBe(108); // scene heading 1.5 in
    expect(at('Rain hammers')).toBe(108); // action 1.5 in
    expect(at('LENA')).toBe(266.4); // character 3.7 in
    expect(at('(shouting')).toBe(223.2); // parenthetical 3.1 in
    expect(at('You said')).toBe(180); // dialogue 2.5 in
    const cut = items.find((i) => i.str === 'CUT TO:')!;
    expect(cut.x + 7 * 7.2).toBeCloseTo(540, 0); // transition ends at 7.5 in
    // scene numbers in both margins of the heading line
    const heading = items.find((i) => i.str.startsWith('EXT. FERRY DECK'))!;
    expect(items.filter((i) => i.str === '1' && i.top === heading.top).map((i) => i.x).sort((a, b) => a - b)).toEqual([64.8, 547.2]);
  });

  it('runs about a page a minute: 54 lines a page, (MORE) and (CONT\'D) across page breaks', async () => {
    const { bytes, pages: count } = await exportManuscript('pdf-screenplay', generateScreenplay(120));
    expect(count).toBeGreaterThan(105);
    expect(count).toBeLessThan(135);
    const pages = (await readPdf(bytes)).slice(1);
    let more = 0;
    pages.forEach((page, n) => {
      const lines = [...new Set(page.items.filter((i) => i.top >= 72).map((i) => i.top))].sort((a, b) => a - b);
      expect(lines.length).toBeLessThanOrEqual(54);
      for (const top of lines) expect(Math.abs((top - lines[0]!) / 12 - Math.round((top - lines[0]!) / 12))).toBeLessThan(0.01);
      expect(lines.at(-1)!).toBeLessThanOrEqual(792 - 72);
      const last = page.items.filter((i) => i.top === lines.at(-1));
      if (last.some((i) => i.str === '(MORE)')) {
        more++;
        const next = pages[n + 1]!.items.filter((i) => i.top >= 72).sort((a, b) => a.top - b.top)[0]!;
        expect(next.str).toMatch(/^[A-Z ]+ \(CONT'D\)$/);
        expect(next.x).toBe(266.4);
      }
      // a cue never ends a page
      const bottom = last.map((i) => i.str).join(' ');
      expect(last.length === 1 && last[0]!.x === 266.4 && bottom !== '(MORE)').toBe(false);
      if (n > 0) expect(page.items.find((i) => i.top < 72)?.str).toBe(`${n + 1}.`);
    });
    expect(more).toBeGreaterThan(0);
  });
});
