/** Text of a ProseMirror JSON document, one paragraph per line, for plain_text and word counts. */
export function plainText(node: unknown): string {
  const blocks: string[] = [];
  let line = '';
  const walk = (n: unknown, depth: number) => {
    if (depth > 200 || !n || typeof n !== 'object') return;
    const { type, text, content } = n as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof text === 'string') line += text;
    if (type === 'hardBreak') line += '\n';
    if (Array.isArray(content)) for (const child of content) walk(child, depth + 1);
    if (type !== 'text' && type !== 'doc' && Array.isArray(content) && line) {
      blocks.push(line);
      line = '';
    }
  };
  walk(node, 0);
  if (line) blocks.push(line);
  return blocks.join('\n');
}

export function countWords(text: string): number {
  const words = text.trim().match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu);
  return words ? words.length : 0;
}
