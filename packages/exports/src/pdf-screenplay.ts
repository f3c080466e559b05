import PDFDocument from 'pdfkit';
import { attachComments } from './comments';
import type { ExportOptions } from './export';
import { faceOf, monoFonts } from './fonts';
import { blockText, type Block, type BlockType, type ExportComment, type Manuscript, type Span } from './model';
import { finishPdf, useFonts } from './pdf-common';

/**
 * Industry screenplay format: US Letter, Courier (Courier Prime) 12 pt, six lines an inch, 1.5-inch left and
 * 1-inch right margin, 54 lines a page (about a minute of screen time a page). Elements sit at the standard
 * indents; a character cue stays with its dialogue, a scene heading with what follows, and dialogue that runs over
 * a page ends in "(MORE)" and goes on under "NAME (CONT'D)". Pages are numbered "2." top right from page 2.
 */
const PT = 72;
const LINE = 12;
const CHAR = 7.2; // Courier at 12 pt: 10 characters an inch
const TOP = 1 * PT;
const LINES_PER_PAGE = 54;

interface Layout {
  left: number; // inches from the page's left edge
  width: number; // characters
  before: number; // blank lines before
  upper?: boolean;
  right?: boolean;
}

const LAYOUT: Partial<Record<BlockType, Layout>> = {
  sceneHeading: { left: 1.5, width: 60, before: 2, upper: true },
  action: { left: 1.5, width: 60, before: 1 },
  shot: { left: 1.5, width: 60, before: 1, upper: true },
  character: { left: 3.7, width: 38, before: 1, upper: true },
  parenthetical: { left: 3.1, width: 25, before: 0 },
  dialogue: { left: 2.5, width: 35, before: 0 },
  transition: { left: 6.0, width: 15, before: 1, upper: true, right: true },
};
const PROSE: Layout = { left: 1.5, width: 60, before: 1 };

export const SCREENPLAY_GEOMETRY = { LAYOUT, LINES_PER_PAGE, TOP, LINE, CHAR };

type Segment = { text: string; marks: string[]; comments?: string[] };
interface Line {
  segments: Segment[];
  x: number;
  right?: boolean;
}
interface Chunk {
  type: BlockType | 'more' | 'title';
  lines: Line[];
  before: number;
  /** the cue of the speech this chunk belongs to */
  speaker?: string;
  block?: Block;
  sceneNumber?: number;
}

/** Words of spans wrapped at `width` characters, keeping each piece's marks. */
export function wrapSpans(spans: Span[], width: number, upper = false): Segment[][] {
  const lines: Segment[][] = [];
  for (const paragraph of splitLines(spans)) {
    let line: Segment[] = [];
    let length = 0;
    const words = paragraph.flatMap((s) => (upper ? s.text.toUpperCase() : s.text).split(/(?<= )/).map((text) => ({ text, marks: s.marks ?? [], comments: s.comments })));
    for (const word of words) {
      const bare = word.text.trimEnd().length;
      if (length + bare > width && length > 0) {
        lines.push(trimLine(line));
        line = [];
        length = 0;
      }
      let text = word.text;
      while (text.trimEnd().length > width) {
        lines.push([{ text: text.slice(0, width), marks: word.marks }]);
        text = text.slice(width);
      }
      line.push({ text, marks: word.marks, comments: word.comments });
      length += text.length;
    }
    lines.push(trimLine(line));
  }
  return lines;
}

function splitLines(spans: Span[]): Span[][] {
  const out: Span[][] = [[]];
  for (const span of spans) {
    span.text.split('\n').forEach((part, i) => {
      if (i > 0) out.push([]);
      if (part) out[out.length - 1]!.push({ ...span, text: part });
    });
  }
  return out;
}

function trimLine(line: Segment[]): Segment[] {
  const last = line[line.length - 1];
  if (last) last.text = last.text.trimEnd();
  return line.filter((s) => s.text);
}

function toLines(spans: Span[], layout: Layout): Line[] {
  return wrapSpans(spans, layout.width, layout.upper).map((segments) => ({ segments, x: layout.left * PT, right: layout.right }));
}

