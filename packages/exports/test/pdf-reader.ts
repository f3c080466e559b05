import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// pdf.js 6 uses Promise.withResolvers (Node 22); the project runs on 22, a quick run on an older Node gets this
const promise = Promise as unknown as { withResolvers?: () => unknown };
promise.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const p = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise: p, resolve, reject };
};

export interface PdfItem {
  str: string;
  x: number;
  /** distance of the baseline from the top of the page */
  top: number;
  size: number;
  /** where the line's last glyph ends, from the left edge of the page */
  end: number;
}

export interface PdfPage {
  width: number;
  height: number;
  items: PdfItem[];
  annotations: { subtype: string; contents: string }[];
}

/** Pages of a PDF as pdf.js reads them: size, positioned text, annotations. */
export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const task = getDocument({ data: bytes.slice(), disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const pdf = await task.promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const words = content.items
      .filter((i): i is typeof i & { str: string; transform: number[]; width: number } => 'str' in i && Boolean(i.str.trim()))
      .map((i) => ({ str: i.str, x: Math.round(i.transform[4]! * 10) / 10, top: Math.round((height - i.transform[5]!) * 10) / 10, size: Math.round(i.transform[0]! * 10) / 10, end: i.transform[4]! + i.width }));
    // pdf.js gives a run per word or fragment; join the runs of one line that sit within two spaces of each other
    const items: PdfItem[] = [];
    for (const word of words) {
      const last = items[items.length - 1];
      const gap = last ? word.x - last.end : Infinity;
      if (last && last.top === word.top && gap > -1 && gap < word.size * 1.3) {
        last.str += (gap > word.size * 0.15 ? ' ' : '') + word.str;
        last.end = word.end;
      } else items.push({ ...word });
    }
    const annotations = (await page.getAnnotations()).map((a: { subtype: string; contentsObj?: { str: string } }) => ({ subtype: a.subtype, contents: a.contentsObj?.str ?? '' }));
    pages.push({ width, height, items: items.map((item) => ({ ...item, end: Math.round(item.end * 10) / 10 })), annotations });
  }
  await task.destroy();
  return pages;
}

export const pageText = (page: PdfPage) => page.items.map((i) => i.str).join(' ');
