import { SCREENPLAY_BLOCKS, type ProseMirrorJSON, type ScreenplayBlock } from '@quire/domain/manuscript';

/**
 * The normalized manuscript every writer reads and every reader produces: chapters (one per Quire document) of
 * flat blocks with marked text. Nesting that formats cannot keep (lists in quotes, marks inside code) is flattened
 * here once, so the writers stay simple and agree with each other.
 */
export type Mark = 'bold' | 'italic' | 'underline' | 'strike' | 'code';

export interface Span {
  /** "\n" inside the text is a hard line break. */
  text: string;
  marks?: Mark[];
  href?: string;
  /** ids of the comments anchored on this text (see attachComments) */
  comments?: string[];
}

export type ProseBlockType = 'paragraph' | 'heading' | 'sceneBreak' | 'blockquote' | 'bulletItem' | 'orderedItem' | 'codeBlock';
export type BlockType = ProseBlockType | ScreenplayBlock;

export interface Block {
  type: BlockType;
  spans: Span[];
  /** heading level 1-6 */
  level?: number;
  /** list nesting, 0 for a top-level item */
  depth?: number;
}

export type ChapterKind = 'prose' | 'screenplay';

export interface Chapter {
  title: string;
  kind: ChapterKind;
  blocks: Block[];
}

export interface ManuscriptMeta {
  title: string;
  author?: string;
  /** BCP 47, e.g. "en" */
  language?: string;
  /** a stable identifier (URN, ISBN, UUID) for EPUB's dc:identifier */
  identifier?: string;
  /** contact lines for a manuscript title page (address, e-mail, agent) */
  contact?: string[];
  cover?: { bytes: Uint8Array; mimeType: 'image/jpeg' | 'image/png' };
}

export interface Manuscript {
  meta: ManuscriptMeta;
  chapters: Chapter[];
}

/** A comment to include in an export, anchored on a piece of text of one chapter. */
export interface ExportComment {
  id: string;
  /** index of the chapter in Manuscript.chapters */
  chapter: number;
  /** the commented text, as it appears in the chapter; its first occurrence is used */
  anchorText: string;
  body: string;
  author?: string;
  createdAt?: Date;
}

export const SCREENPLAY_TYPES: readonly ScreenplayBlock[] = SCREENPLAY_BLOCKS;
const SCREENPLAY_SET = new Set<string>(SCREENPLAY_BLOCKS);
const MARKS: Record<string, Mark> = { bold: 'bold', italic: 'italic', underline: 'underline', strike: 'strike', code: 'code' };

export function isScreenplayType(type: string): type is ScreenplayBlock {
  return SCREENPLAY_SET.has(type);
}

export function blockText(block: Block): string {
  return block.spans.map((s) => s.text).join('');
}

export function chapterText(chapter: Chapter): string {
  return chapter.blocks.map((b) => (b.type === 'sceneBreak' ? '#' : blockText(b))).join('\n');
}

/** Adjacent spans with the same marks, link and comments become one. */
export function mergeSpans(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    if (!span.text) continue;
    const last = out[out.length - 1];
    if (last && sameStyle(last, span)) last.text += span.text;
    else out.push({ ...span, marks: span.marks?.length ? [...span.marks].sort() : undefined });
  }
  return out.map((s) => (s.marks ? s : dropUndefined(s)));
}

function dropUndefined(span: Span): Span {
  const copy: Span = { text: span.text };
  if (span.marks?.length) copy.marks = span.marks;
  if (span.href) copy.href = span.href;
  if (span.comments?.length) copy.comments = span.comments;
  return copy;
}

function sameStyle(a: Span, b: Span): boolean {
  const key = (s: Span) => [[...(s.marks ?? [])].sort().join(','), s.href ?? '', (s.comments ?? []).join(',')].join('|');
  return key(a) === key(b);
}

function inlineSpans(nodes: ProseMirrorJSON[] | undefined, inherited: Mark[] = []): Span[] {
  const spans: Span[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'text') {
      const marks = [...inherited];
      let href: string | undefined;
      for (const mark of node.marks ?? []) {
        const known = MARKS[mark.type];
        if (known && !marks.includes(known)) marks.push(known);
        if (mark.type === 'link' && typeof mark.attrs?.href === 'string') href = mark.attrs.href;
      }
      spans.push({ text: node.text ?? '', marks, href });
    } else if (node.type === 'hardBreak') {
      spans.push({ text: '\n', marks: [...inherited] });
    } else if (node.content) {
      spans.push(...inlineSpans(node.content, inherited));
    }
  }
  return mergeSpans(spans);
}

