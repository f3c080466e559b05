import { moveSection } from '@/server/structure/outlines';
import { bodyWith, endpoint, idOf } from '../../../http';

export const POST = endpoint(async (call) => ({
  section: await moveSection(call.pool, call.claims, call.projectId, await bodyWith(call, { sectionId: idOf(call.params.sectionId!, 'section') })),
}));
