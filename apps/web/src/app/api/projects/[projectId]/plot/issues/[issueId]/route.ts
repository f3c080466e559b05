import { updateIssue } from '@/server/structure/plot';
import { bodyWith, endpoint, idOf } from '../../../http';

export const PATCH = endpoint(async (call) => ({
  issue: await updateIssue(call.pool, call.claims, call.projectId, await bodyWith(call, { issueId: idOf(call.params.issueId!, 'issue') })),
}));
