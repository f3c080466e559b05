import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  ExternalHyperlink,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ICommentOptions,
  type IParagraphStyleOptions,
  type ParagraphChild,
} from 'docx';
import { attachComments } from './comments';
import type { ExportOptions } from './export';
import { chapterText, countWords, type Block, type Manuscript, type Span } from './model';

/**
 * Standard manuscript format (as agents and editors ask for it): US Letter, 1-inch margins, 12 pt Times New
 * Roman, double-spaced, half-inch first-line indents, no space between paragraphs; a header "Surname / TITLE /
 * page" on every page but the title page; each chapter on a new page a third of the way down; scene breaks as
 * a centred "#"; a title page with contact details, the rounded word count, title and byline. Screenplay
 * chapters use Courier with the screenplay indents.
 */
const INCH = 1440; // twips
const LINE_DOUBLE = 480;
const FONT = 'Times New Roman';
const MONO = 'Courier New';

/** The word count agents expect on a title page: nearest 100 under 10,000 words, nearest 1,000 above. */
export function roundedWordCount(words: number): string {
  const step = words < 10_000 ? 100 : 1000;
  const rounded = Math.max(step, Math.round(words / step) * step);
  return `about ${rounded.toLocaleString('en-US')} words`;
}

/** The header's title: the title's key words in capitals, short enough for a running head. */
export function headerTitle(title: string): string {
  const words = title.replace(/^(the|a|an)\s+/i, '').split(/\s+/).filter(Boolean);
  let out = '';
  for (const word of words) {
    if ((out + ' ' + word).trim().length > 24) break;
    out = (out + ' ' + word).trim();
  }
  return (out || title).toUpperCase();
}

export function surname(author: string | undefined): string {
  return author?.trim().split(/\s+/).pop() ?? '';
}

const SCREENPLAY_STYLES: IParagraphStyleOptions[] = [
  { id: 'SceneHeading', name: 'Scene Heading', run: { font: MONO, allCaps: true }, paragraph: { spacing: { before: 240, line: 240 }, keepNext: true } },
  { id: 'Action', name: 'Action', run: { font: MONO }, paragraph: { spacing: { before: 240, line: 240 } } },
  { id: 'Character', name: 'Character', run: { font: MONO, allCaps: true }, paragraph: { indent: { left: 2.2 * INCH }, spacing: { before: 240, line: 240 }, keepNext: true } },
  { id: 'Parenthetical', name: 'Parenthetical', run: { font: MONO }, paragraph: { indent: { left: 1.6 * INCH, right: 2.0 * INCH }, spacing: { line: 240 }, keepNext: true } },
  { id: 'Dialogue', name: 'Dialogue', run: { font: MONO }, paragraph: { indent: { left: 1.0 * INCH, right: 1.5 * INCH }, spacing: { line: 240 } } },
  { id: 'Transition', name: 'Transition', run: { font: MONO, allCaps: true }, paragraph: { alignment: AlignmentType.RIGHT, spacing: { before: 240, line: 240 } } },
  { id: 'Shot', name: 'Shot', run: { font: MONO, allCaps: true }, paragraph: { spacing: { before: 240, line: 240 }, keepNext: true } },
];

const STYLES: IParagraphStyleOptions[] = [
  { id: 'Body', name: 'Manuscript Body', basedOn: 'Normal', quickFormat: true, paragraph: { indent: { firstLine: 0.5 * INCH } } },
  { id: 'ChapterTitle', name: 'Chapter Title', basedOn: 'Normal', next: 'Body', quickFormat: true, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 3 * INCH, after: LINE_DOUBLE }, keepNext: true, outlineLevel: 0 } },
  { id: 'Subheading', name: 'Subheading', basedOn: 'Normal', next: 'Body', paragraph: { alignment: AlignmentType.CENTER, keepNext: true, outlineLevel: 1 } },
  { id: 'SceneBreak', name: 'Scene Break', basedOn: 'Normal', next: 'Body', paragraph: { alignment: AlignmentType.CENTER, keepNext: true } },
  { id: 'Quote', name: 'Block Quote', basedOn: 'Normal', paragraph: { indent: { left: 0.5 * INCH, right: 0.5 * INCH } } },
  { id: 'ListItem', name: 'List Item', basedOn: 'Normal', paragraph: { indent: { left: 0.75 * INCH, hanging: 0.25 * INCH } } },
  { id: 'Code', name: 'Code', basedOn: 'Normal', run: { font: MONO }, paragraph: { spacing: { line: 240 } } },
  { id: 'TitlePage', name: 'Title Page', basedOn: 'Normal', paragraph: { spacing: { line: 240 } } },
  ...SCREENPLAY_STYLES.map((s) => ({ ...s, basedOn: 'Normal' })),
];

/** Runs of a block: one per span and line (a hard break is a run with a <w:br/> first), comment ranges around commented text. */
function textRuns(spans: Span[], commentIds: Map<string, number>): ParagraphChild[] {
  const children: ParagraphChild[] = [];
  let open: number[] = [];
  const close = (ids: number[]) => {
    for (const id of ids) children.push(new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] }));
  };
  for (const span of spans) {
    const ids = (span.comments ?? []).map((id) => commentIds.get(id)).filter((n): n is number => n !== undefined);
    close(open.filter((o) => !ids.includes(o)));
    for (const id of ids.filter((i) => !open.includes(i))) children.push(new CommentRangeStart(id));
    open = ids;
    const marks = span.marks ?? [];
    span.text.split('\n').forEach((line, i) => {
      const run = new TextRun({
        text: line,
        break: i > 0 ? 1 : undefined,
        bold: marks.includes('bold') || undefined,
        italics: marks.includes('italic') || undefined,
        underline: marks.includes('underline') ? {} : undefined,
        strike: marks.includes('strike') || undefined,
        font: marks.includes('code') ? MONO : undefined,
      });
      children.push(span.href ? new ExternalHyperlink({ link: span.href, children: [run] }) : run);
    });
  }
  close(open);
  return children;
}

