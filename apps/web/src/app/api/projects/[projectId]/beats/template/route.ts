import { applyTemplate } from '@/server/structure/beats';
import { bodyWith, endpoint } from '../../http';

export const POST = endpoint(async (call) => applyTemplate(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })), 201);
