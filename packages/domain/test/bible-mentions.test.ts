import { describe, expect, it } from 'vitest';
import { compileMatcher, mentionTargets, scanText, summarise } from '../src/bible/mentions';
import { referenceScan } from './support/mentions-reference';

const matcher = compileMatcher(
  mentionTargets(
    [
      { id: 'zoe', name: 'Zoë', aliases: ['Zo'] },
      { id: 'lukasz', name: 'Łukasz', aliases: ['Łukasz Nowak', 'Luke'] },
      { id: 'ann', name: 'Ann', aliases: [] },
      { id: 'rose', name: 'Rose', aliases: [] },
      { id: 'vale', name: 'Dr. Vale', aliases: ['The Doctor'] },
      { id: 'am', name: 'Anna Maria', aliases: [] },
    ],
    [{ id: 'gdansk', name: 'Gdańsk' }, { id: 'harbour', name: 'Old Harbour' }],
  ),
);

const found = (text: string) => scanText(matcher, text).hits.map((h) => `${h.id}:${h.text}`);

describe('mention detection', () => {
  it('finds names beside punctuation and possessives', () => {
    expect(found('"Zoë," said Ann. (Łukasz!) Zoë\'s coat; Ann\u2019s hat—Łukasz.')).toEqual([
      'zoe:Zoë', 'ann:Ann', 'lukasz:Łukasz', 'zoe:Zoë', 'ann:Ann', 'lukasz:Łukasz',
    ]);
  });

  it('matches whole words only', () => {
    expect(found('Annabel and Joanne met Zoëlle in Gdańska, and Annie left.')).toEqual([]);
    expect(found('Ann-Marie is not Ann, but Ann is.')).toEqual(['ann:Ann', 'ann:Ann', 'ann:Ann']);
  });

  it('is case-aware: the name as written or in capitals', () => {
    expect(found('She smelt a rose. Rose smiled. ROSE, the heading said.')).toEqual(['rose:Rose', 'rose:ROSE']);
    expect(found('zoë and łukasz in lower case are not names')).toEqual([]);
  });

  it('compares in NFC, so decomposed letters match', () => {
    expect(found('Zoe\u0308 arrived in Gdan\u0301sk.')).toEqual(['zoe:Zoe\u0308', 'gdansk:Gdan\u0301sk']);
  });

  it('prefers the longest name and needs the same separators', () => {
    expect(found('Łukasz Nowak waved; Dr. Vale nodded; Dr Vale did not; The Doctor came.')).toEqual([
      'lukasz:Łukasz Nowak', 'vale:Dr. Vale', 'vale:The Doctor',
    ]);
    expect(found('Anna\n  Maria sailed from the Old Harbour.')).toEqual(['am:Anna\n  Maria', 'harbour:Old Harbour']);
  });

  it('gives offsets into the text', () => {
    const text = 'Then Zoë came.';
    const [hit] = scanText(matcher, text).hits;
    expect(text.slice(hit!.start, hit!.end)).toBe('Zoë');
  });

  it('summarises counts with first and last offsets', () => {
    const { counts } = summarise(scanText(matcher, 'Zoë, Ann, Zoë.'));
    expect(counts).toEqual([
      { kind: 'character', id: 'zoe', mentions: 2, firstOffset: 0, lastOffset: 10 },
      { kind: 'character', id: 'ann', mentions: 1, firstOffset: 5, lastOffset: 5 },
    ]);
  });

  it('suggests capitalised names that match nobody, not at a sentence start', () => {
    const text = 'Zoë met Marek at noon. Later Marek left with Captain Ahab. Marek sighed. The cat slept. She saw NASA and I.';
    const { unknown } = summarise(scanText(matcher, text));
    expect(unknown.map((u) => [u.name, u.mentions])).toEqual([['Marek', 2], ['Captain Ahab', 1]]);
  });

  it('counts words and copes with empty input', () => {
    expect(scanText(matcher, 'one two three').words).toBe(3);
    expect(scanText(compileMatcher([]), '').hits).toEqual([]);
  });

  // The scanner reads characters and cuts out only the words that may matter; the reference cuts every word first and
  // looks each one up. Random texts over the same names must give the same hits, suggestions and word count.
  it('finds what the word-by-word reading finds, in random texts', () => {
    let state = 7;
    const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const pieces = [
      'Zoë', 'Zoe\u0308', 'ZOË', 'Zo', 'Łukasz', 'Łukasz Nowak', 'Łukasz  Nowak', 'Luke', 'Ann', 'ANN', 'Annabel', 'Rose', 'rose',
      'Dr. Vale', 'Dr Vale', 'Dr.\nVale', 'The Doctor', 'Anna Maria', 'Anna\n Maria', 'Anna', 'Gdańsk', 'Gdan\u0301sk', 'Old Harbour',
      'Marek', 'Captain Ahab', 'Port Royal', 'NASA', 'I', 'May', 'Ängel', 'Ölund Bay', 'the', 'sea', 'walked', 'Dr.\u00a0Vale', 'Dr .Vale', 'Old\u2003\u3000Harbour', 'Old\tHarbour', 'x1', '42', '𝒜lpha', 'Ωmega',
      'naïve', 'café', 'Émile', 'ÉMILE', '日本', '😀',
    ];
    const separators = [' ', ' ', ' ', ', ', '. ', '! ', '\n', '\n\n', ' “', '” ', "'s ", '-', '—', ' (', ') ', '  ', '\t'];
    for (let round = 0; round < 400; round++) {
      let text = '';
      const length = 1 + Math.floor(rand() * 60);
      for (let i = 0; i < length; i++) text += pick(pieces) + pick(separators);
      if (rand() < 0.3) text = text.normalize('NFD');
      for (const unknown of [true, false]) {
        expect(scanText(matcher, text, { unknown }), JSON.stringify(text)).toEqual(referenceScan(matcher, text, { unknown }));
      }
    }
  });
});