/** Blocks of a stored ProseMirror document (the schema of packages/domain/src/manuscript). */
export function blocksFromProseMirror(doc: ProseMirrorJSON): Block[] {
  const blocks: Block[] = [];
  const walk = (node: ProseMirrorJSON, context: { list?: 'bulletItem' | 'orderedItem'; depth: number; quote: boolean }) => {
    switch (node.type) {
      case 'doc':
        for (const child of node.content ?? []) walk(child, context);
        return;
      case 'sceneBreak':
      case 'horizontalRule':
        blocks.push({ type: 'sceneBreak', spans: [] });
        return;
      case 'heading':
        blocks.push({ type: 'heading', level: clampLevel(node.attrs?.level), spans: inlineSpans(node.content) });
        return;
      case 'codeBlock':
        blocks.push({ type: 'codeBlock', spans: [{ text: inlineSpans(node.content).map((s) => s.text).join('') }] });
        return;
      case 'blockquote':
        for (const child of node.content ?? []) walk(child, { ...context, quote: true });
        return;
      case 'bulletList':
      case 'orderedList': {
        const list = node.type === 'bulletList' ? 'bulletItem' : 'orderedItem';
        const depth = context.list ? context.depth + 1 : 0;
        for (const item of node.content ?? []) {
          let first = true;
          for (const child of item.content ?? []) {
            if (child.type === 'paragraph' && first) {
              blocks.push({ type: list, depth, spans: inlineSpans(child.content) });
              first = false;
            } else walk(child, { list, depth, quote: context.quote });
          }
        }
        return;
      }
      case 'paragraph':
        blocks.push({ type: context.quote ? 'blockquote' : 'paragraph', spans: inlineSpans(node.content) });
        return;
      default:
        if (isScreenplayType(node.type)) blocks.push({ type: node.type, spans: inlineSpans(node.content) });
        else if (node.content) for (const child of node.content) walk(child, context);
        else if (node.text) blocks.push({ type: 'paragraph', spans: [{ text: node.text }] });
    }
  };
  walk(doc, { depth: 0, quote: false });
  return blocks;
}

function clampLevel(level: unknown): number {
  const n = typeof level === 'number' ? Math.round(level) : 1;
  return Math.min(6, Math.max(1, n));
}

export function chapterKind(blocks: Block[]): ChapterKind {
  const screenplay = blocks.filter((b) => isScreenplayType(b.type)).length;
  return screenplay > 0 && screenplay * 2 >= blocks.filter((b) => blockText(b).trim()).length ? 'screenplay' : 'prose';
}

/** One stored document to export: its title and documents.content. */
export interface SourceDocument {
  title: string;
  content: ProseMirrorJSON | null | undefined;
  kind?: ChapterKind;
}

/** The manuscript of documents in the given (outline) order. */
export function manuscriptFromDocuments(meta: ManuscriptMeta, documents: SourceDocument[]): Manuscript {
  return {
    meta,
    chapters: documents.map((doc) => {
      const blocks = doc.content ? blocksFromProseMirror(doc.content) : [];
      return { title: doc.title, kind: doc.kind ?? chapterKind(blocks), blocks };
    }),
  };
}

function spansToInline(spans: Span[]): ProseMirrorJSON[] {
  const out: ProseMirrorJSON[] = [];
  for (const span of spans) {
    const marks: NonNullable<ProseMirrorJSON['marks']> = (span.marks ?? []).map((type) => ({ type }));
    if (span.href) marks.push({ type: 'link', attrs: { href: span.href } });
    span.text.split('\n').forEach((part, i) => {
      if (i > 0) out.push({ type: 'hardBreak' });
      if (part) out.push(marks.length ? { type: 'text', text: part, marks } : { type: 'text', text: part });
    });
  }
  return out;
}

function textBlock(type: string, spans: Span[], attrs?: Record<string, unknown>): ProseMirrorJSON {
  const content = spansToInline(spans);
  const node: ProseMirrorJSON = { type };
  if (attrs) node.attrs = attrs;
  if (content.length) node.content = content;
  return node;
}

/** ProseMirror JSON for the editor's schema from blocks (the inverse of blocksFromProseMirror). */
export function blocksToProseMirror(blocks: Block[]): ProseMirrorJSON {
  const content: ProseMirrorJSON[] = [];
  // open lists, outermost first: each entry is the list node and its depth
  let lists: { node: ProseMirrorJSON; type: string; depth: number }[] = [];
  let quote: ProseMirrorJSON | undefined;
  for (const block of blocks) {
    const listType = block.type === 'bulletItem' ? 'bulletList' : block.type === 'orderedItem' ? 'orderedList' : undefined;
    if (!listType) lists = [];
    if (block.type !== 'blockquote') quote = undefined;
    if (listType) {
      const depth = block.depth ?? 0;
      while (lists.length && (lists[lists.length - 1]!.depth > depth || (lists[lists.length - 1]!.depth === depth && lists[lists.length - 1]!.type !== listType))) lists.pop();
      let top = lists[lists.length - 1];
      if (!top || top.depth < depth) {
        const node: ProseMirrorJSON = { type: listType, content: [] };
        const parentItem = top?.node.content?.[top.node.content.length - 1];
        if (parentItem) parentItem.content!.push(node);
        else content.push(node);
        top = { node, type: listType, depth };
        lists.push(top);
      }
      top.node.content!.push({ type: 'listItem', content: [textBlock('paragraph', block.spans)] });
      continue;
    }
    switch (block.type) {
      case 'sceneBreak':
        content.push({ type: 'sceneBreak' });
        break;
      case 'heading':
        content.push(textBlock('heading', block.spans, { level: block.level ?? 1 }));
        break;
      case 'codeBlock': {
        const text = blockText(block);
        content.push(text ? { type: 'codeBlock', content: [{ type: 'text', text }] } : { type: 'codeBlock' });
        break;
      }
      case 'blockquote':
        if (!quote) {
          quote = { type: 'blockquote', content: [] };
          content.push(quote);
        }
        quote.content!.push(textBlock('paragraph', block.spans));
        break;
      default:
        content.push(textBlock(block.type, block.spans));
    }
  }
  if (content.length === 0) content.push({ type: 'paragraph' });
  return { type: 'doc', content };
}

/** Word count of a manuscript (the domain's count, so it matches the editor's). */
export { countWords } from '@quire/domain/manuscript';
