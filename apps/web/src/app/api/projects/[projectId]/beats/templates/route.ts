import { saveBoardAsTemplate } from '@/server/structure/beats';
import { bodyWith, endpoint } from '../../http';

/** Keeps this project's board as a private template of the owner's (docs/structure.md, "Beat boards"). */
export const POST = endpoint(async (call) => ({ template: await saveBoardAsTemplate(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
