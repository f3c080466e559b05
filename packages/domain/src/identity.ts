// Caret and avatar colours: dark enough for white initials, distinct from each other at a glance.
const PALETTE = [
  '#dc2626', '#2563eb', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#4d7c0f',
  '#b45309', '#4f46e5', '#be123c', '#0f766e', '#9333ea', '#15803d', '#c2410c', '#1d4ed8',
] as const;

/**
 * The colour of a person everywhere (their caret, avatar and comments), derived from their user id so every screen
 * agrees and no client can choose someone else's. FNV-1a spreads similar ids (uuids share structure) evenly.
 */
export function colorFor(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length]!;
}
