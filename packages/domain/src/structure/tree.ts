import { MAX_OUTLINE_DEPTH } from './schemas';
import { byRank } from './order';

export interface TreeItem {
  id: string;
  parentId: string | null;
  rank: string;
}

/** The children of one parent in order. */
export function childrenOf<T extends TreeItem>(items: readonly T[], parentId: string | null): T[] {
  return items.filter((item) => item.parentId === parentId).sort(byRank);
}

/** Every item in reading order (parents before their children) with its depth, 1 at the top. */
export function flatten<T extends TreeItem>(items: readonly T[]): Array<T & { depth: number }> {
  const byParent = new Map<string | null, T[]>();
  for (const item of items) {
    const list = byParent.get(item.parentId) ?? [];
    list.push(item);
    byParent.set(item.parentId, list);
  }
  for (const list of byParent.values()) list.sort(byRank);
  const known = new Set(items.map((item) => item.id));
  const out: Array<T & { depth: number }> = [];
  const walk = (parentId: string | null, depth: number) => {
    if (depth > 64) return;
    for (const item of byParent.get(parentId) ?? []) {
      out.push({ ...item, depth });
      walk(item.id, depth + 1);
    }
  };
  walk(null, 1);
  // a row whose parent is not in the list (being deleted by someone else) still shows, at the top
  for (const item of items) if (item.parentId !== null && !known.has(item.parentId) && !out.some((o) => o.id === item.id)) {
    out.push({ ...item, depth: 1 });
    walk(item.id, 2);
  }
  return out;
}

/** 1 for a top-level item. */
export function depthOf(items: readonly TreeItem[], id: string): number {
  const byId = new Map(items.map((item) => [item.id, item]));
  let depth = 0;
  for (let at = byId.get(id); at && depth <= 64; at = at.parentId ? byId.get(at.parentId) : undefined) depth++;
  return depth;
}

/** Levels below an item: 0 for a leaf. */
export function heightBelow(items: readonly TreeItem[], id: string): number {
  const children = items.filter((item) => item.parentId === id);
  return children.length ? 1 + Math.max(...children.map((child) => heightBelow(items, child.id))) : 0;
}

export function isWithin(items: readonly TreeItem[], id: string, ancestorId: string): boolean {
  const byId = new Map(items.map((item) => [item.id, item]));
  let steps = 0;
  for (let at = byId.get(id); at && steps <= 64; at = at.parentId ? byId.get(at.parentId) : undefined, steps++) {
    if (at.id === ancestorId) return true;
  }
  return false;
}

/** Why a section may not go under `parentId`, or null when it may. */
export function moveRefusal(items: readonly TreeItem[], id: string, parentId: string | null): string | null {
  if (parentId === null) return heightBelow(items, id) + 1 > MAX_OUTLINE_DEPTH ? depthMessage : null;
  if (parentId === id || isWithin(items, parentId, id)) return 'A section cannot be moved inside itself or one of its own sections.';
  if (depthOf(items, parentId) + 1 + heightBelow(items, id) > MAX_OUTLINE_DEPTH) return depthMessage;
  return null;
}
const depthMessage = `Outlines nest at most ${MAX_OUTLINE_DEPTH} levels deep.`;

export type TreeMove = 'up' | 'down' | 'indent' | 'outdent';
export interface Placement {
  parentId: string | null;
  /** The sibling it goes after; null: first among its siblings. */
  afterId: string | null;
}

/** Where a keyboard move (Alt+arrow) takes an item, or null when it cannot go that way. */
export function planMove(items: readonly TreeItem[], id: string, move: TreeMove): Placement | null {
  const item = items.find((i) => i.id === id);
  if (!item) return null;
  const siblings = childrenOf(items, item.parentId);
  const at = siblings.findIndex((s) => s.id === id);
  switch (move) {
    case 'up':
      return at <= 0 ? null : { parentId: item.parentId, afterId: at >= 2 ? siblings[at - 2]!.id : null };
    case 'down':
      return at >= siblings.length - 1 ? null : { parentId: item.parentId, afterId: siblings[at + 1]!.id };
    case 'indent': {
      if (at <= 0) return null;
      const parent = siblings[at - 1]!;
      if (moveRefusal(items, id, parent.id)) return null;
      const children = childrenOf(items, parent.id);
      return { parentId: parent.id, afterId: children.at(-1)?.id ?? null };
    }
    case 'outdent': {
      if (item.parentId === null) return null;
      const parent = items.find((i) => i.id === item.parentId);
      return { parentId: parent?.parentId ?? null, afterId: item.parentId };
    }
  }
}

/** Where dropping `id` onto `targetId` puts it: just before the target, or as its last child. */
export function planDrop(items: readonly TreeItem[], id: string, targetId: string, where: 'before' | 'inside'): Placement | null {
  if (id === targetId) return null;
  const target = items.find((i) => i.id === targetId);
  if (!target) return null;
  const rest = items.filter((i) => i.id !== id);
  if (where === 'inside') {
    if (moveRefusal(items, id, targetId)) return null;
    return { parentId: targetId, afterId: childrenOf(rest, targetId).at(-1)?.id ?? null };
  }
  if (moveRefusal(items, id, target.parentId)) return null;
  const siblings = childrenOf(rest, target.parentId);
  const at = siblings.findIndex((s) => s.id === targetId);
  return { parentId: target.parentId, afterId: at > 0 ? siblings[at - 1]!.id : null };
}
