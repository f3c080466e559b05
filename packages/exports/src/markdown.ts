import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import type { ImportProblem } from './errors';
import { blockText, mergeSpans, type Block, type Manuscript, type Mark, type Span } from './model';

/**
 * Markdown as CommonMark: chapters are "#" headings, headings inside a chapter keep their level (at least 2),
 * scene breaks are thematic breaks ("* * *"), underline is <u>…</u> (Markdown has none of its own).
 * Title and author go into a YAML front matter block, as pandoc reads it.
 */
const MARK_DELIMS: Partial<Record<Mark, [string, string]>> = {
  bold: ['**', '**'],
  italic: ['*', '*'],
  strike: ['~~', '~~'],
  underline: ['<u>', '</u>'],
};
const MARK_ORDER: Mark[] = ['bold', 'italic', 'strike', 'underline'];

export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>~|])/g, '\\$1')
    .replace(/^(\s*)([#+\-=>])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

function spanMarkdown(span: Span): string {
  if (span.marks?.includes('code')) {
    const ticks = span.text.includes('`') ? '``' : '`';
    const pad = span.text.startsWith('`') || span.text.endsWith('`') ? ' ' : '';
    return `${ticks}${pad}${span.text}${pad}${ticks}`;
  }
  // emphasis cannot start or end on whitespace in CommonMark: keep that whitespace outside the delimiters
  const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(span.text) ?? [];
  let out = core.split('\n').map(escapeMarkdown).join('\\\n');
  if (core) {
    for (const mark of MARK_ORDER) {
      const delims = span.marks?.includes(mark) ? MARK_DELIMS[mark] : undefined;
      if (delims) out = `${delims[0]}${out}${delims[1]}`;
    }
    if (span.href) out = `[${out}](<${span.href.replace(/[<>]/g, encodeURIComponent)}>)`;
  }
  const breaks = (s: string) => s.split('\n').map((p) => p.replace(/ /g, '&#32;')).join('\\\n');
  return breaks(lead) + out + breaks(trail);
}

export function inlineMarkdown(spans: Span[]): string {
  return spans.map(spanMarkdown).join('');
}

function blockMarkdown(block: Block, orderedCounters: number[]): string {
  const text = inlineMarkdown(block.spans);
  switch (block.type) {
    case 'heading':
      return `${'#'.repeat(Math.max(2, block.level ?? 2))} ${text}`;
    case 'sceneBreak':
      return '* * *';
    case 'blockquote':
      return `> ${text.replace(/\n/g, '\n> ')}`;
    case 'bulletItem':
    case 'orderedItem': {
      const depth = block.depth ?? 0;
      orderedCounters.length = depth + 1;
      orderedCounters[depth] = (orderedCounters[depth] ?? 0) + 1;
      const marker = block.type === 'bulletItem' ? '-' : `${orderedCounters[depth]}.`;
      return `${'   '.repeat(depth)}${marker} ${text}`;
    }
    case 'codeBlock':
      return `\`\`\`\`\n${blockText(block)}\n\`\`\`\``;
    case 'sceneHeading':
      return `**${text}**`;
    case 'transition':
      return text;
    default:
      return text;
  }
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export function writeMarkdown(manuscript: Manuscript, options: { frontMatter?: boolean } = {}): string {
  const parts: string[] = [];
  const { meta } = manuscript;
  if (options.frontMatter !== false && (meta.title || meta.author)) {
    const lines = ['---', `title: ${yamlString(meta.title)}`];
    if (meta.author) lines.push(`author: ${yamlString(meta.author)}`);
    if (meta.language) lines.push(`lang: ${yamlString(meta.language)}`);
    parts.push(lines.concat('---').join('\n'));
  }
  for (const chapter of manuscript.chapters) {
    parts.push(`# ${escapeMarkdown(chapter.title)}`);
    const counters: number[] = [];
    let previous: Block | undefined;
    for (const block of chapter.blocks) {
      const inList = (b?: Block) => b?.type === 'bulletItem' || b?.type === 'orderedItem';
      if (!inList(block)) counters.length = 0;
      const md = blockMarkdown(block, counters);
      // list items of one list and lines of one quote join with a single newline
      if ((inList(block) && inList(previous)) || (block.type === 'blockquote' && previous?.type === 'blockquote')) {
        const joiner = block.type === 'blockquote' ? '\n>\n' : '\n';
        parts[parts.length - 1] += joiner + md;
      } else parts.push(block.type === 'paragraph' && !md ? '&nbsp;' : md);
      previous = block;
    }
  }
  return parts.join('\n\n') + '\n';
}

// ---------------------------------------------------------------- reading

const parser = new MarkdownIt('commonmark', { html: true }).enable('strikethrough');

function inlineFromTokens(children: Token[] | null, problems: ImportProblem[], line?: number): Span[] {
  const spans: Span[] = [];
  const active = new Map<Mark, number>();
  const links: string[] = [];
  const marks = () => [...active.keys()];
  const toggle = (mark: Mark, on: boolean) => {
    const count = (active.get(mark) ?? 0) + (on ? 1 : -1);
    if (count > 0) active.set(mark, count);
    else active.delete(mark);
  };
  for (const token of children ?? []) {
    switch (token.type) {
      case 'text':
        spans.push({ text: token.content, marks: marks(), href: links[links.length - 1] });
        break;
      case 'code_inline':
        spans.push({ text: token.content, marks: [...marks(), 'code'], href: links[links.length - 1] });
        break;
      case 'softbreak':
        spans.push({ text: ' ', marks: marks() });
        break;
      case 'hardbreak':
        spans.push({ text: '\n', marks: marks() });
        break;
      case 'strong_open':
      case 'strong_close':
        toggle('bold', token.type.endsWith('open'));
        break;
      case 'em_open':
      case 'em_close':
        toggle('italic', token.type.endsWith('open'));
        break;
      case 's_open':
      case 's_close':
        toggle('strike', token.type.endsWith('open'));
        break;
      case 'link_open':
        links.push(String(token.attrGet('href') ?? ''));
        break;
      case 'link_close':
        links.pop();
        break;
      case 'html_inline': {
        const tag = /^<(\/?)(u|ins|b|strong|i|em|s|del)\s*>$/i.exec(token.content.trim());
        const markOf: Record<string, Mark> = { u: 'underline', ins: 'underline', b: 'bold', strong: 'bold', i: 'italic', em: 'italic', s: 'strike', del: 'strike' };
        if (tag) toggle(markOf[tag[2]!.toLowerCase()]!, tag[1] !== '/');
        else if (token.content === '&nbsp;') spans.push({ text: '', marks: marks() });
        else problems.push({ severity: 'warning', message: `HTML "${token.content.slice(0, 40)}" was dropped`, line });
        break;
      }
      case 'image':
        problems.push({ severity: 'warning', message: `an image (${token.attrGet('src') ?? '?'}) was dropped`, line });
        break;
      default:
        if (token.content) spans.push({ text: token.content, marks: marks() });
    }
  }
  return mergeSpans(spans.map((s) => (s.text === '\u00a0' && spans.length === 1 ? { ...s, text: '' } : s)));
}

export interface MarkdownReadResult {
  blocks: Block[];
  title?: string;
  author?: string;
  problems: ImportProblem[];
}

function frontMatter(source: string): { body: string; fields: Record<string, string> } {
  const match = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\r?\n/.exec(source);
  if (!match) return { body: source, fields: {} };
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_-]+):\s*(.*)$/.exec(line);
    if (!kv) continue;
    let value = kv[2]!.trim();
    try {
      if (value.startsWith('"')) value = JSON.parse(value) as string;
    } catch {
      // a YAML string that is not JSON: keep it as written
    }
    fields[kv[1]!.toLowerCase()] = value.replace(/^'(.*)'$/, '$1');
  }
  return { body: source.slice(match[0].length), fields };
}

export function readMarkdown(source: string): MarkdownReadResult {
  const problems: ImportProblem[] = [];
  const { body, fields } = frontMatter(source);
  const tokens = parser.parse(body, {});
  const blocks: Block[] = [];
  const lists: ('bulletItem' | 'orderedItem')[] = [];
  let quote = 0;
  let pending: { type: Block['type']; level?: number; depth?: number } | undefined;
  let itemHasParagraph: boolean[] = [];
  for (const token of tokens) {
    const line = token.map ? token.map[0] + 1 : undefined;
    switch (token.type) {
      case 'heading_open':
        pending = { type: 'heading', level: Number(token.tag.slice(1)) };
        break;
      case 'paragraph_open': {
        const inItem = lists.length > 0 && !itemHasParagraph[itemHasParagraph.length - 1];
        if (inItem) itemHasParagraph[itemHasParagraph.length - 1] = true;
        pending = inItem ? { type: lists[lists.length - 1]!, depth: lists.length - 1 } : { type: quote ? 'blockquote' : 'paragraph' };
        break;
      }
      case 'inline':
        if (pending) blocks.push({ ...pending, spans: inlineFromTokens(token.children, problems, line) });
        pending = undefined;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push(token.type === 'bullet_list_open' ? 'bulletItem' : 'orderedItem');
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open':
        itemHasParagraph.push(false);
        break;
      case 'list_item_close':
        if (!itemHasParagraph.pop()) blocks.push({ type: lists[lists.length - 1]!, depth: lists.length - 1, spans: [] });
        break;
      case 'blockquote_open':
        quote++;
        break;
      case 'blockquote_close':
        quote--;
        break;
      case 'hr':
        blocks.push({ type: 'sceneBreak', spans: [] });
        break;
      case 'fence':
      case 'code_block':
        blocks.push({ type: 'codeBlock', spans: [{ text: token.content.replace(/\n$/, '') }] });
        break;
      case 'html_block':
        if (token.content.trim() === '&nbsp;') blocks.push({ type: 'paragraph', spans: [] });
        else {
          problems.push({ severity: 'warning', message: 'an HTML block was kept as plain text', line });
          blocks.push({ type: 'paragraph', spans: [{ text: token.content.trim() }] });
        }
        break;
      default:
        break;
    }
  }
  itemHasParagraph = [];
  return { blocks, title: fields.title, author: fields.author, problems };
}
