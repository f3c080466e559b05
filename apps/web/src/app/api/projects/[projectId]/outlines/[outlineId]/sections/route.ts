import { createSection } from '@/server/structure/outlines';
import { bodyWith, endpoint, idOf } from '../../../http';

export const POST = endpoint(
  async (call) => ({ section: await createSection(call.pool, call.claims, call.projectId, await bodyWith(call, { outlineId: idOf(call.params.outlineId!, 'outline') })) }),
  201,
);
