import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

/**
 * The fonts the PDFs embed, from the @fontsource packages (SIL Open Font License): Libre Baskerville for the book
 * layout, Courier Prime for screenplays (drawn to Courier's metrics: 10 characters an inch at 12 pt, so page
 * counts match the industry's page-a-minute). Read once from the package, the only file access of this package.
 * The "latin" subsets cover Western European text and typographic punctuation.
 */
const require = createRequire(import.meta.url);

export type FontFace = 'regular' | 'italic' | 'bold' | 'boldItalic';
export type FontSet = Record<FontFace, Buffer>;

/**
 * A WOFF 1.0 font as the plain TrueType it wraps. fontkit reads WOFF, but inflates a table again on every
 * access, which made typesetting a long script take a minute; unwrapped once here, it takes a second.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') return woff;
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({ tag: woff.readUInt32BE(entry), checksum: woff.readUInt32BE(entry + 16), data: compLength < origLength ? inflateSync(raw) : raw });
  }
  const pow = 2 ** Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(woff.readUInt32BE(4), 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(pow * 16, 6);
  header.writeUInt16BE(Math.log2(pow), 8);
  header.writeUInt16BE(numTables * 16 - pow * 16, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tables.forEach((table, i) => {
    header.writeUInt32BE(table.tag, 12 + i * 16);
    header.writeUInt32BE(table.checksum, 16 + i * 16);
    header.writeUInt32BE(offset, 20 + i * 16);
    header.writeUInt32BE(table.data.length, 24 + i * 16);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([header, ...bodies]);
}

function load(pkg: string, family: string, weights: { regular: number; bold: number }): FontSet {
  const file = (weight: number, style: 'normal' | 'italic') => woffToSfnt(readFileSync(require.resolve(`${pkg}/files/${family}-latin-${weight}-${style}.woff`)));
  return {
    regular: file(weights.regular, 'normal'),
    italic: file(weights.regular, 'italic'),
    bold: file(weights.bold, 'normal'),
    boldItalic: file(weights.bold, 'italic'),
  };
}

let serif: FontSet | undefined;
let mono: FontSet | undefined;

export function serifFonts(): FontSet {
  serif ??= load('@fontsource/libre-baskerville', 'libre-baskerville', { regular: 400, bold: 700 });
  return serif;
}

export function monoFonts(): FontSet {
  mono ??= load('@fontsource/courier-prime', 'courier-prime', { regular: 400, bold: 700 });
  return mono;
}

export function faceOf(marks: readonly string[] = []): FontFace {
  const bold = marks.includes('bold');
  const italic = marks.includes('italic');
  return bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular';
}
