import { z } from 'zod';
import { id } from '../schemas/common';

/**
 * A character's arc: where they start, the turning points, where they end. Each stage may point at the story — an
 * outline section, a beat, or a place in a document (the document and, optionally, a phrase of its text) — so the
 * arc can be laid against the manuscript in reading order.
 */

export const ARC_TYPES = ['positive', 'negative', 'flat', 'other'] as const;
export type ArcType = (typeof ARC_TYPES)[number];
export const ARC_TYPE_LABELS: Record<ArcType, string> = {
  positive: 'Positive (change for the better)',
  negative: 'Negative (a fall)',
  flat: 'Flat (changes the world, not themselves)',
  other: 'Other',
};

export const STAGE_KINDS = ['start', 'turn', 'end'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export const STAGE_KIND_LABELS: Record<StageKind, string> = { start: 'Start state', turn: 'Turning point', end: 'End state' };

export const MAX_ARC_STAGES = 40;

const link = z.discriminatedUnion('type', [
  z.object({ type: z.literal('section'), id }).strict(),
  z.object({ type: z.literal('beat'), id }).strict(),
  z.object({
    type: z.literal('document'),
    id,
    /** a phrase of the document's text that marks the place; without one, the document's start */
    quote: z.string().trim().max(200, 'Keep the phrase under 200 characters.').default(''),
  }).strict(),
]);
export type StageLink = z.output<typeof link>;

export const arcStage = z
  .object({
    id,
    kind: z.enum(STAGE_KINDS, { message: 'Choose start, turning point or end.' }),
    title: z.string().trim().max(200, 'Keep a stage title under 200 characters.'),
    description: z.string().max(5_000, 'Keep a stage under 5,000 characters.'),
    link: link.nullable().default(null),
  })
  .strict()
  .refine((s) => s.title.length > 0 || s.description.trim().length > 0, { message: 'Give each stage a title or a description.' });
export type ArcStage = z.output<typeof arcStage>;

/** The start comes first and the end last, at most one of each; turning points sit between them in story order. */
const stages = z
  .array(arcStage)
  .max(MAX_ARC_STAGES, `An arc has at most ${MAX_ARC_STAGES} stages.`)
  .superRefine((list, ctx) => {
    const starts = list.filter((s) => s.kind === 'start').length;
    const ends = list.filter((s) => s.kind === 'end').length;
    if (starts > 1 || ends > 1) ctx.addIssue({ code: 'custom', message: 'An arc has one start state and one end state.' });
    else if ((starts && list[0]!.kind !== 'start') || (ends && list.at(-1)!.kind !== 'end')) {
      ctx.addIssue({ code: 'custom', message: 'The start state comes first and the end state last.' });
    }
    if (new Set(list.map((s) => s.id)).size !== list.length) ctx.addIssue({ code: 'custom', message: 'Two stages have the same id.' });
  });

const arcFields = {
  title: z.string().trim().max(200, 'Keep the arc title under 200 characters.'),
  arcType: z.enum(ARC_TYPES, { message: 'Choose a kind of arc.' }),
  stages,
};

export const createArcInput = z
  .object({ projectId: id, characterId: id, title: arcFields.title.default(''), arcType: arcFields.arcType.default('positive'), stages: stages.default([]) })
  .strict();

export const updateArcInput = z
  .object({
    arcId: id,
    version: z.number({ message: 'Reload: this is missing its version.' }).int().positive(),
    patch: z
      .object({ title: arcFields.title.optional(), arcType: arcFields.arcType.optional(), stages: stages.optional() })
      .strict()
      .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Nothing to change.' }),
  })
  .strict();

export const deleteArcInput = z.object({ arcId: id }).strict();

/** The ids a set of stages points at, by kind, so a command can check they all belong to the project. */
export function stageTargets(list: readonly ArcStage[]): { sections: string[]; beats: string[]; documents: string[] } {
  const out = { sections: new Set<string>(), beats: new Set<string>(), documents: new Set<string>() };
  for (const s of list) {
    if (!s.link) continue;
    out[s.link.type === 'section' ? 'sections' : s.link.type === 'beat' ? 'beats' : 'documents'].add(s.link.id);
  }
  return { sections: [...out.sections], beats: [...out.beats], documents: [...out.documents] };
}

/** Words before the first occurrence of `quote` in `text` (whitespace-insensitive, case-sensitive), or null when absent. */
export function wordsBefore(text: string, quote: string): number | null {
  const needle = quote.trim().replace(/\s+/g, ' ');
  if (!needle) return 0;
  const haystack = text.replace(/\s+/g, ' ');
  const at = haystack.indexOf(needle);
  if (at < 0) return null;
  const before = haystack.slice(0, at).trim();
  return before ? before.split(' ').length : 0;
}

export interface StagePlacement {
  /** where the stage stands as a percentage of the manuscript's words (one decimal), or null when it cannot be placed */
  percent: number | null;
  /** the document it stands in */
  documentId: string | null;
  /** why it is not placed, in the writer's words */
  unplaced: string | null;
  /** placed before a stage that comes earlier in the arc */
  outOfOrder: boolean;
}

/**
 * Lines an arc's stages up against the manuscript: each placed stage's percentage, and whether the story order of
 * the stages (start, turning points, end) agrees with where their text stands.
 */
export function placeStages(
  list: readonly ArcStage[],
  locate: (stage: ArcStage) => { percent: number | null; documentId: string | null; unplaced: string | null },
): StagePlacement[] {
  let furthest = -1;
  return list.map((stage) => {
    const place = locate(stage);
    const outOfOrder = place.percent !== null && place.percent < furthest;
    if (place.percent !== null) furthest = Math.max(furthest, place.percent);
    return { ...place, outOfOrder };
  });
}
