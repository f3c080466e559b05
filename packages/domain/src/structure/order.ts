import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/**
 * Order keys for cards and sections: text keys that sort byte-wise (the columns are collate "C"), so a move writes
 * one row. `before`/`after` are the neighbours' keys (null at either end).
 */
export function keyBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) {
    // neighbours out of order can only come from a caller's mistake; placing after `before` keeps the tree valid
    return generateKeyBetween(before, null);
  }
  return generateKeyBetween(before, after);
}

export function keysBetween(before: string | null, after: string | null, n: number): string[] {
  return generateNKeysBetween(before, after, n);
}

/** Compares two ordered rows the way the database orders them: key, then id to break the rare tie. */
export function byRank<T extends { rank: string; id: string }>(a: T, b: T): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
