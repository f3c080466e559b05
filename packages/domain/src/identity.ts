// Caret and avatar colours: dark enough for white initials, each of a different hue so they tell apart at a glance.
const PALETTE = [
  '#dc2626', '#ea580c', '#a16207', '#16a34a', '#0d9488', '#2563eb',
  '#4f46e5', '#9333ea', '#db2777', '#78350f', '#475569', '#4d7c0f',
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
