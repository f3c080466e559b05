import PDFDocument from 'pdfkit';
import { attachComments } from './comments';
import { TRIM_SIZES, type ExportOptions } from './export';
import { faceOf, serifFonts } from './fonts';
import { blockText, type Block, type ExportComment, type Manuscript, type Span } from './model';
import { finishPdf, useFonts } from './pdf-common';

/**
 * A book interior: the chosen trim size (6×9 in by default), Libre Baskerville 10.5/15 justified, first lines
 * indented except after openings and breaks, mirrored margins with the wider one on the spine side (left on a
 * right-hand page, right on a left-hand page), each chapter opening on a new page a third of the way down with no
 * running head, running heads (author on the left-hand page, title on the right) and centred folios elsewhere,
 * scene breaks as a centred "* * *", a title page backed by a blank page so the first chapter opens on a right-hand
 * page, and a PDF outline of the chapters. Fonts are embedded.
 *
 * Pages are numbered from 1 as printed: odd pages are rectos (right-hand), even pages versos (left-hand). Everything
 * is typeset in one frame whose left edge is a recto's inside margin; a verso is drawn through a horizontal shift of
 * (outside − inside), so its text block sits against its own spine side. pdfkit carries a paragraph across a page
 * break at the x it started with, so shifting the page, not the text, is what keeps both sides right.
 */
const PT = 72;
const SIZE = 10.5;
const LEADING = 15;

export interface NovelGeometry {
  width: number;
  height: number;
  margin: { top: number; bottom: number; inside: number; outside: number };
}

/** The gutter: how much wider the inside margin is than the outside one, as trade paperbacks set it. */
export function novelGeometry(trim: ExportOptions['trim'] = '6x9'): NovelGeometry {
  const [w, h] = TRIM_SIZES[trim] ?? TRIM_SIZES['6x9'];
  const small = w < 6;
  return { width: w * PT, height: h * PT, margin: { top: 0.85 * PT, bottom: 0.85 * PT, inside: (small ? 0.8 : 0.875) * PT, outside: (small ? 0.55 : 0.625) * PT } };
}

/** Page `index` (0-based, as pdfkit counts) is a left-hand page: printed page numbers are 1-based, versos even. */
export const isVerso = (index: number) => (index + 1) % 2 === 0;

/** Where the text block starts on page `index`: the inside margin on a recto, the outside margin on a verso. */
export function textLeft(geometry: NovelGeometry, index: number): number {
  return isVerso(index) ? geometry.margin.outside : geometry.margin.inside;
}

function writeSpans(doc: PDFKit.PDFDocument, spans: Span[], options: PDFKit.Mixins.TextOptions & { x?: number; width?: number }): void {
  // pdfkit drops a space that opens a continued fragment: hand it to the fragment before
  const visible = (spans.length ? spans : [{ text: ' ' }]).map((s) => ({ ...s }));
  for (let i = 1; i < visible.length; i++) {
    const lead = /^\s+/.exec(visible[i]!.text)?.[0];
    if (lead && !visible[i - 1]!.text.endsWith('\n')) {
      visible[i - 1]!.text += lead;
      visible[i]!.text = visible[i]!.text.slice(lead.length);
    }
  }
  visible.forEach((span, i) => {
    const marks = span.marks ?? [];
    doc.font(faceOf(marks));
    const opts: PDFKit.Mixins.TextOptions = {
      ...options,
      continued: i < visible.length - 1,
      underline: marks.includes('underline'),
      strike: marks.includes('strike'),
      link: span.href ?? undefined,
    };
    if (i === 0 && options.x !== undefined) doc.text(span.text, options.x, doc.y, opts);
    else doc.text(span.text, opts);
  });
}

function note(doc: PDFKit.PDFDocument, block: Block, comments: ExportComment[], placed: Set<string>, x: number): void {
  const ids = new Set(block.spans.flatMap((s) => s.comments ?? []));
  for (const comment of comments) {
    if (!ids.has(comment.id) || placed.has(comment.id)) continue;
    placed.add(comment.id);
    doc.note(x, doc.y, 12, 12, comment.body, { Name: 'Comment', T: new String(comment.author ?? 'Quire') } as never);
  }
}

