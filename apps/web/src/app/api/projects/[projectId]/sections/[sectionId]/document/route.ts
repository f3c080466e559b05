import { createDocumentForSection } from '@/server/structure/outlines';
import { bodyWith, endpoint, idOf } from '../../../http';

/** Creates a document named after the section and links it. */
export const POST = endpoint(
  async (call) => ({
    section: await createDocumentForSection(call.pool, call.claims, call.projectId, await bodyWith(call, { sectionId: idOf(call.params.sectionId!, 'section') })),
  }),
  201,
);
