import { blockText, type Block, type Chapter } from '../src/model';

/** A chapter as comparable text: one line per block, "type|text" with whitespace collapsed. */
export function elementSequence(blocks: Block[]): string[] {
  return blocks.map((b) => `${b.type}${b.level ? b.level : ''}|${blockText(b).replace(/\s+/g, ' ').trim()}`);
}

export function chapterSequence(chapters: Pick<Chapter, 'title' | 'blocks'>[]): string[] {
  return chapters.flatMap((c) => [`chapter|${c.title}`, ...elementSequence(c.blocks)]);
}
