import { setExportSettings } from '@/server/exports';
import { bodyWith, endpoint } from '../../http';

export const PATCH = endpoint(async (call) => setExportSettings(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })));
