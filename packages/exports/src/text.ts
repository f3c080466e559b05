import { blockText, type Block, type Manuscript } from './model';

/**
 * Plain text: the title block, then each chapter under its title in capitals; paragraphs separated by a blank
 * line, scene breaks as a centred "#". Screenplay elements keep their conventional capitals and indents so the
 * text still reads as a script.
 */
const SCREENPLAY_INDENT: Partial<Record<Block['type'], string>> = {
  character: ' '.repeat(20),
  parenthetical: ' '.repeat(15),
  dialogue: ' '.repeat(10),
  transition: ' '.repeat(40),
};

export function writeText(manuscript: Manuscript): string {
  const parts: string[] = [];
  const { meta } = manuscript;
  parts.push([meta.title, meta.author ? `by ${meta.author}` : ''].filter(Boolean).join('\n'));
  for (const chapter of manuscript.chapters) {
    parts.push(chapter.title.toUpperCase());
    let dialogue = false;
    for (const block of chapter.blocks) {
      const text = blockText(block);
      if (block.type === 'sceneBreak') parts.push('#');
      else if (chapter.kind === 'screenplay' && SCREENPLAY_INDENT[block.type] !== undefined) {
        const indent = SCREENPLAY_INDENT[block.type]!;
        const line = text.split('\n').map((l) => indent + l).join('\n');
        // a cue, its parentheticals and its dialogue stay together without blank lines
        if (dialogue && block.type !== 'character' && block.type !== 'transition') parts[parts.length - 1] += '\n' + line;
        else parts.push(block.type === 'character' ? line.toUpperCase() : line);
        dialogue = block.type !== 'transition';
      } else {
        parts.push(block.type === 'sceneHeading' ? text.toUpperCase() : text);
        dialogue = false;
      }
    }
  }
  return parts.join('\n\n') + '\n';
}

const CHAPTER_LINE = /^(?:chapter|part|book|prologue|epilogue|interlude)\b[\s\S]{0,80}$|^[IVXLC]+\.?$|^\d{1,3}\.?$/i;
const SCENE_BREAK_LINE = /^\s*(?:#|\*\s*\*\s*\*|\*\*\*|~~~|-{3,}|\*)\s*$/;

/**
 * Plain text into blocks. Paragraphs are separated by blank lines when the text has any, otherwise every line is a
 * paragraph. A short line like "Chapter 3" or "II" standing alone becomes a chapter heading; "#" or "* * *" a scene break.
 */
export function readText(source: string): Block[] {
  const text = source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const hasBlankLines = /\n[ \t]*\n/.test(text.trim());
  const chunks = hasBlankLines ? text.split(/\n[ \t]*\n+/) : text.split('\n');
  const blocks: Block[] = [];
  for (const raw of chunks) {
    const chunk = raw.replace(/^\n+|\n+$/g, '');
    if (!chunk.trim()) continue;
    const single = !chunk.includes('\n');
    if (single && SCENE_BREAK_LINE.test(chunk)) blocks.push({ type: 'sceneBreak', spans: [] });
    else if (single && CHAPTER_LINE.test(chunk.trim())) blocks.push({ type: 'heading', level: 1, spans: [{ text: chunk.trim() }] });
    else blocks.push({ type: 'paragraph', spans: [{ text: hasBlankLines ? chunk.replace(/\n(?=\S)/g, ' ').replace(/\n/g, ' ') : chunk }] });
  }
  return blocks;
}
