import { z } from 'zod';
import { id } from '../schemas/common';

/**
 * Typed relationships between two characters of one project. The database's kinds; "other" is shown as Custom and
 * carries the writer's own label ("sworn enemies since the war").
 */
export const RELATIONSHIP_KINDS = ['family', 'romantic', 'friend', 'ally', 'rival', 'enemy', 'mentor', 'colleague',
  'acquaintance', 'other'] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];
export const RELATIONSHIP_KIND_LABELS: Record<RelationshipKind, string> = {
  family: 'Family',
  romantic: 'Romance',
  friend: 'Friendship',
  ally: 'Alliance',
  rival: 'Rivalry',
  enemy: 'Enmity',
  mentor: 'Mentor',
  colleague: 'Colleagues',
  acquaintance: 'Acquaintance',
  other: 'Custom',
};
/** One colour per kind, readable on white and distinct for the common kinds of colour blindness where it matters most. */
export const RELATIONSHIP_KIND_COLOURS: Record<RelationshipKind, string> = {
  family: '#1b7837',
  romantic: '#c51b7d',
  friend: '#4393c3',
  ally: '#2166ac',
  rival: '#e08214',
  enemy: '#b2182b',
  mentor: '#762a83',
  colleague: '#5e6b73',
  acquaintance: '#8c8c8c',
  other: '#35978f',
};

const version = z.number({ message: 'Reload: this relationship is missing its version.' }).int().positive();
const kind = z.enum(RELATIONSHIP_KINDS, { message: 'Choose a relationship type.' });
const label = z.string().trim().max(60, 'Keep the custom type under 60 characters.');
const description = z.string().max(20_000, 'Keep the description under 20,000 characters.');
const note = z.string().max(2_000, 'Keep the note under 2,000 characters.');
const optionalId = id.nullable().optional().transform((value) => value ?? null);

const fields = {
  kind,
  label: label.default(''),
  description: description.default(''),
  mutual: z.boolean().default(true),
  changesAtDocumentId: optionalId,
  changesAtSectionId: optionalId,
  changesNote: note.default(''),
};

function customNeedsLabel(value: { kind?: RelationshipKind; label?: string }): boolean {
  return value.kind !== 'other' || Boolean(value.label);
}

export const createRelationshipInput = z
  .object({ projectId: id, fromId: id, toId: id, ...fields })
  .strict()
  .refine((v) => v.fromId !== v.toId, { message: 'A relationship joins two different characters.', path: ['toId'] })
  .refine(customNeedsLabel, { message: 'Name the custom relationship type.', path: ['label'] });
export type CreateRelationshipInput = z.infer<typeof createRelationshipInput>;

export const updateRelationshipInput = z
  .object({
    relationshipId: id,
    version,
    patch: z
      .object({
        kind: kind.optional(),
        label: label.optional(),
        description: description.optional(),
        mutual: z.boolean().optional(),
        changesAtDocumentId: id.nullable().optional(),
        changesAtSectionId: id.nullable().optional(),
        changesNote: note.optional(),
      })
      .strict()
      .refine((value) => Object.values(value).some((v) => v !== undefined), { message: 'Nothing to change.' }),
  })
  .strict();
export type UpdateRelationshipInput = z.infer<typeof updateRelationshipInput>;

export const deleteRelationshipInput = z.object({ relationshipId: id }).strict();

export function relationshipLabel(r: { kind: RelationshipKind; label: string }): string {
  return r.kind === 'other' && r.label ? r.label : RELATIONSHIP_KIND_LABELS[r.kind];
}
