import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { exportManuscript, importFile, manuscriptFromDocuments } from '../src/index';
import { headerTitle, roundedWordCount } from '../src/docx-writer';
import { novel, NOVEL_META, screenplay } from './fixtures/seed';
import { chapterSequence, elementSequence } from './normalize';

const parts = (bytes: Uint8Array) => {
  const files = unzipSync(bytes);
  return (name: string) => strFromU8(files[name] ?? new Uint8Array());
};

describe('docx export (standard manuscript format)', () => {
  it('has the page, font, spacing, header, chapter breaks, scene breaks and title page agents expect', async () => {
    const result = await exportManuscript('docx', novel(), { date: new Date('2026-01-01T00:00:00Z') });
    expect(result.mimeType).toMatch(/wordprocessingml/);
    const part = parts(result.bytes);
    const doc = part('word/document.xml');
    const styles = part('word/styles.xml');
    // US Letter, 1-inch margins, a different first page (the title page has no header)
    expect(doc).toMatch(/<w:pgSz w:w="12240" w:h="15840"/);
    expect(doc).toMatch(/<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/);
    expect(doc).toContain('<w:titlePg/>');
    // 12 pt Times New Roman, double spaced, by default
    expect(styles).toMatch(/<w:docDefaults>[\s\S]*w:ascii="Times New Roman"[\s\S]*<w:sz w:val="24"\/>[\s\S]*<w:spacing w:after="0" w:before="0" w:line="480" w:lineRule="auto"\/>/);
    expect(styles).toMatch(/w:styleId="Body"[\s\S]*?<w:ind w:firstLine="720"\/>/);
    // header: Surname / TITLE / page
    const headers = Object.keys(unzipSync(result.bytes)).filter((n) => /word\/header\d+\.xml/.test(n)).map(part).join('\n');
    expect(headers).toContain('Marlowe / LIGHTHOUSE KEEPER’S / ');
    expect(headers).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
    // three chapters, each on a new page
    const chapterParagraphs = doc.match(/<w:p>(?:(?!<\/w:p>).)*?w:val="ChapterTitle"(?:(?!<\/w:p>).)*<\/w:p>/g) ?? [];
    expect(chapterParagraphs).toHaveLength(3);
    for (const p of chapterParagraphs) expect(p).toContain('<w:pageBreakBefore/>');
    // scene breaks are a centred "#"
    expect(doc.match(/w:val="SceneBreak"(?:(?!<\/w:p>).)*<w:t[^>]*>#<\/w:t>/g)).toHaveLength(2);
    // title page: contact, rounded word count, title, byline
    expect(doc).toContain('about 200 words');
    expect(doc).toContain('by Ada Marlowe');
    expect(doc).toContain('<w:i/>');
  });

  it('rounds word counts as agents expect', () => {
    expect(roundedWordCount(87_462)).toBe('about 87,000 words');
    expect(roundedWordCount(4_449)).toBe('about 4,400 words');
    expect(roundedWordCount(12)).toBe('about 100 words');
    expect(headerTitle('The Lighthouse Keeper’s Daughter')).toBe('LIGHTHOUSE KEEPER’S');
  });

  it('includes comments only when asked, anchored on their text', async () => {
    const without = parts((await exportManuscript('docx', novel())).bytes);
    expect(without('word/document.xml')).not.toContain('commentRangeStart');
    const comments = [
      { id: 'c1', chapter: 0, anchorText: 'hundred and twelve', body: 'Check the count.', author: 'Sam Editor' },
      { id: 'c2', chapter: 1, anchorText: 'text that is gone', body: 'Orphaned.' },
    ];
    const part = parts((await exportManuscript('docx', novel(), { comments })).bytes);
    const doc = part('word/document.xml');
    expect(doc).toMatch(/<w:commentRangeStart w:id="0"\/><w:r><w:rPr><w:i\/><w:iCs\/><\/w:rPr><w:t xml:space="preserve">hundred and twelve<\/w:t><\/w:r><w:commentRangeEnd w:id="0"\/>/);
    expect(doc).toContain('<w:commentRangeStart w:id="1"/>');
    expect(part('word/comments.xml')).toContain('Check the count.');
    expect(part('word/comments.xml')).toContain('w:author="Sam Editor"');
  });

  it('writes screenplay elements with their own styles', async () => {
    const doc = parts((await exportManuscript('docx', screenplay())).bytes)('word/document.xml');
    for (const style of ['SceneHeading', 'Action', 'Character', 'Parenthetical', 'Dialogue', 'Transition']) expect(doc).toContain(`w:val="${style}"`);
  });
});

describe('docx import', () => {
  it('reads a Quire DOCX back into the same chapters and elements (headings become chapters)', async () => {
    const bytes = (await exportManuscript('docx', novel())).bytes;
    const progress: number[] = [];
    const { documents, report } = await importFile(bytes, 'novel.docx', { onProgress: (f) => progress.push(f) });
    expect(report.ok).toBe(true);
    expect(report.format).toBe('docx');
    expect(report.title).toBe(NOVEL_META.title);
    expect(progress.at(-1)).toBe(1);
    const back = manuscriptFromDocuments(NOVEL_META, documents.map((d) => ({ title: d.title, content: d.prosemirror })));
    expect(chapterSequence(back.chapters)).toEqual(chapterSequence(novel().chapters));
    expect(back.chapters[0]!.blocks[1]!.spans).toEqual(novel().chapters[0]!.blocks[1]!.spans);
    const play = await importFile((await exportManuscript('docx', screenplay())).bytes, 'play.docx');
    expect(play.documents[0]!.kind).toBe('screenplay');
    const playBack = manuscriptFromDocuments(NOVEL_META, play.documents.map((d) => ({ title: d.title, content: d.prosemirror })));
    expect(elementSequence(playBack.chapters[0]!.blocks)).toEqual(elementSequence(screenplay().chapters[0]!.blocks));
  });

  it('reports a corrupt DOCX, a zip bomb and a zip that is not Word, without throwing', async () => {
    const bytes = (await exportManuscript('docx', novel())).bytes;
    const corrupt = await importFile(bytes.subarray(0, bytes.length >> 1), 'broken.docx');
    expect(corrupt.report.ok).toBe(false);
    expect(corrupt.report.problems[0]!.message).toMatch(/not a readable zip/);
    const bomb = zipSync({ '[Content_Types].xml': new Uint8Array(10), 'word/document.xml': new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const refused = await importFile(bomb, 'bomb.docx');
    expect(refused.report.ok).toBe(false);
    expect(refused.report.problems[0]!.message).toMatch(/zip bomb|unpack to more/);
    const tooBig = await importFile(bomb, 'bomb.docx', { maxUncompressedBytes: 1024 * 1024 });
    expect(tooBig.report.problems[0]!.message).toMatch(/unpack to more than 1 MB/);
    const odt = await importFile(zipSync({ mimetype: new TextEncoder().encode('application/vnd.oasis.opendocument.text') }), 'novel.docx');
    expect(odt.report.problems[0]!.message).toMatch(/OpenDocument/);
  });
});
