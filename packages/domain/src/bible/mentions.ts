/**
 * Where characters and locations are named in a text. Pure: the mentions job feeds it a document's stored plain text,
 * the editor feeds it a paragraph at a time.
 *
 * Rules:
 * - whole words: the text is cut into words (runs of Unicode letters, marks and digits), so "Ann" never matches in
 *   "Annabel" and "Zoë's" or "(Łukasz)" match "Zoë" and "Łukasz";
 * - case-aware: a name matches as written ("Rose" is not "rose"), or in capitals ("ROSE", for headings);
 * - Unicode-safe: names and words are compared in NFC, so a decomposed "Zoe\u0308" is still "Zoë";
 * - multi-word names ("Anna Maria", "Dr. Vale") match when the words match and what lies between them is the same,
 *   any run of spaces or line breaks counting as one space; the longest name wins where names overlap.
 */

import { KEY_BITS, WordReader, sameGap, wordKey } from './word-reader';

export type MentionKind = 'character' | 'location';

export interface MentionTarget {
  kind: MentionKind;
  id: string;
  /** the name first, then aliases; blank entries are ignored */
  names: readonly string[];
}

export interface MentionHit {
  kind: MentionKind;
  id: string;
  /** the name as it appears in the text */
  text: string;
  start: number;
  end: number;
}

export interface MentionPattern {
  target: number;
  words: string[];
  /** each word in capitals, where that differs from the word and is all capitals (what a heading writes) */
  capitals: Array<string | null>;
  gaps: string[];
}

