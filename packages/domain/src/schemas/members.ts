import { z } from 'zod';
import { SHARE_ROLES } from '../roles';
import { email, id } from './common';

const shareRole = z.enum(SHARE_ROLES, { message: 'Choose a role: editor, commenter or viewer.' });

export const inviteMemberInput = z.object({
  projectId: id,
  email,
  role: shareRole,
});
export type InviteMemberInput = z.infer<typeof inviteMemberInput>;

export const changeRoleInput = z.object({
  projectId: id,
  userId: id,
  role: shareRole,
});

export const removeMemberInput = z.object({ projectId: id, userId: id });

export const leaveProjectInput = z.object({ projectId: id });

export const revokeInvitationInput = z.object({ projectId: id, invitationId: id });

/** The secret part of an invitation link: 32 random bytes, base64url. */
export const invitationToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{32,128}$/, 'This invitation link is not valid. Ask the project owner for a new one.');

export const acceptInvitationInput = z.object({ token: invitationToken });

export const shareDocumentInput = z.object({
  documentId: id,
  email,
  role: shareRole,
});

export const unshareDocumentInput = z.object({ documentId: id, userId: id });
