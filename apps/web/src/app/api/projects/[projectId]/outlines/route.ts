import { createOutline, listOutlines } from '@/server/structure/outlines';
import { bodyWith, endpoint } from '../http';

export const GET = endpoint(async ({ pool, claims, projectId }) => ({ outlines: await listOutlines(pool, claims, projectId) }));
export const POST = endpoint(async (call) => ({ outline: await createOutline(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
