import { z } from 'zod';
import { id } from '../schemas/common';

/** A character's part in the story; the database's check holds the same list. */
export const CHARACTER_ROLES = ['protagonist', 'antagonist', 'deuteragonist', 'love_interest', 'mentor', 'supporting', 'minor', 'other'] as const;
export type CharacterRole = (typeof CHARACTER_ROLES)[number];
export const CHARACTER_ROLE_LABELS: Record<CharacterRole, string> = {
  protagonist: 'Protagonist', antagonist: 'Antagonist', deuteragonist: 'Deuteragonist', love_interest: 'Love interest',
  mentor: 'Mentor', supporting: 'Supporting', minor: 'Minor', other: 'Other',
};

const name = z.string({ message: 'Give the character a name.' }).trim().min(1, 'Give the character a name.').max(200, 'Keep the name under 200 characters.');
const shortList = (what: string, max: number) =>
  z
    .array(z.string().trim().min(1).max(100, `Keep each ${what} under 100 characters.`))
    .max(max, `At most ${max} ${what}s.`)
    .transform((items) => [...new Set(items)]);
const text = (max: number, what: string) => z.string().max(max, `Keep the ${what} under ${max.toLocaleString('en')} characters.`);
const version = z.number({ message: 'Reload: this is missing its version.' }).int().positive();
const role = z.enum(CHARACTER_ROLES, { message: 'Choose a role in the story.' });

/** The profile fields a writer edits; each maps to one column. */
export const characterFields = {
  name,
  aliases: shortList('alias', 20),
  role,
  summary: text(2_000, 'description'),
  personality: text(20_000, 'traits description'),
  traits: shortList('trait', 30),
  tags: shortList('tag', 30),
  goal: text(20_000, 'goals'),
  backstory: text(50_000, 'backstory'),
  notes: text(50_000, 'notes'),
};

export const createCharacterInput = z
  .object({ projectId: id, name, role: role.default('supporting'), summary: characterFields.summary.default('') })
  .strict();

const patchShape = z
  .object(Object.fromEntries(Object.entries(characterFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof characterFields]: z.ZodOptional<(typeof characterFields)[K]> })
  .strict()
  .refine((value) => Object.values(value).some((v) => v !== undefined), { message: 'Nothing to change.' });

export const updateCharacterInput = z.object({ characterId: id, version, patch: patchShape }).strict();
export const deleteCharacterInput = z.object({ characterId: id }).strict();
export const characterFilter = z
  .object({ q: z.string().trim().max(200).optional(), role: role.optional(), tag: z.string().trim().max(100).optional() })
  .strict();

/** Where each patch field lives. */
export const CHARACTER_COLUMNS: Record<keyof typeof characterFields, string> = {
  name: 'name', aliases: 'aliases', role: 'role', summary: 'summary', personality: 'personality', traits: 'traits',
  tags: 'tags', goal: 'goal', backstory: 'backstory', notes: 'notes',
};
