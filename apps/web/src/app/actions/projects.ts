'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import type { ActionResult } from '@/lib/errors';
import { createProject, deleteProject, renameProject, transferProject } from '@/server/projects';
import { act } from './session';

export async function createProjectAction(_prev: ActionResult<{ id: string }> | null, form: FormData): Promise<ActionResult<{ id: string }>> {
  const result = await act(({ viewer, pool }) =>
    createProject(pool, viewer.claims, { title: form.get('title'), templateId: form.get('templateId') }),
  );
  if (result.ok) redirect(`/projects/${result.data.id}`);
  return result;
}

export async function renameProjectAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const projectId = String(form.get('projectId') ?? '');
  const result = await act(async ({ viewer, pool }) => {
    await renameProject(pool, viewer.claims, { projectId, title: form.get('title') });
    return null;
  });
  if (result.ok) {
    revalidatePath(`/projects/${projectId}`, 'layout');
    return { ...result, message: 'Saved.' };
  }
  return result;
}

export async function deleteProjectAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => {
    await deleteProject(pool, viewer.claims, { projectId: form.get('projectId'), confirmTitle: form.get('confirmTitle') ?? '' });
    return null;
  });
  if (result.ok) redirect('/projects?deleted=1');
  return result;
}

export async function transferProjectAction(input: { projectId: string; newOwnerId: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await transferProject(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}
