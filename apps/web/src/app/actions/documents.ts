'use server';

import { revalidatePath } from 'next/cache';
import type { ActionResult } from '@/lib/errors';
import { createDocument, deleteDocument, moveDocument, renameDocument, reorderDocuments } from '@/server/documents';
import { act } from './session';

// The tree calls these directly with plain objects; each one re-validates on the server.

export async function createDocumentAction(input: { projectId: string; parentId: string | null; kind: string; title: string }): Promise<ActionResult<{ id: string }>> {
  const result = await act(({ viewer, pool }) => createDocument(pool, viewer.claims, input));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}

export async function renameDocumentAction(input: { projectId: string; documentId: string; title: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await renameDocument(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}

export async function deleteDocumentAction(input: { projectId: string; documentId: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await deleteDocument(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}

export async function reorderDocumentsAction(input: { projectId: string; parentId: string | null; orderedIds: string[] }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await reorderDocuments(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}

export async function moveDocumentAction(input: { projectId: string; documentId: string; direction: 'up' | 'down' }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await moveDocument(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}
