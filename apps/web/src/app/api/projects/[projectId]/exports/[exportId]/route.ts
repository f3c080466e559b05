import { UserError } from '@/lib/errors';
import { getExport } from '@/server/exports';
import { endpoint } from '../../http';

/** One export as the caller sees it: what the editor follows after queuing from a document. */
export const GET = endpoint(async ({ pool, claims, projectId, params }) => {
  const job = await getExport(pool, claims, projectId, params.exportId ?? '');
  if (!job) throw new UserError('This export does not exist or you cannot see it.', 'not_found');
  return job;
});