export async function writeNovelPdf(source: Manuscript, options: ExportOptions = {}): Promise<{ bytes: Uint8Array; pages: number }> {
  const { manuscript } = attachComments(source, options.comments);
  const geometry = novelGeometry(options.trim);
  const { margin } = geometry;
  const fonts = serifFonts();
  const doc = new PDFDocument({
    size: [geometry.width, geometry.height],
    margins: { top: margin.top, bottom: margin.bottom, left: margin.inside, right: margin.outside },
    font: fonts.regular as unknown as string,
    bufferPages: true,
    autoFirstPage: false,
    info: { Title: manuscript.meta.title, Author: manuscript.meta.author ?? '', CreationDate: options.date ?? new Date() },
    lang: manuscript.meta.language ?? 'en',
    displayTitle: true,
  });
  useFonts(doc, fonts);
  const textWidth = geometry.width - margin.inside - margin.outside;
  // the frame everything is typeset in (a recto's); versos are shifted onto their own margins as they are added
  const left = margin.inside;
  doc.on('pageAdded', () => {
    const index = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
    if (isVerso(index)) doc.translate(textLeft(geometry, index) - left, 0);
  });
  // pages with no running head or folio: the title page, the blank page behind it, chapter openings
  const openings = new Set<number>([0, 1]);
  const placed = new Set<string>();
  const comments = options.comments ?? [];

  doc.addPage();
  doc.font('regular').fontSize(22).text(manuscript.meta.title, left, geometry.height * 0.3, { width: textWidth, align: 'center' });
  if (manuscript.meta.author) doc.moveDown(1.5).fontSize(13).font('italic').text(manuscript.meta.author, left, doc.y, { width: textWidth, align: 'center' });
  doc.addPage();

  manuscript.chapters.forEach((chapter, index) => {
    options.onProgress?.(0.05 + (0.8 * index) / manuscript.chapters.length, 'typesetting');
    doc.addPage();
    openings.add(doc.bufferedPageRange().count - 1);
    doc.outline.addItem(chapter.title);
    doc.font('regular').fontSize(17).text(chapter.title, left, geometry.height * 0.28, { width: textWidth, align: 'center' });
    doc.moveDown(2.2);
    doc.fontSize(SIZE).lineGap(LEADING - SIZE * 1.23);
    let first = true;
    for (const block of chapter.blocks) {
      if (comments.length) note(doc, block, comments, placed, 0.25 * PT);
      switch (block.type) {
        case 'sceneBreak':
          doc.moveDown(0.6).font('regular').text('*   *   *', left, doc.y, { width: textWidth, align: 'center' }).moveDown(0.6);
          first = true;
          continue;
        case 'heading':
          doc.moveDown(0.6).font('bold').text(blockText(block), left, doc.y, { width: textWidth, align: 'center' }).moveDown(0.4);
          first = true;
          continue;
        case 'blockquote':
          writeSpans(doc, block.spans, { x: left + 18, width: textWidth - 36, align: 'left', paragraphGap: 4 });
          break;
        case 'bulletItem':
        case 'orderedItem':
          writeSpans(doc, [{ text: '•  ' }, ...block.spans], { x: left + 12 + 12 * (block.depth ?? 0), width: textWidth - 12 - 12 * (block.depth ?? 0), align: 'left' });
          break;
        default: {
          // screenplay elements inside a book read as prose; cues and headings keep their capitals
          const upper = block.type === 'sceneHeading' || block.type === 'character' || block.type === 'transition' || block.type === 'shot';
          const spans = upper ? block.spans.map((s) => ({ ...s, text: s.text.toUpperCase() })) : block.spans;
          writeSpans(doc, spans, { x: left, width: textWidth, align: block.type === 'character' ? 'center' : 'justify', indent: first ? 0 : 16 });
        }
      }
      first = false;
    }
  });

  options.onProgress?.(0.9, 'running heads');
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    if (i <= 1) continue;
    // a page's content already carries its verso shift, so the frame's `left` lands on the page's own text block
    doc.switchToPage(i);
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const folio = String(i + 1);
    doc.font('regular').fontSize(9).text(folio, left, geometry.height - margin.bottom + 14, { width: textWidth, align: 'center', lineBreak: false });
    if (!openings.has(i)) {
      const head = isVerso(i) ? (manuscript.meta.author ?? manuscript.meta.title) : manuscript.meta.title;
      doc.font('italic').fontSize(9).text(head, left, margin.top - 26, { width: textWidth, align: 'center', lineBreak: false });
    }
    doc.page.margins = saved;
  }
  const pages = range.count;
  const bytes = await finishPdf(doc);
  return { bytes, pages };
}

export const novelPdfWriter = (manuscript: Manuscript, options: ExportOptions) => writeNovelPdf(manuscript, options);
