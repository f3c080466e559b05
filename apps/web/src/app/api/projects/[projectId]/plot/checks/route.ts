import { runStructureChecks } from '@/server/structure/plot';
import { endpoint } from '../../http';

/** Records a run of the structure checks and works through it; the Plot tab follows the run's row live. */
export const POST = endpoint(async ({ pool, claims, projectId }) => runStructureChecks(pool, claims, projectId), 201);
