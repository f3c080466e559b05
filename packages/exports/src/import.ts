import { countWords, validateJSON, type ProseMirrorJSON } from '@quire/domain/manuscript';
import { ExportFormatError, type ImportProblem } from './errors';
import { readMarkdown } from './markdown';
import { blocksToProseMirror, blockText, type Block, type ChapterKind } from './model';
import { splitByChapters, type SplitDocument } from './split';
import { readText } from './text';

export type ImportFormat = 'docx' | 'markdown' | 'fountain' | 'fdx' | 'text';

export interface ImportedDocument {
  title: string;
  kind: ChapterKind;
  /** ProseMirror JSON valid for the editor's schema (packages/domain manuscriptSchema) */
  prosemirror: ProseMirrorJSON;
  words: number;
}

export interface ImportReport {
  /** false when nothing could be imported; problems says why */
  ok: boolean;
  /** the format the content was read as (after sniffing), or null when it could not be told */
  format: ImportFormat | null;
  /** the format the file name suggested, when the content said otherwise */
  labelledAs?: string;
  title?: string;
  author?: string;
  documents: number;
  words: number;
  problems: ImportProblem[];
}

export interface ImportOptions {
  /** refuse files larger than this (default 50 MB) */
  maxBytes?: number;
  /** refuse archives that unpack to more than this (default 256 MB) */
  maxUncompressedBytes?: number;
  /** split at chapter headings (default true) */
  split?: boolean;
  onProgress?: (fraction: number, stage: string) => void;
}

export const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** What a reader returns: blocks of the whole file, the title it states, and what it noticed. */
export interface ReadResult {
  blocks: Block[];
  title?: string;
  author?: string;
  problems: ImportProblem[];
  /** a screenplay format: do not split at headings, the whole file is one screenplay document */
  screenplay?: boolean;
}

type Reader = (bytes: Uint8Array, options: ImportOptions) => Promise<ReadResult>;

const decodeText = (bytes: Uint8Array, problems: ImportProblem[]): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\ufeff/, '');
  } catch {
    problems.push({ severity: 'warning', message: 'the file is not UTF-8; it was read as Windows-1252, so check accented letters' });
    return new TextDecoder('windows-1252').decode(bytes);
  }
};

const READERS: Partial<Record<ImportFormat, () => Promise<Reader>>> = {
  markdown: async () => async (bytes) => {
    const problems: ImportProblem[] = [];
    const result = readMarkdown(decodeText(bytes, problems));
    return { ...result, problems: [...problems, ...result.problems] };
  },
  text: async () => async (bytes) => {
    const problems: ImportProblem[] = [];
    return { blocks: readText(decodeText(bytes, problems)), problems };
  },
  fountain: async () => {
    const { readFountain } = await import('./fountain');
    return async (bytes) => {
      const problems: ImportProblem[] = [];
      const result = readFountain(decodeText(bytes, problems));
      return { ...result, problems: [...problems, ...result.problems], screenplay: true };
    };
  },
  docx: async () => {
    const { readDocx } = await import('./docx-reader');
    return async (bytes, options) => readDocx(bytes, { maxUncompressedBytes: options.maxUncompressedBytes });
  },
  fdx: async () => {
    const { readFdx } = await import('./fdx');
    return async (bytes) => {
      const problems: ImportProblem[] = [];
      const result = readFdx(decodeText(bytes, problems));
      return { ...result, problems: [...problems, ...result.problems], screenplay: true };
    };
  },
};

const EXTENSIONS: Record<string, ImportFormat> = {
  docx: 'docx', md: 'markdown', markdown: 'markdown', mdown: 'markdown', fountain: 'fountain', spmd: 'fountain', fdx: 'fdx', txt: 'text', text: 'text',
};

