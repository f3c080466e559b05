import type { ArcStage } from '@quire/domain/bible/arcs';
import type { ArcTargets } from '@/server/bible/arcs';

/** How a stage's link reads: “Chapter 3 · “She burns the map””, “Beat · Midpoint”, “Outline · Act II”. */
export function linkText(stage: ArcStage, targets: ArcTargets): string | null {
  const link = stage.link;
  if (!link) return null;
  if (link.type === 'document') {
    const title = targets.documents.find((d) => d.id === link.id)?.title ?? 'a document';
    return link.quote ? `${title} · “${link.quote}”` : title;
  }
  if (link.type === 'beat') return `Beat · ${targets.beats.find((b) => b.id === link.id)?.name ?? '?'}`;
  return `Outline · ${targets.sections.find((s) => s.id === link.id)?.title ?? '?'}`;
}
