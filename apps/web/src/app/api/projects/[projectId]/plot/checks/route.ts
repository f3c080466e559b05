import { runStructureChecks } from '@/server/structure/plot';
import { endpoint } from '../../http';

/** Runs the structure checks now and records the run (see docs/structure.md for why it runs in the request). */
export const POST = endpoint(async ({ pool, claims, projectId }) => runStructureChecks(pool, claims, projectId), 201);
