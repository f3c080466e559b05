import { z } from 'zod';
import { id } from '../schemas/common';

/** The deepest an outline nests (acts > parts > chapters > scenes > beats and room to spare); the database agrees. */
export const MAX_OUTLINE_DEPTH = 8;

export const SECTION_STATUSES = ['planned', 'drafting', 'drafted', 'revised', 'done'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];
export const SECTION_STATUS_LABELS: Record<SectionStatus, string> = {
  planned: 'Idea',
  drafting: 'Drafting',
  drafted: 'Drafted',
  revised: 'Revised',
  done: 'Done',
};

export const SECTION_KINDS = ['act', 'part', 'chapter', 'scene', 'beat', 'note'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];
export const SECTION_KIND_LABELS: Record<SectionKind, string> = {
  act: 'Act',
  part: 'Part',
  chapter: 'Chapter',
  scene: 'Scene',
  beat: 'Beat',
  note: 'Note',
};

export const BEAT_STATUSES = ['planned', 'drafted', 'revised', 'done'] as const;
export type BeatStatus = (typeof BEAT_STATUSES)[number];
/** Beat boards have at most five columns (acts); the database holds act to 1..5. */
export const MAX_ACTS = 5;

export const ISSUE_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];
export const ISSUE_CATEGORIES = ['plot_hole', 'continuity', 'pacing', 'character', 'motivation', 'structure', 'dialogue',
  'worldbuilding', 'timeline', 'tone', 'other'] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];
export const ISSUE_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

const title = (what: string) =>
  z.string({ message: `Give the ${what} a title.` }).trim().min(1, `Give the ${what} a title.`).max(200, 'Keep the title under 200 characters.');
const longText = z.string().max(20_000, 'Keep this under 20,000 characters.');
/** The row version the writer's screen was showing; a write based on an older one is a conflict. */
const version = z.number({ message: 'Reload: this card is missing its version.' }).int().positive();
const optionalId = id.nullable().optional().transform((value) => value ?? null);
const target = z
  .number({ message: 'The target must be a number of words.' })
  .int('The target must be a whole number of words.')
  .positive('The target must be more than zero words.')
  .max(10_000_000, 'That target is larger than any book.')
  .nullable();

/** At least one field must change; an empty patch is a client bug, not a no-op. */
function patch<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .strict()
    .refine((value) => Object.values(value).some((v) => v !== undefined), { message: 'Nothing to change.' });
}

/**
 * What a generator recorded on an outline it wrote. Shown, never written by hand: no input schema has these fields, a
 * write naming them is refused with GENERATOR_READ_ONLY, and the database refuses them from a writer's session.
 */
export const GENERATOR_FIELDS = ['model', 'temperature', 'prompt'] as const;
export const GENERATOR_READ_ONLY = 'The model, temperature and prompt of a generated outline are read-only: they record what generated it.';

export const createOutlineInput = z.object({ projectId: id, title: title('outline') });

export const updateOutlineInput = z.object({
  outlineId: id,
  version,
  patch: patch({ title: title('outline').optional(), summary: longText.optional() }),
});

export const createSectionInput = z.object({
  outlineId: id,
  parentId: optionalId,
  /** The sibling to place it after; null puts it first, undefined last. */
  afterId: id.nullable().optional(),
  kind: z.enum(SECTION_KINDS, { message: 'Choose what kind of section this is.' }).default('chapter'),
  title: title('section'),
  summary: longText.default(''),
});

export const updateSectionInput = z.object({
  sectionId: id,
  version,
  patch: patch({
    title: title('section').optional(),
    summary: longText.optional(),
    kind: z.enum(SECTION_KINDS).optional(),
    status: z.enum(SECTION_STATUSES, { message: 'Choose a status.' }).optional(),
    targetWordCount: target.optional(),
    documentId: id.nullable().optional(),
  }),
});
export type SectionPatch = z.infer<typeof updateSectionInput>['patch'];

/** A move names the new parent and the sibling it goes after (null: first); the server picks the order key. */
export const moveSectionInput = z.object({ sectionId: id, version, parentId: optionalId, afterId: optionalId });

export const sectionRef = z.object({ sectionId: id });
export const sectionVersionRef = z.object({ sectionId: id, version });

export const applyTemplateInput = z.object({ projectId: id, templateId: id });

/** A project's own board kept as a private template for its owner's other projects. */
export const saveTemplateInput = z.object({
  projectId: id,
  name: z.string({ message: 'Name the template.' }).trim().min(1, 'Name the template.').max(120, 'Keep the name under 120 characters.'),
  description: z.string().trim().max(2_000, 'Keep the description under 2,000 characters.').default(''),
});

/**
 * Where a card points in the text: a Yjs relative position for each end of the passage, base64 of
 * Y.encodeRelativePosition, the same shape comments store.
 */
export const textAnchor = z.object({
  from: z.string().min(1).max(1_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The anchor is not a Yjs position.'),
  to: z.string().min(1).max(1_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The anchor is not a Yjs position.'),
});

export const createBeatInput = z.object({
  projectId: id,
  act: z.number().int().min(1).max(MAX_ACTS, `A board has at most ${MAX_ACTS} acts.`),
  afterId: id.nullable().optional(),
  name: z.string({ message: 'Name the beat.' }).trim().min(1, 'Name the beat.').max(200, 'Keep the name under 200 characters.'),
  description: longText.default(''),
});

export const updateBeatInput = z.object({
  beatId: id,
  version,
  patch: patch({
    name: z.string().trim().min(1, 'Name the beat.').max(200, 'Keep the name under 200 characters.').optional(),
    description: longText.optional(),
    status: z.enum(BEAT_STATUSES).optional(),
    outlineSectionId: id.nullable().optional(),
    documentId: id.nullable().optional(),
    idealPercent: z.number().min(0).max(100).nullable().optional(),
  }),
});
export type BeatPatch = z.infer<typeof updateBeatInput>['patch'];

export const moveBeatInput = z.object({
  beatId: id,
  version,
  act: z.number().int().min(1).max(MAX_ACTS, `A board has at most ${MAX_ACTS} acts.`),
  afterId: optionalId,
});

export const beatRef = z.object({ beatId: id });

export const createIssueInput = z.object({
  projectId: id,
  title: z.string().trim().min(1, 'Give the issue a title.').max(300, 'Keep the title under 300 characters.'),
  description: longText.default(''),
  severity: z.enum(ISSUE_SEVERITIES).default('medium'),
  category: z.enum(ISSUE_CATEGORIES).default('other'),
  documentId: optionalId,
  outlineSectionId: optionalId,
  beatId: optionalId,
  anchor: textAnchor.nullable().optional().transform((value) => value ?? null),
}).refine((value) => !value.anchor || value.documentId, { message: 'An anchor needs the document it points into.', path: ['anchor'] });

export const updateIssueInput = z.object({
  issueId: id,
  version,
  patch: patch({
    status: z.enum(ISSUE_STATUSES).optional(),
    severity: z.enum(ISSUE_SEVERITIES).optional(),
    category: z.enum(ISSUE_CATEGORIES).optional(),
    title: z.string().trim().min(1).max(300).optional(),
    description: longText.optional(),
  }),
});
