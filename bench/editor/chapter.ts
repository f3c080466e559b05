import { countWords, jsonToPlainText, type ProseMirrorJSON } from '@quire/domain/manuscript';

const VOCABULARY = (
  'the river ran quiet under a grey morning while she counted boats and forgot the names of old friends again ' +
  'lamp keeper harbour window letter stairs tower village night salt wind rope door bread winter summer ' +
  'slowly never almost because although whenever perhaps yesterday tomorrow someone nobody everything ' +
  'walked listened remembered whispered carried opened closed waited watched wondered laughed'
).split(' ');

/** A small deterministic generator: every run, and both editors, get the same chapter. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Chapter {
  json: ProseMirrorJSON;
  /** Top-level blocks, which is what the editor renders as children of its root. */
  blocks: number;
  words: number;
}

/**
 * A 100k-word chapter the way a novelist writes one: paragraphs of 5 to 36 words, a scene break every 250
 * paragraphs, a few words in italics. 5,000 paragraphs of 20.5 words on average.
 */
export function makeChapter(paragraphs = 5_000, seed = 7): Chapter {
  const next = random(seed);
  const content: ProseMirrorJSON[] = [];
  for (let p = 0; p < paragraphs; p++) {
    if (p > 0 && p % 250 === 0) content.push({ type: 'sceneBreak' });
    const length = 5 + Math.floor(next() * 32);
    const words: string[] = [];
    for (let w = 0; w < length; w++) words.push(VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    const sentence = `${words.join(' ')}.`;
    if (p % 10 === 3) {
      // one paragraph in ten has an italic phrase in its middle: marks are part of what the editor renders
      const cut = sentence.indexOf(' ', Math.floor(sentence.length / 3));
      const end = sentence.indexOf(' ', cut + 12);
      if (cut > 0 && end > cut) {
        content.push({
          type: 'paragraph',
          content: [
            { type: 'text', text: sentence.slice(0, cut + 1) },
            { type: 'text', text: sentence.slice(cut + 1, end), marks: [{ type: 'italic' }] },
            { type: 'text', text: sentence.slice(end) },
          ],
        });
        continue;
      }
    }
    content.push({ type: 'paragraph', content: [{ type: 'text', text: sentence }] });
  }
  const json: ProseMirrorJSON = { type: 'doc', content };
  return { json, blocks: content.length, words: countWords(jsonToPlainText(json)) };
}