const STYLE_OF: Partial<Record<Block['type'], string>> = {
  sceneHeading: 'SceneHeading', action: 'Action', character: 'Character', parenthetical: 'Parenthetical', dialogue: 'Dialogue', transition: 'Transition', shot: 'Shot',
  blockquote: 'Quote', codeBlock: 'Code', heading: 'Subheading',
};

function blockParagraph(block: Block, commentIds: Map<string, number>, first: boolean): Paragraph {
  if (block.type === 'sceneBreak') return new Paragraph({ style: 'SceneBreak', children: [new TextRun('#')] });
  if (block.type === 'bulletItem' || block.type === 'orderedItem') {
    const marker = block.type === 'bulletItem' ? '•' : '–';
    return new Paragraph({ style: 'ListItem', indent: { left: (0.75 + 0.5 * (block.depth ?? 0)) * INCH, hanging: 0.25 * INCH }, children: [new TextRun(`${marker}\t`), ...textRuns(block.spans, commentIds)] });
  }
  const style = STYLE_OF[block.type] ?? 'Body';
  // the first paragraph of a chapter and after a scene break is not indented, as in print
  return new Paragraph({ style, indent: style === 'Body' && first ? { firstLine: 0 } : undefined, children: textRuns(block.spans, commentIds) });
}

function titlePage(manuscript: Manuscript, words: number): Paragraph[] {
  const { meta } = manuscript;
  const contact = meta.contact?.length ? meta.contact : meta.author ? [meta.author] : [];
  return [
    new Paragraph({ style: 'TitlePage', tabStops: [{ type: 'right', position: 6.5 * INCH }], children: [new TextRun(contact[0] ?? ''), new TextRun(`\t${roundedWordCount(words)}`)] }),
    ...contact.slice(1).map((line) => new Paragraph({ style: 'TitlePage', text: line })),
    new Paragraph({ style: 'TitlePage', alignment: AlignmentType.CENTER, spacing: { before: 3 * INCH }, children: [new TextRun(meta.title)] }),
    new Paragraph({ style: 'TitlePage', alignment: AlignmentType.CENTER, spacing: { before: LINE_DOUBLE }, children: [new TextRun(meta.author ? `by ${meta.author}` : '')] }),
  ];
}

export async function writeDocx(source: Manuscript, options: ExportOptions = {}): Promise<Uint8Array> {
  const { manuscript, unanchored } = attachComments(source, options.comments);
  const commentIds = new Map((options.comments ?? []).map((c, i) => [c.id, i] as const));
  const words = manuscript.chapters.reduce((sum, c) => sum + countWords(chapterText(c)), 0);
  const body: Paragraph[] = titlePage(manuscript, words);
  manuscript.chapters.forEach((chapter, index) => {
    options.onProgress?.(0.1 + (0.6 * index) / manuscript.chapters.length, 'writing chapters');
    const notes = unanchored.filter((c) => c.chapter === index).map((c) => commentIds.get(c.id)!);
    body.push(
      new Paragraph({
        style: 'ChapterTitle',
        pageBreakBefore: true,
        children: [...notes.map((id) => new CommentRangeStart(id)), new TextRun(chapter.title), ...notes.flatMap((id) => [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })])],
      }),
    );
    let first = true;
    for (const block of chapter.blocks) {
      body.push(blockParagraph(block, commentIds, first));
      first = block.type === 'sceneBreak' || block.type === 'heading';
    }
  });
  const comments: ICommentOptions[] = (options.comments ?? []).map((c, i) => ({
    id: i,
    author: c.author ?? 'Quire',
    initials: (c.author ?? 'Q').split(/\s+/).map((w) => w[0]).join('').slice(0, 3),
    date: c.createdAt ?? options.date ?? new Date(),
    children: c.body.split('\n').map((line) => new Paragraph({ text: line })),
  }));
  const header = new Header({
    children: [new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { line: 240 }, children: [new TextRun({ children: [`${surname(manuscript.meta.author)} / ${headerTitle(manuscript.meta.title)} / `, PageNumber.CURRENT] })] })],
  });
  const doc = new Document({
    title: manuscript.meta.title,
    creator: manuscript.meta.author ?? '',
    comments: { children: comments },
    styles: {
      default: { document: { run: { font: FONT, size: 24 }, paragraph: { spacing: { line: LINE_DOUBLE, lineRule: LineRuleType.AUTO, before: 0, after: 0 } } } },
      paragraphStyles: STYLES,
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: { width: 8.5 * INCH, height: 11 * INCH }, margin: { top: INCH, bottom: INCH, left: INCH, right: INCH, header: 0.5 * INCH, footer: 0.5 * INCH } },
        },
        headers: { default: header, first: new Header({ children: [new Paragraph({ text: '' })] }) },
        children: body,
      },
    ],
  });
  options.onProgress?.(0.75, 'packing');
  return new Uint8Array(await Packer.toBuffer(doc));
}

export const docxWriter = async (manuscript: Manuscript, options: ExportOptions) => ({ bytes: await writeDocx(manuscript, options) });