/** Chunks: one per element, and dialogue already joined to the cue that precedes it. */
function chunks(manuscript: Manuscript): Chunk[] {
  const out: Chunk[] = [];
  let speaker: string | undefined;
  let scene = 0;
  for (const chapter of manuscript.chapters) {
    for (const block of chapter.blocks) {
      if (block.type === 'sceneBreak') continue;
      const layout = LAYOUT[block.type] ?? PROSE;
      if (block.type === 'character') speaker = blockText(block).toUpperCase().replace(/\s*\(CONT'D\)\s*$/, '');
      else if (block.type !== 'parenthetical' && block.type !== 'dialogue') speaker = undefined;
      out.push({ type: block.type, lines: toLines(block.spans, layout), before: layout.before, speaker, block, sceneNumber: block.type === 'sceneHeading' ? ++scene : undefined });
    }
  }
  return out;
}

export interface ScreenplayPage {
  lines: { line: Line; y: number; sceneNumber?: number }[];
}

/** The fewest lines of a chunk that may end a page: all of a short one, else two (and a line for "(MORE)"). */
function minHead(chunk: Chunk): number {
  if (chunk.lines.length < 4 || (chunk.type !== 'dialogue' && chunk.type !== 'action')) return chunk.lines.length;
  return chunk.type === 'dialogue' ? 3 : 2;
}

/** Pages of placed lines, applying the keep-together and (MORE)/(CONT'D) rules. */
export function paginate(manuscript: Manuscript): ScreenplayPage[] {
  const pages: ScreenplayPage[] = [{ lines: [] }];
  let row = 0; // next free line on the page
  const items = chunks(manuscript);
  const page = () => pages[pages.length - 1]!;
  const newPage = () => {
    pages.push({ lines: [] });
    row = 0;
  };
  const place = (line: Line, sceneNumber?: number) => {
    page().lines.push({ line, y: TOP + row * LINE, sceneNumber });
    row++;
  };
  for (let i = 0; i < items.length; i++) {
    const chunk = items[i]!;
    const gap = row === 0 ? 0 : chunk.before;
    const free = LINES_PER_PAGE - row - gap;
    // what must come with this chunk on the same page
    let keep = chunk.lines.length;
    if (chunk.type === 'sceneHeading' || chunk.type === 'character' || chunk.type === 'shot' || chunk.type === 'parenthetical') {
      let j = i + 1;
      let extra = 0;
      while (items[j] && (items[j]!.type === 'parenthetical' || (chunk.type === 'character' && j === i + 1)) && items[j]!.type !== 'sceneHeading') extra += items[j++]!.lines.length;
      const next = items[j];
      keep += extra + (next ? (chunk.type === 'sceneHeading' || chunk.type === 'shot' ? next.before : 0) + minHead(next) : 0);
    }
    if (chunk.lines.length <= free && keep <= free) {
      row += gap;
      chunk.lines.forEach((line, k) => place(line, k === 0 ? chunk.sceneNumber : undefined));
      continue;
    }
    const splittable = (chunk.type === 'dialogue' || chunk.type === 'action') && chunk.lines.length >= 4 && free >= (chunk.type === 'dialogue' ? 3 : 2);
    if (splittable) {
      // dialogue leaves a line for (MORE); both parts keep at least two lines
      const room = chunk.type === 'dialogue' ? free - 1 : free;
      const take = Math.min(room, chunk.lines.length - 2);
      if (take >= 2) {
        row += gap;
        chunk.lines.slice(0, take).forEach((line) => place(line));
        const rest = chunk.lines.slice(take);
        if (chunk.type === 'dialogue' && chunk.speaker) {
          place({ segments: [{ text: '(MORE)', marks: [] }], x: LAYOUT.character!.left * PT });
          newPage();
          place({ segments: [{ text: `${chunk.speaker} (CONT'D)`, marks: [] }], x: LAYOUT.character!.left * PT });
        } else newPage();
        rest.forEach((line) => place(line));
        continue;
      }
    }
    // the whole chunk (and what it keeps with it) goes to the next page; a speech broken before its dialogue continues there
    const previous = items[i - 1];
    if ((chunk.type === 'dialogue' || chunk.type === 'parenthetical') && chunk.speaker && previous && (previous.type === 'dialogue' || previous.type === 'parenthetical') && row > 0) {
      place({ segments: [{ text: '(MORE)', marks: [] }], x: LAYOUT.character!.left * PT });
      newPage();
      place({ segments: [{ text: `${chunk.speaker} (CONT'D)`, marks: [] }], x: LAYOUT.character!.left * PT });
    } else if (row > 0) newPage();
    chunk.lines.forEach((line, k) => {
      if (row >= LINES_PER_PAGE) newPage();
      place(line, k === 0 ? chunk.sceneNumber : undefined);
    });
  }
  return pages;
}

function drawLine(doc: PDFKit.PDFDocument, line: Line, y: number): void {
  const length = line.segments.reduce((n, s) => n + s.text.length, 0);
  let x = line.right ? 7.5 * PT - length * CHAR : line.x;
  for (const segment of line.segments) {
    doc.font(faceOf(segment.marks)).text(segment.text, x, y, { lineBreak: false, underline: segment.marks.includes('underline'), strike: segment.marks.includes('strike') });
    x += segment.text.length * CHAR;
  }
}

function titlePage(doc: PDFKit.PDFDocument, manuscript: Manuscript): void {
  const { meta } = manuscript;
  const center = (text: string, y: number) => doc.font('regular').text(text, 1.5 * PT, y, { width: 6 * PT, align: 'center', lineBreak: false });
  center(meta.title.toUpperCase(), 3.5 * PT);
  if (meta.author) {
    center('Written by', 3.5 * PT + 4 * LINE);
    center(meta.author, 3.5 * PT + 6 * LINE);
  }
  (meta.contact ?? []).forEach((line, i) => doc.font('regular').text(line, 1.5 * PT, 9 * PT + i * LINE, { lineBreak: false }));
}

function commentNotes(doc: PDFKit.PDFDocument, line: Line, y: number, comments: ExportComment[], placed: Set<string>): void {
  const ids = new Set(line.segments.flatMap((s) => s.comments ?? []));
  for (const comment of comments.filter((c) => ids.has(c.id) && !placed.has(c.id))) {
    placed.add(comment.id);
    doc.note(0.6 * PT, y, 14, 14, comment.body, { Name: 'Comment', T: new String(comment.author ?? 'Quire') } as never);
  }
}

export async function writeScreenplayPdf(source: Manuscript, options: ExportOptions = {}): Promise<{ bytes: Uint8Array; pages: number }> {
  const { manuscript } = attachComments({ ...source, chapters: source.chapters.filter((c) => c.kind === 'screenplay') }, options.comments);
  const fonts = monoFonts();
  const doc = new PDFDocument({ size: 'LETTER', margin: 0, font: fonts.regular as unknown as string, autoFirstPage: false, info: { Title: manuscript.meta.title, Author: manuscript.meta.author ?? '', CreationDate: options.date ?? new Date() } });
  useFonts(doc, fonts);
  doc.fontSize(12);
  doc.addPage();
  titlePage(doc, manuscript);
  options.onProgress?.(0.1, 'paginating');
  const pages = paginate(manuscript);
  const placed = new Set<string>();
  pages.forEach((page, index) => {
    doc.addPage();
    if (index > 0) doc.font('regular').text(`${index + 1}.`, 7.5 * PT - `${index + 1}.`.length * CHAR, 0.5 * PT, { lineBreak: false });
    for (const { line, y, sceneNumber } of page.lines) {
      drawLine(doc, line, y);
      if (options.sceneNumbers && sceneNumber !== undefined) {
        doc.font('regular').text(`${sceneNumber}`, 1.5 * PT - 6 * CHAR, y, { lineBreak: false });
        doc.font('regular').text(`${sceneNumber}`, 7.6 * PT, y, { lineBreak: false });
      }
      if (options.comments?.length) commentNotes(doc, line, y, options.comments, placed);
    }
    if (index % 20 === 0) options.onProgress?.(0.1 + (0.8 * index) / pages.length, 'drawing pages');
  });
  const bytes = await finishPdf(doc);
  return { bytes, pages: pages.length };
}

export const screenplayPdfWriter = (manuscript: Manuscript, options: ExportOptions) => writeScreenplayPdf(manuscript, options);
