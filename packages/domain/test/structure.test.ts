import { describe, expect, it } from 'vitest';
import { keyBetween, keysBetween, mapManuscript, median, placeBeat, planDrop, planMove, moveRefusal, flatten, type TreeItem } from '../src/structure';

// A > (A1, A2 > (A2a)), B
function tree(): TreeItem[] {
  const [k1, k2] = keysBetween(null, null, 2);
  return [
    { id: 'A', parentId: null, rank: k1! },
    { id: 'B', parentId: null, rank: k2! },
    { id: 'A1', parentId: 'A', rank: k1! },
    { id: 'A2', parentId: 'A', rank: k2! },
    { id: 'A2a', parentId: 'A2', rank: k1! },
  ];
}

describe('order keys', () => {
  it('always fall strictly between their neighbours, however often one gap is split', () => {
    let low: string | null = null;
    const high = keyBetween(null, null);
    for (let i = 0; i < 200; i++) {
      const key = keyBetween(low, high);
      if (low !== null) expect(low < key).toBe(true);
      expect(key < high).toBe(true);
      low = key;
    }
  });
});

describe('tree moves', () => {
  it('plans keyboard moves among siblings, into the previous sibling and out of the parent', () => {
    const items = tree();
    expect(planMove(items, 'A2', 'up')).toEqual({ parentId: 'A', afterId: null });
    expect(planMove(items, 'A1', 'up')).toBeNull();
    expect(planMove(items, 'A1', 'down')).toEqual({ parentId: 'A', afterId: 'A2' });
    expect(planMove(items, 'B', 'indent')).toEqual({ parentId: 'A', afterId: 'A2' });
    expect(planMove(items, 'A2a', 'outdent')).toEqual({ parentId: 'A', afterId: 'A2' });
    expect(planMove(items, 'A', 'outdent')).toBeNull();
  });

  it('plans drops before a row or inside it, and refuses a drop into its own branch', () => {
    const items = tree();
    expect(planDrop(items, 'B', 'A2', 'before')).toEqual({ parentId: 'A', afterId: 'A1' });
    expect(planDrop(items, 'B', 'A2a', 'inside')).toEqual({ parentId: 'A2a', afterId: null });
    expect(planDrop(items, 'A', 'A2a', 'inside')).toBeNull();
    expect(moveRefusal(items, 'A', 'A2')).toMatch(/inside itself/);
  });

  it('refuses nesting past eight levels, counting the moved branch', () => {
    const chain: TreeItem[] = Array.from({ length: 7 }, (_, i) => ({ id: `L${i + 1}`, parentId: i ? `L${i}` : null, rank: 'a0' }));
    const branch: TreeItem[] = [{ id: 'X', parentId: null, rank: 'a1' }, { id: 'Y', parentId: 'X', rank: 'a0' }];
    expect(moveRefusal([...chain, ...branch], 'Y', 'L7')).toBeNull();
    expect(moveRefusal([...chain, ...branch], 'X', 'L7')).toMatch(/8 levels/);
    expect(flatten([...chain, ...branch]).map((i) => i.depth)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2]);
  });
});

describe('beat positions', () => {
  it('reads parts, chapters and scenes in order and places a beat where its text starts', () => {
    const map = mapManuscript([
      { id: 'part', parentId: null, position: 0, wordCount: 0 },
      { id: 'ch2', parentId: 'part', position: 1, wordCount: 3000 },
      { id: 'ch1', parentId: 'part', position: 0, wordCount: 1000 },
      { id: 'scene', parentId: 'ch1', position: 0, wordCount: 1000 },
      { id: 'end', parentId: null, position: 1, wordCount: 5000 },
    ]);
    expect(map.totalWords).toBe(10_000);
    expect(placeBeat(map, { documentId: 'ch2', idealPercent: 25 })).toEqual({ percent: 20, drift: -5, farOff: false });
    expect(placeBeat(map, { documentId: 'end', idealPercent: 75 })).toEqual({ percent: 50, drift: -25, farOff: true });
    expect(placeBeat(map, { documentId: null, idealPercent: 50 })).toEqual({ percent: null, drift: null, farOff: false });
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });
});
