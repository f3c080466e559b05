import { describe, expect, it } from 'vitest';
import { compileMatcher, mentionTargets, scanText, summarise } from '../src/bible/mentions';

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
});
