import mammoth from 'mammoth';
import { ExportFormatError, type ImportProblem } from './errors';
import { mergeSpans, type Block, type BlockType, type Mark, type Span } from './model';
import { DEFAULT_ZIP_LIMITS, repack, safeUnzip } from './zip';

/**
 * DOCX through mammoth (semantic HTML from Word's styles), with the archive checked first: sizes are checked
 * before anything is inflated, and mammoth is handed a clean re-packed copy of only the checked entries.
 * Headings become headings (the import splits chapters at them); Quire's own style names (from the DOCX
 * export) come back as their elements, so a screenplay exported to Word returns as a screenplay.
 */
const STYLE_MAP = [
  "p[style-name='Chapter Title'] => h1:fresh",
  "p[style-name='Subheading'] => h2:fresh",
  "p[style-name='Scene Break'] => p.scene-break:fresh",
  "p[style-name='Block Quote'] => blockquote > p:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Title Page'] => p.title-page:fresh",
  "p[style-name='Scene Heading'] => p.sceneHeading:fresh",
  "p[style-name='Action'] => p.action:fresh",
  "p[style-name='Character'] => p.character:fresh",
  "p[style-name='Parenthetical'] => p.parenthetical:fresh",
  "p[style-name='Dialogue'] => p.dialogue:fresh",
  "p[style-name='Transition'] => p.transition:fresh",
  "p[style-name='Shot'] => p.shot:fresh",
  "p[style-name='Code'] => pre:fresh",
  "p[style-name='List Item'] => ul > li:fresh",
  'u => u',
  'strike => s',
];

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
const decode = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => ENTITIES[e] ?? (e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : m));
const MARK_TAGS: Record<string, Mark> = { strong: 'bold', b: 'bold', em: 'italic', i: 'italic', u: 'underline', s: 'strike', del: 'strike', code: 'code' };
const SCREENPLAY_CLASSES = new Set(['sceneHeading', 'action', 'character', 'parenthetical', 'dialogue', 'transition', 'shot']);

