import { UserError } from '@/lib/errors';
import { getIssue, updateIssue } from '@/server/structure/plot';
import { bodyWith, endpoint, idOf } from '../../../http';

export const GET = endpoint(async (call) => {
  const issue = await getIssue(call.pool, call.claims, call.projectId, idOf(call.params.issueId!, 'issue'));
  if (!issue) throw new UserError('That plot card does not exist or you cannot see it.', 'not_found');
  return { issue };
});

export const PATCH = endpoint(async (call) => ({
  issue: await updateIssue(call.pool, call.claims, call.projectId, await bodyWith(call, { issueId: idOf(call.params.issueId!, 'issue') })),
}));