export interface MentionMatcher {
  readonly targets: readonly MentionTarget[];
  /** patterns by their first word (as written and in capitals), longest first */
  readonly byFirst: ReadonlyMap<string, readonly MentionPattern[]>;
  /** every word that is part of some name, to keep known names out of the suggestions */
  readonly nameWords: ReadonlySet<string>;
  /** a bit per key of each first word: most words of a text are nobody's name and are passed over on it alone */
  readonly firstWordKeys: Uint8Array;
  /** the first words again, by key, to find a word's patterns without cutting it out of the text */
  readonly firstWords: ReadonlyMap<number, ReadonlyArray<{ word: string; patterns: readonly MentionPattern[] }>>;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const SPACE = /\s+/gu;

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A text in NFC, without the work for plain ASCII. */
export function nfc(value: string): string {
  return isAscii(value) ? value : value.normalize('NFC');
}

/** What lies between two words of a name, each run of spaces or line breaks as one space. */
export function gapOf(value: string): string {
  return value.replace(SPACE, ' ');
}

/** Cuts a name into its words and the separators between them. */
export function nameWords(name: string): { words: string[]; gaps: string[] } {
  const text = nfc(name.trim());
  const words: string[] = [];
  const gaps: string[] = [];
  let last = -1;
  for (const match of text.matchAll(WORD)) {
    if (last >= 0) gaps.push(gapOf(text.slice(last, match.index)));
    words.push(match[0]);
    last = match.index + match[0].length;
  }
  return { words, gaps };
}

/** Compiles the names once; matching is then one pass over the text's characters. */
export function compileMatcher(targets: readonly MentionTarget[]): MentionMatcher {
  const byFirst = new Map<string, MentionPattern[]>();
  const nameWordSet = new Set<string>();
  const seen = new Set<string>();
  const firstWordKeys = new Uint8Array(1 << (KEY_BITS - 3));
  targets.forEach((target, index) => {
    for (const name of target.names) {
      const { words, gaps } = nameWords(name);
      if (!words.length) continue;
      // the same spelling twice (an alias repeating the name, or two characters sharing a nickname): first one wins
      const key = `${words.join('\u0000')}\u0001${gaps.join('\u0000')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const capitals = words.map((w) => {
        const upper = w.toUpperCase();
        return upper !== w && isCapitals(upper) ? upper : null;
      });
      const pattern = { target: index, words, capitals, gaps };
      for (const first of new Set([words[0]!, words[0]!.toUpperCase()])) {
        const list = byFirst.get(first) ?? [];
        list.push(pattern);
        byFirst.set(first, list);
        const key = wordKey(first);
        firstWordKeys[key >>> 3]! |= 1 << (key & 7);
      }
      for (const word of words) nameWordSet.add(word);
    }
  });
  const firstWords = new Map<number, Array<{ word: string; patterns: MentionPattern[] }>>();
  for (const [word, list] of byFirst) {
    list.sort((a, b) => b.words.length - a.words.length || a.target - b.target);
    const key = wordKey(word);
    firstWords.set(key, [...(firstWords.get(key) ?? []), { word, patterns: list }]);
  }
  return { targets, byFirst, nameWords: nameWordSet, firstWordKeys, firstWords };
}

function isCapitals(word: string): boolean {
  return word === word.toUpperCase() && word !== word.toLowerCase();
}

export interface Scan {
  hits: MentionHit[];
  /** capitalised names (one or several words) that match nothing, not at the start of a sentence, with their offsets */
  unknown: Array<{ name: string; start: number }>;
  words: number;
}

/** Words that are capitalised mid-sentence without being anyone's name. */
const NOT_NAMES = new Set([
  'I', 'Mr', 'Mrs', 'Ms', 'Dr', 'Sir', 'Madam', 'Miss', 'Lord', 'Lady', 'God', 'OK',
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
  'Christmas', 'Easter', 'English', 'French', 'German', 'Chapter', 'Part', 'Act', 'Scene',
]);

/** What may stand before a sentence's first word: its end mark, or an opening quote. */
const SENTENCE_END = new Set([...'.!?…:"“”«»‘’\''].map((c) => c.charCodeAt(0)));

function isTitleWord(word: string): boolean {
  const first = word[0]!;
  if (first === first.toLowerCase() || first !== first.toUpperCase()) return false;
  // at least one lower-case letter after the first: "NASA" and "I" are not names here
  return word.length > 1 && word.slice(1) !== word.slice(1).toUpperCase();
}

function startsSentence(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  if (i < 0) return true;
  const code = text.charCodeAt(i);
  return code === 10 || code === 13 || SENTENCE_END.has(code);
}

/**
 * One scan of one text. Words are cut out of the text only where it matters: a word whose key some name's first word
 * has, a capitalised word (a possible suggestion), and the words after either.
 */
class Scanner {
  private readonly reader: WordReader;
  private readonly ahead: WordReader;
  /** whether words must be brought to NFC before comparing: known at the text's first word beyond Latin */
  private normalise: boolean | null = null;
  readonly hits: MentionHit[] = [];
  readonly unknown: Scan['unknown'] = [];
  words = 0;

  constructor(
    private readonly matcher: MentionMatcher,
    private readonly text: string,
  ) {
    this.reader = new WordReader(text);
    this.ahead = new WordReader(text);
  }

  /** Whether the word as written may differ from its NFC form. */
  private needsNfc(at: WordReader): boolean {
    return at.beyondLatin && (this.normalise ??= this.text.normalize('NFC') !== this.text);
  }

  private wordOf(at: WordReader): string {
    const word = this.text.slice(at.start, at.end);
    return this.needsNfc(at) ? word.normalize('NFC') : word;
  }

  /** Whether the word is `word`, compared in place where the text needs no normalising. */
  private is(at: WordReader, word: string | null): boolean {
    if (word === null) return false;
    if (this.needsNfc(at)) return this.wordOf(at) === word;
    if (at.end - at.start !== word.length) return false;
    // a loop over a few code units: startsWith into a long text costs more than the comparison itself
    for (let j = 0, i = at.start; j < word.length; j++, i++) if (this.text.charCodeAt(i) !== word.charCodeAt(j)) return false;
    return true;
  }

  /** Whether the word is the pattern's kth word, as written or in capitals. */
  private matches(pattern: MentionPattern, k: number, at: WordReader): boolean {
    return this.is(at, pattern.words[k]!) || this.is(at, pattern.capitals[k]!);
  }

  /** The patterns whose first word the word may be. */
  private candidates(at: WordReader): readonly MentionPattern[] | undefined {
    if (this.needsNfc(at)) return this.matcher.byFirst.get(this.wordOf(at));
    if ((this.matcher.firstWordKeys[at.key >>> 3]! & (1 << (at.key & 7))) === 0) return undefined;
    for (const entry of this.matcher.firstWords.get(at.key) ?? []) if (this.is(at, entry.word)) return entry.patterns;
    return undefined;
  }

  private isTitle(at: WordReader): boolean {
    if (at.ascii) {
      const first = this.text.charCodeAt(at.start);
      // a capital first, so the lower-case letter comes after it
      return first >= 65 && first <= 90 && at.hasLower;
    }
    return isTitleWord(this.wordOf(at));
  }

  /** Where the pattern that starts with the reader's word ends in the text, or -1. */
  private matchRest(pattern: MentionPattern): number {
    const { text, ahead } = this;
    let end = this.reader.end;
    ahead.pos = end;
    for (let k = 1; k < pattern.words.length; k++) {
      if (!ahead.next()) return -1;
      if (!sameGap(text, end, ahead.start, pattern.gaps[k - 1]!)) return -1;
      if (!this.matches(pattern, k, ahead)) return -1;
      end = ahead.end;
    }
    return end;
  }

  /** A name starting at the reader's word, recorded, with the reader moved past it. */
  private takeName(): boolean {
    const candidates = this.candidates(this.reader);
    if (!candidates) return false;
    for (const pattern of candidates) {
      if (!this.matches(pattern, 0, this.reader)) continue;
      const end = this.matchRest(pattern);
      if (end < 0) continue;
      const target = this.matcher.targets[pattern.target]!;
      const start = this.reader.start;
      this.hits.push({ kind: target.kind, id: target.id, text: this.text.slice(start, end), start, end });
      this.words += pattern.words.length - 1;
      this.reader.pos = end;
      return true;
    }
    return false;
  }

  /** A capitalised name nobody owns, joined with the capitalised words after it: "Captain Ahab", "Port Royal". */
  private takeUnknown(word: string): void {
    const { text, reader, ahead } = this;
    let name = word;
    let end = reader.end;
    for (;;) {
      ahead.pos = end;
      if (!ahead.next() || ahead.start !== end + 1 || text.charCodeAt(end) !== 32 || !this.isTitle(ahead)) break;
      const next = this.wordOf(ahead);
      if (this.matcher.byFirst.has(next)) break;
      name += ` ${next}`;
      end = ahead.end;
      this.words++;
    }
    this.unknown.push({ name, start: reader.start });
    reader.pos = end;
  }

  run(suggest: boolean): void {
    const { reader, matcher, text } = this;
    while (reader.next()) {
      this.words++;
      if (this.takeName()) continue;
      if (!suggest || !this.isTitle(reader) || startsSentence(text, reader.start)) continue;
      const word = this.wordOf(reader);
      if (NOT_NAMES.has(word) || matcher.nameWords.has(word)) continue;
      this.takeUnknown(word);
    }
  }
}

/** Finds every mention in the text, and the capitalised names that match nobody. */
export function scanText(matcher: MentionMatcher, text: string, options: { unknown?: boolean } = {}): Scan {
  const scanner = new Scanner(matcher, text);
  scanner.run(options.unknown !== false);
  return { hits: scanner.hits, unknown: scanner.unknown, words: scanner.words };
}

export interface MentionCount {
  kind: MentionKind;
  id: string;
  mentions: number;
  firstOffset: number;
  lastOffset: number;
}

export interface UnknownName {
  name: string;
  mentions: number;
  firstOffset: number;
  lastOffset: number;
}

/** What one document stores: a row per character or location named, and the capitalised names nobody owns. */
export function summarise(scan: Scan, options: { maxUnknown?: number } = {}): { counts: MentionCount[]; unknown: UnknownName[] } {
  // by kind, then id: no key string built per mention; rows in the order of their first mention
  const rows = { character: new Map<string, MentionCount>(), location: new Map<string, MentionCount>() };
  const counts: MentionCount[] = [];
  for (const hit of scan.hits) {
    const byId = rows[hit.kind];
    const row = byId.get(hit.id);
    if (row) {
      row.mentions++;
      row.lastOffset = hit.start;
    } else {
      const first = { kind: hit.kind, id: hit.id, mentions: 1, firstOffset: hit.start, lastOffset: hit.start };
      byId.set(hit.id, first);
      counts.push(first);
    }
  }
  const unknown = new Map<string, UnknownName>();
  for (const name of scan.unknown) {
    const row = unknown.get(name.name);
    if (row) {
      row.mentions++;
      row.lastOffset = name.start;
    } else unknown.set(name.name, { name: name.name, mentions: 1, firstOffset: name.start, lastOffset: name.start });
  }
  const maxUnknown = options.maxUnknown ?? 100;
  return {
    counts,
    unknown: [...unknown.values()].sort((a, b) => b.mentions - a.mentions || a.firstOffset - b.firstOffset).slice(0, maxUnknown),
  };
}

/** The targets for a project's characters and locations. */
export function mentionTargets(
  characters: ReadonlyArray<{ id: string; name: string; aliases: readonly string[] }>,
  locations: ReadonlyArray<{ id: string; name: string }>,
): MentionTarget[] {
  return [
    ...characters.map((c) => ({ kind: 'character' as const, id: c.id, names: [c.name, ...c.aliases].filter((n) => n.trim()) })),
    ...locations.map((l) => ({ kind: 'location' as const, id: l.id, names: [l.name].filter((n) => n.trim()) })),
  ];
}

/** A repeated name is a suggestion from this many mentions across the manuscript. */
export const UNKNOWN_NAME_THRESHOLD = 3;
