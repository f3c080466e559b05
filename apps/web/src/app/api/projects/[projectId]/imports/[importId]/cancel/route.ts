import { cancelImport } from '@/server/exports';
import { endpoint } from '../../../http';

export const POST = endpoint(async ({ pool, claims, projectId, params }) => cancelImport(pool, claims, projectId, params.importId ?? ''));
