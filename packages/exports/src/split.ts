import { blockText, chapterKind, type Block, type ChapterKind } from './model';

export interface SplitDocument {
  title: string;
  kind: ChapterKind;
  blocks: Block[];
}

/**
 * A long file as documents, one per chapter heading: the highest heading level that occurs (level 1, or 2 when a
 * file has only one level-1 heading as its title) starts a document whose title is the heading's text. Text before
 * the first chapter heading becomes a document of its own ("Front matter") when it has any words.
 */
export function splitByChapters(blocks: Block[], fallbackTitle: string, knownTitle = false): { title?: string; documents: SplitDocument[] } {
  const headings = blocks.filter((b) => b.type === 'heading');
  let bookTitle: string | undefined;
  let level = Math.min(...headings.map((h) => h.level ?? 1));
  let body = blocks;
  const topCount = headings.filter((h) => h.level === level).length;
  if (!knownTitle && topCount === 1 && blocks[0]?.type === 'heading' && headings.some((h) => (h.level ?? 1) > level)) {
    // "# Book title" followed by "## Chapter" headings: the single top heading is the book's title
    bookTitle = blockText(blocks[0]);
    body = blocks.slice(1);
    level = Math.min(...headings.filter((h) => h !== blocks[0]).map((h) => h.level ?? 1));
  }
  if (!Number.isFinite(level)) return { title: bookTitle, documents: [document(fallbackTitle, body)] };
  const documents: SplitDocument[] = [];
  let current: { title: string; blocks: Block[] } = { title: 'Front matter', blocks: [] };
  const flush = () => {
    if (current.title !== 'Front matter' || current.blocks.some((b) => blockText(b).trim())) documents.push(document(current.title, current.blocks));
  };
  for (const block of body) {
    if (block.type === 'heading' && block.level === level) {
      flush();
      current = { title: blockText(block).trim() || `Chapter ${documents.length + 1}`, blocks: [] };
    } else current.blocks.push(block);
  }
  flush();
  return { title: bookTitle, documents: documents.length ? documents : [document(fallbackTitle, [])] };
}

function document(title: string, blocks: Block[]): SplitDocument {
  return { title, kind: chapterKind(blocks), blocks };
}
