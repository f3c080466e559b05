import { ExportFormatError } from './errors';
import { writeMarkdown } from './markdown';
import type { ExportComment, Manuscript } from './model';
import { writeText } from './text';

export type ExportFormat = 'docx' | 'pdf' | 'pdf-screenplay' | 'epub' | 'fountain' | 'fdx' | 'markdown' | 'text';

export interface FormatInfo {
  format: ExportFormat;
  label: string;
  mimeType: string;
  extension: string;
  /** only for screenplay documents */
  screenplay: boolean;
  /** can carry comments when options.comments is given */
  comments: boolean;
}

export const EXPORT_FORMATS: Record<ExportFormat, FormatInfo> = {
  docx: { format: 'docx', label: 'Word (manuscript format)', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', screenplay: false, comments: true },
  pdf: { format: 'pdf', label: 'PDF (book layout)', mimeType: 'application/pdf', extension: 'pdf', screenplay: false, comments: true },
  'pdf-screenplay': { format: 'pdf-screenplay', label: 'PDF (screenplay)', mimeType: 'application/pdf', extension: 'pdf', screenplay: true, comments: true },
  epub: { format: 'epub', label: 'EPUB 3', mimeType: 'application/epub+zip', extension: 'epub', screenplay: false, comments: false },
  fountain: { format: 'fountain', label: 'Fountain', mimeType: 'text/plain; charset=utf-8', extension: 'fountain', screenplay: true, comments: false },
  fdx: { format: 'fdx', label: 'Final Draft', mimeType: 'application/xml', extension: 'fdx', screenplay: true, comments: false },
  markdown: { format: 'markdown', label: 'Markdown', mimeType: 'text/markdown; charset=utf-8', extension: 'md', screenplay: false, comments: false },
  text: { format: 'text', label: 'Plain text', mimeType: 'text/plain; charset=utf-8', extension: 'txt', screenplay: false, comments: false },
};

/** Page size of the book PDF in inches; common trade trims. */
export const TRIM_SIZES = { '5x8': [5, 8], '5.5x8.5': [5.5, 8.5], '6x9': [6, 9], a5: [5.83, 8.27], letter: [8.5, 11] } as const;
export type TrimSize = keyof typeof TRIM_SIZES;

export interface ExportOptions {
  /** comments to include (DOCX comments, PDF annotations); none when absent */
  comments?: ExportComment[];
  /** book PDF page size (default 6x9) */
  trim?: TrimSize;
  /** screenplay PDF / FDX: print scene numbers */
  sceneNumbers?: boolean;
  /** called with 0..1 as the export goes; stage names what it is doing */
  onProgress?: (fraction: number, stage: string) => void;
  /** a fixed date for reproducible output (EPUB dcterms:modified, PDF CreationDate); default now */
  date?: Date;
}

export interface ExportResult {
  bytes: Uint8Array;
  mimeType: string;
  extension: string;
  /** pages, for PDF */
  pages?: number;
  words: number;
}

type Writer = (manuscript: Manuscript, options: ExportOptions) => Promise<{ bytes: Uint8Array; pages?: number }>;

const encoder = new TextEncoder();
const text = (fn: (m: Manuscript, o: ExportOptions) => string): Writer => async (m, o) => ({ bytes: encoder.encode(fn(m, o)) });

/** Writers load on first use, so a worker exporting Markdown never loads the PDF or DOCX libraries. */
const WRITERS: Partial<Record<ExportFormat, () => Promise<Writer>>> = {
  markdown: async () => text((m) => writeMarkdown(m)),
  text: async () => text((m) => writeText(m)),
  fountain: async () => {
    const { writeFountain } = await import('./fountain');
    return text((m, o) => writeFountain(m, { sceneNumbers: o.sceneNumbers }));
  },
  fdx: async () => (await import('./fdx')).fdxWriter,
  docx: async () => (await import('./docx-writer')).docxWriter,
  pdf: async () => (await import('./pdf-novel')).novelPdfWriter,
  'pdf-screenplay': async () => (await import('./pdf-screenplay')).screenplayPdfWriter,
  epub: async () => (await import('./epub')).epubWriter,
};

/** Words of the manuscript's chapters, counted as the editor counts them. */
export async function manuscriptWords(manuscript: Manuscript): Promise<number> {
  const { countWords } = await import('@quire/domain/manuscript');
  const { chapterText } = await import('./model');
  return manuscript.chapters.reduce((sum, chapter) => sum + countWords(chapterText(chapter)), 0);
}

/**
 * Writes a manuscript in a format. Pure: bytes out, no I/O. Rejects with an ExportFormatError when the format is
 * unknown or a screenplay format is asked of a manuscript without screenplay chapters.
 */
export async function exportManuscript(format: ExportFormat, manuscript: Manuscript, options: ExportOptions = {}): Promise<ExportResult> {
  const info = EXPORT_FORMATS[format];
  const load = WRITERS[format];
  if (!info || !load) throw new ExportFormatError('unsupported-format', `there is no export to "${String(format)}"`);
  if (info.screenplay && !manuscript.chapters.some((c) => c.kind === 'screenplay')) {
    throw new ExportFormatError('not-screenplay', `${info.label} is for screenplays, and none of these documents is one`);
  }
  options.onProgress?.(0, 'starting');
  const writer = await load();
  const { bytes, pages } = await writer(manuscript, options);
  options.onProgress?.(1, 'done');
  return { bytes, mimeType: info.mimeType, extension: info.extension, pages, words: await manuscriptWords(manuscript) };
}
