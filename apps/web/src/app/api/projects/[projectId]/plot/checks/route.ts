import { requestStructureChecks } from '@/server/structure/plot';
import { endpoint } from '../../http';

/** Queues a run of the structure checks for the worker; the Plot tab follows the run's row live until it completes. */
export const POST = endpoint(async ({ pool, claims, projectId }) => requestStructureChecks(pool, claims, projectId), 202);
