import { deleteSection, updateSection } from '@/server/structure/outlines';
import { bodyWith, endpoint, idOf } from '../../http';

export const PATCH = endpoint(async (call) => ({
  section: await updateSection(call.pool, call.claims, call.projectId, await bodyWith(call, { sectionId: idOf(call.params.sectionId!, 'section') })),
}));
export const DELETE = endpoint(async (call) => {
  await deleteSection(call.pool, call.claims, call.projectId, { sectionId: idOf(call.params.sectionId!, 'section') });
  return { ok: true };
});
