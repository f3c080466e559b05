/** The bytes of a pdfkit document once it has been ended. */
export function finishPdf(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.end();
  });
}

/**
 * Registers the font faces under their names and makes the first one (`regular`) the document's font without
 * pdfkit loading a standard (unembedded) Helvetica. pdfkit's font cache misses when a registered name resolves to
 * the font the document was opened with, which re-parsed the font on every switch of face (a minute for a
 * feature script); seeding the cache under that name keeps it to one parse per face.
 */
export function useFonts(doc: PDFKit.PDFDocument, fonts: Record<string, Buffer>): void {
  for (const [face, bytes] of Object.entries(fonts)) doc.registerFont(face, bytes);
  const internals = doc as unknown as { _fontFamilies: Record<string, unknown>; _font: unknown };
  internals._fontFamilies.regular = internals._font;
}
