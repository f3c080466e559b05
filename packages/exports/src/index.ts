/**
 * @quire/exports: manuscript formats, bytes in and bytes out. No I/O beyond reading the package's own fonts.
 *   exportManuscript(format, manuscript, options) -> { bytes, mimeType, extension, pages?, words }
 *   importFile(bytes, filename, options)          -> { documents: { title, kind, prosemirror, words }[], report }
 * Build the manuscript from stored documents with manuscriptFromDocuments(meta, documents).
 */
export * from './model';
export * from './errors';
export { EXPORT_FORMATS, TRIM_SIZES, exportManuscript, manuscriptWords, type ExportFormat, type ExportOptions, type ExportResult, type FormatInfo, type TrimSize } from './export';
export { importFile, sniffFormat, DEFAULT_MAX_IMPORT_BYTES, type ImportedDocument, type ImportFormat, type ImportOptions, type ImportReport } from './import';
export { splitByChapters } from './split';
