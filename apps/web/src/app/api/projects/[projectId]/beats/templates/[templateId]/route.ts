import { deleteOwnTemplate } from '@/server/structure/beats';
import { endpoint, idOf } from '../../../http';

export const DELETE = endpoint(async (call) => {
  await deleteOwnTemplate(call.pool, call.claims, idOf(call.params.templateId!, 'template'));
  return { deleted: call.params.templateId };
});