/** The format of a file from its first bytes, whatever its name says; null for binary content nobody reads. */
export function sniffFormat(bytes: Uint8Array, filename: string): { format: ImportFormat | null; labelled: ImportFormat | null; reason?: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  const labelled = EXTENSIONS[ext] ?? null;
  const head = bytes.subarray(0, 4096);
  const ascii = String.fromCharCode(...head.subarray(0, 8));
  if (ascii.startsWith('PK\x03\x04')) return { format: 'docx', labelled };
  if (ascii.startsWith('%PDF')) return { format: null, labelled, reason: 'it is a PDF; export it from its source as DOCX, Markdown or text and import that' };
  if (ascii.startsWith('\xd0\xcf\x11\xe0')) return { format: null, labelled, reason: 'it is an old Word (.doc) file; save it as .docx and import that' };
  if (ascii.startsWith('{\\rtf')) return { format: null, labelled, reason: 'it is an RTF file; save it as .docx and import that' };
  if (/^(\x89PNG|\xff\xd8\xff|GIF8)/.test(ascii)) return { format: null, labelled, reason: 'it is an image, not a manuscript' };
  if (head.includes(0)) return { format: null, labelled, reason: 'it is binary data, not a document' };
  const start = new TextDecoder().decode(head).replace(/^\ufeff/, '').trimStart();
  if (start.startsWith('<?xml') || start.startsWith('<FinalDraft')) {
    return /<FinalDraft\b/.test(start) ? { format: 'fdx', labelled } : { format: null, labelled, reason: 'it is an XML file but not a Final Draft document' };
  }
  if (labelled && labelled !== 'docx' && labelled !== 'fdx') return { format: labelled, labelled };
  // a text file named .docx or .fdx, or without an extension: read it as what it looks like
  return { format: looksLikeFountain(start) ? 'fountain' : /^(#{1,6} |---\n)/m.test(start) ? 'markdown' : 'text', labelled };
}

function looksLikeFountain(text: string): boolean {
  return /^(INT|EXT|EST|INT\.?\/EXT|I\/E)[. ]/m.test(text) && /^\s*[A-Z][A-Z0-9 .'-]+(\(.*\))?\s*\n\S/m.test(text);
}

function toDocument(doc: SplitDocument, problems: ImportProblem[]): ImportedDocument {
  const json = blocksToProseMirror(doc.blocks);
  const valid = validateJSON(json);
  if (!valid) problems.push({ severity: 'warning', message: `"${doc.title}" did not fit the editor's schema and was imported as plain paragraphs` });
  const prosemirror = valid ?? blocksToProseMirror(doc.blocks.map((b) => ({ type: 'paragraph', spans: [{ text: blockText(b) }] })));
  const words = countWords(doc.blocks.map(blockText).join('\n'));
  return { title: doc.title, kind: doc.kind, prosemirror, words };
}

function baseName(filename: string): string {
  return filename.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '') || 'Imported';
}

/**
 * Reads a file into documents. Never throws for bad input: a corrupt, oversized, mislabelled or unreadable file
 * gives `report.ok === false` (nothing imported) or warnings in `report.problems` (imported as far as possible).
 */
export async function importFile(bytes: Uint8Array, filename: string, options: ImportOptions = {}): Promise<{ documents: ImportedDocument[]; report: ImportReport }> {
  const report: ImportReport = { ok: false, format: null, documents: 0, words: 0, problems: [] };
  const refuse = (message: string) => {
    report.problems.push({ severity: 'error', message });
    return { documents: [], report };
  };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  if (bytes.byteLength > maxBytes) return refuse(`the file is ${Math.round(bytes.byteLength / 1048576)} MB; imports are limited to ${Math.round(maxBytes / 1048576)} MB`);
  if (bytes.byteLength === 0) return refuse('the file is empty');
  const sniffed = sniffFormat(bytes, filename);
  if (!sniffed.format) return refuse(`"${filename}" cannot be imported: ${sniffed.reason ?? 'its format is unknown'}`);
  report.format = sniffed.format;
  if (sniffed.labelled && sniffed.labelled !== sniffed.format) {
    report.labelledAs = sniffed.labelled;
    report.problems.push({ severity: 'warning', message: `"${filename}" is named like a ${sniffed.labelled} file but is ${sniffed.format}; it was read as ${sniffed.format}` });
  }
  const load = READERS[sniffed.format];
  if (!load) return refuse(`importing ${sniffed.format} is not available yet`);
  try {
    options.onProgress?.(0.05, 'reading');
    const result = await (await load())(bytes, options);
    report.problems.push(...result.problems);
    report.title = result.title;
    report.author = result.author;
    options.onProgress?.(0.7, 'splitting');
    const split =
      result.screenplay || options.split === false
        ? [{ title: result.title ?? baseName(filename), kind: (result.screenplay ? 'screenplay' : 'prose') as ChapterKind, blocks: result.blocks }]
        : splitByChapters(result.blocks, result.title ?? baseName(filename), Boolean(result.title)).documents;
    const documents = split.map((doc, i) => {
      options.onProgress?.(0.7 + (0.3 * i) / split.length, 'converting');
      return toDocument(doc, report.problems);
    });
    report.ok = true;
    report.documents = documents.length;
    report.words = documents.reduce((sum, d) => sum + d.words, 0);
    options.onProgress?.(1, 'done');
    return { documents, report };
  } catch (error) {
    if (error instanceof ExportFormatError) return refuse(error.message);
    return refuse(`"${filename}" could not be read as ${sniffed.format}: ${(error as Error).message}`);
  }
}
