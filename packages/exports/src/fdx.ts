import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ExportFormatError, type ImportProblem } from './errors';
import type { ExportOptions } from './export';
import { blockText, mergeSpans, type Block, type BlockType, type Manuscript, type Mark, type Span } from './model';

/**
 * Final Draft's .fdx: XML with one <Paragraph Type="…"> per element and styled <Text> runs. Version 5 of the
 * format is what Final Draft 8 and later (and Fade In, Highland, WriterDuet) read and write.
 */
const TYPE_OF: Partial<Record<BlockType, string>> = {
  sceneHeading: 'Scene Heading',
  action: 'Action',
  character: 'Character',
  parenthetical: 'Parenthetical',
  dialogue: 'Dialogue',
  transition: 'Transition',
  shot: 'Shot',
  paragraph: 'General',
};
const BLOCK_OF: Record<string, BlockType> = Object.fromEntries(Object.entries(TYPE_OF).map(([k, v]) => [v, k as BlockType]));
const STYLE_OF: Partial<Record<Mark, string>> = { bold: 'Bold', italic: 'Italic', underline: 'Underline', strike: 'Strikeout' };
const MARK_OF: Record<string, Mark> = { Bold: 'bold', Italic: 'italic', Underline: 'underline', Strikeout: 'strike' };

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // characters XML 1.0 does not allow at all
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function textRuns(spans: Span[]): string {
  if (spans.length === 0) return '<Text></Text>';
  return spans
    .map((span) => {
      const style = (span.marks ?? []).map((m) => STYLE_OF[m]).filter(Boolean).join('+');
      return `<Text${style ? ` Style="${style}"` : ''}>${escapeXml(span.text)}</Text>`;
    })
    .join('');
}

function paragraph(type: string, spans: Span[], attrs = ''): string {
  return `    <Paragraph Type="${type}"${attrs}>${textRuns(spans)}</Paragraph>`;
}

export function writeFdx(manuscript: Manuscript, options: Pick<ExportOptions, 'sceneNumbers'> = {}): string {
  const body: string[] = [];
  let scene = 0;
  for (const chapter of manuscript.chapters) {
    if (manuscript.chapters.length > 1) body.push(paragraph('New Act', [{ text: chapter.title }]));
    for (const block of chapter.blocks) {
      if (block.type === 'sceneBreak') continue;
      const type = TYPE_OF[block.type] ?? (chapter.kind === 'screenplay' ? 'Action' : 'General');
      const number = block.type === 'sceneHeading' && options.sceneNumbers ? ` Number="${++scene}"` : '';
      body.push(paragraph(type, block.spans, number));
    }
  }
  const { meta } = manuscript;
  const titlePage = [
    paragraph('Title Page', [{ text: meta.title, marks: ['underline'] }], ' Alignment="Center"'),
    ...(meta.author ? [paragraph('Title Page', [{ text: 'Written by' }], ' Alignment="Center"'), paragraph('Title Page', [{ text: meta.author }], ' Alignment="Center"')] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
    '<FinalDraft DocumentType="Script" Template="No" Version="5">',
    '  <Content>',
    ...body,
    '  </Content>',
    '  <TitlePage>',
    '  <Content>',
    ...titlePage,
    '  </Content>',
    '  </TitlePage>',
    '</FinalDraft>',
    '',
  ].join('\n');
}

export const fdxWriter = async (manuscript: Manuscript, options: ExportOptions) => ({ bytes: new TextEncoder().encode(writeFdx(manuscript, options)) });

// ---------------------------------------------------------------- reading

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
});

function children(node: Ordered, name: string): Ordered[] {
  return ((node[name] as Ordered[] | undefined) ?? []).filter((c) => typeof c === 'object');
}

function find(nodes: Ordered[], name: string): Ordered | undefined {
  return nodes.find((n) => name in n);
}

function textOf(node: Ordered): string {
  return children(node, 'Text')
    .map((c) => (typeof c['#text'] === 'string' ? c['#text'] : ''))
    .join('');
}

function spansOf(paragraphNode: Ordered): Span[] {
  const spans: Span[] = [];
  for (const child of children(paragraphNode, 'Paragraph')) {
    if (!('Text' in child)) continue;
    const styles = (child[':@']?.Style ?? '').split('+');
    const marks = styles.map((s) => MARK_OF[s]).filter((m): m is Mark => Boolean(m));
    spans.push({ text: textOf(child), marks });
  }
  return mergeSpans(spans);
}

export interface FdxReadResult {
  blocks: Block[];
  title?: string;
  problems: ImportProblem[];
}

export function readFdx(source: string): FdxReadResult {
  const problems: ImportProblem[] = [];
  if (/<!ENTITY/i.test(source)) throw new ExportFormatError('corrupt', 'the file declares XML entities, which Final Draft files never do; it was refused');
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new ExportFormatError('corrupt', `the Final Draft file is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const root = find(parser.parse(source) as Ordered[], 'FinalDraft');
  if (!root) throw new ExportFormatError('corrupt', 'the XML has no <FinalDraft> root element');
  const nodes = children(root, 'FinalDraft');
  const content = find(nodes, 'Content');
  const blocks: Block[] = [];
  const unknown = new Map<string, number>();
  for (const node of content ? children(content, 'Content') : []) {
    if (!('Paragraph' in node)) continue;
    const type = node[':@']?.Type ?? 'Action';
    if (type === 'New Act' || type === 'End of Act') continue;
    const block = BLOCK_OF[type];
    if (!block) unknown.set(type, (unknown.get(type) ?? 0) + 1);
    blocks.push({ type: block === 'paragraph' || !block ? 'action' : block, spans: spansOf(node) });
  }
  for (const [type, count] of unknown) problems.push({ severity: 'warning', message: `${count} paragraph(s) of type "${type}" were kept as action` });
  const titlePage = find(nodes, 'TitlePage');
  const titleContent = titlePage ? find(children(titlePage, 'TitlePage'), 'Content') : undefined;
  const titleLines = titleContent ? children(titleContent, 'Content').filter((n) => 'Paragraph' in n).map((n) => spansOf(n).map((s) => s.text).join('').trim()) : [];
  const title = titleLines.find(Boolean);
  if (!blocks.some((b) => blockText(b).trim())) problems.push({ severity: 'warning', message: 'the Final Draft file has no script text' });
  return { blocks, title, problems };
}
