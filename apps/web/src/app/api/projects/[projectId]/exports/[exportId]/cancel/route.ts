import { cancelExport } from '@/server/exports';
import { endpoint } from '../../../http';

export const POST = endpoint(async ({ pool, claims, projectId, params }) => cancelExport(pool, claims, projectId, params.exportId ?? ''));