/** mammoth's HTML (regular, escaped, no scripts) into blocks. */
export function htmlToBlocks(html: string, problems: ImportProblem[]): Block[] {
  const blocks: Block[] = [];
  const marks: Mark[] = [];
  const links: string[] = [];
  const lists: ('bulletItem' | 'orderedItem')[] = [];
  let quote = 0;
  let current: { block: Block; skip?: boolean } | undefined;
  let images = 0;
  const open = (type: BlockType, extra: Partial<Block> = {}, skip = false) => {
    current = { block: { type, spans: [], ...extra }, skip };
  };
  const close = () => {
    if (current && !current.skip) {
      current.block.spans = mergeSpans(current.block.spans);
      blocks.push(current.block);
    }
    current = undefined;
  };
  for (const match of html.matchAll(/<(\/?)([a-z0-9]+)([^>]*?)(\/?)>|([^<]+)/gi)) {
    const [, slash, rawTag, attrs = '', selfClosing, text] = match;
    if (text !== undefined) {
      if (!current) open('paragraph');
      current!.block.spans.push({ text: decode(text), marks: [...marks], href: links[links.length - 1] } as Span);
      continue;
    }
    const tag = rawTag!.toLowerCase();
    const closing = slash === '/';
    const cls = /class="([^"]*)"/.exec(attrs)?.[1];
    if (MARK_TAGS[tag]) {
      if (closing) marks.splice(marks.lastIndexOf(MARK_TAGS[tag]!), 1);
      else marks.push(MARK_TAGS[tag]!);
      continue;
    }
    switch (tag) {
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
        if (closing) close();
        else open('heading', { level: Number(tag[1]) });
        break;
      case 'p':
        if (closing) close();
        else if (cls === 'scene-break') open('sceneBreak', {}, false);
        else if (cls === 'title-page') open('paragraph', {}, true);
        else if (cls && SCREENPLAY_CLASSES.has(cls)) open(cls as BlockType);
        else if (lists.length) {
          if (!current) open(lists[lists.length - 1]!, { depth: lists.length - 1 });
        } else open(quote ? 'blockquote' : 'paragraph');
        break;
      case 'pre':
        if (closing) close();
        else open('codeBlock');
        break;
      case 'ul': case 'ol':
        if (closing) lists.pop();
        else {
          close();
          lists.push(tag === 'ul' ? 'bulletItem' : 'orderedItem');
        }
        break;
      case 'li':
        if (closing) close();
        else {
          close();
          open(lists[lists.length - 1] ?? 'bulletItem', { depth: Math.max(0, lists.length - 1) });
        }
        break;
      case 'blockquote':
        quote += closing ? -1 : 1;
        break;
      case 'br':
        if (!current) open('paragraph');
        current!.block.spans.push({ text: '\n', marks: [...marks] });
        break;
      case 'a':
        if (closing) links.pop();
        else links.push(decode(/href="([^"]*)"/.exec(attrs)?.[1] ?? ''));
        break;
      case 'img':
        images++;
        break;
      case 'table':
        if (!closing) problems.push({ severity: 'warning', message: 'a table was imported as one paragraph per cell' });
        break;
      case 'td': case 'th':
        if (closing) close();
        else open('paragraph');
        break;
      default:
        if (selfClosing) break;
    }
  }
  close();
  if (images) problems.push({ severity: 'warning', message: `${images} image(s) were left out` });
  // a "Scene Break" paragraph is a scene break whatever it shows; so is a paragraph that is only "#" or "* * *"
  for (const b of blocks) if ((b.type === 'bulletItem' || b.type === 'orderedItem') && b.spans[0]) b.spans[0].text = b.spans[0].text.replace(/^[•–]\t/, '');
  return blocks.map((b) => (b.type === 'sceneBreak' || (b.type === 'paragraph' && /^\s*(#|\*\s*\*\s*\*)\s*$/.test(b.spans.map((s) => s.text).join(''))) ? { type: 'sceneBreak', spans: [] } : b));
}

export async function readDocx(bytes: Uint8Array, limits: { maxUncompressedBytes?: number } = {}): Promise<{ blocks: Block[]; title?: string; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const entries = safeUnzip(bytes, { ...DEFAULT_ZIP_LIMITS, maxUncompressedBytes: limits.maxUncompressedBytes ?? DEFAULT_ZIP_LIMITS.maxUncompressedBytes }, (name) => !name.startsWith('word/media/'));
  if (!entries['word/document.xml']) {
    const mimetype = entries.mimetype ? new TextDecoder().decode(entries.mimetype) : '';
    const what = mimetype.includes('epub') ? 'an EPUB' : mimetype.includes('opendocument') ? 'an OpenDocument file (save it as .docx)' : 'a zip archive without a Word document in it';
    throw new ExportFormatError('mislabelled', `the file is ${what}, not a Word document`);
  }
  const clean = repack(entries);
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(clean.buffer, clean.byteOffset, clean.byteLength) },
    { styleMap: STYLE_MAP, includeDefaultStyleMap: true, convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
  );
  const seen = new Set<string>();
  for (const message of result.messages) {
    // unrecognised styles are expected in any real document; say which, once each, as warnings
    const text = message.message.replace(/\s+/g, ' ').slice(0, 200);
    if (seen.has(text) || seen.size >= 20) continue;
    seen.add(text);
    problems.push({ severity: 'warning', message: text });
  }
  const blocks = htmlToBlocks(result.value, problems);
  const core = entries['docProps/core.xml'] ? new TextDecoder().decode(entries['docProps/core.xml']) : '';
  const title = decode(/<dc:title>([^<]*)<\/dc:title>/.exec(core)?.[1] ?? '').trim() || undefined;
  return { blocks, title, problems };
}
