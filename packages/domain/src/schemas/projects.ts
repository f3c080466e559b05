import { z } from 'zod';
import { id } from './common';

export const projectTitle = z
  .string({ message: 'Give your project a title.' })
  .trim()
  .min(1, 'Give your project a title.')
  .max(200, 'Keep the title under 200 characters.');

export const createProjectInput = z.object({
  title: projectTitle,
  templateId: id,
});
export type CreateProjectInput = z.infer<typeof createProjectInput>;

export const renameProjectInput = z.object({
  projectId: id,
  title: projectTitle,
});

export const deleteProjectInput = z.object({
  projectId: id,
  // typed by the owner as confirmation; compared with the stored title on the server
  confirmTitle: z.string().trim().min(1, 'Type the project title to confirm.').max(200),
});

/** The owner of record hands the project to one of its members (before leaving, or deleting their account). */
export const transferProjectInput = z.object({
  projectId: id,
  newOwnerId: z.uuid({ message: 'Choose the member who will own the project.' }),
});
