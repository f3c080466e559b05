import { z } from 'zod';
import { id } from './common';

export const DOCUMENT_KINDS = ['folder', 'chapter', 'scene', 'screenplay', 'post', 'notes'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  folder: 'Part',
  chapter: 'Chapter',
  scene: 'Scene',
  screenplay: 'Screenplay',
  post: 'Post',
  notes: 'Notes',
};

export const documentTitle = z
  .string({ message: 'Give it a title.' })
  .trim()
  .min(1, 'Give it a title.')
  .max(200, 'Keep the title under 200 characters.');

export const createDocumentInput = z.object({
  projectId: id,
  parentId: id.nullable().optional().transform((value) => value ?? null),
  kind: z.enum(DOCUMENT_KINDS, { message: 'Choose what to add.' }),
  title: documentTitle,
});
export type CreateDocumentInput = z.infer<typeof createDocumentInput>;

export const renameDocumentInput = z.object({ documentId: id, title: documentTitle });

export const deleteDocumentInput = z.object({ documentId: id });

/** The full new order of one parent's children; anything else in the list is refused. */
export const reorderDocumentsInput = z.object({
  projectId: id,
  parentId: id.nullable().optional().transform((value) => value ?? null),
  orderedIds: z.array(id).min(1).max(1000),
});
export type ReorderDocumentsInput = z.infer<typeof reorderDocumentsInput>;

/** One step up or down among siblings, what the keyboard shortcuts and move buttons send. */
export const moveDocumentInput = z.object({
  documentId: id,
  direction: z.enum(['up', 'down']),
});

/** A node of document_templates.documents; recursion bounded so a bad template cannot blow the stack. */
export interface TemplateDocument {
  title: string;
  kind: DocumentKind;
  content?: unknown;
  children?: TemplateDocument[];
}

export const templateDocument: z.ZodType<TemplateDocument> = z.lazy(() =>
  z.object({
    title: z.string().max(200),
    kind: z.enum(DOCUMENT_KINDS).catch('chapter'),
    content: z.unknown().optional(),
    children: z.array(templateDocument).max(500).optional(),
  }),
);

export const templateDocuments = z.array(templateDocument).max(500);
