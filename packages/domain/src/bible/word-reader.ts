/**
 * Reading a text word by word for the mention scanner (mentions.ts) without cutting each word out of it: words are runs
 * of Unicode letters, marks and digits, as the mention rules define them.
 */

const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

export const KEY_BITS = 20;

/**
 * A word's key for the first-word filter: its first and last code units and its length, mixed. Read at the word's
 * end, so the scanner does no work per character for it.
 */
function keyOf(first: number, last: number, length: number): number {
  return (Math.imul(first, 0x9e3779b1) ^ Math.imul(last, 0x85ebca77) ^ Math.imul(length, 0xc2b2ae3d)) >>> (32 - KEY_BITS);
}

export function wordKey(word: string): number {
  return keyOf(word.charCodeAt(0), word.charCodeAt(word.length - 1), word.length);
}

/** Word characters below U+0080: digits and Latin letters. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;
/** Beyond ASCII, each code unit's class as first met (0: not yet known, 1: word character, 2: not one). */
const BMP_CLASS = new Uint8Array(0x10000);

/** How many code units the word character at i takes (1, or 2 for one beyond the BMP), or 0 if it is none. */
function wordCharWidth(text: string, i: number, code: number): number {
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return WORD_CHAR.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  let known = BMP_CLASS[code]!;
  if (known === 0) BMP_CLASS[code] = known = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1 ? 1 : 0;
}

/**
 * Reads a text word after word (runs of Unicode letters, marks and digits) without cutting each out: a word's key,
 * and for words of ASCII alone whether they are capitalised, come from the characters as they are read.
 */
export class WordReader {
  start = 0;
  end = 0;
  key = 0;
  ascii = true;
  /** a word with a character from U+0300 on: below that every character is its own NFC form, combining marks start there */
  beyondLatin = false;
  /** an ASCII word with a lower-case letter in it */
  hasLower = false;

  constructor(
    private readonly text: string,
    public pos = 0,
  ) {}

  next(): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    for (;;) {
      if (i >= n) return (this.pos = n), false;
      const code = text.charCodeAt(i);
      // most of what lies between words is ASCII punctuation and spaces
      if (code < 128 ? ASCII_WORD[code] === 1 : wordCharWidth(text, i, code) !== 0) break;
      i++;
    }
    const start = (this.start = i);
    let ascii = true;
    let beyondLatin = false;
    let lower = false;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code < 128) {
        if (ASCII_WORD[code] !== 1) break;
        if (code >= 97) lower = true;
        i++;
      } else {
        const width = wordCharWidth(text, i, code);
        if (!width) break;
        ascii = false;
        if (code >= 0x300) beyondLatin = true;
        i += width;
      }
    }
    this.end = this.pos = i;
    this.key = keyOf(text.charCodeAt(start), text.charCodeAt(i - 1), i - start);
    this.ascii = ascii;
    this.beyondLatin = beyondLatin;
    this.hasLower = lower;
    return true;
  }
}

/** What \s matches in a regular expression. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)
    || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Whether text[from, to) is the gap once each run of spaces is one space: gapOf without cutting the text. */
export function sameGap(text: string, from: number, to: number, gap: string): boolean {
  let j = 0;
  for (let i = from; i < to; j++) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      if (gap.charCodeAt(j) !== 32) return false;
      while (i < to && isSpace(text.charCodeAt(i))) i++;
    } else {
      if (gap.charCodeAt(j) !== code) return false;
      i++;
    }
  }
  return j === gap.length;
}
