import type { ExportComment, Manuscript, Span } from './model';

/**
 * A copy of the manuscript where each comment's anchor text is a span (or spans) of its own carrying the
 * comment's id, so writers can wrap exactly that text. The first occurrence inside one block is used; comments
 * whose text is no longer in the chapter are returned as `unanchored` (writers put them at the chapter start).
 */
export function attachComments(manuscript: Manuscript, comments: ExportComment[] = []): { manuscript: Manuscript; unanchored: ExportComment[] } {
  const copy: Manuscript = structuredClone({ ...manuscript, meta: { ...manuscript.meta, cover: undefined } });
  copy.meta.cover = manuscript.meta.cover;
  const unanchored: ExportComment[] = [];
  for (const comment of comments) {
    const chapter = copy.chapters[comment.chapter];
    const anchor = comment.anchorText;
    const block = anchor ? chapter?.blocks.find((b) => b.spans.map((s) => s.text).join('').includes(anchor)) : undefined;
    if (!block) {
      unanchored.push(comment);
      continue;
    }
    const start = block.spans.map((s) => s.text).join('').indexOf(anchor);
    block.spans = markRange(block.spans, start, start + anchor.length, comment.id);
  }
  return { manuscript: copy, unanchored };
}

function markRange(spans: Span[], from: number, to: number, id: string): Span[] {
  const out: Span[] = [];
  let offset = 0;
  for (const span of spans) {
    const end = offset + span.text.length;
    const cuts = [offset, Math.min(Math.max(from, offset), end), Math.min(Math.max(to, offset), end), end];
    for (let i = 0; i < 3; i++) {
      const text = span.text.slice(cuts[i]! - offset, cuts[i + 1]! - offset);
      if (!text) continue;
      out.push(i === 1 ? { ...span, text, comments: [...(span.comments ?? []), id] } : { ...span, text });
    }
    offset = end;
  }
  return out;
}
