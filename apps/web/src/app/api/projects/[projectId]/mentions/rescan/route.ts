import { rescanProject } from '@/server/bible/mentions';
import { endpoint } from '../../http';

export const POST = endpoint(async ({ pool, claims, projectId }) => rescanProject(pool, claims, projectId));
