/**
 * A word-level diff of two plain texts for the version history: which passages a version lacks (added since) and
 * which it had (removed since). Myers' algorithm on word and whitespace tokens after trimming the common ends, so
 * a small change in a long chapter costs little; past a bound on the edit distance the changed middle is shown as
 * one removed and one added passage rather than spending seconds on a precise answer nobody can read.
 */
export type DiffPart = { type: 'equal' | 'added' | 'removed'; text: string };

const MAX_EDITS = 2_000;

export function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  push(parts, 'equal', a.slice(0, start));
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  if (middle) {
    for (const part of middle) push(parts, part.type, [part.text]);
  } else {
    push(parts, 'removed', a.slice(start, endA));
    push(parts, 'added', b.slice(start, endB));
  }
  push(parts, 'equal', a.slice(endA));
  return parts;
}

/** How many words each side of a diff carries, for the summary line ("+12 words, −3 words"). */
export function diffStats(parts: DiffPart[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of parts) {
    if (part.type === 'equal') continue;
    const words = part.text.split(/\s+/).filter(Boolean).length;
    if (part.type === 'added') added += words;
    else removed += words;
  }
  return { added, removed };
}

function push(parts: DiffPart[], type: DiffPart['type'], tokens: string[]) {
  if (!tokens.length) return;
  const text = tokens.join('');
  const last = parts[parts.length - 1];
  if (last && last.type === type) last.text += text;
  else parts.push({ type, text });
}

function myers(a: string[], b: string[]): DiffPart[] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return [];
  if (n === 0) return [{ type: 'added', text: b.join('') }];
  if (m === 0) return [{ type: 'removed', text: a.join('') }];
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // each step keeps only the diagonals it reached, so memory grows with the square of the edits, not of the text
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], lastD: number): DiffPart[] {
  const out: DiffPart[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = lastD; d > 0; d--) {
    // trace[d] is the row before step d (the furthest x of step d - 1); its index i stands for diagonal i - d
    const row = trace[d]!;
    const get = (k: number) => row[k + d]!;
    const k = x - y;
    const down = k === -d || (k !== d && get(k - 1) < get(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = get(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ type: 'equal', text: a[x - 1]! });
      x--;
      y--;
    }
    if (down) {
      out.push({ type: 'added', text: b[y - 1]! });
      y--;
    } else {
      out.push({ type: 'removed', text: a[x - 1]! });
      x--;
    }
  }
  while (x > 0 && y > 0) {
    out.push({ type: 'equal', text: a[x - 1]! });
    x--;
    y--;
  }
  return out.reverse();
}
