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

interface Pattern {
  target: number;
  words: string[];
  gaps: string[];
}

export interface MentionMatcher {
  readonly targets: readonly MentionTarget[];
  /** patterns by their first word, longest first */
  readonly byFirst: ReadonlyMap<string, readonly Pattern[]>;
  /** every word that is part of some name, to keep known names out of the suggestions */
  readonly nameWords: ReadonlySet<string>;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const SPACE = /\s+/gu;

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

function nfc(value: string): string {
  return isAscii(value) ? value : value.normalize('NFC');
}

function gapOf(value: string): string {
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

/** Compiles the names once; matching is then one pass over the text with a map look-up per word. */
export function compileMatcher(targets: readonly MentionTarget[]): MentionMatcher {
  const byFirst = new Map<string, Pattern[]>();
  const nameWordSet = new Set<string>();
  const seen = new Set<string>();
  targets.forEach((target, index) => {
    for (const name of target.names) {
      const { words, gaps } = nameWords(name);
      if (!words.length) continue;
      // the same spelling twice (an alias repeating the name, or two characters sharing a nickname): first one wins
      const key = `${words.join('\u0000')}\u0001${gaps.join('\u0000')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const pattern = { target: index, words, gaps };
      for (const first of new Set([words[0]!, words[0]!.toUpperCase()])) {
        const list = byFirst.get(first) ?? [];
        list.push(pattern);
        byFirst.set(first, list);
      }
      for (const word of words) nameWordSet.add(word);
    }
  });
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length || a.target - b.target);
  return { targets, byFirst, nameWords: nameWordSet };
}

interface Words {
  words: string[];
  starts: number[];
  ends: number[];
}

function cut(text: string): Words {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  // one native pass decides whether any word needs normalising (stored text almost always is NFC already)
  const normalise = !isAscii(text) && text.normalize('NFC') !== text;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match; match = WORD.exec(text)) {
    words.push(normalise ? nfc(match[0]) : match[0]);
    starts.push(match.index);
    ends.push(match.index + match[0].length);
  }
  return { words, starts, ends };
}

function isCapitals(word: string): boolean {
  return word === word.toUpperCase() && word !== word.toLowerCase();
}

function wordMatches(pattern: string, word: string): boolean {
  return word === pattern || (isCapitals(word) && word === pattern.toUpperCase());
}

/** The length in words of the pattern matching at word i, or 0. */
function matchAt(text: string, cutText: Words, i: number, pattern: Pattern): number {
  const n = pattern.words.length;
  if (i + n > cutText.words.length) return 0;
  if (!wordMatches(pattern.words[0]!, cutText.words[i]!)) return 0;
  for (let k = 1; k < n; k++) {
    if (!wordMatches(pattern.words[k]!, cutText.words[i + k]!)) return 0;
    if (gapOf(text.slice(cutText.ends[i + k - 1]!, cutText.starts[i + k]!)) !== pattern.gaps[k - 1]) return 0;
  }
  return n;
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
const SENTENCE_END = /[.!?…:"“”«»‘’']$/u;

function isTitleWord(word: string): boolean {
  const code = word.charCodeAt(0);
  // most words start with an ASCII lower-case letter or a digit: no case conversion for them
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return false;
  const first = word[0]!;
  if (first === first.toLowerCase() || first !== first.toUpperCase()) return false;
  // at least one lower-case letter after the first: "NASA" and "I" are not names here
  return word.length > 1 && word.slice(1) !== word.slice(1).toUpperCase();
}

function startsSentence(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i < 0 || text[i] === '\n' || text[i] === '\r') return true;
  return SENTENCE_END.test(text[i]!);
}

/** Finds every mention in the text, and the capitalised names that match nobody. */
export function scanText(matcher: MentionMatcher, text: string, options: { unknown?: boolean } = {}): Scan {
  const cutText = cut(text);
  const hits: MentionHit[] = [];
  const unknown: Scan['unknown'] = [];
  const { words, starts, ends } = cutText;
  let i = 0;
  while (i < words.length) {
    const candidates = matcher.byFirst.get(words[i]!);
    let taken = 0;
    if (candidates) {
      for (const pattern of candidates) {
        taken = matchAt(text, cutText, i, pattern);
        if (taken) {
          const target = matcher.targets[pattern.target]!;
          const start = starts[i]!;
          const end = ends[i + taken - 1]!;
          hits.push({ kind: target.kind, id: target.id, text: text.slice(start, end), start, end });
          break;
        }
      }
    }
    if (taken) {
      i += taken;
      continue;
    }
    if (options.unknown !== false && isTitleWord(words[i]!) && !NOT_NAMES.has(words[i]!) && !matcher.nameWords.has(words[i]!)
      && !startsSentence(text, starts[i]!)) {
      // join the following capitalised words separated by one space: "Captain Ahab", "Port Royal"
      let j = i;
      while (j + 1 < words.length && isTitleWord(words[j + 1]!) && text.slice(ends[j]!, starts[j + 1]!) === ' '
        && !matcher.byFirst.has(words[j + 1]!)) j++;
      unknown.push({ name: words.slice(i, j + 1).join(' '), start: starts[i]! });
      i = j + 1;
      continue;
    }
    i++;
  }
  return { hits, unknown, words: words.length };
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
  const counts = new Map<string, MentionCount>();
  for (const hit of scan.hits) {
    const key = `${hit.kind}:${hit.id}`;
    const row = counts.get(key);
    if (row) {
      row.mentions++;
      row.lastOffset = hit.start;
    } else counts.set(key, { kind: hit.kind, id: hit.id, mentions: 1, firstOffset: hit.start, lastOffset: hit.start });
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
    counts: [...counts.values()],
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
