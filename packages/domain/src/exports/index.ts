import { z } from 'zod';
import { id } from '../schemas/common';
import type { Tier } from '../tiers';

/**
 * Exports and imports as the writer asks for them: which documents, which format, which options. The bytes are
 * written by packages/exports; the jobs that carry a request out live in apps/worker/src/jobs.
 */

/** What export_jobs.format may hold (its check constraint also allows 'html', which nothing offers yet). */
export const EXPORT_FORMATS = ['docx', 'pdf', 'epub', 'fountain', 'fdx', 'markdown', 'txt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_INFO: Record<ExportFormat, { label: string; extension: string; hint: string; screenplayOnly: boolean }> = {
  docx: { label: 'Word (.docx)', extension: 'docx', hint: 'Standard manuscript format, for agents and editors', screenplayOnly: false },
  pdf: { label: 'PDF', extension: 'pdf', hint: 'A print-ready book, or a screenplay in industry format', screenplayOnly: false },
  epub: { label: 'EPUB 3', extension: 'epub', hint: 'An ebook for stores and readers', screenplayOnly: false },
  fountain: { label: 'Fountain', extension: 'fountain', hint: 'Plain-text screenplay', screenplayOnly: true },
  fdx: { label: 'Final Draft (.fdx)', extension: 'fdx', hint: 'For producers who work in Final Draft', screenplayOnly: true },
  markdown: { label: 'Markdown', extension: 'md', hint: 'Plain text with headings and emphasis', screenplayOnly: false },
  txt: { label: 'Plain text', extension: 'txt', hint: 'Just the words', screenplayOnly: false },
};

export const TRIM_SIZES = ['5x8', '5.5x8.5', '6x9', 'a5', 'letter'] as const;
export type TrimSize = (typeof TRIM_SIZES)[number];

/** Stored in export_jobs.options; unknown keys are dropped so the jsonb never collects junk. */
export const exportOptions = z.object({
  /** DOCX comments / PDF annotations; comments and suggestions stay out unless asked for. */
  includeComments: z.boolean().default(false),
  /** PDF only: a book page size, or screenplay format (the default for screenplay documents). */
  pdfLayout: z.enum(['book', 'screenplay']).optional(),
  trim: z.enum(TRIM_SIZES, { message: 'Choose a page size.' }).default('6x9'),
  sceneNumbers: z.boolean().default(false),
  /** The title page and EPUB metadata; the project's title and the owner's name when left empty. */
  title: z.string().trim().max(200, 'Keep the title under 200 characters.').optional(),
  author: z.string().trim().max(120, 'Keep the author under 120 characters.').optional(),
  language: z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language code such as “en” or “fr-CA”.').default('en'),
});
export type ExportOptions = z.output<typeof exportOptions>;

export const EXPORT_SCOPES = ['document', 'selection', 'project'] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];

export const requestExportInput = z
  .object({
    projectId: id,
    scope: z.enum(EXPORT_SCOPES, { message: 'Choose what to export.' }),
    documentIds: z.array(id).max(1000, 'Choose at most 1,000 documents.').default([]),
    format: z.enum(EXPORT_FORMATS, { message: 'Choose a format.' }),
    options: exportOptions.default(exportOptions.parse({})),
  })
  .superRefine((value, ctx) => {
    const unique = new Set(value.documentIds).size;
    if (value.scope === 'document' && value.documentIds.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['documentIds'], message: 'Choose one document to export.' });
    }
    if (value.scope === 'selection' && value.documentIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['documentIds'], message: 'Choose at least one document to export.' });
    }
    if (value.scope === 'project' && value.documentIds.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['documentIds'], message: 'A whole-project export takes no document list.' });
    }
    if (unique !== value.documentIds.length) {
      ctx.addIssue({ code: 'custom', path: ['documentIds'], message: 'A document is listed twice.' });
    }
  });
export type RequestExportInput = z.output<typeof requestExportInput>;

export const exportSettingsInput = z.object({ projectId: id, viewersMayExport: z.boolean() });

// ---------------------------------------------------------------------------------------------------------------
// Imports

export const IMPORT_FORMATS = ['docx', 'markdown', 'fountain', 'fdx', 'txt'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The largest file an import accepts (also the import_jobs check constraint). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** The most documents one import may create; a bigger split is refused rather than half done. */
export const IMPORT_MAX_DOCUMENTS = 500;

const EXTENSIONS: Record<string, ImportFormat> = {
  docx: 'docx',
  md: 'markdown',
  markdown: 'markdown',
  fountain: 'fountain',
  spmd: 'fountain',
  fdx: 'fdx',
  txt: 'txt',
  text: 'txt',
};

/** The format a file's name says it is; the reader still checks the bytes (a mislabelled file is reported). */
export function importFormatOf(filename: string): ImportFormat | null {
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return extension ? (EXTENSIONS[extension] ?? null) : null;
}

export const requestImportInput = z.object({
  projectId: id,
  parentId: id.nullable().optional().transform((value) => value ?? null),
  filename: z
    .string()
    .trim()
    .min(1, 'The file has no name.')
    .max(255, 'The file name is too long.')
    .refine((name) => importFormatOf(name) !== null, 'Quire imports .docx, .md, .fountain, .fdx and .txt files.'),
  size: z
    .number()
    .int()
    .min(1, 'The file is empty.')
    .max(IMPORT_MAX_BYTES, `Files up to ${IMPORT_MAX_BYTES / 1024 / 1024} MB can be imported.`),
});

// ---------------------------------------------------------------------------------------------------------------
// Files

/** Days an exported file stays downloadable, by the owner's plan; the history row stays after the file goes. */
export const EXPORT_FILE_DAYS: Record<Tier, number> = { free: 7, pro: 30, team: 90 };

/** How long a download link works once handed out. */
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

/** A file name a writer recognises and every file system accepts. */
export function exportFilename(title: string, format: ExportFormat): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 _.-]+/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, 80)
    .trim();
  return `${base || 'Export'}.${EXPORT_FORMAT_INFO[format].extension}`;
}

/** The object key of an export in the `exports` bucket: one per job, so a retried job overwrites, never duplicates. */
export function exportObjectPath(projectId: string, jobId: string, filename: string): string {
  return `${projectId}/${jobId}/${filename}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The EPUB cover

/** The largest picture a writer may upload as the cover; it is re-encoded far smaller. */
export const COVER_MAX_BYTES = 15 * 1024 * 1024;

/** The stored cover fits in this box (ebook stores ask for about 1600 × 2560 px), never enlarged. */
export const COVER_BOX = { width: 1600, height: 2560 } as const;

/** The cover's object key in the private `covers` bucket: a folder per upload, under the project. */
export function coverObjectPath(projectId: string, uploadId: string): string {
  return `${projectId}/${uploadId}/cover.jpg`;
}

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
