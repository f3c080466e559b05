import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { MANUSCRIPT_FIELD, manuscriptSchema } from './schema';

/** ProseMirror JSON as stored in documents.content and document_versions.content. */
export interface ProseMirrorJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJSON[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  text?: string;
}

export const EMPTY_DOCUMENT: ProseMirrorJSON = { type: 'doc', content: [{ type: 'paragraph' }] };

/** The manuscript of a Y.Doc as ProseMirror JSON. */
export function yDocToJSON(doc: Y.Doc, field = MANUSCRIPT_FIELD): ProseMirrorJSON {
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(field)) as ProseMirrorJSON;
  return json.content && json.content.length > 0 ? json : { type: 'doc', content: [] };
}

/**
 * Plain text of a manuscript: one line per text block, hard breaks as newlines, scene breaks as "* * *".
 * Text inside a block is kept verbatim, newlines included.
 */
export function jsonToPlainText(json: ProseMirrorJSON | null | undefined): string {
  if (!json) return '';
  const lines: string[] = [];
  const inline = (node: ProseMirrorJSON): string => {
    if (node.type === 'text') return node.text ?? '';
    if (node.type === 'hardBreak') return '\n';
    return (node.content ?? []).map(inline).join('');
  };
  const isTextBlock = (node: ProseMirrorJSON) =>
    node.type !== 'doc' && (node.content ?? []).some((child) => child.type === 'text' || child.type === 'hardBreak');
  const walk = (node: ProseMirrorJSON) => {
    if (node.type === 'sceneBreak') {
      lines.push('* * *');
      return;
    }
    if (node.type === 'horizontalRule') {
      lines.push('');
      return;
    }
    const children = node.content ?? [];
    if (isTextBlock(node) || (children.length === 0 && node.type !== 'doc' && node.type !== 'text')) {
      lines.push(inline(node));
      return;
    }
    children.forEach(walk);
  };
  walk(json);
  return lines.join('\n');
}

/** Plain text straight from a Y.Doc. */
export function yDocToPlainText(doc: Y.Doc, field = MANUSCRIPT_FIELD): string {
  return jsonToPlainText(yDocToJSON(doc, field));
}

const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'word' }) : null;
const WORD = /[\p{L}\p{N}]+(?:[.,:/_'’-][\p{L}\p{N}]+)*/gu;

/**
 * Words as a writer counts them: runs of letters or digits, where inner apostrophes, hyphens and number or
 * abbreviation punctuation ("don't", "well-known", "3.14", "1,000", "e.g") keep a word whole. Scripts without spaces (Chinese, Japanese, Thai) are segmented by Intl.Segmenter.
 */
export function countWords(text: string): number {
  if (!text) return 0;
  let count = 0;
  // The regex is fast for space-separated scripts; the segmenter is only needed where words are not delimited.
  if (segmenter && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u.test(text)) {
    for (const segment of segmenter.segment(text)) if (segment.isWordLike) count++;
    return count;
  }
  for (const _ of text.matchAll(WORD)) count++;
  return count;
}

/** Paragraphs for text that has no structure (one paragraph per line). */
export function plainTextToJSON(text: string): ProseMirrorJSON {
  const lines = text.split(/\r?\n/);
  return {
    type: 'doc',
    content: lines.map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
  };
}

/**
 * Checks ProseMirror JSON against the manuscript schema. Returns the normalised JSON, or null when it does not fit
 * (unknown node types, invalid nesting).
 */
export function validateJSON(json: unknown): ProseMirrorJSON | null {
  try {
    const node = manuscriptSchema().nodeFromJSON(json);
    node.check();
    return node.toJSON() as ProseMirrorJSON;
  } catch {
    return null;
  }
}

/**
 * A Yjs update that creates a manuscript from JSON (with a text fallback for content that does not fit the
 * schema). Only for a document that has no Yjs state yet: applied to a document that has one, it would add the
 * content a second time.
 */
export function jsonToYUpdate(json: unknown, fallbackText = '', field = MANUSCRIPT_FIELD): Uint8Array {
  const valid = validateJSON(json) ?? plainTextToJSON(fallbackText || jsonToPlainText(json as ProseMirrorJSON));
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      prosemirrorJSONToYXmlFragment(manuscriptSchema(), valid, doc.getXmlFragment(field));
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Makes the manuscript in `doc` equal to `json` with the smallest change y-prosemirror can find, inside one
 * transaction with the given origin. Blocks that already match are left alone, so edits others make to them at the
 * same moment survive; to everyone connected this is an ordinary edit.
 */
export function replaceManuscript(doc: Y.Doc, json: unknown, origin: unknown, field = MANUSCRIPT_FIELD): void {
  const schema = manuscriptSchema();
  const valid = validateJSON(json) ?? plainTextToJSON(jsonToPlainText(json as ProseMirrorJSON));
  const node = schema.nodeFromJSON(valid);
  const fragment = doc.getXmlFragment(field);
  doc.transact(() => {
    // updateYFragment keeps a mapping from Y types to PM nodes; a fresh map means "compare by content".
    updateYFragment(doc, fragment, node, { mapping: new Map(), isOMark: new Map() });
  }, origin);
}

/** Everything the store writes next to the Yjs state. */
export interface ManuscriptDerived {
  content: ProseMirrorJSON;
  plainText: string;
  wordCount: number;
}

export function deriveManuscript(doc: Y.Doc, field = MANUSCRIPT_FIELD): ManuscriptDerived {
  const content = yDocToJSON(doc, field);
  const plainText = jsonToPlainText(content);
  return { content, plainText, wordCount: countWords(plainText) };
}
