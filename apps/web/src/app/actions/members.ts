'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import type { ActionResult } from '@/lib/errors';
import {
  acceptInvitation,
  changeRole,
  inviteMember,
  leaveProject,
  removeMember,
  revokeInvitation,
  shareDocument,
  unshareDocument,
  type CreatedInvitation,
} from '@/server/members';
import { act } from './session';

const membersPath = (projectId: string) => `/projects/${projectId}/members`;

export async function inviteMemberAction(_prev: ActionResult<CreatedInvitation> | null, form: FormData): Promise<ActionResult<CreatedInvitation>> {
  const projectId = String(form.get('projectId') ?? '');
  const result = await act(({ viewer, pool, appUrl }) =>
    inviteMember(pool, viewer.claims, { projectId, email: form.get('email'), role: form.get('role') }, appUrl),
  );
  if (result.ok) revalidatePath(membersPath(projectId));
  return result;
}

export async function revokeInvitationAction(input: { projectId: string; invitationId: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await revokeInvitation(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(membersPath(input.projectId));
  return result;
}

export async function changeRoleAction(input: { projectId: string; userId: string; role: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await changeRole(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}

export async function removeMemberAction(input: { projectId: string; userId: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await removeMember(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(`/projects/${input.projectId}`, 'layout');
  return result;
}

export async function leaveProjectAction(input: { projectId: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await leaveProject(pool, viewer.claims, input), null));
  if (result.ok) redirect('/projects?left=1');
  return result;
}

export async function acceptInvitationAction(_prev: ActionResult<{ projectId: string }> | null, form: FormData): Promise<ActionResult<{ projectId: string }>> {
  const result = await act(({ viewer, pool }) => acceptInvitation(pool, viewer.claims, { token: form.get('token') }));
  if (result.ok) redirect(`/projects/${result.data.projectId}?joined=1`);
  return result;
}

export async function shareDocumentAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const projectId = String(form.get('projectId') ?? '');
  const result = await act(async ({ viewer, pool }) => {
    await shareDocument(pool, viewer.claims, { documentId: form.get('documentId'), email: form.get('email'), role: form.get('role') });
    return null;
  });
  if (result.ok) {
    revalidatePath(membersPath(projectId));
    return { ...result, message: 'Shared. They will find it under “Shared with you” on their dashboard.' };
  }
  return result;
}

export async function unshareDocumentAction(input: { projectId: string; documentId: string; userId: string }): Promise<ActionResult> {
  const result = await act(async ({ viewer, pool }) => (await unshareDocument(pool, viewer.claims, input), null));
  if (result.ok) revalidatePath(membersPath(input.projectId));
  return result;
}
