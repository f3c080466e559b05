/**
 * The mention rules spelled out word by word: the text is cut into all its words first, then each is looked up. Slow
 * and plain on purpose; the tests hold the streaming scanner in src/bible/mentions.ts to the same answers.
 */
import { gapOf, nfc, type MentionMatcher, type MentionPattern, type Scan } from '../../src/bible/mentions';

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

type Pattern = MentionPattern;

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
  const normalise = text.normalize('NFC') !== text;
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
export function referenceScan(matcher: MentionMatcher, text: string, options: { unknown?: boolean } = {}): Scan {
  const cutText = cut(text);
  const hits: Scan['hits'] = [];
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

