import { describe, expect, it } from 'vitest';
import { validateJSON } from '@quire/domain/manuscript';
import { exportManuscript, importFile, manuscriptFromDocuments } from '../src/index';
import { blocksFromProseMirror } from '../src/model';
import { readMarkdown, writeMarkdown } from '../src/markdown';
import { novel, NOVEL_META } from './fixtures/seed';
import { chapterSequence } from './normalize';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (text: string) => new TextEncoder().encode(text);

describe('markdown', () => {
  it('writes chapters, marks, scene breaks, lists and quotes as CommonMark', async () => {
    const result = await exportManuscript('markdown', novel());
    expect(result.extension).toBe('md');
    const md = decode(result.bytes);
    expect(md).toContain('title: "The Lighthouse Keeper’s Daughter"');
    expect(md).toContain('# Chapter One');
    expect(md).toContain('*hundred and twelve*');
    expect(md).toContain('**superstition**');
    expect(md).toContain('<u>twice</u>');
    expect(md).toContain('~~charts~~');
    expect(md).toContain('* * *');
    expect(md).toContain('> Light is a promise made to strangers.');
    expect(md).toContain('- Wind: north-east, force 7\n- Visibility: poor');
    expect(md).toContain('## The Log');
    expect(result.words).toBeGreaterThan(150);
  });

  it('round trips Markdown → Quire → Markdown with the same text, elements and marks', async () => {
    const first = writeMarkdown(novel());
    const { documents, report } = await importFile(encode(first), 'novel.md');
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.title).toBe(NOVEL_META.title);
    expect(documents.map((d) => d.title)).toEqual(['Chapter One', 'Chapter Two', 'Chapter Three']);
    for (const doc of documents) expect(validateJSON(doc.prosemirror)).not.toBeNull();
    const back = manuscriptFromDocuments(NOVEL_META, documents.map((d) => ({ title: d.title, content: d.prosemirror })));
    expect(chapterSequence(back.chapters)).toEqual(chapterSequence(novel().chapters));
    expect(back.chapters.map((c) => c.blocks)).toEqual(novel().chapters.map((c) => c.blocks));
    expect(writeMarkdown(back)).toBe(first);
  });

  it('keeps characters that are Markdown syntax as text', () => {
    const tricky = '# not a heading * not emphasis _x_ [not](a link) `tick` 1. not a list <b>';
    const md = writeMarkdown({ meta: { title: 'T' }, chapters: [{ title: 'C', kind: 'prose', blocks: [{ type: 'paragraph', spans: [{ text: tricky }] }] }] });
    const { blocks } = readMarkdown(md);
    expect(blocks[1]).toEqual({ type: 'paragraph', spans: [{ text: tricky }] });
  });

  it('reports HTML and images it drops instead of failing', async () => {
    const { documents, report } = await importFile(encode('# One\n\nText <span>kept</span> ![alt](x.png)\n'), 'a.md');
    expect(report.ok).toBe(true);
    expect(report.problems.map((p) => p.message).join(' ')).toMatch(/image/);
    expect(blocksFromProseMirror(documents[0]!.prosemirror)[0]!.spans.map((s) => s.text).join('')).toContain('kept');
  });
});

describe('plain text', () => {
  it('exports and reads back chapters split at chapter lines', async () => {
    const txt = decode((await exportManuscript('text', novel())).bytes);
    expect(txt).toContain('CHAPTER ONE');
    const { documents, report } = await importFile(encode(txt), 'novel.txt');
    expect(report.ok).toBe(true);
    expect(documents.map((d) => d.title)).toEqual(['Front matter', 'CHAPTER ONE', 'CHAPTER TWO', 'CHAPTER THREE']);
    expect(blocksFromProseMirror(documents[1]!.prosemirror).map((b) => b.type)).toContain('sceneBreak');
  });

  it('refuses binary and oversized files with a clear report', async () => {
    const pdf = await importFile(encode('%PDF-1.7 ...'), 'novel.docx');
    expect(pdf.report.ok).toBe(false);
    expect(pdf.report.problems[0]!.message).toMatch(/PDF/);
    const big = await importFile(new Uint8Array(2048), 'big.txt', { maxBytes: 1024 });
    expect(big.report.problems[0]!.message).toMatch(/limited/);
    const text = await importFile(encode('Just words.\n'), 'named.docx');
    expect(text.report.ok).toBe(true);
    expect(text.report.labelledAs).toBe('docx');
  });
});
