import { z } from 'zod';

// The editor's wire format: what its comment and version routes accept and answer, shared by server and browser.

/** A base64 Y.RelativePosition; a real one is a few dozen bytes, so anything long is not one. */
const relativePosition = z
  .string()
  .min(4)
  .max(1024)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'The comment anchor is not valid.');

export const commentBody = z
  .string({ message: 'Write something first.' })
  .trim()
  .min(1, 'Write something first.')
  .max(10_000, 'Keep a comment under 10,000 characters.');

export const createCommentInput = z.union([
  z.object({
    body: commentBody,
    anchor: z.object({ from: relativePosition, to: relativePosition }),
    quote: z.string().max(2000).transform((text) => text.slice(0, 2000)),
  }),
  z.object({ body: commentBody, parentId: z.uuid({ message: 'That thread no longer exists.' }) }),
]);

export const updateCommentInput = z.union([
  z.object({ body: commentBody }).strict(),
  z.object({ resolved: z.boolean() }).strict(),
]);

export interface CommentDto {
  id: string;
  parentId: string | null;
  userId: string;
  authorName: string;
  body: string;
  anchor: { from: string; to: string } | null;
  quote: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolvedByName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Naming the document's current state as a version ("First draft done"). */
export const saveVersionInput = z.object({
  label: z.string().trim().min(1, 'Name the version.').max(120, 'Keep the name under 120 characters.'),
});

/** How a stored version is listed: who, when, why, how long; the states themselves stay in the database. */
export interface VersionSummary {
  id: string;
  label: string | null;
  reason: 'idle' | 'interval' | 'manual' | 'restore' | 'import';
  wordCount: number;
  createdAt: string;
  userId: string | null;
  authorName: string | null;
}

export interface VersionDetail extends VersionSummary {
  content: unknown;
  plainText: string;
}
